//! What passes between an HTTP task and the engine thread: a job (the work, its settings, its
//! cancel token and the channel its events go back on), those events, and the counters that
//! /health reports.
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::error::ApiError;
use crate::cancel::CancelToken;
use crate::context::{Excerpt, Fact};
use crate::engine::logprobs::TokenLogprobs;
use crate::engine::{GenerateParams, Generation, Sink};
use crate::message::Message;

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
        /// `logprobs`: alternatives per token, when asked.
        logprobs: Option<usize>,
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
    /// Its place in the server; given back before the last event goes out, so that a client
    /// that asks again at once finds it free.
    pub admission: Admission,
}

/// A job's place among those the server takes (running or waiting); dropping it frees it.
pub struct Admission(Arc<Stats>);

impl Admission {
    /// Only [`super::backend::Backend::reserve`] counts the place in.
    pub(super) fn new(stats: Arc<Stats>) -> Admission {
        Admission(stats)
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::SeqCst);
    }
}

#[derive(Debug)]
pub enum Event {
    /// The prompt fits and is being read.
    Started {
        prompt_tokens: usize,
        sources: Vec<Excerpt>,
    },
    Piece(String),
    /// The log-probabilities of the token whose text comes next.
    Logprobs(TokenLogprobs),
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
    /// Jobs admitted and not yet ended, running or waiting: what the 429 limit counts.
    pub admitted: AtomicUsize,
    pub completed: AtomicU64,
    pub cancelled: AtomicU64,
    pub rejected: AtomicU64,
    pub failed: AtomicU64,
    pub generated_tokens: AtomicU64,
    /// Milliseconds the last finished job took, to estimate Retry-After.
    pub last_job_ms: AtomicU64,
}

impl Job {
    /// Where the engine sends this job's pieces.
    pub fn sink(&self) -> EventSink {
        let logprobs = match &self.work {
            Work::Chat { logprobs, .. } => *logprobs,
            _ => None,
        };
        EventSink {
            events: self.events.clone(),
            cancel: self.cancel.clone(),
            logprobs,
        }
    }
}

/// Pieces go to the HTTP task; a closed channel or a cancel stops the generation.
pub struct EventSink {
    pub events: UnboundedSender<Event>,
    pub cancel: CancelToken,
    /// Alternatives per token when the client asked for log-probabilities.
    pub logprobs: Option<usize>,
}

impl Sink for EventSink {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        if self.cancel.is_cancelled() {
            return Ok(false);
        }
        Ok(self.events.send(Event::Piece(text.to_string())).is_ok())
    }

    fn wants_logprobs(&self) -> Option<usize> {
        self.logprobs
    }

    fn logprobs(&mut self, token: TokenLogprobs) {
        let _ = self.events.send(Event::Logprobs(token));
    }
}
