//! The subject line: whether one a model wrote can be used, the grammar that keeps a local
//! model to the history's form, and the plain subject built from the diff when the model fails.
//! Small models write meta-text ("the staged changes are:"), list items ("1. Add …") and the
//! diff's own listing ("M src/main.rs"); a commit is better served by `area: update main.rs`.
use super::style::{area_of, description, guess_type, Style};

/// The most characters a subject may have.
pub const SUBJECT_MAX: usize = 72;

/// Why a subject cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    Empty,
    TooLong,
    /// It ends in `:`, `.` or other punctuation: a heading or a sentence, not a subject.
    TrailingPunctuation,
    /// `- x`, `* x`, `1. x`: an item of a list the model started.
    ListMarker,
    /// It talks about the message, the prompt or the diff instead of the change.
    MetaText,
    /// The history writes `area: change` and this has no area.
    NoArea,
    /// The first word is no word (`m src/x.rs`, `+12`), or not an imperative verb where the
    /// history has no areas.
    NotAVerb,
}

impl std::fmt::Display for Flaw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Flaw::Empty => "it is empty",
            Flaw::TooLong => "it is too long",
            Flaw::TrailingPunctuation => "it ends in punctuation",
            Flaw::ListMarker => "it is a list item",
            Flaw::MetaText => "it talks about the message instead of the change",
            Flaw::NoArea => "it lacks the history's `area:` prefix",
            Flaw::NotAVerb => "it does not start with a verb",
        })
    }
}

/// What a subject never ends in (gitlint's title-trailing-punctuation).
const TRAILING: [char; 6] = ['.', ':', ',', ';', '!', '?'];

/// Phrases about the message, the prompt or the diff, never about a change.
const META: &[&str] = &[
    "commit message",
    "staged",
    "here is",
    "here's",
    "here are",
    "the following",
    "changes are",
    "file(s) changed",
    "not shown",
    "diff --git",
    "@@",
    "<attachment",
    "as an ai",
];

/// Words that open a description but never an imperative one.
const NOT_IMPERATIVE: &[&str] = &[
    "a", "an", "the", "this", "these", "that", "those", "it", "its", "i", "we", "you", "my", "our",
    "commit", "changes", "change", "message", "subject", "summary", "file", "files", "new",
    "minor", "various", "some", "all", "and", "or", "to", "of", "in", "on", "for", "with", "is",
    "are", "was", "has", "have",
];

/// Whether `subject` can be used as it is for a history of `style`.
pub fn check(subject: &str, style: &Style) -> Result<(), Flaw> {
    let s = subject.trim();
    if s.is_empty() {
        return Err(Flaw::Empty);
    }
    if s.chars().count() > SUBJECT_MAX {
        return Err(Flaw::TooLong);
    }
    if s.ends_with(TRAILING) {
        return Err(Flaw::TrailingPunctuation);
    }
    if is_list_item(s) || is_list_item(description(s)) {
        return Err(Flaw::ListMarker);
    }
    if is_meta(s) {
        return Err(Flaw::MetaText);
    }
    let area = area_of(s);
    if style.area && area.is_none() {
        return Err(Flaw::NoArea);
    }
    let first = description(s).split_whitespace().next().unwrap_or("");
    let word = first.chars().count() >= 2 && first.chars().all(char::is_alphabetic);
    let imperative = word
        && !NOT_IMPERATIVE.contains(&first.to_lowercase().as_str())
        && !first.ends_with("ed")
        && !first.ends_with("ing");
    // A history of areas writes what it likes after them ("engine: tokens are counted once").
    if !word || (area.is_none() && !imperative) {
        return Err(Flaw::NotAVerb);
    }
    Ok(())
}

/// Whether `text` talks about the message, the prompt or the diff.
pub fn is_meta(text: &str) -> bool {
    let lower = text.to_lowercase();
    META.iter().any(|m| lower.contains(m))
}

/// `- x`, `* x`, `+ x`, `• x`, `1. x`, `2) x`.
fn is_list_item(s: &str) -> bool {
    let s = s.trim_start();
    if s.starts_with(['-', '*', '+', '•']) {
        return true;
    }
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    digits > 0
        && s[digits..].starts_with(['.', ')'])
        && !s[digits + 1..].starts_with(char::is_numeric)
}

/// Folders that say nothing about what changed.
const GENERIC_DIRS: &[&str] = &["src", "lib", "crates", "packages", "pkg", "app", "internal"];

/// The area for `paths` as the history names areas (`areas`, most used first): one that names
/// a folder or file of the first path, else the first telling folder (`src/engine/local.rs` → `engine`,
/// `crates/ignore/src/walk.rs` → `ignore`), else the file's stem (`README.md` → `README`).
pub fn guess_area(paths: &[String], areas: &[String]) -> String {
    let Some(path) = paths.first() else {
        return "repo".into();
    };
    let parts: Vec<&str> = path.split('/').collect();
    let (dirs, file) = parts.split_at(parts.len() - 1);
    let stem = file[0]
        .split('.')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(file[0]);
    let names = dirs.iter().copied().chain([stem, file[0]]);
    for name in names {
        if let Some(area) = areas.iter().find(|a| a.eq_ignore_ascii_case(name)) {
            return area.clone();
        }
    }
    dirs.iter()
        .find(|d| !GENERIC_DIRS.contains(d) && !d.starts_with('.'))
        .unwrap_or(&stem)
        .to_string()
}

/// The area this change's subject takes, if the history writes areas: a Conventional
/// Commits type where the history uses those, else the history's name for the paths.
pub fn area_for(paths: &[String], style: &Style) -> Option<String> {
    if !style.area {
        return None;
    }
    if style.conventional {
        return Some(guess_type(paths).to_string());
    }
    Some(guess_area(paths, &style.areas))
}

/// Verbs that open subjects everywhere; the grammar offers them besides the history's own
/// first words.
const VERBS: &[&str] = &[
    "add", "allow", "avoid", "bump", "change", "check", "clean", "document", "drop", "fix",
    "handle", "improve", "keep", "let", "make", "merge", "move", "print", "read", "reduce",
    "refactor", "remove", "rename", "replace", "report", "return", "revert", "run", "set", "show",
    "simplify", "skip", "split", "stop", "support", "test", "update", "use", "write",
];

/// A GBNF grammar for one subject line: `area: ` when given, then a first word (a common
/// verb or one the history opens with, in the history's case), then the rest of the line, at
/// most [`SUBJECT_MAX`] characters in all and never ending in punctuation. The first word is
/// where small models go wrong ("the staged changes", "m src/x.rs", "1."); held to words
/// that open subjects, they go on as subjects do.
pub fn grammar(area: Option<&str>, style: &Style) -> String {
    let prefix = area.map(|a| format!("{a}: ")).unwrap_or_default();
    let mut words: Vec<String> = VERBS.iter().map(|v| v.to_string()).collect();
    for opener in &style.openers {
        if !words.contains(opener) {
            words.push(opener.clone());
        }
    }
    let first: Vec<String> = words
        .iter()
        .map(|w| {
            gbnf_literal(&if style.capitalized {
                upper_first(w)
            } else {
                w.clone()
            })
        })
        .collect();
    let room = tail_room(&prefix, &words);
    format!(
        "root ::= {prefix} first tail?\n\
         first ::= {first}\n\
         tail ::= \" \" [^\\n\\r]{{0,{room}}} [^\\n\\r.:,;!? ]\n",
        prefix = gbnf_literal(&prefix),
        first = first.join(" | "),
    )
}

/// The most characters the grammar's tail may take before its last one: what fits beside
/// the prefix and the longest first word.
fn tail_room(prefix: &str, words: &[String]) -> usize {
    let longest = words.iter().map(|w| w.chars().count()).max().unwrap_or(0);
    SUBJECT_MAX.saturating_sub(prefix.chars().count() + longest + 2)
}

/// Words that join a subject to what followed; a subject does not end on one.
const JOINING: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "that",
    "the", "to", "which", "with",
];

/// The first line of what a model wrote under [`grammar`], with its last word dropped when
/// the grammar ended the line at its length: there the last character is whatever the grammar
/// still allowed (`…unreachable ignore filesC`), not where the model would have stopped. A
/// joining word or punctuation left at the end goes too.
pub fn unclip(line: &str, area: Option<&str>, style: &Style) -> String {
    let prefix = area.map(|a| format!("{a}: ")).unwrap_or_default();
    let Some(rest) = line.strip_prefix(&prefix) else {
        return line.to_string();
    };
    let Some((first, _)) = rest.split_once(' ') else {
        return line.to_string();
    };
    let mut words: Vec<String> = VERBS.iter().map(|v| v.to_string()).collect();
    words.extend(style.openers.iter().cloned());
    let most = prefix.chars().count() + first.chars().count() + tail_room(&prefix, &words) + 2;
    if line.chars().count() < most {
        return line.to_string();
    }
    let keep = prefix.len() + first.len();
    let mut cut = line[..line.rfind(' ').unwrap_or(line.len())].to_string();
    loop {
        let trimmed = cut.trim_end_matches([' ', ',', ';', ':', '-', '.', '(', '"', '\'']);
        let last_word = trimmed.rsplit(' ').next().unwrap_or("");
        let shorter = match JOINING.contains(&last_word.to_lowercase().as_str()) {
            true => &trimmed[..trimmed.len() - last_word.len()],
            false => trimmed,
        };
        if shorter.len() == cut.len() || shorter.len() <= keep {
            break;
        }
        cut = shorter.to_string();
    }
    if cut.len() <= keep {
        return line.to_string();
    }
    cut
}

fn upper_first(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A GBNF string literal for `text`.
fn gbnf_literal(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The subject built from the diff alone, when the model's would not do: `area: update FILE`
/// in a history of areas, `Update FILE` otherwise, in the history's case.
pub fn plain(paths: &[String], style: &Style) -> String {
    let mut names: Vec<&str> = Vec::new();
    for name in paths.iter().map(|p| p.rsplit('/').next().unwrap_or(p)) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let what = match names.len() {
        0 => "files".to_string(),
        1..=3 => names.join(", "),
        n => format!("{}, {} and {} more", names[0], names[1], n - 2),
    };
    let verb = if style.capitalized {
        "Update"
    } else {
        "update"
    };
    let subject = match area_for(paths, style) {
        Some(area) => format!("{area}: {verb} {what}"),
        None => format!("Update {what}"),
    };
    cut_subject(&subject)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_the_grammar_ended_loses_its_cut_word() {
        let s = style(true, false);
        let verbs: Vec<String> = VERBS.iter().map(|v| v.to_string()).collect();
        let most = "cargo: fix ".len() + tail_room("cargo: ", &verbs) + 1;
        let mut line =
            String::from("cargo: fix binary discovery, skip loading unreachable ignore files");
        while line.len() < most - 1 {
            line.push('x');
        }
        line.push('C');
        assert_eq!(line.chars().count(), most);
        assert_eq!(
            unclip(&line, Some("cargo"), &s),
            "cargo: fix binary discovery, skip loading unreachable ignore"
        );
        let joined = format!("{}for a", &line[..most - 5]);
        let joined: String = joined.chars().take(most).collect();
        assert!(!unclip(&joined, Some("cargo"), &s).ends_with(" a"));
        // Shorter than the grammar allows: the model stopped there itself.
        let short = "cargo: fix binary discovery";
        assert_eq!(unclip(short, Some("cargo"), &s), short);
        assert_eq!(unclip("misc: fix it", Some("cargo"), &s), "misc: fix it");
    }

    fn style(area: bool, capitalized: bool) -> Style {
        Style {
            area,
            capitalized,
            ..Style::default()
        }
    }

    #[test]
    fn what_small_models_write_is_caught() {
        let areas = style(true, false);
        let plain = style(false, true);
        for (subject, flaw) in [
            ("", Flaw::Empty),
            ("chore: the staged changes are:", Flaw::TrailingPunctuation),
            ("chore: the staged changes to the pipeline", Flaw::MetaText),
            ("chore: 1. 2023-07-28", Flaw::ListMarker),
            (
                "1. Add search_path() to the search module",
                Flaw::ListMarker,
            ),
            ("chore: m src/engine/local.rs", Flaw::NotAVerb),
            ("build: [staged changes]", Flaw::MetaText),
            ("add a new type to the default types list", Flaw::NoArea),
        ] {
            assert_eq!(check(subject, &areas), Err(flaw), "{subject}");
        }
        assert_eq!(check("Updated the README", &plain), Err(Flaw::NotAVerb));
        assert_eq!(check("The parser is faster", &plain), Err(Flaw::NotAVerb));
        assert_eq!(check(&"Add ".repeat(20), &plain), Err(Flaw::TooLong));
        assert_eq!(check("Here is the fix", &plain), Err(Flaw::MetaText));
    }

    #[test]
    fn good_subjects_pass() {
        let areas = style(true, false);
        assert_eq!(check("ignore: add incremental checking", &areas), Ok(()));
        assert_eq!(
            check("engine: token statistics are computed once", &areas),
            Ok(())
        );
        assert_eq!(check("build(deps): bump jiff", &areas), Ok(()));
        let plain = style(false, true);
        assert_eq!(check("Add test for gitignore workaround", &plain), Ok(()));
        assert_eq!(check("ci: Support large pages", &plain), Ok(()));
        assert_eq!(check("Bump version to 1.2.3", &plain), Ok(()));
    }

    #[test]
    fn the_area_follows_the_history_then_the_path() {
        let history: Vec<String> = ["ignore", "README", "mcp"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let area = |p: &str| guess_area(&[p.to_string()], &history);
        assert_eq!(area("crates/ignore/src/dir.rs"), "ignore");
        assert_eq!(area("README.md"), "README");
        assert_eq!(area("src/mcp/tools.rs"), "mcp");
        assert_eq!(area("src/engine/local.rs"), "engine");
        assert_eq!(area("build.rs"), "build");
        assert_eq!(area(".github/workflows/ci.yml"), "workflows");
    }

    #[test]
    fn the_plain_subject_names_the_area_and_files() {
        let areas = Style {
            area: true,
            areas: vec!["walk".into()],
            ..Style::default()
        };
        let paths = vec!["src/walk/mod.rs".to_string()];
        assert_eq!(plain(&paths, &areas), "walk: update mod.rs");
        assert_eq!(check(&plain(&paths, &areas), &areas), Ok(()));
        let capital = style(false, true);
        assert_eq!(plain(&paths, &capital), "Update mod.rs");
        let many: Vec<String> = (0..5).map(|i| format!("f{i}.rs")).collect();
        assert_eq!(plain(&many, &capital), "Update f0.rs, f1.rs and 3 more");
    }

    #[test]
    fn the_grammar_holds_the_prefix_the_first_word_and_the_case() {
        let mut areas = style(true, false);
        areas.openers = vec!["token".into(), "add".into()];
        let g = grammar(Some("engine"), &areas);
        assert!(g.starts_with("root ::= \"engine: \" first tail?\n"), "{g}");
        assert!(g.contains("first ::= \"add\" | \"allow\""), "{g}");
        assert!(g.contains("| \"token\"\n"), "{g}");
        assert_eq!(g.matches("\"add\"").count(), 1, "{g}");
        let g = grammar(None, &style(false, true));
        assert!(g.starts_with("root ::= \"\" first"), "{g}");
        assert!(g.contains("\"Add\" | \"Allow\""), "{g}");
        assert!(g.contains("[^\\n\\r.:,;!? ]"), "{g}");
        assert!(gbnf_literal("a\"b\\").eq("\"a\\\"b\\\\\""));
    }
}
