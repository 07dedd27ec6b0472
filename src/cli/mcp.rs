//! `pai mcp`: the Model Context Protocol on stdin and stdout (see docs/mcp.md).
use super::Ctx;
use crate::cli::error::CliError;

/// Serve the indexed notes to AI agents over the Model Context Protocol on stdin/stdout.
///
/// Register it with a client as the command `pai` with the argument `mcp`. Tools: search,
/// read_note, context; the indexed files are resources. Private sources are never served.
/// Exits when stdin closes.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Ctx, _args: &Args) -> Result<(), CliError> {
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    match crate::mcp::serve(ctx.paths.clone(), stdin, stdout) {
        Ok(()) => Ok(()),
        // The client went away mid-answer: nothing is left to say to it.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::internal(format!("pai mcp: {e}"))),
    }
}
