//! `pai learn`: fine-tunes the local model on the user's own notes and commit history, and
//! registers the result when it predicts held-out writing better (docs/learn.md);
//! `pai learn export` writes the same training set as chat-format JSONL.
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::Ctx;
use crate::cli::error::CliError;
use crate::config::Config;
use crate::learn::budget::{Clock, Observer, Phase};
use crate::learn::{self, Base, Keep, Kind, Prepared, Settings, Sources, State};
use crate::pipeline::choose;

/// Teach the local model how you write: your notes and your commit messages.
///
/// The newest writing (a tenth, at most 1,500 scored tokens) is held out; the result is
/// registered as `MODEL+learned-DATE` only when it predicts that better than the model it
/// started from. Ctrl-C stops between steps; the same command resumes.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub sources: SourceArgs,
    /// Start from this model (a registered name or a .gguf path); default: the last learned
    /// result with --since, else the default model.
    #[arg(long, value_name = "MODEL")]
    pub base: Option<String>,
    /// Stop after this many training steps (one window each).
    #[arg(long, value_name = "N")]
    pub steps: Option<usize>,
    /// Take at most this many minutes in all, from now to the registered result: preparing,
    /// training, its checks, judging the result and choosing the adapter's rank share them.
    #[arg(long, value_name = "M")]
    pub minutes: Option<f64>,
    /// Passes over the training set.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub epochs: usize,
    /// Check the weights on the validation writing every N steps and keep the best (0: only
    /// the end counts).
    #[arg(long, default_value_t = 32, value_name = "N")]
    pub check_every: usize,
    /// What to register: an adapter on the base when it keeps the gain (auto), always an
    /// adapter, or the whole model.
    #[arg(long, value_enum, default_value_t = Keep::Auto)]
    pub keep: Keep,
    /// AdamW's learning rate.
    #[arg(long, default_value_t = 1e-5, value_name = "RATE")]
    pub learning_rate: f32,
    /// Tokens per training window (a multiple of 256).
    #[arg(long, default_value_t = 256, value_name = "TOKENS")]
    pub window: u32,
    /// CPU threads (default: the idle cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<u32>,
    /// Print what would be trained on and the time the whole run should take; train nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Train at normal priority (someone is waiting for it), not at the lowest CPU and I/O
    /// priority.
    #[arg(long)]
    pub foreground: bool,
    /// With --dry-run or after training: JSON on stdout (the report, with each phase's time).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Write the training set as chat-format JSONL, for training elsewhere.
    Export(ExportArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// The JSONL file to write (`-` for stdout).
    pub file: PathBuf,
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// What to learn from.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SourceArgs {
    /// Learn from the indexed notes (prose files under `pai index` sources); the default when
    /// no --from-git is given.
    #[arg(long)]
    pub from_notes: bool,
    /// Learn from a repository's history: each commit's condensed diff and its message.
    #[arg(long, value_name = "REPO")]
    pub from_git: Vec<PathBuf>,
    /// Only what is newer than DATE (YYYY-MM-DD), or, alone, than the last run; starts from
    /// the last learned model.
    #[arg(long, value_name = "DATE", num_args = 0..=1, default_missing_value = "last")]
    pub since: Option<String>,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    // The budget of --minutes counts from here.
    let started = Instant::now();
    if let Some(Command::Export(export)) = &args.command {
        return run_export(ctx, export);
    }
    if args.window == 0 || !args.window.is_multiple_of(256) {
        return Err(CliError::user(format!(
            "--window {} is not a multiple of 256, which llama.cpp's training needs",
            args.window
        )));
    }
    let budget = match args.minutes {
        Some(m) if !(m > 0.0 && m.is_finite()) => {
            return Err(CliError::user(format!(
                "--minutes {m} is not a positive number of minutes"
            )))
        }
        m => m.map(|m| m * 60.0),
    };
    let state = State::load(&ctx.paths.data_dir)?;
    let base = base(ctx, args.base.as_deref(), &args.sources, &state)?;
    let settings = Settings {
        window: args.window,
        learning_rate: args.learning_rate,
        threads: args
            .threads
            .unwrap_or_else(crate::pipeline::default_threads),
        max_steps: args.steps,
        keep: args.keep,
        check_every: args.check_every,
    };
    // Before any model loads, so llama.cpp's worker threads inherit it.
    if !args.foreground {
        learn::priority::lowest();
    }
    let mut progress = Progress::new(
        !args.dry_run,
        budget.map(|b| started + Duration::from_secs_f64(b)),
    );
    let printer = progress.printer();
    let mut clock = Clock::new(started, budget, &mut progress);
    let prepared = prepare(ctx, &base, &args.sources, &state, settings.window)?;
    if args.dry_run {
        let parameters = check_parameters(&base)?;
        let seconds =
            prepared.expected_seconds(&settings, args.epochs, parameters, clock.elapsed(), budget);
        return print_plan(&base, &prepared, &settings, args.epochs, seconds, args.json);
    }
    let cancel = crate::cancel::interrupt_token();
    printer.say(&format!(
        "pai: learning from {} items ({} windows, {} epoch(s)) on {}; Ctrl-C stops and keeps a checkpoint",
        prepared.corpus.train.len(),
        prepared.windows.len(),
        args.epochs.max(1),
        base.name
    ));
    let report = learn::run(
        &ctx.paths,
        &base,
        &prepared,
        &settings,
        args.epochs,
        &cancel,
        &mut clock,
    );
    printer.finish();
    let report = report?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&report).map_err(|e| CliError::internal(e.to_string()))?
        );
    } else {
        println!("{}", report.model.as_deref().unwrap_or_default());
    }
    tell(&report, budget);
    Ok(())
}

/// What the run did, on stderr.
fn tell(report: &learn::Report, budget: Option<f64>) {
    let (low, high) = report.interval_before;
    let (lower, upper) = report.change_interval;
    eprintln!(
        "pai: held-out perplexity {:.2} before, {:.2} after ({} step{} in {:.0} s); registered {} ({})",
        report.perplexity_before,
        report.perplexity_after,
        report.steps,
        if report.steps == 1 { "" } else { "s" },
        report.train_seconds,
        report.model.as_deref().unwrap_or_default(),
        what_was_kept(report)
    );
    if low.is_finite() && lower.is_finite() {
        eprintln!(
            "pai: over {} held-out items ({} tokens scored) the base's figure is within {low:.2} to {high:.2} and the learned one's share of it within {lower:.2} to {upper:.2} (95%)",
            report.held_out_items, report.held_out_tokens
        );
        if upper >= 1.0 {
            eprintln!(
                "pai: that share reaches 1.00, so this sample cannot tell the result from the base: learn longer (more --minutes) before relying on it"
            );
        }
    }
    if let Some(step) = report.kept_step {
        eprintln!(
            "pai: the weights after step {step} were kept: they did best on the validation writing"
        );
    }
    let phases: Vec<String> = report
        .phases
        .iter()
        .map(|p| format!("{} {:.0} s", p.phase.label(), p.seconds))
        .collect();
    let of = budget.map_or(String::new(), |b| format!(" of the {:.0} s given", b));
    eprintln!(
        "pai: {:.0} s in all{of}: {}",
        report.seconds,
        phases.join(", ")
    );
    if report.out_of_time {
        eprintln!("pai: training stopped when its share of --minutes ran out");
    }
    if report.ranks_cut {
        eprintln!(
            "pai: --minutes cut the search for the adapter's rank short; the best found is kept"
        );
    }
}

/// Says whether an adapter or the whole model was kept, with the figures that decided it.
fn what_was_kept(report: &learn::Report) -> String {
    match report.rank {
        Some(rank) => format!(
            "a rank-{rank} adapter on {}; the whole model reached {:.2}",
            report.base, report.perplexity_full
        ),
        None if report.ranks.is_empty() => "the whole model".into(),
        None => {
            let tried: Vec<String> = report
                .ranks
                .iter()
                .map(|r| format!("rank {} {:.2}", r.rank, r.perplexity))
                .collect();
            format!(
                "the whole model: no adapter kept {:.0}% of its gain ({})",
                learn::KEEP_GAIN * 100.0,
                tried.join(", ")
            )
        }
    }
}

/// The model to start from: --base, else with --since the last learned one, else the default.
fn base(
    ctx: &Ctx,
    flag: Option<&str>,
    sources: &SourceArgs,
    state: &State,
) -> Result<Base, CliError> {
    let config = Config::load(&ctx.paths.config_file())?;
    let last = sources.since.as_ref().and(state.last_model.as_deref());
    let chosen = choose::choose_model(flag.or(last), &config, &ctx.paths.registry_file())?;
    Ok(Base {
        name: chosen.name,
        path: chosen.path,
        lora: chosen.lora,
    })
}

fn check_parameters(base: &Base) -> Result<u64, CliError> {
    Ok(crate::models::registry::check_file(&base.path)?.parameters)
}

fn prepare(
    ctx: &Ctx,
    base: &Base,
    args: &SourceArgs,
    state: &State,
    window: u32,
) -> Result<Prepared, CliError> {
    let sources = sources(ctx, args, state)?;
    let chosen = choose::ChosenModel {
        name: base.name.clone(),
        path: base.path.clone(),
        lora: base.lora.clone(),
    };
    let loaded = choose::load(&chosen, None, choose::Weights::VocabOnly, ctx.verbose)?;
    Ok(learn::prepare(&loaded.model, &sources, window)?)
}

fn sources(ctx: &Ctx, args: &SourceArgs, state: &State) -> Result<Sources, CliError> {
    let notes = if args.from_notes || args.from_git.is_empty() {
        let manifest = crate::index::store::Manifest::load(&ctx.paths.index_dir())?;
        if manifest.sources.is_empty() {
            return Err(CliError::user(
                "no folders are indexed, so there are no notes to learn from",
            )
            .hint("add your notes with `pai index add FOLDER`, or pass --from-git REPO"));
        }
        manifest.sources
    } else {
        Vec::new()
    };
    let since = match args.since.as_deref() {
        None => None,
        Some("last") => state.last_item_time,
        Some(date) => Some(parse_date(date)?),
    };
    Ok(Sources {
        notes,
        repos: args.from_git.clone(),
        since,
    })
}

/// `YYYY-MM-DD` as Unix seconds at local midnight.
fn parse_date(date: &str) -> Result<i64, CliError> {
    use chrono::TimeZone;
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
        CliError::user(format!("--since {date} is not a date"))
            .hint("write it as YYYY-MM-DD, or give --since alone for everything since the last run")
    })?;
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    Ok(chrono::Local
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc().timestamp(), |t| t.timestamp()))
}

fn print_plan(
    base: &Base,
    prepared: &Prepared,
    settings: &Settings,
    epochs: usize,
    seconds: f64,
    json: bool,
) -> Result<(), CliError> {
    let corpus = &prepared.corpus;
    let mut out = std::io::stdout().lock();
    if json {
        let item = |i: &learn::Item, held_out: bool, validation: bool| serde_json::json!({"kind": i.kind, "source": i.source, "time": i.time, "held_out": held_out, "validation": validation});
        let items: Vec<_> = corpus
            .train
            .iter()
            .map(|i| item(i, false, false))
            .chain(corpus.validation.iter().map(|i| item(i, false, true)))
            .chain(corpus.held_out.iter().map(|i| item(i, true, false)))
            .collect();
        let plan = serde_json::json!({
            "base": base.name,
            "items": items,
            "train_tokens": prepared.train_tokens(),
            "held_out_tokens": prepared.held_out_tokens(),
            "windows": prepared.windows.len(),
            "window": settings.window,
            "epochs": epochs,
            "expected_seconds": seconds.round(),
        });
        writeln!(out, "{plan}")?;
        return Ok(());
    }
    let lists = [
        (&corpus.train, "train"),
        (&corpus.validation, "checks"),
        (&corpus.held_out, "held out"),
    ];
    for (items, label) in lists {
        for i in items.iter() {
            let kind = if i.kind == Kind::Commit {
                "commit"
            } else {
                "note"
            };
            writeln!(
                out,
                "{label:8}  {kind:6}  {}",
                crate::render::sanitize_line(&i.source)
            )?;
        }
    }
    writeln!(
        out,
        "{} items to train on ({} tokens, {} windows of {}), {} to check training against, {} held out ({} tokens scored)",
        corpus.train.len(),
        prepared.train_tokens(),
        prepared.windows.len(),
        settings.window,
        corpus.validation.len(),
        corpus.held_out.len(),
        prepared.held_out_tokens()
    )?;
    writeln!(
        out,
        "expected time: about {} in all, training on {} threads ({epochs} epoch{}), starting from {}",
        human_duration(seconds),
        settings.threads,
        if epochs == 1 { "" } else { "s" },
        crate::render::sanitize_line(&base.name)
    )?;
    Ok(())
}

fn human_duration(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{seconds:.0} s")
    } else if seconds < 5400.0 {
        format!("{:.0} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

/// One JSON object per line: commits as chat messages, notes as `{"text": …}`; the held-out
/// tenth is left out, as in training.
fn run_export(ctx: &Ctx, args: &ExportArgs) -> Result<(), CliError> {
    let state = State::load(&ctx.paths.data_dir)?;
    // The default model's tokens decide the held-out set, as a run's would.
    let base = base(ctx, None, &args.sources, &state)?;
    let corpus = prepare(ctx, &base, &args.sources, &state, 256)?.corpus;
    let mut lines = String::new();
    // Everything but the held-out tenth: training elsewhere makes its own checks.
    for item in corpus.train.iter().chain(&corpus.validation) {
        let record = match item.kind {
            Kind::Commit => {
                let mut messages: Vec<_> = item
                    .prompt
                    .iter()
                    .map(|m| serde_json::json!({"role": m.role.as_str(), "content": m.content}))
                    .collect();
                messages.push(serde_json::json!({"role": "assistant", "content": item.text}));
                serde_json::json!({ "messages": messages })
            }
            Kind::Note => serde_json::json!({ "text": item.text }),
        };
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    if args.file.as_os_str() == "-" {
        std::io::stdout().lock().write_all(lines.as_bytes())?;
    } else {
        std::fs::write(&args.file, lines)?;
    }
    eprintln!(
        "pai: wrote {} records ({} held out and not written)",
        corpus.train.len() + corpus.validation.len(),
        corpus.held_out.len()
    );
    Ok(())
}

/// A progress bar on a terminal with the phase and the time left; on a log, a line per
/// phase and a step line now and then.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    /// False for --dry-run, which trains nothing.
    shown: bool,
    deadline: Option<Instant>,
    /// When a step line last went to the log.
    logged: Option<Instant>,
}

/// Seconds between step lines on a log.
const LOG_EVERY: f64 = 60.0;

impl Progress {
    fn new(shown: bool, deadline: Option<Instant>) -> Self {
        use std::io::IsTerminal;
        let bar = (shown && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(style(deadline));
            bar.enable_steady_tick(Duration::from_millis(500));
            bar
        });
        Self {
            bar,
            shown,
            deadline,
            logged: None,
        }
    }

    fn printer(&self) -> Printer {
        Printer(self.bar.clone())
    }
}

/// `{prefix}` is the phase; with a deadline, `{left}` counts down to it.
fn style(deadline: Option<Instant>) -> indicatif::ProgressStyle {
    let template = if deadline.is_some() {
        "{prefix:>10} {bar:30} {pos}/{len} steps  loss {msg}  {left} left"
    } else {
        "{prefix:>10} {bar:30} {pos}/{len} steps  loss {msg}  {eta} left"
    };
    let left = move |_: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
        let seconds = deadline.map_or(0, |d| d.saturating_duration_since(Instant::now()).as_secs());
        let _ = write!(out, "{}:{:02}", seconds / 60, seconds % 60);
    };
    indicatif::ProgressStyle::with_template(template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .with_key("left", left)
}

impl Observer for Progress {
    fn phase(&mut self, phase: Phase, left: Option<f64>) {
        if !self.shown {
            return;
        }
        match &self.bar {
            Some(bar) => bar.set_prefix(phase.label()),
            None => match left {
                Some(left) => eprintln!("pai: {} ({left:.0} s left)", phase.label()),
                None => eprintln!("pai: {}", phase.label()),
            },
        }
    }

    fn step(&mut self, done: usize, total: usize, loss: f64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(format!("{loss:.3}"));
            return;
        }
        // A log (the nightly job's journal) gets the first step, then one a minute.
        if self
            .logged
            .is_some_and(|t| t.elapsed().as_secs_f64() < LOG_EVERY)
        {
            return;
        }
        self.logged = Some(Instant::now());
        let left = self.deadline.map_or(String::new(), |d| {
            format!(
                ", {} s left",
                d.saturating_duration_since(Instant::now()).as_secs()
            )
        });
        eprintln!("pai: step {done}/{total}, loss {loss:.3}{left}");
    }
}

impl Drop for Progress {
    /// A run that fails leaves no bar behind its error.
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Lines above the bar, and the bar's end.
struct Printer(Option<indicatif::ProgressBar>);

impl Printer {
    fn say(&self, line: &str) {
        match &self.0 {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
