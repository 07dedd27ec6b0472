//! The server's engine thread: the one place `pai serve` touches a model. llama.cpp's context is
//! not `Send`, so one thread loads the model, owns the session (whose KV cache lets the next
//! request that starts the same way skip what it already read) and takes jobs over a bounded
//! queue; each job's events go back to its HTTP task over its own channel. A job whose client
//! went away is cancelled between tokens, or skipped if it has not started.
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;

use super::api::ApiError;
use crate::cancel::CancelToken;
use crate::context::{Excerpt, Fact};
use crate::engine::batch::{BatchEngine, Start};
use crate::engine::embed::Embedder;
use crate::engine::local::{EngineSettings, LocalEngine, LocalModel};
use crate::engine::{GenerateParams, Generation, Sink, StopReason, TokenCount};
use crate::message::{Message, Role};
use crate::pipeline::choose::{self, ChosenModel, Weights};
use crate::pipeline::Budget;
use llama_cpp_2::token::LlamaToken;

/// The most tokens of excerpts and of remembered facts per request that asks for pai's
/// context (`[context] retrieval_tokens` and `memory_tokens`).
#[derive(Debug, Clone, Copy)]
pub struct ContextLimits {
    pub retrieval_tokens: usize,
    pub memory_tokens: usize,
}

pub struct BackendConfig {
    pub chosen: ChosenModel,
    pub gpu_layers: Option<u32>,
    pub verbose: bool,
    /// The window setting (--ctx or config.toml), else [`crate::pipeline::budget::KEPT_WINDOW`].
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
    pub window: u32,
    /// A sentence encoder: it embeds and cannot chat.
    pub encoder: bool,
    pub dimensions: usize,
    /// Generations at once.
    pub parallel: u32,
}

/// What pai adds to a request that asks for its context.
#[derive(Debug, Clone, Default)]
pub struct Gathered {
    pub profile: Option<String>,
    /// Remembered facts that share words with the question, most relevant first.
    pub memories: Vec<Fact>,
    pub excerpts: Vec<Excerpt>,
}

pub enum Work {
    Chat {
        messages: Vec<Message>,
        context: Option<Gathered>,
    },
    Complete {
        prompt: String,
    },
    Embed {
        inputs: Vec<String>,
    },
}

pub struct Job {
    pub work: Work,
    pub params: GenerateParams,
    /// Whether the client set max_tokens (then prompt + max_tokens must fit the window);
    /// otherwise `params.max_tokens` is the default and shrinks to what the window leaves.
    pub explicit_max_tokens: bool,
    pub cancel: CancelToken,
    pub events: UnboundedSender<Event>,
}

#[derive(Debug)]
pub enum Event {
    /// The prompt fits and is being read.
    Started {
        prompt_tokens: usize,
        sources: Vec<Excerpt>,
    },
    Piece(String),
    Finished(Generation),
    Embedded {
        vectors: Vec<Vec<f32>>,
        tokens: usize,
    },
    Failed(ApiError),
}

/// Counters for /health and the log.
#[derive(Debug, Default)]
pub struct Stats {
    pub running: AtomicUsize,
    pub waiting: AtomicUsize,
    pub completed: AtomicU64,
    pub cancelled: AtomicU64,
    pub rejected: AtomicU64,
    pub failed: AtomicU64,
    pub generated_tokens: AtomicU64,
    /// Milliseconds the last finished job took, to estimate Retry-After.
    pub last_job_ms: AtomicU64,
}

pub struct Backend {
    jobs: Mutex<Option<SyncSender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    pub info: ModelInfo,
    pub stats: Arc<Stats>,
    queue: usize,
}

impl Backend {
    /// Loads the model on the engine thread and waits until it is ready or has failed.
    pub fn start(config: BackendConfig) -> Result<Backend, String> {
        let queue = config.queue;
        // The running job has left the channel, so it holds only the waiting ones.
        let (jobs, job_rx) = sync_channel::<Job>(queue);
        let (ready_tx, ready_rx) = sync_channel::<Result<ModelInfo, String>>(1);
        let stats = Arc::new(Stats::default());
        let thread_stats = stats.clone();
        let thread = std::thread::Builder::new()
            .name("engine".into())
            .spawn(move || engine_thread(config, job_rx, ready_tx, thread_stats))
            .map_err(|e| e.to_string())?;
        let info = ready_rx
            .recv()
            .map_err(|_| "the engine thread ended while loading".to_string())??;
        Ok(Backend {
            jobs: Mutex::new(Some(jobs)),
            thread: Mutex::new(Some(thread)),
            info,
            stats,
            queue,
        })
    }

    /// Queues a job, or refuses with 429 when the queue is full.
    pub fn submit(&self, job: Job) -> Result<(), ApiError> {
        let jobs = self.jobs.lock().ok().and_then(|j| j.clone());
        let Some(jobs) = jobs else {
            return Err(ApiError::new(503, "server_error", "pai serve is stopping"));
        };
        self.stats.waiting.fetch_add(1, Ordering::SeqCst);
        match jobs.try_send(job) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => {
                self.stats.waiting.fetch_sub(1, Ordering::SeqCst);
                self.stats.rejected.fetch_add(1, Ordering::Relaxed);
                let mut e = ApiError::new(
                    429,
                    "rate_limit_error",
                    format!(
                        "pai serve is busy: {} running and {} waiting, which is all it takes; try again shortly",
                        self.info.parallel, self.queue
                    ),
                )
                .code("queue_full");
                e.retry_after = Some(self.retry_after());
                Err(e)
            }
            Err(TrySendError::Disconnected(_)) => {
                self.stats.waiting.fetch_sub(1, Ordering::SeqCst);
                Err(ApiError::internal("the engine thread has stopped"))
            }
        }
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

fn engine_thread(
    config: BackendConfig,
    jobs: Receiver<Job>,
    ready: SyncSender<Result<ModelInfo, String>>,
    stats: Arc<Stats>,
) {
    let path = &config.chosen.path;
    let encoder = crate::gguf::inspect(path)
        .map(|info| {
            info.get(&format!("{}.pooling_type", info.architecture()))
                .is_some()
        })
        .unwrap_or(false);
    if encoder {
        let embedder = match Embedder::load(path, config.threads) {
            Ok(e) => e,
            Err(e) => {
                let _ = ready.send(Err(e.to_string()));
                return;
            }
        };
        let info = ModelInfo {
            name: config.chosen.name.clone(),
            window: crate::engine::embed::MAX_TOKENS as u32,
            encoder: true,
            dimensions: embedder.dimensions(),
            parallel: 1,
        };
        let _ = ready.send(Ok(info));
        for job in jobs {
            run(&stats, job, |job| embed_job(&embedder, job));
        }
        return;
    }
    let loaded = match choose::load(
        &config.chosen,
        config.gpu_layers,
        Weights::All,
        config.verbose,
    ) {
        Ok(l) => l,
        Err(e) => {
            let _ = ready.send(Err(e.message));
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
                let _ = ready.send(Err(e.to_string()));
                return;
            }
        };
        let _ = ready.send(Ok(info));
        batch_loop(&loaded.model, engine, limits, jobs, &stats);
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
        run(&stats, job, |job| {
            generate_job(&loaded.model, &mut engine, window, limits, job)
        });
    }
}

/// What a batched generation carries back to its bookkeeping.
struct Tag {
    events: UnboundedSender<Event>,
    cancel: CancelToken,
    started: Instant,
}

/// Several jobs at once in one context: take jobs while a slot is free (waiting only when
/// nothing runs), then one decode for all of them; repeat until the queue is closed and empty.
fn batch_loop(
    model: &LocalModel,
    mut engine: BatchEngine<Tag>,
    limits: ContextLimits,
    jobs: Receiver<Job>,
    stats: &Stats,
) {
    let window = engine.window();
    let mut open = true;
    loop {
        while open && engine.has_free_slot() {
            let next = if engine.active() == 0 {
                jobs.recv().map_err(|_| true)
            } else {
                jobs.try_recv().map_err(|e| e == TryRecvError::Disconnected)
            };
            let job = match next {
                Ok(job) => job,
                Err(closed) => {
                    open &= !closed;
                    break;
                }
            };
            stats.waiting.fetch_sub(1, Ordering::SeqCst);
            if job.cancel.is_cancelled() || job.events.is_closed() {
                stats.cancelled.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let (tokens, params) = match prepare(model, window, limits, &job) {
                Ok(ready) => ready,
                Err(e) => {
                    stats.failed.fetch_add(1, Ordering::Relaxed);
                    let _ = job.events.send(Event::Failed(e));
                    continue;
                }
            };
            stats.running.fetch_add(1, Ordering::SeqCst);
            let sink = OwnedEventSink {
                events: job.events.clone(),
                cancel: job.cancel.clone(),
            };
            let start = Start {
                tokens,
                params,
                cancel: job.cancel.clone(),
                sink: Box::new(sink),
                tag: Tag {
                    events: job.events,
                    cancel: job.cancel,
                    started: Instant::now(),
                },
            };
            if engine.start(start).is_err() {
                unreachable!("a slot was free");
            }
        }
        if engine.active() == 0 {
            if open {
                continue;
            }
            return;
        }
        for done in engine.step() {
            stats.running.fetch_sub(1, Ordering::SeqCst);
            let tag = done.tag;
            stats
                .last_job_ms
                .store(tag.started.elapsed().as_millis() as u64, Ordering::Relaxed);
            match done.result {
                Ok(g) => {
                    stats
                        .generated_tokens
                        .fetch_add(g.generated_tokens as u64, Ordering::Relaxed);
                    if tag.cancel.is_cancelled() || g.stop_reason == StopReason::ReaderClosed {
                        stats.cancelled.fetch_add(1, Ordering::Relaxed);
                    } else {
                        stats.completed.fetch_add(1, Ordering::Relaxed);
                    }
                    let _ = tag.events.send(Event::Finished(g));
                }
                Err(e) => {
                    stats.failed.fetch_add(1, Ordering::Relaxed);
                    let _ = tag
                        .events
                        .send(Event::Failed(ApiError::internal(e.to_string())));
                }
            }
        }
    }
}

/// Runs one job with the bookkeeping every job shares.
fn run(stats: &Stats, job: Job, work: impl FnOnce(&Job) -> Result<Option<Generation>, ApiError>) {
    stats.waiting.fetch_sub(1, Ordering::SeqCst);
    if job.cancel.is_cancelled() || job.events.is_closed() {
        stats.cancelled.fetch_add(1, Ordering::Relaxed);
        return;
    }
    stats.running.fetch_add(1, Ordering::SeqCst);
    let started = Instant::now();
    let outcome = work(&job);
    stats
        .last_job_ms
        .store(started.elapsed().as_millis() as u64, Ordering::Relaxed);
    match outcome {
        Ok(Some(g)) => {
            stats
                .generated_tokens
                .fetch_add(g.generated_tokens as u64, Ordering::Relaxed);
            if job.cancel.is_cancelled() || g.stop_reason == StopReason::ReaderClosed {
                stats.cancelled.fetch_add(1, Ordering::Relaxed);
            } else {
                stats.completed.fetch_add(1, Ordering::Relaxed);
            }
            let _ = job.events.send(Event::Finished(g));
        }
        Ok(None) => {
            stats.completed.fetch_add(1, Ordering::Relaxed);
        }
        Err(e) => {
            stats.failed.fetch_add(1, Ordering::Relaxed);
            let _ = job.events.send(Event::Failed(e));
        }
    }
    stats.running.fetch_sub(1, Ordering::SeqCst);
}

fn generate_job(
    model: &LocalModel,
    engine: &mut LocalEngine,
    window: u32,
    limits: ContextLimits,
    job: &Job,
) -> Result<Option<Generation>, ApiError> {
    let (tokens, params) = prepare(model, window, limits, job)?;
    let mut sink = EventSink {
        events: &job.events,
        cancel: &job.cancel,
    };
    engine
        .generate_tokens(&tokens, &params, &job.cancel, &mut sink)
        .map(Some)
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// The job's prompt tokens and settings, fitted to the window, and `Started` sent; or the
/// 400 that says why it does not fit.
fn prepare(
    model: &LocalModel,
    window: u32,
    limits: ContextLimits,
    job: &Job,
) -> Result<(Vec<LlamaToken>, GenerateParams), ApiError> {
    let mut params = job.params.clone();
    let (tokens, sources) = match &job.work {
        Work::Chat { messages, context } => {
            // The answer's room when the client did not say: the default, up to a quarter of
            // the window, so that pai's excerpts never crowd out a long conversation's answer.
            let reserve = if job.explicit_max_tokens {
                params.max_tokens
            } else {
                params.max_tokens.min(window / 4).max(1)
            };
            let budget = window.saturating_sub(reserve) as usize;
            let (messages, sources) = match context {
                Some(gathered) => with_context(messages, gathered, model, budget, limits),
                None => (messages.clone(), Vec::new()),
            };
            (model.chat_tokens(&messages), sources)
        }
        Work::Complete { prompt } => (model.tokenize_plain(prompt, true), Vec::new()),
        Work::Embed { .. } => {
            return Err(ApiError::bad_request(
                "this model generates text; /v1/embeddings needs a sentence encoder (pai serve --model an encoder GGUF)",
            ))
        }
    };
    params.max_tokens = fit(tokens.len(), &params, job.explicit_max_tokens, window)?;
    let _ = job.events.send(Event::Started {
        prompt_tokens: tokens.len(),
        sources,
    });
    Ok((tokens, params))
}

/// The most tokens the answer may have; a 400 with the counts when the prompt does not fit.
fn fit(
    prompt: usize,
    params: &GenerateParams,
    explicit: bool,
    window: u32,
) -> Result<u32, ApiError> {
    let window_us = window as usize;
    if explicit && prompt + params.max_tokens as usize > window_us {
        return Err(ApiError::bad_request(format!(
            "the prompt is {prompt} tokens and max_tokens is {}: together {} tokens, more than the {window}-token context window; nothing was cut",
            params.max_tokens,
            prompt + params.max_tokens as usize
        ))
        .param("messages")
        .code("context_length_exceeded"));
    }
    if prompt >= window_us {
        return Err(ApiError::bad_request(format!(
            "the prompt is {prompt} tokens, more than the {window}-token context window holds with room for an answer; nothing was cut"
        ))
        .param("messages")
        .code("context_length_exceeded"));
    }
    Ok(params.max_tokens.min((window_us - prompt) as u32))
}

/// The client's messages with pai's context added: the profile after the system message,
/// remembered facts and excerpts before the last user message (as `pai ask` puts them).
/// Excerpts go, last first, then memories, until the prompt fits the budget; the client's own
/// messages are never cut.
fn with_context(
    messages: &[Message],
    gathered: &Gathered,
    model: &LocalModel,
    budget: usize,
    limits: ContextLimits,
) -> (Vec<Message>, Vec<Excerpt>) {
    let mut request = crate::context::Request {
        excerpts: gathered.excerpts.clone(),
        memories: gathered.memories.clone(),
        ..Default::default()
    };
    request.limit_excerpts(limits.retrieval_tokens, model as &dyn TokenCount);
    request.limit_memories(limits.memory_tokens, model as &dyn TokenCount);
    let mut kept = Gathered {
        profile: gathered.profile.clone(),
        memories: request.memories,
        excerpts: request.excerpts,
    };
    loop {
        let built = add_context(messages, &kept);
        let fits = model.prompt_tokens(&built) <= budget;
        if fits || (kept.excerpts.pop().is_none() && kept.memories.pop().is_none()) {
            return (built, kept.excerpts);
        }
    }
}

pub(super) fn add_context(messages: &[Message], context: &Gathered) -> Vec<Message> {
    let mut out = messages.to_vec();
    if let Some(profile) = &context.profile {
        let about = format!("About the user, in their own words:\n{}", profile.trim());
        match out.first_mut() {
            Some(m) if m.role == Role::System => {
                m.content = format!("{}\n\n{about}", m.content.trim_end());
            }
            _ => out.insert(0, Message::new(Role::System, about)),
        }
    }
    let mut blocks = String::new();
    if !context.memories.is_empty() {
        blocks.push_str(&crate::context::memories_block(&context.memories));
    }
    if !context.excerpts.is_empty() {
        blocks.push_str(&crate::context::sources_block(&context.excerpts));
    }
    if !blocks.is_empty() {
        if let Some(m) = out.iter_mut().rev().find(|m| m.role == Role::User) {
            m.content = format!("{blocks}{}", m.content);
        }
    }
    out
}

fn embed_job(embedder: &Embedder, job: &Job) -> Result<Option<Generation>, ApiError> {
    let Work::Embed { inputs } = &job.work else {
        return Err(ApiError::bad_request(
            "this model is a sentence encoder: it embeds text (/v1/embeddings) and cannot chat or complete",
        ));
    };
    let texts: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let tokens = texts.iter().map(|t| embedder.count_tokens(t)).sum();
    let vectors = embedder
        .embed_unit(&texts)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let _ = job.events.send(Event::Embedded { vectors, tokens });
    Ok(None)
}

/// [`EventSink`] that owns its ends, for the batched engine, which keeps sinks between steps.
struct OwnedEventSink {
    events: UnboundedSender<Event>,
    cancel: CancelToken,
}

impl Sink for OwnedEventSink {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        if self.cancel.is_cancelled() {
            return Ok(false);
        }
        Ok(self.events.send(Event::Piece(text.to_string())).is_ok())
    }
}

/// Pieces go to the HTTP task; a closed channel or a cancel stops the generation.
struct EventSink<'a> {
    events: &'a UnboundedSender<Event>,
    cancel: &'a CancelToken,
}

impl Sink for EventSink<'_> {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        if self.cancel.is_cancelled() {
            return Ok(false);
        }
        Ok(self.events.send(Event::Piece(text.to_string())).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Sampling;

    fn params(max_tokens: u32) -> GenerateParams {
        GenerateParams {
            sampling: Sampling::greedy(),
            max_tokens,
            stop: Vec::new(),
            stop_at_end_of_text: true,
            grammar: None,
            adapters: Vec::new(),
        }
    }

    #[test]
    fn a_prompt_that_does_not_fit_is_a_400_with_the_counts() {
        let e = fit(90, &params(20), true, 100).unwrap_err();
        assert_eq!(e.status, 400);
        assert!(
            e.message.contains("90 tokens") && e.message.contains("110"),
            "{}",
            e.message
        );
        let e = fit(100, &params(20), false, 100).unwrap_err();
        assert!(e.message.contains("100 tokens"), "{}", e.message);
        assert_eq!(fit(90, &params(20), false, 100).unwrap(), 10);
        assert_eq!(fit(50, &params(20), true, 100).unwrap(), 20);
    }

    #[test]
    fn context_goes_around_the_clients_messages() {
        let messages = vec![
            Message::new(Role::User, "q1"),
            Message::new(Role::Assistant, "a1"),
            Message::new(Role::User, "q2"),
        ];
        let excerpt = Excerpt {
            path: "/n/a.md".into(),
            start_line: 1,
            end_line: 2,
            title: String::new(),
            score: 1.0,
            text: "fact".into(),
            private: false,
        };
        let context = Gathered {
            profile: Some("I like tea.".into()),
            memories: vec![Fact {
                id: 1,
                text: "my bike is a Brompton".into(),
            }],
            excerpts: vec![excerpt],
        };
        let out = add_context(&messages, &context);
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].role, Role::System);
        assert!(out[0].content.contains("I like tea."));
        assert_eq!(out[1].content, "q1");
        let last = &out[3].content;
        assert!(
            last.starts_with("<memories") && last.ends_with("q2"),
            "{last}"
        );
        let (memory, excerpt) = (
            last.find("Brompton").unwrap(),
            last.find("<excerpts").unwrap(),
        );
        assert!(memory < excerpt, "{last}");
    }
}
