//! Commit messages: the style a repository's history uses, and cleaning what a small model
//! writes into a plain message git can take as is. Models wrap messages in fences and quotes,
//! open with "Here is a commit message:", write markdown and overlong subjects; none of that
//! belongs in a commit.

use crate::context::{Attachment, Request};

/// The system prompt for commit messages.
pub const PROMPT: &str = include_str!("../../prompts/commit.txt");

/// The most characters a subject may have.
pub const SUBJECT_MAX: usize = 72;
/// The most lines of body kept; a commit body is short.
const BODY_MAX_LINES: usize = 12;

/// What the history says about how subjects are written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Style {
    pub conventional: bool,
    /// Most subjects start with a capital letter.
    pub capitalized: bool,
    /// A few recent subjects to imitate.
    pub examples: Vec<String>,
}

/// `feat: x`, `fix(parser)!: y`
pub fn is_conventional(subject: &str) -> bool {
    let Some((head, rest)) = subject.split_once(": ") else {
        return false;
    };
    if rest.trim().is_empty() {
        return false;
    }
    let head = head.strip_suffix('!').unwrap_or(head);
    let kind = match head.split_once('(') {
        Some((kind, scope)) => {
            if !scope.ends_with(')') || scope.len() < 2 {
                return false;
            }
            kind
        }
        None => head,
    };
    !kind.is_empty() && kind.len() <= 12 && kind.chars().all(|c| c.is_ascii_lowercase())
}

/// Learns the style from recent subjects (newest first). Conventional Commits when at least
/// half of them follow it.
pub fn learn(subjects: &[String]) -> Style {
    let n = subjects.len();
    if n == 0 {
        return Style {
            capitalized: true,
            ..Style::default()
        };
    }
    let conventional = subjects.iter().filter(|s| is_conventional(s)).count() * 2 >= n;
    let capitalized = subjects
        .iter()
        .filter(|s| s.chars().next().is_some_and(char::is_uppercase))
        .count()
        * 2
        >= n;
    Style {
        conventional,
        capitalized,
        examples: subjects.iter().take(6).cloned().collect(),
    }
}

/// What `pai commit` asks the model, for a condensed diff: one form shared by the command
/// and by `pai learn`, which trains on the same prompts.
pub fn request(style: &Style, condensed_diff: String) -> Request {
    Request {
        question: "Write the commit message for these staged changes.".into(),
        system: Some(system_prompt(style)),
        attachments: vec![Attachment {
            label: "staged changes".into(),
            text: condensed_diff,
        }],
        ..Request::default()
    }
}

fn system_prompt(style: &Style) -> String {
    let mut prompt = PROMPT.trim_end().to_string();
    if style.conventional {
        prompt.push_str("\nUse Conventional Commits: the subject is `type(scope): summary`, where type is feat, fix, docs, test, refactor, build, ci or chore.");
    }
    if !style.examples.is_empty() {
        prompt.push_str("\nWrite the subject in the style of this repository's recent subjects:");
        for s in &style.examples {
            prompt.push_str("\n- ");
            prompt.push_str(&crate::render::sanitize_line(s));
        }
    }
    prompt
}

/// The message in plain text: subject (at most [`SUBJECT_MAX`] characters, cut at a word),
/// a blank line and the body when there is one. Empty when nothing usable is left.
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

/// Makes a cleaned subject follow the style: a Conventional Commits type when asked for one and
/// missing (guessed from the paths), the case of the history's first letters otherwise.
pub fn apply_style(message: &str, style: &Style, paths: &[String]) -> String {
    let (subject, rest) = match message.split_once('\n') {
        Some((s, r)) => (s.to_string(), r),
        None => (message.to_string(), ""),
    };
    let subject = if style.conventional && !is_conventional(&subject) {
        let mut s = lower_first(&subject);
        s = format!("{}: {s}", guess_type(paths));
        cut_subject(&s)
    } else if !style.conventional && !style.capitalized && !style.examples.is_empty() {
        lower_first(&subject)
    } else if !style.conventional && style.capitalized {
        upper_first(&subject)
    } else {
        subject
    };
    format!("{subject}\n{rest}")
}

/// A Conventional Commits type from the changed paths alone.
pub fn guess_type(paths: &[String]) -> &'static str {
    let all = |f: &dyn Fn(&str) -> bool| !paths.is_empty() && paths.iter().all(|p| f(p));
    if all(&|p| p.ends_with(".md") || p.starts_with("docs/") || p.ends_with(".txt")) {
        "docs"
    } else if all(&|p| p.starts_with("tests/") || p.contains("test")) {
        "test"
    } else if all(&|p| {
        super::diff::is_lock_file(p)
            || p.ends_with("Cargo.toml")
            || p.ends_with("package.json")
            || p.ends_with("go.mod")
    }) {
        "build"
    } else if all(&|p| p.starts_with(".github/") || p.starts_with(".gitlab")) {
        "ci"
    } else {
        "chore"
    }
}

/// The subject made of the file names, when the model gave nothing usable.
pub fn fallback(paths: &[String], style: &Style) -> String {
    let names: Vec<&str> = paths
        .iter()
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .collect();
    let what = match names.len() {
        0 => "files".to_string(),
        1..=3 => names.join(", "),
        n => format!("{}, {} and {} more", names[0], names[1], n - 2),
    };
    let subject = format!("Update {what}");
    apply_style(&format!("{}\n", cut_subject(&subject)), style, paths)
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

/// At most [`SUBJECT_MAX`] characters, cut at a word boundary.
pub fn cut_subject(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= SUBJECT_MAX {
        return s.to_string();
    }
    let head: String = s.chars().take(SUBJECT_MAX + 1).collect();
    let cut = match head.rfind(' ') {
        Some(i) if i > SUBJECT_MAX / 2 => &head[..i],
        _ => {
            let end = head
                .char_indices()
                .nth(SUBJECT_MAX)
                .map_or(head.len(), |(i, _)| i);
            &head[..end]
        }
    };
    cut.trim_end_matches([' ', ',', ';', ':', '-', '.'])
        .trim_end()
        .to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_style_is_learned_from_history() {
        let conv: Vec<String> = ["feat(cli): add x", "fix: y", "docs: z", "Merge stuff"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(learn(&conv).conventional);
        let plain: Vec<String> = ["Add x", "Fix y", "feat: z"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let style = learn(&plain);
        assert!(!style.conventional && style.capitalized);
        assert!(is_conventional("fix(parser)!: handle EOF"));
        assert!(!is_conventional("Fix: the thing"));
        assert!(!is_conventional("see: "));
    }

    #[test]
    fn conventional_style_adds_a_type_when_missing() {
        let style = Style {
            conventional: true,
            ..Style::default()
        };
        let out = apply_style("Update the guide\n", &style, &["docs/guide.md".into()]);
        assert_eq!(out, "docs: update the guide\n");
        let kept = apply_style("fix: handle EOF\n\nbody\n", &style, &["src/a.rs".into()]);
        assert_eq!(kept, "fix: handle EOF\n\nbody\n");
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
