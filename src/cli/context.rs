//! `pai context`: exactly what `pai ask` would send to the model for the same command line,
//! section by section with token counts, then the prompt as the model reads it.
use std::io::Write;

use serde_json::json;

use super::oneshot;
use super::prompt::{self, PromptArgs};
use super::runtime::{ModelArgs, SamplingArgs};
use super::Ctx;
use crate::config::Config;
use crate::engine::remote::RemoteEngine;
use crate::error::CliError;
use crate::pipeline::settings::FrontDefaults;
use crate::pipeline::{choose, Budget, Settings, Weights};

/// Show what the model would read for this question, and how many tokens each part takes.
///
/// Takes the same arguments as `pai ask`: swap the verbs to see the prompt instead of the answer.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub prompt: PromptArgs,
    /// Print one JSON object: window, sections with tokens, sources and the prompt.
    #[arg(long)]
    pub json: bool,
    /// Print the prompt's bytes as they are, escape sequences included.
    #[arg(long)]
    pub raw: bool,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let config = Config::load(&ctx.paths.config_file())?;
    let mut request = prompt::read_request(&args.prompt)?;
    let overrides = args.sampling.overrides(&args.model);
    let settings = Settings::resolve(&overrides, FrontDefaults::default(), &config)?;
    if let Some(name) = overrides.endpoint.as_deref() {
        let engine = choose::remote_engine(name, choose::endpoint_config(name, &config)?)?;
        oneshot::gather_into(ctx, &args.prompt, &config, &mut request);
        return show_remote(args, &config, &settings, &engine, &request);
    }
    let chosen = choose::choose_model(
        overrides.model.as_deref(),
        &config,
        &ctx.paths.registry_file(),
    )?;
    oneshot::gather_into(ctx, &args.prompt, &config, &mut request);
    let loaded = choose::load(&chosen, None, Weights::VocabOnly, ctx.verbose)?;
    let model = &loaded.model;
    let budget = Budget::new(
        settings.ctx,
        loaded.trained_context,
        settings.max_tokens,
        false,
    );
    let assembled = oneshot::fit(&request, model, &budget, &config)?;
    let text = model.format_chat(&assembled.messages);
    let tokens = model.chat_tokens(&assembled.messages);
    let sections = assembled.kept.section_reports(model);
    let shown = if args.raw {
        text.clone()
    } else {
        crate::render::sanitize(&text)
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = json!({
            "model": chosen.name,
            "window": budget.window,
            "answer_reserve": budget.reserve,
            "prompt_tokens": assembled.prompt_tokens,
            "control_tokens": model.control_tokens(&tokens),
            "prompt_token_ids": tokens.iter().map(|t| t.0).collect::<Vec<_>>(),
            "sections": sections,
            "sources": assembled.sources,
            "memories": assembled.kept.memories,
            "cuts": assembled.cuts,
            "prompt": text,
        });
        writeln!(out, "{}", crate::render::escape_json(&value.to_string()))?;
        return Ok(());
    }
    print_sections(&mut out, &sections, "section")?;
    let template = if model.has_chat_template() {
        "the model's chat template"
    } else {
        "plain text (no chat template)"
    };
    writeln!(
        out,
        "{:>7}  in all, as {template}, of a {}-token window ({} kept for the answer) with {}",
        assembled.prompt_tokens, budget.window, budget.reserve, chosen.name
    )?;
    writeln!(out, "──────── the prompt as the model reads it ────────")?;
    writeln!(out, "{shown}")?;
    Ok(())
}

/// What would go to an endpoint: the messages as sent, counted by estimate (the server's
/// tokenizer is not on this machine).
fn show_remote(
    args: &Args,
    config: &Config,
    settings: &Settings,
    engine: &RemoteEngine,
    request: &crate::context::Request,
) -> Result<(), CliError> {
    let budget = Budget::new(settings.ctx, engine.window(), settings.max_tokens, false);
    let label = format!(
        "endpoint {} ({} at {})",
        engine.name(),
        engine.model(),
        engine.url()
    );
    // Exactly what leaves: private excerpts out, secrets replaced.
    let mut shared = request.clone();
    shared.excerpts.retain(|e| !e.private);
    let assembled = oneshot::fit(&shared, engine, &budget, config)?;
    let sections = assembled.kept.section_reports(engine);
    let (sent, _) = crate::router::outbound::redact_messages(&assembled.messages)
        .map_err(crate::pipeline::engine_error)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let messages: Vec<_> = sent
            .iter()
            .map(|m| json!({"role": m.role.as_str(), "content": m.content}))
            .collect();
        let value = json!({
            "model": label,
            "window": budget.window,
            "answer_reserve": budget.reserve,
            "prompt_tokens": assembled.prompt_tokens,
            "estimated": true,
            "sections": sections,
            "sources": assembled.sources,
            "memories": assembled.kept.memories,
            "cuts": assembled.cuts,
            "messages": messages,
        });
        writeln!(out, "{}", crate::render::escape_json(&value.to_string()))?;
        return Ok(());
    }
    print_sections(&mut out, &sections, "section (estimated tokens)")?;
    writeln!(
        out,
        "{:>7}  in all, estimated, of a {}-token window ({} kept for the answer) with {label}",
        assembled.prompt_tokens, budget.window, budget.reserve
    )?;
    writeln!(
        out,
        "──────── the messages as the endpoint receives them ────────"
    )?;
    for m in &sent {
        let text = if args.raw {
            m.content.clone()
        } else {
            crate::render::sanitize(&m.content)
        };
        writeln!(out, "[{}]\n{text}\n", m.role.as_str())?;
    }
    Ok(())
}

/// The table of sections and their tokens.
fn print_sections(
    out: &mut impl Write,
    sections: &[crate::context::SectionReport],
    heading: &str,
) -> std::io::Result<()> {
    writeln!(out, "{:>7}  {heading}", "tokens")?;
    for s in sections {
        writeln!(
            out,
            "{:>7}  {}",
            s.tokens,
            crate::render::sanitize_line(&s.name)
        )?;
    }
    Ok(())
}
