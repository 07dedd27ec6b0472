//! One request, one generation: what `ask`, `commit`, `hook`, `edit`, `explain`, `complete` and
//! `shell` share. Each front end builds a `context::Request` (or, for plain continuation, the
//! tokens themselves) and a `Sink`; this module chooses and loads the model, fits the prompt to
//! the window, sizes the context and runs the engine.
use std::io::Write;

use super::prompt::{self, Budget, PromptArgs};
use super::runtime::{self, ChosenModel, Loaded, ModelArgs, SamplingArgs, Weights};
use super::Ctx;
use crate::config::Config;
use crate::context::{Excerpt, Request};
use crate::engine::{GenerateParams, Generation, Sampling, Sink, StopReason};
use crate::error::CliError;

/// How one front end wants its generation run.
pub struct Options<'a> {
    pub model: &'a ModelArgs,
    pub sampling: &'a SamplingArgs,
    /// The profile, the context cell and excerpts from the index are gathered for these prompt
    /// flags unless they say --no-context; `None` never gathers.
    pub context: Option<&'a PromptArgs>,
    /// The most tokens when -n is not given; the front end's own default wins over config.toml.
    pub default_max_tokens: Option<u32>,
    /// The temperature when --temp is not given; `None` takes config.toml's.
    pub default_temp: Option<f32>,
    /// List the sources on stderr before the answer streams.
    pub show_sources: bool,
}

/// A model chosen and loaded, with the settings resolved: the first half of a generation.
pub struct Prepared {
    pub config: Config,
    pub chosen: ChosenModel,
    pub loaded: Loaded,
    pub sampling: Sampling,
    pub max_tokens: u32,
    pub threads: u32,
    pub ctx_setting: Option<u32>,
    pub stop: Vec<String>,
}

/// What a finished generation reports.
pub struct Outcome {
    pub model_name: String,
    pub load_ms: f64,
    pub generation: Generation,
    pub sources: Vec<Excerpt>,
    pub n_ctx: u32,
}

/// Resolves the settings, chooses the model and loads it. `request`, when given, is completed
/// with what pai knows (profile, cell, excerpts) between choosing and loading, so that a missing
/// model is reported before the index is searched.
pub fn prepare(
    ctx: &Ctx,
    options: &Options,
    request: Option<&mut Request>,
) -> Result<Prepared, CliError> {
    let config = Config::load(&ctx.paths.config_file())?;
    let (mut sampling, mut max_tokens) = options.sampling.resolve(&config)?;
    if options.sampling.max_tokens.is_none() {
        max_tokens = options.default_max_tokens.unwrap_or(max_tokens);
    }
    if let (None, Some(temp)) = (options.sampling.temp, options.default_temp) {
        sampling.temp = temp;
    }
    let chosen = runtime::choose_model(
        options.model.model.as_deref(),
        &config,
        &ctx.paths.registry_file(),
    )?;
    if let (Some(args), Some(request)) = (options.context, request) {
        let started = std::time::Instant::now();
        prompt::gather(ctx, args, &config, request);
        if ctx.verbose {
            eprintln!(
                "pai: context gathered in {:.1} ms (profile, cell, {} excerpts)",
                started.elapsed().as_secs_f64() * 1000.0,
                request.excerpts.len()
            );
        }
    }
    let loaded = runtime::load(
        &chosen,
        options.model.gpu_layers.or(config.gpu_layers),
        Weights::All,
        ctx.verbose,
    )?;
    let threads = runtime::threads(options.model.threads, &config);
    let ctx_setting = options.model.ctx.or(config.ctx);
    Ok(Prepared {
        config,
        chosen,
        loaded,
        sampling,
        max_tokens,
        threads,
        ctx_setting,
        stop: options.sampling.stop.clone(),
    })
}

/// Runs `request` through the whole pipeline into `sink`.
pub fn generate(
    ctx: &Ctx,
    options: &Options,
    mut request: Request,
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
    let prepared = prepare(ctx, options, Some(&mut request))?;
    let model = &prepared.loaded.model;
    let budget = Budget::new(
        prepared.ctx_setting,
        prepared.loaded.trained_context,
        prepared.max_tokens,
    );
    let started = std::time::Instant::now();
    let assembled = prompt::assemble(
        &request,
        model,
        &budget,
        &prepared.config,
        prepared.loaded.trained_context,
    )?;
    if ctx.verbose {
        eprintln!(
            "pai: context fitted to the window in {:.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    if options.show_sources {
        print_sources(&assembled.sources);
    }
    let tokens = model.tokenize(
        &model.format_chat(&assembled.messages),
        model.has_chat_template(),
    );
    let mut outcome = run_tokens(ctx, &prepared, &tokens, budget.window, sink)?;
    outcome.sources = assembled.sources;
    Ok(outcome)
}

/// Generates from prompt tokens the front end made itself (plain continuation, fill-in-the-middle).
pub fn run_tokens(
    ctx: &Ctx,
    prepared: &Prepared,
    tokens: &[llama_cpp_2::token::LlamaToken],
    window: u32,
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
    let n_ctx = (tokens.len() as u32 + prepared.max_tokens.max(1)).min(window);
    if tokens.len() as u32 >= n_ctx {
        return Err(CliError::user(format!(
            "the prompt is {} tokens, more than the {window}-token context window leaves room for",
            tokens.len()
        ))
        .hint("raise --ctx, or send less text"));
    }
    let mut session = prepared
        .loaded
        .model
        .session(n_ctx, prepared.threads)
        .map_err(|e| CliError::user(e.to_string()).hint("try a smaller --ctx"))?;
    crate::engine::install_interrupt_handler();
    let params = GenerateParams {
        sampling: prepared.sampling.clone(),
        max_tokens: prepared.max_tokens,
        stop: prepared.stop.clone(),
        stop_at_end_of_text: true,
    };
    let generation = session
        .generate(tokens, &params, sink)
        .map_err(|e| CliError::internal(e.to_string()))?;
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
    Ok(Outcome {
        model_name: prepared.chosen.name.clone(),
        load_ms: prepared.loaded.load_ms,
        generation,
        sources: Vec::new(),
        n_ctx,
    })
}

/// Ctrl-C is an error for every front end; a full window is a note.
pub fn check_stop(outcome: &Outcome) -> Result<(), CliError> {
    match outcome.generation.stop_reason {
        StopReason::Interrupted => Err(CliError::interrupted()),
        StopReason::ContextFull => {
            eprintln!(
                "pai: the answer filled the {}-token context window and was cut off; raise --ctx for longer answers",
                outcome.n_ctx
            );
            Ok(())
        }
        _ => Ok(()),
    }
}

pub fn print_sources(sources: &[Excerpt]) {
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
pub struct AnswerSink {
    raw: bool,
    quiet: bool,
    pub answer: String,
    started: bool,
    continuation: bool,
    out: std::io::Stdout,
}

impl AnswerSink {
    pub fn new(raw: bool, json: bool) -> Self {
        Self {
            raw,
            quiet: json,
            answer: String::new(),
            started: false,
            continuation: false,
            out: std::io::stdout(),
        }
    }

    /// For continuations, whose first space and last line are the model's to decide.
    pub fn continuation() -> Self {
        Self {
            started: true,
            continuation: true,
            ..Self::new(false, false)
        }
    }

    /// Ends the answer with a newline, as every line-oriented tool expects.
    pub fn finish(&mut self) {
        if !self.quiet
            && !self.continuation
            && !self.answer.is_empty()
            && !self.answer.ends_with('\n')
        {
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

/// Collects the whole answer, for front ends that clean it before printing.
#[derive(Default)]
pub struct Collect {
    pub text: String,
}

impl Sink for Collect {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        self.text.push_str(text);
        Ok(true)
    }
}
