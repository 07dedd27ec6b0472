//! `pai chat`: a conversation. Full screen on a terminal; line by line when stdin is a pipe.
use std::io::IsTerminal;
use std::sync::Arc;

use super::runtime::{ModelArgs, RoleArgs, SamplingArgs};
use super::Ctx;
use crate::chat::session::{ChatSession, Settings};
use crate::chat::state::Event;
use crate::cli::error::CliError;
use crate::config::Config;
use crate::pipeline::settings::FrontDefaults;
use crate::pipeline::{choose, Settings as Generation};

/// Talk with the model in a full-screen chat that streams, shows its sources and remembers.
///
/// When stdin is not a terminal, each line is a question and each answer is printed as plain
/// text followed by a blank line.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Continue a stored conversation: the latest one, or the one with this ID (`pai history list`).
    #[arg(long, value_name = "ID", num_args = 0..=1)]
    pub resume: Option<Option<i64>>,
    /// Replace the system prompt.
    #[arg(long, value_name = "TEXT")]
    pub system: Option<String>,
    /// No excerpts from the index, no profile, no context cell.
    #[arg(long)]
    pub no_context: bool,
    #[command(flatten)]
    pub role: RoleArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let role = args.role.load(ctx)?;
    let config = Config::load(&ctx.paths.config_file())?;
    let model = args.model.with_role(role.as_ref());
    let flags = args.sampling.overrides(&args.model);
    let overrides = args.sampling.overrides(&model).with_role(role.as_ref());
    let mut generation = Generation::resolve(&overrides, FrontDefaults::default(), &config)?;
    let tier = model.tier.and_then(crate::pipeline::TierChoice::fixed);
    let auto = auto_route(ctx, &model, &config)?;
    let target = choose::choose_target(
        overrides.endpoint.as_deref(),
        tier,
        overrides.model.as_deref(),
        &config,
        &ctx.paths.registry_file(),
    )?;
    generation.adapters = match &target {
        choose::Target::Local(chosen) => {
            choose::adapters(&generation.lora, chosen, &ctx.paths.registry_file())?
        }
        choose::Target::Remote { name, .. } if !generation.lora.is_empty() => {
            return Err(CliError::user(format!(
                "LoRA adapters (--lora) apply to the local model, not to endpoint '{name}'"
            ))
            .hint("leave out --endpoint and --tier"))
        }
        choose::Target::Remote { .. } => Vec::new(),
    };
    let settings = Settings {
        generation,
        flags,
        system: args.system.clone(),
        no_context: args.no_context,
        role,
        verbose: ctx.verbose,
        audit: crate::pipeline::AuditTo::new(ctx.paths.database_file(), &config, "chat"),
        auto,
        answerer_named: args.model.model.is_some()
            || args.model.endpoint.is_some()
            || args.model.tier.is_some(),
    };
    let (sender, events) = std::sync::mpsc::channel::<Event>();
    let replies = sender.clone();
    let reply = Arc::new(move |r| {
        let _ = replies.send(Event::Reply(r));
    });
    let mut session = ChatSession::start(ctx.paths.clone(), config, target, settings, reply)?;
    let turns = match args.resume {
        None => Vec::new(),
        Some(id) => {
            let id = match id {
                Some(id) => id,
                None => latest(&ctx.paths)?,
            };
            session.open(id)?
        }
    };
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if interactive {
        crate::chat::terminal::run(session, turns, events, sender).map_err(Into::into)
    } else {
        drop(sender);
        crate::chat::plain::run(session, turns, events, ctx.verbose).map_err(Into::into)
    }
}

/// `--tier auto`, or `[router] mode = "auto"` when no tier or endpoint is named: each turn of
/// the local model may be handed to a remote tier.
fn auto_route(
    ctx: &Ctx,
    model: &ModelArgs,
    config: &Config,
) -> Result<Option<crate::pipeline::escalate::AutoRoute>, CliError> {
    use crate::pipeline::TierChoice;
    let asked = model.tier == Some(TierChoice::Auto);
    let by_config = model.tier.is_none()
        && model.endpoint.is_none()
        && config.router.mode == crate::config::RouterMode::Auto;
    if !asked && !by_config {
        return Ok(None);
    }
    if config.tiers.medium.is_none() && config.tiers.large.is_none() {
        return Err(CliError::user(
            "--tier auto needs a medium or large tier under [tiers] in config.toml",
        )
        .hint(
            "name an [endpoints.NAME] table as `medium = \"NAME\"` under [tiers] (docs/router.md)",
        ));
    }
    Ok(Some(crate::pipeline::escalate::AutoRoute {
        config: config.clone(),
        audit: crate::pipeline::AuditTo::new(ctx.paths.database_file(), config, "chat"),
    }))
}

fn latest(paths: &crate::paths::Paths) -> Result<i64, CliError> {
    let store = crate::store::Store::open(&paths.database_file())?;
    store.latest()?.ok_or_else(|| {
        CliError::user("there is no conversation to resume yet").hint("start one with `pai chat`")
    })
}
