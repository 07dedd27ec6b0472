//! Continuous batching: several generations share one llama.cpp context, one sequence each,
//! and every decode carries a piece of each one (the next token of those that are answering,
//! a chunk of the prompt of those that are reading). Generation on a CPU is bound by reading
//! the weights, so two answers in one decode cost little more than one. A generation joins or
//! leaves between two decodes; its slot keeps its cache, and the next request goes to the free
//! slot whose cache shares the longest beginning with its prompt.
//!
//! Like `Session`, this is not `Send`: the engine thread that loads the model runs it.
use std::num::NonZeroU32;
use std::time::Instant;

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;

use super::local::{backend, sampler_for, LocalModel};
use super::speculate::{Counts, Drafter};
use super::text::{StopMatcher, Utf8Stream};
use super::tools::Held;
use super::{EngineError, GenerateParams, Generation, Sink, StopReason};
use crate::cancel::CancelToken;

/// Prompt tokens one decode takes from all reading slots together.
const PROMPT_STEP: usize = 512;

/// The most drafted tokens one slot adds to a decode (`speculate`).
const DRAFT_ROOM: usize = 32;

/// A generation to run: its prompt tokens, settings, cancel token and where its text goes.
/// `tag` comes back with the result, for the caller to know whose it is.
pub struct Start<T> {
    pub tokens: Vec<LlamaToken>,
    pub params: GenerateParams,
    pub cancel: CancelToken,
    pub sink: Box<dyn Sink>,
    pub tag: T,
}

/// A generation that ended, with its tag.
pub struct Finished<T> {
    pub tag: T,
    pub result: Result<Generation, EngineError>,
}

struct Running<T> {
    start: Start<T>,
    /// With tools offered: the answer held to them, its text through this to `start.sink`'s
    /// owner (moved in here), its calls read out at the end.
    tools: Option<Held<Box<dyn Sink>>>,
    /// Prompt tokens already in the cache (reused or read).
    read: usize,
    reused: usize,
    /// The token sampled last and not yet decoded.
    pending: Option<LlamaToken>,
    /// Position of the next token to decode.
    pos: usize,
    /// Index in this step's batch of the token whose logits come next.
    logits_at: Option<i32>,
    /// The drafted tokens decoded after that one, each with its logits (`speculate`).
    draft: Vec<LlamaToken>,
    /// Prompt and answer so far, where drafts are looked up; empty without speculation.
    history: Vec<LlamaToken>,
    /// How long the next draft may be; none without speculation.
    drafter: Option<Drafter>,
    counts: Counts,
    sampler: LlamaSampler,
    utf8: Utf8Stream,
    stops: StopMatcher,
    generated: usize,
    started: Instant,
    prompt_ms: Option<f64>,
    generating: Option<Instant>,
}

struct Slot<T> {
    /// The tokens whose keys and values this sequence holds.
    cached: Vec<LlamaToken>,
    job: Option<Running<T>>,
}

pub struct BatchEngine<'m, T> {
    model: &'m LocalModel,
    ctx: LlamaContext<'m>,
    slots: Vec<Slot<T>>,
    /// Each sequence's window.
    window: u32,
    batch: LlamaBatch<'static>,
    n_batch: usize,
    /// Generations refused at the start (a grammar llama.cpp rejects), reported by the next step.
    refused: Vec<Finished<T>>,
}

impl<'m, T> BatchEngine<'m, T> {
    /// A context of `slots` sequences of `window` tokens each.
    pub fn new(
        model: &'m LocalModel,
        slots: u32,
        window: u32,
        threads: u32,
        adapters: &[super::Adapter],
    ) -> Result<Self, EngineError> {
        let slots = slots.max(1);
        let n_ctx = window.saturating_mul(slots);
        let n_batch = (PROMPT_STEP as u32 + slots * (1 + DRAFT_ROOM as u32)).min(n_ctx);
        let threads = threads.max(1) as i32;
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(n_ctx.max(16)))
            .with_n_batch(n_batch)
            .with_n_seq_max(slots)
            .with_kv_unified(false)
            .with_n_threads(threads)
            .with_n_threads_batch(threads);
        let mut ctx = model
            .llama()
            .new_context(backend(false)?, params)
            .map_err(|e| EngineError::Context {
                n_ctx,
                why: e.to_string(),
            })?;
        // Set once for every slot: requests cannot choose adapters of their own here.
        if !adapters.is_empty() {
            model.apply_adapters(&mut ctx, adapters)?;
        }
        Ok(Self {
            model,
            ctx,
            slots: (0..slots)
                .map(|_| Slot {
                    cached: Vec::new(),
                    job: None,
                })
                .collect(),
            window,
            batch: LlamaBatch::new(n_batch as usize, slots as i32),
            n_batch: n_batch as usize,
            refused: Vec::new(),
        })
    }

    pub fn window(&self) -> u32 {
        self.window
    }

    /// Generations running now, and refused ones the next step reports.
    pub fn active(&self) -> usize {
        self.slots.iter().filter(|s| s.job.is_some()).count() + self.refused.len()
    }

    pub fn has_free_slot(&self) -> bool {
        self.slots.iter().any(|s| s.job.is_none())
    }

    /// Puts a generation into the free slot whose cache shares the longest beginning with
    /// its prompt. The prompt must leave room in the window (the caller checked).
    // The request comes back whole when no slot is free, to wait for the next one; it is
    // moved once per request, so its size does not matter.
    #[allow(clippy::result_large_err)]
    pub fn start(&mut self, mut start: Start<T>) -> Result<(), Start<T>> {
        let best = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.job.is_none())
            .max_by_key(|(_, s)| common_prefix(&s.cached, &start.tokens));
        let Some((seq, _)) = best else {
            return Err(start);
        };
        super::prompt_log::record(&start.tokens);
        let tools = match self.hold_to_tools(&mut start) {
            Ok(tools) => tools,
            Err(e) => {
                self.refused.push(Finished {
                    tag: start.tag,
                    result: Err(e),
                });
                return Ok(());
            }
        };
        let sampler = match sampler_for(self.model.llama(), self.model.guidance(), &start.params) {
            Ok(sampler) => sampler,
            Err(e) => {
                self.refused.push(Finished {
                    tag: start.tag,
                    result: Err(e),
                });
                return Ok(());
            }
        };
        let mut reused = common_prefix(&self.slots[seq].cached, &start.tokens);
        // At least one prompt token is read: its logits start the answer.
        if reused == start.tokens.len() {
            reused = reused.saturating_sub(1);
        }
        let slot = &mut self.slots[seq];
        if reused < slot.cached.len() {
            let removed = self
                .ctx
                .clear_kv_cache_seq(Some(seq as u32), Some(reused as u32), None)
                .unwrap_or(false);
            if !removed {
                let _ = self.ctx.clear_kv_cache_seq(Some(seq as u32), None, None);
                reused = 0;
            }
            slot.cached.truncate(reused);
        }
        let stops = StopMatcher::new(&start.params.stop);
        let history = match start.params.speculation {
            Some(_) => start.tokens.clone(),
            None => Vec::new(),
        };
        let drafter = start.params.speculation.as_ref().map(Drafter::new);
        slot.job = Some(Running {
            tools,
            draft: Vec::new(),
            history,
            drafter,
            counts: Counts::default(),
            start,
            read: reused,
            reused,
            pending: None,
            pos: reused,
            logits_at: None,
            sampler,
            utf8: Utf8Stream::default(),
            stops,
            generated: 0,
            started: Instant::now(),
            prompt_ms: None,
            generating: None,
        });
        Ok(())
    }

    /// With tools offered, as the one-sequence engine does (`engine::tools`): the grammar on
    /// the settings, and the caller's sink behind the capture that reads the calls out.
    fn hold_to_tools(
        &self,
        start: &mut Start<T>,
    ) -> Result<Option<Held<Box<dyn Sink>>>, EngineError> {
        if !start.params.tools.callable() {
            return Ok(None);
        }
        let sink = std::mem::replace(&mut start.sink, Box::new(super::Discard));
        let held = Held::new(self.model.tool_format(), &mut start.params, sink)?;
        Ok(Some(held))
    }

    /// One decode over every running generation; returns those that ended.
    pub fn step(&mut self) -> Vec<Finished<T>> {
        let mut done = std::mem::take(&mut self.refused);
        // Cancelled ones leave before the decode.
        for seq in 0..self.slots.len() {
            let cancelled = self.slots[seq]
                .job
                .as_ref()
                .is_some_and(|j| j.start.cancel.is_cancelled());
            if cancelled {
                done.push(self.finish(seq, StopReason::Interrupted));
            }
        }
        self.batch.clear();
        let mut budget = PROMPT_STEP;
        let mut failed = None;
        let slots = self.slots.len();
        for (seq, slot) in self.slots.iter_mut().enumerate() {
            let Some(job) = slot.job.as_mut() else {
                continue;
            };
            job.logits_at = None;
            if let Some(token) = job.pending.take() {
                let room = self
                    .n_batch
                    .saturating_sub(self.batch.n_tokens() as usize + slots);
                if let Err(e) = add_answer(
                    &mut self.batch,
                    &mut slot.cached,
                    job,
                    seq,
                    token,
                    room,
                    self.window,
                ) {
                    failed = Some(e.to_string());
                    break;
                }
                continue;
            }
            let prompt = &job.start.tokens;
            if job.read < prompt.len() && budget > 0 {
                let take = (prompt.len() - job.read).min(budget);
                for (i, &token) in prompt[job.read..job.read + take].iter().enumerate() {
                    let last = job.read + i + 1 == prompt.len();
                    if let Err(e) = self.batch.add(token, job.pos as i32, &[seq as i32], last) {
                        failed = Some(e.to_string());
                        break;
                    }
                    job.pos += 1;
                    if last {
                        job.logits_at = Some(self.batch.n_tokens() - 1);
                    }
                }
                slot.cached
                    .extend_from_slice(&prompt[job.read..job.read + take]);
                job.read += take;
                budget -= take;
            }
        }
        if failed.is_none() && self.batch.n_tokens() > 0 {
            if let Err(e) = self.ctx.decode(&mut self.batch) {
                failed = Some(e.to_string());
            }
        }
        if let Some(why) = failed {
            self.fail_all(&why, &mut done);
            return done;
        }
        for seq in 0..self.slots.len() {
            if let Some(reason) = self.sample(seq) {
                done.push(self.finish(seq, reason));
            }
        }
        done
    }

    /// Ends every generation with `why`: what was in the batch may be half in the cache, so
    /// none of it is trusted.
    fn fail_all(&mut self, why: &str, done: &mut Vec<Finished<T>>) {
        self.ctx.clear_kv_cache();
        for slot in &mut self.slots {
            slot.cached.clear();
            if let Some(job) = slot.job.take() {
                done.push(Finished {
                    tag: job.start.tag,
                    result: Err(EngineError::Decode(why.to_string())),
                });
            }
        }
    }

    /// Samples the next token of the generation in `seq` if its logits came in this step,
    /// then along its draft while the draft holds; a stop reason when it ends.
    fn sample(&mut self, seq: usize) -> Option<StopReason> {
        let window = self.window as usize;
        let vocab = self.model.llama().vocab();
        let job = self.slots[seq].job.as_mut()?;
        let at = job.logits_at.take()?;
        if job.prompt_ms.is_none() {
            job.prompt_ms = Some(job.started.elapsed().as_secs_f64() * 1000.0);
            job.generating = Some(Instant::now());
        }
        let draft = std::mem::take(&mut job.draft);
        // Cache position of the token whose logits are at `at`.
        let first = job.pos - 1 - draft.len();
        for i in 0..=draft.len() {
            if job.generated >= job.start.params.max_tokens as usize {
                return Some(StopReason::MaxTokens);
            }
            if first + 1 + i >= window {
                return Some(StopReason::ContextFull);
            }
            let token = job.sampler.sample(&self.ctx, at + i as i32);
            if let Some(reason) = job.take(&vocab, token) {
                return Some(reason);
            }
            if draft.get(i) == Some(&token) {
                job.counts.accepted += 1;
                continue;
            }
            if let Some(drafter) = job.drafter.as_mut() {
                drafter.record(draft.len(), i);
            }
            let keep = first + 1 + i;
            if keep < job.pos && !self.drop_tail(seq, keep) {
                return Some(StopReason::Interrupted);
            }
            let job = self.slots[seq].job.as_mut()?;
            if job.generated >= job.start.params.max_tokens as usize {
                return Some(StopReason::MaxTokens);
            }
            job.pending = Some(token);
            return None;
        }
        unreachable!("the last position has no draft token to agree with")
    }

    /// Drops the cache of `seq` from position `keep` on (rejected drafts); false when the
    /// model's cache cannot, and the slot starts afresh.
    fn drop_tail(&mut self, seq: usize, keep: usize) -> bool {
        let removed = self
            .ctx
            .clear_kv_cache_seq(Some(seq as u32), Some(keep as u32), None)
            .unwrap_or(false);
        let slot = &mut self.slots[seq];
        if !removed {
            let _ = self.ctx.clear_kv_cache_seq(Some(seq as u32), None, None);
            slot.cached.clear();
            return false;
        }
        slot.cached.truncate(keep);
        if let Some(job) = slot.job.as_mut() {
            job.pos = keep;
        }
        true
    }

    fn finish(&mut self, seq: usize, reason: StopReason) -> Finished<T> {
        let mut job = self.slots[seq].job.take().expect("a running slot");
        if !matches!(reason, StopReason::StopString | StopReason::ReaderClosed) {
            let rest = job.stops.push(&job.utf8.finish()).text + &job.stops.finish();
            if !rest.is_empty() {
                let _ = job.out().piece(&rest);
            }
        }
        let prompt_ms = job
            .prompt_ms
            .unwrap_or_else(|| job.started.elapsed().as_secs_f64() * 1000.0);
        let generation_ms = job
            .generating
            .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
        let generation = Generation {
            tool_calls: Vec::new(),
            prompt_tokens: job.start.tokens.len(),
            reused_tokens: job.reused,
            generated_tokens: job.generated,
            prompt_ms,
            generation_ms,
            stop_reason: reason,
            speculation: job.counts,
            prefix: Default::default(),
        };
        let result = match job.tools {
            Some(held) => held.conclude(generation),
            None => Ok(generation),
        };
        Finished {
            tag: job.start.tag,
            result,
        }
    }
}

impl<T> Running<T> {
    /// Where the answer's text goes: through the tools' capture when tools are offered.
    fn out(&mut self) -> &mut dyn Sink {
        match &mut self.tools {
            Some(held) => held,
            None => &mut *self.start.sink,
        }
    }

    /// A sampled token into the answer: a stop reason when the answer ends with it.
    fn take(
        &mut self,
        vocab: &llama_cpp_2::vocab::LlamaVocab<'_>,
        token: LlamaToken,
    ) -> Option<StopReason> {
        if self.start.params.stop_at_end_of_text && vocab.is_eog(token) {
            return Some(StopReason::EndOfText);
        }
        self.generated += 1;
        if self.start.params.speculation.is_some() {
            self.history.push(token);
        }
        let mut piece = Vec::with_capacity(32);
        vocab.token_to_piece_into(token, &mut piece, false, None);
        let released = self.stops.push(&self.utf8.push(&piece));
        if !released.text.is_empty() {
            match self.out().piece(&released.text) {
                Ok(true) => {}
                Ok(false) | Err(_) => return Some(StopReason::ReaderClosed),
            }
        }
        released.stopped.then_some(StopReason::StopString)
    }
}

/// Adds the token sampled last for `job` to the batch, with a draft after it when the job
/// speculates and there is `room`; every one of them with logits.
fn add_answer<T>(
    batch: &mut LlamaBatch,
    slot_cached: &mut Vec<LlamaToken>,
    job: &mut Running<T>,
    seq: usize,
    token: LlamaToken,
    room: usize,
    window: u32,
) -> Result<(), llama_cpp_2::llama_batch::BatchAddError> {
    job.draft = match &job.drafter {
        Some(drafter) => {
            let left = (job.start.params.max_tokens as usize).saturating_sub(job.generated + 1);
            let in_window = (window as usize).saturating_sub(job.pos + 2);
            let limit = left
                .min(in_window)
                .min(room.saturating_sub(1))
                .min(DRAFT_ROOM);
            drafter.propose(&job.history, limit)
        }
        None => Vec::new(),
    };
    job.logits_at = Some(batch.n_tokens());
    for &t in std::iter::once(&token).chain(&job.draft) {
        batch.add(t, job.pos as i32, &[seq as i32], true)?;
        slot_cached.push(t);
        job.pos += 1;
    }
    job.counts.drafted += job.draft.len();
    Ok(())
}

fn common_prefix(a: &[LlamaToken], b: &[LlamaToken]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}
