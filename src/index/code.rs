//! What makes code searchable as code: identifiers split into the words people type
//! (`parse_gitignore`, `GitignoreBuilder` → parse, gitignore, builder, with the whole
//! identifier kept as a token of its own), the names a chunk defines (fn, struct, class, def,
//! …) so that a definition weighs more than a mention, and which files and chunks are tests,
//! so that they rank below the code they test unless a question asks for tests.
use std::ops::Range;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Splits text at everything that is not a letter, a digit or `_`, then splits identifiers
/// at underscores and case changes. An identifier of several parts yields the whole
/// identifier first, at the position of its first part, then each part at its own position,
/// so phrases still match the parts in order.
#[derive(Clone, Default)]
pub struct IdentTokenizer {
    token: Token,
    pending: Vec<Range<usize>>,
}

pub struct IdentStream<'a> {
    text: &'a str,
    at: usize,
    token: &'a mut Token,
    /// Parts of the current identifier still to emit, last first.
    pending: &'a mut Vec<Range<usize>>,
    next_position: usize,
}

impl Tokenizer for IdentTokenizer {
    type TokenStream<'a> = IdentStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> IdentStream<'a> {
        self.token.reset();
        self.pending.clear();
        IdentStream {
            text,
            at: 0,
            token: &mut self.token,
            pending: &mut self.pending,
            next_position: 0,
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl IdentStream<'_> {
    fn emit(&mut self, range: Range<usize>, position: usize) {
        self.token.text.clear();
        self.token.text.push_str(&self.text[range.clone()]);
        self.token.offset_from = range.start;
        self.token.offset_to = range.end;
        self.token.position = position;
    }
}

impl TokenStream for IdentStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some(part) = self.pending.pop() {
            let position = self.next_position;
            self.next_position += 1;
            self.emit(part, position);
            return true;
        }
        loop {
            let rest = &self.text[self.at..];
            let Some(start) = rest.find(is_word_char) else {
                self.at = self.text.len();
                return false;
            };
            let start = self.at + start;
            let end = self.text[start..]
                .find(|c| !is_word_char(c))
                .map_or(self.text.len(), |e| start + e);
            self.at = end;
            let word = &self.text[start..end];
            // Most words are one part: no allocation for them.
            if !word.contains('_') && !has_inner_capital(word) {
                self.next_position += 1;
                let position = self.next_position - 1;
                self.emit(start..end, position);
                return true;
            }
            let mut parts = split_identifier(word);
            let position = self.next_position;
            match parts.len() {
                // Only underscores: nothing to index; look further.
                0 => continue,
                1 => {
                    self.next_position += 1;
                    self.emit(parts[0].start + start..parts[0].end + start, position);
                }
                _ => {
                    let whole = start + parts[0].start..start + parts[parts.len() - 1].end;
                    parts.reverse();
                    self.pending
                        .extend(parts.into_iter().map(|p| p.start + start..p.end + start));
                    self.emit(whole, position);
                }
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Whether a capital follows another character: the only case change that splits a word
/// without underscores.
fn has_inner_capital(word: &str) -> bool {
    if word.is_ascii() {
        word.bytes().skip(1).any(|b| b.is_ascii_uppercase())
    } else {
        word.chars().skip(1).any(char::is_uppercase)
    }
}

/// The parts of an identifier, as byte ranges: split at underscores, at a lower case letter
/// or digit followed by an upper case one (`gitignoreBuilder`), and before the last capital
/// of a run followed by a lower case letter (`HTTPServer` → HTTP, Server). Digits stay with
/// their letters (`utf8`, `v2`).
pub fn split_identifier(word: &str) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut offset = 0;
    for segment in word.split('_') {
        split_case(segment, offset, &mut parts);
        offset += segment.len() + 1;
    }
    parts
}

fn split_case(segment: &str, offset: usize, parts: &mut Vec<Range<usize>>) {
    if segment.is_empty() {
        return;
    }
    if segment.is_ascii() {
        // The common case, without collecting the characters.
        let b = segment.as_bytes();
        let mut start = 0;
        for i in 1..b.len() {
            let (prev, cur) = (b[i - 1], b[i]);
            let next_lower = b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            let boundary = cur.is_ascii_uppercase()
                && (prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower));
            if boundary {
                parts.push(offset + start..offset + i);
                start = i;
            }
        }
        parts.push(offset + start..offset + segment.len());
        return;
    }
    let chars: Vec<(usize, char)> = segment.char_indices().collect();
    let mut start = 0;
    for i in 1..chars.len() {
        let (prev, cur) = (chars[i - 1].1, chars[i].1);
        let next_lower = chars.get(i + 1).is_some_and(|(_, c)| c.is_lowercase());
        let boundary = (cur.is_uppercase() && (prev.is_lowercase() || prev.is_numeric()))
            || (cur.is_uppercase() && prev.is_uppercase() && next_lower);
        if boundary {
            parts.push(offset + start..offset + chars[i].0);
            start = chars[i].0;
        }
    }
    parts.push(offset + start..offset + segment.len());
}

/// The words of the identifiers in `text`, the whole identifier first: for tests and tools.
pub fn words(text: &str) -> Vec<String> {
    let mut tokenizer = IdentTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Words that introduce a definition, in the languages the chunker knows as code.
const DEFINING: &[&str] = &[
    "fn",
    "struct",
    "enum",
    "trait",
    "union",
    "type",
    "mod",
    "const",
    "static",
    "macro_rules",
    "def",
    "class",
    "function",
    "func",
    "interface",
    "impl",
];

/// Qualifiers that may stand before a defining word.
const QUALIFIERS: &[&str] = &[
    "pub",
    "export",
    "default",
    "async",
    "unsafe",
    "extern",
    "public",
    "private",
    "protected",
    "internal",
    "abstract",
    "final",
    "static",
    "const",
    "declare",
    "open",
    "sealed",
    "data",
];

/// The names that `text` (a chunk of code) defines: functions, types, traits, modules,
/// constants, classes; for `impl Trait for Type` both names. Markdown and prose define
/// nothing. Cheap: a line is looked at only when it starts with a defining word.
pub fn definitions(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        for name in line_definitions(line) {
            if !out.iter().any(|n| n == name) {
                out.push(name.to_string());
            }
        }
    }
    out
}

fn line_definitions(line: &str) -> Vec<&str> {
    let indented = line.starts_with([' ', '\t']);
    let mut line = line.trim_start();
    // Qualifiers first (`pub(crate) async unsafe fn`, `export default class`); `const` and
    // `static` are qualifiers only before another defining word (`const fn`).
    loop {
        let word = first_word(line);
        if !QUALIFIERS.contains(&word) {
            break;
        }
        let mut rest = &line[word.len()..];
        if rest.starts_with('(') {
            rest = rest.find(')').map_or("", |e| &rest[e + 1..]);
        }
        if let Some(abi) = rest.strip_prefix(" \"") {
            // extern "C"
            rest = abi.find('"').map_or("", |e| &abi[e + 1..]);
        }
        if !rest.starts_with([' ', '\t']) {
            break;
        }
        let next = first_word(rest.trim_start());
        if DEFINING.contains(&word) && !DEFINING.contains(&next) && !QUALIFIERS.contains(&next) {
            break;
        }
        line = rest.trim_start();
    }
    let word = first_word(line);
    if !DEFINING.contains(&word) {
        return Vec::new();
    }
    let rest = line[word.len()..].trim_start_matches('!').trim_start();
    match word {
        "impl" => impl_names(rest),
        "func" => go_func_name(rest).into_iter().collect(),
        // Constants in bodies of code (`const result = …` in JavaScript) are local names.
        "const" | "static" => first_identifier(rest)
            .filter(|n| !indented || n.chars().all(|c| !c.is_lowercase()))
            .into_iter()
            .collect(),
        _ => first_identifier(rest).into_iter().collect(),
    }
}

fn first_word(line: &str) -> &str {
    let end = line
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '!'))
        .unwrap_or(line.len());
    line[..end].trim_end_matches('!')
}

fn first_identifier(rest: &str) -> Option<&str> {
    let rest = rest.trim_start_matches(['*', '&']);
    let rest = rest.strip_prefix("mut ").unwrap_or(rest).trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = &rest[..end];
    let starts_well = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    (starts_well && name != "mut").then_some(name)
}

/// Where a type's path ends: its generics, a space, a body, a tuple.
const PATH_ENDS: [char; 4] = ['<', ' ', '{', '('];

/// `impl<T> fmt::Display for Glob<T>` → Display, Glob.
fn impl_names(rest: &str) -> Vec<&str> {
    let rest = skip_generics(rest);
    let (first, second) = match rest.split_once(" for ") {
        Some((a, b)) => (a, Some(b)),
        None => (rest, None),
    };
    [Some(first), second]
        .into_iter()
        .flatten()
        .filter_map(|path| {
            let path = path.trim().trim_start_matches(['&', '\'']);
            let head = path.split(PATH_ENDS).next().unwrap_or("");
            first_identifier(head.rsplit("::").next().unwrap_or(""))
        })
        .collect()
}

fn skip_generics(rest: &str) -> &str {
    if !rest.starts_with('<') {
        return rest;
    }
    let mut depth = 0;
    for (i, c) in rest.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth == 0 {
                    return rest[i + 1..].trim_start();
                }
            }
            _ => {}
        }
    }
    ""
}

/// Go: `func (r *Reader) Read(` → Read; `func main(` → main.
fn go_func_name(rest: &str) -> Option<&str> {
    let rest = if rest.starts_with('(') {
        rest.find(')').map_or("", |e| rest[e + 1..].trim_start())
    } else {
        rest
    };
    first_identifier(rest)
}

/// Whether a path (relative to its source) is a test file: under a `tests`, `test`,
/// `__tests__` or `spec` folder, or named `*_test.*`, `test_*.py`, `*_tests.*`,
/// `*.test.*`, `*.spec.*`, `*Test.java`.
pub fn is_test_path(relative: &str) -> bool {
    let mut components: Vec<&str> = relative.split(['/', '\\']).collect();
    let name = components.pop().unwrap_or("");
    if components.iter().any(|c| {
        matches!(
            *c,
            "tests"
                | "test"
                | "__tests__"
                | "spec"
                | "testing"
                | "benches"
                | "bench"
                | "benchmarks"
        )
    }) {
        return true;
    }
    let stem = name.split('.').next().unwrap_or(name);
    stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_spec")
        || (stem.ends_with("Test") && stem.len() > 4)
        || name.contains(".test.")
        || name.contains(".spec.")
}

/// The 1-based line ranges of test modules inside a file of code: Rust's `#[cfg(test)]`
/// modules, from the attribute to the module's closing brace in the same column.
pub fn test_regions(text: &str) -> Vec<Range<usize>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim() == "#[cfg(test)]" {
            let indent = line.len() - line.trim_start().len();
            let opens = lines
                .get(i + 1)
                .is_some_and(|l| l.trim_start().starts_with("mod ") && l.trim_end().ends_with("{"));
            if opens {
                let close = (i + 2..lines.len()).find(|&j| {
                    let l = lines[j];
                    l.trim() == "}" && l.len() - l.trim_start().len() == indent
                });
                let end = close.unwrap_or(lines.len() - 1);
                out.push(i + 1..end + 2);
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Whether a file is a project's overview rather than its code: a README, a change log.
/// Like tests, an overview mentions everything the code does, in usage examples and lists
/// of features, so in a folder of code it outranks the definitions a question is after.
pub fn is_overview_path(path: &std::path::Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or("");
    matches!(
        stem,
        "readme" | "changelog" | "changes" | "history" | "news"
    )
}

/// Whether a language is one programs are written in (configuration, markup and data are
/// not): what tells a folder of code from a folder of notes with a YAML file in it.
pub fn is_program(lang: &str) -> bool {
    matches!(
        lang,
        "rust"
            | "python"
            | "go"
            | "typescript"
            | "javascript"
            | "c"
            | "cpp"
            | "java"
            | "kotlin"
            | "ruby"
            | "php"
            | "csharp"
            | "swift"
            | "lua"
    )
}

/// Whether a question asks for an overview (how to install or use a project, an example),
/// so READMEs keep their place.
pub fn asks_for_overview(query: &str) -> bool {
    query
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .any(|w| {
            w.starts_with("readme")
                || w.starts_with("install")
                || w.starts_with("example")
                || w.starts_with("tutorial")
                || w.starts_with("changelog")
                || matches!(
                    w.as_str(),
                    "usage" | "overview" | "docs" | "documentation" | "quickstart" | "changes"
                )
        })
}

/// Whether a question asks for tests, so test code keeps its place.
pub fn asks_for_tests(query: &str) -> bool {
    query
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .any(|w| {
            w.starts_with("test")
                || w.starts_with("bench")
                || w == "spec"
                || w == "specs"
                || w == "unittest"
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(word: &str) -> Vec<&str> {
        split_identifier(word)
            .into_iter()
            .map(|r| &word[r])
            .collect()
    }

    #[test]
    fn identifiers_split_at_underscores_and_case_changes() {
        assert_eq!(parts("parse_gitignore"), ["parse", "gitignore"]);
        assert_eq!(parts("GitignoreBuilder"), ["Gitignore", "Builder"]);
        assert_eq!(parts("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(parts("utf8Decoder"), ["utf8", "Decoder"]);
        assert_eq!(parts("__init__"), ["init"]);
        assert_eq!(parts("plain"), ["plain"]);
        assert_eq!(parts("IO"), ["IO"]);
        assert_eq!(parts("já_Über"), ["já", "Über"]);
    }

    #[test]
    fn the_whole_identifier_is_kept_beside_its_parts() {
        assert_eq!(
            words("fn parse_gitignore(b: GitignoreBuilder) -> x"),
            [
                "fn",
                "parse_gitignore",
                "parse",
                "gitignore",
                "b",
                "GitignoreBuilder",
                "Gitignore",
                "Builder",
                "x"
            ]
        );
        let mut tokenizer = IdentTokenizer::default();
        let mut stream = tokenizer.token_stream("a snake_case b");
        let mut positions = Vec::new();
        while stream.advance() {
            let t = stream.token();
            positions.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        assert_eq!(
            positions,
            [
                ("a".into(), 0, 0, 1),
                ("snake_case".into(), 1, 2, 12),
                ("snake".into(), 1, 2, 7),
                ("case".into(), 2, 8, 12),
                ("b".into(), 3, 13, 14),
            ]
        );
        assert!(words("___ ,; __").is_empty());
    }

    #[test]
    fn definitions_are_found_in_several_languages() {
        let rust = "/// Docs mention fn not_this\npub(crate) fn parse_class(&mut self) {\n    let x = helper();\n}\nimpl<'a> fmt::Display for GlobBuilder<'a> {}\npub struct Glob {\nenum Token {\npub const MAX: usize = 1;\nmacro_rules! ensure {\n#[cfg(test)]\nmod tests {\nunsafe impl Send for Pool {}\npub async fn run() {}\n";
        assert_eq!(
            definitions(rust),
            [
                "parse_class",
                "Display",
                "GlobBuilder",
                "Glob",
                "Token",
                "MAX",
                "ensure",
                "tests",
                "Send",
                "Pool",
                "run"
            ]
        );
        let python = "class GitIgnore(Base):\n    def parse_line(self, line):\n        return line\nasync def fetch():\n";
        assert_eq!(definitions(python), ["GitIgnore", "parse_line", "fetch"]);
        let go =
            "func (r *Reader) Read(p []byte) (int, error) {\nfunc main() {\ntype Config struct {\n";
        assert_eq!(definitions(go), ["Read", "main", "Config"]);
        let ts = "export default class Walker {\nexport function walkTree(root: string) {\ninterface Options {\n";
        assert_eq!(definitions(ts), ["Walker", "walkTree", "Options"]);
        assert!(
            definitions("# Notes\n\nThe function of this note is to say nothing.\n").is_empty()
        );
    }

    #[test]
    fn test_files_and_modules_are_recognised() {
        for path in [
            "tests/walk.rs",
            "src/tests/recursive.rs",
            "pkg/walk_test.go",
            "test_walk.py",
            "src/walk.test.ts",
            "src/__tests__/walk.js",
            "src/WalkTest.java",
        ] {
            assert!(is_test_path(path), "{path}");
        }
        for path in [
            "src/walk.rs",
            "src/testing_utils.rs",
            "contest.py",
            "src/latest.rs",
        ] {
            assert!(!is_test_path(path), "{path}");
        }
        let text =
            "fn a() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n\nfn b() {}\n";
        assert_eq!(
            test_regions(text),
            vec![std::ops::Range { start: 3, end: 8 }]
        );
        assert!(asks_for_tests("tests for symlink loops"));
        assert!(asks_for_tests("where is this tested"));
        assert!(!asks_for_tests("how are symlink loops detected"));
    }

    #[test]
    fn readmes_and_change_logs_are_overviews() {
        use std::path::Path;
        for path in ["p/README.md", "p/readme", "p/CHANGELOG.md", "p/HISTORY.rst"] {
            assert!(is_overview_path(Path::new(path)), "{path}");
        }
        for path in ["p/src/lib.rs", "p/read.me.py", "p/docs/guide.md"] {
            assert!(!is_overview_path(Path::new(path)), "{path}");
        }
        assert!(asks_for_overview("how do I install it"));
        assert!(asks_for_overview("an example of a glob set"));
        assert!(!asks_for_overview("where are globs compiled"));
        assert!(is_program("python") && !is_program("yaml") && !is_program("markdown"));
    }
}
