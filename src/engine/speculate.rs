//! Speculative decoding by prompt lookup: when an answer copies its input (a rewrite, a
//! refactor, a commit message that quotes names), the tokens that come next are often already
//! in the prompt, right after the last few tokens generated. The drafter finds the latest
//! earlier place where those last tokens occur and proposes what followed them; the engine
//! reads the draft in one batch and keeps it only as far as the sampler agrees, so the answer
//! is the one plain decoding gives (token for token at temperature 0) and a wrong draft costs
//! one wider decode.
//!
//! It belongs where output copies input: on free chat the drafts are rarely right and the
//! wider decodes cost more than they save, so front ends turn it on per request.

/// How the drafter looks and how far it guesses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Speculation {
    /// The most tokens proposed at one step.
    pub draft_max: usize,
    /// The shortest run of last tokens that must match for a draft.
    pub ngram_min: usize,
    /// The longest run tried first: a longer match is a surer guess.
    pub ngram_max: usize,
}

impl Default for Speculation {
    fn default() -> Self {
        Self {
            draft_max: 16,
            ngram_min: 2,
            ngram_max: 4,
        }
    }
}

impl Speculation {
    /// The same limits, each at least 1, with the longest run no shorter than the shortest.
    pub fn sane(self) -> Self {
        let ngram_min = self.ngram_min.max(1);
        Self {
            draft_max: self.draft_max.max(1),
            ngram_min,
            ngram_max: self.ngram_max.max(ngram_min),
        }
    }
}

/// What speculation did in one generation, for reports and `pai bench --spec`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Tokens proposed by the drafter and read by the model.
    pub drafted: usize,
    /// Proposed tokens the sampler agreed with.
    pub accepted: usize,
}

/// Up to `limit` tokens that followed the latest earlier occurrence of the last tokens of
/// `history`, trying the longest run of last tokens first; empty when none occurs.
pub fn draft<T: PartialEq + Copy>(history: &[T], s: &Speculation, limit: usize) -> Vec<T> {
    let limit = limit.min(s.draft_max);
    if limit == 0 {
        return Vec::new();
    }
    for n in (s.ngram_min..=s.ngram_max).rev() {
        if history.len() <= n {
            continue;
        }
        let tail = &history[history.len() - n..];
        // Latest first: the copy being made is usually the nearest one. The window never
        // starts at the tail itself, so at least one token follows each match.
        let found = (0..history.len() - n)
            .rev()
            .find(|&start| &history[start..start + n] == tail);
        if let Some(start) = found {
            let from = start + n;
            let to = (from + limit).min(history.len());
            return history[from..to].to_vec();
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s() -> Speculation {
        Speculation {
            draft_max: 4,
            ngram_min: 2,
            ngram_max: 3,
        }
    }

    #[test]
    fn proposes_what_followed_the_last_tokens() {
        let history = [1, 2, 3, 4, 5, 6, 7, 9, 2, 3];
        assert_eq!(draft(&history, &s(), 10), vec![4, 5, 6, 7]);
    }

    #[test]
    fn the_latest_match_wins_and_the_limit_holds() {
        let history = [1, 2, 8, 1, 2, 9, 9, 1, 2];
        assert_eq!(draft(&history, &s(), 1), vec![9]);
    }

    #[test]
    fn nothing_when_the_tail_is_new() {
        assert!(draft(&[1, 2, 3, 4], &s(), 8).is_empty());
        assert!(draft::<i32>(&[], &s(), 8).is_empty());
    }

    #[test]
    fn a_longer_match_is_preferred() {
        // [2,3] last occurs at 5 (followed by 7); [1,2,3] only at 0 (followed by 4).
        let history = [1, 2, 3, 4, 0, 2, 3, 7, 1, 2, 3];
        assert_eq!(draft(&history, &s(), 1), vec![4]);
    }
}
