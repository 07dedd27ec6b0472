//! What a repository's history says about how subjects are written: whether they open with
//! an area (`engine: …`, `fix(parser)!: …`) and which, whether those are Conventional Commits
//! types, the case and the first words. Learned from recent subjects; the subject checker,
//! its grammar and the commit prompt follow it.

/// What the history says about how subjects are written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Style {
    /// Most subjects open with an area: `engine: …`, `fix(parser): …`.
    pub area: bool,
    /// Most areas are Conventional Commits types (`feat`, `fix`, `docs`, …).
    pub conventional: bool,
    /// Most descriptions (what follows the area, if any) start with a capital letter.
    pub capitalized: bool,
    /// The areas the history names, most used first.
    pub areas: Vec<String>,
    /// The words the history's descriptions open with, lower case, most used first.
    pub openers: Vec<String>,
    /// A few recent subjects to imitate.
    pub examples: Vec<String>,
}

/// The types of Conventional Commits, as the specification and its common presets name them.
const CONVENTIONAL_TYPES: &[&str] = &[
    "feat", "fix", "docs", "style", "refactor", "perf", "test", "tests", "build", "ci", "chore",
    "revert",
];

/// `feat: x`, `fix(parser)!: y`
pub fn is_conventional(subject: &str) -> bool {
    let Some(area) = area_of(subject) else {
        return false;
    };
    let kind = area.trim_end_matches('!');
    let kind = kind.split_once('(').map_or(kind, |(k, _)| k);
    CONVENTIONAL_TYPES.contains(&kind)
}

/// Learns the style from recent subjects (newest first): each trait holds when at least half
/// of the subjects show it.
pub fn learn(subjects: &[String]) -> Style {
    let n = subjects.len();
    if n == 0 {
        return Style {
            capitalized: true,
            ..Style::default()
        };
    }
    let half = |count: usize| count * 2 >= n;
    let areas: Vec<&str> = subjects.iter().filter_map(|s| area_of(s)).collect();
    let starts: Vec<bool> = subjects
        .iter()
        .filter_map(|s| description(s).chars().next())
        .filter(|c| c.is_alphabetic())
        .map(char::is_uppercase)
        .collect();
    let upper = starts.iter().filter(|u| **u).count();
    let openers: Vec<String> = subjects
        .iter()
        .filter_map(|s| description(s).split_whitespace().next())
        .filter(|w| w.chars().count() >= 2 && w.chars().all(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect();
    let openers: Vec<&str> = openers.iter().map(String::as_str).collect();
    Style {
        area: half(areas.len()),
        conventional: half(subjects.iter().filter(|s| is_conventional(s)).count()),
        capitalized: upper * 2 >= starts.len(),
        areas: by_use(&areas),
        openers: by_use(&openers),
        examples: subjects.iter().take(6).cloned().collect(),
    }
}

/// Distinct names, most frequent first (ties in order of first appearance).
fn by_use(names: &[&str]) -> Vec<String> {
    let mut counted: Vec<(String, usize)> = Vec::new();
    for name in names {
        match counted.iter_mut().find(|(n, _)| n == name) {
            Some((_, count)) => *count += 1,
            None => counted.push((name.to_string(), 1)),
        }
    }
    counted.sort_by_key(|c| std::cmp::Reverse(c.1));
    counted.into_iter().map(|(n, _)| n).collect()
}

/// `engine: x` → `engine`; `fix(parser)!: y` → `fix(parser)!`. An area is one word of letters,
/// digits and `_./,+-`, with an optional `(scope)` and `!`.
pub fn area_of(subject: &str) -> Option<&str> {
    let (head, rest) = subject.split_once(": ")?;
    if rest.trim().is_empty() || head.is_empty() || head.len() > 40 {
        return None;
    }
    let bare = head.strip_suffix('!').unwrap_or(head);
    let (name, scope) = match bare.split_once('(') {
        Some((name, scope)) => (name, Some(scope)),
        None => (bare, None),
    };
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "_./,+-".contains(c));
    let scope_ok = scope.is_none_or(|s| s.len() > 1 && s.ends_with(')') && !s.contains(' '));
    (name_ok && scope_ok).then_some(head)
}

/// The subject after its area.
pub fn description(subject: &str) -> &str {
    match area_of(subject) {
        Some(area) => &subject[area.len() + 2..],
        None => subject,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn areas_are_read_like_a_history_writes_them() {
        assert_eq!(area_of("pkg/brew: update tap"), Some("pkg/brew"));
        assert_eq!(area_of("ignore,globset: raise"), Some("ignore,globset"));
        assert_eq!(area_of("fix(parser)!: handle EOF"), Some("fix(parser)!"));
        assert_eq!(area_of("Fix the thing: really"), None);
        assert_eq!(area_of("see: "), None);
        assert_eq!(
            description("core: add `index` module"),
            "add `index` module"
        );
    }
}
