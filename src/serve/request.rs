//! What every endpoint does with a request before its own work: the body read within the
//! limits, the generation settings layered over config.toml's, and the response's id.
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap};

use super::error::ApiError;
use super::fields::SamplingFields;
use super::state::Shared;
use crate::engine::GenerateParams;
use crate::pipeline::settings::{FrontDefaults, Overrides};

/// The body, refused with 413 past the limit (before reading it when Content-Length says so)
/// and with 415 unless it is JSON, which no browser sends cross-origin without a preflight.
pub async fn read_body(s: &Shared, headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
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

/// The generation's settings: what the request set, else the endpoint's own default, else
/// config.toml's, layered as for every front end (`pipeline::settings`). The flag says
/// whether the client set max_tokens.
pub fn params(
    s: &Shared,
    fields: &SamplingFields,
    max_tokens: Option<u32>,
    endpoint: FrontDefaults,
    stop: Vec<String>,
) -> (GenerateParams, bool) {
    let asked = Overrides {
        max_tokens,
        temp: fields.temperature,
        top_k: fields.top_k,
        top_p: fields.top_p,
        min_p: fields.min_p,
        repeat_penalty: fields.repeat_penalty,
        seed: fields.seed,
        ..Overrides::default()
    };
    let config = &s.context.config.sampling;
    let params = GenerateParams {
        tools: Default::default(),
        sampling: asked.sampling(endpoint, config),
        max_tokens: asked.max_tokens(endpoint, config),
        stop,
        stop_at_end_of_text: !fields.ignore_eos,
        grammar: None,
        adapters: Vec::new(),
        speculation: fields
            .speculate
            .then(|| crate::pipeline::settings::speculation(&s.context.config.speculation)),
        cache_prefix: None,
    };
    (params, max_tokens.is_some())
}

/// `chatcmpl-…` or `cmpl-…`: 16 hex digits that differ from request to request.
pub fn response_id(prefix: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    format!("{prefix}-{:016x}", h.finish())
}
