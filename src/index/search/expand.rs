//! Other forms of a question's words, the ones code writes where people write the word:
//! abbreviations (`cfg` and `config` for configuration, `dir` for directory, `env` for
//! environment), a few plain synonyms (delete, remove, unlink), and the agent nouns that
//! English stemming keeps apart from their verbs (`parser` and `parse`, `reader` and `read`,
//! `formatter` and `format`). They are added to the query as extra words of lower weight, so
//! that the word itself still counts most and the index needs no change.
use std::collections::HashMap;
use std::sync::OnceLock;

/// Words that name the same thing in code; each group is looked up by the stems of all its
/// words. Kept to abbreviations and synonyms that mean one thing in any codebase, and none
/// whose stem is a common word of its own: "settings" stems to `set`, "implementation" to
/// `implement` (whose `impl` is in every Rust file), "specification" to `specif`.
const GROUPS: &[&[&str]] = &[
    &["configuration", "config", "cfg", "conf"],
    &["format", "fmt"],
    &["directory", "dir", "folder"],
    &["environment", "env", "environ"],
    &["temporary", "tmp", "temp"],
    &["arguments", "args", "arg", "argv"],
    &["parameter", "param", "params"],
    &["error", "err", "errno"],
    &["message", "msg"],
    &["initialize", "init"],
    &["string", "str"],
    &["buffer", "buf"],
    &["number", "num"],
    &["value", "val"],
    &["variable", "var", "vars"],
    &["reference", "ref"],
    &["length", "len"],
    &["index", "idx"],
    &["pointer", "ptr"],
    &["source", "src"],
    &["destination", "dest", "dst"],
    &["current", "cur", "curr"],
    &["previous", "prev"],
    &["attribute", "attr"],
    &["command", "cmd"],
    &["context", "ctx"],
    &["request", "req"],
    &["response", "resp"],
    &["database", "db"],
    &["authentication", "auth"],
    &["option", "opt", "opts"],
    &["random", "rand", "rng"],
    &["permission", "perm", "perms"],
    &["position", "pos"],
    &["character", "char"],
    &["expression", "expr"],
    &["sequence", "seq"],
    &["integer", "int"],
    &["boolean", "bool"],
    &["function", "func", "fn"],
    &["library", "lib"],
    &["package", "pkg"],
    &["document", "doc"],
    &["information", "info"],
    &["maximum", "max"],
    &["minimum", "min"],
    &["utility", "util", "utils"],
    &["delete", "remove", "unlink"],
    &["quit", "exit"],
];

/// The stems of every group's words, each mapped to the other stems of its group.
fn table() -> &'static HashMap<String, Vec<String>> {
    static TABLE: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<String, Vec<String>> = HashMap::new();
        for group in GROUPS {
            let stems: Vec<String> = group.iter().filter_map(|w| stem(w)).collect();
            for s in &stems {
                let others = table.entry(s.clone()).or_default();
                for o in stems.iter().filter(|o| *o != s) {
                    if !others.contains(o) {
                        others.push(o.clone());
                    }
                }
            }
        }
        table
    })
}

/// The index's form of one word: lower case, stemmed; None for a stop word.
fn stem(word: &str) -> Option<String> {
    let mut analyzer = crate::index::store::analyzer();
    let mut stream = analyzer.token_stream(word);
    stream.next().map(|t| t.text.clone())
}

/// The other forms of `token` (a stem from the analyzer), the token itself left out.
pub(super) fn variants(token: &str) -> Vec<String> {
    let mut out = table().get(token).cloned().unwrap_or_default();
    for v in agent_forms(token) {
        if v != token && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// The verb of an agent noun and the agent noun of a verb, as stems: `parser` ↔ `pars`,
/// `formatter` ↔ `format`, `writer` ↔ `write`. Forms that no chunk holds match nothing; short
/// words are left alone, where `-er` is seldom a suffix.
fn agent_forms(token: &str) -> Vec<String> {
    let ascii = token.bytes().all(|b| b.is_ascii_lowercase());
    if !ascii || token.len() < 4 {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(base) = token.strip_suffix("er").filter(|b| b.len() >= 4) {
        out.push(base.to_string());
        out.push(format!("{base}e"));
        let b = base.as_bytes();
        if b[b.len() - 1] == b[b.len() - 2] {
            out.push(base[..base.len() - 1].to_string());
        }
    } else {
        let b = token.as_bytes();
        let last = b[b.len() - 1];
        // English stemming takes `-er` off where it is long enough (`formatter` → `formatt`):
        // the doubled consonant is the trace, and its verb is one letter shorter.
        if last == b[b.len() - 2] && !b"aeiouy".contains(&last) {
            out.push(token[..token.len() - 1].to_string());
        } else if !b"aeiouy".contains(&last) {
            out.push(format!("{token}{}", last as char));
        }
        if last == b'e' {
            out.push(format!("{token}r"));
        } else {
            out.push(format!("{token}er"));
            if !b"aeiouy".contains(&last) {
                out.push(format!("{token}{}er", last as char));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_agent_nouns_reach_each_other() {
        let dir = stem("directory").unwrap();
        assert!(variants(&dir).contains(&"dir".to_string()));
        assert!(variants("cfg").contains(&stem("configuration").unwrap()));
        assert!(variants("parser").contains(&stem("parse").unwrap()));
        assert!(variants(&stem("parse").unwrap()).contains(&"parser".to_string()));
        assert!(variants("formatt").contains(&"format".to_string()));
        assert!(variants("format").contains(&"formatt".to_string()));
        assert!(variants("write").contains(&"writer".to_string()));
        assert!(variants("use").is_empty());
        assert!(!variants("set").contains(&"config".to_string()));
    }
}
