//! The engine thread for interactive front ends. llama.cpp's context is not `Send`, so one
//! thread loads the model, owns the session (and with it the KV cache that makes the next turn
//! cheap), and takes jobs over a channel; replies go back through a callback as they happen.
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::JoinHandle;

use super::local::{LoadOptions, LocalModel, Session};
use super::{GenerateParams, Generation, Sink};
use crate::context::{Excerpt, Request, TokenCount};

pub struct Job {
    pub request: Request,
    /// Tokens of the window kept free for the answer.
    pub reserve: u32,
    pub retrieval_tokens: usize,
    pub params: GenerateParams,
}

#[derive(Debug, Clone)]
pub enum Reply {
    /// The prompt was assembled and is being read.
    Started {
        prompt_tokens: usize,
        window: u32,
        sources: Vec<Excerpt>,
        cuts: Vec<String>,
    },
    Piece(String),
    Finished(Generation),
    Failed(String),
}

pub struct WorkerConfig {
    pub path: PathBuf,
    pub options: LoadOptions,
    /// The session's context size; `None` takes the model's trained length, capped at 8192.
    pub window: Option<u32>,
    pub threads: u32,
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
}

impl Worker {
    /// Loads the model on a new thread and waits until it is ready or has failed.
    pub fn start(
        config: WorkerConfig,
        reply: impl Fn(Reply) + Send + 'static,
    ) -> Result<(Worker, Loaded), String> {
        let (jobs, job_rx) = channel::<Job>();
        let (ready_tx, ready_rx) = channel::<Result<Loaded, String>>();
        let thread = std::thread::Builder::new()
            .name("engine".into())
            .spawn(move || serve(config, job_rx, ready_tx, reply))
            .map_err(|e| e.to_string())?;
        let loaded = ready_rx
            .recv()
            .map_err(|_| "the engine thread ended while loading".to_string())??;
        Ok((
            Worker {
                jobs: Some(jobs),
                thread: Some(thread),
            },
            loaded,
        ))
    }

    pub fn submit(&self, job: Job) -> Result<(), String> {
        self.jobs
            .as_ref()
            .and_then(|j| j.send(job).ok())
            .ok_or_else(|| "the engine thread has stopped".to_string())
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop once the job in hand is done.
        super::CANCEL.store(true, std::sync::atomic::Ordering::Relaxed);
        self.jobs.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        super::CANCEL.store(false, std::sync::atomic::Ordering::Relaxed);
    }
}

fn serve(
    config: WorkerConfig,
    jobs: Receiver<Job>,
    ready: Sender<Result<Loaded, String>>,
    reply: impl Fn(Reply),
) {
    let model = match LocalModel::load(&config.path, &config.options) {
        Ok(m) => m,
        Err(e) => {
            let _ = ready.send(Err(e.to_string()));
            return;
        }
    };
    let trained = model.trained_context().max(16);
    let window = config.window.unwrap_or(8192).clamp(16, trained);
    let mut session = match model.session(window, config.threads) {
        Ok(s) => s,
        Err(e) => {
            let _ = ready.send(Err(e.to_string()));
            return;
        }
    };
    let _ = ready.send(Ok(Loaded { window, trained }));
    for job in jobs {
        if let Err(e) = run_job(&model, &mut session, job, window, &reply) {
            reply(Reply::Failed(e));
        }
    }
}

fn run_job(
    model: &LocalModel,
    session: &mut Session,
    job: Job,
    window: u32,
    reply: &impl Fn(Reply),
) -> Result<(), String> {
    let mut request = job.request;
    request.limit_excerpts(job.retrieval_tokens, model as &dyn TokenCount);
    let budget = window.saturating_sub(job.reserve.min(window / 2)) as usize;
    let assembled = request.assemble(budget, model).map_err(|o| {
        format!(
            "the message is {} tokens, more than the {budget} the window leaves for it: shorten it",
            o.tokens
        )
    })?;
    let tokens = model.tokenize(
        &model.format_chat(&assembled.messages),
        model.has_chat_template(),
    );
    reply(Reply::Started {
        prompt_tokens: tokens.len(),
        window,
        sources: assembled.sources,
        cuts: assembled.cuts,
    });
    let mut sink = ReplySink(reply);
    let generation = session
        .generate(&tokens, &job.params, &mut sink)
        .map_err(|e| e.to_string())?;
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
