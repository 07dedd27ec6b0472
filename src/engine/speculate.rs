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
    /// Let the draft length follow how the drafts fare ([`Drafter`]); off, every draft is
    /// as long as the match and `draft_max` allow.
    pub adaptive: bool,
}

impl Default for Speculation {
    fn default() -> Self {
        Self {
            draft_max: 16,
            ngram_min: 2,
            ngram_max: 4,
            adaptive: true,
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
            adaptive: self.adaptive,
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

/// How long the next draft may be, from how the last ones fared: a draft read whole doubles
/// the length, a rejected one cuts it to one more than was kept. A wrong draft costs a wider
/// decode for nothing, and on two cores each position of a batch costs a few percent of a
/// one-token decode (docs/ARCHITECTURE.md, "Speculation"), so a drafter that keeps missing
/// drafts one token at a time, and one that keeps hitting grows to `draft_max` in a few steps
/// (llama.cpp's n-gram drafters adapt the same way).
#[derive(Debug, Clone)]
pub struct Drafter {
    spec: Speculation,
    limit: usize,
}

impl Drafter {
    pub fn new(spec: &Speculation) -> Self {
        let spec = spec.sane();
        let limit = if spec.adaptive { 1 } else { spec.draft_max };
        Self { spec, limit }
    }

    /// The next draft for `history`, at most `cap` tokens (what the window and the answer's
    /// limit leave).
    pub fn propose<T: PartialEq + Copy>(&self, history: &[T], cap: usize) -> Vec<T> {
        draft(history, &self.spec, cap.min(self.limit))
    }

    /// Learns from a step that read `drafted` tokens and kept `accepted` of them.
    pub fn record(&mut self, drafted: usize, accepted: usize) {
        if !self.spec.adaptive || drafted == 0 {
            return;
        }
        self.limit = if accepted >= drafted {
            (self.limit * 2).min(self.spec.draft_max)
        } else {
            (accepted + 1).min(self.spec.draft_max)
        };
    }
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
            adaptive: false,
        }
    }

    #[test]
    fn the_draft_grows_on_hits_and_shrinks_on_misses() {
        let spec = Speculation {
            draft_max: 8,
            adaptive: true,
            ..s()
        };
        let mut d = Drafter::new(&spec);
        let history = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
        assert_eq!(d.propose(&history, 100), vec![3]);
        d.record(1, 1);
        d.record(2, 2);
        assert_eq!(d.propose(&history, 100).len(), 4);
        d.record(4, 4);
        d.record(8, 8);
        assert_eq!(d.propose(&history, 100).len(), 8, "never past draft_max");
        d.record(8, 2);
        assert_eq!(d.propose(&history, 100).len(), 3);
        assert_eq!(d.propose(&history, 2).len(), 2, "the cap holds");
        d.record(0, 0);
        assert_eq!(
            d.propose(&history, 100).len(),
            3,
            "a step without a draft teaches nothing"
        );
    }

    #[test]
    fn without_adaptation_every_draft_is_as_long_as_allowed() {
        let mut d = Drafter::new(&s());
        d.record(4, 0);
        assert_eq!(d.propose(&[1, 2, 3, 4, 5, 6, 1, 2], 100), vec![3, 4, 5, 6]);
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
