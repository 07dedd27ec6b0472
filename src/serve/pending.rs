//! A request's job once queued: the receiving end of its events, and a guard that cancels
//! the job when the HTTP task drops it before the end (the client went away).
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

use super::error::ApiError;
use super::job::{Event, Job, Work};
use super::state::Shared;
use crate::cancel::CancelToken;
use crate::context::Excerpt;
use crate::engine::GenerateParams;

/// Cancels its job when dropped before the job finished: the client went away.
pub struct CancelOnDrop {
    cancel: CancelToken,
    done: bool,
    what: &'static str,
    pieces: usize,
}

impl CancelOnDrop {
    pub fn new(cancel: CancelToken, what: &'static str) -> Self {
        Self {
            cancel,
            done: false,
            what,
            pieces: 0,
        }
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if !self.done {
            self.cancel.cancel();
            tracing::info!(
                "pai serve: the client went away; {} cancelled after {} pieces",
                self.what,
                self.pieces
            );
        }
    }
}

/// A queued job's receiving end.
pub struct Pending {
    pub events: UnboundedReceiver<Event>,
    pub guard: CancelOnDrop,
}

/// Queues `work` on the engine thread; a server with no place left answers 429.
pub fn submit(
    s: &Shared,
    work: Work,
    params: GenerateParams,
    explicit: bool,
    what: &'static str,
) -> Result<Pending, ApiError> {
    let admission = s.backend.reserve()?;
    let (tx, rx) = unbounded_channel();
    let cancel = CancelToken::new();
    let job = Job {
        work,
        params,
        explicit_max_tokens: explicit,
        cancel: cancel.clone(),
        events: tx,
        admission,
    };
    s.backend.submit(job)?;
    Ok(Pending {
        events: rx,
        guard: CancelOnDrop::new(cancel, what),
    })
}

impl Pending {
    pub async fn next(&mut self) -> Option<Event> {
        let event = self.events.recv().await;
        match &event {
            Some(Event::Piece(_)) => self.guard.pieces += 1,
            Some(Event::Finished(_) | Event::Failed(_) | Event::Embedded { .. }) | None => {
                self.guard.done = true
            }
            Some(Event::Started { .. } | Event::Logprobs(_)) => {}
        }
        event
    }

    /// Waits for the prompt to be accepted: the status line is decided here.
    pub async fn started(&mut self) -> Result<(usize, Vec<Excerpt>), ApiError> {
        match self.next().await {
            Some(Event::Started {
                prompt_tokens,
                sources,
            }) => Ok((prompt_tokens, sources)),
            Some(Event::Failed(e)) => Err(e),
            _ => Err(ApiError::internal(
                "the engine stopped before the request started",
            )),
        }
    }
}
