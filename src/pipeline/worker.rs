//! The engine thread for long-lived front ends (the chat, the server). llama.cpp's context
//! belongs to the thread that made it, so one thread loads the model, owns the engine (and
//! with it the KV cache that makes the next turn cheap), and takes jobs over a channel;
//! replies go back through a callback as they happen. Each job carries its own cancel token.
//!
//! A job's prompt is built on the engine thread by the job's own closure, with the engine's
//! token counter at hand: retrieval and fitting never run on a UI thread.
use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::JoinHandle;

use super::choose::{self, Target, Weights};
use super::prompt::Built;
use super::reply::Reply;
use super::Budget;
use crate::cancel::CancelToken;
use crate::engine::local::{EngineSettings, LocalEngine};
use crate::engine::{Engine, GenerateParams, Sink, TokenCount};
use crate::error::Error;

/// Builds a job's prompt on the engine thread: gets the counter and the window.
pub type BuildFn = Box<dyn FnOnce(&dyn TokenCount, u32) -> Result<Built, Error> + Send>;

pub struct Job {
    /// The user's words, for the router's question features.
    pub question: String,
    pub build: BuildFn,
    pub params: GenerateParams,
    pub cancel: CancelToken,
}

pub struct WorkerConfig {
    pub target: Target,
    pub gpu_layers: Option<u32>,
    pub verbose: bool,
    /// The window setting (--ctx or config.toml); see [`super::budget::KEPT_WINDOW`].
    pub ctx: Option<u32>,
    pub threads: u32,
    /// Where a remote target's calls are logged, and for which front end.
    pub audit: crate::router::outbound::AuditTo,
    /// A local target's turns are watched and may be handed to a remote tier.
    pub auto: Option<super::escalate::AutoRoute>,
    /// config.toml, for the router's rules on a tier named explicitly.
    pub config: crate::config::Config,
}

/// What the loaded model is, for the status line.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub window: u32,
    pub trained: u32,
}

pub struct Worker {
    jobs: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    /// The token of the job in hand, cancelled when the worker is dropped.
    current: std::sync::Arc<std::sync::Mutex<Option<CancelToken>>>,
}

impl Worker {
    /// Loads the model on a new thread and waits until it is ready or has failed.
    pub fn start(
        config: WorkerConfig,
        reply: impl Fn(Reply) + Send + 'static,
    ) -> Result<(Worker, Loaded), Error> {
        let (jobs, job_rx) = channel::<Job>();
        let (ready_tx, ready_rx) = channel();
        let current = std::sync::Arc::new(std::sync::Mutex::new(None));
        let in_hand = current.clone();
        let thread = std::thread::Builder::new()
            .name("engine".into())
            .spawn(move || serve(config, job_rx, ready_tx, in_hand, reply))
            .map_err(|e| Error::internal(e.to_string()))?;
        let loaded = ready_rx
            .recv()
            .map_err(|_| Error::internal("the engine thread ended while loading"))??;
        Ok((
            Worker {
                jobs: Some(jobs),
                thread: Some(thread),
                current,
            },
            loaded,
        ))
    }

    pub fn submit(&self, job: Job) -> Result<(), Error> {
        self.jobs
            .as_ref()
            .and_then(|j| j.send(job).ok())
            .ok_or_else(|| Error::internal("the engine thread has stopped"))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop once the job in hand is stopped.
        if let Some(token) = self.current.lock().ok().and_then(|c| c.clone()) {
            token.cancel();
        }
        self.jobs.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(
    config: WorkerConfig,
    jobs: Receiver<Job>,
    ready: Sender<Result<Loaded, Error>>,
    current: std::sync::Arc<std::sync::Mutex<Option<CancelToken>>>,
    reply: impl Fn(Reply),
) {
    let chosen = match &config.target {
        Target::Local(chosen) => chosen.clone(),
        Target::Remote {
            name,
            endpoint,
            tier,
            reason,
            by_tier,
        } => {
            let remote = match choose::remote_engine(name, endpoint) {
                Ok(e) => e,
                Err(e) => {
                    let _ = ready.send(Err(e));
                    return;
                }
            };
            let label = crate::router::outbound::CallLabel::new(config.audit.front, *tier, reason);
            let mut engine =
                crate::router::outbound::Outbound::new(remote, endpoint, &config.audit, label);
            // The server's window; --ctx may only make it smaller.
            let trained = engine.window();
            let window = config
                .ctx
                .map_or(trained, |c| c.clamp(super::budget::MIN_WINDOW, trained));
            let _ = ready.send(Ok(Loaded { window, trained }));
            let explicit = by_tier.then(|| Explicit {
                tier: *tier,
                config: &config.config,
                database: &config.audit.database,
            });
            run_jobs(&mut engine, Route::Explicit(explicit), jobs, current, reply);
            return;
        }
    };
    let loaded = match choose::load(&chosen, config.gpu_layers, Weights::All, config.verbose) {
        Ok(l) => l,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let budget = Budget::new(config.ctx, loaded.trained_context, 1, true);
    let settings = EngineSettings {
        window: budget.window,
        threads: config.threads,
        keep_context: true,
    };
    let mut engine = LocalEngine::new(&loaded.model, chosen.name.clone(), settings);
    let _ = ready.send(Ok(Loaded {
        window: budget.window,
        trained: budget.trained,
    }));
    run_jobs(
        &mut engine,
        Route::Auto(config.auto.as_ref()),
        jobs,
        current,
        reply,
    );
}

/// How the engine thread's turns are routed.
#[derive(Clone, Copy)]
enum Route<'a> {
    /// A local model, whose turns may be handed over when `--tier auto` is on.
    Auto(Option<&'a super::escalate::AutoRoute>),
    /// An endpoint; named as a tier, its turns meet that tier's rules.
    Explicit(Option<Explicit<'a>>),
}

#[derive(Clone, Copy)]
struct Explicit<'a> {
    tier: crate::router::Tier,
    config: &'a crate::config::Config,
    database: &'a std::path::Path,
}

impl Explicit<'_> {
    /// The router's word on this turn, as for `ask --tier`: an error when the tier's budget
    /// is spent or the turn holds a secret that cannot be taken out.
    fn check(&self, question: &str, built: &Built) -> Result<(), Error> {
        let facts = crate::router::policy::Facts {
            front: "chat",
            question,
            flag: Some(crate::router::TierChoice::of(self.tier)),
            privacy: built.privacy.clone(),
            ..Default::default()
        };
        let spent = super::tiers::spent_from(self.database.to_path_buf());
        crate::router::policy::plan(&facts, self.config, &spent).map(|_| ())
    }
}

fn run_jobs(
    engine: &mut dyn Engine,
    route: Route,
    jobs: Receiver<Job>,
    current: std::sync::Arc<std::sync::Mutex<Option<CancelToken>>>,
    reply: impl Fn(Reply),
) {
    for job in jobs {
        if let Ok(mut c) = current.lock() {
            *c = Some(job.cancel.clone());
        }
        if let Err(e) = run_job(engine, route, job, &reply) {
            reply(Reply::Failed(e));
        }
    }
}

fn run_job(
    engine: &mut dyn Engine,
    route: Route,
    job: Job,
    reply: &impl Fn(Reply),
) -> Result<(), Error> {
    let window = engine.window();
    let built = (job.build)(&*engine as &dyn TokenCount, window)?;
    let auto = match route {
        Route::Auto(auto) => auto,
        Route::Explicit(explicit) => {
            if let Some(explicit) = explicit {
                explicit.check(&job.question, &built)?;
            }
            None
        }
    };
    reply(Reply::Started {
        prompt_tokens: built.prompt_tokens,
        window,
        sources: built.sources.clone(),
        cuts: built.cuts.clone(),
        notes: built.notes.clone(),
    });
    let mut sink = ReplySink(reply);
    let generation = match auto {
        Some(auto) => {
            let turn = super::escalate::Turn {
                question: &job.question,
                params: &job.params,
                cancel: &job.cancel,
            };
            super::escalate::generate(engine, &turn, &built, auto, &mut sink, reply)?
        }
        None => engine
            .generate(&built.messages, &job.params, &job.cancel, &mut sink)
            .map_err(super::engine_error)?,
    };
    reply(Reply::Finished(generation));
    Ok(())
}

struct ReplySink<'a, F: Fn(Reply)>(&'a F);

impl<F: Fn(Reply)> Sink for ReplySink<'_, F> {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        (self.0)(Reply::Piece(text.to_string()));
        Ok(true)
    }
}
