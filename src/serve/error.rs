//! Every error the server sends is one JSON object, as OpenAI clients expect:
//! `{"error": {message, type, param, code}}` with its HTTP status. The statuses of the
//! library's and the engine's errors are decided here and nowhere else, and the router's
//! fallbacks (an unknown path, a wrong method) answer in the same shape.
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::engine::EngineError;
use crate::error::{Error, Kind};

/// An error as OpenAI clients expect it: a status and `{"error": {message, type, param, code}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
    pub kind: &'static str,
    pub param: Option<String>,
    pub code: Option<&'static str>,
    /// Seconds, for 429.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: u16, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            kind,
            param: None,
            code: None,
            retry_after: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "invalid_request_error", message)
    }

    pub fn param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }

    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "invalid_request_error", message)
    }

    /// 429: the queue is full; the caller adds Retry-After.
    pub fn busy(message: impl Into<String>) -> Self {
        Self::new(429, "rate_limit_error", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "server_error", message)
    }

    /// 502: a remote tier failed or could not be reached.
    pub fn bad_gateway(message: impl Into<String>) -> Self {
        Self::new(502, "api_error", message)
    }

    /// 503: the server is stopping, or something it needs is not there right now.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(503, "server_error", message)
    }

    pub fn body(&self) -> Value {
        json!({"error": {
            "message": self.message,
            "type": self.kind,
            "param": self.param,
            "code": self.code,
        }})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error_response(&self)
    }
}

pub fn error_response(e: &ApiError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, axum::Json(e.body())).into_response();
    if let Some(secs) = e.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    if e.status == 401 {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"pai\""),
        );
    }
    response
}

/// The library's errors by kind: the client's mistakes are 4xx, the server's own 5xx. The
/// hints (what to do) follow the sentence: an HTTP client has no other place to read them.
impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let message = std::iter::once(e.message)
            .chain(e.hints)
            .collect::<Vec<_>>()
            .join("; ");
        match e.kind {
            Kind::User => ApiError::bad_request(message),
            Kind::NotFound => ApiError::not_found(message),
            // Too much for the model (a prompt, an input): OpenAI answers that with a 400.
            Kind::TooLarge => ApiError::bad_request(message),
            Kind::Busy => ApiError::busy(message),
            Kind::Unavailable => ApiError::unavailable(message),
            Kind::Interrupted | Kind::Config | Kind::Internal => ApiError::internal(message),
        }
    }
}

/// The engine's failures: a prompt the engine cannot take is the client's to fix (400); a
/// remote tier that fails is a bad gateway (502); the rest are the server's (500).
impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        let message = e.to_string();
        match e {
            EngineError::PromptTooLong { .. } => {
                ApiError::bad_request(message).code("context_length_exceeded")
            }
            EngineError::EmptyPrompt | EngineError::Grammar(_) => ApiError::bad_request(message),
            EngineError::Remote(_) => ApiError::bad_gateway(message),
            _ => ApiError::internal(message),
        }
    }
}

/// A model that embeds, asked to chat or complete.
pub fn encoder_only() -> ApiError {
    ApiError::bad_request(
        "this model is a sentence encoder: it embeds text (/v1/embeddings) and cannot chat or complete",
    )
    .param("model")
}

/// Any path the server does not serve.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; see docs/serve.md").code("unknown_url")
}

/// A served path asked with the wrong method; axum adds the `Allow` header that lists the
/// right ones.
pub async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        405,
        "invalid_request_error",
        format!(
            "{method} is not allowed on {}: /health and /v1/models take GET, the other endpoints POST (docs/serve.md)",
            crate::render::sanitize_line(uri.path())
        ),
    )
    .code("method_not_allowed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_status() {
        let status = |kind| ApiError::from(Error::new(kind, "x")).status;
        assert_eq!(status(Kind::User), 400);
        assert_eq!(status(Kind::TooLarge), 400);
        assert_eq!(status(Kind::NotFound), 404);
        assert_eq!(status(Kind::Busy), 429);
        assert_eq!(status(Kind::Unavailable), 503);
        assert_eq!(status(Kind::Config), 500);
        assert_eq!(status(Kind::Internal), 500);
        let hinted = ApiError::from(Error::user("over budget").hint("raise the budget"));
        assert_eq!(hinted.message, "over budget; raise the budget");
        let too_long = EngineError::PromptTooLong {
            tokens: 9,
            window: 8,
        };
        assert_eq!(ApiError::from(too_long).status, 400);
        assert_eq!(ApiError::from(EngineError::Remote("x".into())).status, 502);
        assert_eq!(ApiError::from(EngineError::Decode("x".into())).status, 500);
    }
}
