//! A continuation (`pai complete`): the text as it is, without a chat template or context,
//! continued by the local model (between a prefix and a suffix when its vocabulary has
//! fill-in-the-middle tokens) or by an endpoint's `/v1/completions`.
use super::answer;
use super::request::{Ask, Env, Outcome};
use crate::config::Config;
use crate::engine::{Engine, Sink};
use crate::error::Error;
use crate::router::{policy, Tier, TierChoice};

/// Continues `prefix` (up to `suffix`, when the model can place one) into `sink`.
pub fn continue_text(
    env: &Env,
    ask: &Ask,
    prefix: &str,
    suffix: Option<&str>,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    if let Some(name) = remote_name(env, ask)? {
        return continue_remote(env, ask, &name, prefix, suffix.is_some(), sink);
    }
    let prepared = answer::prepare(env, ask, None)?;
    let model = &prepared.loaded.model;
    let tokens = match (suffix, model.fim_tokens()) {
        (Some(suffix), Some([pre, suf, mid])) => {
            let mut t = model.tokenize_plain("", true);
            t.push(pre);
            t.extend(model.tokenize_plain(prefix, false));
            t.push(suf);
            t.extend(model.tokenize_plain(suffix, false));
            t.push(mid);
            t
        }
        (Some(_), None) => {
            env.report.note(&format!(
                "{} has no fill-in-the-middle tokens; continuing the text without the suffix",
                prepared.chosen.name
            ));
            model.tokenize_plain(prefix, true)
        }
        (None, _) => model.tokenize_plain(prefix, true),
    };
    answer::run_tokens(env, &prepared, &tokens, sink)
}

/// The endpoint that continues the text: `--endpoint NAME`, or the endpoint of `--tier
/// medium|large`. (`--tier auto` continues locally: a continuation has no question to judge.)
fn remote_name(env: &Env, ask: &Ask) -> Result<Option<String>, Error> {
    if let Some(name) = &ask.overrides.endpoint {
        return Ok(Some(name.clone()));
    }
    let Some(tier) = ask.tier.and_then(TierChoice::fixed) else {
        return Ok(None);
    };
    if tier == Tier::Local {
        return Ok(None);
    }
    let config = Config::load(&env.paths.config_file())?;
    policy::endpoint_of(tier, &config)
        .map(|n| Some(n.to_string()))
        .ok_or_else(|| {
            Error::user(format!("--tier {tier} is not configured under [tiers] in config.toml"))
                .hint("name an [endpoints.NAME] table as `medium = \"NAME\"` under [tiers] (docs/serve.md)")
        })
}

/// Continues the text on an endpoint (`/v1/completions`), which takes text, not tokens: a
/// suffix cannot be placed, and that is said.
fn continue_remote(
    env: &Env,
    ask: &Ask,
    name: &str,
    prefix: &str,
    has_suffix: bool,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    let (_, settings, mut engine) = answer::prepare_remote(env, ask, name)?;
    if has_suffix {
        env.report.note(&format!(
            "endpoint '{name}' continues the text without the suffix: fill-in-the-middle needs a local model's tokens"
        ));
    }
    let cancel = crate::cancel::interrupt_token();
    let generation = engine
        .complete(prefix, &settings.params(), &cancel, sink)
        .map_err(super::engine_error)?;
    Ok(Outcome {
        model_name: name.to_string(),
        load_ms: 0.0,
        generation,
        sources: Vec::new(),
        n_ctx: engine.window(),
        route: None,
    })
}
