//! `pai mcp`: the user's indexed notes for any agent over the Model Context Protocol, on
//! stdin and stdout, one JSON-RPC message per line, or over Streamable HTTP (`http`). `protocol` speaks both eras of the
//! protocol (the 2025 `initialize` handshake and the 2026 per-request envelope), `tools`
//! hands each tool call and resource read to the piece that answers it (`notes`, `context`,
//! `memory`, `resources`, the roles as `prompts`; their schemas in `schema`), `logging` keeps
//! the level a client set and the notifications due, `served` and `confine` decide which
//! files may be served, and `error` how a failure reads to the client. stdout carries only
//! protocol lines; anything else goes to stderr. Built on serde_json alone (why: the
//! decisions in docs/ARCHITECTURE.md).
mod args;
pub mod confine;
mod context;
pub mod error;
pub mod http;
mod logging;
mod memory;
mod notes;
mod prompts;
pub mod protocol;
mod reply;
mod resources;
mod schema;
mod served;
pub mod tools;

use std::io::{BufRead, Write};

use serde_json::Value;

use crate::paths::Paths;
use protocol::{error_line, RpcError, Session, INVALID_REQUEST};

/// The longest message read; a longer line is skipped whole and answered with an error, so
/// one huge line costs neither the memory nor the stream.
pub const MAX_LINE: usize = 1 << 20;

/// Serves until `input` ends.
pub fn serve(paths: Paths, input: impl BufRead, output: impl Write) -> std::io::Result<()> {
    let session = Session::new(tools::Pai::new(paths));
    run(session, input, output)
}

fn run<B: protocol::Backend>(
    mut session: Session<B>,
    mut input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<()> {
    let mut line = Vec::new();
    loop {
        line.clear();
        let (ended, too_long) = read_line(&mut input, &mut line)?;
        if ended && line.is_empty() && !too_long {
            return Ok(());
        }
        let reply = if too_long {
            Some(error_line(
                &Value::Null,
                &RpcError::new(
                    INVALID_REQUEST,
                    format!(
                        "Invalid request: a message is at most {} MiB",
                        MAX_LINE >> 20
                    ),
                ),
            ))
        } else if line.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            session.handle_line(&line)
        };
        for note in session.take_notifications() {
            output.write_all(note.as_bytes())?;
            output.write_all(b"\n")?;
        }
        if let Some(reply) = reply {
            // serde_json escapes C0 controls; DEL, C1 and bidi overrides go out as \u escapes.
            output.write_all(crate::render::escape_json(&reply).as_bytes())?;
            output.write_all(b"\n")?;
            output.flush()?;
        }
        if ended {
            return Ok(());
        }
    }
}

/// One line into `line` (without its newline), keeping at most [`MAX_LINE`] bytes and
/// skipping the rest. Returns (input ended, line was too long).
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<(bool, bool)> {
    let mut too_long = false;
    loop {
        let buf = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((true, too_long));
        }
        let (piece, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !too_long {
            if line.len() + piece.len() > MAX_LINE {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(piece);
            }
        }
        let used = done.unwrap_or(buf.len());
        input.consume(used);
        if done.is_some() {
            return Ok((false, too_long));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_line_is_refused_and_the_stream_goes_on() {
        let mut input = Vec::new();
        input.extend_from_slice(
            b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"",
        );
        input.extend(std::iter::repeat_n(b'a', 3 * MAX_LINE));
        input.extend_from_slice(b"\"}}\n\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");
        let paths = Paths::discover();
        let mut out = Vec::new();
        serve(paths, std::io::BufReader::new(&input[..]), &mut out).unwrap();
        let lines: Vec<Value> = out
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["error"]["code"], INVALID_REQUEST);
        assert_eq!(lines[1]["id"], 2);
        assert_eq!(lines[1]["result"], serde_json::json!({}));
    }
}
