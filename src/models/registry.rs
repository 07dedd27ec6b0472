//! `models.toml` in the data folder: the registered models and the default. Model facts are
//! read from the GGUF header once, when a model is added, so listing never reads model files.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::adapter::AdapterEntry;
use crate::error::Error;
use crate::gguf::GgufInfo;
use crate::paths::write_atomically;

/// Registering a file starts with reading and checking its header; callers find it here.
pub use super::header::check_file;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ModelEntry {
    pub name: String,
    pub path: PathBuf,
    pub architecture: String,
    pub parameters: u64,
    pub quantization: String,
    pub context_length: Option<u64>,
    pub chat_template: bool,
    pub file_size: u64,
    /// Set when pai downloaded the file itself, so that `model rm` may delete it.
    #[serde(default)]
    pub downloaded: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// LoRA adapters always applied to `path` under this name: what `pai learn` registers
    /// when an adapter keeps its gain (`base+learned-DATE` is the base file and its adapter).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lora: Vec<PathBuf>,
}

impl ModelEntry {
    pub fn from_header(name: &str, path: &Path, info: &GgufInfo) -> Self {
        Self {
            name: name.to_string(),
            path: path.to_path_buf(),
            architecture: info.architecture().to_string(),
            parameters: info.parameters,
            quantization: info.quantization(),
            context_length: info.context_length(),
            chat_template: info.chat_template().is_some(),
            file_size: info.file_size,
            downloaded: false,
            sha256: None,
            lora: Vec::new(),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Registry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, rename = "model")]
    pub models: Vec<ModelEntry>,
    /// LoRA adapters, by name, for `--lora NAME`.
    #[serde(default, rename = "adapter", skip_serializing_if = "Vec::is_empty")]
    pub adapters: Vec<AdapterEntry>,
    #[serde(skip)]
    file: PathBuf,
}

impl Registry {
    pub fn open(file: &Path) -> Result<Self, Error> {
        let mut registry: Registry = match std::fs::read_to_string(file) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                Error::config(format!(
                    "the model registry {} is damaged: {}",
                    file.display(),
                    e.message()
                ))
                .hint("fix it by hand, or delete it and add the models again with `pai model add`")
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Registry::default(),
            Err(e) => return Err(Error::user(format!("cannot read {}: {e}", file.display()))),
        };
        registry.file = file.to_path_buf();
        Ok(registry)
    }

    pub fn save(&self) -> Result<(), Error> {
        let text = toml::to_string_pretty(self)
            .map_err(|e| Error::internal(format!("cannot write the registry: {e}")))?;
        write_atomically(&self.file, text.as_bytes())
            .map_err(|e| Error::user(format!("cannot write {}: {e}", self.file.display())))
    }

    pub fn get(&self, name: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|m| m.name == name)
    }

    pub fn adapter(&self, name: &str) -> Option<&AdapterEntry> {
        self.adapters.iter().find(|a| a.name == name)
    }

    /// Adds or replaces the adapter of that name. A model and an adapter may not share a name.
    pub fn insert_adapter(&mut self, entry: AdapterEntry) {
        match self.adapters.iter_mut().find(|a| a.name == entry.name) {
            Some(existing) => *existing = entry,
            None => self.adapters.push(entry),
        }
    }

    pub fn remove_adapter(&mut self, name: &str) -> Option<AdapterEntry> {
        let at = self.adapters.iter().position(|a| a.name == name)?;
        Some(self.adapters.remove(at))
    }

    pub fn default_entry(&self) -> Option<&ModelEntry> {
        self.default.as_deref().and_then(|n| self.get(n))
    }

    /// Adds or replaces the entry; the first model added becomes the default.
    pub fn insert(&mut self, entry: ModelEntry) {
        if self.default.is_none() {
            self.default = Some(entry.name.clone());
        }
        match self.models.iter_mut().find(|m| m.name == entry.name) {
            Some(existing) => *existing = entry,
            None => self.models.push(entry),
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<ModelEntry> {
        let at = self.models.iter().position(|m| m.name == name)?;
        let entry = self.models.remove(at);
        if self.default.as_deref() == Some(name) {
            self.default = None;
        }
        Some(entry)
    }

    pub fn names(&self) -> String {
        let names: Vec<&str> = self.models.iter().map(|m| m.name.as_str()).collect();
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    }
}

/// A model name from a file name: `SmolLM2-135M-Instruct.Q4_1.gguf` → `SmolLM2-135M-Instruct.Q4_1`.
pub fn name_from_path(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "model".to_string())
}

/// Checks a name before it goes into the registry: no paths, nothing a shell would mangle.
pub fn check_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '+'));
    if ok {
        Ok(())
    } else {
        Err(Error::user(format!(
            "'{}' cannot be a model name: use letters, digits and - _ . : +",
            crate::render::sanitize_line(name)
        )))
    }
}
