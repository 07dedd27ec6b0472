//! Where the agent's tools may reach: reading inside the working folder and the indexed
//! sources, writing only inside the working folder. Every path is judged on its canonical form
//! (links resolved, `..` gone) with `Path::starts_with`, which compares whole components, so
//! `/work/notes_evil` is not inside `/work/notes` and a link that leads out is out.
use std::path::{Component, Path, PathBuf};

use crate::index::store::Manifest;
use crate::paths::Paths;

#[derive(Debug, Clone)]
pub struct Roots {
    /// The working folder, canonical.
    pub folder: PathBuf,
    /// Indexed sources, canonical.
    indexed: Vec<PathBuf>,
    /// Sources added with `--private`, canonical: what is read there stays on this machine.
    private: Vec<PathBuf>,
}

/// Why a path was refused: one sentence for the model and the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outside(pub String);

impl Roots {
    /// The working folder and the index's sources (none when there is no index).
    pub fn load(paths: &Paths, folder: &Path) -> Result<Self, crate::error::Error> {
        let folder = std::fs::canonicalize(folder).map_err(|e| {
            crate::error::Error::user(format!(
                "cannot use {} as the working folder: {e}",
                folder.display()
            ))
        })?;
        let manifest = Manifest::load(&paths.index_dir()).unwrap_or_default();
        let canon = |p: &PathBuf| std::fs::canonicalize(p).ok();
        Ok(Self {
            folder,
            indexed: manifest.sources.iter().filter_map(canon).collect(),
            private: manifest.private.iter().filter_map(canon).collect(),
        })
    }

    /// The indexed sources, canonical (the private ones among them).
    pub fn indexed(&self) -> &[PathBuf] {
        &self.indexed
    }

    /// Whether a canonical path lies in a private source.
    pub fn is_private(&self, canonical: &Path) -> bool {
        self.private.iter().any(|p| canonical.starts_with(p))
    }

    /// A path the model named, relative to the working folder or absolute, made absolute and
    /// lexically clean (no `.` or `..`): the form globs and messages use.
    pub fn absolute(&self, asked: &str) -> PathBuf {
        let joined = if Path::new(asked).is_absolute() {
            PathBuf::from(asked)
        } else {
            self.folder.join(asked)
        };
        let mut clean = PathBuf::new();
        for part in joined.components() {
            match part {
                Component::ParentDir => {
                    clean.pop();
                }
                Component::CurDir => {}
                other => clean.push(other),
            }
        }
        clean
    }

    /// The path as the user reads it: relative to the working folder when inside it.
    pub fn shown(&self, path: &Path) -> String {
        let shown = path.strip_prefix(&self.folder).unwrap_or(path);
        let text = shown.to_string_lossy();
        if text.is_empty() {
            ".".into()
        } else {
            crate::render::sanitize_line(&text)
        }
    }

    /// An existing file or folder the tools may read: canonical, inside the working folder or
    /// an indexed source.
    pub fn readable(&self, asked: &str) -> Result<PathBuf, Outside> {
        let canonical = std::fs::canonicalize(self.absolute(asked))
            .map_err(|e| Outside(format!("cannot open {}: {e}", clip(asked))))?;
        let inside = canonical.starts_with(&self.folder)
            || self.indexed.iter().any(|s| canonical.starts_with(s));
        if inside {
            Ok(canonical)
        } else {
            Err(Outside(format!(
                "{} is outside the working folder and the indexed sources, which are all the agent may read",
                clip(asked)
            )))
        }
    }

    /// A file the tools may write: inside the working folder, judged on the canonical form of
    /// the file (or of its folder, for a file not there yet).
    pub fn writable(&self, asked: &str) -> Result<PathBuf, Outside> {
        let absolute = self.absolute(asked);
        let refused = || {
            Outside(format!(
                "{} is outside the working folder {}, the only place the agent may write",
                clip(asked),
                self.folder.display()
            ))
        };
        // The nearest folder that exists, resolved; the rest is made of plain names (the
        // absolute form has no `..`), created under it when the file is written.
        let mut existing = absolute.as_path();
        let mut rest = Vec::new();
        while existing.symlink_metadata().is_err() {
            rest.push(existing.file_name().ok_or_else(refused)?);
            existing = existing.parent().ok_or_else(refused)?;
        }
        let mut canonical = std::fs::canonicalize(existing).map_err(|_| refused())?;
        canonical.extend(rest.iter().rev());
        if canonical.starts_with(&self.folder) && !canonical.starts_with(self.folder.join(".git")) {
            Ok(canonical)
        } else {
            Err(refused())
        }
    }
}

/// A path the model wrote, short and safe to repeat.
pub fn clip(text: &str) -> String {
    let line = crate::render::sanitize_line(text);
    match line.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(folder: &Path, indexed: &Path) -> Roots {
        Roots {
            folder: folder.canonicalize().unwrap(),
            indexed: vec![indexed.canonicalize().unwrap()],
            private: vec![],
        }
    }

    #[test]
    fn dot_dot_look_alikes_and_links_out_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("work");
        let notes = dir.path().join("notes");
        let evil = dir.path().join("work_evil");
        for d in [&work, &notes, &evil] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join("f.txt"), "x").unwrap();
        }
        std::os::unix::fs::symlink(&evil, work.join("link")).unwrap();
        let r = roots(&work, &notes);
        assert!(r.readable("f.txt").is_ok());
        assert!(r.readable(notes.join("f.txt").to_str().unwrap()).is_ok());
        assert!(r.readable("../work_evil/f.txt").is_err());
        assert!(r.readable("link/f.txt").is_err());
        assert!(r.writable("new.txt").is_ok());
        assert!(r.writable("../notes/f.txt").is_err());
        assert!(r.writable("link/new.txt").is_err());
        assert!(r.writable(".git/config").is_err());
    }
}
