//! `pai ask`: one question, one streamed answer on stdout. Built for pipelines: stdin and
//! `-f` files are attached to the prompt, stdout carries only the answer, and everything
//! else goes to stderr.
use std::io::Write;

use serde_json::json;

use super::oneshot::{self, AnswerSink, Options};
use super::prompt::{self, PromptArgs};
use super::runtime::{ModelArgs, RoleArgs, SamplingArgs};
use super::Ctx;
use crate::cli::error::CliError;
use crate::pipeline::Grammar;

/// Ask a question and stream the answer to stdout.
///
/// Text on stdin and every -f FILE are attached to the prompt as labelled blocks:
/// `pai ask "reply politely, decline" < email.txt > reply.txt`. Excerpts from the index,
/// your profile and the context cell are added unless --no-context.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub prompt: PromptArgs,
    /// Print one JSON object: answer, model, token counts, timings and sources.
    #[arg(long)]
    pub json: bool,
    /// List the sources the answer could cite, on stderr.
    #[arg(long)]
    pub sources: bool,
    /// Pass the model's bytes through, escape sequences included.
    #[arg(long)]
    pub raw: bool,
    /// Constrain the answer to JSON that follows this JSON Schema (enforced token by token; a
    /// schema that cannot be enforced is an error before generation).
    /// With --json, the parsed value is printed as `value`. Local models only.
    #[arg(long, value_name = "FILE", conflicts_with = "grammar")]
    pub json_schema: Option<std::path::PathBuf>,
    /// Constrain the answer to this GBNF grammar (llama.cpp's format, starting at `root`).
    #[arg(long, value_name = "FILE")]
    pub grammar: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub role: RoleArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let role = args.role.load(ctx)?;
    let grammar = grammar_of(args)?;
    let prompt_args = args.prompt.with_role(role.as_ref());
    let model = args.model.with_role(role.as_ref());
    let request = prompt::read_request(&prompt_args)?;
    let options = Options {
        show_sources: args.sources,
        grammar,
        ..Options::as_ask(&model, &args.sampling, &prompt_args, role.as_ref())
    };
    let mut sink = AnswerSink::new(args.raw, args.json);
    let outcome = oneshot::generate(ctx, &options, request, &mut sink)?;
    sink.finish()?;
    let value = match &args.json_schema {
        Some(_) => Some(parsed(&sink.answer, &outcome)?),
        None => None,
    };
    if args.json {
        print_json(&sink.answer, &outcome, value)?;
    }
    oneshot::check_stop(&outcome)
}

/// What the answer must follow: `--grammar` as written, or `--json-schema` once checked.
fn grammar_of(args: &Args) -> Result<Option<Grammar>, CliError> {
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path)
            .map_err(|e| CliError::user(format!("cannot read {}: {e}", path.display())))
    };
    if let Some(path) = &args.grammar {
        return read(path).map(|text| Some(Grammar::Gbnf(text)));
    }
    let Some(path) = &args.json_schema else {
        return Ok(None);
    };
    let text = read(path)?;
    let schema: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        CliError::user(format!("{} is not JSON: {e}", path.display()))
            .hint("--json-schema takes a JSON Schema document")
    })?;
    crate::pipeline::json_schema(schema)
        .map(Some)
        .map_err(|why| {
            CliError::user(format!("{} cannot be enforced: {why}", path.display()))
                .hint("simplify the schema; nothing was generated")
        })
}

/// The answer as JSON: the grammar makes it parse unless it was cut short.
fn parsed(answer: &str, outcome: &oneshot::Outcome) -> Result<serde_json::Value, CliError> {
    serde_json::from_str(answer).map_err(|e| {
        let cut = outcome.generation.stop_reason == crate::pipeline::StopReason::MaxTokens;
        let err = CliError::user(format!("the answer is not complete JSON: {e}"));
        if cut {
            err.hint("it was cut at the token limit: raise -n")
        } else {
            err
        }
    })
}

fn print_json(
    answer: &str,
    outcome: &oneshot::Outcome,
    value: Option<serde_json::Value>,
) -> Result<(), CliError> {
    let g = &outcome.generation;
    let load_ms = outcome.load_ms;
    let sources = crate::pipeline::sources_json(&outcome.sources);
    let value = json!({
        "answer": answer,
        "model": outcome.model_name,
        "route": outcome.route,
        "value": value,
        "prompt_tokens": g.prompt_tokens,
        "generated_tokens": g.generated_tokens,
        "stop_reason": g.stop_reason,
        "sources": sources,
        "timings": {
            "load_ms": round(load_ms),
            "prompt_ms": round(g.prompt_ms),
            "generation_ms": round(g.generation_ms),
            "prompt_tps": round(g.prompt_tps()),
            "generation_tps": round(g.generation_tps()),
        },
    });
    let mut out = std::io::stdout().lock();
    let written = writeln!(out, "{}", crate::render::escape_json(&value.to_string()))
        .and_then(|_| out.flush());
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
