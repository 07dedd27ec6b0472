//! `pai learn`: fine-tuning the local model on the user's own writing (docs/learn.md).
//!
//! `corpus` gathers the writing and holds the newest tenth out; `dataset` turns it into
//! tokens and training windows; `train` runs llama.cpp's optimizer over an F32 copy of the
//! model (`ffi` holds every unsafe call); `state` remembers the last run and an interrupted
//! one. A result is registered only when it predicts the held-out writing better than the
//! model it started from. Nothing here prints: the command line reports what comes back.
pub mod corpus;
pub mod dataset;
mod ffi;
pub mod priority;
pub mod state;
mod train;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cancel::CancelToken;
use crate::engine::local::{LoadOptions, LocalModel};
use crate::engine::score::Score;
use crate::error::CliError;
use crate::models::registry::{check_file, ModelEntry, Registry};
use crate::paths::Paths;

pub use corpus::{Corpus, Item, Kind, Sources};
use dataset::Sequence;
pub use state::State;
pub use train::Settings;

/// Training tokens per second per two cores, measured with this loop on SmolLM2-135M
/// (256-token windows, AdamW) on a busy two-core machine; the estimate scales it by threads
/// and by the model's size relative to that one.
pub const TOKENS_PER_SECOND_2_CORES: f64 = 31.0;
const REFERENCE_PARAMETERS: f64 = 135e6;

/// The training set, tokenized.
pub struct Prepared {
    pub corpus: Corpus,
    pub train: Vec<Sequence>,
    pub held_out: Vec<Sequence>,
    pub windows: Vec<Vec<i32>>,
}

impl Prepared {
    pub fn train_tokens(&self) -> usize {
        self.train.iter().map(|s| s.tokens.len()).sum()
    }

    /// The tokens whose prediction is scored (messages and notes, not prompts).
    pub fn held_out_tokens(&self) -> usize {
        self.held_out
            .iter()
            .map(|s| s.tokens.len() - s.scored_from)
            .sum()
    }

    /// Seconds the training steps should take on `threads` cores for a model of `parameters`.
    pub fn expected_seconds(&self, settings: &Settings, epochs: usize, parameters: u64) -> f64 {
        let tokens = (self.windows.len() * epochs) as f64 * settings.window as f64;
        let steps = settings
            .max_steps
            .map_or(tokens, |s| tokens.min(s as f64 * settings.window as f64));
        let speed = TOKENS_PER_SECOND_2_CORES * settings.threads.max(1) as f64 / 2.0
            * REFERENCE_PARAMETERS
            / (parameters.max(1) as f64);
        let seconds = steps / speed;
        settings.max_seconds.map_or(seconds, |m| seconds.min(m))
    }
}

/// Reads the writing and tokenizes it with `model`'s tokenizer and chat template.
pub fn prepare(model: &LocalModel, sources: &Sources, window: u32) -> Result<Prepared, CliError> {
    let corpus = corpus::collect(sources)?;
    let tokenize = |items: &[Item]| -> Vec<Sequence> {
        items
            .iter()
            .flat_map(|i| dataset::sequences(model, i))
            .collect()
    };
    let train = tokenize(&corpus.train);
    let held_out = tokenize(&corpus.held_out);
    let windows = dataset::windows(&dataset::stream(&train), window as usize);
    Ok(Prepared {
        corpus,
        train,
        held_out,
        windows,
    })
}

/// What a run did.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub base: String,
    /// The registered name; None when the result was refused.
    pub model: Option<String>,
    pub path: Option<PathBuf>,
    pub perplexity_before: f64,
    pub perplexity_after: f64,
    pub steps: usize,
    pub resumed_from: usize,
    pub train_seconds: f64,
    pub mean_loss: f64,
}

/// The model to start from.
pub struct Base {
    pub name: String,
    pub path: PathBuf,
}

/// Trains `base` on `prepared`, then evaluates and registers the result. Ctrl-C (`cancel`)
/// stops between steps and leaves a checkpoint that the same command resumes from.
#[allow(clippy::too_many_arguments)]
pub fn run(
    paths: &Paths,
    base: &Base,
    prepared: &Prepared,
    settings: &Settings,
    epochs: usize,
    cancel: &CancelToken,
    step: &mut dyn FnMut(usize, usize, f64),
) -> Result<Report, CliError> {
    if prepared.held_out.is_empty() {
        return Err(CliError::user(
            "there is too little writing to hold any out, so a result could not be checked",
        )
        .hint("learn from at least two notes or commits"));
    }
    if prepared.windows.is_empty() {
        return Err(CliError::user(format!(
            "the training set is {} tokens, shorter than one {}-token window",
            prepared.train_tokens(),
            settings.window
        ))
        .hint("add notes or a repository, or pass a smaller --window"));
    }
    // Newest writing first: a run cut short by --steps or --minutes has learned from the
    // most recent part, which is what the held-out writing resembles most.
    let schedule: Vec<Vec<i32>> = (0..epochs.max(1))
        .flat_map(|_| prepared.windows.iter().rev().cloned())
        .collect();
    let work = paths.data_dir.join("learn").join("work");
    std::fs::create_dir_all(&work)?;
    let mut state = State::load(&paths.data_dir)?;
    let fingerprint = fingerprint(base, &schedule, settings);
    let (start, done, before) = match state.checkpoint.clone() {
        Some(cp) if cp.fingerprint == fingerprint && cp.model.exists() => {
            (cp.model, cp.done, cp.before)
        }
        _ => {
            let start = work.join("start.gguf");
            ffi::convert(&base.path, &start, ffi::Ftype::F32, settings.threads)
                .map_err(internal)?;
            let before = perplexity(&start, &prepared.held_out, settings.threads)?;
            (start, 0, before)
        }
    };
    let total = schedule.len();
    let checkpoint = work.join("checkpoint.gguf");
    let outcome = train::train(
        &start,
        &schedule,
        done,
        settings,
        cancel,
        &mut |position, loss| step(position, total, loss),
        &checkpoint,
    )
    .map_err(internal)?;
    if start != checkpoint {
        let _ = std::fs::remove_file(&start);
    }
    if outcome.interrupted {
        state.checkpoint = Some(state::Checkpoint {
            model: checkpoint,
            fingerprint,
            done: outcome.done,
            total,
            before,
        });
        state.save(&paths.data_dir)?;
        return Err(CliError::interrupted().hint(format!(
            "stopped after {} of {total} steps; run the same command again to resume",
            outcome.done
        )));
    }
    let report = finish(
        paths,
        base,
        prepared,
        settings,
        &checkpoint,
        before,
        &mut state,
    );
    let _ = std::fs::remove_file(&checkpoint);
    state.checkpoint = None;
    state.save(&paths.data_dir)?;
    let mut report = report?;
    report.steps = outcome.done - done;
    report.resumed_from = done;
    report.train_seconds = outcome.seconds;
    report.mean_loss = outcome.mean_loss;
    Ok(report)
}

/// Quantizes the trained model, compares it with the base on the held-out writing, and
/// registers it when it is better.
fn finish(
    paths: &Paths,
    base: &Base,
    prepared: &Prepared,
    settings: &Settings,
    trained: &Path,
    before: f64,
    state: &mut State,
) -> Result<Report, CliError> {
    let name = result_name(&paths.registry_file(), &base.name)?;
    let models = paths.models_dir();
    std::fs::create_dir_all(&models)?;
    let file = models.join(format!("{name}.gguf"));
    ffi::convert(trained, &file, ffi::Ftype::Q8_0, settings.threads).map_err(internal)?;
    let after = perplexity(&file, &prepared.held_out, settings.threads)?;
    let mut report = Report {
        base: base.name.clone(),
        model: None,
        path: None,
        perplexity_before: before,
        perplexity_after: after,
        steps: 0,
        resumed_from: 0,
        train_seconds: 0.0,
        mean_loss: 0.0,
    };
    // NaN (a diverged run) is never better.
    let better = after.partial_cmp(&before) == Some(std::cmp::Ordering::Less);
    if !better {
        let _ = std::fs::remove_file(&file);
        return Err(CliError::user(format!(
            "the learned model predicts your held-out writing worse than {} (perplexity {before:.2} before, {after:.2} after), so it was not registered",
            base.name
        ))
        .hint("learn from more writing, or lower --learning-rate"));
    }
    let info = check_file(&file)?;
    let mut registry = Registry::open(&paths.registry_file())?;
    registry.insert(ModelEntry::from_header(&name, &file, &info));
    registry.save()?;
    state.last_model = Some(name.clone());
    state.last_item_time = prepared
        .corpus
        .train
        .iter()
        .chain(&prepared.corpus.held_out)
        .map(|i| i.time)
        .max()
        .or(state.last_item_time);
    report.model = Some(name);
    report.path = Some(file);
    Ok(report)
}

/// The held-out perplexity of the model at `path`.
pub fn perplexity(path: &Path, held_out: &[Sequence], threads: u32) -> Result<f64, CliError> {
    let options = LoadOptions {
        gpu_layers: None,
        vocab_only: false,
        verbose: false,
    };
    let model = LocalModel::load(path, &options).map_err(|e| CliError::internal(e.to_string()))?;
    let mut total = Score::default();
    for s in held_out {
        let tokens: Vec<_> = s
            .tokens
            .iter()
            .map(|&t| llama_cpp_2::token::LlamaToken(t))
            .collect();
        let score = model
            .score(&tokens, s.scored_from, threads)
            .map_err(|e| CliError::internal(e.to_string()))?;
        total.add(score);
    }
    Ok(total.perplexity())
}

/// `BASE+learned-YYYY-MM-DD`, with `-2`, `-3`… when a run today already took the name; the
/// base's own `+learned-…` suffix is dropped, so results do not grow names.
fn result_name(registry: &Path, base: &str) -> Result<String, CliError> {
    let stem = base.split("+learned-").next().unwrap_or(base);
    let date = chrono::Local::now().format("%Y-%m-%d");
    let registry = Registry::open(registry)?;
    let first = format!("{stem}+learned-{date}");
    let name = (1..)
        .map(|n| {
            if n == 1 {
                first.clone()
            } else {
                format!("{first}-{n}")
            }
        })
        .find(|n| registry.get(n).is_none())
        .expect("an unused name exists");
    crate::models::registry::check_name(&name)?;
    Ok(name)
}

fn fingerprint(base: &Base, schedule: &[Vec<i32>], settings: &Settings) -> String {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(base.path.to_string_lossy().as_bytes());
    bytes.extend_from_slice(&settings.window.to_le_bytes());
    bytes.extend_from_slice(&settings.learning_rate.to_le_bytes());
    for w in schedule {
        for t in w {
            bytes.extend_from_slice(&t.to_le_bytes());
        }
    }
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))
}

fn internal(e: ffi::FfiError) -> CliError {
    CliError::internal(e.to_string())
}
