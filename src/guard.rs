//! The checks every HTTP server of pai makes before anything else (`pai serve` and
//! `pai mcp --http`): the Host header against DNS rebinding, the Origin header of a browser
//! page, and the API key compared in constant time. Each front end turns a refusal into its
//! own error shape; the rules live here once.
use std::net::IpAddr;

use axum::http::{header, HeaderMap};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

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

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Whether an Origin header comes from a page of this server's own hosts (the same rule as
/// Host) or one configured as allowed. `null` (a sandboxed or file page) is foreign.
pub fn origin_allowed(
    origin: &str,
    allowed_origins: &[String],
    allowed: &[String],
    any_ip: bool,
) -> bool {
    if allowed_origins
        .iter()
        .any(|o| o == "*" || o.eq_ignore_ascii_case(origin))
    {
        return true;
    }
    let Ok(url) = url::Url::parse(origin) else {
        return false;
    };
    match (url.scheme(), url.host_str()) {
        ("http" | "https", Some(host)) => host_allowed(host, allowed, any_ip),
        _ => false,
    }
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
    fn origins_of_this_server_pass_foreign_ones_do_not() {
        let none: Vec<String> = Vec::new();
        for o in [
            "http://localhost:8081",
            "http://127.0.0.1",
            "https://[::1]:9",
        ] {
            assert!(origin_allowed(o, &none, &none, false), "{o}");
        }
        for o in [
            "http://evil.example",
            "null",
            "file://",
            "http://localhost.evil.example",
        ] {
            assert!(!origin_allowed(o, &none, &none, false), "{o}");
        }
        let app = vec!["https://app.example".to_string()];
        assert!(origin_allowed("https://app.example", &app, &none, false));
    }

    #[test]
    fn keys_compare_whole() {
        assert!(key_matches("secret", "secret"));
        assert!(!key_matches("secre", "secret"));
        assert!(!key_matches("secret2", "secret"));
        assert!(!key_matches("", "secret"));
    }
}
