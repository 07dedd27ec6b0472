//! `pai memory …`: what `pai remember` kept. Listing and searching never create the database;
//! text is printed through `render::sanitize_line` (JSON escapes control characters), since a
//! memory may have come from an MCP client as well as from the user.
use std::io::Write;
use std::process::Command as Process;

use super::history::{existing, local_time, to_json};
use super::Ctx;
use crate::cli::error::CliError;
use crate::render::sanitize_line;
use crate::store::memory::{no_such_memory, Memory};

/// List, search, edit and forget what `pai remember` kept.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    List(ListArgs),
    Search(SearchArgs),
    /// Delete a memory: it leaves the database and no prompt reads it again.
    Forget(IdArg),
    /// Change a memory's text in $VISUAL or $EDITOR (an empty text changes nothing).
    Edit(IdArg),
}

/// List every memory, oldest first.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print a JSON array of {id, text, created, source} instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Find memories that contain every given word (case and accents ignored, word forms folded:
/// "codes" finds "code"), best match first.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The words to look for.
    #[arg(required = true, num_args = 1.., value_name = "WORDS")]
    pub words: Vec<String>,
    /// Print a JSON array of {id, text, created, source} instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// A memory's number, as `pai memory list` shows it.
#[derive(Debug, clap::Args)]
pub struct IdArg {
    /// The memory's ID.
    pub id: i64,
}

pub fn run(ctx: &Ctx, command: &Command) -> Result<(), CliError> {
    match command {
        Command::List(args) => list(ctx, args),
        Command::Search(args) => search(ctx, args),
        Command::Forget(args) => forget(ctx, args.id),
        Command::Edit(args) => edit(ctx, args.id),
    }
}

fn list(ctx: &Ctx, args: &ListArgs) -> Result<(), CliError> {
    let memories = match existing(ctx)? {
        Some(store) => store.memories()?,
        None => Vec::new(),
    };
    if memories.is_empty() && !args.json {
        eprintln!("pai: nothing remembered yet; `pai remember \"…\"` keeps a fact");
        return Ok(());
    }
    print(&memories, args.json)
}

fn search(ctx: &Ctx, args: &SearchArgs) -> Result<(), CliError> {
    let words = args.words.join(" ");
    let found = match existing(ctx)? {
        Some(store) => store.search_memories(&words, 50)?,
        None => Vec::new(),
    };
    if found.is_empty() && !args.json {
        eprintln!("pai: no memory contains {}", sanitize_line(&words));
        return Ok(());
    }
    print(&found, args.json)
}

/// A table (ID, when, where from, the text on one line) or the JSON array.
fn print(memories: &[Memory], json: bool) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", to_json(&memories))?;
        return Ok(());
    }
    writeln!(out, "{:>5}  {:<16}  {:<6}  TEXT", "ID", "CREATED", "SOURCE")?;
    for m in memories {
        writeln!(
            out,
            "{:>5}  {:<16}  {:<6}  {}",
            m.id,
            local_time(&m.created),
            sanitize_line(&m.source),
            sanitize_line(&m.text)
        )?;
    }
    Ok(())
}

fn forget(ctx: &Ctx, id: i64) -> Result<(), CliError> {
    let store = existing(ctx)?.ok_or_else(|| no_such_memory(id))?;
    if !store.forget(id)? {
        return Err(no_such_memory(id).into());
    }
    eprintln!("pai: forgot memory {id}");
    Ok(())
}

/// Opens the memory's text in the user's editor and keeps what they save.
fn edit(ctx: &Ctx, id: i64) -> Result<(), CliError> {
    let store = existing(ctx)?.ok_or_else(|| no_such_memory(id))?;
    let memory = store.memory(id)?.ok_or_else(|| no_such_memory(id))?;
    let edited = edit_in_editor(&memory.text)?;
    let edited = edited.trim();
    if edited.is_empty() {
        eprintln!(
            "pai: the text came back empty, so memory {id} is unchanged; `pai memory forget {id}` removes it"
        );
        return Ok(());
    }
    if edited == memory.text {
        eprintln!("pai: memory {id} is unchanged");
        return Ok(());
    }
    if !store.edit_memory(id, edited)? {
        // Forgotten by another process while the editor was open.
        return Err(no_such_memory(id).into());
    }
    eprintln!("pai: memory {id} changed");
    Ok(())
}

/// `text` in a private temporary file, `$VISUAL` or `$EDITOR` run on it (through `sh`, so
/// that `code --wait` works), and what the file holds afterwards.
fn edit_in_editor(text: &str) -> Result<String, CliError> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|e| !e.is_empty())
        .ok_or_else(|| {
            CliError::user("there is no editor to open: $VISUAL and $EDITOR are not set")
                .hint("EDITOR=vim pai memory edit ID")
        })?;
    // tempfile creates the file with mode 0600: the memory stays the user's alone.
    let mut file = tempfile::Builder::new()
        .prefix("pai-memory-")
        .suffix(".txt")
        .tempfile()?;
    writeln!(file, "{text}")?;
    file.flush()?;
    let status = Process::new("sh")
        .arg("-c")
        .arg(format!("{} \"$1\"", editor.to_string_lossy()))
        .arg("sh")
        .arg(file.path())
        .status()
        .map_err(|e| CliError::user(format!("cannot run the editor: {e}")))?;
    if !status.success() {
        return Err(CliError::user(format!(
            "the editor ({}) failed ({status}); the memory is unchanged",
            sanitize_line(&editor.to_string_lossy())
        )));
    }
    std::fs::read_to_string(file.path())
        .map_err(|e| CliError::user(format!("cannot read the edited text: {e}")))
}
