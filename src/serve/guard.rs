//! What stands between the network and the model: the Host check against DNS rebinding, the
//! API key (compared in constant time; both checks in `crate::guard`, which `pai mcp --http`
//! shares), CORS only for configured origins, JSON-only bodies
//! (a browser cannot send them cross-origin without asking first), and the access log.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use super::error::ApiError;
use crate::guard::{bearer, host_allowed, key_matches};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Who may talk to the server.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// The key every request but /health must carry as `Authorization: Bearer KEY`.
    pub api_key: Option<String>,
    /// Names and addresses, besides loopback ones, that may appear in Host: the bound
    /// address and each `--allow-host`.
    pub allowed_hosts: Vec<String>,
    /// Bound to every interface (0.0.0.0 or ::, which needs a key): any IP address may appear
    /// in Host, since clients reach the server through whichever one they use.
    pub any_ip: bool,
    /// Origins that get CORS headers; `*` is any origin, never with credentials.
    pub cors_origins: Vec<String>,
    pub log_bodies: bool,
}

/// Host, CORS and key checks, in that order, for every request.
pub async fn check(State(policy): State<Arc<Policy>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !host_allowed(host, &policy.allowed_hosts, policy.any_ip) {
        let shown = crate::render::sanitize_line(host);
        return ApiError::new(
            403,
            "permission_error",
            format!(
                "the Host header '{shown}' does not name this server; start pai serve with --allow-host {shown} if it should"
            ),
        )
        .code("host_not_allowed")
        .into_response();
    }
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_string);
    let allowed_origin = origin.as_deref().and_then(|o| cors_origin(o, &policy));
    if request.method() == Method::OPTIONS {
        return preflight(&request, allowed_origin);
    }
    let open = request.uri().path() == "/health";
    if let (Some(key), false) = (&policy.api_key, open) {
        let ok = bearer(request.headers()).is_some_and(|given| key_matches(given, key));
        if !ok {
            let why = if bearer(request.headers()).is_some() {
                "the API key is wrong"
            } else {
                "an API key is required: send it as 'Authorization: Bearer KEY'"
            };
            let mut response = ApiError::new(401, "authentication_error", why)
                .code("invalid_api_key")
                .into_response();
            add_cors(&mut response, allowed_origin);
            return response;
        }
    }
    let mut response = next.run(request).await;
    add_cors(&mut response, allowed_origin);
    response
}

/// The value for Access-Control-Allow-Origin, when this origin is configured.
fn cors_origin(origin: &str, policy: &Policy) -> Option<HeaderValue> {
    if policy.cors_origins.iter().any(|o| o == "*") {
        return Some(HeaderValue::from_static("*"));
    }
    policy
        .cors_origins
        .iter()
        .find(|o| o.eq_ignore_ascii_case(origin))
        .and_then(|o| HeaderValue::from_str(o).ok())
}

fn add_cors(response: &mut Response, origin: Option<HeaderValue>) {
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
}

fn preflight(request: &Request, origin: Option<HeaderValue>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::ALLOW,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    let Some(origin) = origin else {
        return response;
    };
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    let asked = request
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or(HeaderValue::from_static("authorization, content-type"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked);
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    response
}

/// One line per request in the log: time, client, method, path, status, milliseconds to the
/// first byte. Prompt text never appears here.
pub async fn access_log(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = crate::render::sanitize_line(request.uri().path());
    let response = next.run(request).await;
    tracing::info!(
        "{} {peer} \"{method} {path}\" {} {:.0}ms",
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ"),
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}
