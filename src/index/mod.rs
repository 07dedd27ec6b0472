//! The full-text index over the user's folders (tantivy under `Paths::index_dir()`): `walk`
//! finds files, `chunk` cuts them, `update` keeps the index in line with the sources under
//! one writer lock, `store` says what is on disk, `watch` says when the sources changed,
//! `encoder` loads the sentence encoder that semantic sources need, and `search` ranks
//! chunks. [`search`] is what `pai search` and the context builder call; it opens only the
//! index.
pub mod chunk;
pub mod code;
pub mod encoder;
pub mod links;
pub mod search;
pub mod store;
pub mod update;
pub mod walk;
pub mod watch;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::config::DEFAULT_MAX_FILE_SIZE;
use crate::error::Error;
use crate::paths::Paths;
pub use encoder::{embedder, Encoder};

/// How long a writer waits for another one before saying the index is busy: long enough
/// for an update started during a first big index to follow it rather than fail.
pub const LOCK_WAIT: Duration = Duration::from_secs(300);

/// One ranked chunk.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    /// Absolute.
    pub path: PathBuf,
    pub start_line: usize,
    pub end_line: usize,
    pub title: String,
    pub lang: String,
    pub score: f32,
    /// Plain text, no markup, control characters removed.
    pub snippet: String,
    /// The whole chunk text, as it is in the file.
    #[serde(skip)]
    pub text: String,
    /// From a test file or a test module.
    #[serde(skip)]
    pub test: bool,
}

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub limit: usize,
    pub path_glob: Option<String>,
    /// Globs of which a path must match one (a role's scope); empty keeps every path.
    pub scope: Vec<String>,
    pub lang: Option<String>,
    /// The sentence encoder (`[index] embed_model`): when the index has semantic sources, the
    /// query is also compared with their chunks by meaning.
    pub embed_model: Option<PathBuf>,
    /// The caller's hold on that encoder: one that searches many times passes the same one
    /// each time and loads the model once; a new one loads it for this search.
    pub encoder: Encoder,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            limit: 10,
            path_glob: None,
            scope: Vec::new(),
            lang: None,
            embed_model: None,
            encoder: Encoder::default(),
        }
    }
}

/// An analyser for text as the index reads it: lower case, stop words out, English stems.
/// For callers that match a query's words against text outside the index (excerpts).
pub fn analyser() -> impl FnMut(&str) -> Vec<String> {
    let mut analyzer = store::analyzer();
    move |text| {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }
}

/// Ok(None) when there is no index yet (nothing added). Opens only the index.
/// Warnings (a semantic source whose encoder is gone: searched by words) go to `notes`.
pub fn search(
    paths: &Paths,
    query: &str,
    options: &SearchOptions,
    notes: &mut Vec<String>,
) -> Result<Option<Vec<Hit>>, Error> {
    Ok(
        search_marked(paths, query, options, &search::Weights::default(), notes)?
            .map(|hits| hits.into_iter().map(|m| m.hit).collect()),
    )
}

/// [`search`] with the snippet's highlight ranges and explicit weights (for tuning).
pub fn search_marked(
    paths: &Paths,
    query: &str,
    options: &SearchOptions,
    weights: &search::Weights,
    notes: &mut Vec<String>,
) -> Result<Option<Vec<search::Marked>>, Error> {
    let dir = paths.index_dir();
    let Some((index, fields)) = store::open(&dir)? else {
        return Ok(None);
    };
    let vector = query_vector(&dir, query, options, notes);
    search::run(&index, &fields, query, options, weights, vector.as_deref()).map(Some)
}

/// The query's vector when the index has semantic sources. Search still works by words
/// without one, so a missing or broken encoder is a note, not fatal.
fn query_vector(
    dir: &Path,
    query: &str,
    options: &SearchOptions,
    notes: &mut Vec<String>,
) -> Option<Vec<i8>> {
    let manifest = store::Manifest::load(dir).ok()?;
    let model = options.embed_model.as_deref();
    let loaded = options.encoder.load(&manifest, model).and_then(|e| {
        let Some(e) = e else { return Ok(None) };
        let v = e
            .embed_truncated(&[query])
            .map_err(|e| Error::internal(e.to_string()))?;
        Ok(v.into_iter().next())
    });
    loaded.unwrap_or_else(|e| {
        notes.push(format!("warning: searching by words only: {}", e.message));
        None
    })
}

/// The canonical form of a folder to add, or a clear error.
pub fn canonical_source(path: &Path) -> Result<PathBuf, Error> {
    std::fs::canonicalize(path).map_err(|e| {
        Error::user(format!("cannot add {}: {e}", path.display()))
            .hint("give a folder (or file) that exists")
    })
}
