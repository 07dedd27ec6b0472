//! The sink between the engine and the caller's sink while tools may be called: it keeps what
//! the model writes, so that calls can be read out at the end, and passes on at once the text
//! of a plain answer, so that an answer streams as it would without tools. It borrows the
//! caller's sink for one generation, or owns it for the batch engine's, which outlive a call.
use std::ops::DerefMut;

use crate::engine::logprobs::TokenLogprobs;
use crate::engine::{Sink, TokenStats};

use super::fallback::ANSWER_OPEN;
use super::Format;
use crate::engine::text::StopMatcher;

pub struct Capture<S> {
    inner: S,
    raw: String,
    state: State,
    /// In a native format: the text before the call marker, held back only while it may be
    /// the marker's beginning.
    marker: Option<StopMatcher>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Too little written to tell an answer from a call.
    Undecided,
    /// A plain answer: the JSON string's text from byte `at` of `raw` on goes to the caller.
    Answer { at: usize, closed: bool },
    /// A call: nothing goes to the caller until the end.
    Calls,
}

/// What the model wrote, once it stopped.
pub struct Captured {
    pub raw: String,
    /// Whether the answer's text already reached the caller's sink.
    pub streamed: bool,
    /// Answer text held back in case it began a marker, which it did not.
    pub unsent: String,
}

impl<S: DerefMut<Target: Sink>> Capture<S> {
    pub fn new(inner: S, format: Format) -> Self {
        let markers = format.markers();
        let marker = (!markers.is_empty()).then(|| StopMatcher::new(&markers));
        Self {
            inner,
            raw: String::new(),
            state: State::Undecided,
            marker,
        }
    }

    pub fn finish(self) -> Captured {
        self.into_parts().0
    }

    /// What was captured, and the caller's sink back.
    pub fn into_parts(mut self) -> (Captured, S) {
        let unsent = match (&mut self.marker, self.state) {
            (Some(m), State::Undecided) => m.finish(),
            _ => String::new(),
        };
        let captured = Captured {
            streamed: matches!(self.state, State::Answer { .. }) || self.marker.is_some(),
            raw: self.raw,
            unsent,
        };
        (captured, self.inner)
    }

    /// Text before a native format's marker goes on; from the marker on, nothing.
    fn until_marker(&mut self, text: &str) -> std::io::Result<bool> {
        let Some(matcher) = self.marker.as_mut() else {
            return Ok(true);
        };
        if self.state == State::Calls {
            return Ok(true);
        }
        let released = matcher.push(text);
        if released.stopped {
            self.state = State::Calls;
        }
        self.send(&released.text)
    }

    /// Text for the caller's sink, if any; `Ok(false)` when the caller went away.
    pub fn send(&mut self, text: &str) -> std::io::Result<bool> {
        if text.is_empty() {
            return Ok(true);
        }
        self.inner.piece(text)
    }

    fn decide(&mut self) {
        let trimmed = self.raw.trim_start();
        let offset = self.raw.len() - trimmed.len();
        if trimmed.starts_with(ANSWER_OPEN) {
            self.state = State::Answer {
                at: offset + ANSWER_OPEN.len(),
                closed: false,
            };
        } else if !ANSWER_OPEN.starts_with(trimmed) {
            self.state = State::Calls;
        }
    }
}

impl<S: DerefMut<Target: Sink>> Sink for Capture<S> {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        self.raw.push_str(text);
        if self.marker.is_some() {
            return self.until_marker(text);
        }
        if self.state == State::Undecided {
            self.decide();
        }
        let State::Answer { at, closed: false } = self.state else {
            return Ok(true);
        };
        let (decoded, used, closed) = decode_partial(&self.raw[at..]);
        self.state = State::Answer {
            at: at + used,
            closed,
        };
        self.send(&decoded)
    }

    fn wants_token_stats(&self) -> bool {
        self.inner.wants_token_stats()
    }

    fn observe(&mut self, stats: TokenStats) {
        self.inner.observe(stats)
    }

    fn wants_logprobs(&self) -> Option<usize> {
        self.inner.wants_logprobs()
    }

    fn logprobs(&mut self, token: TokenLogprobs) {
        self.inner.logprobs(token)
    }
}

/// The text of a JSON string's body so far: the decoded text, the bytes read, and whether the
/// closing quote came. An escape cut off at the end waits for the next piece.
pub fn decode_partial(s: &str) -> (String, usize, bool) {
    const BAD: char = char::REPLACEMENT_CHARACTER;
    let mut out = String::new();
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        match c {
            '"' => return (out, i + 1, true),
            '\\' => {
                let Some(e) = s[i + 1..].chars().next() else {
                    break;
                };
                if e != 'u' {
                    out.push(match e {
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        other => other,
                    });
                    i += 1 + e.len_utf8();
                    continue;
                }
                let Some(code) = s.get(i + 2..i + 6) else {
                    break;
                };
                let code = u32::from_str_radix(code, 16).unwrap_or(0xFFFD);
                if !(0xD800..0xDC00).contains(&code) {
                    out.push(char::from_u32(code).unwrap_or(BAD));
                    i += 6;
                    continue;
                }
                let Some(low) = s.get(i + 6..i + 12) else {
                    break;
                };
                let low = low
                    .strip_prefix("\\u")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .filter(|l| (0xDC00..0xE000).contains(l));
                match low {
                    Some(l) => {
                        let c = 0x10000 + ((code - 0xD800) << 10) + (l - 0xDC00);
                        out.push(char::from_u32(c).unwrap_or(BAD));
                        i += 12;
                    }
                    None => {
                        out.push(BAD);
                        i += 6;
                    }
                }
            }
            c => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    (out, i, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Keep(String);
    impl Sink for Keep {
        fn piece(&mut self, text: &str) -> std::io::Result<bool> {
            self.0.push_str(text);
            Ok(true)
        }
    }

    fn through(pieces: &[&str]) -> (String, Captured) {
        let mut keep = Keep(String::new());
        let mut capture = Capture::new(&mut keep, Format::Json);
        for p in pieces {
            capture.piece(p).unwrap();
        }
        let captured = capture.finish();
        (keep.0, captured)
    }

    #[test]
    fn an_answer_streams_with_its_escapes_decoded_across_pieces() {
        let (text, c) = through(&[
            "{\"ans",
            "wer\": \"a\\",
            "nb \\u00",
            "e9 \\ud83d",
            "\\ude00 \\\"q\\\"",
            "\"}",
        ]);
        assert_eq!(text, "a\nb é 😀 \"q\"");
        assert!(c.streamed);
    }

    #[test]
    fn a_native_answer_streams_until_the_marker() {
        let mut keep = Keep(String::new());
        let mut capture = Capture::new(&mut keep, Format::Hermes);
        for p in [
            "Let me <",
            "b>look</b>. <tool",
            "_call>\n{\"name\"",
            "}</tool_call>",
        ] {
            capture.piece(p).unwrap();
        }
        let c = capture.finish();
        assert_eq!(keep.0, "Let me <b>look</b>. ");
        assert!(c.unsent.is_empty() && c.raw.ends_with("</tool_call>"));
    }

    #[test]
    fn a_call_is_kept_back() {
        let (text, c) = through(&["{\"tool\": \"x\", ", "\"arguments\": {}}"]);
        assert_eq!(text, "");
        assert!(!c.streamed);
        assert_eq!(c.raw, "{\"tool\": \"x\", \"arguments\": {}}");
    }
}
