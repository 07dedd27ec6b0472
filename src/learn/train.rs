//! The training loop: one optimizer step per window, a check for Ctrl-C between steps, and
//! the model saved with its original metadata whenever the loop stops.
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cancel::CancelToken;

use super::budget::CHECK_SHARE;
use super::ffi::{self, FfiError, TrainContext, TrainModel};

/// How to train, and what to keep.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Tokens per window: context, batch and micro-batch at once (a multiple of 256).
    pub window: u32,
    pub learning_rate: f32,
    pub threads: u32,
    /// Stop after this many steps (the time is the run's budget, in `budget::Clock`).
    pub max_steps: Option<usize>,
    pub keep: Keep,
    /// Steps between checks on the validation writing (0: none). Training keeps the weights
    /// of the best check, so a run that goes on too long ends where it was best.
    pub check_every: usize,
}

/// When the loop must stop, and what it expects a step and a check to cost until it has
/// measured them.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub until: Option<Instant>,
    pub step_seconds: f64,
    pub check_seconds: f64,
}

/// What the loop reports to, and asks for a check.
pub trait Hooks {
    fn step(&mut self, position: usize, loss: f64);
    /// The validation perplexity of the weights saved at `path` (NaN when they cannot be
    /// scored: never the best).
    fn check(&mut self, path: &Path) -> f64;
}

/// What a better result is registered as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Keep {
    /// The smallest adapter that keeps 95% of the whole model's gain, else the whole model.
    Auto,
    /// An adapter: the smallest that keeps 95% of the gain, else the largest tried.
    Adapter,
    /// The whole model, with no adapter made.
    Model,
}

/// Where the loop stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Windows trained on so far, this run and the ones it resumed.
    pub done: usize,
    /// Mean loss (nats per token) over this run's steps.
    pub mean_loss: f64,
    pub seconds: f64,
    pub interrupted: bool,
    /// (position, validation perplexity) of every check, the end included.
    pub checks: Vec<(usize, f64)>,
    /// The position whose weights were kept, when an earlier check beat the end.
    pub kept_position: Option<usize>,
    /// Whether the time planned for training ran out before the schedule or --steps did.
    pub out_of_time: bool,
}

/// Trains the F32 model at `start` on `schedule[done..]` and writes the result to `out`
/// (also when interrupted: the checkpoint a rerun resumes from). `hooks` hears of each step
/// and gives a saved model's validation perplexity, every `settings.check_every` steps and at
/// the end; the best of those weights is what `out` holds when the run ends. With a time
/// limit a step starts only when it should end in time, and checks are spaced so that they
/// take at most a `CHECK_SHARE`th of the time.
#[allow(clippy::too_many_arguments)]
pub fn train(
    start: &Path,
    schedule: &[Vec<i32>],
    done: usize,
    settings: &Settings,
    limits: &Limits,
    cancel: &CancelToken,
    hooks: &mut dyn Hooks,
    out: &Path,
) -> Result<Outcome, FfiError> {
    let model = TrainModel::load(start)?;
    let mut ctx = TrainContext::new(
        &model,
        settings.window,
        settings.threads,
        settings.learning_rate,
    )?;
    let started = Instant::now();
    let mut best = Best::new(out);
    let mut pace = Pace::new(limits);
    let (mut position, mut steps, mut loss_sum) = (done, 0usize, 0.0f64);
    let (mut interrupted, mut out_of_time) = (false, false);
    while position < schedule.len() {
        if cancel.is_cancelled() {
            interrupted = true;
            break;
        }
        if settings.max_steps.is_some_and(|max| steps >= max) {
            break;
        }
        if !pace.step_fits() {
            out_of_time = true;
            break;
        }
        let began = Instant::now();
        let loss = ctx.train_window(&schedule[position]);
        pace.stepped(began.elapsed().as_secs_f64());
        position += 1;
        steps += 1;
        loss_sum += loss;
        hooks.step(position, loss);
        let last = position == schedule.len() || settings.max_steps == Some(steps);
        if !last && pace.check_due(settings.check_every) {
            let began = Instant::now();
            save(&model, start, &best.probe)?;
            best.offer(position, hooks.check(&best.probe))?;
            pace.checked(began.elapsed().as_secs_f64());
        }
    }
    drop(ctx);
    save(&model, start, out)?;
    let mut kept_position = None;
    if !interrupted && !best.checks.is_empty() {
        let end = hooks.check(out);
        kept_position = best.finish(position, end, out)?;
    }
    best.clean();
    Ok(Outcome {
        done: position,
        mean_loss: if steps == 0 {
            0.0
        } else {
            loss_sum / steps as f64
        },
        seconds: started.elapsed().as_secs_f64(),
        interrupted,
        checks: best.checks,
        kept_position,
        out_of_time,
    })
}

/// The measured cost of steps and checks, against the time limit.
struct Pace {
    until: Option<Instant>,
    step_seconds: f64,
    check_seconds: f64,
    steps: usize,
    stepping: f64,
    /// Steps and seconds of stepping since the last check.
    since_check: (usize, f64),
    /// Whether a check was made: then the end is checked too, and steps leave room for it.
    checked_once: bool,
}

impl Pace {
    fn new(limits: &Limits) -> Self {
        Self {
            until: limits.until,
            step_seconds: limits.step_seconds,
            check_seconds: limits.check_seconds,
            steps: 0,
            stepping: 0.0,
            since_check: (0, 0.0),
            checked_once: false,
        }
    }

    /// The mean of the steps so far; the first is allowed whenever any time is left.
    fn step_estimate(&self) -> f64 {
        if self.steps == 0 {
            0.0
        } else {
            self.stepping / self.steps as f64
        }
    }

    fn fits(&self, seconds: f64) -> bool {
        self.until.is_none_or(|until| {
            Instant::now() + std::time::Duration::from_secs_f64(seconds) <= until
        })
    }

    /// A step fits when it ends in time, and so does the end's check when there will be one.
    fn step_fits(&self) -> bool {
        self.fits(self.step_estimate() + self.end_check())
    }

    fn end_check(&self) -> f64 {
        if self.checked_once {
            self.check_seconds
        } else {
            0.0
        }
    }

    fn stepped(&mut self, seconds: f64) {
        self.steps += 1;
        self.stepping += seconds;
        self.step_seconds = self.step_estimate();
        self.since_check.0 += 1;
        self.since_check.1 += seconds;
    }

    /// Every `every` steps; with a time limit, only when the steps since the last check took
    /// `CHECK_SHARE - 1` times what a check takes, and the check, a step and the end's check
    /// still fit.
    fn check_due(&self, every: usize) -> bool {
        if every == 0 || self.since_check.0 < every {
            return false;
        }
        if self.until.is_none() {
            return true;
        }
        self.since_check.1 >= (CHECK_SHARE - 1.0) * self.check_seconds
            && self.fits(2.0 * self.check_seconds + self.step_seconds)
    }

    fn checked(&mut self, seconds: f64) {
        self.check_seconds = seconds;
        self.since_check = (0, 0.0);
        self.checked_once = true;
    }
}

/// The best checked weights so far, kept on disk beside the output.
struct Best {
    probe: PathBuf,
    file: PathBuf,
    perplexity: f64,
    position: usize,
    checks: Vec<(usize, f64)>,
}

impl Best {
    fn new(out: &Path) -> Self {
        Self {
            probe: out.with_extension("probe.gguf"),
            file: out.with_extension("best.gguf"),
            perplexity: f64::INFINITY,
            position: 0,
            checks: Vec::new(),
        }
    }

    /// Keeps the probe when it beats the best so far (NaN never does).
    fn offer(&mut self, position: usize, perplexity: f64) -> Result<(), FfiError> {
        self.checks.push((position, perplexity));
        if perplexity < self.perplexity {
            rename(&self.probe, &self.file)?;
            self.perplexity = perplexity;
            self.position = position;
        }
        Ok(())
    }

    /// Puts the best weights at `out` when a check beat the end; returns that check's position.
    fn finish(&mut self, position: usize, end: f64, out: &Path) -> Result<Option<usize>, FfiError> {
        self.checks.push((position, end));
        if self.perplexity < end || end.is_nan() && self.perplexity.is_finite() {
            rename(&self.file, out)?;
            return Ok(Some(self.position));
        }
        Ok(None)
    }

    fn clean(&self) {
        let _ = std::fs::remove_file(&self.probe);
        let _ = std::fs::remove_file(&self.file);
    }
}

fn rename(from: &Path, to: &Path) -> Result<(), FfiError> {
    std::fs::rename(from, to).map_err(|source| FfiError::Write {
        path: to.display().to_string(),
        source,
    })
}

/// The model's weights under `metadata`'s keys, written to `out` through a temporary file
/// (`out` may be the file the model was loaded from: it was read whole, without mmap).
fn save(model: &TrainModel, metadata: &Path, out: &Path) -> Result<(), FfiError> {
    let raw = out.with_extension("raw.tmp");
    let fixed = out.with_extension("gguf.tmp");
    model.save(&raw)?;
    let restored = ffi::restore_metadata(&raw, metadata, &fixed);
    let _ = std::fs::remove_file(&raw);
    restored?;
    rename(&fixed, out)
}
