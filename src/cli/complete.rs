//! `pai complete`: continues the text on stdin, printing only what comes next. With
//! `--suffix-file` and a model whose vocabulary has fill-in-the-middle tokens, it writes what
//! belongs between stdin and the suffix; other models continue plainly, and say so.
use std::path::PathBuf;

use super::oneshot::{self, AnswerSink, Options};
use super::runtime::{ModelArgs, RoleArgs, SamplingArgs};
use super::{filter, Ctx};
use crate::engine::Engine;
use crate::error::CliError;

/// Continue the text or code on stdin; print only the continuation.
///
/// The model reads stdin as it is, without a chat template, as a base model would. The
/// context pipeline (index, profile) is not used: text continues from its own beginning.
/// With --role, the role's model, sampling and adapters apply; its prompt does not, since a
/// continuation has no system prompt.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text that comes after the cursor, for fill-in-the-middle.
    #[arg(long, value_name = "FILE")]
    pub suffix_file: Option<PathBuf>,
    #[command(flatten)]
    pub role: RoleArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let role = args.role.load(ctx)?;
    let model = args.model.with_role(role.as_ref());
    let prefix = filter::read_selection("complete")?;
    let suffix = match &args.suffix_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| CliError::user(format!("cannot read {}: {e}", path.display())))?,
        ),
        None => None,
    };
    let options = Options {
        front: "complete",
        model: &model,
        sampling: &args.sampling,
        context: None,
        default_max_tokens: Some(128),
        default_temp: Some(0.2),
        show_sources: false,
        grammar: None,
        role: role.as_ref(),
    };
    if let Some(name) = remote_name(ctx, &model)? {
        return complete_remote(ctx, &options, &name, &prefix, suffix.is_some());
    }
    let prepared = oneshot::prepare(ctx, &options, None)?;
    let model = &prepared.loaded.model;
    let tokens = match (&suffix, model.fim_tokens()) {
        (Some(suffix), Some([pre, suf, mid])) => {
            let mut t = model.tokenize_plain("", true);
            t.push(pre);
            t.extend(model.tokenize_plain(&prefix, false));
            t.push(suf);
            t.extend(model.tokenize_plain(suffix, false));
            t.push(mid);
            t
        }
        (Some(_), None) => {
            eprintln!(
                "pai: {} has no fill-in-the-middle tokens; continuing the text without the suffix",
                prepared.chosen.name
            );
            model.tokenize_plain(&prefix, true)
        }
        (None, _) => model.tokenize_plain(&prefix, true),
    };
    let mut sink = AnswerSink::continuation();
    let outcome = oneshot::run_tokens(ctx, &prepared, &tokens, &mut sink)?;
    sink.finish()?;
    oneshot::check_stop(&outcome)
}

/// The endpoint that continues the text: `--endpoint NAME`, or the endpoint of `--tier
/// medium|large`. (`--tier auto` continues locally: a continuation has no question to judge.)
fn remote_name(ctx: &Ctx, model: &ModelArgs) -> Result<Option<String>, CliError> {
    if let Some(name) = &model.endpoint {
        return Ok(Some(name.clone()));
    }
    let Some(tier) = model.tier.and_then(crate::router::TierChoice::fixed) else {
        return Ok(None);
    };
    if tier == crate::router::Tier::Local {
        return Ok(None);
    }
    let config = crate::config::Config::load(&ctx.paths.config_file())?;
    crate::router::policy::endpoint_of(tier, &config)
        .map(|n| Some(n.to_string()))
        .ok_or_else(|| {
            CliError::user(format!("--tier {tier} is not configured under [tiers] in config.toml"))
                .hint("name an [endpoints.NAME] table as `medium = \"NAME\"` under [tiers] (docs/serve.md)")
        })
}

/// Continues the text on an endpoint (`/v1/completions`), which takes text, not tokens: a
/// suffix cannot be placed, and that is said.
fn complete_remote(
    ctx: &Ctx,
    options: &Options,
    name: &str,
    prefix: &str,
    has_suffix: bool,
) -> Result<(), CliError> {
    let (_, settings, mut engine) = oneshot::prepare_remote(ctx, options, name)?;
    if has_suffix {
        eprintln!(
            "pai: endpoint '{name}' continues the text without the suffix: fill-in-the-middle needs a local model's tokens"
        );
    }
    let mut sink = AnswerSink::continuation();
    let cancel = crate::cancel::interrupt_token();
    let generation = engine
        .complete(prefix, &settings.params(), &cancel, &mut sink)
        .map_err(crate::pipeline::engine_error)?;
    sink.finish()?;
    oneshot::check_stop(&oneshot::Outcome {
        model_name: name.to_string(),
        load_ms: 0.0,
        generation,
        sources: Vec::new(),
        n_ctx: engine.window(),
        route: None,
    })
}
