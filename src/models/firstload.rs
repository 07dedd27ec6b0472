//! The first load of a model file happens in a child process. llama.cpp asserts (aborts) or
//! throws a C++ exception (which aborts when it crosses into Rust) on some files that pass
//! every check pai makes in Rust; in a child, that is a sentence with llama.cpp's own reason,
//! not a dead pai. The verdict is kept, keyed by the file's identity (path, size, mtime and a
//! hash of its first MiB), so the child runs once per file: later loads read one small file.
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A file llama.cpp stopped on when it was first loaded (kept: said again until it changes).
#[derive(Debug, thiserror::Error)]
#[error("{file} cannot be loaded: {reason}")]
pub struct CannotLoad {
    pub file: String,
    pub reason: String,
}

/// What to do about a [`CannotLoad`].
pub const HINT: &str = "get the file again from its source, or convert it again with llama.cpp's \
                        convert scripts; pai remembers this verdict until the file changes";

/// Read only by the load child: makes it die by this signal ("segv", "abort") before it loads,
/// so tests can prove a crash becomes a kept verdict and a sentence.
pub const CRASH_ENV: &str = "PAI_FIRSTLOAD_CRASH";

/// How long a first load may take before it counts as inconclusive (a cold disk, a big file).
const CHILD_TIMEOUT: Duration = Duration::from_secs(300);
/// Verdicts kept; the oldest go first.
const KEPT: usize = 512;
const HASHED_BYTES: u64 = 1 << 20;

#[derive(serde::Serialize, serde::Deserialize, Clone)]
struct Verdict {
    key: String,
    ok: bool,
    reason: Option<String>,
}

/// Ok when `path` has loaded in a child before (or does now); the sentence when it did not.
/// `base` is the model an adapter is loaded on. Runs no child where the executable is not
/// pai itself (the library inside a test binary).
pub fn ensure(path: &Path, base: Option<&Path>) -> Result<(), CannotLoad> {
    let Some(exe) = pai_executable() else {
        return Ok(());
    };
    let Some(key) = identity(path, base) else {
        return Ok(());
    };
    let store = crate::paths::Paths::discover()
        .data_dir
        .join("load-verdicts.json");
    let mut verdicts = read(&store);
    let verdict = match verdicts.iter().find(|v| v.key == key) {
        Some(v) => v.clone(),
        None => {
            let Some(verdict) = load_in_child(&exe, path, base, key) else {
                return Ok(());
            };
            verdicts.retain(|v| v.key != verdict.key);
            verdicts.push(verdict.clone());
            let skip = verdicts.len().saturating_sub(KEPT);
            write(&store, &verdicts[skip..]);
            verdict
        }
    };
    if verdict.ok {
        return Ok(());
    }
    Err(CannotLoad {
        file: crate::render::clip(&path.display().to_string(), 200),
        reason: verdict
            .reason
            .unwrap_or_else(|| "llama.cpp stopped on it".into()),
    })
}

fn pai_executable() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    (exe.file_name()? == "pai").then_some(exe)
}

/// The file's identity: where it is, its size and mtime, a hash of its first MiB; an
/// adapter's includes its base model's.
fn identity(path: &Path, base: Option<&Path>) -> Option<String> {
    let one = |path: &Path| -> Option<String> {
        let path = path.canonicalize().ok()?;
        let meta = std::fs::metadata(&path).ok()?;
        let mtime = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        let mut head = Vec::new();
        std::fs::File::open(&path)
            .ok()?
            .take(HASHED_BYTES)
            .read_to_end(&mut head)
            .ok()?;
        let hash = xxhash_rust::xxh3::xxh3_64(&head);
        Some(format!(
            "{}|{}|{}|{hash:016x}",
            path.display(),
            meta.len(),
            mtime.as_nanos()
        ))
    };
    match base {
        Some(base) => Some(format!("{} on {}", one(path)?, one(base)?)),
        None => one(path),
    }
}

fn read(store: &Path) -> Vec<Verdict> {
    std::fs::read(store)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Written whole to a temporary file, then renamed: a reader never sees half a file. A verdict
/// that cannot be kept only means another child load later.
fn write(store: &Path, verdicts: &[Verdict]) {
    let Some(folder) = store.parent() else { return };
    let _ = std::fs::create_dir_all(folder);
    let Ok(mut file) = tempfile::NamedTempFile::new_in(folder) else {
        return;
    };
    if serde_json::to_writer(&mut file, verdicts).is_ok() {
        let _ = file.persist(store);
    }
}

/// Loads `path` in `pai doctor --load-child`; None when the child says nothing conclusive
/// (it was killed for memory, or ran out of time).
fn load_in_child(exe: &Path, path: &Path, base: Option<&Path>, key: String) -> Option<Verdict> {
    let mut command = Command::new(exe);
    command
        .args(["--verbose", "doctor", "--load-child"])
        .arg(path);
    if let Some(base) = base {
        command.arg("--load-base").arg(base);
    }
    let finished = crate::child::run(&mut command, CHILD_TIMEOUT).ok()??;
    verdict_of(finished.status, &finished.stderr, key)
}

fn verdict_of(status: std::process::ExitStatus, log: &str, key: String) -> Option<Verdict> {
    use std::os::unix::process::ExitStatusExt;
    if status.success() {
        return Some(Verdict {
            key,
            ok: true,
            reason: None,
        });
    }
    let reason = match status.signal() {
        Some(libc::SIGKILL) => return None,
        Some(signal) => {
            let name = crate::child::signal_name(signal);
            match llama_reason(log) {
                Some(why) => format!("llama.cpp crashed on it ({name}): {why}"),
                None => format!("llama.cpp crashed on it ({name})"),
            }
        }
        None => llama_reason(log)
            .or_else(|| pai_sentence(log))
            .unwrap_or_else(|| format!("loading it ended with {status}")),
    };
    Some(Verdict {
        key,
        ok: false,
        reason: Some(reason),
    })
}

/// What llama.cpp said last about why it stopped: an assertion, an exception's message, or an
/// error line of its log.
fn llama_reason(log: &str) -> Option<String> {
    let markers = [
        "GGML_ASSERT",
        "what():",
        "error loading model",
        "error:",
        "failed",
    ];
    let line = markers
        .iter()
        .find_map(|marker| log.lines().rev().find(|l| l.contains(marker)))?;
    let line = line.rsplit("error loading model:").next().unwrap_or(line);
    let line = line.split_once("what():").map_or(line, |(_, what)| what);
    let text = crate::render::sanitize_line(line.trim().trim_start_matches("ERROR").trim());
    (!text.is_empty()).then(|| crate::render::clip(&text, 300))
}

fn pai_sentence(log: &str) -> Option<String> {
    log.lines()
        .find_map(|l| l.strip_prefix("pai: "))
        .map(|s| crate::render::clip(&crate::render::sanitize_line(s), 300))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_is_llama_cpps_last_word() {
        let log = "llama_model_loader: loaded meta data\n\
                   ERROR llama_model_load: error loading model: unknown model architecture: 'llamx'\n\
                   ERROR llama_load_model_from_file: failed to load model\n";
        assert_eq!(
            llama_reason(log).as_deref(),
            Some("unknown model architecture: 'llamx'")
        );
        let log = "terminate called after throwing an instance of 'std::out_of_range'\n  what():  unordered_map::at\n";
        assert_eq!(llama_reason(log).as_deref(), Some("unordered_map::at"));
        let log = "/src/llama-vocab.cpp:2390: GGML_ASSERT(id_to_token.size() == token_to_id.size()) failed\n";
        assert!(llama_reason(log)
            .unwrap()
            .contains("GGML_ASSERT(id_to_token"));
        assert_eq!(llama_reason("all fine\n"), None);
    }
}
