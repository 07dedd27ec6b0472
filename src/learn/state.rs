//! `learn/state.json` in the data folder: what the last run learned (for `--since`) and the
//! checkpoint an interrupted run left (for resuming).
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct State {
    /// The model the last successful run registered.
    pub last_model: Option<String>,
    /// The newest item (Unix seconds) the last successful run read: `--since` starts after it.
    pub last_item_time: Option<i64>,
    pub checkpoint: Option<Checkpoint>,
}

/// An interrupted run: the weights so far and where in the schedule it stopped.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Checkpoint {
    pub model: PathBuf,
    /// Identifies the training set and settings; a run over anything else starts afresh.
    pub fingerprint: String,
    pub done: usize,
    pub total: usize,
    /// The base's held-out perplexity, measured before training began.
    pub before: f64,
}

impl State {
    pub fn file(data_dir: &Path) -> PathBuf {
        data_dir.join("learn").join("state.json")
    }

    pub fn load(data_dir: &Path) -> Result<Self, Error> {
        let path = Self::file(data_dir);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::user(format!("{} is damaged: {e}", path.display()))
                    .hint("remove it; the next `pai learn` starts afresh")
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(Error::user(format!("cannot read {}: {e}", path.display()))),
        }
    }

    pub fn save(&self, data_dir: &Path) -> Result<(), Error> {
        let path = Self::file(data_dir);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let bytes = serde_json::to_vec_pretty(self)
            .map_err(|e| Error::internal(format!("cannot write the learn state: {e}")))?;
        crate::paths::write_atomically(&path, &bytes)?;
        Ok(())
    }
}
