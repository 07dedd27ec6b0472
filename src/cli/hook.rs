//! `pai hook`: installs the prepare-commit-msg hook that fills in commit messages, removes it
//! again, and `pai hook run`, which the hook calls. `run` always succeeds: a commit must never
//! fail because of pai.
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::commit;
use super::Ctx;
use crate::cli::error::CliError;
use crate::config::Config;
use crate::git::{self, hook};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Install(InstallArgs),
    Uninstall(UninstallArgs),
    Run(RunArgs),
}

/// Add the prepare-commit-msg hook to this repository: `git commit` then opens the editor with
/// a message written from the staged changes.
///
/// Honours core.hooksPath. An existing hook is kept and runs first; `pai hook uninstall` puts
/// it back. The hook leaves -m, -F, merges, squashes, amends, rebases and cherry-picks alone,
/// gives up after [hook] timeout_s seconds (default 30), and never makes a commit fail.
#[derive(Debug, clap::Args)]
pub struct InstallArgs {}

/// Remove pai's hook from this repository and restore the hook it replaced.
#[derive(Debug, clap::Args)]
pub struct UninstallArgs {}

/// What the hook script calls: writes a message above git's comment lines in MSGFILE. Always
/// exits 0.
#[derive(Debug, clap::Args)]
#[command(hide = true)]
pub struct RunArgs {
    pub msg_file: PathBuf,
    #[arg(default_value = "")]
    pub source: String,
    #[arg(default_value = "")]
    pub sha: String,
}

pub fn run(ctx: &Ctx, command: &Command) -> Result<(), CliError> {
    match command {
        Command::Install(_) => install(),
        Command::Uninstall(_) => uninstall(),
        Command::Run(args) => {
            fill(ctx, args);
            Ok(())
        }
    }
}

fn install() -> Result<(), CliError> {
    git::git_dir()?;
    let dir = git::hooks_dir()?;
    let path = dir.join(hook::NAME);
    match hook::install(&dir)? {
        hook::Installed::Fresh => eprintln!("pai: installed {}", path.display()),
        hook::Installed::Chained => eprintln!(
            "pai: installed {}; the hook that was there is kept as {} and runs first",
            path.display(),
            hook::CHAINED
        ),
        hook::Installed::AlreadyThere => {
            eprintln!("pai: the hook is already installed at {}", path.display())
        }
    }
    Ok(())
}

fn uninstall() -> Result<(), CliError> {
    git::git_dir()?;
    let dir = git::hooks_dir()?;
    match hook::uninstall(&dir)? {
        Some(restored) => eprintln!(
            "pai: removed pai's hook and restored the one that was there, {}",
            restored.display()
        ),
        None => eprintln!("pai: removed {}", dir.join(hook::NAME).display()),
    }
    Ok(())
}

/// Writes the message, or explains on stderr why not; never fails.
fn fill(ctx: &Ctx, args: &RunArgs) {
    // The script checks these too; a hand-written hook that calls `pai hook run` may not.
    if !args.source.is_empty() || git::git_dir().is_ok_and(|d| git::in_progress(&d)) {
        return;
    }
    let (timeout, role) = match Config::load(&ctx.paths.config_file()) {
        Ok(c) => (c.hook.timeout_s, c.hook.role),
        Err(e) => return skip(&e.message),
    };
    let timeout = Duration::from_secs_f64(timeout.clamp(0.0, 86_400.0));
    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    let verbose = ctx.verbose;
    let paths = ctx.paths.clone();
    // The model runs on its own thread so that the time limit holds even inside llama.cpp;
    // past it, the process ends and takes the thread with it.
    std::thread::spawn(move || {
        let ctx = Ctx { paths, verbose };
        let args = commit::Args {
            role: super::runtime::RoleArgs { role },
            ..commit::Args::default()
        };
        let _ = tx.send(commit::message(&ctx, &args));
    });
    match rx.recv_timeout(timeout) {
        Ok(Ok(message)) => {
            if let Err(e) = hook::fill(&args.msg_file, &message) {
                skip(&e.to_string());
            } else if verbose {
                eprintln!(
                    "pai: message written in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Ok(Err(e)) => skip(&e.message),
        Err(_) => {
            skip(&format!(
                "no message after {:.0} s ([hook] timeout_s in config.toml)",
                timeout.as_secs_f64()
            ));
            // Ends the process with the model thread still running; 0 keeps the commit going.
            std::process::exit(0);
        }
    }
}

fn skip(why: &str) {
    eprintln!(
        "pai: no commit message written ({}); write your own",
        crate::render::sanitize_line(why)
    );
}
