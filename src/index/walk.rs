//! Finding the files to index under the sources: the `ignore` crate's walk (honouring
//! .gitignore even outside a git repository, .ignore and hidden-file rules), then a stat of
//! each entry so that FIFOs, devices, symlink loops and oversized files are counted as
//! skipped instead of read. Nothing here reads file contents: see [`read_text`].
use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A regular file found by the walk, with what the manifest compares.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    /// The source folder it was found under, for path words relative to it.
    pub source: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch.
    pub mtime: u64,
}

/// Why a file was left out, counted by reason for `pai index status`.
#[derive(Debug, Default, Clone)]
pub struct Skips {
    pub counts: BTreeMap<String, u64>,
    /// A few examples of unreadable paths, reported once on stderr.
    pub unreadable: Vec<String>,
}

impl Skips {
    pub fn add(&mut self, reason: &str) {
        *self.counts.entry(reason.to_string()).or_default() += 1;
    }

    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    pub fn unreadable(&mut self, what: String) {
        self.add("unreadable");
        if self.unreadable.len() < 5 {
            self.unreadable.push(what);
        }
    }
}

/// Walks every source, returning each regular file once (sources may overlap).
pub fn walk(sources: &[PathBuf], max_file_size: u64, skips: &mut Skips) -> Vec<Candidate> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for source in sources {
        if !source.is_dir() && !source.is_file() {
            skips.unreadable(format!("{}: the source is gone", source.display()));
            continue;
        }
        let walker = ignore::WalkBuilder::new(source)
            .hidden(true)
            .git_ignore(true)
            // Notes folders are rarely git repositories, and their .gitignore still says
            // what the user wants left out.
            .require_git(false)
            .ignore(true)
            .parents(true)
            // Following links lets a notes folder point at others; the walker detects loops.
            .follow_links(true)
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if let Some(c) = candidate(entry, source, max_file_size, skips) {
                        if seen.insert(c.path.clone()) {
                            out.push(c);
                        }
                    }
                }
                Err(e) => classify_walk_error(&e, skips),
            }
        }
    }
    out
}

fn classify_walk_error(e: &ignore::Error, skips: &mut Skips) {
    let mut inner = e;
    loop {
        match inner {
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => inner = err,
            ignore::Error::Loop { .. } => return skips.add("symlink loop"),
            _ => break,
        }
    }
    skips.unreadable(crate::render::sanitize_line(&e.to_string()));
}

fn candidate(
    entry: ignore::DirEntry,
    source: &Path,
    max_file_size: u64,
    skips: &mut Skips,
) -> Option<Candidate> {
    let file_type = entry.file_type()?;
    if file_type.is_dir() {
        return None;
    }
    // With follow_links the type is the target's: a link to /dev/zero is a device here.
    if !file_type.is_file() {
        skips.add(if file_type.is_symlink() {
            "broken symlink"
        } else {
            "not a regular file"
        });
        return None;
    }
    let meta = match entry.metadata() {
        Ok(m) => m,
        Err(e) => {
            skips.unreadable(format!("{}: {e}", entry.path().display()));
            return None;
        }
    };
    if meta.len() > max_file_size {
        skips.add("too large");
        return None;
    }
    Some(Candidate {
        path: entry.into_path(),
        source: source.to_path_buf(),
        size: meta.len(),
        mtime: mtime(&meta),
    })
}

fn mtime(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// A file already indexed under `source`, looked at again (for the vectors pass); None when
/// it is gone or no longer a regular file.
pub fn recheck(path: &Path, source: &Path) -> Option<Candidate> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    Some(Candidate {
        path: path.to_path_buf(),
        source: source.to_path_buf(),
        size: meta.len(),
        mtime: mtime(&meta),
    })
}

/// What reading a candidate gave.
pub enum Content {
    Text { text: String, hash: u64 },
    Skip(&'static str),
}

/// Reads a candidate's bytes, at most `max` of them, refusing anything that is not a regular
/// file by the time it is opened (a file can become a FIFO between the walk and the read) and
/// anything with a NUL byte near the start (binary). Invalid UTF-8 is decoded lossily.
pub fn read_text(path: &Path, max: u64) -> std::io::Result<Content> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(Content::Skip("not a regular file"));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Ok(Content::Skip("too large"));
    }
    let sniff = &bytes[..bytes.len().min(8192)];
    if sniff.contains(&0) {
        return Ok(Content::Skip("binary"));
    }
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(Content::Text { text, hash })
}
