//! Sentence embeddings from a GGUF encoder (a BERT-style model such as all-MiniLM-L6-v2, with
//! mean pooling): what the index stores per chunk of a semantic source, and what a query is
//! compared with. Vectors are unit length and quantised to one signed byte per dimension, so a
//! chunk costs 384 bytes and a comparison is a dot product of bytes.
use std::num::NonZeroU32;
use std::path::Path;

use llama_cpp_2::context::params::{LlamaContextParams, LlamaPoolingType};
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;

use super::local::backend;
use super::EngineError;

/// The most tokens of one text an encoder reads unless told otherwise: all-MiniLM-L6-v2 was
/// trained on 256. The index cuts its chunks here ([`Embedder::embed_truncated`]); the server
/// refuses a longer input instead.
pub const MAX_TOKENS: usize = 256;
/// Tokens handed to the encoder at once (several texts share one batch). Attention spans
/// the whole batch before masking, so a larger one costs more per token.
const BATCH_TOKENS: usize = 512;
/// Texts in one batch at most.
const BATCH_SEQS: u32 = 64;

pub struct Embedder {
    model: LlamaModel,
    threads: i32,
}

impl Embedder {
    pub fn load(path: &Path, threads: u32) -> Result<Self, EngineError> {
        let model = LlamaModel::load_from_file(backend(false)?, path, &LlamaModelParams::default())
            .map_err(|_| EngineError::Load {
                path: path.display().to_string(),
            })?;
        Ok(Self {
            model,
            threads: threads.max(1) as i32,
        })
    }

    /// Whether the file is a sentence encoder (it declares a pooling type); a chat model is not.
    pub fn is_encoder(&self) -> bool {
        let arch = self
            .model
            .meta_val_str("general.architecture")
            .unwrap_or_default();
        self.model
            .meta_val_str(&format!("{arch}.pooling_type"))
            .is_ok()
    }

    pub fn dimensions(&self) -> usize {
        self.model.n_embd() as usize
    }

    /// The model's trained length: the most tokens it was made to read at once.
    pub fn trained_length(&self) -> usize {
        self.model.n_ctx_train() as usize
    }

    /// One quantised unit vector per text, in order, each text cut to its first
    /// [`MAX_TOKENS`] tokens: for the index, whose chunks are short, and whose search only
    /// needs a text's gist. Callers that must not lose text use [`Self::embed_unit`].
    pub fn embed_truncated(&self, texts: &[&str]) -> Result<Vec<Vec<i8>>, EngineError> {
        let tokens = texts
            .iter()
            .map(|t| cut(self.tokens(t), MAX_TOKENS))
            .collect::<Vec<_>>();
        Ok(self
            .encode(&tokens, short(texts))?
            .iter()
            .map(|v| quantise(v))
            .collect())
    }

    /// Tokens the encoder reads of `text`, all of them (with its [CLS] and [SEP]).
    pub fn count_tokens(&self, text: &str) -> usize {
        self.tokens(text).len()
    }

    /// One unit vector per text, in order, at full precision. A text of more than
    /// [`MAX_TOKENS`] tokens is an error: see [`Self::embed_unit_within`].
    pub fn embed_unit(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EngineError> {
        self.embed_unit_within(texts, MAX_TOKENS)
    }

    /// One unit vector per text, in order, at full precision. A text of more than `limit`
    /// tokens is an error: nothing is cut, so two texts that differ only past the limit never
    /// get the same vector.
    pub fn embed_unit_within(
        &self,
        texts: &[&str],
        limit: usize,
    ) -> Result<Vec<Vec<f32>>, EngineError> {
        let tokens = texts.iter().map(|t| self.tokens(t)).collect::<Vec<_>>();
        if let Some(long) = tokens.iter().find(|t| t.len() > limit) {
            return Err(EngineError::PromptTooLong {
                tokens: long.len(),
                window: limit as u32,
            });
        }
        self.encode(&tokens, short(texts))
    }

    /// The texts' vectors, several texts to a batch. A batch holds at least the longest text:
    /// an encoder reads each text whole.
    fn encode(&self, texts: &[Vec<LlamaToken>], short: bool) -> Result<Vec<Vec<f32>>, EngineError> {
        let max_seqs = BATCH_SEQS;
        let longest = texts.iter().map(Vec::len).max().unwrap_or(0);
        let batch_tokens = BATCH_TOKENS.max(longest);
        // A query is a few dozen tokens: one thread does it in milliseconds, and never waits
        // on a second one that a busy machine has descheduled.
        let threads = if short { 1 } else { self.threads };
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(batch_tokens as u32))
            .with_n_batch(batch_tokens as u32)
            .with_n_ubatch(batch_tokens as u32)
            .with_n_seq_max(max_seqs)
            .with_embeddings(true)
            .with_pooling_type(LlamaPoolingType::Mean)
            .with_n_threads(threads)
            .with_n_threads_batch(threads);
        let mut ctx = self
            .model
            .new_context(backend(false)?, params)
            .map_err(|e| EngineError::Context {
                n_ctx: batch_tokens as u32,
                why: e.to_string(),
            })?;
        let mut out = Vec::with_capacity(texts.len());
        let mut batch = LlamaBatch::new(batch_tokens, max_seqs as i32);
        let mut in_batch = 0;
        for tokens in texts {
            if batch.n_tokens() as usize + tokens.len() > batch_tokens || in_batch == max_seqs {
                self.flush(&mut ctx, &mut batch, in_batch, &mut out)?;
                in_batch = 0;
            }
            batch
                .add_sequence(tokens, in_batch as i32, false)
                .map_err(|e| EngineError::Decode(e.to_string()))?;
            in_batch += 1;
        }
        self.flush(&mut ctx, &mut batch, in_batch, &mut out)?;
        Ok(out)
    }

    fn tokens(&self, text: &str) -> Vec<LlamaToken> {
        // add_special puts the encoder's [CLS] and [SEP] around the text.
        self.model.vocab().tokenize(text.as_bytes(), true, false)
    }

    fn flush(
        &self,
        ctx: &mut LlamaContext,
        batch: &mut LlamaBatch,
        seqs: u32,
        out: &mut Vec<Vec<f32>>,
    ) -> Result<(), EngineError> {
        if seqs == 0 {
            return Ok(());
        }
        ctx.encode(batch)
            .map_err(|e| EngineError::Decode(e.to_string()))?;
        for s in 0..seqs {
            let v = ctx
                .embeddings_seq_ith(s as i32)
                .map_err(|e| EngineError::Decode(e.to_string()))?;
            out.push(unit(v));
        }
        batch.clear();
        Ok(())
    }
}

/// Whether the texts are so few and short that one thread embeds them fastest.
fn short(texts: &[&str]) -> bool {
    texts.iter().map(|t| t.len()).sum::<usize>() < 1024
}

/// The first `max` tokens, the closing separator kept last: the encoder was trained with it.
fn cut(mut tokens: Vec<LlamaToken>, max: usize) -> Vec<LlamaToken> {
    if tokens.len() > max {
        let last = tokens[tokens.len() - 1];
        tokens.truncate(max - 1);
        tokens.push(last);
    }
    tokens
}

/// Stores each component in a signed byte, the largest at ±127: a unit vector's components
/// are mostly near 1/√n, so scaling by the largest one rather than by 1 keeps about three
/// more bits of each (the cosine's error on real sentence vectors: see the retrieval
/// evaluation). [`similarity`] divides by the lengths, so the scale does not matter.
pub fn quantise(v: &[f32]) -> Vec<i8> {
    let top = v.iter().fold(0.0f32, |m, x| m.max(x.abs())).max(1e-12);
    v.iter()
        .map(|x| (x / top * 127.0).round().clamp(-127.0, 127.0) as i8)
        .collect()
}

/// The vector scaled to length 1.
pub fn unit(v: &[f32]) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter().map(|x| x / norm).collect()
}

/// The cosine of two quantised vectors, in [-1, 1].
pub fn similarity(a: &[i8], b: &[i8]) -> f32 {
    let (mut dot, mut aa, mut bb) = (0i32, 0i32, 0i32);
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (i32::from(*x), i32::from(*y));
        dot += x * y;
        aa += x * x;
        bb += y * y;
    }
    dot as f32 / ((aa as f32).sqrt() * (bb as f32).sqrt()).max(1e-12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantised_vectors_keep_their_cosine() {
        let a = quantise(&[3.0, 4.0, 0.0]);
        let b = quantise(&[3.0, 4.0, 0.0]);
        let c = quantise(&[0.0, 0.0, 5.0]);
        assert!((similarity(&a, &b) - 1.0).abs() < 0.02);
        assert!(similarity(&a, &c).abs() < 0.02);
    }
}
