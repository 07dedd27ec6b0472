//! One llama.cpp context on a loaded model: the prompt read in micro-batches after the part
//! already in the cache, then the answer sampled token by token into the sink.
use std::time::Instant;

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::token::LlamaToken;

use super::{sampler_for, LocalModel};
use crate::cancel::CancelToken;
use crate::engine::logprobs;
use crate::engine::prefix_cache::{Plan, PrefixUse};
use crate::engine::speculate::Counts;
use crate::engine::text::{StopMatcher, Utf8Stream};
use crate::engine::{
    Adapter, EngineError, GenerateParams, Generation, Sink, StopReason, TokenStats,
};

/// Prompt tokens handed to llama.cpp at a time (its default micro-batch).
const PROMPT_STEP: usize = 512;

pub struct Session<'m> {
    pub(super) model: &'m LocalModel,
    pub(super) ctx: LlamaContext<'m>,
    /// The adapter set on the context now; the cache below was computed with it.
    adapters: Vec<Adapter>,
    pub(super) n_batch: usize,
    /// The tokens whose keys and values are in the cache, position by position. A prompt that
    /// starts the same way (the next turn of a conversation) reads only what is new.
    pub(super) cached: Vec<LlamaToken>,
}

impl<'m> Session<'m> {
    pub(super) fn new(model: &'m LocalModel, ctx: LlamaContext<'m>, n_batch: usize) -> Self {
        Self {
            model,
            ctx,
            adapters: Vec::new(),
            n_batch,
            cached: Vec::new(),
        }
    }

    pub fn n_ctx(&self) -> u32 {
        self.ctx.n_ctx()
    }

    /// Reads `prompt`, then streams up to `max_tokens` tokens of answer into `sink`. The part
    /// of `prompt` already in the cache from the previous call is not read again.
    pub fn generate(
        &mut self,
        prompt: &[LlamaToken],
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<Generation, EngineError> {
        self.generate_planned(prompt, None, params, cancel, sink)
    }

    /// [`Session::generate`], with the prompt's stable prefix read from the prompt cache on
    /// disk when `plan` finds it there, else decoded and saved there.
    pub(super) fn generate_planned(
        &mut self,
        prompt: &[LlamaToken],
        plan: Option<&Plan>,
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<Generation, EngineError> {
        // With no prompt token there are no logits, and llama.cpp's sampler asserts on that.
        if prompt.is_empty() {
            return Err(EngineError::EmptyPrompt);
        }
        crate::engine::prompt_log::record(prompt);
        let started = Instant::now();
        self.set_adapters(&params.adapters)?;
        let mut reused = self.keep_common_prefix(prompt)?;
        let mut prefix = PrefixUse::NotUsed;
        if let Some(plan) = plan.filter(|p| p.len < prompt.len()) {
            if reused >= plan.len {
                prefix = PrefixUse::InContext(plan.len);
            } else if self.load_prefix(plan, &prompt[..plan.len]) {
                reused = plan.len;
                prefix = PrefixUse::Loaded(plan.len);
            } else {
                // Read the prefix alone, so that the cache holds it and nothing after it.
                reused = self.cached.len();
                let mut batch = LlamaBatch::new(self.n_batch.max(1), 1);
                if !self.read_prompt(&mut batch, &prompt[..plan.len], reused, cancel)? {
                    return Ok(interrupted(prompt.len(), reused, started));
                }
                prefix = PrefixUse::Decoded(plan.len, self.save_prefix(plan, &prompt[..plan.len]));
            }
        }
        let mut batch = LlamaBatch::new(self.n_batch.max(1), 1);
        let from = self.cached.len();
        if !self.read_prompt(&mut batch, prompt, from, cancel)? {
            return Ok(interrupted(prompt.len(), reused, started));
        }
        let pos = prompt.len();
        let prompt_ms = ms_since(started);
        let generating = Instant::now();
        let (generated, stop_reason, speculation) = match &params.speculation {
            Some(spec) => {
                self.decode_speculative(&mut batch, pos as i32, prompt, spec, params, cancel, sink)?
            }
            None => {
                let (generated, reason) =
                    self.decode_loop(&mut batch, pos as i32, params, cancel, sink)?;
                (generated, reason, Counts::default())
            }
        };
        Ok(Generation {
            tool_calls: Vec::new(),
            prompt_tokens: prompt.len(),
            reused_tokens: reused,
            generated_tokens: generated,
            prompt_ms,
            generation_ms: ms_since(generating),
            stop_reason,
            speculation,
            prefix,
        })
    }

    /// Decodes `tokens[from..]` at their positions, logits for the last one only; false when
    /// cancelled between two micro-batches.
    fn read_prompt(
        &mut self,
        batch: &mut LlamaBatch,
        tokens: &[LlamaToken],
        from: usize,
        cancel: &CancelToken,
    ) -> Result<bool, EngineError> {
        let mut pos = from;
        // llama.cpp works in 512-token micro-batches anyway; handing them over one at a time
        // costs nothing and lets Ctrl-C or Esc stop a long prompt between them.
        for chunk in tokens[from..].chunks(self.n_batch.min(PROMPT_STEP)) {
            if cancel.is_cancelled() {
                return Ok(false);
            }
            batch.clear();
            for (i, &token) in chunk.iter().enumerate() {
                let last = pos + i + 1 == tokens.len();
                batch
                    .add(token, (pos + i) as i32, &[0], last)
                    .map_err(|e| EngineError::Decode(e.to_string()))?;
            }
            self.decode(batch)?;
            self.cached.extend_from_slice(chunk);
            pos += chunk.len();
        }
        Ok(true)
    }

    /// Puts `wanted` on the context. Keys and values computed under another adapter set are
    /// not this set's, so a change drops the whole cache.
    pub(super) fn set_adapters(&mut self, wanted: &[Adapter]) -> Result<(), EngineError> {
        if self.adapters == wanted {
            return Ok(());
        }
        self.model
            .adapters
            .apply(&self.model.model, &mut self.ctx, wanted)?;
        self.adapters = wanted.to_vec();
        self.cached.clear();
        self.ctx.clear_kv_cache();
        Ok(())
    }

    /// Drops the cache past the longest prefix shared with `prompt`; returns that length.
    /// At least one token is always read again: its logits start the answer.
    fn keep_common_prefix(&mut self, prompt: &[LlamaToken]) -> Result<usize, EngineError> {
        let mut common = self
            .cached
            .iter()
            .zip(prompt)
            .take_while(|(a, b)| a == b)
            .count();
        if common == prompt.len() {
            common = common.saturating_sub(1);
        }
        if common < self.cached.len() {
            let removed = self
                .ctx
                .clear_kv_cache_seq(Some(0), Some(common as u32), None)
                .map_err(|e| EngineError::Decode(e.to_string()))?;
            if !removed {
                // The cache cannot drop a tail (some recurrent models): start afresh.
                self.ctx.clear_kv_cache();
                common = 0;
            }
            self.cached.truncate(common);
        }
        Ok(common)
    }

    pub(super) fn decode(&mut self, batch: &mut LlamaBatch) -> Result<(), EngineError> {
        self.ctx.decode(batch).map_err(|e| {
            // What was in the batch may be half in the cache: trust none of it.
            self.cached.clear();
            self.ctx.clear_kv_cache();
            EngineError::Decode(e.to_string())
        })
    }

    fn decode_loop(
        &mut self,
        batch: &mut LlamaBatch,
        mut pos: i32,
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<(usize, StopReason), EngineError> {
        let mut sampler = sampler_for(&self.model.model, &self.model.guidance, params)?;
        let mut utf8 = Utf8Stream::default();
        let mut stops = StopMatcher::new(&params.stop);
        let mut piece = Vec::with_capacity(32);
        let vocab = self.model.model.vocab();
        let n_ctx = self.ctx.n_ctx() as i32;
        let mut generated = 0usize;
        let reason = loop {
            if generated >= params.max_tokens as usize {
                break StopReason::MaxTokens;
            }
            if cancel.is_cancelled() {
                break StopReason::Interrupted;
            }
            if pos >= n_ctx {
                break StopReason::ContextFull;
            }
            let token = sampler.sample(&self.ctx, batch.n_tokens() - 1);
            // Asked each step: a sink stops wanting them once it has decided.
            if sink.wants_token_stats() {
                let logits = self.ctx.get_logits_ith(batch.n_tokens() - 1);
                let index = usize::try_from(token.0).unwrap_or(usize::MAX);
                sink.observe(TokenStats::from_logits(logits, index));
            }
            if params.stop_at_end_of_text && vocab.is_eog(token) {
                break StopReason::EndOfText;
            }
            if let Some(k) = sink.wants_logprobs() {
                let logits = self.ctx.get_logits_ith(batch.n_tokens() - 1);
                let bytes = |i: usize| piece_bytes(&vocab, i);
                let index = usize::try_from(token.0).unwrap_or(usize::MAX);
                sink.logprobs(logprobs::of_token(logits, index, k, bytes));
            }
            generated += 1;
            piece.clear();
            vocab.token_to_piece_into(token, &mut piece, false, None);
            let released = stops.push(&utf8.push(&piece));
            if !released.text.is_empty() && !emit(sink, &released.text)? {
                break StopReason::ReaderClosed;
            }
            if released.stopped {
                break StopReason::StopString;
            }
            batch.clear();
            batch
                .add(token, pos, &[0], true)
                .map_err(|e| EngineError::Decode(e.to_string()))?;
            self.decode(batch)?;
            self.cached.push(token);
            pos += 1;
        };
        if !matches!(reason, StopReason::StopString | StopReason::ReaderClosed) {
            let rest = stops.push(&utf8.finish()).text + &stops.finish();
            if !rest.is_empty() {
                emit(sink, &rest)?;
            }
        }
        Ok((generated, reason))
    }
}

/// A token's bytes as text shows them (control tokens show as nothing).
fn piece_bytes(vocab: &llama_cpp_2::vocab::LlamaVocab<'_>, token: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    vocab.token_to_piece_into(LlamaToken(token as i32), &mut bytes, false, None);
    bytes
}

/// Sends text to the sink: false when the reader went away, an error when writing failed.
pub(super) fn emit(sink: &mut dyn Sink, text: &str) -> Result<bool, EngineError> {
    sink.piece(text).map_err(EngineError::Output)
}

/// What a generation stopped while reading its prompt reports.
fn interrupted(prompt_tokens: usize, reused: usize, started: Instant) -> Generation {
    Generation {
        tool_calls: Vec::new(),
        prompt_tokens,
        reused_tokens: reused,
        generated_tokens: 0,
        prompt_ms: ms_since(started),
        generation_ms: 0.0,
        stop_reason: StopReason::Interrupted,
        speculation: Counts::default(),
        prefix: PrefixUse::NotUsed,
    }
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
