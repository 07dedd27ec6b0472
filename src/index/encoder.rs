//! The sentence encoder that semantic sources need (`[index] embed_model`): loaded for a
//! manifest that has such sources, and held by whoever searches or indexes. A process that
//! searches many times (the chat, the servers) keeps one [`Encoder`] and so loads the model
//! once; nothing here is shared behind its back.
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::store::Manifest;
use crate::engine::embed::Embedder;
use crate::error::Error;

const ENCODER_HINT: &str = "set `embed_model` under [index] in config.toml to a GGUF sentence encoder (scripts/fetch-models.sh minilm makes all-MiniLM-L6-v2)";

/// The caller's hold on the sentence encoder: empty until a search or an update needs it,
/// then the loaded model, kept for the next one (loaded again only if `embed_model` names
/// another file). Clones share what is loaded.
#[derive(Clone, Default)]
pub struct Encoder {
    loaded: Arc<Mutex<Option<Loaded>>>,
}

/// A model file, as `embed_model` named it with `~` expanded, and the encoder it holds.
type Loaded = (PathBuf, Arc<Embedder>);

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("Encoder")
            .field("loaded", &loaded.as_ref().map(|(path, _)| path))
            .finish()
    }
}

impl Encoder {
    /// What [`embedder`] gives, loaded at most once per model for this holder.
    pub fn load(
        &self,
        manifest: &Manifest,
        model: Option<&Path>,
    ) -> Result<Option<Arc<Embedder>>, Error> {
        if manifest.semantic.is_empty() {
            return Ok(None);
        }
        // Held while loading: two searches at once load the model once.
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        let wanted = model.map(expand_home);
        if let Some((_, e)) = loaded
            .as_ref()
            .filter(|(path, _)| Some(path) == wanted.as_ref())
        {
            return Ok(Some(e.clone()));
        }
        let e = embedder(manifest, model)?;
        if let (Some(e), Some(path)) = (&e, wanted) {
            *loaded = Some((path, e.clone()));
        }
        Ok(e)
    }
}

/// The sentence encoder that the semantic sources of `manifest` need, loaded now; None when
/// it has none. An unset, missing or wrong model is a config error that says what to set.
pub fn embedder(manifest: &Manifest, model: Option<&Path>) -> Result<Option<Arc<Embedder>>, Error> {
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
    Ok(Some(Arc::new(e)))
}

fn expand_home(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), directories::BaseDirs::new()) {
        (Ok(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => path.to_path_buf(),
    }
}
