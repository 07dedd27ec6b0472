//! Where pai keeps its files. `PAI_HOME` puts every file under one folder (tests use it to
//! stay isolated); otherwise the platform's directories (XDG on Linux) decide.
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
}

impl Paths {
    /// Works out the folders without touching the disk.
    pub fn discover() -> Self {
        if let Some(home) = std::env::var_os("PAI_HOME").filter(|h| !h.is_empty()) {
            let home = PathBuf::from(home);
            return Self {
                config_dir: home.clone(),
                data_dir: home,
            };
        }
        match directories::ProjectDirs::from("", "", "pai") {
            Some(dirs) => Self {
                config_dir: dirs.config_dir().to_path_buf(),
                data_dir: dirs.data_dir().to_path_buf(),
            },
            // No home directory at all (a bare container): keep everything beside the process.
            None => Self {
                config_dir: PathBuf::from(".pai"),
                data_dir: PathBuf::from(".pai"),
            },
        }
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    pub fn profile_file(&self) -> PathBuf {
        self.config_dir.join("profile.md")
    }

    pub fn registry_file(&self) -> PathBuf {
        self.data_dir.join("models.toml")
    }

    pub fn models_dir(&self) -> PathBuf {
        self.data_dir.join("models")
    }

    pub fn database_file(&self) -> PathBuf {
        self.data_dir.join("pai.db")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }
}

/// Writes a file so that a reader sees either the old or the new content, never half of it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
