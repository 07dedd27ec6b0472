//! The server's engine thread: the one place `pai serve` touches a model. llama.cpp's context is
//! not `Send`, so one thread loads the model, owns the session (whose KV cache lets the next
//! request that starts the same way skip what it already read) and takes jobs over a queue
//! that admission bounds; each job's events go back to its HTTP task over its own channel. A job whose client
//! went away is cancelled between tokens, or skipped if it has not started. One job runs at a
//! time (`serial`), or several in one batch (`batch`).
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::batch::batch_loop;
use super::error::ApiError;
use super::job::{Admission, Job, Stats};
use super::prompt::ContextLimits;
use super::serial::{embed_job, generate_job, run};
use crate::engine::batch::BatchEngine;
use crate::engine::embed::{self, Embedder};
use crate::engine::local::{EngineSettings, LocalEngine};
use crate::engine::EngineError;
use crate::error::Error;
use crate::pipeline::choose::{self, ChosenModel, Weights};
use crate::pipeline::Budget;

pub struct BackendConfig {
    pub chosen: ChosenModel,
    pub gpu_layers: Option<u32>,
    pub verbose: bool,
    /// The window setting (--ctx or config.toml), else [`crate::pipeline::budget::KEPT_WINDOW`]
    /// for a model that generates. For a sentence encoder, the most tokens an input may have
    /// (--ctx), else [`embed::MAX_TOKENS`]; either way at most the trained length.
    pub ctx: Option<u32>,
    pub threads: u32,
    /// How much of pai's context a request that asks for it may carry.
    pub limits: ContextLimits,
    /// Jobs waiting beyond the ones running; more get 429.
    pub queue: usize,
    /// Generations at once (continuous batching in one context when more than 1).
    pub parallel: u32,
}

/// What the loaded model is.
#[derive(Debug, Clone)]
pub struct ModelInfo {
    pub name: String,
    /// The context window; for an encoder, the most tokens of one input.
    pub window: u32,
    /// A sentence encoder: it embeds and cannot chat.
    pub encoder: bool,
    pub dimensions: usize,
    /// Generations at once.
    pub parallel: u32,
}

/// Whether the GGUF at `path` is a sentence encoder (it declares a pooling type): it embeds
/// text and cannot generate.
pub fn is_encoder(path: &Path) -> bool {
    crate::gguf::inspect(path)
        .map(|info| {
            info.get(&format!("{}.pooling_type", info.architecture()))
                .is_some()
        })
        .unwrap_or(false)
}

pub struct Backend {
    jobs: Mutex<Option<Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    pub info: ModelInfo,
    pub stats: Arc<Stats>,
    queue: usize,
}

impl Backend {
    /// Loads the model on the engine thread and waits until it is ready or has failed.
    pub fn start(config: BackendConfig) -> Result<Backend, Error> {
        let queue = config.queue;
        // Admission bounds the jobs; the channel only carries them.
        let (jobs, job_rx) = channel::<Job>();
        let (ready_tx, ready_rx) = sync_channel::<Result<ModelInfo, Error>>(1);
        let stats = Arc::new(Stats::default());
        let thread_stats = stats.clone();
        let thread = std::thread::Builder::new()
            .name("engine".into())
            .spawn(move || engine_thread(config, job_rx, ready_tx, thread_stats))
            .map_err(|e| Error::internal(format!("cannot start the engine thread: {e}")))?;
        let info = ready_rx
            .recv()
            .map_err(|_| Error::internal("the engine thread ended while loading"))??;
        Ok(Backend {
            jobs: Mutex::new(Some(jobs)),
            thread: Mutex::new(Some(thread)),
            info,
            stats,
            queue,
        })
    }

    /// A place for one more job, or 429 when the running and waiting jobs fill what the
    /// server takes. Counted rather than left to a bounded channel: with `--queue 0` a
    /// rendezvous channel refused any job that came while the engine thread was not parked in
    /// `recv`, an idle server included.
    pub fn reserve(&self) -> Result<Admission, ApiError> {
        let places = self.info.parallel.max(1) as usize + self.queue;
        if self.stats.admitted.fetch_add(1, Ordering::SeqCst) >= places {
            self.stats.admitted.fetch_sub(1, Ordering::SeqCst);
            self.stats.rejected.fetch_add(1, Ordering::Relaxed);
            let mut e = ApiError::busy(format!(
                "pai serve is busy: {} running and {} waiting, which is all it takes; try again shortly",
                self.info.parallel, self.queue
            ))
            .code("queue_full");
            e.retry_after = Some(self.retry_after());
            return Err(e);
        }
        Ok(Admission::new(self.stats.clone()))
    }

    /// Hands an admitted job to the engine thread.
    pub fn submit(&self, job: Job) -> Result<(), ApiError> {
        let jobs = self.jobs.lock().ok().and_then(|j| j.clone());
        let Some(jobs) = jobs else {
            return Err(ApiError::unavailable("pai serve is stopping"));
        };
        self.stats.waiting.fetch_add(1, Ordering::SeqCst);
        jobs.send(job).map_err(|_| {
            self.stats.waiting.fetch_sub(1, Ordering::SeqCst);
            ApiError::internal("the engine thread has stopped")
        })
    }

    /// Seconds until a place is likely free: the last job's time times the queue ahead.
    fn retry_after(&self) -> u64 {
        let ms = self.stats.last_job_ms.load(Ordering::Relaxed).max(1000);
        let rounds = (self.queue as u64).div_ceil(self.info.parallel.max(1) as u64) + 1;
        (ms * rounds).div_ceil(1000).clamp(1, 600)
    }

    /// Lets the queued jobs finish, then ends the engine thread.
    pub fn shut_down(&self) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.take();
        }
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(t) = thread {
            let _ = t.join();
        }
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.shut_down();
    }
}

type Ready = SyncSender<Result<ModelInfo, Error>>;

fn engine_thread(config: BackendConfig, jobs: Receiver<Job>, ready: Ready, stats: Arc<Stats>) {
    if is_encoder(&config.chosen.path) {
        serve_embeddings(&config, jobs, ready, &stats);
    } else {
        serve_generation(&config, jobs, ready, &stats);
    }
}

/// A model that fails to load or to make its context: one sentence for the command line.
fn load_error(e: EngineError) -> Error {
    Error::user(e.to_string())
}

fn serve_embeddings(config: &BackendConfig, jobs: Receiver<Job>, ready: Ready, stats: &Stats) {
    let embedder = match Embedder::load(&config.chosen.path, config.threads) {
        Ok(e) => e,
        Err(e) => {
            let _ = ready.send(Err(load_error(e)));
            return;
        }
    };
    // As a generating model's window: the setting, up to the trained length.
    let setting = config.ctx.unwrap_or(embed::MAX_TOKENS as u32);
    let limit = Budget::new(Some(setting), embedder.trained_length() as u32, 1, false).window;
    let info = ModelInfo {
        name: config.chosen.name.clone(),
        window: limit,
        encoder: true,
        dimensions: embedder.dimensions(),
        parallel: 1,
    };
    let _ = ready.send(Ok(info));
    for job in jobs {
        run(stats, job, |job| embed_job(&embedder, limit as usize, job));
    }
}

fn serve_generation(config: &BackendConfig, jobs: Receiver<Job>, ready: Ready, stats: &Stats) {
    let loaded = match choose::load(
        &config.chosen,
        config.gpu_layers,
        Weights::All,
        config.verbose,
    ) {
        Ok(l) => l,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let window = Budget::new(config.ctx, loaded.trained_context, 1, true).window;
    let limits = config.limits;
    let info = ModelInfo {
        name: config.chosen.name.clone(),
        window,
        encoder: false,
        dimensions: 0,
        parallel: config.parallel.max(1),
    };
    // A learned model's adapters apply to every request.
    let adapters = config.chosen.own_adapters();
    if config.parallel > 1 {
        let engine = match BatchEngine::new(
            &loaded.model,
            config.parallel,
            window,
            config.threads,
            &adapters,
        ) {
            Ok(e) => e,
            Err(e) => {
                let _ = ready.send(Err(load_error(e)));
                return;
            }
        };
        let _ = ready.send(Ok(info));
        batch_loop(&loaded.model, engine, limits, jobs, stats);
        return;
    }
    let settings = EngineSettings {
        window,
        threads: config.threads,
        keep_context: true,
    };
    let mut engine = LocalEngine::new(&loaded.model, config.chosen.name.clone(), settings);
    let _ = ready.send(Ok(info));
    for mut job in jobs {
        job.params.adapters = adapters.clone();
        run(stats, job, |job| {
            generate_job(&loaded.model, &mut engine, window, limits, job)
        });
    }
}
