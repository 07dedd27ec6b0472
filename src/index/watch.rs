//! Following the sources while `pai index watch` runs: a `notify` watcher per source
//! (recursive), whose events are debounced and sorted here into "something worth an update
//! happened" and noise. The debouncing is ours, not `notify-debouncer-mini`'s, because that
//! one drops the kind of each event, and reads must be told apart from writes: the update's
//! own walk opens the folders it watches, and would otherwise wake the watch up forever. Noise is anything in a hidden path, in a
//! path that a .gitignore or .ignore between the file and its source leaves out, or inside
//! the index folder itself (an index kept inside a source would otherwise wake itself up
//! after every commit). The update that follows is the ordinary incremental one: this
//! module only decides *when* to run it, never what to index, so the walk's ignore rules
//! stay the only authority on that, and a missed or merged event costs nothing but a walk.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::store::MANIFEST;
use crate::error::Error;

/// How long the sources must be quiet before an update runs: an editor's save (write a
/// temporary file, rename it over the note) or a `git checkout` becomes one batch.
pub const DEBOUNCE: Duration = Duration::from_secs(1);
/// A source that never goes quiet (a log being appended to) still gets updates this often.
pub const MAX_DELAY: Duration = Duration::from_secs(10);

/// What one wait on the watcher gave.
#[derive(Debug, Default)]
pub struct Batch {
    /// Paths in the sources that changed and are not ignored.
    pub changed: usize,
    /// The manifest was rewritten (a source added or removed, or an update finished).
    pub manifest: bool,
    /// The watcher lost events (a queue overflow): only a full update can catch up.
    pub lost: bool,
}

impl Batch {
    pub fn wants_update(&self) -> bool {
        self.changed > 0 || self.lost
    }
}

/// What the watcher's thread passes on: the paths of a write, or a lost event.
type Raw = Result<Vec<PathBuf>, notify::Error>;

pub struct Watch {
    watcher: RecommendedWatcher,
    events: Receiver<Raw>,
    /// The batch being gathered, with when it started and when its last event came.
    pending: Batch,
    first: Option<Instant>,
    last: Option<Instant>,
    index_dir: PathBuf,
    /// The sources being watched, and the path actually handed to notify for each (a file
    /// source is watched through its folder, since editors replace files by renaming).
    watched: Vec<(PathBuf, PathBuf)>,
    /// The ignore files of each folder seen so far, dropped when one of them changes.
    ignores: HashMap<PathBuf, Gitignore>,
}

impl Watch {
    pub fn new(index_dir: &Path) -> Result<Self, Error> {
        let (tx, events) = std::sync::mpsc::channel();
        let handler = move |event: notify::Result<notify::Event>| {
            let raw = match event {
                // Opening and reading change nothing, and the update itself does both.
                Ok(e) if matches!(e.kind, EventKind::Access(_)) => return,
                Ok(e) => Ok(e.paths),
                Err(e) => Err(e),
            };
            let _ = tx.send(raw);
        };
        let mut watcher =
            notify::recommended_watcher(handler).map_err(|e| watch_error(index_dir, e))?;
        // The manifest is how `pai index add` and `rm` tell a running watch about sources.
        std::fs::create_dir_all(index_dir)?;
        watcher
            .watch(index_dir, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(index_dir, e))?;
        Ok(Self {
            watcher,
            events,
            pending: Batch::default(),
            first: None,
            last: None,
            index_dir: index_dir.to_path_buf(),
            watched: Vec::new(),
            ignores: HashMap::new(),
        })
    }

    /// Watches exactly these sources from now on. A source that cannot be watched (gone,
    /// or past the system's limit on watches) is reported and left out.
    pub fn set_sources(&mut self, sources: &[PathBuf]) -> Vec<Error> {
        let mut errors = Vec::new();
        let mut kept = Vec::new();
        for (source, target) in std::mem::take(&mut self.watched) {
            if sources.contains(&source) {
                kept.push((source, target));
            } else {
                let _ = self.watcher.unwatch(&target);
            }
        }
        self.watched = kept;
        for source in sources {
            if self.watched.iter().any(|(s, _)| s == source) {
                continue;
            }
            let (target, mode) = if source.is_file() {
                let parent = source.parent().unwrap_or(source).to_path_buf();
                (parent, RecursiveMode::NonRecursive)
            } else {
                (source.clone(), RecursiveMode::Recursive)
            };
            match self.watcher.watch(&target, mode) {
                Ok(()) => self.watched.push((source.clone(), target)),
                Err(e) => errors.push(watch_error(source, e)),
            }
        }
        errors
    }

    pub fn sources(&self) -> usize {
        self.watched.len()
    }

    /// Gathers events for up to `wait`, and returns the batch once the sources have been
    /// quiet for [`DEBOUNCE`] (or busy for [`MAX_DELAY`]); an empty batch until then. Short
    /// waits keep the caller free to look at Ctrl-C and the lock.
    pub fn next(&mut self, wait: Duration) -> Batch {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(raw) => {
                    let mut batch = std::mem::take(&mut self.pending);
                    match raw {
                        Ok(paths) => paths.iter().for_each(|p| self.sort(p, &mut batch)),
                        Err(_) => batch.lost = true,
                    }
                    self.pending = batch;
                    let now = Instant::now();
                    self.first.get_or_insert(now);
                    self.last = Some(now);
                }
                Err(RecvTimeoutError::Timeout) => break,
                // The watcher's thread is gone (it never ends while `watcher` lives): wait
                // rather than spin.
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(left);
                    break;
                }
            }
        }
        let (Some(first), Some(last)) = (self.first, self.last) else {
            return Batch::default();
        };
        if last.elapsed() < DEBOUNCE && first.elapsed() < MAX_DELAY {
            return Batch::default();
        }
        self.first = None;
        self.last = None;
        std::mem::take(&mut self.pending)
    }

    fn sort(&mut self, path: &Path, batch: &mut Batch) {
        if let Ok(rest) = path.strip_prefix(&self.index_dir) {
            batch.manifest |= rest == Path::new(MANIFEST);
            return;
        }
        // The innermost source that holds the path decides (sources may nest).
        let Some(source) = self
            .watched
            .iter()
            .map(|(s, _)| s)
            .filter(|s| path.starts_with(s))
            .max_by_key(|s| s.as_os_str().len())
            .cloned()
        else {
            return;
        };
        let Ok(rel) = path.strip_prefix(&source) else {
            return;
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ignore_file = name == ".gitignore" || name == ".ignore";
        if ignore_file {
            if let Some(dir) = path.parent() {
                self.ignores.remove(dir);
            }
        }
        // Hidden paths are never indexed; an ignore file itself is hidden but changes what is.
        let parts = rel.components().count();
        let hidden = rel.components().enumerate().any(|(i, c)| {
            let hidden = c.as_os_str().to_string_lossy().starts_with('.');
            hidden && !(ignore_file && i + 1 == parts)
        });
        if hidden || (!ignore_file && self.ignored(&source, path)) {
            return;
        }
        batch.changed += 1;
    }

    /// Whether the .gitignore and .ignore files from the path's folder up to its source
    /// leave it out; the nearest file that says anything decides, as in git.
    fn ignored(&mut self, source: &Path, path: &Path) -> bool {
        let is_dir = path.is_dir();
        let mut dir = path.parent();
        while let Some(d) = dir {
            if !d.starts_with(source) {
                break;
            }
            let rules = self
                .ignores
                .entry(d.to_path_buf())
                .or_insert_with(|| ignore_rules(d));
            match rules.matched_path_or_any_parents(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
            dir = d.parent();
        }
        false
    }
}

/// One folder's .gitignore and .ignore (the latter wins where they disagree, as in the walk).
fn ignore_rules(dir: &Path) -> Gitignore {
    let mut builder = GitignoreBuilder::new(dir);
    for name in [".gitignore", ".ignore"] {
        let file = dir.join(name);
        if file.is_file() {
            let _ = builder.add(file);
        }
    }
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    let what = crate::render::sanitize_line(&path.display().to_string());
    let error = Error::user(format!("cannot watch {what}: {e}"));
    match e.kind {
        notify::ErrorKind::MaxFilesWatch => error.hint(
            "the system's limit on watched folders is reached: raise fs.inotify.max_user_watches",
        ),
        _ => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_ignored_and_index_paths_are_noise() {
        let root = tempfile::tempdir().unwrap();
        let source = root.path().join("notes");
        let index = root.path().join("notes/index");
        std::fs::create_dir_all(source.join("sub")).unwrap();
        std::fs::write(source.join(".gitignore"), "build/\n*.tmp\n").unwrap();
        std::fs::write(source.join("sub/.ignore"), "draft.md\n").unwrap();
        let mut w = Watch::new(&index).unwrap();
        assert!(w.set_sources(std::slice::from_ref(&source)).is_empty());
        let count = |w: &mut Watch, p: &str| {
            let mut b = Batch::default();
            w.sort(&source.join(p), &mut b);
            (b.changed, b.manifest)
        };
        assert_eq!(count(&mut w, "a.md"), (1, false));
        assert_eq!(count(&mut w, "sub/b.md"), (1, false));
        assert_eq!(count(&mut w, ".git/index"), (0, false));
        assert_eq!(count(&mut w, "sub/.cache/x.md"), (0, false));
        assert_eq!(count(&mut w, "build/out.md"), (0, false));
        assert_eq!(count(&mut w, "x.tmp"), (0, false));
        assert_eq!(count(&mut w, "sub/draft.md"), (0, false));
        assert_eq!(count(&mut w, "sub/.ignore"), (1, false));
        assert_eq!(count(&mut w, "index/meta.json"), (0, false));
        assert_eq!(count(&mut w, "index/pai-index.json"), (0, true));
        let mut b = Batch::default();
        w.sort(Path::new("/elsewhere/a.md"), &mut b);
        assert_eq!(b.changed, 0);
    }
}
