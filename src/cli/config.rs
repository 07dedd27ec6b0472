//! `pai config …`: where the configuration lives and what it says.
use std::io::Write;

use super::Ctx;
use crate::cli::error::CliError;
use crate::config::{Config, EXAMPLE};

/// Show where pai's configuration is and what it says.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print the path of config.toml (it may not exist yet).
    Path,
    /// Print the effective configuration: defaults, then config.toml, then PAI_MODEL.
    Show,
    /// Print a commented example config.toml with every setting and its default.
    Example,
    /// Write the commented example to config.toml and a profile.md template, leaving existing files alone.
    Init,
}

pub fn run(ctx: &Ctx, command: &Command) -> Result<(), CliError> {
    let path = ctx.paths.config_file();
    let mut out = std::io::stdout().lock();
    match command {
        Command::Path => writeln!(out, "{}", path.display())?,
        Command::Show => {
            let config = Config::load(&path)?;
            let source = if path.exists() {
                ""
            } else {
                " (not there: defaults apply)"
            };
            writeln!(out, "# {}{source}", path.display())?;
            write!(out, "{}", config.to_toml())?;
        }
        Command::Example => write!(out, "{EXAMPLE}")?,
        Command::Init => {
            if path.exists() {
                return Err(CliError::user(format!(
                    "{} already exists; pai leaves it as it is",
                    path.display()
                )));
            }
            crate::paths::write_atomically(&path, EXAMPLE.as_bytes())?;
            eprintln!("pai: wrote {}", path.display());
        }
    }
    Ok(())
}
