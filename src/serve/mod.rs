//! `pai serve`: an OpenAI-compatible HTTP server (axum on a single-threaded tokio runtime) in
//! front of one model on one engine thread. This file binds, routes and shuts down cleanly on
//! SIGTERM or Ctrl-C; everything it says goes to `tracing` (the command line shows it).
//!
//! The parts, from the network in: `guard` decides who may ask; `chat`, `completions`,
//! `embeddings` and `models` are the endpoints, reading requests with `api` and `fields`
//! (through `request`), and answering with `reply`; `error` is the one shape of every error.
//! A request's work goes to the engine thread (`backend`) as a `job` and comes back as events
//! (`pending`); there `prompt` fits it to the window and `serial` or `batch` runs it. `tiers`
//! sends a chat to a remote tier instead.
mod api;
mod backend;
mod batch;
mod chat;
mod completions;
mod embeddings;
mod error;
mod fields;
mod guard;
mod job;
mod models;
mod pending;
mod prompt;
mod reply;
mod request;
mod serial;
mod state;
mod tiers;
mod tools;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

pub use backend::{is_encoder, Backend, BackendConfig};
pub use guard::Policy;
pub use prompt::ContextLimits;
pub use state::ContextSource;

use fields::Limits;
use state::Shared;

/// Everything `pai serve` was told, already checked by the command line.
pub struct Options {
    pub addr: SocketAddr,
    pub policy: Policy,
    pub max_body: usize,
    pub max_messages: usize,
    /// Where pai's context comes from, and config.toml's `[sampling]`: what a request that
    /// sets nothing gets.
    pub context: ContextSource,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "port {port} on {host} is already in use by another program; pick another with --port"
    )]
    PortInUse { host: String, port: u16 },
    #[error("cannot listen on {addr}: {why}")]
    Bind { addr: SocketAddr, why: String },
    #[error("the model could not be loaded: {0}")]
    Model(crate::error::Error),
    #[error("the server failed: {0}")]
    Runtime(String),
}

/// Binds, loads the model, serves until SIGTERM or Ctrl-C, then lets what is running finish.
/// The address is bound before the model loads, so a port in use fails at once.
pub fn run(
    options: Options,
    backend: impl FnOnce() -> Result<Backend, crate::error::Error>,
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Runtime(e.to_string()))?;
    let addr = options.addr;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .map_err(|e| bind_error(addr, e))?;
    let backend = backend().map_err(ServeError::Model)?;
    let info = backend.info.clone();
    let shared = Arc::new(Shared {
        limits: Limits {
            max_messages: options.max_messages,
            max_tokens: info.window,
            max_stop: 16,
            max_inputs: 2048,
        },
        backend,
        policy: Arc::new(options.policy),
        max_body: options.max_body,
        context: options.context,
        started_unix: state::unix_now(),
    });
    let app = router(shared.clone());
    let local = listener.local_addr().unwrap_or(addr);
    tracing::info!(
        "pai serve: {} ({}-token window{}) on http://{local}/v1{}",
        info.name,
        info.window,
        if info.encoder {
            ", embeddings only"
        } else {
            ""
        },
        if shared.policy.api_key.is_some() {
            ", API key required"
        } else {
            ""
        }
    );
    let served = runtime.block_on(async {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
    });
    tracing::info!("pai serve: requests drained; stopping");
    // Connections are closed; the queue is empty or finishing. End the engine thread.
    drop(runtime);
    shared.backend.shut_down();
    served.map_err(|e| ServeError::Runtime(e.to_string()))
}

fn bind_error(addr: SocketAddr, e: std::io::Error) -> ServeError {
    if e.kind() == std::io::ErrorKind::AddrInUse {
        ServeError::PortInUse {
            host: addr.ip().to_string(),
            port: addr.port(),
        }
    } else {
        ServeError::Bind {
            addr,
            why: e.to_string(),
        }
    }
}

/// SIGTERM or Ctrl-C: stop accepting and drain. A second one ends the process at once.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
        tracing::info!(
            "pai serve: stopping; finishing the requests in flight (again to stop at once)"
        );
        tokio::spawn(async move {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            std::process::exit(crate::error::exit::INTERRUPTED as i32);
        });
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// Every path, and the two fallbacks: whatever the request, an error is a JSON object.
fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/health", get(models::health))
        .route("/v1/models", get(models::models))
        .route("/v1/models/{id}", get(models::model))
        .route("/v1/chat/completions", post(chat::chat_completions))
        .route("/v1/completions", post(completions::completions))
        .route("/v1/embeddings", post(embeddings::embeddings))
        .method_not_allowed_fallback(error::method_not_allowed)
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.policy.clone(),
            guard::check,
        ))
        .layer(axum::middleware::from_fn(guard::access_log))
        .with_state(shared)
}
