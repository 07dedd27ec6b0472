//! How sure the local model is, from local signals only: the log-probabilities and entropy of
//! its first tokens, how well the index matched the question, and what the question looks
//! like. Nothing here sends anything anywhere; the score decides whether a remote tier is asked.
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::context::{Excerpt, Request};
use crate::engine::TokenStats;

/// What the question looks like, before any token is generated.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct PromptFeatures {
    /// Characters in the question.
    pub chars: usize,
    /// Numbers in the question.
    pub numbers: usize,
    /// An arithmetic expression or a request to calculate.
    pub arithmetic: bool,
    /// Text the request carries along (stdin, files, a diff): the answer is in front of it.
    pub attached: bool,
}

impl PromptFeatures {
    pub fn of(question: &str, attached: bool) -> Self {
        static NUMBER: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\d+(?:[.,]\d+)?").expect("a valid pattern"));
        static ARITHMETIC: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?i)\d\s*[-+*/×÷^%]\s*\d|\b(calculate|compute|sum of|product of|how many|how much|percent|multiplied|divided|squared|square root)\b",
            )
            .expect("a valid pattern")
        });
        Self {
            chars: question.chars().count(),
            numbers: NUMBER.find_iter(question).count(),
            arithmetic: ARITHMETIC.is_match(question),
            attached,
        }
    }
}

/// How strongly the index matched: the top excerpt's score and its lead over the next.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Retrieval {
    pub excerpts: usize,
    pub top_score: f32,
    /// (top − second) ÷ top: near 1 when one excerpt clearly leads, near 0 when hits are close.
    pub margin: f32,
}

impl Retrieval {
    pub fn of(excerpts: &[Excerpt]) -> Self {
        Self::of_scores(excerpts.iter().map(|e| e.score).collect())
    }

    /// From every hit of the search, not only the excerpts chosen: the weights were fitted on
    /// the hits' scores, and choosing fewer excerpts must not change what the router reads.
    pub fn of_request(request: &Request) -> Self {
        if request.choices.is_empty() {
            return Self::of(&request.excerpts);
        }
        Self::of_scores(request.choices.iter().map(|c| c.score).collect())
    }

    fn of_scores(mut scores: Vec<f32>) -> Self {
        scores.sort_by(|a, b| b.total_cmp(a));
        let top = scores.first().copied().unwrap_or(0.0);
        let second = scores.get(1).copied().unwrap_or(0.0);
        Self {
            excerpts: scores.len(),
            top_score: top,
            margin: if top > 0.0 { (top - second) / top } else { 0.0 },
        }
    }
}

/// The first tokens of the local answer, summarised.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Tokens {
    pub count: usize,
    pub mean_logprob: f32,
    pub min_logprob: f32,
    /// The 10th percentile: a few very unsure tokens among sure ones.
    pub low_logprob: f32,
    pub mean_entropy: f32,
    /// The answer ended before the check: short answers are more often right.
    pub ended: bool,
}

impl Tokens {
    pub fn of(stats: &[TokenStats], ended: bool) -> Self {
        if stats.is_empty() {
            return Self::default();
        }
        let n = stats.len() as f32;
        let mut logprobs: Vec<f32> = stats.iter().map(|s| s.logprob).collect();
        logprobs.sort_by(f32::total_cmp);
        Self {
            count: stats.len(),
            mean_logprob: logprobs.iter().sum::<f32>() / n,
            min_logprob: logprobs[0],
            low_logprob: logprobs[(stats.len() - 1) / 10],
            mean_entropy: stats.iter().map(|s| s.entropy).sum::<f32>() / n,
            ended,
        }
    }
}

/// Everything the score is made of; `pai route --json` prints it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Signals {
    pub tokens: Tokens,
    pub retrieval: Retrieval,
    pub prompt: PromptFeatures,
}

/// Weights of the logistic score, fitted (L2-regularised logistic regression) on the
/// odd-numbered items of the routing evaluation (tests/fixtures/routing) and checked on the
/// even ones, so that the AUROC reported for the held-out half is not fitted.
const BIAS: f64 = 1.265;
const W_MEAN_LOGPROB: f64 = 0.344;
const W_LOW_LOGPROB: f64 = 0.858;
const W_ENTROPY: f64 = -0.392;
const W_ENDED: f64 = 0.042;
const W_ATTACHED: f64 = -0.562;
const W_ARITHMETIC: f64 = 0.024;
const W_NUMBERS: f64 = -0.241;
const W_RETRIEVAL: f64 = -0.237;

impl Signals {
    /// The confidence that the local answer is right, from 0 to 1.
    pub fn score(&self) -> f64 {
        let t = &self.tokens;
        let p = &self.prompt;
        let flag = |b: bool| f64::from(u8::from(b));
        let x = BIAS
            + W_MEAN_LOGPROB * f64::from(t.mean_logprob)
            + W_LOW_LOGPROB * f64::from(t.low_logprob)
            + W_ENTROPY * f64::from(t.mean_entropy)
            + W_ENDED * flag(t.ended)
            + W_ATTACHED * flag(p.attached)
            + W_ARITHMETIC * flag(p.arithmetic)
            + W_NUMBERS * (p.numbers.min(6) as f64)
            + W_RETRIEVAL * self.retrieval.strength();
        1.0 / (1.0 + (-x).exp())
    }
}

impl Retrieval {
    /// One number for how well the index matched: the top score (BM25, about 0 to 15)
    /// scaled, weighed by how clearly it leads.
    pub fn strength(&self) -> f64 {
        if self.excerpts == 0 {
            return 0.0;
        }
        (f64::from(self.top_score) / 10.0).min(1.5) * (0.5 + f64::from(self.margin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(logprobs: &[f32]) -> Vec<TokenStats> {
        logprobs
            .iter()
            .map(|&logprob| TokenStats {
                logprob,
                entropy: -logprob,
            })
            .collect()
    }

    #[test]
    fn sure_tokens_score_higher_than_unsure_ones() {
        let prompt = PromptFeatures::of("what is the port of the backup server?", false);
        let sure = Signals {
            tokens: Tokens::of(&stats(&[-0.05; 24]), false),
            prompt: prompt.clone(),
            ..Signals::default()
        };
        let unsure = Signals {
            tokens: Tokens::of(&stats(&[-2.5; 24]), false),
            prompt,
            ..Signals::default()
        };
        assert!(sure.score() > 0.5, "{}", sure.score());
        assert!(unsure.score() < sure.score());
    }

    #[test]
    fn arithmetic_is_noticed() {
        assert!(PromptFeatures::of("What is 17 * 23?", false).arithmetic);
        assert!(PromptFeatures::of("calculate the total", false).arithmetic);
        assert!(!PromptFeatures::of("What is the capital of France?", false).arithmetic);
    }

    #[test]
    fn the_low_quantile_sees_a_few_unsure_tokens() {
        let mut lp = vec![-0.1; 20];
        lp.extend([-6.0, -7.0, -5.0]);
        let t = Tokens::of(&stats(&lp), false);
        assert_eq!(t.min_logprob, -7.0);
        assert!(t.low_logprob <= -5.0, "{}", t.low_logprob);
        assert_eq!(Tokens::of(&[], false), Tokens::default());
    }

    #[test]
    fn stats_from_logits_are_a_distribution() {
        let s = TokenStats::from_logits(&[0.0, 0.0], 1);
        assert!((s.logprob - (0.5f32).ln()).abs() < 1e-5);
        assert!((s.entropy - std::f32::consts::LN_2).abs() < 1e-5);
        let sure = TokenStats::from_logits(&[50.0, 0.0, 0.0], 0);
        assert!(sure.logprob > -1e-6 && sure.entropy < 1e-6);
        let nothing = TokenStats::from_logits(&[], 0);
        assert_eq!(nothing.logprob, 0.0);
    }
}
