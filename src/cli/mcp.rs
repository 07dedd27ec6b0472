//! `pai mcp`: the Model Context Protocol on stdin and stdout, or over HTTP with `--http`
//! (see docs/mcp.md). The HTTP flags follow `pai serve`'s safety rules: loopback unless a
//! key is given.
use std::path::PathBuf;

use super::serve::{read_key, resolve};
use super::Ctx;
use crate::cli::error::CliError;
use crate::mcp::http::{self, HttpError, Options, ENDPOINT};

/// Serve the indexed notes to AI agents over the Model Context Protocol.
///
/// Register it with a client as the command `pai` with the argument `mcp`. Tools: search,
/// read_note, context, remember, recall; the indexed files are resources; the roles are
/// prompts. Private sources are never served. Exits when stdin closes. With --http it
/// serves MCP's Streamable HTTP transport on http://HOST:PORT/mcp instead, until Ctrl-C.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Serve over HTTP (Streamable HTTP, one endpoint: /mcp) instead of stdin and stdout.
    #[arg(long)]
    pub http: bool,
    /// With --http: the address to listen on; anything but a loopback address needs
    /// --api-key-file.
    #[arg(
        long,
        default_value = "127.0.0.1",
        value_name = "ADDR",
        requires = "http"
    )]
    pub host: String,
    /// With --http: the port to listen on.
    #[arg(long, default_value_t = 8081, value_name = "PORT", requires = "http")]
    pub port: u16,
    /// With --http: a file holding the key clients must send as `Authorization: Bearer KEY`.
    #[arg(long, value_name = "FILE", requires = "http")]
    pub api_key_file: Option<PathBuf>,
    /// With --http: a name or address clients may use in the Host header besides localhost,
    /// loopback addresses and --host (repeatable); others are refused, against DNS rebinding.
    #[arg(long, value_name = "NAME", requires = "http")]
    pub allow_host: Vec<String>,
    /// With --http: the origin of a web page that may call the server, such as
    /// http://localhost:3000 (repeatable); pages of other origins are refused.
    #[arg(long, value_name = "ORIGIN", requires = "http")]
    pub allow_origin: Vec<String>,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    if args.http {
        return run_http(ctx, args);
    }
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    match crate::mcp::serve(ctx.paths.clone(), stdin, stdout) {
        Ok(()) => Ok(()),
        // The client went away mid-answer: nothing is left to say to it.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::internal(format!("pai mcp: {e}"))),
    }
}

fn run_http(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let addr = resolve(&args.host, args.port)?;
    let api_key = match &args.api_key_file {
        Some(path) => Some(read_key(path)?),
        None => None,
    };
    if !addr.ip().is_loopback() && api_key.is_none() {
        return Err(CliError::user(format!(
            "refusing to listen on {addr} without an API key: anyone who can reach this machine could read your notes"
        ))
        .hint("pass --api-key-file FILE, or listen on 127.0.0.1"));
    }
    for origin in &args.allow_origin {
        if !(origin.starts_with("http://") || origin.starts_with("https://")) {
            return Err(CliError::user(format!(
                "--allow-origin {origin} is not an origin such as http://localhost:3000"
            )));
        }
    }
    let mut allowed_hosts = args.allow_host.clone();
    allowed_hosts.push(args.host.clone());
    allowed_hosts.push(addr.ip().to_string());
    let options = Options {
        addr,
        api_key,
        allowed_hosts,
        allowed_origins: args.allow_origin.clone(),
        any_ip: addr.ip().is_unspecified(),
    };
    let listening = |local: std::net::SocketAddr| {
        eprintln!("pai mcp: listening on http://{local}{ENDPOINT} (Ctrl-C to stop)");
    };
    http::serve(ctx.paths.clone(), options, listening).map_err(|e| match e {
        HttpError::Runtime(_) => CliError::internal(e.to_string()),
        _ => CliError::user(e.to_string()),
    })
}
