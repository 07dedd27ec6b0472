//! The catalog's side of `pai model`: `search`, and `pull NAME` turned into a URL and a
//! checksum. What the catalog holds is `models::catalog`'s; here it is shown and looked up.
use std::io::Write;

use super::Ctx;
use crate::cli::error::CliError;
use crate::config::Config;
use crate::models::catalog::{Catalog, CatalogEntry};

/// Search the catalog of well-known GGUF builds that `pai model pull NAME` can fetch.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Words that must all appear in the name, kind, license, template or purpose (none: all).
    pub words: Vec<String>,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// What `pull NAME` downloads.
pub struct Resolved {
    pub url: String,
    /// None when the catalog does not know the file's hash.
    pub sha256: Option<String>,
    pub name: String,
}

fn open(ctx: &Ctx) -> Result<(Catalog, Config), CliError> {
    let config = Config::load(&ctx.paths.config_file())?;
    Ok((Catalog::load(config.catalog.file.as_deref())?, config))
}

pub fn search(ctx: &Ctx, args: &SearchArgs) -> Result<(), CliError> {
    let (catalog, _) = open(ctx)?;
    let found = catalog.search(&args.words);
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_value(&found).unwrap_or_default())?;
        return Ok(());
    }
    if found.is_empty() {
        eprintln!("pai: nothing in the catalog matches; `pai model search` lists it all");
        return Ok(());
    }
    writeln!(
        out,
        "{:<30} {:<8} {:>9} {:>8}  GOOD FOR",
        "NAME (pai model pull NAME)", "KIND", "SIZE", "CONTEXT"
    )?;
    for m in found {
        writeln!(
            out,
            "{:<30} {:<8} {:>9} {:>8}  {}",
            m.name,
            m.kind,
            human_size(m),
            m.context,
            m.good_for
        )?;
    }
    Ok(())
}

/// `pull NAME`: the catalog's URL (with the configured base) and its sha256. An unknown name
/// is an error listing the closest ones.
pub fn resolve(ctx: &Ctx, name: &str) -> Result<Resolved, CliError> {
    let (catalog, config) = open(ctx)?;
    let Some(entry) = catalog.get(name) else {
        let shown = crate::render::sanitize_line(name);
        return Err(CliError::user(format!(
            "there is no model named '{shown}' in the catalog (closest: {})",
            catalog.closest(name).join(", ")
        ))
        .hint("`pai model search WORDS` lists the catalog; a URL of a .gguf file works too"));
    };
    if entry.sha256.is_empty() {
        eprintln!(
            "pai: the catalog has no sha256 for {}: the download cannot be verified (pass --sha256 if you know it)",
            entry.name
        );
    }
    Ok(Resolved {
        url: entry.url_from(config.catalog.url.as_deref()),
        sha256: (!entry.sha256.is_empty()).then(|| entry.sha256.clone()),
        name: entry.name.clone(),
    })
}

fn human_size(m: &CatalogEntry) -> String {
    let about = if m.sha256.is_empty() { "~" } else { "" };
    format!("{about}{:.0} MB", m.size as f64 / 1e6)
}
