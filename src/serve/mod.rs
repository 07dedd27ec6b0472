//! `pai serve`: an OpenAI-compatible HTTP server (axum on a single-threaded tokio runtime) in
//! front of one model on one engine thread. `api` reads requests and writes responses in
//! OpenAI's format, `guard` decides who may ask, `backend` runs the model, and this file
//! routes, streams (SSE) and shuts down cleanly on SIGTERM or Ctrl-C.
pub mod api;
pub mod backend;
pub mod guard;
mod tiers;

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

use api::{ApiError, Limits, SamplingFields};
use backend::{Backend, Event, Gathered, Job, Work};
use guard::{error_response, Policy};

use crate::cancel::CancelToken;
use crate::context::Excerpt;
use crate::engine::{GenerateParams, Generation, Sampling};

/// The model id that adds pai's own context (profile, remembered facts, excerpts from the
/// index).
pub const NOTES_ALIAS: &str = "pai-notes";

/// Where pai's own context comes from, for requests that ask for it.
#[derive(Debug, Clone)]
pub struct ContextSource {
    pub paths: crate::paths::Paths,
    pub config: crate::config::Config,
    /// The sentence encoder of semantic sources, loaded by the first request that needs it.
    pub encoder: crate::index::Encoder,
}

/// Everything `pai serve` was told, already checked by the command line.
pub struct Options {
    pub addr: SocketAddr,
    pub policy: Policy,
    pub max_body: usize,
    pub max_messages: usize,
    /// config.toml's sampling and max_tokens: what a request that sets nothing gets.
    pub defaults: crate::config::Sampling,
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
    Model(String),
    #[error("the server failed: {0}")]
    Runtime(String),
}

/// What every handler shares.
pub struct Shared {
    pub backend: Backend,
    pub policy: Policy,
    pub limits: Limits,
    pub max_body: usize,
    pub defaults: crate::config::Sampling,
    pub context: ContextSource,
    pub started_unix: u64,
}

/// Binds, loads the model, serves until SIGTERM or Ctrl-C, then lets what is running finish.
/// The address is bound before the model loads, so a port in use fails at once.
pub fn run(
    options: Options,
    backend: impl FnOnce() -> Result<Backend, String>,
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Runtime(e.to_string()))?;
    let addr = options.addr;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .map_err(|e| {
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
        })?;
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
        policy: options.policy,
        max_body: options.max_body,
        defaults: options.defaults,
        context: options.context,
        started_unix: unix_now(),
    });
    let app = router(shared.clone());
    let local = listener.local_addr().unwrap_or(addr);
    eprintln!(
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
    eprintln!("pai serve: requests drained; stopping");
    // Connections are closed; the queue is empty or finishing. End the engine thread.
    drop(runtime);
    shared.backend.shut_down();
    served.map_err(|e| ServeError::Runtime(e.to_string()))
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
        eprintln!("pai serve: stopping; finishing the requests in flight (again to stop at once)");
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

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/v1/models", get(models))
        .route("/v1/models/{id}", get(model))
        .route("/v1/chat/completions", post(chat_completions))
        .route("/v1/completions", post(completions))
        .route("/v1/embeddings", post(embeddings))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            guard::check,
        ))
        .layer(axum::middleware::from_fn(guard::access_log))
        .with_state(shared)
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

async fn not_found() -> Response {
    error_response(
        &ApiError::new(
            404,
            "invalid_request_error",
            "no such endpoint; see docs/serve.md",
        )
        .code("unknown_url"),
    )
}

async fn health(State(s): State<Arc<Shared>>) -> Json<Value> {
    let st = &s.backend.stats;
    Json(json!({
        "status": "ok",
        "model": s.backend.info.name,
        "window": s.backend.info.window,
        "parallel": s.backend.info.parallel,
        "running": st.running.load(Ordering::SeqCst),
        "waiting": st.waiting.load(Ordering::SeqCst),
        "completed": st.completed.load(Ordering::Relaxed),
        "cancelled": st.cancelled.load(Ordering::Relaxed),
        "rejected": st.rejected.load(Ordering::Relaxed),
        "failed": st.failed.load(Ordering::Relaxed),
        "generated_tokens": st.generated_tokens.load(Ordering::Relaxed),
    }))
}

/// The ids a request may name as `model`.
fn model_ids(s: &Shared) -> Vec<String> {
    let mut ids = vec![s.backend.info.name.clone()];
    if !s.backend.info.encoder {
        ids.push(NOTES_ALIAS.to_string());
    }
    ids.extend(tiers::model_ids(&s.context.config));
    ids
}

fn model_object(s: &Shared, id: &str) -> Value {
    json!({
        "id": id,
        "object": "model",
        "created": s.started_unix,
        "owned_by": "pai",
        "max_model_len": s.backend.info.window,
    })
}

async fn models(State(s): State<Arc<Shared>>) -> Json<Value> {
    let data: Vec<Value> = model_ids(&s)
        .iter()
        .map(|id| model_object(&s, id))
        .collect();
    Json(json!({"object": "list", "data": data}))
}

async fn model(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    if tiers::tier_of(&id, &s.context.config).is_some() {
        return Json(model_object(&s, &id)).into_response();
    }
    match check_model(&s, &id) {
        Ok(_) => Json(model_object(&s, &id)).into_response(),
        Err(e) => error_response(&e),
    }
}

/// Whether `id` is served here, and whether it asks for pai's context.
fn check_model(s: &Shared, id: &str) -> Result<bool, ApiError> {
    if id == s.backend.info.name {
        return Ok(false);
    }
    if id == NOTES_ALIAS && !s.backend.info.encoder {
        return Ok(true);
    }
    Err(ApiError::new(
        404,
        "invalid_request_error",
        format!(
            "the model '{}' is not served here; /v1/models lists {}",
            crate::render::sanitize_line(id),
            model_ids(s).join(", ")
        ),
    )
    .param("model")
    .code("model_not_found"))
}

/// The body, refused with 413 past the limit (before reading it when Content-Length says so)
/// and with 415 unless it is JSON, which no browser sends cross-origin without a preflight.
async fn read_body(
    s: &Shared,
    headers: &HeaderMap,
    body: Body,
) -> Result<axum::body::Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            413,
            "invalid_request_error",
            format!("the body is larger than {} MiB", s.max_body >> 20),
        )
        .code("request_too_large")
    };
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > s.max_body as u64) {
        return Err(too_large());
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json {
        return Err(ApiError::new(
            415,
            "invalid_request_error",
            "the body must be JSON, sent with 'Content-Type: application/json'",
        ));
    }
    axum::body::to_bytes(body, s.max_body)
        .await
        .map_err(|_| too_large())
}

fn params(
    s: &Shared,
    fields: &SamplingFields,
    max_tokens: Option<u32>,
    default_max: u32,
    stop: Vec<String>,
) -> (GenerateParams, bool) {
    let d = &s.defaults;
    let sampling = Sampling {
        temp: fields.temperature.unwrap_or(d.temp),
        top_k: fields.top_k.unwrap_or(d.top_k),
        top_p: fields.top_p.unwrap_or(d.top_p),
        min_p: fields.min_p.unwrap_or(d.min_p),
        repeat_penalty: fields.repeat_penalty.unwrap_or(d.repeat_penalty),
        seed: fields
            .seed
            .or(d.seed)
            .unwrap_or_else(crate::pipeline::settings::random_seed),
    };
    let params = GenerateParams {
        sampling,
        max_tokens: max_tokens.unwrap_or(default_max),
        stop,
        stop_at_end_of_text: !fields.ignore_eos,
        grammar: None,
        adapters: Vec::new(),
    };
    (params, max_tokens.is_some())
}

/// Cancels its job when dropped before the job finished: the client went away.
struct CancelOnDrop {
    cancel: CancelToken,
    done: bool,
    what: &'static str,
    pieces: usize,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if !self.done {
            self.cancel.cancel();
            eprintln!(
                "pai serve: the client went away; {} cancelled after {} pieces",
                self.what, self.pieces
            );
        }
    }
}

/// A queued job's receiving end.
struct Pending {
    events: UnboundedReceiver<Event>,
    guard: CancelOnDrop,
}

fn submit(
    s: &Shared,
    work: Work,
    params: GenerateParams,
    explicit: bool,
    what: &'static str,
) -> Result<Pending, ApiError> {
    let (tx, rx) = unbounded_channel();
    let cancel = CancelToken::new();
    let job = Job {
        work,
        params,
        explicit_max_tokens: explicit,
        cancel: cancel.clone(),
        events: tx,
    };
    s.backend.submit(job)?;
    Ok(Pending {
        events: rx,
        guard: CancelOnDrop {
            cancel,
            done: false,
            what,
            pieces: 0,
        },
    })
}

impl Pending {
    async fn next(&mut self) -> Option<Event> {
        let event = self.events.recv().await;
        match &event {
            Some(Event::Piece(_)) => self.guard.pieces += 1,
            Some(Event::Finished(_) | Event::Failed(_) | Event::Embedded { .. }) | None => {
                self.guard.done = true
            }
            Some(Event::Started { .. }) => {}
        }
        event
    }

    /// Waits for the prompt to be accepted: the status line is decided here.
    async fn started(&mut self) -> Result<(usize, Vec<Excerpt>), ApiError> {
        match self.next().await {
            Some(Event::Started {
                prompt_tokens,
                sources,
            }) => Ok((prompt_tokens, sources)),
            Some(Event::Failed(e)) => Err(e),
            _ => Err(ApiError::internal(
                "the engine stopped before the request started",
            )),
        }
    }
}

fn sources_json(sources: &[Excerpt]) -> Value {
    let list: Vec<Value> = sources
        .iter()
        .enumerate()
        .map(|(i, e)| {
            json!({"n": i + 1, "path": e.path, "start_line": e.start_line, "end_line": e.end_line, "title": e.title, "location": e.location()})
        })
        .collect();
    json!({"sources": list})
}

/// llama-server's `timings` object: what the engine measured, beside OpenAI's usage.
fn timings(g: &Generation) -> Value {
    let round = |x: f64| (x * 100.0).round() / 100.0;
    json!({
        "prompt_n": g.prompt_tokens,
        "cached_n": g.reused_tokens,
        "prompt_ms": round(g.prompt_ms),
        "prompt_per_second": round(g.prompt_tps()),
        "predicted_n": g.generated_tokens,
        "predicted_ms": round(g.generation_ms),
        "predicted_per_second": round(g.generation_tps()),
    })
}

fn log_finish(what: &str, model: &str, prompt_tokens: usize, g: &Generation) {
    eprintln!(
        "pai serve: {what} {model}: {prompt_tokens} prompt tokens ({} from cache), {} generated at {:.1} tok/s, {}",
        g.reused_tokens,
        g.generated_tokens,
        g.generation_tps(),
        api::finish_reason(g.stop_reason)
    );
}

fn log_body(s: &Shared, label: &str, text: &str) {
    if s.policy.log_bodies {
        eprintln!("pai serve: {label}: {}", crate::render::sanitize_line(text));
    }
}

/// Gathers the profile, memories and excerpts for the last user message, off the async
/// thread.
async fn gather(s: &Arc<Shared>, question: String) -> Gathered {
    let source = s.context.clone();
    tokio::task::spawn_blocking(move || {
        let profile = crate::context::read_profile(&source.paths.profile_file());
        let (memories, mut notes) =
            crate::pipeline::gather::memories(&source.paths, &question, &source.config);
        let (excerpts, more) = crate::pipeline::gather::retrieve(
            &source.paths,
            &question,
            &source.config,
            &[],
            &source.encoder,
        );
        notes.extend(more);
        for note in notes {
            eprintln!("pai serve: {}", crate::render::sanitize_line(&note));
        }
        Gathered {
            profile,
            memories,
            excerpts,
        }
    })
    .await
    .unwrap_or_default()
}

fn chat_id() -> String {
    format!("chatcmpl-{:016x}", rand_u64())
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

async fn chat_completions(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match chat_inner(s, headers, body).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

async fn chat_inner(s: Arc<Shared>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let bytes = read_body(&s, &headers, body).await?;
    let request = api::parse_chat(&bytes, &s.limits)?;
    let tier = tiers::tier_of(&request.model, &s.context.config);
    let notes = match tier {
        Some(_) => false,
        None => check_model(&s, &request.model)?,
    };
    if s.backend.info.encoder && tier.is_none() {
        return Err(encoder_only());
    }
    if tier.is_some() && request.grammar.is_some() {
        return Err(ApiError::bad_request(
            "'response_format' is enforced by the local model only; a remote tier is never asked for a constrained answer",
        )
        .param("response_format"));
    }
    log_body(&s, "request", &String::from_utf8_lossy(&bytes));
    let context = if notes || request.pai.context {
        let question = request
            .messages
            .iter()
            .rev()
            .find(|m| m.role == crate::message::Role::User)
            .map(|m| m.content.clone())
            .unwrap_or_default();
        Some(gather(&s, question).await)
    } else {
        None
    };
    let (mut params, explicit) = params(
        &s,
        &request.sampling,
        request.max_tokens,
        s.defaults.max_tokens,
        request.stop,
    );
    params.grammar = request.grammar;
    let mut pending = match tier {
        Some(tier) => {
            let (events, cancel) =
                tiers::submit(&s.context, tier, request.messages, context, params);
            Pending {
                events,
                guard: CancelOnDrop {
                    cancel,
                    done: false,
                    what: "a chat completion",
                    pieces: 0,
                },
            }
        }
        None => {
            let work = Work::Chat {
                messages: request.messages,
                context,
            };
            submit(&s, work, params, explicit, "a chat completion")?
        }
    };
    let (prompt_tokens, sources) = pending.started().await?;
    let reply = Reply {
        id: chat_id(),
        created: unix_now(),
        model: request.model,
        prompt_tokens,
        pai: (!sources.is_empty() || context_asked(notes, request.pai.context))
            .then(|| sources_json(&sources)),
        include_usage: request.include_usage,
        chat: true,
    };
    if request.stream {
        Ok(stream(s, reply, pending))
    } else {
        collect(s, reply, pending).await
    }
}

fn context_asked(notes: bool, asked: bool) -> bool {
    notes || asked
}

fn encoder_only() -> ApiError {
    ApiError::bad_request(
        "this model is a sentence encoder: it embeds text (/v1/embeddings) and cannot chat or complete",
    )
    .param("model")
}

async fn completions(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    match completions_inner(s, headers, body).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

async fn completions_inner(
    s: Arc<Shared>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(&s, &headers, body).await?;
    let request = api::parse_completion(&bytes, &s.limits)?;
    let notes = check_model(&s, &request.model)?;
    if s.backend.info.encoder {
        return Err(encoder_only());
    }
    if notes {
        return Err(ApiError::bad_request(format!(
            "'{NOTES_ALIAS}' adds context to a chat; /v1/completions continues text as it is: use '{}'",
            s.backend.info.name
        ))
        .param("model"));
    }
    log_body(&s, "request", &String::from_utf8_lossy(&bytes));
    let (params, explicit) = params(
        &s,
        &request.sampling,
        request.max_tokens,
        api::COMPLETIONS_DEFAULT_MAX_TOKENS,
        request.stop,
    );
    let work = Work::Complete {
        prompt: request.prompt,
    };
    let mut pending = submit(&s, work, params, explicit, "a completion")?;
    let (prompt_tokens, _) = pending.started().await?;
    let reply = Reply {
        id: format!("cmpl-{:016x}", rand_u64()),
        created: unix_now(),
        model: request.model,
        prompt_tokens,
        pai: None,
        include_usage: request.include_usage,
        chat: false,
    };
    if request.stream {
        Ok(stream(s, reply, pending))
    } else {
        collect(s, reply, pending).await
    }
}

async fn embeddings(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    match embeddings_inner(s, headers, body).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

async fn embeddings_inner(
    s: Arc<Shared>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(&s, &headers, body).await?;
    let request = api::parse_embedding(&bytes, &s.limits)?;
    check_model(&s, &request.model)?;
    let info = &s.backend.info;
    if !info.encoder {
        return Err(ApiError::bad_request(format!(
            "{} generates text and cannot embed; run `pai serve --model` with a sentence encoder GGUF (such as all-MiniLM-L6-v2) for /v1/embeddings",
            info.name
        ))
        .param("model")
        .code("model_not_embedding"));
    }
    if let Some(d) = request.dimensions.filter(|&d| d != info.dimensions as u64) {
        return Err(ApiError::bad_request(format!(
            "'dimensions' is {d}, but {} makes {}-dimensional vectors and pai does not shorten them",
            info.name, info.dimensions
        ))
        .param("dimensions"));
    }
    let (params, _) = params(&s, &SamplingFields::default(), None, 1, Vec::new());
    let work = Work::Embed {
        inputs: request.input,
    };
    let mut pending = submit(&s, work, params, false, "an embedding")?;
    match pending.next().await {
        Some(Event::Embedded { vectors, tokens }) => {
            let data: Vec<Value> = vectors
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let embedding = match request.format {
                        api::EncodingFormat::Float => json!(v),
                        api::EncodingFormat::Base64 => {
                            let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
                            json!(api::base64(&bytes))
                        }
                    };
                    json!({"object": "embedding", "index": i, "embedding": embedding})
                })
                .collect();
            Ok(Json(json!({
                "object": "list",
                "data": data,
                "model": request.model,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }))
            .into_response())
        }
        Some(Event::Failed(e)) => Err(e),
        _ => Err(ApiError::internal("the engine stopped before answering")),
    }
}

/// What every response of one request shares.
struct Reply {
    id: String,
    created: u64,
    model: String,
    prompt_tokens: usize,
    /// pai's extension: the sources used, when the request asked for pai's context.
    pai: Option<Value>,
    include_usage: bool,
    chat: bool,
}

impl Reply {
    fn object(&self, chunk: bool) -> &'static str {
        match (self.chat, chunk) {
            (true, false) => "chat.completion",
            (true, true) => "chat.completion.chunk",
            (false, _) => "text_completion",
        }
    }

    fn chunk(&self, choices: Value) -> Value {
        let mut v = json!({
            "id": self.id,
            "object": self.object(true),
            "created": self.created,
            "model": self.model,
            "choices": choices,
        });
        if self.include_usage {
            v["usage"] = Value::Null;
        }
        v
    }

    fn delta(&self, text: Option<&str>, first: bool, finish: Option<&str>) -> Value {
        let choice = if self.chat {
            let mut delta = json!({});
            if first {
                delta["role"] = json!("assistant");
            }
            if let Some(t) = text {
                delta["content"] = json!(t);
            }
            json!({"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish})
        } else {
            json!({"index": 0, "text": text.unwrap_or(""), "logprobs": null, "finish_reason": finish})
        };
        let mut v = self.chunk(json!([choice]));
        if first {
            if let Some(pai) = &self.pai {
                v["pai"] = pai.clone();
            }
        }
        v
    }
}

async fn collect(s: Arc<Shared>, reply: Reply, mut pending: Pending) -> Result<Response, ApiError> {
    let mut text = String::new();
    let generation = loop {
        match pending.next().await {
            Some(Event::Piece(p)) => text.push_str(&p),
            Some(Event::Finished(g)) => break g,
            Some(Event::Failed(e)) => return Err(e),
            _ => {
                return Err(ApiError::internal(
                    "the engine stopped in the middle of the answer",
                ))
            }
        }
    };
    log_finish(
        reply.object(false),
        &reply.model,
        reply.prompt_tokens,
        &generation,
    );
    log_body(&s, "answer", &text);
    let finish = api::finish_reason(generation.stop_reason);
    let choice = if reply.chat {
        json!({"index": 0, "message": {"role": "assistant", "content": text}, "logprobs": null, "finish_reason": finish})
    } else {
        json!({"index": 0, "text": text, "logprobs": null, "finish_reason": finish})
    };
    let mut body = json!({
        "id": reply.id,
        "object": reply.object(false),
        "created": reply.created,
        "model": reply.model,
        "choices": [choice],
        "usage": api::usage(reply.prompt_tokens, generation.generated_tokens),
        "timings": timings(&generation),
    });
    if let Some(pai) = reply.pai {
        body["pai"] = pai;
    }
    Ok(Json(body).into_response())
}

/// The answer as server-sent events: a first chunk (the role, and pai's sources when asked),
/// one chunk per piece, a last chunk with the finish reason, a usage chunk only when
/// `stream_options.include_usage` asked for one, then `[DONE]`. The stream owns the job's
/// receiver: when the client goes away hyper drops it, and the job is cancelled.
fn stream(s: Arc<Shared>, reply: Reply, pending: Pending) -> Response {
    struct State {
        s: Arc<Shared>,
        reply: Reply,
        pending: Pending,
        out: VecDeque<SseEvent>,
        first: bool,
        ended: bool,
        text: String,
    }
    let state = State {
        s,
        reply,
        pending,
        out: VecDeque::new(),
        first: true,
        ended: false,
        text: String::new(),
    };
    let data = |v: Value| SseEvent::default().data(v.to_string());
    let events = futures_util::stream::unfold(state, move |mut st| async move {
        loop {
            if let Some(e) = st.out.pop_front() {
                return Some((Ok::<_, Infallible>(e), st));
            }
            if st.ended {
                return None;
            }
            if st.first {
                st.first = false;
                st.out.push_back(data(st.reply.delta(Some(""), true, None)));
                continue;
            }
            match st.pending.next().await {
                Some(Event::Piece(p)) => {
                    if st.s.policy.log_bodies {
                        st.text.push_str(&p);
                    }
                    st.out
                        .push_back(data(st.reply.delta(Some(&p), false, None)));
                }
                Some(Event::Finished(g)) => {
                    let finish = api::finish_reason(g.stop_reason);
                    let mut last = st.reply.delta(None, false, Some(finish));
                    last["timings"] = timings(&g);
                    st.out.push_back(data(last));
                    if st.reply.include_usage {
                        let mut usage = st.reply.chunk(json!([]));
                        usage["usage"] = api::usage(st.reply.prompt_tokens, g.generated_tokens);
                        st.out.push_back(data(usage));
                    }
                    st.out.push_back(SseEvent::default().data("[DONE]"));
                    log_finish(
                        st.reply.object(true),
                        &st.reply.model,
                        st.reply.prompt_tokens,
                        &g,
                    );
                    log_body(&st.s, "answer", &st.text);
                    st.ended = true;
                }
                Some(Event::Failed(e)) => {
                    st.out.push_back(data(e.body()));
                    st.ended = true;
                }
                _ => {
                    let e = ApiError::internal("the engine stopped in the middle of the answer");
                    st.out.push_back(data(e.body()));
                    st.ended = true;
                }
            }
        }
    });
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response();
    response
        .headers_mut()
        .insert("x-accel-buffering", header::HeaderValue::from_static("no"));
    response
}
