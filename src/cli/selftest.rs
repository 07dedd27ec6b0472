//! `pai doctor`'s generation self-test: one real token from the model in use, generated in a
//! child process, so that a crash inside llama.cpp (a kernel this CPU cannot run, an
//! instruction this CPU lacks) is a failed check with its signal named, not a dead doctor.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cli::error::CliError;
use crate::pipeline::{probe, ChosenModel};

/// Read only by the child: makes it die by this signal ("segv", "abort", "ill") once the
/// model is loaded, so tests can prove the parent reports a crash.
pub const CRASH_ENV: &str = "PAI_SELFTEST_CRASH";

/// How long the child may take: loading a large model from a cold disk is slow.
const CHILD_TIMEOUT: Duration = Duration::from_secs(300);

/// What the self-test found.
pub struct Outcome {
    pub model: String,
    pub path: PathBuf,
    pub ms: f64,
    pub verdict: Verdict,
}

pub enum Verdict {
    /// A token came back.
    Generated { token: String },
    /// The child was killed by a signal.
    Crashed { signal: i32 },
    /// The child ended with an error of its own (a sentence on its stderr).
    Failed { message: String },
    /// The child did not finish in time and was killed.
    TimedOut,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        matches!(self.verdict, Verdict::Generated { .. })
    }
}

/// Runs the child on `chosen` and waits for it.
pub fn run(chosen: &ChosenModel, verbose: bool) -> Result<Outcome, CliError> {
    let exe = std::env::current_exe()
        .map_err(|e| CliError::internal(format!("cannot find pai's own executable: {e}")))?;
    let mut command = Command::new(exe);
    if verbose {
        command.arg("--verbose");
    }
    command
        .args(["doctor", "--generate-child"])
        .arg(&chosen.path);
    let started = Instant::now();
    let finished = crate::child::run(&mut command, CHILD_TIMEOUT)
        .map_err(|e| CliError::internal(format!("cannot run the self-test: {e}")))?;
    let verdict = match finished {
        None => Verdict::TimedOut,
        Some(f) => verdict_of(f.status, &f.stdout, &f.stderr),
    };
    Ok(Outcome {
        model: chosen.name.clone(),
        path: chosen.path.clone(),
        ms: started.elapsed().as_secs_f64() * 1000.0,
        verdict,
    })
}

fn verdict_of(status: std::process::ExitStatus, stdout: &str, stderr: &str) -> Verdict {
    use std::os::unix::process::ExitStatusExt;
    if let Some(signal) = status.signal() {
        return Verdict::Crashed { signal };
    }
    if status.success() {
        return Verdict::Generated {
            token: stdout.trim_end_matches('\n').to_string(),
        };
    }
    let message = stderr
        .lines()
        .find(|l| l.starts_with("pai: "))
        .map(|l| l.trim_start_matches("pai: ").to_string())
        .unwrap_or_else(|| format!("the self-test ended with {status}"));
    Verdict::Failed { message }
}

pub use crate::child::signal_name;

/// What to do about a crash, by its signal.
pub fn advice(signal: i32) -> &'static str {
    match signal {
        libc::SIGILL => {
            "this binary uses an instruction this CPU lacks (it was built for another CPU): \
             rebuild here with scripts/install.sh, or use the portable release archive"
        }
        libc::SIGKILL => {
            "the system killed it, most often for lack of memory: try a smaller model or \
             close other programs"
        }
        _ => {
            "llama.cpp crashed on this CPU: rebuild with `cargo clean -p llama-cpp-sys-2` then \
             scripts/install.sh, or use the portable release archive, and report the CPU \
             (lscpu) with `pai doctor --json`"
        }
    }
}

/// The child: load the model, generate one token greedily, print it. Crashes if asked to,
/// once the model is loaded.
pub fn child(path: &Path, verbose: bool) -> Result<(), CliError> {
    let token = probe::one_token(path, || crash_if_asked(CRASH_ENV), verbose)?;
    println!("{}", crate::render::sanitize_line(&token));
    Ok(())
}

/// The first-load child (`models::firstload`): load `path` as llama.cpp will, on `base` when
/// it is an adapter. A crash here is the verdict the parent keeps.
pub fn load_child(path: &Path, base: Option<&Path>, verbose: bool) -> Result<(), CliError> {
    crash_if_asked(crate::models::firstload::CRASH_ENV);
    Ok(probe::load_once(path, base, verbose)?)
}

fn crash_if_asked(variable: &str) {
    let signal = match std::env::var(variable).as_deref() {
        Ok("segv") => libc::SIGSEGV,
        Ok("abort") => libc::SIGABRT,
        Ok("ill") => libc::SIGILL,
        _ => return,
    };
    // SAFETY: restores the default action (Rust's own SIGSEGV handler would return from a
    // raised signal) and raises it: the process ends here, as a crashing kernel would end it.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}
