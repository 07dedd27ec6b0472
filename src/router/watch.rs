//! Early escalation: the local answer is held back for its first tokens while their
//! log-probabilities are read; then it either streams on (and what was held is let through),
//! or generation stops there and a remote tier answers instead. The user sees one answer.
use crate::engine::{Sink, TokenStats};

/// What to do once the first tokens are in (and whether the answer already ended): `true`
/// hands the request to a remote tier.
pub type Decide<'a> = Box<dyn FnMut(&[TokenStats], bool) -> bool + 'a>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading tokens, holding their text.
    Watching,
    /// The local answer stays: what was held goes out with the next piece.
    Keep,
    /// Streaming through.
    Passing,
    /// Handed over: the local model stops at the next piece.
    HandOver,
}

pub struct Watch<'a> {
    inner: &'a mut dyn Sink,
    after: usize,
    stats: Vec<TokenStats>,
    held: String,
    state: State,
    decide: Decide<'a>,
}

impl<'a> Watch<'a> {
    /// Watches the first `after` tokens written to `inner`.
    pub fn new(inner: &'a mut dyn Sink, after: usize, decide: Decide<'a>) -> Self {
        Self {
            inner,
            after: after.max(1),
            stats: Vec::with_capacity(after),
            held: String::new(),
            state: State::Watching,
            decide,
        }
    }

    /// Once generation has ended: decides now if the answer ended before the check (a short
    /// answer), then lets the held text through unless the request was handed over. Returns
    /// whether it was handed over.
    pub fn finish(&mut self) -> std::io::Result<bool> {
        if self.state == State::Watching {
            self.state = if (self.decide)(&self.stats, true) {
                State::HandOver
            } else {
                State::Keep
            };
        }
        if self.state == State::Keep {
            self.release("")?;
        }
        Ok(self.state == State::HandOver)
    }

    /// Tokens the local model generated (counted, whatever became of them).
    pub fn local_tokens(&self) -> usize {
        self.stats.len()
    }

    /// The text held back when the request was handed over: what the local model had said.
    pub fn held(&self) -> &str {
        &self.held
    }

    fn release(&mut self, text: &str) -> std::io::Result<bool> {
        self.state = State::Passing;
        let held = std::mem::take(&mut self.held) + text;
        if held.is_empty() {
            return Ok(true);
        }
        self.inner.piece(&held)
    }
}

impl Sink for Watch<'_> {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        match self.state {
            State::Watching => {
                self.held.push_str(text);
                Ok(true)
            }
            State::Keep => self.release(text),
            State::Passing => self.inner.piece(text),
            State::HandOver => Ok(false),
        }
    }

    fn wants_token_stats(&self) -> bool {
        self.state == State::Watching
    }

    fn observe(&mut self, stats: TokenStats) {
        if self.state != State::Watching {
            return;
        }
        self.stats.push(stats);
        if self.stats.len() >= self.after {
            self.state = if (self.decide)(&self.stats, false) {
                State::HandOver
            } else {
                State::Keep
            };
        }
    }
}

/// Passes pieces on and notes whether anything reached the reader: a remote that fails after
/// it began to answer cannot be replaced by a local answer.
pub struct Counted<'a> {
    inner: &'a mut dyn Sink,
    pub streamed: bool,
}

impl<'a> Counted<'a> {
    pub fn new(inner: &'a mut dyn Sink) -> Self {
        Self {
            inner,
            streamed: false,
        }
    }
}

impl Sink for Counted<'_> {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        self.streamed |= !text.is_empty();
        self.inner.piece(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Out(String);

    impl Sink for Out {
        fn piece(&mut self, text: &str) -> std::io::Result<bool> {
            self.0.push_str(text);
            Ok(true)
        }
    }

    fn run(watch: &mut Watch, tokens: usize) -> bool {
        for i in 0..tokens {
            watch.observe(TokenStats {
                logprob: -0.1,
                entropy: 0.1,
            });
            if !watch.piece(&format!("t{i} ")).unwrap() {
                return false;
            }
        }
        true
    }

    #[test]
    fn a_kept_answer_comes_out_whole_and_once() {
        let mut out = Out::default();
        let mut watch = Watch::new(&mut out, 3, Box::new(|_, _| false));
        assert!(run(&mut watch, 5));
        assert!(!watch.finish().unwrap());
        drop(watch);
        assert_eq!(out.0, "t0 t1 t2 t3 t4 ");
    }

    #[test]
    fn a_handed_over_answer_stops_and_shows_nothing() {
        let mut out = Out::default();
        let mut watch = Watch::new(&mut out, 3, Box::new(|stats, _| stats.len() == 3));
        assert!(!run(&mut watch, 10));
        assert!(watch.finish().unwrap());
        assert_eq!(watch.local_tokens(), 3);
        // The third token was judged before its text arrived.
        assert_eq!(watch.held(), "t0 t1 ");
        drop(watch);
        assert_eq!(out.0, "");
    }

    #[test]
    fn a_short_answer_is_decided_when_it_ends() {
        let mut out = Out::default();
        let mut seen = 0;
        let mut watch = Watch::new(
            &mut out,
            24,
            Box::new(|stats, ended| {
                assert!(ended);
                seen = stats.len();
                false
            }),
        );
        assert!(run(&mut watch, 2));
        assert!(!watch.finish().unwrap());
        drop(watch);
        assert_eq!(seen, 2);
        assert_eq!(out.0, "t0 t1 ");
    }
}
