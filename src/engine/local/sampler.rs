//! The sampler chain of one generation: llama.cpp's own samplers, behind a grammar when the
//! answer must follow one.
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;

use crate::engine::grammar::{Grammar, Guidance};
use crate::engine::{EngineError, GenerateParams, Sampling};

/// The sampler for one generation: the grammar first when there is one, so every token the
/// chain can pick is one the grammar allows.
pub(crate) fn sampler_for(
    model: &LlamaModel,
    guidance: &Guidance,
    params: &GenerateParams,
) -> Result<LlamaSampler, EngineError> {
    let chain = sampler_chain(&params.sampling, model.n_vocab());
    let constrained = match &params.grammar {
        None => return Ok(chain),
        Some(Grammar::Gbnf(text)) => LlamaSampler::grammar(model, text, "root")
            .map_err(|e| EngineError::Grammar(e.to_string()))?,
        Some(Grammar::LazyGbnf { text, triggers }) => {
            LlamaSampler::grammar_lazy(model, text, "root", triggers, &[])
                .map_err(|e| EngineError::Grammar(e.to_string()))?
        }
        Some(Grammar::JsonSchema(schema)) => guidance
            .sampler(model, schema)
            .map_err(|e| EngineError::Grammar(e.to_string()))?,
    };
    Ok(LlamaSampler::chain_simple([constrained, chain]))
}

/// Whether `params` sample greedily with nothing before the pick (no grammar, no penalty):
/// then the largest logit is the token, and [`argmax`] finds it without the chain's copy of
/// the whole vocabulary per position.
pub(crate) fn plain_greedy(params: &GenerateParams) -> bool {
    params.sampling.temp <= 0.0
        && (params.sampling.repeat_penalty - 1.0).abs() <= f32::EPSILON
        && params.grammar.is_none()
}

/// The token with the largest logit, the first of equals, as llama.cpp's greedy sampler
/// picks it.
pub(crate) fn argmax(logits: &[f32]) -> LlamaToken {
    let mut best = 0;
    for (i, &l) in logits.iter().enumerate() {
        if l > logits[best] {
            best = i;
        }
    }
    LlamaToken(best as i32)
}

/// llama.cpp's native samplers, in the order llama.cpp's own tools chain them.
pub(crate) fn sampler_chain(s: &Sampling, n_vocab: i32) -> LlamaSampler {
    let mut chain = Vec::new();
    if (s.repeat_penalty - 1.0).abs() > f32::EPSILON {
        chain.push(LlamaSampler::penalties(
            n_vocab,
            64,
            s.repeat_penalty,
            0.0,
            0.0,
        ));
    }
    if s.temp <= 0.0 {
        chain.push(LlamaSampler::greedy());
        return LlamaSampler::chain_simple(chain);
    }
    if s.top_k > 0 {
        chain.push(LlamaSampler::top_k(s.top_k));
    }
    if s.top_p < 1.0 {
        chain.push(LlamaSampler::top_p(s.top_p, 1));
    }
    if s.min_p > 0.0 {
        chain.push(LlamaSampler::min_p(s.min_p, 1));
    }
    chain.push(LlamaSampler::temp(s.temp));
    chain.push(LlamaSampler::dist(s.seed));
    LlamaSampler::chain_simple(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argmax_takes_the_first_of_equal_largest() {
        assert_eq!(argmax(&[0.5, 2.0, -1.0, 2.0]), LlamaToken(1));
        assert_eq!(argmax(&[f32::NEG_INFINITY, -3.0]), LlamaToken(1));
    }
}
