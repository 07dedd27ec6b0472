//! `pai serve`: the command line of the OpenAI-compatible server in `crate::serve`. It checks
//! the flags that make a server safe (an API key before a non-loopback bind), chooses the model
//! and hands over.
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

use super::runtime::ModelArgs;
use super::Ctx;
use crate::cli::error::CliError;
use crate::config::Config;
use crate::pipeline::choose;
use crate::serve::{
    is_encoder, Backend, BackendConfig, ContextLimits, ContextSource, Options, Policy, ServeError,
};

/// Serve the model over an OpenAI-compatible HTTP API (see docs/serve.md).
///
/// Listens on 127.0.0.1 unless told otherwise; any other address needs --api-key-file. Models:
/// the model's name, and `pai-notes`, which adds your profile, remembered facts and excerpts
/// from your index. SIGTERM or Ctrl-C finishes the requests in flight, then exits.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The address to listen on; anything but a loopback address needs --api-key-file.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub host: String,
    /// The port to listen on.
    #[arg(long, default_value_t = 8080, value_name = "PORT")]
    pub port: u16,
    /// A file holding the API key that clients must send as `Authorization: Bearer KEY`.
    #[arg(long, value_name = "FILE")]
    pub api_key_file: Option<PathBuf>,
    /// Answers generated at once, batched in one context (each with the --ctx window); a
    /// sentence encoder takes 1 (it embeds all of a request's inputs in one batch), and its --ctx is
    /// the most tokens an input may have.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub parallel: u32,
    /// Requests that may wait while one runs; more get 429 with Retry-After.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub queue: usize,
    /// An origin that browsers may call from, such as http://localhost:3000 (repeatable).
    #[arg(long, value_name = "ORIGIN")]
    pub cors_origin: Vec<String>,
    /// A name or address clients may use in the Host header besides localhost, loopback
    /// addresses and --host (repeatable); others are refused, against DNS rebinding.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Write prompts and answers to the access log on stderr (off: only sizes and timings).
    #[arg(long)]
    pub log_bodies: bool,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// The largest request body; bigger ones get 413.
const MAX_BODY: usize = 4 << 20;
/// The most messages in one chat request.
const MAX_MESSAGES: usize = 1024;

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    if let Some(name) = &args.model.endpoint {
        return Err(CliError::user(format!(
            "pai serve runs a local model; serving endpoint '{name}' through it is not implemented"
        ))
        .hint("point clients at the endpoint itself, or pass --model"));
    }
    if args.model.tier.is_some() {
        return Err(CliError::user(
            "pai serve answers with its local model; a client picks a tier per request",
        )
        .hint("ask for the model `pai-medium` or `pai-large` (docs/router.md)"));
    }
    let addr = resolve(&args.host, args.port)?;
    if !(1..=64).contains(&args.parallel) {
        return Err(CliError::user(format!(
            "--parallel {} must be between 1 and 64",
            args.parallel
        )));
    }
    let api_key = match &args.api_key_file {
        Some(path) => Some(read_key(path)?),
        None => None,
    };
    if !addr.ip().is_loopback() && api_key.is_none() {
        return Err(CliError::user(format!(
            "refusing to listen on {addr} without an API key: anyone who can reach this machine could use it"
        ))
        .hint("pass --api-key-file FILE, or listen on 127.0.0.1"));
    }
    for origin in &args.cors_origin {
        if origin != "*" && !(origin.starts_with("http://") || origin.starts_with("https://")) {
            return Err(CliError::user(format!(
                "--cors-origin {origin} is not an origin such as http://localhost:3000"
            )));
        }
    }
    if !args.model.lora.is_empty() {
        // Requests could ask for adapters of their own; until the server carries a set per
        // request (and per slot with --parallel), it takes none rather than ignore the flag.
        return Err(CliError::user("pai serve does not apply LoRA adapters yet")
            .hint("leave out --lora; `pai ask` and `pai chat` take it"));
    }
    let config = Config::load(&ctx.paths.config_file())?;
    let chosen = choose::choose_model(
        args.model.model.as_deref(),
        &config,
        &ctx.paths.registry_file(),
    )?;
    crate::models::registry::check_file(&chosen.path)?;
    let sentence_encoder = is_encoder(&chosen.path);
    if sentence_encoder && args.parallel != 1 {
        return Err(CliError::user(format!(
            "--parallel {} is for models that generate text; {} is a sentence encoder, which embeds all of a request's inputs in one batch",
            args.parallel, chosen.name
        ))
        .hint("leave out --parallel"));
    }
    let mut allowed_hosts = args.allow_host.clone();
    allowed_hosts.push(args.host.clone());
    allowed_hosts.push(addr.ip().to_string());
    let backend = BackendConfig {
        chosen,
        gpu_layers: args.model.gpu_layers.or(config.gpu_layers),
        verbose: ctx.verbose,
        // config.toml's ctx sizes a chat model's window; an encoder reads its own default
        // length of each input unless --ctx says otherwise.
        ctx: if sentence_encoder {
            args.model.ctx
        } else {
            args.model.ctx.or(config.ctx)
        },
        // A server runs for hours: how busy the machine is the moment it starts (what
        // `default_threads` looks at) says nothing about later, so it takes every core.
        threads: args.model.threads.or(config.threads).unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get() as u32)
                .unwrap_or(4)
        }),
        limits: ContextLimits {
            retrieval_tokens: config.context.retrieval_tokens,
            memory_tokens: config.context.memory_tokens,
        },
        queue: args.queue,
        parallel: args.parallel,
    };
    let options = Options {
        addr,
        policy: Policy {
            api_key,
            allowed_hosts,
            any_ip: addr.ip().is_unspecified(),
            cors_origins: args.cors_origin.clone(),
            log_bodies: args.log_bodies,
        },
        max_body: MAX_BODY,
        max_messages: MAX_MESSAGES,
        context: ContextSource {
            paths: ctx.paths.clone(),
            config,
            encoder: Default::default(),
        },
    };
    show_the_log();
    crate::serve::run(options, move || Backend::start(backend)).map_err(|e| match e {
        ServeError::Model(load) => {
            let mut e = CliError::from(load);
            e.message = format!("the model could not be loaded: {}", e.message);
            e.hint("run `pai doctor` to check the model files")
        }
        _ => CliError::user(e.to_string()),
    })
}

/// The server says what it does through `tracing`: where it listens, one line per request
/// and per answer, when it stops. Those lines go to stderr as they are, without levels or
/// times (the access log has its own), and nothing from the rest of pai or from llama.cpp
/// does. With --verbose the front end's subscriber shows them, and more, already.
fn show_the_log() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let only_serve =
        tracing_subscriber::filter::Targets::new().with_target("pai::serve", tracing::Level::INFO);
    let log = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .with_level(false)
        .without_time();
    // Fails only when a subscriber is set: --verbose's, which shows these lines too.
    let _ = tracing_subscriber::registry()
        .with(log)
        .with(only_serve)
        .try_init();
}

pub(super) fn resolve(host: &str, port: u16) -> Result<SocketAddr, CliError> {
    let mut addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| CliError::user(format!("cannot listen on {host}: {e}")))?;
    addrs
        .next()
        .ok_or_else(|| CliError::user(format!("{host} has no address to listen on")))
}

pub(super) fn read_key(path: &std::path::Path) -> Result<String, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::user(format!(
            "cannot read the API key file {}: {e}",
            path.display()
        ))
    })?;
    let key = text.trim();
    if key.is_empty() {
        return Err(CliError::user(format!(
            "the API key file {} is empty",
            path.display()
        )));
    }
    Ok(key.to_string())
}
