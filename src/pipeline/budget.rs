//! How big the window is and how much of it the answer keeps: one policy for every front end.

/// Conversations (the chat, the server) keep one context of the whole window for their
/// lifetime, so unless the user says otherwise it is this size: enough for a long
/// conversation, memory a small machine can spare. One-shot commands size their context to
/// each request instead, up to the model's trained length.
pub const KEPT_WINDOW: u32 = 4096;

/// The trained length assumed when a model does not say.
const UNKNOWN_TRAINED: u32 = 4096;

/// The smallest context llama.cpp is given.
pub const MIN_WINDOW: u32 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub window: u32,
    /// Tokens of the window kept free for the answer.
    pub reserve: u32,
    /// The model's trained length, for hints.
    pub trained: u32,
}

impl Budget {
    /// `setting` is --ctx or config.toml; a window never grows past the trained length.
    /// `kept` says the context lives for a conversation (see [`KEPT_WINDOW`]).
    pub fn new(setting: Option<u32>, trained: u32, max_tokens: u32, kept: bool) -> Self {
        let trained = if trained == 0 {
            UNKNOWN_TRAINED
        } else {
            trained.max(MIN_WINDOW)
        };
        let wanted = match (setting, kept) {
            (Some(s), _) => s,
            (None, true) => KEPT_WINDOW,
            (None, false) => trained,
        };
        let window = wanted.clamp(MIN_WINDOW, trained);
        let reserve = answer_reserve(max_tokens, window);
        Self {
            window,
            reserve,
            trained,
        }
    }

    pub fn prompt_tokens(&self) -> usize {
        (self.window - self.reserve) as usize
    }
}

/// The tokens of `window` kept free for an answer of `max_tokens`: a long attachment may take
/// most of the window, but the answer keeps up to a quarter of it.
pub fn answer_reserve(max_tokens: u32, window: u32) -> u32 {
    max_tokens.clamp(1, (window / 4).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiny_trained_length_does_not_panic() {
        let b = Budget::new(Some(4096), 8, 512, false);
        assert_eq!(b.window, MIN_WINDOW);
        assert_eq!(b.reserve, 4);
        let b = Budget::new(None, 0, 512, true);
        assert_eq!(b.window, KEPT_WINDOW);
    }

    #[test]
    fn the_answer_keeps_at_most_a_quarter() {
        let b = Budget::new(Some(2048), 8192, 4096, false);
        assert_eq!((b.window, b.reserve, b.prompt_tokens()), (2048, 512, 1536));
        let b = Budget::new(None, 8192, 100, false);
        assert_eq!((b.window, b.reserve), (8192, 100));
    }
}
