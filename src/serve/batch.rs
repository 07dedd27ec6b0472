//! Several jobs at once in one context (`--parallel` above 1): continuous batching on the
//! engine thread. Jobs are taken while a slot is free, then one decode carries every running
//! answer a token further; a job whose client went away is skipped or stopped between tokens.
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;

use super::error::ApiError;
use super::job::{Admission, Event, Job, Stats};
use super::prompt::{prepare, ContextLimits};
use crate::cancel::CancelToken;
use crate::engine::batch::{BatchEngine, Finished, Start};
use crate::engine::local::LocalModel;
use crate::engine::StopReason;

/// What a batched generation carries back to its bookkeeping.
pub struct Tag {
    events: UnboundedSender<Event>,
    cancel: CancelToken,
    started: Instant,
    admission: Admission,
}

/// Take jobs while a slot is free (waiting only when nothing runs), then one decode for all
/// of them; repeat until the queue is closed and empty.
pub fn batch_loop(
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
            admit(model, &mut engine, window, limits, job, stats);
        }
        if engine.active() == 0 {
            if open {
                continue;
            }
            return;
        }
        for done in engine.step() {
            finish(done, stats);
        }
    }
}

/// Starts a job in the free slot, unless its client went away or its prompt does not fit.
fn admit(
    model: &LocalModel,
    engine: &mut BatchEngine<Tag>,
    window: u32,
    limits: ContextLimits,
    job: Job,
    stats: &Stats,
) {
    stats.waiting.fetch_sub(1, Ordering::SeqCst);
    if job.cancel.is_cancelled() || job.events.is_closed() {
        stats.cancelled.fetch_add(1, Ordering::Relaxed);
        return;
    }
    let (tokens, params) = match prepare(model, window, limits, &job) {
        Ok(ready) => ready,
        Err(e) => {
            stats.failed.fetch_add(1, Ordering::Relaxed);
            drop(job.admission);
            let _ = job.events.send(Event::Failed(e));
            return;
        }
    };
    stats.running.fetch_add(1, Ordering::SeqCst);
    let start = Start {
        tokens,
        params,
        cancel: job.cancel.clone(),
        sink: Box::new(job.sink()),
        tag: Tag {
            events: job.events,
            cancel: job.cancel,
            started: Instant::now(),
            admission: job.admission,
        },
    };
    if engine.start(start).is_err() {
        unreachable!("a slot was free");
    }
}

/// A generation that ended: the counters, and its last event to the HTTP task.
fn finish(done: Finished<Tag>, stats: &Stats) {
    stats.running.fetch_sub(1, Ordering::SeqCst);
    let tag = done.tag;
    drop(tag.admission);
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
            let _ = tag.events.send(Event::Failed(ApiError::from(e)));
        }
    }
}
