//! `pai ask`: one question, one streamed answer on stdout. Built for pipelines: stdin and
//! `-f` files are attached to the prompt, stdout carries only the answer, and everything
//! else goes to stderr.
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

use super::runtime::{self, ModelArgs, SamplingArgs};
use super::Ctx;
use crate::config::Config;
use crate::context::{Attachment, Request};
use crate::engine::{GenerateParams, Generation, Sink, StopReason};
use crate::error::CliError;

/// Ask a question and stream the answer to stdout.
///
/// Text on stdin and every -f FILE are attached to the prompt as labelled blocks:
/// `pai ask "reply politely, decline" < email.txt > reply.txt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The question or instruction (several words are joined with spaces).
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,
    /// Attach a text file (repeatable).
    #[arg(short, long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Replace the system prompt.
    #[arg(long, value_name = "TEXT")]
    pub system: Option<String>,
    /// Print one JSON object: answer, model, token counts and timings.
    #[arg(long)]
    pub json: bool,
    /// Pass the model's bytes through, escape sequences included.
    #[arg(long)]
    pub raw: bool,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

/// The largest stdin or file pai attaches; more is almost surely a mistake.
const MAX_ATTACHMENT_BYTES: u64 = 64 << 20;

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let config = Config::load(&ctx.paths.config_file())?;
    let request = read_request(args)?;
    let (sampling, max_tokens) = args.sampling.resolve(&config)?;
    let chosen = runtime::choose_model(
        args.model.model.as_deref(),
        &config,
        &ctx.paths.registry_file(),
    )?;
    let loaded = runtime::load(
        &chosen,
        args.model.gpu_layers.or(config.gpu_layers),
        ctx.verbose,
    )?;
    let model = &loaded.model;

    let prompt_text = model.format_chat(&request.messages());
    let tokens = model.tokenize(&prompt_text, model.has_chat_template());
    let window = context_window(args.model.ctx.or(config.ctx), model.trained_context());
    if tokens.len() >= window as usize {
        return Err(prompt_too_long(
            tokens.len(),
            window,
            model.trained_context(),
        ));
    }
    let n_ctx = (tokens.len() as u32 + max_tokens.max(1)).min(window);
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
        print_json(&sink.answer, &chosen.name, loaded.load_ms, &generation)?;
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

/// The window a request may use: the user's setting, never past what the model was trained on.
fn context_window(setting: Option<u32>, trained: u32) -> u32 {
    let trained = if trained == 0 { 4096 } else { trained };
    setting.map_or(trained, |s| s.clamp(16, trained))
}

fn prompt_too_long(tokens: usize, window: u32, trained: u32) -> CliError {
    let over = tokens + 1 - window as usize;
    let err = CliError::user(format!(
        "the prompt is {tokens} tokens and the context window holds {window}: it is {over} tokens too long"
    ));
    if window < trained {
        err.hint(format!(
            "raise --ctx (this model was trained on up to {trained} tokens), or shorten the input"
        ))
    } else {
        err.hint("shorten the input or attach less; this model's window cannot grow further")
    }
}

fn read_request(args: &Args) -> Result<Request, CliError> {
    let mut request = Request {
        question: args.prompt.join(" "),
        system: args.system.clone(),
        attachments: Vec::new(),
    };
    for path in &args.files {
        request.attachments.push(Attachment {
            label: path.display().to_string(),
            text: read_text_file(path)?,
        });
    }
    let stdin = read_stdin()?;
    match stdin {
        // `echo "what is 2+2?" | pai ask`: stdin is the question itself.
        Some(text) if request.question.trim().is_empty() && request.attachments.is_empty() => {
            request.question = text
        }
        Some(text) => request.attachments.push(Attachment {
            label: "stdin".into(),
            text,
        }),
        None => {}
    }
    if request.question.trim().is_empty() {
        if request.attachments.is_empty() {
            return Err(CliError::user(
                "there is nothing to ask: the prompt is empty and nothing came on stdin",
            )
            .hint("pai ask \"your question\", or pipe text in: pai ask \"summarize\" < file.txt"));
        }
        request.question = "Respond to the attached text.".into();
    }
    Ok(request)
}

/// stdin's text when it is a pipe or file; None when it is a terminal or empty.
fn read_stdin() -> Result<Option<String>, CliError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    stdin
        .lock()
        .take(MAX_ATTACHMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::user(format!("cannot read stdin: {e}")))?;
    let text = decode_text(bytes, "stdin")?;
    Ok(Some(text).filter(|t| !t.trim().is_empty()))
}

fn read_text_file(path: &Path) -> Result<String, CliError> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => CliError::user(format!("{shown} does not exist")),
        _ => CliError::user(format!("cannot read {shown}: {e}")),
    })?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(CliError::user(format!(
            "{shown} is a folder; -f attaches files"
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_ATTACHMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::user(format!("cannot read {shown}: {e}")))?;
    decode_text(bytes, &shown.to_string())
}

/// Text from bytes: NUL bytes mean binary data, which a language model cannot read.
fn decode_text(bytes: Vec<u8>, what: &str) -> Result<String, CliError> {
    if bytes.len() as u64 > MAX_ATTACHMENT_BYTES {
        return Err(CliError::user(format!(
            "{what} is over {} MiB, more than any model's context window can hold",
            MAX_ATTACHMENT_BYTES >> 20
        )));
    }
    if bytes.contains(&0) {
        return Err(CliError::user(format!(
            "{what} looks like binary data ({} bytes with NUL bytes), not text",
            bytes.len()
        ))
        .hint(
            "attach text; for a PDF or an image, convert it to text first (pdftotext, tesseract)",
        ));
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
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

fn print_json(answer: &str, model: &str, load_ms: f64, g: &Generation) -> Result<(), CliError> {
    let value = json!({
        "answer": answer,
        "model": model,
        "prompt_tokens": g.prompt_tokens,
        "generated_tokens": g.generated_tokens,
        "stop_reason": g.stop_reason,
        "timings": {
            "load_ms": round(load_ms),
            "prompt_ms": round(g.prompt_ms),
            "generation_ms": round(g.generation_ms),
            "prompt_tps": round(g.prompt_tps()),
            "generation_tps": round(g.generation_tps()),
        },
    });
    let mut out = std::io::stdout().lock();
    let written = writeln!(out, "{value}").and_then(|_| out.flush());
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
