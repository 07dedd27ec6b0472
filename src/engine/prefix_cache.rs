//! The prompt cache on disk: the keys and values of a prompt's stable beginning (system
//! prompt, profile, role), saved once per model and adapter set, so that the next one-shot
//! command that starts the same way reads them from a file instead of computing them again.
//!
//! An entry is one file, named by what it is valid for: the model file and adapters
//! (path, size, modification time, scale), the number of prefix tokens and a hash of them,
//! and a hash of the file's own bytes. A file whose bytes do not match its name, or that
//! llama.cpp will not load, or whose tokens are not the prompt's, is removed and the prefix
//! decoded. Files are owner-only; the folder holds at most `max_bytes`, oldest used first out.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use xxhash_rust::xxh3::xxh3_64;

use crate::message::Message;

/// Where entries live and how much they may take together.
#[derive(Debug, Clone, PartialEq)]
pub struct PrefixCache {
    pub dir: PathBuf,
    pub max_bytes: u64,
}

/// What a generation asks of the cache: the messages that begin every prompt like this one
/// (the system message without the moment); their tokens, as far as they are the prompt's
/// own first tokens, are the prefix saved and looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct CachePrefix {
    pub cache: PrefixCache,
    pub stable: Vec<Message>,
}

/// Where a generation's stable prefix came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "from", content = "tokens")]
pub enum PrefixUse {
    /// No prefix cache was asked for, or the prefix is too short to be worth a file.
    #[default]
    NotUsed,
    /// This many tokens were already in the context (the same process, an earlier turn).
    InContext(usize),
    /// This many tokens were read from a file.
    Loaded(usize),
    /// Decoded now, and saved for next time (`false`: it could not be saved).
    Decoded(usize, bool),
}

/// Prefixes shorter than this are decoded faster than a file is read.
pub const MIN_TOKENS: usize = 64;

/// A prefix of a prompt, ready to look up or save.
pub struct Plan {
    pub cache: PrefixCache,
    /// Model file and adapters, hashed.
    pub key: u64,
    /// How many of the prompt's first tokens are the stable prefix.
    pub len: usize,
}

/// What makes a file's keys and values valid: the file's path, size and modification time.
pub fn file_identity(path: &Path) -> String {
    let meta = fs::metadata(path).ok();
    let size = meta.as_ref().map_or(0, |m| m.len());
    let mtime = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let path = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("{}\u{0}{size}\u{0}{mtime}", path.display())
}

impl Plan {
    fn stem(&self, tokens: &[i32]) -> String {
        let bytes: Vec<u8> = tokens.iter().flat_map(|t| t.to_le_bytes()).collect();
        format!(
            "{:016x}-{}-{:016x}-",
            self.key,
            tokens.len(),
            xxh3_64(&bytes)
        )
    }

    /// The entry saved for `prefix`, when one is there; a file whose bytes do not match its
    /// name is removed.
    pub fn find(&self, prefix: &[i32]) -> Option<PathBuf> {
        let stem = self.stem(prefix);
        let entries = fs::read_dir(&self.cache.dir).ok()?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(sum) = name.strip_prefix(&stem).and_then(|r| r.strip_suffix(".kv")) else {
                continue;
            };
            let path = entry.path();
            let intact = fs::read(&path)
                .ok()
                .is_some_and(|bytes| format!("{:016x}", xxh3_64(&bytes)) == sum);
            if intact {
                return Some(path);
            }
            let _ = fs::remove_file(&path);
        }
        None
    }

    /// A new owner-only file to save `prefix` into; [`Plan::keep`] names it when written.
    pub fn scratch(&self) -> std::io::Result<PathBuf> {
        create_private_dir(&self.cache.dir)?;
        let path = self
            .cache
            .dir
            .join(format!(".saving-{}.tmp", std::process::id()));
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(&path)?.flush()?;
        Ok(path)
    }

    /// Gives the written `scratch` file its name, then drops the oldest entries until the
    /// folder fits its bound (the new one too, when it alone is over).
    pub fn keep(&self, scratch: &Path, prefix: &[i32]) -> std::io::Result<()> {
        let bytes = fs::read(scratch)?;
        let name = format!("{}{:016x}.kv", self.stem(prefix), xxh3_64(&bytes));
        let path = self.cache.dir.join(name);
        fs::rename(scratch, &path)?;
        self.trim();
        if path.exists() {
            Ok(())
        } else {
            Err(std::io::Error::other("the prefix is larger than the cache"))
        }
    }

    /// Oldest first out, until the entries fit `max_bytes`.
    fn trim(&self) {
        let Ok(entries) = fs::read_dir(&self.cache.dir) else {
            return;
        };
        let mut files: Vec<(SystemTime, u64, PathBuf)> = entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".kv"))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((meta.modified().ok()?, meta.len(), e.path()))
            })
            .collect();
        files.sort();
        let mut total: u64 = files.iter().map(|f| f.1).sum();
        for (_, size, path) in files {
            if total <= self.cache.max_bytes {
                break;
            }
            if fs::remove_file(&path).is_ok() {
                total -= size;
            }
        }
    }
}

/// Marks an entry as just used, so that trimming takes others first.
pub fn touch(path: &Path) {
    if let Ok(file) = fs::File::options().append(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(dir: &Path, max_bytes: u64) -> Plan {
        Plan {
            cache: PrefixCache {
                dir: dir.to_path_buf(),
                max_bytes,
            },
            key: 7,
            len: 3,
        }
    }

    fn save(plan: &Plan, prefix: &[i32], bytes: &[u8]) -> std::io::Result<()> {
        let scratch = plan.scratch()?;
        fs::write(&scratch, bytes)?;
        plan.keep(&scratch, prefix)
    }

    #[test]
    fn an_entry_is_found_by_its_tokens_and_only_by_them() {
        let dir = tempfile::tempdir().unwrap();
        let p = plan(dir.path(), 1 << 20);
        save(&p, &[1, 2, 3], b"state").unwrap();
        assert!(p.find(&[1, 2, 3]).is_some());
        assert!(p.find(&[1, 2, 4]).is_none());
        let other_model = Plan {
            key: 8,
            ..plan(dir.path(), 1 << 20)
        };
        assert!(other_model.find(&[1, 2, 3]).is_none());
    }

    #[test]
    fn a_changed_file_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let p = plan(dir.path(), 1 << 20);
        save(&p, &[1, 2, 3], b"state").unwrap();
        let path = p.find(&[1, 2, 3]).unwrap();
        fs::write(&path, b"stale").unwrap();
        assert!(p.find(&[1, 2, 3]).is_none());
        assert!(!path.exists());
    }

    #[test]
    fn the_oldest_go_first_and_a_file_over_the_bound_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = plan(dir.path(), 10);
        save(&p, &[1], b"aaaaaa").unwrap();
        let first = p.find(&[1]).unwrap();
        let old = SystemTime::now() - std::time::Duration::from_secs(60);
        fs::File::options()
            .append(true)
            .open(&first)
            .unwrap()
            .set_modified(old)
            .unwrap();
        save(&p, &[2], b"bbbbbb").unwrap();
        assert!(p.find(&[1]).is_none());
        assert!(p.find(&[2]).is_some());
        assert!(save(&p, &[3], b"far more than ten bytes").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn entries_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = plan(&dir.path().join("cache"), 1 << 20);
        save(&p, &[1], b"state").unwrap();
        let mode = fs::metadata(p.find(&[1]).unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let mode = fs::metadata(dir.path().join("cache"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
