//! The training loop: one optimizer step per window, a check for Ctrl-C between steps, and
//! the model saved with its original metadata whenever the loop stops.
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cancel::CancelToken;

use super::ffi::{self, FfiError, TrainContext, TrainModel};

/// How to train, and what to keep.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Tokens per window: context, batch and micro-batch at once (a multiple of 256).
    pub window: u32,
    pub learning_rate: f32,
    pub threads: u32,
    /// Stop after this many steps, or this many seconds, whichever comes first.
    pub max_steps: Option<usize>,
    pub max_seconds: Option<f64>,
    pub keep: Keep,
    /// Steps between checks on the validation writing (0: none). Training keeps the weights
    /// of the best check, so a run that goes on too long ends where it was best.
    pub check_every: usize,
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
}

/// Trains the F32 model at `start` on `schedule[done..]` and writes the result to `out`
/// (also when interrupted: the checkpoint a rerun resumes from). `step` hears of each step;
/// `check` gives a saved model's validation perplexity, every `settings.check_every` steps
/// and at the end, and the best of those weights is what `out` holds when the run ends.
#[allow(clippy::too_many_arguments)]
pub fn train(
    start: &Path,
    schedule: &[Vec<i32>],
    done: usize,
    settings: &Settings,
    cancel: &CancelToken,
    step: &mut dyn FnMut(usize, f64),
    check: &mut dyn FnMut(&Path) -> f64,
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
    let (mut position, mut steps, mut loss_sum) = (done, 0usize, 0.0f64);
    let mut interrupted = false;
    while position < schedule.len() {
        if cancel.is_cancelled() {
            interrupted = true;
            break;
        }
        if settings.max_steps.is_some_and(|max| steps >= max)
            || settings
                .max_seconds
                .is_some_and(|max| started.elapsed().as_secs_f64() >= max)
        {
            break;
        }
        let loss = ctx.train_window(&schedule[position]);
        position += 1;
        steps += 1;
        loss_sum += loss;
        step(position, loss);
        let last = position == schedule.len() || settings.max_steps == Some(steps);
        if settings.check_every > 0 && steps % settings.check_every == 0 && !last {
            save(&model, start, &best.probe)?;
            best.offer(position, check(&best.probe))?;
        }
    }
    drop(ctx);
    save(&model, start, out)?;
    let mut kept_position = None;
    if !interrupted && !best.checks.is_empty() {
        let end = check(out);
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
    })
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
