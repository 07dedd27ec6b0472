//! `pai learn`: fine-tuning the local model on the user's own writing (docs/learn.md).
//!
//! `corpus` gathers the writing and holds the newest out; `dataset` turns it into tokens and
//! training windows; `train` runs llama.cpp's optimizer over an F32 copy of the model (`ffi`
//! holds every unsafe call); `judge` compares the result with the base and registers it only
//! when it predicts the held-out writing better; `budget` shares `--minutes` among the
//! phases; `state` remembers the last run and an interrupted one. Nothing here prints: the
//! command line reports what comes back.
mod adapter;
pub mod budget;
pub mod corpus;
pub mod dataset;
mod ffi;
mod judge;
pub mod priority;
mod report;
pub mod state;
mod tensors;
mod train;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cancel::CancelToken;
use crate::engine::local::LocalModel;
use crate::error::Error;
use crate::paths::Paths;

use budget::{Clock, Phase, Sizes, Speeds};
pub use corpus::{Corpus, Item, Kind, Sources};
use dataset::Sequence;
pub use judge::KEEP_GAIN;
use judge::{perplexity, Judging};
use report::Scored;
pub use report::{Check, RankTried, Report, ResultKind};
pub use state::State;
pub use train::{Keep, Settings};

/// The training set, tokenized.
pub struct Prepared {
    pub corpus: Corpus,
    pub train: Vec<Sequence>,
    pub held_out: Vec<Sequence>,
    pub validation: Vec<Sequence>,
    pub windows: Vec<Vec<i32>>,
}

impl Prepared {
    pub fn train_tokens(&self) -> usize {
        self.train.iter().map(|s| s.tokens.len()).sum()
    }

    /// The tokens whose prediction is scored (messages and notes, not prompts).
    pub fn held_out_tokens(&self) -> usize {
        scored(&self.held_out)
    }

    /// What the phases' costs scale with: every token scoring reads, prompts included.
    pub fn sizes(&self) -> Sizes {
        let read = |s: &[Sequence]| s.iter().map(|s| s.tokens.len()).sum();
        Sizes {
            held_out_tokens: read(&self.held_out),
            validation_tokens: read(&self.validation),
        }
    }

    /// Seconds the whole run should take, `prepared` of them already spent reading the
    /// writing, for a model of `parameters` (`budget`: `--minutes` in seconds).
    pub fn expected_seconds(
        &self,
        settings: &Settings,
        epochs: usize,
        parameters: u64,
        prepared: f64,
        budget: Option<f64>,
    ) -> f64 {
        let windows = self.windows.len() * epochs.max(1);
        let steps = settings.max_steps.map_or(windows, |s| windows.min(s));
        let speeds = Speeds::reference(parameters, settings.threads, settings.window);
        let check_every = if self.validation.is_empty() {
            0
        } else {
            settings.check_every
        };
        budget::expected_seconds(
            &self.sizes(),
            &speeds,
            steps,
            check_every,
            settings.keep != Keep::Model,
            prepared,
            budget,
        )
    }
}

fn scored(sequences: &[Sequence]) -> usize {
    sequences
        .iter()
        .map(|s| s.tokens.len() - s.scored_from)
        .sum()
}

/// Reads the writing, tokenizes it with `model`'s tokenizer and chat template, and holds the
/// newest out (as much as the token caps of `corpus::split` need).
pub fn prepare(model: &LocalModel, sources: &Sources, window: u32) -> Result<Prepared, Error> {
    let items = corpus::gather(sources)?;
    let mut sequences: Vec<Vec<Sequence>> =
        items.iter().map(|i| dataset::sequences(model, i)).collect();
    let counts: Vec<usize> = sequences.iter().map(|s| scored(s)).collect();
    let split = corpus::split(&counts);
    let held_out = sequences
        .split_off(sequences.len() - split.held_out)
        .concat();
    let validation = sequences
        .split_off(sequences.len() - split.validation)
        .concat();
    let train = sequences.concat();
    let windows = dataset::windows(&dataset::stream(&train), window as usize);
    Ok(Prepared {
        corpus: Corpus::new(items, split),
        train,
        held_out,
        validation,
        windows,
    })
}

/// The model to start from.
pub struct Base {
    pub name: String,
    pub path: PathBuf,
    /// Adapters the base applies (a learned result): added into the weights before training.
    pub lora: Vec<PathBuf>,
}

/// Trains `base` on `prepared`, then evaluates and registers the result, all within the
/// `clock`'s deadline when it has one. Ctrl-C (`cancel`) stops between steps and leaves a
/// checkpoint that the same command resumes from.
pub fn run(
    paths: &Paths,
    base: &Base,
    prepared: &Prepared,
    settings: &Settings,
    epochs: usize,
    cancel: &CancelToken,
    clock: &mut Clock,
) -> Result<Report, Error> {
    check_enough(prepared, settings)?;
    let schedule = schedule(prepared, epochs);
    let work = work_dir(paths);
    std::fs::create_dir_all(&work)?;
    let mut state = State::load(&paths.data_dir)?;
    let fingerprint = fingerprint(base, &schedule, settings);
    let resumable = state
        .checkpoint
        .as_ref()
        .filter(|cp| cp.fingerprint == fingerprint && cp.model.exists());
    let parameters = crate::models::registry::check_file(&base.path)?.parameters;
    let reference = Speeds::reference(parameters, settings.threads, settings.window);
    let sizes = prepared.sizes();
    if resumable.is_none() {
        too_short(clock, time_before_training(&sizes, &reference))?;
    }
    let start = starting_point(resumable, base, prepared, settings, &work, reference)?;
    let total = schedule.len();
    let checkpoint = work.join("checkpoint.gguf");
    let limits = plan(clock, &sizes, &start.speeds, settings).inspect_err(|_| {
        if start.path != checkpoint {
            let _ = std::fs::remove_file(&start.path);
        }
    })?;
    clock.enter(Phase::Training);
    let mut hooks = Hooks {
        clock,
        validation: &prepared.validation,
        threads: settings.threads,
        total,
    };
    let mut training = *settings;
    if prepared.validation.is_empty() {
        training.check_every = 0;
    }
    let outcome = train::train(
        &start.path,
        &schedule,
        start.done,
        &training,
        &limits,
        cancel,
        &mut hooks,
        &checkpoint,
    )
    .map_err(internal)?;
    if start.path != checkpoint {
        let _ = std::fs::remove_file(&start.path);
    }
    if outcome.interrupted {
        state.checkpoint = Some(state::Checkpoint {
            model: checkpoint,
            fingerprint,
            done: outcome.done,
            total,
            before: start.before.perplexity,
        });
        state.save(&paths.data_dir)?;
        return Err(stopped(outcome.done, total));
    }
    let judging = Judging {
        clock,
        speeds: start.speeds,
        sizes,
        before: start.before.clone(),
    };
    let report = judge_then_forget(paths, base, prepared, settings, judging, &mut state)?;
    Ok(report.with_training(&outcome, start.done))
}

/// Judges the trained checkpoint and registers what is better, then forgets the checkpoint
/// whatever the verdict.
fn judge_then_forget(
    paths: &Paths,
    base: &Base,
    prepared: &Prepared,
    settings: &Settings,
    mut judging: Judging,
    state: &mut State,
) -> Result<Report, Error> {
    let checkpoint = work_dir(paths).join("checkpoint.gguf");
    let report = judge::finish(
        paths,
        base,
        prepared,
        settings,
        &checkpoint,
        &mut judging,
        state,
    );
    let _ = std::fs::remove_file(&checkpoint);
    state.checkpoint = None;
    state.save(&paths.data_dir)?;
    let mut report = report?;
    report.phases = judging.clock.times();
    report.seconds = judging.clock.elapsed();
    Ok(report)
}

/// Where a run keeps its F32 copy and checkpoint.
fn work_dir(paths: &Paths) -> PathBuf {
    paths.data_dir.join("learn").join("work")
}

/// The windows in the order they are learned: newest writing first, so that a run cut short
/// by --steps or --minutes has learned from the most recent part, which is what the held-out
/// writing resembles most.
fn schedule(prepared: &Prepared, epochs: usize) -> Vec<Vec<i32>> {
    (0..epochs.max(1))
        .flat_map(|_| prepared.windows.iter().rev().cloned())
        .collect()
}

/// The F32 copy, the base's scoring and the judgement, at the reference speeds.
fn time_before_training(sizes: &budget::Sizes, reference: &Speeds) -> f64 {
    reference.convert
        + sizes.score_seconds(reference, sizes.held_out_tokens)
        + budget::Reserve::plan(sizes, reference, 0.0, false).judging
}

/// What Ctrl-C between steps says, the checkpoint kept.
fn stopped(done: usize, total: usize) -> Error {
    Error::interrupted().hint(format!(
        "stopped after {done} of {total} steps; run the same command again to resume"
    ))
}

/// The time training may take: what is left of the budget after what judging and the rank
/// search will need, planned from the speeds measured so far. Refuses a budget that
/// preparing has already spent.
fn plan(
    clock: &Clock,
    sizes: &Sizes,
    speeds: &Speeds,
    settings: &Settings,
) -> Result<train::Limits, Error> {
    let mut limits = train::Limits {
        until: None,
        step_seconds: speeds.step,
        check_seconds: sizes.check_seconds(speeds),
    };
    let (Some(left), Some(deadline)) = (clock.left(), clock.deadline()) else {
        return Ok(limits);
    };
    let reserve = budget::Reserve::plan(sizes, speeds, left, settings.keep != Keep::Model);
    too_short(clock, reserve.judging)?;
    let room = left - reserve.total();
    limits.until = Some(deadline - std::time::Duration::from_secs_f64(left - room));
    Ok(limits)
}

/// Refuses to go on when `needed` more seconds (judging a result, and before that what
/// preparing has left to do) do not fit in what is left of the budget.
fn too_short(clock: &Clock, needed: f64) -> Result<(), Error> {
    if clock.fits(needed) {
        return Ok(());
    }
    let elapsed = clock.elapsed();
    Err(Error::user(format!(
        "the time given is too short to train: {elapsed:.0} s went to preparing and judging a result needs about {needed:.0} s more, so nothing was learned"
    ))
    .hint(format!(
        "give --minutes at least {:.0}",
        ((elapsed + needed) * 1.5 / 60.0).ceil() + 1.0
    )))
}

/// What training reports to the clock, and how it checks itself.
struct Hooks<'c, 'o, 'v> {
    clock: &'c mut Clock<'o>,
    validation: &'v [Sequence],
    threads: u32,
    total: usize,
}

impl train::Hooks for Hooks<'_, '_, '_> {
    fn step(&mut self, position: usize, loss: f64) {
        self.clock.step(position, self.total, loss);
    }

    fn check(&mut self, path: &Path) -> f64 {
        self.clock.enter(Phase::Checking);
        let scored = perplexity(path, self.validation, self.threads, &[]);
        self.clock.enter(Phase::Training);
        scored.map_or(f64::NAN, |s| s.perplexity)
    }
}

/// Refuses writing too short to hold some out or to fill one training window.
fn check_enough(prepared: &Prepared, settings: &Settings) -> Result<(), Error> {
    if prepared.held_out.is_empty() {
        return Err(Error::user(
            "there is too little writing to hold any out, so a result could not be checked",
        )
        .hint("learn from at least two notes or commits"));
    }
    if prepared.windows.is_empty() {
        return Err(Error::user(format!(
            "the training set is {} tokens, shorter than one {}-token window",
            prepared.train_tokens(),
            settings.window
        ))
        .hint("add notes or a repository, or pass a smaller --window"));
    }
    Ok(())
}

/// Where training starts, the base's held-out score, and the speeds measured on the way.
struct Start {
    path: PathBuf,
    done: usize,
    before: Scored,
    speeds: Speeds,
}

/// Where training starts: the checkpoint of an interrupted run over the same schedule, or
/// else the base's F32 weights, made in `work`, whose held-out perplexity is measured (the
/// speed of scoring with it, which the plan scales the rest by).
fn starting_point(
    resumable: Option<&state::Checkpoint>,
    base: &Base,
    prepared: &Prepared,
    settings: &Settings,
    work: &Path,
    reference: Speeds,
) -> Result<Start, Error> {
    if let Some(cp) = resumable {
        // The interval and speed were not kept; the resumed run plans from the reference.
        let before = Scored {
            perplexity: cp.before,
            interval: (f64::NAN, f64::NAN),
            items: prepared.corpus.held_out.len(),
            tokens: prepared.held_out_tokens(),
            speed: reference.score,
            scores: Vec::new(),
        };
        return Ok(Start {
            path: cp.model.clone(),
            done: cp.done,
            before,
            speeds: reference,
        });
    }
    let start = work.join("start.gguf");
    let began = Instant::now();
    starting_weights(base, &start, settings.threads)?;
    let converted = began.elapsed().as_secs_f64();
    let before = perplexity(&start, &prepared.held_out, settings.threads, &[])?;
    let mut speeds = reference.slowed_by(before.speed);
    speeds.convert = converted;
    Ok(Start {
        path: start,
        done: 0,
        before,
        speeds,
    })
}

/// The F32 copy training starts from: the base file, with the base's adapters added in.
fn starting_weights(base: &Base, to: &Path, threads: u32) -> Result<(), Error> {
    ffi::convert(&base.path, to, ffi::Ftype::F32, threads).map_err(internal)?;
    if base.lora.is_empty() {
        return Ok(());
    }
    let merged = to.with_extension("merged.gguf");
    {
        let mut weights = tensors::Tensors::load(to).map_err(internal)?;
        for path in &base.lora {
            adapter::merge(&mut weights, path, 1.0)?;
        }
        weights.save(&merged).map_err(internal)?;
    }
    std::fs::rename(&merged, to)?;
    Ok(())
}

fn fingerprint(base: &Base, schedule: &[Vec<i32>], settings: &Settings) -> String {
    let mut bytes = Vec::new();
    for path in std::iter::once(&base.path).chain(&base.lora) {
        bytes.extend_from_slice(path.to_string_lossy().as_bytes());
    }
    bytes.extend_from_slice(&settings.window.to_le_bytes());
    bytes.extend_from_slice(&settings.learning_rate.to_le_bytes());
    for w in schedule {
        for t in w {
            bytes.extend_from_slice(&t.to_le_bytes());
        }
    }
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))
}

fn internal(e: ffi::FfiError) -> Error {
    Error::internal(e.to_string())
}
