//! Which calls run at once, which ask, which are refused: `[agent]` in config.toml, then the
//! defaults (tools that only read run at once, the rest ask). A call that must ask with
//! nobody to answer (no terminal and no `--yes`) is refused, never left waiting.
use std::path::Path;

use globset::{Glob, GlobMatcher};

use crate::config::AgentSettings;
use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Allow,
    Ask,
    Deny,
}

/// How a call was let through or not, as the audit log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    /// The policy (or `--yes`) allowed it.
    Auto,
    /// The user said yes on the terminal.
    Asked,
    /// The policy denied it, the user said no, or nobody could be asked.
    Refused,
}

impl Approval {
    pub fn as_str(self) -> &'static str {
        match self {
            Approval::Auto => "auto",
            Approval::Asked => "asked",
            Approval::Refused => "refused",
        }
    }
}

struct Entry {
    tool: String,
    glob: Option<GlobMatcher>,
    rule: Rule,
}

/// The policy read from `[agent]`.
pub struct Policy {
    entries: Vec<Entry>,
}

impl Policy {
    pub fn from_settings(settings: &AgentSettings) -> Result<Self, Error> {
        let mut entries = Vec::new();
        for (list, rule) in [
            (&settings.deny, Rule::Deny),
            (&settings.ask, Rule::Ask),
            (&settings.allow, Rule::Allow),
        ] {
            for text in list {
                entries.push(entry(text, rule)?);
            }
        }
        Ok(Self { entries })
    }

    /// The rule for a call of `tool` touching `path` (relative to the working folder when
    /// inside it). `acts`: the tool changes something or runs a program.
    pub fn rule(&self, tool: &str, path: Option<&Path>, acts: bool) -> Rule {
        let applies = |e: &&Entry| {
            e.tool == tool
                && match (&e.glob, path) {
                    (None, _) => true,
                    (Some(g), Some(p)) => g.is_match(p),
                    (Some(_), None) => false,
                }
        };
        // Deny, then ask, then allow: the entries are in that order.
        match self.entries.iter().find(applies) {
            Some(e) => e.rule,
            None if acts => Rule::Ask,
            None => Rule::Allow,
        }
    }
}

fn entry(text: &str, rule: Rule) -> Result<Entry, Error> {
    let (tool, glob) = match text.split_once(':') {
        Some((tool, glob)) => (tool, Some(glob)),
        None => (text, None),
    };
    let glob = glob
        .map(|g| {
            Glob::new(g).map(|g| g.compile_matcher()).map_err(|e| {
                Error::config(format!(
                    "[agent] has a path glob that cannot be read, {text:?}: {e}"
                ))
                .hint("write entries as TOOL or TOOL:GLOB, e.g. \"edit:docs/**\"")
            })
        })
        .transpose()?;
    Ok(Entry {
        tool: tool.trim().to_string(),
        glob,
        rule,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deny_wins_then_ask_then_allow_then_the_default() {
        let settings = AgentSettings {
            allow: vec!["edit:docs/**".into(), "run".into()],
            ask: vec!["read:secret/**".into()],
            deny: vec!["edit:docs/locked.md".into()],
        };
        let p = Policy::from_settings(&settings).unwrap();
        assert_eq!(
            p.rule("edit", Some(Path::new("docs/a.md")), true),
            Rule::Allow
        );
        assert_eq!(
            p.rule("edit", Some(Path::new("docs/locked.md")), true),
            Rule::Deny
        );
        assert_eq!(p.rule("edit", Some(Path::new("src/a.rs")), true), Rule::Ask);
        assert_eq!(p.rule("run", None, true), Rule::Allow);
        assert_eq!(
            p.rule("read", Some(Path::new("secret/k")), false),
            Rule::Ask
        );
        assert_eq!(p.rule("read", Some(Path::new("a")), false), Rule::Allow);
    }
}
