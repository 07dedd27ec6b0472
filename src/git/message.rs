//! Commit messages: the prompt, and cleaning what a small model writes into a plain message
//! git can take as is, in the style the repository's history uses. Models wrap messages in fences and quotes,
//! open with "Here is a commit message:", write markdown and overlong subjects; none of that
//! belongs in a commit.

use super::style::{area_of, description, Style};
use super::subject::{area_for, cut_subject, is_meta, plain};
use crate::context::{Attachment, Request};

/// The system prompt for commit messages.
pub const PROMPT: &str = include_str!("../../prompts/commit.txt");
/// The system prompt of the second try, when the first subject would not do.
const STRICT_PROMPT: &str = include_str!("../../prompts/commit-strict.txt");
/// Characters of condensed diff the second try reads: the file list and the first hunks.
const STRICT_DIFF_CHARS: usize = 1500;

/// The most lines of body kept; a commit body is short.
const BODY_MAX_LINES: usize = 12;

/// The message in plain text: subject (at most [`super::subject::SUBJECT_MAX`] characters,
/// cut at a word), a blank line and the body when there is one. Empty when nothing usable is
/// left.
pub fn clean(raw: &str) -> String {
    let text = raw.replace("\r\n", "\n");
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !is_fence(l) && !is_prompt_tag(l) && !is_echoed_diff(l))
        .map(|l| l.trim_end().to_string())
        .collect();
    // Leading blank lines and preambles ("Here is a commit message for these changes:").
    loop {
        match lines.first() {
            Some(l) if l.trim().is_empty() || is_preamble(l) => {
                lines.remove(0);
            }
            _ => break,
        }
    }
    // Trailing commentary after a blank line ("This message follows …", "Let me know …").
    while lines
        .last()
        .is_some_and(|l| l.trim().is_empty() || is_afterword(l))
    {
        lines.pop();
    }
    let Some(first) = lines.first() else {
        return String::new();
    };
    let subject = cut_subject(&clean_subject(first));
    if subject.is_empty() {
        return String::new();
    }
    let mut body: Vec<String> = Vec::new();
    for line in lines.iter().skip(1) {
        let line = clean_body_line(line);
        if line.is_empty() && body.last().is_none_or(|l: &String| l.is_empty()) {
            continue;
        }
        body.push(line);
    }
    while body.last().is_some_and(|l| l.is_empty()) {
        body.pop();
    }
    body.truncate(BODY_MAX_LINES);
    while body.last().is_some_and(|l| l.is_empty()) {
        body.pop();
    }
    // A body that only repeats the subject says nothing.
    if body.len() == 1 && strip_quotes(body[0].trim()) == subject {
        body.clear();
    }
    let mut message = subject;
    if !body.is_empty() {
        message.push_str("\n\n");
        message.push_str(&body.join("\n"));
    }
    message.push('\n');
    message
}

/// Makes a cleaned subject follow the style: the area the history would give it when it has
/// none (a Conventional Commits type where the history uses those), and the case of the
/// history's first words.
pub fn apply_style(message: &str, style: &Style, paths: &[String]) -> String {
    let (subject, rest) = match message.split_once('\n') {
        Some((s, r)) => (s.to_string(), r),
        None => (message.to_string(), ""),
    };
    let area = match area_of(&subject) {
        Some(area) => Some(area.to_string()),
        None => area_for(paths, style),
    };
    let description = description(&subject);
    let description = if style.capitalized {
        upper_first(description)
    } else {
        lower_first(description)
    };
    let subject = match area {
        Some(area) => cut_subject(&format!("{area}: {description}")),
        None => description,
    };
    format!("{subject}\n{rest}")
}

/// The message built from the diff alone, when the model gave nothing usable.
pub fn fallback(paths: &[String], style: &Style) -> String {
    format!("{}\n", plain(paths, style))
}

/// Characters a body line may have; gitlint allows 80.
const BODY_WIDTH: usize = 72;
/// A body shorter than this says nothing the subject did not (gitlint's minimum is 20).
const BODY_MIN: usize = 20;

/// The message with its body kept only when it is sound: no meta-text, no lines of the diff
/// copied back, long enough to say something; long lines are wrapped.
pub fn sound_body(message: &str) -> String {
    let Some((subject, body)) = message.split_once("\n\n") else {
        return message.to_string();
    };
    let copied_diff = |l: &str| {
        let t = l.trim_start();
        (t.starts_with(['+', '-']) && !t[1..].starts_with(' ')) || t.starts_with('<')
    };
    if body.trim().chars().count() < BODY_MIN || is_meta(body) || body.lines().any(copied_diff) {
        return format!("{subject}\n");
    }
    let mut out = format!("{subject}\n\n");
    for line in body.lines() {
        out.push_str(&wrap(line, BODY_WIDTH));
        out.push('\n');
    }
    out
}

/// `line` broken at spaces into lines of at most `width` characters where it can be.
fn wrap(line: &str, width: usize) -> String {
    let mut out = String::new();
    let mut len = 0;
    for word in line.split(' ') {
        let w = word.chars().count();
        if len > 0 && len + 1 + w > width {
            out.push('\n');
            len = 0;
        } else if len > 0 {
            out.push(' ');
            len += 1;
        }
        out.push_str(word);
        len += w;
    }
    out
}

fn is_fence(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("```") || t.starts_with("~~~")
}

/// `<attachment name="staged changes">`: small models echo the prompt's markup.
fn is_prompt_tag(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("<attachment") || t.starts_with("</attachment")
}

/// Lines of the condensed diff that small models copy back: `1 file(s) changed:`,
/// `M main.rs +2 -1`, `--- main.rs`, `@@ -1 +1 @@`.
fn is_echoed_diff(line: &str) -> bool {
    let t = line.trim();
    let listing = t.len() > 2
        && matches!(t.get(..2), Some("M " | "A " | "D " | "R "))
        && t.split(' ')
            .rev()
            .nth(1)
            .is_some_and(|w| w.starts_with('+'))
        && t.rsplit(' ').next().is_some_and(|w| w.starts_with('-'));
    t.ends_with("file(s) changed:")
        || t.starts_with("--- ")
        || t.starts_with("+++ ")
        || t.starts_with("@@ ")
        || listing
}

fn is_preamble(line: &str) -> bool {
    let t = line.trim().trim_matches('*').trim().to_lowercase();
    let openers = [
        "here is",
        "here's",
        "here are",
        "sure",
        "certainly",
        "okay",
        "ok,",
        "of course",
        "below is",
        "the following",
        "i've",
        "i have",
        "based on",
    ];
    let labels = [
        "commit message:",
        "commit message",
        "commit:",
        "git commit message:",
        "message:",
        "suggested commit message:",
        "proposed commit message:",
    ];
    labels.contains(&t.as_str())
        || (openers.iter().any(|o| t.starts_with(o))
            && (t.ends_with(':') || t.contains("commit message")))
        || t == "sure!"
        || t == "sure."
}

fn is_afterword(line: &str) -> bool {
    let t = line.trim().to_lowercase();
    [
        "this commit message",
        "this message",
        "let me know",
        "i hope",
        "note:",
        "feel free",
    ]
    .iter()
    .any(|o| t.starts_with(o))
}

/// Drops labels, markdown and quotes from the first line.
fn clean_subject(line: &str) -> String {
    let mut s = line.trim().to_string();
    loop {
        let before = s.clone();
        s = s.trim_start_matches('#').trim().to_string();
        s = strip_wrapping(&s, "**");
        s = strip_wrapping(&s, "__");
        for label in [
            "subject:",
            "commit message:",
            "commit:",
            "title:",
            "summary:",
            "message:",
        ] {
            if s.to_lowercase().starts_with(label) {
                s = s[label.len()..].trim().to_string();
            }
        }
        s = s.trim_start_matches("- ").trim().to_string();
        s = strip_quotes(&s).to_string();
        s = s.replace("**", "").trim().to_string();
        if s == before {
            break;
        }
    }
    let s = s.trim_end_matches(['.', ' ']).to_string();
    // Backticks are markdown; the words inside them stay.
    s.replace('`', "")
}

fn clean_body_line(line: &str) -> String {
    let t = line.trim_end();
    // A line starting with '#' would be taken for a comment by git and dropped.
    let t = if t.trim_start().starts_with('#') {
        t.trim_start().trim_start_matches('#').trim_start()
    } else {
        t
    };
    let t = t.replace("**", "");
    let t = t.strip_prefix("* ").map(|r| format!("- {r}")).unwrap_or(t);
    let t = strip_quotes(&t).to_string();
    t
}

fn strip_wrapping(s: &str, mark: &str) -> String {
    match s.strip_prefix(mark).and_then(|r| r.strip_suffix(mark)) {
        Some(inner) => inner.trim().to_string(),
        None => s.to_string(),
    }
}

/// `"x"`, `'x'`, `` `x` ``, `“x”` → `x`, when the quotes wrap the whole text.
fn strip_quotes(s: &str) -> &str {
    let pairs = [('"', '"'), ('\'', '\''), ('`', '`'), ('“', '”'), ('‘', '’')];
    for (open, close) in pairs {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            if !inner.is_empty() && !inner.contains(close) {
                return inner.trim();
            }
        }
    }
    s
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // "README", "API": leave words in capitals alone.
        Some(f) if !c.clone().next().is_some_and(char::is_uppercase) => {
            f.to_lowercase().chain(c).collect()
        }
        _ => s.to_string(),
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What `pai commit` asks the model: the diff, then the history's recent subjects to copy the
/// form of (a small model imitates examples better than it follows rules). The strict one, the
/// second try, asks for the subject alone and shows less of the diff. One form shared by the
/// command and by `pai learn`, which trains on the same prompts.
pub fn request(style: &Style, condensed_diff: &str, strict: bool) -> Request {
    let mut question = String::new();
    if !style.examples.is_empty() {
        question.push_str("Recent commit subjects in this repository:\n");
        for s in &style.examples {
            question.push_str(&crate::render::sanitize_line(s));
            question.push('\n');
        }
        question.push('\n');
    }
    question.push_str(if strict {
        "Reply with one line: the subject for the staged changes, in the form of the subjects above. Only the subject."
    } else {
        "Write the commit message for the staged changes, its subject in the form of the subjects above."
    });
    let diff = if strict {
        head_of(condensed_diff, STRICT_DIFF_CHARS)
    } else {
        condensed_diff
    };
    Request {
        question,
        system: Some(system_prompt(style, strict)),
        attachments: vec![Attachment {
            label: "staged changes".into(),
            text: diff.to_string(),
        }],
        ..Request::default()
    }
}

/// The start of `text`, at most `max` bytes, cut at a line.
fn head_of(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end]
        .rfind('\n')
        .map_or(&text[..end], |i| &text[..=i])
}

fn system_prompt(style: &Style, strict: bool) -> String {
    let mut prompt = if strict { STRICT_PROMPT } else { PROMPT }
        .trim_end()
        .to_string();
    if style.conventional {
        prompt.push_str("\nUse Conventional Commits: the subject is `type(scope): summary`, where type is feat, fix, docs, test, refactor, build, ci or chore.");
    }
    prompt
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::style::learn;
    use crate::git::subject::SUBJECT_MAX;

    #[test]
    fn fences_and_preambles_are_removed() {
        let raw = "Here is a commit message for your changes:\n\n```\nAdd a greeting argument\n\nRead the name from the first argument.\n```\n";
        assert_eq!(
            clean(raw),
            "Add a greeting argument\n\nRead the name from the first argument.\n"
        );
        let raw = "Sure! Here's the commit message:\n```text\nFix typo\n```";
        assert_eq!(clean(raw), "Fix typo\n");
        assert_eq!(clean("Commit message:\nFix typo"), "Fix typo\n");
    }

    #[test]
    fn quotes_labels_and_markdown_are_removed_from_the_subject() {
        assert_eq!(clean("\"Fix the parser\""), "Fix the parser\n");
        assert_eq!(clean("'Fix the parser.'"), "Fix the parser\n");
        assert_eq!(clean("**Subject:** Fix the parser"), "Fix the parser\n");
        assert_eq!(clean("# Fix the parser"), "Fix the parser\n");
        assert_eq!(clean("Subject: `Fix` the parser"), "Fix the parser\n");
        assert_eq!(clean("“Fix the parser”"), "Fix the parser\n");
    }

    #[test]
    fn a_long_subject_is_cut_at_a_word() {
        let long = "Add a very long subject line that goes on and on about everything that changed in this commit today";
        let out = clean(long);
        let subject = out.lines().next().unwrap();
        assert!(subject.chars().count() <= SUBJECT_MAX, "{subject}");
        assert!(long.starts_with(subject));
        assert!(
            long[subject.len()..].starts_with(' '),
            "cut inside a word: {subject}"
        );
        let one_word = "x".repeat(100);
        assert_eq!(clean(&one_word).trim().chars().count(), SUBJECT_MAX);
    }

    #[test]
    fn the_body_is_kept_short_and_comment_safe() {
        let raw = "Fix it\n\n\n\n## Details\n* one\n* two\n\nLet me know if you want changes.";
        assert_eq!(clean(raw), "Fix it\n\nDetails\n- one\n- two\n");
        let many = format!("Fix it\n\n{}", "line\n".repeat(40));
        assert!(clean(&many).lines().count() <= BODY_MAX_LINES + 2);
    }

    #[test]
    fn an_echoed_diff_listing_is_dropped() {
        let raw = "1 file(s) changed:\n\nM main.rs +2 -1\n\n--- main.rs\nRead the name from the arguments";
        assert_eq!(clean(raw), "Read the name from the arguments\n");
    }

    #[test]
    fn nothing_usable_gives_an_empty_message() {
        assert_eq!(clean(""), "");
        assert_eq!(clean("```\n```"), "");
        assert_eq!(clean("Here is the commit message:"), "");
    }

    #[test]
    fn conventional_style_adds_a_type_when_missing() {
        let style = Style {
            area: true,
            conventional: true,
            ..Style::default()
        };
        let out = apply_style("Update the guide\n", &style, &["docs/guide.md".into()]);
        assert_eq!(out, "docs: update the guide\n");
        let kept = apply_style("fix: handle EOF\n\nbody\n", &style, &["src/a.rs".into()]);
        assert_eq!(kept, "fix: handle EOF\n\nbody\n");
    }

    #[test]
    fn an_area_history_gives_its_area_and_case() {
        let history: Vec<String> = ["engine: count once", "mcp: read notes", "README: say more"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let style = learn(&history);
        assert!(style.area && !style.conventional && !style.capitalized);
        let paths = ["src/mcp/tools.rs".to_string()];
        assert_eq!(
            apply_style("Serve resources\n", &style, &paths),
            "mcp: serve resources\n"
        );
        assert_eq!(fallback(&paths, &style), "mcp: update tools.rs\n");
    }

    #[test]
    fn only_a_sound_body_is_kept() {
        let long =
            "Read the name from the first argument so that the greeting can say who it is for.";
        let kept = sound_body(&format!("Add a greeting\n\n{long}\n"));
        assert!(
            kept.starts_with("Add a greeting\n\nRead the name"),
            "{kept}"
        );
        assert!(
            kept.lines().all(|l| l.chars().count() <= BODY_WIDTH),
            "{kept}"
        );
        for junk in [
            "Add a greeting\n\nFix it.\n",
            "Add a greeting\n\nThe staged changes add a greeting to the program.\n",
            "Add a greeting\n\n-mod index;\n+mod main;\n",
        ] {
            assert_eq!(sound_body(junk), "Add a greeting\n", "{junk}");
        }
        assert_eq!(sound_body("Add a greeting\n"), "Add a greeting\n");
    }

    #[test]
    fn the_fallback_names_the_files() {
        let style = learn(&[]);
        assert_eq!(
            fallback(&["src/main.rs".into()], &style),
            "Update main.rs\n"
        );
    }
}
