//! `pai remember`: keep a fact about the user. It joins the prompt of later questions that
//! share words with it (docs/roles.md, "Memory"); `pai memory` lists, searches, edits and
//! forgets what was kept.
use std::io::{Read, Write};

use super::Ctx;
use crate::cli::error::CliError;
use crate::store::memory::{Remembered, CLI, MAX_CHARS};
use crate::store::Store;

/// Remember a fact about you; pai puts it in front of the model when a question is about it.
///
/// Prints the new memory's ID.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The fact, in your own words (several words are joined with spaces); `-` reads it from stdin.
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let text = if args.text == ["-"] {
        read_stdin()?
    } else {
        args.text.join(" ")
    };
    let store = Store::open(&ctx.paths.database_file())?;
    let remembered = store.remember(&text, CLI)?;
    writeln!(std::io::stdout().lock(), "{}", remembered.id())?;
    if let Remembered::Already(id) = remembered {
        eprintln!("pai: that was already remembered, as memory {id}");
    }
    Ok(())
}

/// stdin's text; a little more than a memory may hold is read, so that too much is reported.
fn read_stdin() -> Result<String, CliError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take((MAX_CHARS as u64 + 1) * 4)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::user(format!("cannot read stdin: {e}")))?;
    String::from_utf8(bytes).map_err(|_| CliError::user("stdin is not UTF-8 text"))
}
