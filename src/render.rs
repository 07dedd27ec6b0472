//! Text from models and files on its way to a terminal. Escape sequences and other control
//! characters are removed, so that no model output or note can set the window title, clear the
//! screen or move the cursor. `--raw` is the one way around it.

/// Removes every control character except newline and tab: C0 (ESC, BEL, CR, backspace…),
/// DEL, and the C1 range, which some terminals also obey. The printable rest of an escape
/// sequence stays as harmless text.
pub fn sanitize(text: &str) -> String {
    text.chars().filter(|&c| is_safe(c)).collect()
}

/// Like [`sanitize`], for one-line messages such as errors: newlines and tabs become spaces.
pub fn sanitize_line(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\t' => Some(' '),
            c if is_safe(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Like [`sanitize_line`], cut to at most `max` characters with an ellipsis: for text from
/// a file or a setting that an error echoes, which may be megabytes long.
pub fn clip(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .filter_map(|c| match c {
            '\n' | '\t' => Some(' '),
            c if is_safe(c) => Some(c),
            _ => None,
        })
        .take(max.saturating_add(1))
        .collect();
    if out.chars().count() > max {
        out = out.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
    }
    out
}

/// Makes serialized JSON safe to print to a terminal without changing what it parses to:
/// serde_json escapes C0 controls itself but writes DEL, C1 and bidirectional overrides as they
/// are, and those can only occur inside strings, where `\uXXXX` means the same character.
pub fn escape_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_safe(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04x}", c as u32));
        }
    }
    out
}

fn is_safe(c: char) -> bool {
    match c {
        '\n' | '\t' => true,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => false,
        // Bidirectional overrides can make text read differently from what it is.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_lose_their_escape() {
        let evil = "a\x1b]2;PWNED\x07b\x1b[2J\x1b[Hc\r\u{9b}31m";
        let clean = sanitize(evil);
        assert!(!clean.chars().any(|c| c.is_control() && c != '\n'));
        assert_eq!(clean, "a]2;PWNEDb[2J[Hc31m");
    }

    #[test]
    fn json_keeps_its_meaning_and_loses_its_escapes() {
        let text = "a\x1b[2Jb\u{9b}31m\u{202e}c\u{7f}";
        let json = escape_json(&serde_json::to_string(&text).unwrap());
        assert!(json.chars().all(|c| is_safe(c) || c == '\n'), "{json}");
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
    }

    #[test]
    fn a_long_value_is_clipped_to_one_short_line() {
        let long = "x\n".repeat(1_000_000);
        let clipped = clip(&long, 200);
        assert_eq!(clipped.chars().count(), 200);
        assert!(clipped.ends_with('…') && !clipped.contains('\n'));
        assert_eq!(clip("short", 200), "short");
    }

    #[test]
    fn ordinary_text_is_untouched() {
        let text = "Grüße, 世界!\n\tindented — ok 👍";
        assert_eq!(sanitize(text), text);
    }
}
