//! `pai completions SHELL`: shell completion scripts, generated from the clap definition.
use clap_complete::Shell;

use crate::cli::error::CliError;

/// Print a completion script for SHELL to stdout.
///
/// Install, for example: `pai completions bash > ~/.local/share/bash-completion/completions/pai`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell: bash, zsh, fish, elvish or powershell.
    pub shell: Shell,
}

pub fn run(args: &Args) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut super::command(), "pai", &mut out);
    Ok(())
}

/// The files under completions/, one per shell.
pub fn files() -> Vec<(String, Vec<u8>)> {
    [
        (Shell::Bash, "pai.bash"),
        (Shell::Zsh, "_pai"),
        (Shell::Fish, "pai.fish"),
        (Shell::Elvish, "pai.elv"),
        (Shell::PowerShell, "_pai.ps1"),
    ]
    .into_iter()
    .map(|(shell, file)| {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut super::command(), "pai", &mut buf);
        (format!("completions/{file}"), buf)
    })
    .collect()
}
