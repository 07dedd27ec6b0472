//! Where a rule's full pattern needs to run: the lines around its trigger's matches. A rule's
//! trigger is cheap (mostly a literal) and matches wherever the rule could, so the full
//! pattern, which is slow on long text, runs only over a few lines per trigger match.
//! Windows begin at a line start and end after a line's newline, so anchors, word
//! boundaries and the characters a pattern looks at around a value see what they would see
//! in the whole text.
use regex::Regex;

/// The stretches of `text` (start, end), in order and apart, that hold every line from a
/// trigger match's line to `lines_after` lines after the line where it ends.
pub(super) fn windows(text: &str, trigger: &Regex, lines_after: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for m in trigger.find_iter(text) {
        if out.last().is_some_and(|&(_, end)| end == text.len()) {
            break;
        }
        let start = line_start(text, m.start());
        let end = lines_end(text, m.end(), lines_after);
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |nl| nl + 1)
}

/// The end of the line holding `at` (after its newline), and of `more` lines after it.
fn lines_end(text: &str, at: usize, more: usize) -> usize {
    if more == usize::MAX {
        return text.len();
    }
    let mut end = at;
    for _ in 0..=more {
        match text[end..].find('\n') {
            Some(nl) => end += nl + 1,
            None => return text.len(),
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_whole_lines_and_merge() {
        let trigger = Regex::new("pw").unwrap();
        let text = "a\npw one\nb\nc\nd\npw two\npw three\ne";
        assert_eq!(
            windows(text, &trigger, 1),
            vec![(2, 11), (15, text.len())],
            "{:?}",
            windows(text, &trigger, 1)
                .iter()
                .map(|&(a, b)| &text[a..b])
                .collect::<Vec<_>>()
        );
        assert_eq!(windows(text, &trigger, usize::MAX), vec![(2, text.len())]);
        assert!(windows("nothing here", &trigger, 2).is_empty());
    }
}
