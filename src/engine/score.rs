//! How well a model predicts a text it is shown: the negative log-likelihood of each token
//! given the ones before it, summed over a scored span. `pai learn` compares a model before
//! and after training by the perplexity of held-out writing, computed here with the same
//! llama.cpp forward pass that generation uses.
use std::num::NonZeroU32;

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::token::LlamaToken;

use super::local::{backend, LocalModel};
use super::{Adapter, EngineError};

/// The sum of negative log-likelihoods (nats) over `tokens` scored.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    pub nll: f64,
    pub tokens: usize,
}

impl Score {
    pub fn add(&mut self, other: Score) {
        self.nll += other.nll;
        self.tokens += other.tokens;
    }

    /// exp(mean NLL); 1.0 for nothing scored.
    pub fn perplexity(&self) -> f64 {
        if self.tokens == 0 {
            return 1.0;
        }
        (self.nll / self.tokens as f64).exp()
    }
}

impl LocalModel {
    /// Scores `tokens[from..]`, each predicted from all the tokens before it (`from` ≥ 1),
    /// with `adapters` applied.
    pub fn score(
        &self,
        tokens: &[LlamaToken],
        from: usize,
        threads: u32,
        adapters: &[Adapter],
    ) -> Result<Score, EngineError> {
        let from = from.max(1);
        if tokens.len() <= from {
            return Ok(Score::default());
        }
        let n = tokens.len() as u32;
        let threads = threads.max(1) as i32;
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(n.max(16)))
            .with_n_batch(n)
            .with_n_ubatch(n.min(512))
            .with_n_threads(threads)
            .with_n_threads_batch(threads);
        let mut ctx = self
            .llama()
            .new_context(backend(false)?, params)
            .map_err(|e| EngineError::Context {
                n_ctx: n,
                why: e.to_string(),
            })?;
        if !adapters.is_empty() {
            self.apply_adapters(&mut ctx, adapters)?;
        }
        let mut batch = LlamaBatch::new(tokens.len(), 1);
        for (i, &token) in tokens.iter().enumerate() {
            // Position i's logits predict token i + 1.
            let wanted = i + 1 >= from && i + 1 < tokens.len();
            batch
                .add(token, i as i32, &[0], wanted)
                .map_err(|e| EngineError::Decode(e.to_string()))?;
        }
        ctx.decode(&mut batch)
            .map_err(|e| EngineError::Decode(e.to_string()))?;
        let mut score = Score::default();
        for i in from - 1..tokens.len() - 1 {
            let logits = ctx.get_logits_ith(i as i32);
            score.nll += negative_log_likelihood(logits, tokens[i + 1].0 as usize);
            score.tokens += 1;
        }
        Ok(score)
    }
}

/// -log softmax(logits)[target], computed stably.
fn negative_log_likelihood(logits: &[f32], target: usize) -> f64 {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let sum: f64 = logits.iter().map(|&l| (l as f64 - max).exp()).sum();
    let Some(&chosen) = logits.get(target) else {
        return f64::INFINITY;
    };
    max + sum.ln() - chosen as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uniform_distribution_costs_log_n() {
        let nll = negative_log_likelihood(&[0.0; 4], 2);
        assert!((nll - 4f64.ln()).abs() < 1e-9);
        let score = Score {
            nll: 2.0 * 4f64.ln(),
            tokens: 2,
        };
        assert!((score.perplexity() - 4.0).abs() < 1e-9);
    }
}
