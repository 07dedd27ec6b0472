//! `pai mcp --http`: MCP's Streamable HTTP transport on one endpoint, `/mcp`. A POST carries
//! one JSON-RPC message; a request is answered with `application/json`, or with a short
//! `text/event-stream` when log notifications come with the answer and the client accepts
//! one. `initialize` opens a session (`Mcp-Session-Id`), DELETE ends it, GET is 405 (pai
//! sends nothing unasked). Requests in the 2026-07-28 envelope need no session. Before any
//! of that, `crate::guard`'s checks as `pai serve` makes them: the Host header names this
//! server, a browser's Origin is this server's own or allowed, and the key when one is set.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

use super::protocol::{Session, HANDSHAKE_VERSIONS, MODERN_VERSIONS, PROTOCOL_VERSION_KEY};
use super::tools::Pai;
use crate::guard::{bearer, host_allowed, key_matches, origin_allowed};
use crate::index::Encoder;
use crate::paths::Paths;

/// The one path the transport answers on.
pub const ENDPOINT: &str = "/mcp";
const SESSION_HEADER: &str = "mcp-session-id";
const VERSION_HEADER: &str = "mcp-protocol-version";
/// Sessions kept at once; past this the least recently used one ends (its client gets 404
/// and initializes again, as the protocol says it should).
const MAX_SESSIONS: usize = 64;

/// Who may talk to the server, as the command line decided it.
#[derive(Debug, Clone)]
pub struct Options {
    pub addr: SocketAddr,
    /// The key every request must carry as `Authorization: Bearer KEY`.
    pub api_key: Option<String>,
    /// Names and addresses besides loopback ones that may appear in Host (and in Origin).
    pub allowed_hosts: Vec<String>,
    /// Origins of other pages that may call the server, such as http://localhost:3000.
    pub allowed_origins: Vec<String>,
    /// Bound to every interface: any IP address may appear in Host.
    pub any_ip: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error(
        "port {port} on {host} is already in use by another program; pick another with --port"
    )]
    PortInUse { host: String, port: u16 },
    #[error("cannot listen on {addr}: {why}")]
    Bind { addr: SocketAddr, why: String },
    #[error("the server failed: {0}")]
    Runtime(String),
}

type Shared = Arc<Mutex<Session<Pai>>>;

struct Live {
    session: Shared,
    used: Instant,
}

struct Server {
    paths: Paths,
    /// The sentence encoder every session shares, loaded by the first search that needs it.
    encoder: Encoder,
    options: Options,
    sessions: Mutex<HashMap<String, Live>>,
}

/// Binds, tells `listening` the address, and serves until SIGTERM or Ctrl-C.
pub fn serve(
    paths: Paths,
    options: Options,
    listening: impl FnOnce(SocketAddr),
) -> Result<(), HttpError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| HttpError::Runtime(e.to_string()))?;
    let addr = options.addr;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .map_err(|e| bind_error(addr, e))?;
    listening(listener.local_addr().unwrap_or(addr));
    let server = Arc::new(Server {
        paths,
        encoder: Encoder::default(),
        options,
        sessions: Mutex::new(HashMap::new()),
    });
    let app = Router::new()
        .route(
            ENDPOINT,
            post(post_message)
                .get(no_stream)
                .delete(end_session)
                .fallback(no_stream),
        )
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(super::MAX_LINE))
        .layer(axum::middleware::from_fn_with_state(server.clone(), guard))
        .with_state(server);
    runtime
        .block_on(async {
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await
        })
        .map_err(|e| HttpError::Runtime(e.to_string()))
}

fn bind_error(addr: SocketAddr, e: std::io::Error) -> HttpError {
    if e.kind() == std::io::ErrorKind::AddrInUse {
        HttpError::PortInUse {
            host: addr.ip().to_string(),
            port: addr.port(),
        }
    } else {
        HttpError::Bind {
            addr,
            why: e.to_string(),
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Host, then Origin, then the key, for every request: refused with 403 or 401 before any
/// MCP is read.
async fn guard(State(server): State<Arc<Server>>, request: Request, next: Next) -> Response {
    let options = &server.options;
    let headers = request.headers();
    let host = text(headers, header::HOST.as_str()).unwrap_or("");
    if !host_allowed(host, &options.allowed_hosts, options.any_ip) {
        let shown = crate::render::sanitize_line(host);
        return refusal(
            StatusCode::FORBIDDEN,
            &format!("the Host header '{shown}' does not name this server; start pai mcp --http with --allow-host {shown} if it should"),
        );
    }
    if let Some(origin) = text(headers, header::ORIGIN.as_str()) {
        let allowed = &options.allowed_hosts;
        if !origin_allowed(origin, &options.allowed_origins, allowed, options.any_ip) {
            let shown = crate::render::sanitize_line(origin);
            return refusal(
                StatusCode::FORBIDDEN,
                &format!("requests from the page at '{shown}' are refused; start pai mcp --http with --allow-origin {shown} if it should call this server"),
            );
        }
    }
    if let Some(key) = &options.api_key {
        let given = bearer(headers);
        if !given.is_some_and(|g| key_matches(g, key)) {
            let why = if given.is_some() {
                "the API key is wrong"
            } else {
                "an API key is required: send it as 'Authorization: Bearer KEY'"
            };
            let mut response = refusal(StatusCode::UNAUTHORIZED, why);
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return response;
        }
    }
    next.run(request).await
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// An HTTP-level refusal, as a JSON-RPC error with no id (what MCP's SDKs send).
fn refusal(status: StatusCode, message: &str) -> Response {
    let body = json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32000, "message": message}});
    (status, json_headers(), body.to_string()).into_response()
}

/// A refusal not yet made a response (a `Response` is too big to pass around in a `Result`).
struct Refusal {
    status: StatusCode,
    message: String,
}

impl Refusal {
    fn new(status: StatusCode, message: &str) -> Self {
        let message = message.to_string();
        Self { status, message }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        refusal(self.status, &self.message)
    }
}

fn json_headers() -> [(header::HeaderName, HeaderValue); 1] {
    [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )]
}

async fn no_stream() -> Response {
    let mut response = refusal(
        StatusCode::METHOD_NOT_ALLOWED,
        "pai sends nothing unasked: POST requests to /mcp (GET streams are not offered)",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST, DELETE"));
    response
}

async fn not_found() -> Response {
    refusal(
        StatusCode::NOT_FOUND,
        &format!("pai mcp answers on {ENDPOINT} only"),
    )
}

async fn end_session(State(server): State<Arc<Server>>, headers: HeaderMap) -> Response {
    let Some(id) = text(&headers, SESSION_HEADER) else {
        return refusal(
            StatusCode::BAD_REQUEST,
            "DELETE needs the Mcp-Session-Id header of the session to end",
        );
    };
    match server.sessions().remove(id) {
        Some(_) => StatusCode::OK.into_response(),
        None => refusal(
            StatusCode::NOT_FOUND,
            "no such session: it has ended already",
        ),
    }
}

/// What a POST accepts back: JSON, an event stream, or both.
struct Accepts {
    json: bool,
    events: bool,
}

/// The headers of a POST checked as the transport requires: a JSON body, an Accept that
/// takes JSON or events, a protocol version pai speaks.
fn check_post(headers: &HeaderMap) -> Result<Accepts, Refusal> {
    let content_type = text(headers, header::CONTENT_TYPE.as_str()).unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/json")
    {
        return Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the message as Content-Type: application/json",
        ));
    }
    let accept = text(headers, header::ACCEPT.as_str()).map(str::to_ascii_lowercase);
    let accepts = match accept.as_deref() {
        None => Accepts {
            json: true,
            events: false,
        },
        Some(a) => Accepts {
            json: a.contains("application/json") || a.contains("*/*"),
            events: a.contains("text/event-stream") || a.contains("*/*"),
        },
    };
    if !accepts.json && !accepts.events {
        return Err(Refusal::new(
            StatusCode::NOT_ACCEPTABLE,
            "accept application/json or text/event-stream",
        ));
    }
    if let Some(version) = text(headers, VERSION_HEADER) {
        let known = HANDSHAKE_VERSIONS.contains(&version) || MODERN_VERSIONS.contains(&version);
        if !known {
            let shown = crate::render::sanitize_line(version);
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                &format!(
                    "unsupported MCP-Protocol-Version '{shown}'; pai speaks {} and {}",
                    HANDSHAKE_VERSIONS.join(", "),
                    MODERN_VERSIONS.join(", ")
                ),
            ));
        }
    }
    Ok(accepts)
}

async fn post_message(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let accepts = match check_post(&headers) {
        Ok(a) => a,
        Err(refused) => return refused.into_response(),
    };
    let message: Option<Value> = serde_json::from_slice(&body).ok();
    let (session, opened) = match server.session_for(&headers, message.as_ref()) {
        Ok(found) => found,
        Err(refused) => return refused.into_response(),
    };
    let worker = session.clone();
    let handled = tokio::task::spawn_blocking(move || {
        let mut session = lock(&worker);
        let reply = session.handle_line(&body);
        (reply, session.take_notifications())
    })
    .await;
    let Ok((reply, notes)) = handled else {
        return refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the request failed inside pai",
        );
    };
    let opened = opened.filter(|_| reply.as_deref().is_some_and(is_result));
    if let Some(id) = &opened {
        server.keep(id.clone(), session);
    }
    answer(reply, notes, &accepts, opened)
}

fn is_result(reply: &str) -> bool {
    serde_json::from_str::<Value>(reply).is_ok_and(|v| v.get("result").is_some())
}

impl Server {
    fn sessions(&self) -> MutexGuard<'_, HashMap<String, Live>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The session a POST belongs to, and the id of a new one when it opens one: the
    /// header's session; a new one for `initialize`; a passing one for a message in the
    /// 2026 envelope (or one too broken to say), which needs none.
    fn session_for(
        &self,
        headers: &HeaderMap,
        message: Option<&Value>,
    ) -> Result<(Shared, Option<String>), Refusal> {
        if let Some(id) = text(headers, SESSION_HEADER) {
            let mut sessions = self.sessions();
            return match sessions.get_mut(id) {
                Some(live) => {
                    live.used = Instant::now();
                    Ok((live.session.clone(), None))
                }
                None => Err(Refusal::new(
                    StatusCode::NOT_FOUND,
                    "no such session: it ended or the server restarted; initialize again",
                )),
            };
        }
        let fresh = || {
            let pai = Pai::sharing(self.paths.clone(), self.encoder.clone());
            Arc::new(Mutex::new(Session::new(pai)))
        };
        let method = message
            .and_then(|m| m.get("method"))
            .and_then(Value::as_str);
        let enveloped = message
            .and_then(|m| m.pointer("/params/_meta"))
            .is_some_and(|meta| meta.get(PROTOCOL_VERSION_KEY).is_some());
        if method == Some("initialize") {
            return Ok((fresh(), Some(new_session_id())));
        }
        if enveloped || !message.is_some_and(Value::is_object) {
            return Ok((fresh(), None));
        }
        Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "send the Mcp-Session-Id header that initialize answered with (or initialize first)",
        ))
    }

    fn keep(&self, id: String, session: Shared) {
        let mut sessions = self.sessions();
        if sessions.len() >= MAX_SESSIONS {
            let oldest = sessions
                .iter()
                .min_by_key(|(_, live)| live.used)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                sessions.remove(&oldest);
            }
        }
        let used = Instant::now();
        sessions.insert(id, Live { session, used });
    }
}

fn lock(session: &Shared) -> MutexGuard<'_, Session<Pai>> {
    session.lock().unwrap_or_else(|e| e.into_inner())
}

/// 128 random bits from the system, as hex: a session id nobody can guess.
fn new_session_id() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_err() {
        // No /dev/urandom: the id still has to differ between sessions.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        bytes = now.as_nanos().to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The reply (with the notifications due before it) as the client accepts it; 202 for a
/// notification or a response, which get no answer.
fn answer(
    reply: Option<String>,
    notes: Vec<String>,
    accepts: &Accepts,
    opened: Option<String>,
) -> Response {
    let Some(reply) = reply else {
        return StatusCode::ACCEPTED.into_response();
    };
    let reply = crate::render::escape_json(&reply);
    // An error with no id: the message itself was unreadable.
    let status = match serde_json::from_str::<Value>(&reply) {
        Ok(v) if v.get("error").is_some() && v["id"].is_null() => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let as_events = accepts.events && (!notes.is_empty() || !accepts.json);
    let mut response = if as_events {
        let mut stream = String::new();
        for line in notes.iter().map(|n| crate::render::escape_json(n)) {
            stream.push_str(&format!("event: message\ndata: {line}\n\n"));
        }
        stream.push_str(&format!("event: message\ndata: {reply}\n\n"));
        let mut r = (status, Body::from(stream)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream"),
        );
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        r
    } else {
        (status, json_headers(), reply).into_response()
    };
    if let Some(id) = opened.and_then(|id| HeaderValue::from_str(&id).ok()) {
        response.headers_mut().insert(SESSION_HEADER, id);
    }
    response
}
