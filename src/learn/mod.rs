//! `pai learn`: fine-tuning the local model on the user's own writing (docs/learn.md).
//!
//! `corpus` gathers the writing and holds the newest tenth out; `dataset` turns it into
//! tokens and training windows; `train` runs llama.cpp's optimizer over an F32 copy of the
//! model (`ffi` holds every unsafe call); `state` remembers the last run and an interrupted
//! one. A result is registered only when it predicts the held-out writing better than the
//! model it started from. Nothing here prints: the command line reports what comes back.
mod adapter;
pub mod corpus;
pub mod dataset;
mod ffi;
pub mod priority;
pub mod state;
mod tensors;
mod train;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cancel::CancelToken;
use crate::engine::local::{LoadOptions, LocalModel};
use crate::engine::score::Score;
use crate::engine::Adapter;
use crate::error::Error;
use crate::models::registry::{check_file, ModelEntry, Registry};
use crate::paths::Paths;

pub use corpus::{Corpus, Item, Kind, Sources};
use dataset::Sequence;
pub use state::State;
pub use train::{Keep, Settings};

/// Training tokens per second per two cores, measured with this loop on SmolLM2-135M
/// (256-token windows, AdamW) on an idle two-core machine (110 to 120; docs/learn.md); the
/// estimate scales it by threads and by the model's size relative to that one.
pub const TOKENS_PER_SECOND_2_CORES: f64 = 110.0;
const REFERENCE_PARAMETERS: f64 = 135e6;

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
pub fn prepare(model: &LocalModel, sources: &Sources, window: u32) -> Result<Prepared, Error> {
    let corpus = corpus::collect(sources)?;
    let tokenize = |items: &[Item]| -> Vec<Sequence> {
        items
            .iter()
            .flat_map(|i| dataset::sequences(model, i))
            .collect()
    };
    let train = tokenize(&corpus.train);
    let held_out = tokenize(&corpus.held_out);
    let validation = tokenize(&corpus.validation);
    let windows = dataset::windows(&dataset::stream(&train), window as usize);
    Ok(Prepared {
        corpus,
        train,
        held_out,
        validation,
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
    /// What was registered: an adapter on the base file, or a whole model.
    pub kind: ResultKind,
    /// The adapter's rank, when an adapter was kept.
    pub rank: Option<usize>,
    /// The held-out perplexity of the whole trained model, which adapters are measured against.
    pub perplexity_full: f64,
    /// Every adapter rank measured, in the order tried (the largest first).
    pub ranks: Vec<RankTried>,
    /// The validation perplexity at each check during training, the end included.
    pub checks: Vec<Check>,
    /// The step whose weights were kept, when a check before the end did better.
    pub kept_step: Option<usize>,
}

impl Report {
    /// The whole trained model registered as `name` at `path`, with the base's and its
    /// held-out perplexities; the training figures come later ([`Report::with_training`]).
    fn whole_model(
        base: &str,
        name: &str,
        path: &Path,
        perplexities: (f64, f64),
        ranks: Vec<RankTried>,
    ) -> Self {
        let (before, after) = perplexities;
        Self {
            base: base.to_string(),
            model: Some(name.to_string()),
            path: Some(path.to_path_buf()),
            perplexity_before: before,
            perplexity_after: after,
            steps: 0,
            resumed_from: 0,
            train_seconds: 0.0,
            mean_loss: 0.0,
            kind: ResultKind::Model,
            rank: None,
            perplexity_full: after,
            ranks,
            checks: Vec::new(),
            kept_step: None,
        }
    }

    /// The report with what training did, a run that resumed after `resumed_from` steps.
    fn with_training(mut self, outcome: &train::Outcome, resumed_from: usize) -> Self {
        self.steps = outcome.done - resumed_from;
        self.resumed_from = resumed_from;
        self.train_seconds = outcome.seconds;
        self.mean_loss = outcome.mean_loss;
        self.checks = outcome
            .checks
            .iter()
            .map(|&(step, perplexity)| Check { step, perplexity })
            .collect();
        self.kept_step = outcome.kept_position;
        self
    }
}

/// One check of the weights on the validation writing during training.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Windows trained on so far (resumed ones included).
    pub step: usize,
    pub perplexity: f64,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum ResultKind {
    Adapter,
    Model,
}

/// One adapter rank and how it did.
#[derive(Debug, Clone, Serialize)]
pub struct RankTried {
    pub rank: usize,
    pub perplexity: f64,
    /// The share of the weights' change (squared norm) the rank keeps.
    pub kept: f64,
}

/// Adapter ranks: the smallest that keeps [`KEEP_GAIN`] of the whole model's gain is
/// registered, and the whole model only when none does.
const RANKS: [usize; 6] = [4, 8, 16, 32, 64, 128];
pub const KEEP_GAIN: f64 = 0.95;

/// The model to start from.
pub struct Base {
    pub name: String,
    pub path: PathBuf,
    /// Adapters the base applies (a learned result): added into the weights before training.
    pub lora: Vec<PathBuf>,
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
) -> Result<Report, Error> {
    check_enough(prepared, settings)?;
    // Newest writing first: a run cut short by --steps or --minutes has learned from the
    // most recent part, which is what the held-out writing resembles most.
    let schedule: Vec<Vec<i32>> = (0..epochs.max(1))
        .flat_map(|_| prepared.windows.iter().rev().cloned())
        .collect();
    let work = paths.data_dir.join("learn").join("work");
    std::fs::create_dir_all(&work)?;
    let mut state = State::load(&paths.data_dir)?;
    let fingerprint = fingerprint(base, &schedule, settings);
    let resumable = state
        .checkpoint
        .as_ref()
        .filter(|cp| cp.fingerprint == fingerprint && cp.model.exists());
    let (start, done, before) = starting_point(resumable, base, prepared, settings, &work)?;
    let total = schedule.len();
    let checkpoint = work.join("checkpoint.gguf");
    let mut training = *settings;
    if prepared.validation.is_empty() {
        training.check_every = 0;
    }
    // A model that cannot be scored is never the best one.
    let mut check = |path: &Path| {
        perplexity(path, &prepared.validation, settings.threads, &[]).unwrap_or(f64::NAN)
    };
    let outcome = train::train(
        &start,
        &schedule,
        done,
        &training,
        cancel,
        &mut |position, loss| step(position, total, loss),
        &mut check,
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
        return Err(Error::interrupted().hint(format!(
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
    Ok(report?.with_training(&outcome, done))
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

/// Where training starts: the checkpoint of an interrupted run over the same schedule, or
/// else the base's F32 weights, made in `work`. Returns the weights, the steps already done,
/// and the base's held-out perplexity.
fn starting_point(
    resumable: Option<&state::Checkpoint>,
    base: &Base,
    prepared: &Prepared,
    settings: &Settings,
    work: &Path,
) -> Result<(PathBuf, usize, f64), Error> {
    if let Some(cp) = resumable {
        return Ok((cp.model.clone(), cp.done, cp.before));
    }
    let start = work.join("start.gguf");
    starting_weights(base, &start, settings.threads)?;
    let before = perplexity(&start, &prepared.held_out, settings.threads, &[])?;
    Ok((start, 0, before))
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

/// Compares the trained model with the base on the held-out writing and, when it is better,
/// registers the smallest adapter that keeps its gain, or else the whole model (as Q8_0).
fn finish(
    paths: &Paths,
    base: &Base,
    prepared: &Prepared,
    settings: &Settings,
    trained: &Path,
    before: f64,
    state: &mut State,
) -> Result<Report, Error> {
    let name = result_name(&paths.registry_file(), &base.name)?;
    let models = paths.models_dir();
    std::fs::create_dir_all(&models)?;
    let full = models.join(format!("{name}.gguf"));
    ffi::convert(trained, &full, ffi::Ftype::Q8_0, settings.threads).map_err(internal)?;
    let after = perplexity(&full, &prepared.held_out, settings.threads, &[])?;
    // NaN (a diverged run) is never better.
    if after.partial_cmp(&before) != Some(std::cmp::Ordering::Less) {
        let _ = std::fs::remove_file(&full);
        return Err(Error::user(format!(
            "the learned model predicts your held-out writing worse than {} (perplexity {before:.2} before, {after:.2} after), so it was not registered",
            base.name
        ))
        .hint("learn from more writing, or lower --learning-rate"));
    }
    let lora = models.join(format!("{name}.lora.gguf"));
    let (ranks, kept) = match settings.keep {
        Keep::Model => (Vec::new(), None),
        Keep::Auto | Keep::Adapter => smallest_adapter(
            paths,
            base,
            prepared,
            settings,
            trained,
            &lora,
            (before, after),
        )?,
    };
    if kept.is_none() && settings.keep == Keep::Adapter {
        let _ = std::fs::remove_file(&full);
        return Err(Error::user(format!(
            "no adapter predicts your held-out writing better than {} (perplexity {before:.2}; the whole model {after:.2}), so nothing was registered",
            base.name
        ))
        .hint("learn longer, or pass --keep auto to keep the whole model"));
    }
    let mut report = Report::whole_model(&base.name, &name, &full, (before, after), ranks);
    let entry = match kept {
        Some(tried) => {
            let _ = std::fs::remove_file(&full);
            report.kind = ResultKind::Adapter;
            report.rank = Some(tried.rank);
            report.perplexity_after = tried.perplexity;
            report.path = Some(lora.clone());
            let mut entry = ModelEntry::from_header(&name, &base.path, &check_file(&base.path)?);
            entry.lora = vec![lora];
            entry
        }
        None => ModelEntry::from_header(&name, &full, &check_file(&full)?),
    };
    let mut registry = Registry::open(&paths.registry_file())?;
    registry.insert(entry);
    registry.save()?;
    state.last_model = Some(name);
    state.last_item_time = prepared
        .corpus
        .train
        .iter()
        .chain(&prepared.corpus.held_out)
        .map(|i| i.time)
        .max()
        .or(state.last_item_time);
    Ok(report)
}

/// Writes adapters to `lora` from the change between the base file and `trained`, looking
/// for the smallest rank that gains at least [`KEEP_GAIN`] of what the whole trained model
/// gained on the held-out writing (`perplexities`: the base's, then the whole model's).
/// Returns every rank measured, and the one kept (its file left at `lora`), if any.
fn smallest_adapter(
    paths: &Paths,
    base: &Base,
    prepared: &Prepared,
    settings: &Settings,
    trained: &Path,
    lora: &Path,
    perplexities: (f64, f64),
) -> Result<(Vec<RankTried>, Option<RankTried>), Error> {
    let (before, whole) = perplexities;
    let original = paths
        .data_dir
        .join("learn")
        .join("work")
        .join("original.gguf");
    ffi::convert(&base.path, &original, ffi::Ftype::F32, settings.threads).map_err(internal)?;
    let change = (|| {
        let before = tensors::Tensors::load(&original).map_err(internal)?;
        let after = tensors::Tensors::load(trained).map_err(internal)?;
        adapter::Change::between(&before, &after, RANKS[RANKS.len() - 1])
    })();
    let _ = std::fs::remove_file(&original);
    let change = change?;
    let measure = |rank: usize| -> Result<RankTried, Error> {
        change.write(rank, lora).map_err(internal)?;
        let adapters = [Adapter {
            path: lora.to_path_buf(),
            scale: 1.0,
        }];
        Ok(RankTried {
            rank,
            perplexity: perplexity(&base.path, &prepared.held_out, settings.threads, &adapters)?,
            kept: change.kept(rank),
        })
    };
    let enough = |tried: &RankTried| before - tried.perplexity >= KEEP_GAIN * (before - whole);
    // The largest rank first: when even it loses too much of the gain, no smaller one keeps
    // it, and one measurement settles it. Otherwise the smallest rank that suffices is kept.
    let largest = measure(RANKS[RANKS.len() - 1])?;
    let mut ranks = vec![largest.clone()];
    if enough(&largest) {
        for rank in &RANKS[..RANKS.len() - 1] {
            let tried = measure(*rank)?;
            ranks.push(tried.clone());
            if enough(&tried) {
                return Ok((ranks, Some(tried)));
            }
        }
        // Rewrite the largest, which the smaller ones overwrote.
        change.write(largest.rank, lora).map_err(internal)?;
        return Ok((ranks, Some(largest)));
    }
    if settings.keep == Keep::Adapter && largest.perplexity < before {
        return Ok((ranks, Some(largest)));
    }
    let _ = std::fs::remove_file(lora);
    Ok((ranks, None))
}

/// The held-out perplexity of the model at `path`.
pub fn perplexity(
    path: &Path,
    held_out: &[Sequence],
    threads: u32,
    adapters: &[Adapter],
) -> Result<f64, Error> {
    let options = LoadOptions {
        gpu_layers: None,
        vocab_only: false,
        verbose: false,
    };
    let model = LocalModel::load(path, &options).map_err(|e| Error::internal(e.to_string()))?;
    let mut total = Score::default();
    for s in held_out {
        let tokens: Vec<_> = s
            .tokens
            .iter()
            .map(|&t| llama_cpp_2::token::LlamaToken(t))
            .collect();
        let score = model
            .score(&tokens, s.scored_from, threads, adapters)
            .map_err(|e| Error::internal(e.to_string()))?;
        total.add(score);
    }
    Ok(total.perplexity())
}

/// `BASE+learned-YYYY-MM-DD`, with `-2`, `-3`… when a run today already took the name; the
/// base's own `+learned-…` suffix is dropped, so results do not grow names.
fn result_name(registry: &Path, base: &str) -> Result<String, Error> {
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
