//! Log-probabilities of generated tokens and of the most likely alternatives at each step, as
//! OpenAI's `logprobs` and `top_logprobs` report them. Computed from the raw logits (the model's
//! own distribution, before sampling settings reshape it), only when a sink asks.

/// One generated token: its bytes, log-probability, and the `k` most likely tokens of its step.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenLogprobs {
    pub token: Vec<u8>,
    pub logprob: f32,
    /// Most likely first.
    pub top: Vec<(Vec<u8>, f32)>,
}

/// The log-probabilities of `token` and of the `k` most likely tokens; `piece` gives a token's
/// bytes.
pub fn of_token(
    logits: &[f32],
    token: usize,
    k: usize,
    piece: impl Fn(usize) -> Vec<u8>,
) -> TokenLogprobs {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let log_sum = if max.is_finite() {
        max + logits
            .iter()
            .map(|&l| f64::from(l - max).exp())
            .sum::<f64>()
            .ln() as f32
    } else {
        0.0
    };
    let logprob = |i: usize| logits.get(i).map_or(f32::NEG_INFINITY, |l| l - log_sum);
    let mut best: Vec<usize> = Vec::with_capacity(k + 1);
    for i in 0..logits.len() {
        if best.len() == k && best.last().is_none_or(|&b| logits[b] >= logits[i]) {
            continue;
        }
        let at = best.partition_point(|&b| logits[b] >= logits[i]);
        best.insert(at, i);
        best.truncate(k);
    }
    TokenLogprobs {
        token: piece(token),
        logprob: logprob(token),
        top: best.into_iter().map(|i| (piece(i), logprob(i))).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_tokens_come_most_likely_first_and_probabilities_sum_to_one() {
        let logits = [0.0, 2.0, 1.0, -1.0];
        let t = of_token(&logits, 2, 2, |i| vec![b'a' + i as u8]);
        assert_eq!(t.token, b"c");
        assert_eq!(t.top.iter().map(|(b, _)| b[0]).collect::<Vec<_>>(), b"bc");
        let all = of_token(&logits, 0, 4, |i| vec![i as u8]);
        let sum: f32 = all.top.iter().map(|(_, l)| l.exp()).sum();
        assert!((sum - 1.0).abs() < 1e-5);
        assert!((t.logprob - all.top[1].1).abs() < 1e-6);
    }
}
