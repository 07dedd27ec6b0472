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

    /// Saved keys and values of prompts' stable beginnings (`engine::prefix_cache`).
    pub fn prompt_cache_dir(&self) -> PathBuf {
        self.data_dir.join("prompt-cache")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }
}

/// From now on, files and folders this process creates are its owner's alone (0600 and
/// 0700): the index, the database and everything else that holds the user's text. A umask
/// rather than a mode per file, because tantivy and SQLite create files of their own.
/// Commands that run the user's programs (`shell`, `sandbox`, git) leave the umask alone.
pub fn keep_private() {
    #[cfg(unix)]
    // SAFETY: umask only swaps a process-wide integer.
    unsafe {
        let old = libc::umask(0o077);
        libc::umask(old | 0o077);
    }
}

/// Writes a file so that a reader sees either the old or the new content, never half of it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with_mode(path, bytes, None)
}

/// [`write_atomically`], the new file given `mode` (an executable hook) before it appears.
pub fn write_atomically_with_mode(
    path: &Path,
    bytes: &[u8],
    mode: Option<u32>,
) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(name);
    std::fs::write(&tmp, bytes)?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))?;
    }
    std::fs::rename(&tmp, path)
}
