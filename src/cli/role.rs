//! `pai role …`: the roles pai can answer as (docs/roles.md). Reading roles opens no model,
//! index or database.
use std::io::Write;

use serde_json::json;

use super::Ctx;
use crate::cli::error::CliError;
use crate::render::{escape_json, sanitize, sanitize_line};
use crate::roles::{self, Origin};

/// Specialists for recurring jobs: markdown files with TOML front matter (docs/roles.md).
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    List(ListArgs),
    Show(ShowArgs),
}

/// List the roles: name, description, and where each comes from (shipped, or your file in
/// `roles/` beside config.toml, which overrides a shipped role of the same name).
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print a JSON array of {name, description, source, path}.
    #[arg(long)]
    pub json: bool,
}

/// Print a role's file: its front matter and its prompt.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The role's name, from `pai role list`.
    #[arg(value_name = "NAME")]
    pub name: String,
}

pub fn run(ctx: &Ctx, command: &Command) -> Result<(), CliError> {
    match command {
        Command::List(args) => list(ctx, args),
        Command::Show(args) => show(ctx, args),
    }
}

fn list(ctx: &Ctx, args: &ListArgs) -> Result<(), CliError> {
    let roles = roles::list(&ctx.paths.config_dir)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let items: Vec<_> = roles
            .iter()
            .map(|r| {
                let (source, path) = match &r.origin {
                    Origin::Shipped => ("shipped", None),
                    Origin::User(path) => ("user", Some(path.display().to_string())),
                };
                json!({"name": r.name, "description": r.description, "source": source, "path": path})
            })
            .collect();
        writeln!(
            out,
            "{}",
            escape_json(&serde_json::Value::from(items).to_string())
        )?;
        return Ok(());
    }
    let width = roles.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for r in &roles {
        writeln!(
            out,
            "{:<width$}  {}  ({})",
            sanitize_line(&r.name),
            sanitize_line(&r.description),
            sanitize_line(&r.source())
        )?;
    }
    if roles.iter().all(|r| r.origin == Origin::Shipped) {
        eprintln!(
            "pai: add your own as {}/NAME.md",
            roles::user_dir(&ctx.paths.config_dir).display()
        );
    }
    Ok(())
}

fn show(ctx: &Ctx, args: &ShowArgs) -> Result<(), CliError> {
    let role = roles::find(&ctx.paths.config_dir, &args.name)?;
    if let Origin::User(path) = &role.origin {
        eprintln!("pai: {}", sanitize_line(&path.display().to_string()));
    }
    let mut out = std::io::stdout().lock();
    write!(out, "{}", sanitize(&role.text))?;
    if !role.text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}
