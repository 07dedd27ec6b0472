//! The catalog of well-known GGUF builds (`assets/catalog.toml`, shipped in the binary): what
//! `pai model search` lists and `pai model pull NAME` resolves. A catalog file can replace it
//! (`PAI_CATALOG`, `[catalog] file`), and its base URL can be replaced (`PAI_CATALOG_URL`,
//! `[catalog] url`), for a mirror or a server on 127.0.0.1 in tests.
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;

const SHIPPED: &str = include_str!("../../assets/catalog.toml");

/// The prefix of every shipped URL; the catalog's base URL replaces it.
pub const DEFAULT_BASE: &str = "https://huggingface.co";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    pub name: String,
    /// chat, coder, base or encoder.
    pub kind: String,
    pub url: String,
    /// Empty when not known: the download cannot be verified.
    #[serde(default)]
    pub sha256: String,
    /// Bytes; approximate when `sha256` is empty.
    pub size: u64,
    pub license: String,
    pub context: u64,
    pub template: String,
    pub good_for: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[serde(default, rename = "model")]
    pub models: Vec<CatalogEntry>,
}

impl Catalog {
    /// The shipped catalog, or the file given instead.
    pub fn load(file: Option<&Path>) -> Result<Self, Error> {
        let Some(file) = file else {
            return Self::parse(SHIPPED, "the shipped catalog");
        };
        let text = std::fs::read_to_string(file).map_err(|e| {
            Error::user(format!("cannot read the catalog {}: {e}", file.display()))
                .hint("check PAI_CATALOG or [catalog] file in config.toml")
        })?;
        Self::parse(&text, &file.display().to_string())
    }

    fn parse(text: &str, what: &str) -> Result<Self, Error> {
        toml::from_str(text)
            .map_err(|e| Error::config(format!("{what} is not a valid catalog: {}", e.message())))
    }

    pub fn get(&self, name: &str) -> Option<&CatalogEntry> {
        self.models
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(name))
    }

    /// Entries whose name, kind, license, template or purpose hold every word (any case).
    pub fn search(&self, words: &[String]) -> Vec<&CatalogEntry> {
        let words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        self.models
            .iter()
            .filter(|m| {
                let text = format!(
                    "{} {} {} {} {}",
                    m.name, m.kind, m.license, m.template, m.good_for
                )
                .to_lowercase();
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .collect()
    }

    /// Up to three names closest to `name`: those that contain it or are contained in it
    /// first, then by edit distance.
    pub fn closest(&self, name: &str) -> Vec<&str> {
        let wanted = name.to_lowercase();
        let mut scored: Vec<(usize, &str)> = self
            .models
            .iter()
            .map(|m| {
                let candidate = m.name.to_lowercase();
                let score = if candidate.contains(&wanted) || wanted.contains(&candidate) {
                    0
                } else {
                    edit_distance(&wanted, &candidate)
                };
                (score, m.name.as_str())
            })
            .collect();
        scored.sort();
        scored.into_iter().take(3).map(|(_, n)| n).collect()
    }
}

impl CatalogEntry {
    /// The URL with the catalog's base in place of `https://huggingface.co`.
    pub fn url_from(&self, base: Option<&str>) -> String {
        match (base, self.url.strip_prefix(DEFAULT_BASE)) {
            (Some(base), Some(rest)) => format!("{}{rest}", base.trim_end_matches('/')),
            _ => self.url.clone(),
        }
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalog_parses_and_its_hashes_are_real_or_empty() {
        let catalog = Catalog::load(None).unwrap();
        assert!(catalog.models.len() >= 15);
        for m in &catalog.models {
            assert!(m.url.starts_with(DEFAULT_BASE), "{}", m.name);
            assert!(
                m.sha256.is_empty()
                    || (m.sha256.len() == 64 && m.sha256.chars().all(|c| c.is_ascii_hexdigit())),
                "{}",
                m.name
            );
        }
        for kind in ["chat", "coder", "encoder"] {
            assert!(catalog.models.iter().any(|m| m.kind == kind), "{kind}");
        }
    }

    #[test]
    fn names_are_found_searched_and_guessed() {
        let catalog = Catalog::load(None).unwrap();
        assert!(catalog.get("Qwen2.5-0.5B-Instruct").is_some());
        let coders = catalog.search(&["QWEN".into(), "coder".into()]);
        assert!(coders.len() >= 2 && coders.iter().all(|m| m.name.contains("coder")));
        assert_eq!(
            catalog.closest("qwen2.5-05b-instruct")[0],
            "qwen2.5-0.5b-instruct"
        );
        assert!(catalog.closest("smollm")[..3]
            .iter()
            .all(|n| n.starts_with("smollm2")));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn the_base_url_replaces_hugging_face_only() {
        let entry = Catalog::load(None).unwrap().models[0].clone();
        let local = entry.url_from(Some("http://127.0.0.1:9/"));
        assert!(local.starts_with("http://127.0.0.1:9/") && !local.contains("huggingface"));
        assert_eq!(entry.url_from(None), entry.url);
    }
}
