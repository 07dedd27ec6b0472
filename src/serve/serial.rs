//! Jobs one at a time on the engine thread: the bookkeeping every job shares (counters,
//! cancelled jobs skipped, the outcome sent back), a generation on the one-sequence engine,
//! and an embedding.
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::error::{encoder_only, ApiError};
use super::job::{Event, Job, Stats, Work};
use super::prompt::{prepare, ContextLimits};
use crate::engine::embed::Embedder;
use crate::engine::local::{LocalEngine, LocalModel};
use crate::engine::{Generation, StopReason};

/// Runs one job with the bookkeeping every job shares.
pub fn run(
    stats: &Stats,
    job: Job,
    work: impl FnOnce(&Job) -> Result<Option<Generation>, ApiError>,
) {
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
    drop(job.admission);
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

pub fn generate_job(
    model: &LocalModel,
    engine: &mut LocalEngine,
    window: u32,
    limits: ContextLimits,
    job: &Job,
) -> Result<Option<Generation>, ApiError> {
    let (tokens, params) = prepare(model, window, limits, job)?;
    let mut sink = job.sink();
    engine
        .generate_tokens(&tokens, &params, &job.cancel, &mut sink)
        .map(Some)
        .map_err(ApiError::from)
}

/// The inputs' vectors, or a 400 naming the first input longer than the encoder reads:
/// an input is never cut, or two texts that differ only past the limit would get one vector.
pub fn embed_job(
    embedder: &Embedder,
    limit: usize,
    job: &Job,
) -> Result<Option<Generation>, ApiError> {
    let Work::Embed { inputs } = &job.work else {
        return Err(encoder_only());
    };
    let texts: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let counts: Vec<usize> = texts.iter().map(|t| embedder.count_tokens(t)).collect();
    if let Some((i, &n)) = counts.iter().enumerate().find(|(_, &n)| n > limit) {
        return Err(too_long(
            inputs.len(),
            i,
            n,
            limit,
            embedder.trained_length(),
        ));
    }
    let vectors = embedder.embed_unit_within(&texts, limit)?;
    let tokens = counts.iter().sum();
    let _ = job.events.send(Event::Embedded { vectors, tokens });
    Ok(None)
}

fn too_long(inputs: usize, i: usize, tokens: usize, limit: usize, trained: usize) -> ApiError {
    let name = if inputs == 1 {
        "'input'".to_string()
    } else {
        format!("'input[{i}]'")
    };
    let more = if limit < trained {
        format!("pai serve --ctx raises it to {trained}, the model's trained length")
    } else {
        "the model's trained length".to_string()
    };
    ApiError::bad_request(format!(
        "{name} is {tokens} tokens; this embedding model reads at most {limit} ({more}): split the text; nothing was embedded"
    ))
    .param("input")
    .code("context_length_exceeded")
}
