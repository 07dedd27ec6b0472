//! Turning a stream of token bytes into text: UTF-8 characters that span tokens are held back
//! until complete, and stop strings are matched across token boundaries and never emitted.

/// The part of `piece` that belongs to an answer that so far is `so_far`: models often open
/// with a space or a newline, and an answer starts at its first word.
pub fn answer_piece<'a>(so_far: &str, piece: &'a str) -> &'a str {
    if so_far.is_empty() {
        piece.trim_start()
    } else {
        piece
    }
}

/// Assembles UTF-8 from byte pieces; invalid bytes become U+FFFD.
#[derive(Default)]
pub struct Utf8Stream {
    pending: Vec<u8>,
}

impl Utf8Stream {
    pub fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let mut out = String::new();
        loop {
            match std::str::from_utf8(&self.pending) {
                Ok(s) => {
                    out.push_str(s);
                    self.pending.clear();
                    return out;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    out.push_str(std::str::from_utf8(&self.pending[..valid]).unwrap_or_default());
                    match e.error_len() {
                        // An incomplete character at the end: wait for the next piece.
                        None => {
                            self.pending.drain(..valid);
                            return out;
                        }
                        Some(bad) => {
                            out.push(char::REPLACEMENT_CHARACTER);
                            self.pending.drain(..valid + bad);
                        }
                    }
                }
            }
        }
    }

    /// What is left at the end of the stream.
    pub fn finish(&mut self) -> String {
        let rest = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        rest
    }
}

/// Holds back text that might be the start of a stop string.
pub struct StopMatcher {
    stops: Vec<String>,
    pending: String,
}

/// What the matcher lets through after one push.
pub struct Released {
    pub text: String,
    pub stopped: bool,
}

impl StopMatcher {
    pub fn new(stops: &[String]) -> Self {
        Self {
            stops: stops.iter().filter(|s| !s.is_empty()).cloned().collect(),
            pending: String::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> Released {
        self.pending.push_str(text);
        let first_match = self
            .stops
            .iter()
            .filter_map(|s| self.pending.find(s.as_str()))
            .min();
        if let Some(at) = first_match {
            let text = self.pending[..at].to_string();
            self.pending.clear();
            return Released {
                text,
                stopped: true,
            };
        }
        let keep = self.longest_partial_suffix();
        let cut = self.pending.len() - keep;
        let text = self.pending[..cut].to_string();
        self.pending.drain(..cut);
        Released {
            text,
            stopped: false,
        }
    }

    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.pending)
    }

    /// The length of the longest end of `pending` that begins some stop string.
    fn longest_partial_suffix(&self) -> usize {
        let p = &self.pending;
        let mut best = 0;
        for stop in &self.stops {
            let longest = stop.len().saturating_sub(1).min(p.len());
            for len in (best + 1..=longest).rev() {
                let start = p.len() - len;
                if p.is_char_boundary(start) && stop.starts_with(&p[start..]) {
                    best = len;
                    break;
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_split_across_pieces_is_joined() {
        let mut s = Utf8Stream::default();
        let bytes = "é👍".as_bytes();
        let mut out = String::new();
        for b in bytes {
            out.push_str(&s.push(&[*b]));
        }
        out.push_str(&s.finish());
        assert_eq!(out, "é👍");
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let mut s = Utf8Stream::default();
        assert_eq!(s.push(b"a\xffb"), "a\u{fffd}b");
    }

    #[test]
    fn a_stop_string_across_pieces_is_never_released() {
        let mut m = StopMatcher::new(&["STOP".to_string()]);
        let mut out = String::new();
        for piece in ["hello S", "T", "O", "P and more"] {
            let r = m.push(piece);
            out.push_str(&r.text);
            if r.stopped {
                assert_eq!(out, "hello ");
                return;
            }
        }
        panic!("stop string not found");
    }

    #[test]
    fn a_false_start_is_released() {
        let mut m = StopMatcher::new(&["STOP".to_string()]);
        let a = m.push("ST");
        assert_eq!(a.text, "");
        let b = m.push("ART");
        assert_eq!(b.text, "START");
        assert!(!b.stopped);
    }

    #[test]
    fn the_earliest_of_several_stops_wins() {
        let mut m = StopMatcher::new(&["b".to_string(), "a".to_string()]);
        let r = m.push("xab");
        assert!(r.stopped);
        assert_eq!(r.text, "x");
    }
}
