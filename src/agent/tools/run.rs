//! `run`: a shell command in the sandbox (`crate::sandbox`, as `pai sandbox` runs it): the
//! working folder and a temp folder of its own writable, no TCP unless `--net`, its own
//! process group (killed whole on Ctrl-C or when its time is up), output captured and capped.
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{object, optional_count, text_arg, Action, Outcome, Output, PlanError};
use super::{Planned, Reach, ToolCtx};
use crate::sandbox::{self, Policy};
use crate::tool::ToolSpec;

/// A command's time when the model names none, and the most it may ask for.
const DEFAULT_TIMEOUT_S: u64 = 60;
const MAX_TIMEOUT_S: u64 = 600;
/// The most bytes kept of each of stdout and stderr.
const MAX_OUTPUT: usize = 32 * 1024;

pub(super) struct Run {
    command: String,
    timeout: Duration,
}

pub fn spec() -> ToolSpec {
    ToolSpec {
        name: "run".into(),
        description: "Run a shell command (sh -c) in the working folder, in a sandbox: it may write only in the working folder and has no network. Returns its exit status and output.".into(),
        parameters: object(
            json!({"command": {"type": "string"}, "timeout_s": {"type": "integer", "minimum": 1, "maximum": MAX_TIMEOUT_S}}),
            &["command"],
        ),
    }
}

pub(super) fn plan(ctx: &ToolCtx, args: &Value) -> Result<Planned, PlanError> {
    let command = text_arg(args, "command")?.to_string();
    if command.trim().is_empty() {
        return Err(PlanError::Args("the command is empty".into()));
    }
    let secs = optional_count(args, "timeout_s")?
        .unwrap_or(DEFAULT_TIMEOUT_S)
        .clamp(1, MAX_TIMEOUT_S);
    Ok(Planned {
        reach: Reach::Acts,
        short: super::super::roots::clip(&command),
        path: Some(ctx.roots.folder.clone()),
        preview: Some(format!("$ {}", crate::render::sanitize_line(&command))),
        action: Action::Run(Run {
            command,
            timeout: Duration::from_secs(secs),
        }),
    })
}

pub(super) fn run(ctx: &ToolCtx, r: &Run) -> Output {
    let temp = match sandbox::private_temp() {
        Ok(t) => t,
        Err(e) => return Output::with(Outcome::Error, format!("not run: {e}")),
    };
    let mut child = match start(ctx, r, temp.path()) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let until = (Instant::now() + r.timeout).min(ctx.deadline);
    let group = child.id() as i32;
    let ended = wait(ctx, &mut child, group, until, r.timeout);
    // Whatever the command left running in its group goes with it.
    // SAFETY: killpg only sends a signal; a group already gone makes this a no-op.
    unsafe { libc::killpg(group, libc::SIGKILL) };
    let (out, err) = (
        stdout.join().unwrap_or_default(),
        stderr.join().unwrap_or_default(),
    );
    let output = format!("{}{}", section("stdout", &out), section("stderr", &err));
    match ended {
        Ok(status) => {
            let code = status_code(status);
            let outcome = if code == 0 {
                Outcome::Ok
            } else {
                Outcome::Error
            };
            Output {
                exit_status: Some(code),
                ..Output::with(outcome, format!("exit status {code}\n{output}"))
            }
        }
        Err(mut o) => {
            o.text = super::cap(format!("{}\n{output}", o.text));
            o
        }
    }
}

/// The command started in the sandbox, in a process group of its own.
fn start(ctx: &ToolCtx, r: &Run, temp: &std::path::Path) -> Result<Child, Output> {
    let policy = Policy {
        allow_write: vec![ctx.roots.folder.clone(), temp.to_path_buf()],
        net: ctx.net,
    };
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(&r.command)
        .current_dir(&ctx.roots.folder)
        .env("TMPDIR", temp)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own group, so that what it starts is stopped with it.
        .process_group(0);
    sandbox::confine_command(&mut cmd, &policy).map_err(|e| {
        Output::with(
            Outcome::Refused,
            format!("not run: the sandbox cannot be set up here ({e})"),
        )
    })?;
    cmd.spawn()
        .map_err(|e| Output::with(Outcome::Error, format!("cannot start sh: {e}")))
}

/// Waits for the command; on Ctrl-C or when its time is up, kills its group.
fn wait(
    ctx: &ToolCtx,
    child: &mut Child,
    group: i32,
    until: Instant,
    timeout: Duration,
) -> Result<ExitStatus, Output> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Err(e) => {
                return Err(Output::with(
                    Outcome::Error,
                    format!("lost the command: {e}"),
                ))
            }
            Ok(None) => {}
        }
        let stop = if ctx.cancel.is_cancelled() {
            Some(Outcome::Interrupted)
        } else if Instant::now() >= until {
            Some(Outcome::Timeout)
        } else {
            None
        };
        if let Some(outcome) = stop {
            // SAFETY: killpg only sends a signal; the group is the child's own.
            unsafe { libc::killpg(group, libc::SIGKILL) };
            let _ = child.wait();
            return Err(Output::with(outcome, stopped(outcome, timeout)));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The status a shell would report: the exit code, or 128+N for a command ended by signal N.
fn status_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => 1,
    }
}

fn stopped(outcome: Outcome, timeout: Duration) -> String {
    match outcome {
        Outcome::Timeout => format!(
            "stopped: the command ran past its time limit ({} s, or the run's)",
            timeout.as_secs()
        ),
        _ => "stopped: the user interrupted the run".into(),
    }
}

fn section(name: &str, text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("--- {name}\n{text}\n")
    }
}

/// A pipe read to its end on a thread of its own (a child blocked on a full pipe looks like
/// one that hangs); the first [`MAX_OUTPUT`] bytes are kept.
fn drain(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut dropped = 0usize;
        if let Some(mut pipe) = pipe {
            let mut buf = [0u8; 8192];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let room = MAX_OUTPUT.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
                dropped += n.saturating_sub(room);
            }
        }
        let mut text = String::from_utf8_lossy(&kept).into_owned();
        if dropped > 0 {
            text.push_str(&format!("\n[{dropped} more bytes not kept]"));
        }
        text
    })
}
