//! `pai context`: exactly what `pai ask` would send to the model for the same command line,
//! section by section with token counts, then the prompt as the model reads it.
use std::io::Write;

use serde_json::json;

use super::oneshot::{self, Options};
use super::prompt::{self, PromptArgs};
use super::runtime::{ModelArgs, RoleArgs, SamplingArgs};
use super::Ctx;
use crate::cli::error::CliError;
use crate::pipeline::preview::{self, Preview, Sent};
use crate::pipeline::Choice;

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
    pub role: RoleArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let role = args.role.load(ctx)?;
    let prompt_args = args.prompt.with_role(role.as_ref());
    let model = args.model.with_role(role.as_ref());
    let request = prompt::read_request(&prompt_args)?;
    let options = Options::as_ask(&model, &args.sampling, &prompt_args, role.as_ref());
    let preview = oneshot::with_env(ctx, |env| preview::preview(env, &options.ask(), request))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(
            out,
            "{}",
            crate::render::escape_json(&json_of(&preview).to_string())
        )?;
        return Ok(());
    }
    match &preview.sent {
        Sent::Local { .. } => print_sections(&mut out, &preview.sections, "section")?,
        Sent::Remote { .. } => {
            print_sections(&mut out, &preview.sections, "section (estimated tokens)")?
        }
    }
    print_choices(&mut out, &preview.choices)?;
    let (window, reserve) = (preview.window, preview.answer_reserve);
    match &preview.sent {
        Sent::Local {
            text,
            chat_template,
            cached_prefix,
            ..
        } => {
            if ctx.verbose {
                eprintln!("pai: {}", prefix_line(*cached_prefix));
            }
            let template = if *chat_template {
                "the model's chat template"
            } else {
                "plain text (no chat template)"
            };
            writeln!(
                out,
                "{:>7}  in all, as {template}, of a {window}-token window ({reserve} kept for the answer) with {}",
                preview.prompt_tokens, preview.model
            )?;
            writeln!(out, "──────── the prompt as the model reads it ────────")?;
            writeln!(out, "{}", shown(text, args.raw))?;
        }
        Sent::Remote { messages } => {
            writeln!(
                out,
                "{:>7}  in all, estimated, of a {window}-token window ({reserve} kept for the answer) with {}",
                preview.prompt_tokens, preview.model
            )?;
            writeln!(
                out,
                "──────── the messages as the endpoint receives them ────────"
            )?;
            for m in messages {
                writeln!(
                    out,
                    "[{}]\n{}\n",
                    m.role.as_str(),
                    shown(&m.content, args.raw)
                )?;
            }
        }
    }
    Ok(())
}

/// What `-v` says of the prompt cache for this prompt.
fn prefix_line(cached: Option<(usize, bool)>) -> String {
    match cached {
        None => "prompt cache: not used (turned off, or the stable prefix is too short)".into(),
        Some((n, true)) => format!(
            "prompt cache: the first {n} tokens (system prompt, role, profile) come from the cache"
        ),
        Some((n, false)) => format!(
            "prompt cache: the first {n} tokens (system prompt, role, profile) are not saved yet; \
             the next answer reads and saves them"
        ),
    }
}

/// The text made safe for a terminal, unless --raw.
fn shown(text: &str, raw: bool) -> String {
    if raw {
        text.to_string()
    } else {
        crate::render::sanitize(text)
    }
}

/// `--json`: one object, the prompt's text (local) or messages (remote) included.
fn json_of(p: &Preview) -> serde_json::Value {
    let mut value = json!({
        "model": p.model,
        "window": p.window,
        "answer_reserve": p.answer_reserve,
        "prompt_tokens": p.prompt_tokens,
        "sections": p.sections,
        "sources": crate::pipeline::sources_json(&p.sources),
        "choices": p.choices,
        "memories": p.memories,
        "cuts": p.cuts,
    });
    match &p.sent {
        Sent::Local {
            messages,
            text,
            token_ids,
            control_tokens,
            ..
        } => {
            value["messages"] = messages_json(messages);
            value["control_tokens"] = json!(control_tokens);
            value["prompt_token_ids"] = json!(token_ids);
            value["prompt"] = json!(text);
        }
        Sent::Remote { messages } => {
            value["estimated"] = json!(true);
            value["messages"] = messages_json(messages);
        }
    }
    value
}

fn messages_json(messages: &[crate::pipeline::Message]) -> serde_json::Value {
    messages
        .iter()
        .map(|m| json!({"role": m.role.as_str(), "content": m.content}))
        .collect()
}

/// The table of sections and their tokens.
fn print_sections(
    out: &mut impl Write,
    sections: &[crate::pipeline::SectionReport],
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

/// Why each hit of the search went in or stayed out: its score, its share of the top hit's,
/// the share of the question's words it holds, the rule, and the lines that went in.
fn print_choices(out: &mut impl Write, choices: &[Choice]) -> std::io::Result<()> {
    if choices.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "──────── excerpts: why each hit went in or stayed out ────────"
    )?;
    writeln!(out, "{:>7}  {:>6}  {:>6}  hit", "score", "of top", "words")?;
    for c in choices {
        let place = format!(
            "{}:{}-{}",
            crate::pipeline::tilde(&c.path),
            c.start_line,
            c.end_line
        );
        writeln!(
            out,
            "{:>7.2}  {:>5.0}%  {:>5.0}%  {}",
            c.score,
            c.share * 100.0,
            c.cover * 100.0,
            crate::render::sanitize_line(&place)
        )?;
        let lines: Vec<String> = c
            .lines
            .iter()
            .map(|(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}-{b}")
                }
            })
            .collect();
        let verdict = if c.kept {
            format!("in, lines {}: {}", lines.join(", "), c.rule)
        } else {
            format!("out: {}", c.rule)
        };
        writeln!(out, "{:>26}{verdict}", "")?;
    }
    Ok(())
}
