//! The full-text index over the user's folders (tantivy under `Paths::index_dir()`): `walk`
//! finds files, `chunk` cuts them, `update` keeps the index in line with the sources under
//! one writer lock, `store` says what is on disk, `watch` says when the sources changed,
//! and `search` ranks chunks. [`search`] is
//! what `pai search` and the context builder call; it opens only the index.
pub mod chunk;
pub mod search;
pub mod store;
pub mod update;
pub mod walk;
pub mod watch;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::CliError;
use crate::paths::Paths;

/// The default cap on a file's size; larger files are counted as skipped ("too large").
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1 << 20;
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
}

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub limit: usize,
    pub path_glob: Option<String>,
    pub lang: Option<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            limit: 10,
            path_glob: None,
            lang: None,
        }
    }
}

/// Ok(None) when there is no index yet (nothing added). Opens only the index.
pub fn search(
    paths: &Paths,
    query: &str,
    options: &SearchOptions,
) -> Result<Option<Vec<Hit>>, CliError> {
    Ok(
        search_marked(paths, query, options, &search::Weights::default())?
            .map(|hits| hits.into_iter().map(|m| m.hit).collect()),
    )
}

/// [`search`] with the snippet's highlight ranges and explicit weights (for tuning).
pub fn search_marked(
    paths: &Paths,
    query: &str,
    options: &SearchOptions,
    weights: &search::Weights,
) -> Result<Option<Vec<search::Marked>>, CliError> {
    let Some((index, fields)) = store::open(&paths.index_dir())? else {
        return Ok(None);
    };
    search::run(&index, &fields, query, options, weights).map(Some)
}

/// The canonical form of a folder to add, or a clear error.
pub fn canonical_source(path: &Path) -> Result<PathBuf, CliError> {
    std::fs::canonicalize(path).map_err(|e| {
        CliError::user(format!("cannot add {}: {e}", path.display()))
            .hint("give a folder (or file) that exists")
    })
}
