//! Which files `pai mcp` may serve: those inside a source added without `--private`, judged
//! on canonical paths (symlinks resolved, `..` gone) with `Path::starts_with`, which compares
//! whole components, so `/home/u/notes_evil` is not inside `/home/u/notes`. A file in a
//! private source is never served, even when that source lies inside a public one.
use std::path::{Component, Path, PathBuf};

use crate::index::store::Manifest;

/// The indexed sources, split by what may be served.
#[derive(Debug, Clone, Default)]
pub struct Confine {
    /// Canonical public sources.
    public: Vec<PathBuf>,
    /// Canonical private sources.
    private: Vec<PathBuf>,
}

/// Why a path was refused: one sentence, safe to show to the client (it names only what the
/// client asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl Confine {
    pub fn from_manifest(manifest: &Manifest) -> Self {
        let canon = |p: &PathBuf| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        let private: Vec<PathBuf> = manifest.private.iter().map(canon).collect();
        let public = manifest
            .sources
            .iter()
            .map(canon)
            .filter(|s| !private.iter().any(|p| s.starts_with(p)))
            .collect();
        Self { public, private }
    }

    #[cfg(test)]
    pub fn new(public: Vec<PathBuf>, private: Vec<PathBuf>) -> Self {
        Self { public, private }
    }

    /// The public source that holds `canonical`, if any; None for a path outside every public
    /// source or inside a private one. `canonical` must already be canonical.
    pub fn source_of(&self, canonical: &Path) -> Option<&Path> {
        if !canonical.is_absolute() || self.private.iter().any(|p| canonical.starts_with(p)) {
            return None;
        }
        self.public
            .iter()
            .filter(|s| canonical.starts_with(s))
            .max_by_key(|s| s.components().count())
            .map(PathBuf::as_path)
    }

    /// A path as the index names it (maybe through a link), resolved; None when it leads
    /// outside the public sources or cannot be resolved.
    pub fn check_indexed(&self, path: &Path) -> Option<(PathBuf, PathBuf)> {
        let canonical = std::fs::canonicalize(path).ok()?;
        let source = self.source_of(&canonical)?.to_path_buf();
        Some((canonical, source))
    }

    /// A path a client asked for: absolute, or relative to a public source. Returns the
    /// canonical path and its source, or why it is refused.
    pub fn resolve(&self, asked: &str) -> Result<(PathBuf, PathBuf), Refused> {
        if asked.is_empty() || asked.contains('\0') {
            return Err(Refused("the path is empty or holds a NUL byte".into()));
        }
        let asked_path = Path::new(asked);
        let candidates: Vec<PathBuf> = if asked_path.is_absolute() {
            vec![asked_path.to_path_buf()]
        } else {
            self.public.iter().map(|s| s.join(asked_path)).collect()
        };
        for candidate in &candidates {
            let Ok(canonical) = std::fs::canonicalize(candidate) else {
                continue;
            };
            if let Some(source) = self.source_of(&canonical) {
                return Ok((canonical, source.to_path_buf()));
            }
            return Err(refusal(asked));
        }
        // Nothing exists there. Say "outside" rather than "missing" for a path that could
        // never be inside, so probing for files elsewhere learns nothing.
        let lexically_inside = candidates.iter().any(|c| {
            !c.components().any(|k| matches!(k, Component::ParentDir))
                && self.public.iter().any(|s| c.starts_with(s))
        });
        if lexically_inside {
            Err(Refused(format!("{asked} is not an indexed note")))
        } else {
            Err(refusal(asked))
        }
    }
}

fn refusal(asked: &str) -> Refused {
    Refused(format!(
        "{asked} is outside the indexed folders that pai serves (private sources are never served)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_prefixes_dot_dot_and_links_out_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let notes = root.join("notes");
        let evil = root.join("notes_evil");
        let private = notes.join("diary");
        for d in [&notes, &evil, &private] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(notes.join("a.md"), "a").unwrap();
        std::fs::write(evil.join("b.md"), "b").unwrap();
        std::fs::write(private.join("c.md"), "c").unwrap();
        std::os::unix::fs::symlink(evil.join("b.md"), notes.join("link.md")).unwrap();
        let c = Confine::new(vec![notes.clone()], vec![private.clone()]);

        assert_eq!(c.resolve("a.md").unwrap().0, notes.join("a.md"));
        let abs = notes.join("a.md").display().to_string();
        assert_eq!(c.resolve(&abs).unwrap().1, notes);
        for bad in [
            evil.join("b.md").display().to_string(),
            "../notes_evil/b.md".into(),
            format!("{}/../notes_evil/b.md", notes.display()),
            "link.md".into(),
            "diary/c.md".into(),
            "/etc/passwd".into(),
            "/nonexistent/x".into(),
            String::new(),
        ] {
            assert!(c.resolve(&bad).is_err(), "{bad} was served");
        }
        assert!(c.source_of(&evil.join("b.md")).is_none());
        assert!(c.source_of(&private.join("c.md")).is_none());
    }
}
