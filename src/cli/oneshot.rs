//! One request, one generation: what `ask`, `commit`, `hook`, `edit`, `explain`, `complete` and
//! `shell` share. The pipeline does the work ([`crate::pipeline::answer`]); this file is the
//! command line's side of it: flags in, the pipeline's notes out on stderr, the answer on
//! stdout.
use std::io::Write;

use super::prompt::PromptArgs;
use super::runtime::{ModelArgs, SamplingArgs};
use super::Ctx;
use crate::cli::error::CliError;
use crate::pipeline::report::Report;
use crate::pipeline::request::{Ask, Env, Gather};
use crate::pipeline::settings::FrontDefaults;
use crate::pipeline::{answer, oneshot};
use crate::pipeline::{Excerpt, Grammar, Request, Sink, StopReason};

pub use crate::pipeline::request::{Outcome, Prepared};

/// How one front end wants its generation run, in the command line's terms.
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
    pub grammar: Option<Grammar>,
    /// The role the request runs under: its sampling and adapters join the settings under the
    /// flags (`model` already holds its choice of what answers).
    pub role: Option<&'a crate::roles::Role>,
    /// Whether this front end's answers copy their input, so drafting from it pays
    /// (`--speculate` / `--no-speculate` decide over it).
    pub speculate: bool,
}

impl<'a> Options<'a> {
    /// What `pai ask` runs for these flags, which `context` and `route` show without
    /// generating: the prompt flags gather, no front-end defaults.
    pub fn as_ask(
        model: &'a ModelArgs,
        sampling: &'a SamplingArgs,
        prompt: &'a PromptArgs,
        role: Option<&'a crate::roles::Role>,
    ) -> Self {
        Self {
            front: "ask",
            model,
            sampling,
            context: Some(prompt),
            default_max_tokens: None,
            default_temp: None,
            show_sources: false,
            grammar: None,
            role,
            speculate: false,
        }
    }

    /// The request as the pipeline takes it.
    pub fn ask(&self) -> Ask<'_> {
        Ask {
            front: self.front,
            overrides: self.sampling.overrides(self.model).with_role(self.role),
            tier: self.model.tier,
            gather: self.context.and_then(gather_of),
            defaults: FrontDefaults {
                max_tokens: self.default_max_tokens,
                temp: self.default_temp,
                speculate: self.speculate,
            },
            show_sources: self.show_sources,
            grammar: self.grammar.clone(),
            role: self.role,
        }
    }
}

/// What the prompt flags ask to gather; nothing with --no-context.
pub fn gather_of(args: &PromptArgs) -> Option<Gather> {
    (!args.no_context).then(|| Gather {
        excerpts: args.excerpts,
        scope: args.scope.clone(),
    })
}

/// The pipeline's notes, on stderr as `pai: sentence`.
pub struct Stderr {
    pub verbose: bool,
}

impl Report for Stderr {
    fn note(&self, text: &str) {
        eprintln!("pai: {}", crate::render::sanitize_line(text));
    }

    fn verbose(&self) -> bool {
        self.verbose
    }

    fn sources(&self, sources: &[Excerpt]) {
        print_sources(sources);
    }
}

/// Runs `f` with the pipeline's environment for this command line: its folders, and stderr
/// for notes.
pub fn with_env<T>(
    ctx: &Ctx,
    f: impl FnOnce(&Env) -> crate::error::Result<T>,
) -> Result<T, CliError> {
    let report = Stderr {
        verbose: ctx.verbose,
    };
    // One command line, one request: the encoder is loaded for it, not kept.
    let encoder = crate::index::Encoder::default();
    let env = Env {
        paths: &ctx.paths,
        report: &report,
        encoder: &encoder,
    };
    f(&env).map_err(CliError::from)
}

/// Resolves the settings, chooses the model and loads it ([`answer::prepare`]).
pub fn prepare(
    ctx: &Ctx,
    options: &Options,
    request: Option<&mut Request>,
) -> Result<Prepared, CliError> {
    with_env(ctx, |env| answer::prepare(env, &options.ask(), request))
}

/// Runs `request` through the whole pipeline into `sink` ([`answer::generate`]).
pub fn generate(
    ctx: &Ctx,
    options: &Options,
    request: Request,
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
    with_env(ctx, |env| {
        oneshot::generate(env, &options.ask(), request, sink)
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
    pub fn finish(&mut self) -> Result<(), CliError> {
        if self.quiet || self.continuation || self.answer.is_empty() || self.answer.ends_with('\n')
        {
            return Ok(());
        }
        match self.out.write_all(b"\n").and_then(|_| self.out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(crate::pipeline::output_error(e).into())
            }
            _ => Ok(()),
        }
    }
}

impl Sink for AnswerSink {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        let text = if self.started {
            text
        } else {
            crate::pipeline::answer_piece("", text)
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
