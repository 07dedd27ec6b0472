//! `pai ask`: one question, one streamed answer on stdout. Built for pipelines: stdin and
//! `-f` files are attached to the prompt, stdout carries only the answer, and everything
//! else goes to stderr.
use std::io::Write;

use serde_json::json;

use super::prompt::{self, Budget, PromptArgs};
use super::runtime::{self, ModelArgs, SamplingArgs, Weights};
use super::Ctx;
use crate::config::Config;
use crate::context::Excerpt;
use crate::engine::{GenerateParams, Generation, Sink, StopReason};
use crate::error::CliError;

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
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let config = Config::load(&ctx.paths.config_file())?;
    let mut request = prompt::read_request(&args.prompt)?;
    let (sampling, max_tokens) = args.sampling.resolve(&config)?;
    let chosen = runtime::choose_model(
        args.model.model.as_deref(),
        &config,
        &ctx.paths.registry_file(),
    )?;
    let gathering = std::time::Instant::now();
    prompt::gather(ctx, &args.prompt, &config, &mut request);
    let gather_ms = gathering.elapsed().as_secs_f64() * 1000.0;
    let loaded = runtime::load(
        &chosen,
        args.model.gpu_layers.or(config.gpu_layers),
        Weights::All,
        ctx.verbose,
    )?;
    let model = &loaded.model;

    let budget = Budget::new(
        args.model.ctx.or(config.ctx),
        loaded.trained_context,
        max_tokens,
    );
    let assembling = std::time::Instant::now();
    let assembled = prompt::assemble(&request, model, &budget, &config, loaded.trained_context)?;
    if ctx.verbose {
        eprintln!(
            "pai: context gathered in {gather_ms:.1} ms (profile, cell, {} excerpts) and fitted to the window in {:.1} ms",
            request.excerpts.len(),
            assembling.elapsed().as_secs_f64() * 1000.0
        );
    }
    if args.sources {
        print_sources(&assembled.sources);
    }
    let tokens = model.tokenize(
        &model.format_chat(&assembled.messages),
        model.has_chat_template(),
    );
    let n_ctx = (tokens.len() as u32 + max_tokens.max(1)).min(budget.window);
    let threads = runtime::threads(args.model.threads, &config);
    let mut session = model
        .session(n_ctx, threads)
        .map_err(|e| CliError::user(e.to_string()).hint("try a smaller --ctx"))?;

    crate::engine::install_interrupt_handler();
    let params = GenerateParams {
        sampling,
        max_tokens,
        stop: args.sampling.stop.clone(),
        stop_at_end_of_text: true,
    };
    let mut sink = AnswerSink::new(args.raw, args.json);
    let generation = session
        .generate(&tokens, &params, &mut sink)
        .map_err(|e| CliError::internal(e.to_string()))?;
    sink.finish();
    if args.json {
        print_json(
            &sink.answer,
            &chosen.name,
            loaded.load_ms,
            &generation,
            &assembled.sources,
        )?;
    }
    if ctx.verbose {
        eprintln!(
            "pai: {} prompt tokens at {:.1} tok/s, {} generated at {:.1} tok/s, stopped by {:?}",
            generation.prompt_tokens,
            generation.prompt_tps(),
            generation.generated_tokens,
            generation.generation_tps(),
            generation.stop_reason
        );
    }
    match generation.stop_reason {
        StopReason::Interrupted => Err(CliError::interrupted()),
        StopReason::ContextFull => {
            eprintln!("pai: the answer filled the {n_ctx}-token context window and was cut off; raise --ctx for longer answers");
            Ok(())
        }
        _ => Ok(()),
    }
}

fn print_sources(sources: &[Excerpt]) {
    if sources.is_empty() {
        eprintln!("pai: no sources from the index were used");
    }
    for (i, s) in sources.iter().enumerate() {
        let title = if s.title.is_empty() {
            String::new()
        } else {
            format!("  {}", s.title)
        };
        eprintln!(
            "[{}] {}{}",
            i + 1,
            crate::render::sanitize_line(&s.location()),
            crate::render::sanitize_line(&title)
        );
    }
}

/// Writes the answer to stdout as it streams, made safe for a terminal unless --raw.
struct AnswerSink {
    raw: bool,
    quiet: bool,
    answer: String,
    started: bool,
    out: std::io::Stdout,
}

impl AnswerSink {
    fn new(raw: bool, json: bool) -> Self {
        Self {
            raw,
            quiet: json,
            answer: String::new(),
            started: false,
            out: std::io::stdout(),
        }
    }

    /// Ends the answer with a newline, as every line-oriented tool expects.
    fn finish(&mut self) {
        if !self.quiet && !self.answer.is_empty() && !self.answer.ends_with('\n') {
            let _ = self.out.write_all(b"\n").and_then(|_| self.out.flush());
        }
    }
}

impl Sink for AnswerSink {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        // Models often open with a space or a newline; the answer starts at its first word.
        let text = if self.started {
            text
        } else {
            text.trim_start()
        };
        if text.is_empty() {
            return Ok(true);
        }
        self.started = true;
        self.answer.push_str(text);
        if self.quiet {
            return Ok(true);
        }
        let shown = if self.raw {
            text.to_string()
        } else {
            crate::render::sanitize(text)
        };
        let mut out = self.out.lock();
        match out.write_all(shown.as_bytes()).and_then(|_| out.flush()) {
            Ok(()) => Ok(true),
            // `pai ask … | head -1`: the reader has what it wanted.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
            Err(e) => Err(e),
        }
    }
}

fn print_json(
    answer: &str,
    model: &str,
    load_ms: f64,
    g: &Generation,
    sources: &[Excerpt],
) -> Result<(), CliError> {
    let sources: Vec<_> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| json!({"n": i + 1, "path": s.path, "start_line": s.start_line, "end_line": s.end_line, "title": s.title, "score": s.score}))
        .collect();
    let value = json!({
        "answer": answer,
        "model": model,
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
