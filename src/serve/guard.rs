//! What stands between the network and the model: the Host check against DNS rebinding, the
//! API key (compared in constant time), CORS only for configured origins, JSON-only bodies
//! (a browser cannot send them cross-origin without asking first), and the access log.
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::error::ApiError;

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

/// Whether a Host header names this server (against DNS rebinding): a loopback address,
/// `localhost`, the bound address, a configured name, or any address when bound to all.
pub fn host_allowed(host: &str, allowed: &[String], any_ip: bool) -> bool {
    let name = strip_port(host).to_ascii_lowercase();
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return ip.is_loopback() || any_ip || allowed.iter().any(|a| a.parse::<IpAddr>() == Ok(ip));
    }
    let name = name.trim_end_matches('.');
    name == "localhost"
        || name.ends_with(".localhost")
        || allowed.iter().any(|a| a.eq_ignore_ascii_case(name))
}

fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        // [::1]:8080
        return match rest.find(']') {
            Some(end) => &host[..end + 2],
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) && !name.contains(':') => {
            name
        }
        _ => host,
    }
}

/// Constant-time comparison: both sides are hashed first, so neither the key's length nor
/// the position of the first wrong byte shows in the time taken.
pub fn key_matches(given: &str, key: &str) -> bool {
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(key.as_bytes());
    a.ct_eq(&b).into()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_that_name_this_server_pass() {
        let none: Vec<String> = Vec::new();
        for h in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST",
            "[::1]:8080",
            "localhost.",
        ] {
            assert!(host_allowed(h, &none, false), "{h}");
        }
        for h in [
            "evil.example",
            "evil.example:8080",
            "",
            "localhost.evil.example",
            "10.0.0.5",
        ] {
            assert!(!host_allowed(h, &none, false), "{h}");
        }
        assert!(host_allowed("box.lan:80", &["box.lan".to_string()], false));
        assert!(host_allowed(
            "10.0.0.5:80",
            &["10.0.0.5".to_string()],
            false
        ));
        assert!(host_allowed("10.0.0.5", &none, true));
        assert!(!host_allowed("evil.example", &none, true));
    }

    #[test]
    fn keys_compare_whole() {
        assert!(key_matches("secret", "secret"));
        assert!(!key_matches("secre", "secret"));
        assert!(!key_matches("secret2", "secret"));
        assert!(!key_matches("", "secret"));
    }
}
