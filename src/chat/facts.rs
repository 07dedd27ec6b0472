//! Facts the user stated about themselves in a chat, which pai offers to remember when the
//! chat ends. Only the user's own sentences are candidates, never the model's, and only those
//! that read as a statement about the user ("my X is Y", "I use …", "I prefer …"): a proposal
//! is shown and kept only when the user says yes, so a miss costs nothing and a false
//! positive costs one "n". Questions and long sentences are left alone.

/// The longest sentence offered: facts are short.
const MAX_CHARS: usize = 200;

/// How a statement about the user starts, lower-cased.
const OPENINGS: &[&str] = &[
    "i use ",
    "i prefer ",
    "i work ",
    "i live ",
    "i like ",
    "i love ",
    "i hate ",
    "i always ",
    "i never ",
    "i usually ",
    "i own ",
    "i speak ",
    "i'm allergic ",
    "i am allergic ",
    "we use ",
];

/// The sentences of `text` that state a personal fact, trimmed, in order.
pub fn noticed(text: &str) -> Vec<String> {
    sentences(text)
        .into_iter()
        .filter(|s| is_personal_fact(s))
        .map(str::to_string)
        .collect()
}

/// Pieces of text ended by `.`, `!`, `?` followed by a space, or by a line break; the end
/// mark stays with its sentence.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let next = chars.get(i + 1).map(|&(_, n)| n);
        let ends =
            c == '\n' || (matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace));
        if ends {
            out.push(text[start..at + c.len_utf8()].trim());
            start = at + c.len_utf8();
        }
    }
    out.push(text[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

fn is_personal_fact(sentence: &str) -> bool {
    if sentence.ends_with('?') || sentence.chars().count() > MAX_CHARS {
        return false;
    }
    let lower = sentence.to_lowercase().replace('’', "'");
    let words = lower.split_whitespace().count();
    if words < 3 {
        return false;
    }
    let my_x_is = lower.starts_with("my ")
        && [" is ", " are ", " was ", " lives ", " works "]
            .iter()
            .any(|verb| lower.contains(verb));
    my_x_is || OPENINGS.iter().any(|o| lower.starts_with(o))
}

#[cfg(test)]
mod tests {
    use super::noticed;

    #[test]
    fn statements_about_the_user_are_noticed() {
        assert_eq!(
            noticed("My locker code is 4417. What is the weather like? I use vim daily!"),
            ["My locker code is 4417.", "I use vim daily!"]
        );
        assert_eq!(
            noticed("hello\nMy dog’s name is Rex\nI prefer metric units."),
            ["My dog’s name is Rex", "I prefer metric units."]
        );
    }

    #[test]
    fn questions_requests_and_other_sentences_are_not() {
        for text in [
            "What is my locker code?",
            "My code?",
            "Tell me about my options.",
            "Use vim to edit the file.",
            "The server is down. It was fine yesterday.",
            "I think so.",
            "my",
            "",
        ] {
            assert!(noticed(text).is_empty(), "{text}");
        }
        let long = format!("My story is {}", "very long ".repeat(40));
        assert!(noticed(&long).is_empty());
    }

    #[test]
    fn decimals_and_versions_do_not_split_a_sentence() {
        assert_eq!(
            noticed("I use Python 3.12 at work."),
            ["I use Python 3.12 at work."]
        );
    }
}
