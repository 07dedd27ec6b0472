//! The answer loop of a [`Session`] with prompt-lookup drafts (`engine::speculate`): each
//! decode reads the token sampled last and the draft after it, with logits at every position;
//! the sampler then walks the draft and keeps it while it samples the drafted token, and the
//! rejected tail leaves the cache. Each position is sampled exactly as plain decoding would
//! sample it, from the same sampler state, so the answer is the same.
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;

use super::session::emit;
use super::{argmax, plain_greedy, sampler_for, Session};
use crate::cancel::CancelToken;
use crate::engine::speculate::{Counts, Drafter, Speculation};
use crate::engine::text::{StopMatcher, Utf8Stream};
use crate::engine::{EngineError, GenerateParams, Sink, StopReason, TokenStats};

/// Where the text of accepted tokens goes: UTF-8 joined, stop strings held back.
struct Out<'s> {
    sink: &'s mut dyn Sink,
    utf8: Utf8Stream,
    stops: StopMatcher,
    piece: Vec<u8>,
}

impl Out<'_> {
    /// Sends one token's text; a stop reason when the answer ends with it.
    fn token(
        &mut self,
        vocab: &llama_cpp_2::vocab::LlamaVocab<'_>,
        token: LlamaToken,
    ) -> Result<Option<StopReason>, EngineError> {
        self.piece.clear();
        vocab.token_to_piece_into(token, &mut self.piece, false, None);
        let released = self.stops.push(&self.utf8.push(&self.piece));
        if !released.text.is_empty() && !emit(self.sink, &released.text)? {
            return Ok(Some(StopReason::ReaderClosed));
        }
        Ok(released.stopped.then_some(StopReason::StopString))
    }

    fn finish(mut self, reason: StopReason) -> Result<(), EngineError> {
        if !matches!(reason, StopReason::StopString | StopReason::ReaderClosed) {
            let rest = self.stops.push(&self.utf8.finish()).text + &self.stops.finish();
            if !rest.is_empty() {
                emit(self.sink, &rest)?;
            }
        }
        Ok(())
    }
}

/// The state of one speculative answer between decodes.
struct Walk {
    sampler: LlamaSampler,
    /// Greedy with nothing before the pick: the largest logit is the token.
    argmax: bool,
    drafter: Drafter,
    /// Prompt and answer so far: where drafts are looked up.
    history: Vec<LlamaToken>,
    /// The draft decoded after the batch's first token.
    draft: Vec<LlamaToken>,
    /// Batch index of the logits for the next token.
    first: i32,
    /// Cache position of the token at `first`.
    base: i32,
    generated: usize,
    counts: Counts,
}

impl Session<'_> {
    /// Like `decode_loop`, reading drafts with each token; returns also what was drafted.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn decode_speculative(
        &mut self,
        batch: &mut LlamaBatch,
        pos: i32,
        prompt: &[LlamaToken],
        spec: &Speculation,
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<(usize, StopReason, Counts), EngineError> {
        let mut walk = Walk {
            sampler: sampler_for(&self.model.model, &self.model.guidance, params)?,
            argmax: plain_greedy(params),
            drafter: Drafter::new(spec),
            history: prompt.to_vec(),
            draft: Vec::new(),
            first: batch.n_tokens() - 1,
            base: pos - 1,
            generated: 0,
            counts: Counts::default(),
        };
        let mut out = Out {
            sink,
            utf8: Utf8Stream::default(),
            stops: StopMatcher::new(&params.stop),
            piece: Vec::with_capacity(32),
        };
        let reason = loop {
            let (token, kept) = match self.verify(&mut walk, &mut out, params, cancel)? {
                Ok(next) => next,
                Err(reason) => break reason,
            };
            walk.drafter.record(walk.draft.len(), kept);
            self.drop_rejected(&mut walk, kept)?;
            let at = walk.base + 1 + kept as i32;
            if at >= self.ctx.n_ctx() as i32 {
                break StopReason::ContextFull;
            }
            let room = (self.ctx.n_ctx() as i32 - at - 1).max(0) as usize;
            let left = (params.max_tokens as usize).saturating_sub(walk.generated + 1);
            let limit = room.min(left).min(self.n_batch.saturating_sub(1));
            walk.draft = walk.drafter.propose(&walk.history, limit);
            self.read_draft(batch, &mut walk, token, at)?;
        };
        out.finish(reason)?;
        Ok((walk.generated, reason, walk.counts))
    }

    /// Samples along the batch's logits while the draft holds. `Ok(Ok((token, kept)))`: the
    /// token that came instead of the draft (or after all of it) and how many drafted tokens
    /// were kept; `Ok(Err(reason))`: the answer ended.
    fn verify(
        &mut self,
        walk: &mut Walk,
        out: &mut Out<'_>,
        params: &GenerateParams,
        cancel: &CancelToken,
    ) -> Result<Result<(LlamaToken, usize), StopReason>, EngineError> {
        let vocab = self.model.model.vocab();
        let n_ctx = self.ctx.n_ctx() as i32;
        for i in 0..=walk.draft.len() {
            if walk.generated >= params.max_tokens as usize {
                return Ok(Err(StopReason::MaxTokens));
            }
            if cancel.is_cancelled() {
                return Ok(Err(StopReason::Interrupted));
            }
            if walk.base + 1 + i as i32 >= n_ctx {
                return Ok(Err(StopReason::ContextFull));
            }
            let index = walk.first + i as i32;
            let token = if walk.argmax {
                argmax(self.ctx.get_logits_ith(index))
            } else {
                walk.sampler.sample(&self.ctx, index)
            };
            if out.sink.wants_token_stats() {
                let logits = self.ctx.get_logits_ith(index);
                let id = usize::try_from(token.0).unwrap_or(usize::MAX);
                out.sink.observe(TokenStats::from_logits(logits, id));
            }
            if params.stop_at_end_of_text && vocab.is_eog(token) {
                return Ok(Err(StopReason::EndOfText));
            }
            walk.generated += 1;
            walk.history.push(token);
            if let Some(reason) = out.token(&vocab, token)? {
                return Ok(Err(reason));
            }
            if walk.draft.get(i) != Some(&token) {
                return Ok(Ok((token, i)));
            }
            walk.counts.accepted += 1;
        }
        unreachable!("the last position has no draft token to agree with")
    }

    /// Removes the drafted tokens after the `kept` first from the cache.
    fn drop_rejected(&mut self, walk: &mut Walk, kept: usize) -> Result<(), EngineError> {
        let keep = (walk.base + 1 + kept as i32) as usize;
        if keep >= self.cached.len() {
            return Ok(());
        }
        let removed = self
            .ctx
            .clear_kv_cache_seq(Some(0), Some(keep as u32), None)
            .map_err(|e| EngineError::Decode(e.to_string()))?;
        if !removed {
            self.cached.clear();
            self.ctx.clear_kv_cache();
            return Err(EngineError::Decode(
                "this model's cache cannot drop drafted tokens; turn speculation off".into(),
            ));
        }
        self.cached.truncate(keep);
        Ok(())
    }

    /// Decodes `token` at `at` and the draft after it, with logits at every position.
    fn read_draft(
        &mut self,
        batch: &mut LlamaBatch,
        walk: &mut Walk,
        token: LlamaToken,
        at: i32,
    ) -> Result<(), EngineError> {
        batch.clear();
        let tokens = std::iter::once(token).chain(walk.draft.iter().copied());
        for (i, t) in tokens.enumerate() {
            batch
                .add(t, at + i as i32, &[0], true)
                .map_err(|e| EngineError::Decode(e.to_string()))?;
        }
        self.decode(batch)?;
        self.cached.push(token);
        self.cached.extend_from_slice(&walk.draft);
        walk.counts.drafted += walk.draft.len();
        walk.first = 0;
        walk.base = at;
        Ok(())
    }
}
