//! One request, one generation: what `ask`, `commit`, `hook`, `edit`, `explain`, `complete` and
//! `shell` share. The pipeline does the work (settings, model, context, fitting, engine); this
//! file is the command line's side of it: flags in, notes and cuts out on stderr.
use std::io::Write;

use super::prompt::PromptArgs;
use super::runtime::{ModelArgs, SamplingArgs};
use super::Ctx;
use crate::cancel::CancelToken;
use crate::config::Config;
use crate::context::{Excerpt, Request};
use crate::engine::local::{EngineSettings, LocalEngine};
use crate::engine::{Engine, Generation, Sink, StopReason};
use crate::error::CliError;
use crate::pipeline::settings::FrontDefaults;
use crate::pipeline::{self, choose, gather, Budget, ChosenModel, Loaded, Settings, Weights};
use crate::router::outbound::{AuditTo, CallLabel, Outbound};

/// How one front end wants its generation run.
pub struct Options<'a> {
    /// The front end's name, for the router's rules and the audit log.
    pub front: &'static str,
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
    /// A GBNF grammar the answer must follow (`ask --grammar` / `--json-schema`).
    pub grammar: Option<crate::engine::grammar::Grammar>,
    /// The role the request runs under: its sampling and adapters join the settings under the
    /// flags (`model` already holds its choice of what answers).
    pub role: Option<&'a crate::roles::Role>,
}

/// A model chosen and loaded, with the settings resolved: the first half of a generation.
pub struct Prepared {
    pub config: Config,
    pub chosen: ChosenModel,
    pub loaded: Loaded,
    pub settings: Settings,
}

impl Prepared {
    /// The resolved parts with the model now loaded.
    pub fn from_parts(parts: &super::tiered::Parts, loaded: Loaded) -> Self {
        Self {
            config: parts.config.clone(),
            chosen: parts.chosen.clone(),
            loaded,
            settings: parts.settings.clone(),
        }
    }

    /// The budget for this request's window.
    pub fn budget(&self) -> Budget {
        Budget::new(
            self.settings.ctx,
            self.loaded.trained_context,
            self.settings.max_tokens,
            false,
        )
    }

    /// An engine over the loaded model, sized per request.
    pub fn engine(&self) -> LocalEngine<'_> {
        let settings = EngineSettings {
            window: self.budget().window,
            threads: self.settings.threads,
            keep_context: false,
        };
        LocalEngine::new(&self.loaded.model, self.chosen.name.clone(), settings)
    }
}

/// What a finished generation reports.
pub struct Outcome {
    pub model_name: String,
    pub load_ms: f64,
    pub generation: Generation,
    pub sources: Vec<Excerpt>,
    pub n_ctx: u32,
    /// Which tier answered and why, when the router decided.
    pub route: Option<super::tiered::Route>,
}

/// Resolves the settings, chooses the model and loads it. `request`, when given, is completed
/// with what pai knows (profile, cell, excerpts) between choosing and loading, so that a missing
/// model is reported before the index is searched.
pub fn prepare(
    ctx: &Ctx,
    options: &Options,
    request: Option<&mut Request>,
) -> Result<Prepared, CliError> {
    let (config, mut settings) = resolve(ctx, options)?;
    let chosen = choose::choose_model(
        options.model.model.as_deref(),
        &config,
        &ctx.paths.registry_file(),
    )?;
    settings.adapters = choose::adapters(&settings.lora, &chosen, &ctx.paths.registry_file())?;
    if let (Some(args), Some(request)) = (options.context, request) {
        gather_into(ctx, args, &config, request);
    }
    let loaded = choose::load(&chosen, settings.gpu_layers, Weights::All, ctx.verbose)?;
    Ok(Prepared {
        config,
        chosen,
        loaded,
        settings,
    })
}

/// config.toml and the settings for this front end's flags and defaults.
pub(crate) fn resolve(ctx: &Ctx, options: &Options) -> Result<(Config, Settings), CliError> {
    let config = Config::load(&ctx.paths.config_file())?;
    let defaults = FrontDefaults {
        max_tokens: options.default_max_tokens,
        temp: options.default_temp,
    };
    let mut overrides = options
        .sampling
        .overrides(options.model)
        .with_role(options.role);
    overrides.grammar = options.grammar.clone();
    let settings = Settings::resolve(&overrides, defaults, &config)?;
    Ok((config, settings))
}

/// Gathers profile, cell and excerpts unless --no-context, saying on stderr what went wrong.
pub fn gather_into(ctx: &Ctx, args: &PromptArgs, config: &Config, request: &mut Request) {
    if args.no_context {
        return;
    }
    let started = std::time::Instant::now();
    for note in gather::gather(&ctx.paths, config, request, args.excerpts, &args.scope) {
        eprintln!("pai: {}", crate::render::sanitize_line(&note));
    }
    if ctx.verbose {
        eprintln!(
            "pai: context gathered in {:.1} ms (profile, cell, {} memories, {} excerpts)",
            started.elapsed().as_secs_f64() * 1000.0,
            request.memories.len(),
            request.excerpts.len()
        );
    }
}

/// Fits the request to the window, saying on stderr what had to go.
pub fn fit(
    request: &Request,
    count: &dyn crate::engine::TokenCount,
    budget: &Budget,
    config: &Config,
) -> Result<crate::context::Assembled, CliError> {
    let assembled = pipeline::fit(request, count, budget, &config.context)?;
    for cut in &assembled.cuts {
        eprintln!(
            "pai: to fit the {}-token context window, {}",
            budget.window,
            crate::render::sanitize_line(cut)
        );
    }
    Ok(assembled)
}

/// Runs `request` through the whole pipeline into `sink`: settings, model, context, the
/// router's plan, then the tier it picks.
pub fn generate(
    ctx: &Ctx,
    options: &Options,
    mut request: Request,
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
    if let Some(name) = options.model.endpoint.as_deref() {
        if options.grammar.is_some() {
            return Err(CliError::user(format!(
                "structured output (--json-schema, --grammar) runs on the local model, not on endpoint '{name}'"
            ))
            .hint("leave out --endpoint"));
        }
        if !options.model.lora.is_empty() {
            return Err(CliError::user(format!(
                "LoRA adapters (--lora) apply to the local model, not to endpoint '{name}'"
            ))
            .hint("leave out --endpoint"));
        }
        return generate_remote(ctx, options, name, request, sink);
    }
    let (config, mut settings) = resolve(ctx, options)?;
    let chosen = choose::choose_model(
        options.model.model.as_deref(),
        &config,
        &ctx.paths.registry_file(),
    )?;
    settings.adapters = choose::adapters(&settings.lora, &chosen, &ctx.paths.registry_file())?;
    if let Some(args) = options.context {
        gather_into(ctx, args, &config, &mut request);
    }
    let plan = super::tiered::plan(ctx, options, &config, &request)?;
    let parts = super::tiered::Parts {
        config,
        settings,
        chosen,
    };
    super::tiered::run(ctx, options, plan, &parts, request, sink)
}

/// The loaded local model answers `request`.
pub fn generate_local(
    ctx: &Ctx,
    options: &Options,
    prepared: &Prepared,
    engine: &mut LocalEngine,
    request: &Request,
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
    let model = &prepared.loaded.model;
    let (assembled, generation) = fit_and_generate(
        ctx,
        options,
        engine,
        request,
        (&prepared.budget(), &prepared.config, &prepared.settings),
        sink,
        |assembled| {
            if ctx.verbose {
                let tokens = model.chat_tokens(&assembled.messages);
                eprintln!(
                    "pai: the prompt is {} tokens, {} of them control tokens (the template's markup)",
                    tokens.len(),
                    model.control_tokens(&tokens)
                );
            }
        },
    )?;
    let mut outcome = outcome(ctx, prepared, engine.n_ctx(), generation);
    outcome.sources = assembled.sources;
    Ok(outcome)
}

/// What every generation from a request shares, local or remote: fit the request to the
/// budget, show the sources when asked, let `before` look at the prompt, then generate with
/// Ctrl-C cancelling.
fn fit_and_generate(
    ctx: &Ctx,
    options: &Options,
    engine: &mut dyn Engine,
    request: &Request,
    (budget, config, settings): (&Budget, &Config, &Settings),
    sink: &mut dyn Sink,
    before: impl FnOnce(&crate::context::Assembled),
) -> Result<(crate::context::Assembled, Generation), CliError> {
    let started = std::time::Instant::now();
    let assembled = fit(request, &*engine, budget, config)?;
    if ctx.verbose {
        eprintln!(
            "pai: context fitted to the window in {:.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    if options.show_sources {
        print_sources(&assembled.sources);
    }
    before(&assembled);
    let cancel = crate::cancel::interrupt_token();
    let mut params = settings.params();
    // A model loaded once for many requests (the commit evaluation) takes each one's grammar.
    if options.grammar.is_some() {
        params.grammar.clone_from(&options.grammar);
    }
    let generation = engine
        .generate(&assembled.messages, &params, &cancel, sink)
        .map_err(pipeline::engine_error)?;
    Ok((assembled, generation))
}

/// The settings and the engine of a named endpoint: `prepare` for `--endpoint NAME`. The
/// engine is the outbound guard: secrets out, audit row in.
pub fn prepare_remote(
    ctx: &Ctx,
    options: &Options,
    name: &str,
) -> Result<(Config, Settings, Outbound), CliError> {
    let (config, settings) = resolve(ctx, options)?;
    let endpoint = choose::endpoint_config(name, &config)?;
    let remote = choose::remote_engine(name, endpoint)?;
    let label = CallLabel::new(
        options.front,
        Outbound::tier_of(name, &config),
        &format!("--endpoint {name}"),
    );
    let audit = AuditTo::new(ctx.paths.database_file(), &config, options.front);
    let engine = Outbound::new(remote, endpoint, &audit, label);
    Ok((config, settings, engine))
}

/// [`generate`] on a named endpoint: the same context and fitting, counted by estimate
/// against the window the server declares (or config.toml's `window`).
fn generate_remote(
    ctx: &Ctx,
    options: &Options,
    name: &str,
    mut request: Request,
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
    let (config, settings, mut engine) = prepare_remote(ctx, options, name)?;
    if let Some(args) = options.context {
        gather_into(ctx, args, &config, &mut request);
    }
    let budget = Budget::new(settings.ctx, engine.window(), settings.max_tokens, false);
    let url = crate::render::sanitize_line(engine.remote().url());
    let (assembled, generation) = fit_and_generate(
        ctx,
        options,
        &mut engine,
        &request,
        (&budget, &config, &settings),
        sink,
        |assembled| {
            // What leaves the machine is said, never silent.
            if !assembled.sources.is_empty() || assembled.kept.profile.is_some() {
                eprintln!(
                    "pai: sending your profile and {} excerpts from your notes to endpoint '{name}' ({url}), secrets taken out",
                    assembled.sources.len()
                );
            }
        },
    )?;
    if ctx.verbose {
        eprintln!(
            "pai: endpoint '{name}': {} prompt tokens, {} generated in {:.0} ms after {:.0} ms, stopped by {:?}",
            generation.prompt_tokens,
            generation.generated_tokens,
            generation.generation_ms,
            generation.prompt_ms,
            generation.stop_reason
        );
    }
    Ok(Outcome {
        model_name: format!("{name} ({})", engine.remote().model()),
        load_ms: 0.0,
        generation,
        sources: assembled.sources,
        n_ctx: budget.window,
        route: None,
    })
}

/// Generates from prompt tokens the front end made itself (plain continuation, fill-in-the-middle).
pub fn run_tokens(
    ctx: &Ctx,
    prepared: &Prepared,
    tokens: &[llama_cpp_2::token::LlamaToken],
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
    let mut engine = prepared.engine();
    let cancel: CancelToken = crate::cancel::interrupt_token();
    let generation = engine
        .generate_tokens(tokens, &prepared.settings.params(), &cancel, sink)
        .map_err(pipeline::engine_error)?;
    Ok(outcome(ctx, prepared, engine.n_ctx(), generation))
}

fn outcome(ctx: &Ctx, prepared: &Prepared, n_ctx: u32, g: Generation) -> Outcome {
    if ctx.verbose {
        eprintln!(
            "pai: {} prompt tokens at {:.1} tok/s, {} generated at {:.1} tok/s, stopped by {:?}",
            g.prompt_tokens,
            g.prompt_tps(),
            g.generated_tokens,
            g.generation_tps(),
            g.stop_reason
        );
    }
    Outcome {
        model_name: prepared.chosen.name.clone(),
        load_ms: prepared.loaded.load_ms,
        generation: g,
        sources: Vec::new(),
        n_ctx,
        route: None,
    }
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
    pub fn finish(&mut self) -> Result<(), CliError> {
        if self.quiet || self.continuation || self.answer.is_empty() || self.answer.ends_with('\n')
        {
            return Ok(());
        }
        match self.out.write_all(b"\n").and_then(|_| self.out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(pipeline::engine_error(
                crate::engine::EngineError::Output(e),
            )),
            _ => Ok(()),
        }
    }
}

impl Sink for AnswerSink {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        let text = if self.started {
            text
        } else {
            crate::engine::text::answer_piece("", text)
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
