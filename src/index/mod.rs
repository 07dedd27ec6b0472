//! The full-text index over the user's folders (tantivy under `Paths::index_dir()`): `walk`
//! finds files, `chunk` cuts them, `update` keeps the index in line with the sources under
//! one writer lock, `store` says what is on disk, `watch` says when the sources changed,
//! and `search` ranks chunks. [`search`] is
//! what `pai search` and the context builder call; it opens only the index.
pub mod chunk;
pub mod code;
pub mod links;
pub mod search;
pub mod store;
pub mod update;
pub mod walk;
pub mod watch;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::engine::embed::Embedder;
use crate::error::Error;
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
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            limit: 10,
            path_glob: None,
            scope: Vec::new(),
            lang: None,
            embed_model: None,
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
    let vector = query_vector(&dir, query, options.embed_model.as_deref(), notes);
    search::run(&index, &fields, query, options, weights, vector.as_deref()).map(Some)
}

/// The query's vector when the index has semantic sources. Search still works by words
/// without one, so a missing or broken encoder is a note, not fatal.
fn query_vector(
    dir: &Path,
    query: &str,
    model: Option<&Path>,
    notes: &mut Vec<String>,
) -> Option<Vec<i8>> {
    let manifest = store::Manifest::load(dir).ok()?;
    let loaded = embedder(&manifest, model).and_then(|e| {
        let Some(e) = e else { return Ok(None) };
        let v = e
            .embed(&[query])
            .map_err(|e| Error::internal(e.to_string()))?;
        Ok(v.into_iter().next())
    });
    loaded.unwrap_or_else(|e| {
        notes.push(format!("warning: searching by words only: {}", e.message));
        None
    })
}

const ENCODER_HINT: &str = "set `embed_model` under [index] in config.toml to a GGUF sentence encoder (scripts/fetch-models.sh minilm makes all-MiniLM-L6-v2)";

/// The sentence encoder that the semantic sources of `manifest` need; None when it has none.
/// A process loads each encoder once: the chat and the server search many times.
pub fn embedder(
    manifest: &store::Manifest,
    model: Option<&Path>,
) -> Result<Option<Arc<Embedder>>, Error> {
    if manifest.semantic.is_empty() {
        return Ok(None);
    }
    let Some(model) = model else {
        return Err(
            Error::config("semantic sources need an embedding model, and none is set")
                .hint(ENCODER_HINT),
        );
    };
    let model = expand_home(model);
    static LOADED: Mutex<Option<(PathBuf, Arc<Embedder>)>> = Mutex::new(None);
    let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, e)) = loaded.as_ref().filter(|(path, _)| *path == model) {
        return Ok(Some(e.clone()));
    }
    crate::models::registry::check_file(&model)
        .map_err(|e| Error::config(format!("embed_model: {}", e.message)).hint(ENCODER_HINT))?;
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get() as u32);
    let e = Embedder::load(&model, threads).map_err(|e| Error::config(e.to_string()))?;
    if !e.is_encoder() {
        return Err(Error::config(format!(
            "{} is not a sentence encoder (it declares no pooling)",
            crate::render::sanitize_line(&model.display().to_string())
        ))
        .hint(
            "`embed_model` takes an embedding model such as all-MiniLM-L6-v2, not a chat model",
        ));
    }
    let e = Arc::new(e);
    *loaded = Some((model, e.clone()));
    Ok(Some(e))
}

fn expand_home(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), directories::BaseDirs::new()) {
        (Ok(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => path.to_path_buf(),
    }
}

/// The canonical form of a folder to add, or a clear error.
pub fn canonical_source(path: &Path) -> Result<PathBuf, Error> {
    std::fs::canonicalize(path).map_err(|e| {
        Error::user(format!("cannot add {}: {e}", path.display()))
            .hint("give a folder (or file) that exists")
    })
}
