//! The shape of what a tool sends back: text capped at [`MAX_RESULT`] bytes (saying so when
//! cut) beside the same answer as structured content.
use serde_json::{json, Value};

/// The most text one tool result or resource read carries.
pub const MAX_RESULT: usize = 64 * 1024;

/// A successful `CallToolResult`.
pub fn text_result(text: String, structured: Value) -> Value {
    json!({
        "content": [{"type": "text", "text": text}],
        "structuredContent": structured,
        "isError": false,
    })
}

/// Text up to [`MAX_RESULT`] bytes, cut at a character boundary with a line saying so.
pub struct Capped {
    text: String,
    pub cut: bool,
}

impl Capped {
    pub fn new() -> Self {
        Self {
            text: String::new(),
            cut: false,
        }
    }

    /// Appends `piece` whole when it fits, else as much as fits; false once cut.
    pub fn push(&mut self, piece: &str) -> bool {
        if self.cut {
            return false;
        }
        let room = MAX_RESULT.saturating_sub(self.text.len());
        if piece.len() <= room {
            self.text.push_str(piece);
            return true;
        }
        let mut end = room;
        while !piece.is_char_boundary(end) {
            end -= 1;
        }
        self.text.push_str(&piece[..end]);
        self.cut = true;
        false
    }

    pub fn finish(mut self) -> String {
        if self.cut {
            self.text.push_str(&format!(
                "\n[cut: results are capped at {} KiB]\n",
                MAX_RESULT / 1024
            ));
        }
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_text_says_it_was_cut() {
        let mut c = Capped::new();
        assert!(c.push("ab"));
        assert!(!c.push(&"é".repeat(MAX_RESULT)));
        let text = c.finish();
        assert!(text.len() <= MAX_RESULT + 64);
        assert!(text.ends_with("KiB]\n"));
    }
}
