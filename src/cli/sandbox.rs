//! `pai sandbox`: runs a command confined by Linux Landlock (`crate::sandbox`): it may read
//! anything, write only in the working folder, a temp folder of its own ($TMPDIR) and `--allow-write` folders, and
//! open or accept no TCP connection unless `--net`. Its exit status becomes pai's. `pai shell`
//! runs the commands it proposes the same way, through [`SandboxArgs`] and [`confine`].
use std::ffi::OsString;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus};

use crate::cli::error::CliError;
use crate::error::exit;
use crate::sandbox::{self, Policy, SandboxError};

/// Run a command in a sandbox: it may read anything, but write only in the working folder,
/// its own temp folder ($TMPDIR) and --allow-write folders, and not use TCP unless --net.
///
/// `pai sandbox -- make test`. Linux Landlock enforces it (Linux 6.7 or newer); where the
/// kernel cannot enforce all of it, nothing runs unless --no-sandbox is given. The exit status
/// is the command's: 128+N when signal N ended it, 127 when it was not found, 126 when it
/// could not be started.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub sandbox: SandboxArgs,
    /// The command and its arguments (put `--` before them).
    #[arg(
        value_name = "CMD",
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<OsString>,
}

/// How a command that pai runs is confined.
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// Also allow the command to write beneath DIR (repeatable).
    #[arg(long, value_name = "DIR")]
    pub allow_write: Vec<PathBuf>,
    /// Allow the command to use TCP: connect out and listen.
    #[arg(long)]
    pub net: bool,
    /// Run the command unconfined: it may write anywhere and use the network.
    #[arg(long, conflicts_with_all = ["allow_write", "net"])]
    pub no_sandbox: bool,
}

/// How a command was set up to run.
#[derive(Debug)]
pub enum Confinement {
    Sandboxed {
        policy: Policy,
        /// The command's own temp folder: removed when this is dropped.
        _temp: tempfile::TempDir,
    },
    Unconfined,
}

impl Confinement {
    /// Says on stderr when the command is about to run unconfined; a sandbox is the quiet default.
    pub fn announce(&self) {
        if let Confinement::Unconfined = self {
            eprintln!("pai: --no-sandbox: the command runs unconfined, free to write anywhere and use the network");
        }
    }

    /// What the sandbox allowed, for a hint after a failure.
    pub fn describe(&self) -> Option<String> {
        let Confinement::Sandboxed { policy, .. } = self else {
            return None;
        };
        let folders: Vec<String> = policy
            .allow_write
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let net = if policy.net { "" } else { ", and no TCP" };
        Some(format!(
            "it ran in the sandbox, which allows writing only in {}{net}",
            folders.join(", ")
        ))
    }
}

pub fn run(args: &Args) -> Result<(), CliError> {
    let Some((program, rest)) = args.command.split_first() else {
        return Err(CliError::user("there is no command to run"));
    };
    let mut cmd = Command::new(program);
    cmd.args(rest);
    let confinement = confine(&mut cmd, &args.sandbox)?;
    confinement.announce();
    // Ctrl-C reaches the command too; pai stays to pass on how it ended.
    let _ignored = crate::cancel::interrupt_token();
    let status = cmd
        .status()
        .map_err(|e| start_error(&program.to_string_lossy(), e))?;
    match exit_code(status) {
        0 => Ok(()),
        code => Err(CliError::command(code, "")),
    }
}

/// Sets `cmd` up to run in the sandbox the flags describe (the working folder and the temp
/// folder writable, plus --allow-write; TCP only with --net), or unconfined with --no-sandbox.
/// Refuses when the kernel cannot enforce the whole sandbox.
pub fn confine(cmd: &mut Command, args: &SandboxArgs) -> Result<Confinement, CliError> {
    if args.no_sandbox {
        return Ok(Confinement::Unconfined);
    }
    let temp = sandbox::private_temp().map_err(refusal)?;
    let mut policy = Policy::working_folder(temp.path()).map_err(refusal)?;
    policy.allow_write.extend(args.allow_write.iter().cloned());
    policy.net = args.net;
    sandbox::confine_command(cmd, &policy).map_err(refusal)?;
    cmd.env("TMPDIR", temp.path());
    Ok(Confinement::Sandboxed {
        policy,
        _temp: temp,
    })
}

fn refusal(e: SandboxError) -> CliError {
    let sentence = crate::render::sanitize_line(&e.to_string());
    match e {
        SandboxError::Unavailable(_) => CliError::user(format!(
            "not run: {sentence}, so the command cannot be confined"
        ))
        .hint("pass --no-sandbox to run it unconfined, if you trust it"),
        SandboxError::TooOld { needed, .. } => {
            let err = CliError::user(format!("not run: {sentence}"));
            if needed == sandbox::TARGET_ABI {
                err.hint("pass --net if the command may use the network, or --no-sandbox to run it unconfined")
            } else {
                err.hint("pass --no-sandbox to run it unconfined, if you trust it")
            }
        }
        SandboxError::Path { .. } => {
            CliError::user(sentence).hint(
                "the folders the sandbox lets the command write in must exist: the working folder, a new folder in $TMPDIR and each --allow-write",
            )
        }
        SandboxError::Rules(_) => CliError::internal(sentence),
    }
}

/// A command that did not start: 127 when it is not there, 126 otherwise, as shells do.
pub fn start_error(program: &str, e: std::io::Error) -> CliError {
    let program = crate::render::sanitize_line(program);
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            CliError::command(exit::NOT_FOUND, format!("{program}: command not found"))
        }
        _ => CliError::command(exit::CANNOT_RUN, format!("cannot run {program}: {e}")),
    }
}

/// The status a shell would report: the exit code, or 128+N for a command ended by signal N.
pub fn exit_code(status: ExitStatus) -> u8 {
    match (status.code(), status.signal()) {
        (Some(code), _) => (code & 0xff) as u8,
        (None, Some(signal)) => 128u8.saturating_add(signal as u8),
        (None, None) => exit::FAILURE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::Support;

    #[test]
    fn a_kernel_that_cannot_confine_is_one_sentence_and_a_hint() {
        let e = refusal(SandboxError::Unavailable(Support::Missing));
        assert_eq!(e.exit_code(), exit::FAILURE);
        assert_eq!(
            e.message,
            "not run: this kernel has no Landlock, so the command cannot be confined"
        );
        assert!(e.hints[0].contains("--no-sandbox"), "{:?}", e.hints);
        let e = refusal(sandbox::plan(Support::Abi(3), &Policy::default()).unwrap_err());
        assert_eq!(e.exit_code(), exit::FAILURE);
        assert!(e.message.contains("TCP"), "{}", e.message);
        assert!(e.hints[0].contains("--net"), "{:?}", e.hints);
    }

    #[test]
    fn a_signal_gives_128_plus_its_number() {
        assert_eq!(exit_code(ExitStatus::from_raw(9)), 137);
        assert_eq!(exit_code(ExitStatus::from_raw(3 << 8)), 3);
    }
}
