//! `pai service install|uninstall`: the background jobs (keep the index fresh, learn
//! nightly) as systemd user units on Linux and launchd agents on macOS.
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use super::Ctx;
use crate::cli::error::CliError;
use crate::service::{self, Plan};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Keep `pai index watch` running and run `pai learn --since` every night.
    Install(InstallArgs),
    /// Stop and remove what `install` wrote.
    Uninstall(UninstallArgs),
}

#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// When to learn, local time (HH:MM).
    #[arg(long, default_value = "03:00", value_name = "HH:MM")]
    pub learn_at: String,
    /// Also learn from this repository's new commits (repeatable).
    #[arg(long, value_name = "REPO")]
    pub from_git: Vec<PathBuf>,
    /// Write the files only; do not ask systemd or launchd to start them.
    #[arg(long)]
    pub no_enable: bool,
}

#[derive(Debug, clap::Args)]
pub struct UninstallArgs {
    /// Remove the files only; do not ask systemd or launchd to stop them.
    #[arg(long)]
    pub no_enable: bool,
}

pub fn run(ctx: &Ctx, command: &Command) -> Result<(), CliError> {
    match command {
        Command::Install(args) => install(ctx, args),
        Command::Uninstall(args) => uninstall(args),
    }
}

fn install(ctx: &Ctx, args: &InstallArgs) -> Result<(), CliError> {
    let learn_at = service::parse_time(&args.learn_at).ok_or_else(|| {
        CliError::user(format!("--learn-at {} is not a time of day", args.learn_at))
            .hint("write it as HH:MM, for example 03:00")
    })?;
    let program = std::env::current_exe()
        .map_err(|e| CliError::internal(format!("cannot find pai's own path: {e}")))?;
    let mut learn_args = vec!["--since".to_string(), "--from-notes".to_string()];
    for repo in &args.from_git {
        let repo = std::fs::canonicalize(repo)
            .map_err(|e| CliError::user(format!("cannot use {}: {e}", repo.display())))?;
        learn_args.push("--from-git".into());
        learn_args.push(repo.to_string_lossy().into_owned());
    }
    let plan = Plan {
        program,
        learn_args,
        learn_at,
        pai_home: std::env::var_os("PAI_HOME")
            .filter(|h| !h.is_empty())
            .map(|_| ctx.paths.data_dir.clone()),
    };
    let (dir, files) = if cfg!(target_os = "macos") {
        (
            folder(service::launchd_dir())?,
            service::launchd_agents(&plan),
        )
    } else {
        (
            folder(service::systemd_dir())?,
            service::systemd_units(&plan),
        )
    };
    let written = service::write(&dir, &files)?;
    for path in &written {
        println!("{}", path.display());
    }
    if args.no_enable {
        eprintln!(
            "pai: wrote {} files; nothing was started (--no-enable)",
            written.len()
        );
        return Ok(());
    }
    if cfg!(target_os = "macos") {
        for path in &written {
            manager("launchctl", &["load", "-w", &path.to_string_lossy()])?;
        }
    } else {
        manager("systemctl", &["--user", "daemon-reload"])?;
        manager(
            "systemctl",
            &[
                "--user",
                "enable",
                "--now",
                service::WATCH_UNIT,
                service::LEARN_TIMER,
            ],
        )?;
    }
    eprintln!(
        "pai: the index is watched, and `pai learn` runs every night at {:02}:{:02}",
        learn_at.0, learn_at.1
    );
    Ok(())
}

fn uninstall(args: &UninstallArgs) -> Result<(), CliError> {
    let macos = cfg!(target_os = "macos");
    let (dir, names): (PathBuf, &[&str]) = if macos {
        (
            folder(service::launchd_dir())?,
            &[service::WATCH_AGENT, service::LEARN_AGENT],
        )
    } else {
        (
            folder(service::systemd_dir())?,
            &[
                service::WATCH_UNIT,
                service::LEARN_UNIT,
                service::LEARN_TIMER,
            ],
        )
    };
    if !args.no_enable {
        stop(macos, &dir, names);
    }
    let removed = service::remove(&dir, names)?;
    for path in &removed {
        println!("{}", path.display());
    }
    if !macos && !args.no_enable && !removed.is_empty() {
        let _ = manager("systemctl", &["--user", "daemon-reload"]);
    }
    eprintln!("pai: removed {} files", removed.len());
    Ok(())
}

/// Stops the jobs before their files go; a job that is not running is no error.
fn stop(macos: bool, dir: &Path, names: &[&str]) {
    for name in names {
        let _ = if macos {
            manager(
                "launchctl",
                &["unload", "-w", &dir.join(name).to_string_lossy()],
            )
        } else {
            manager("systemctl", &["--user", "disable", "--now", name])
        };
    }
}

fn folder(dir: Option<PathBuf>) -> Result<PathBuf, CliError> {
    dir.ok_or_else(|| {
        CliError::user("there is no home folder to install the background jobs into")
            .hint("set HOME (or XDG_CONFIG_HOME)")
    })
}

/// Runs the service manager; its failure is pai's, with the command to retry.
fn manager(program: &str, args: &[&str]) -> Result<(), CliError> {
    let line = format!("{program} {}", args.join(" "));
    let status = Process::new(program).args(args).status().map_err(|e| {
        CliError::user(format!("cannot run {program}: {e}")).hint(format!(
            "the files are written; run `{line}` where {program} works"
        ))
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(CliError::user(format!("`{line}` failed")).hint(
            "the files are written; fix the service manager and run it again, or pass --no-enable",
        ))
    }
}
