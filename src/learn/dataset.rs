//! Items as the model reads them: token sequences, the span of each that counts (the
//! commit message, or the whole note), and training windows over their concatenation, moved
//! half a window at a time, as llama.cpp's own `common_opt_dataset_init` cuts a text.
use crate::engine::local::LocalModel;

use super::corpus::{Item, Kind};

/// The longest piece of a note scored at once: a note is cut into pieces of this many
/// tokens, each read from its own start.
const NOTE_PIECE: usize = 512;

/// A token sequence and where its scored part starts.
#[derive(Debug, Clone)]
pub struct Sequence {
    pub tokens: Vec<i32>,
    pub scored_from: usize,
}

/// A commit: `pai commit`'s prompt, then the message and the end-of-turn token, with only
/// the message and its end scored. A note: its text in pieces, all scored.
pub fn sequences(model: &LocalModel, item: &Item) -> Vec<Sequence> {
    match item.kind {
        Kind::Commit => {
            let mut tokens: Vec<i32> = model
                .chat_tokens(&item.prompt)
                .iter()
                .map(|t| t.0)
                .collect();
            let scored_from = tokens.len();
            tokens.extend(model.tokenize_plain(&item.text, false).iter().map(|t| t.0));
            tokens.push(model.end_of_turn().0);
            vec![Sequence {
                tokens,
                scored_from,
            }]
        }
        Kind::Note => {
            let tokens: Vec<i32> = model
                .tokenize_plain(&item.text, false)
                .iter()
                .map(|t| t.0)
                .collect();
            tokens
                .chunks(NOTE_PIECE)
                .filter(|piece| piece.len() > 1)
                .map(|piece| Sequence {
                    tokens: piece.to_vec(),
                    scored_from: 1,
                })
                .collect()
        }
    }
}

/// The training text: every sequence, one after the other.
pub fn stream(sequences: &[Sequence]) -> Vec<i32> {
    sequences
        .iter()
        .flat_map(|s| s.tokens.iter().copied())
        .collect()
}

/// Windows of `window + 1` tokens (inputs and, moved by one, labels), starting every
/// `window / 2` tokens. None when the text is shorter than one window.
pub fn windows(stream: &[i32], window: usize) -> Vec<Vec<i32>> {
    let stride = (window / 2).max(1);
    if stream.len() < window + 1 {
        return Vec::new();
    }
    let count = (stream.len() - (window + 1)) / stride + 1;
    (0..count)
        .map(|i| stream[i * stride..i * stride + window + 1].to_vec())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_overlap_by_half_and_carry_their_next_token() {
        let stream: Vec<i32> = (0..1000).collect();
        let w = windows(&stream, 256);
        assert_eq!(w.len(), (1000 - 257) / 128 + 1);
        assert_eq!(w[1][0], 128);
        assert!(w.iter().all(|x| x.len() == 257));
        assert!(windows(&stream[..256], 256).is_empty());
    }
}
