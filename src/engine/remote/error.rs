//! What can go wrong with an endpoint, each as one sentence that names it: the errors, and
//! how a failed call (a status, a transport failure) becomes one of them.
use serde_json::Value;

use super::{KeySource, RemoteEngine};
use crate::engine::EngineError;

#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("endpoint '{endpoint}' refused the connection at {url}: is the server running?")]
    Refused { endpoint: String, url: String },
    #[error("endpoint '{endpoint}': cannot find the host '{host}' (DNS lookup failed)")]
    Dns { endpoint: String, host: String },
    #[error("endpoint '{endpoint}' did not answer within {secs} s (timeout_s)")]
    Timeout { endpoint: String, secs: f64 },
    #[error("endpoint '{endpoint}' refused the API key ({status}): {hint}")]
    Unauthorized {
        endpoint: String,
        status: u16,
        hint: String,
    },
    #[error("endpoint '{endpoint}' has no model '{model}' (404): {detail}")]
    ModelNotFound {
        endpoint: String,
        model: String,
        detail: String,
    },
    #[error("endpoint '{endpoint}' has nothing at {url} (404): check that its url ends in /v1")]
    NotFound { endpoint: String, url: String },
    #[error(
        "endpoint '{endpoint}' is rate-limiting (429) and still was after {tries} tries: {detail}"
    )]
    RateLimited {
        endpoint: String,
        tries: u32,
        detail: String,
    },
    #[error("endpoint '{endpoint}' refused the request ({status}): {detail}")]
    Rejected {
        endpoint: String,
        status: u16,
        detail: String,
    },
    #[error("endpoint '{endpoint}' failed ({status}): {detail}")]
    Server {
        endpoint: String,
        status: u16,
        detail: String,
    },
    #[error("the answer from endpoint '{endpoint}' was cut off after {pieces} pieces: {why}")]
    Cut {
        endpoint: String,
        pieces: usize,
        why: String,
    },
    #[error("endpoint '{endpoint}': {why}")]
    Network { endpoint: String, why: String },
    #[error("endpoint '{endpoint}' needs an API key: {why}")]
    NoKey { endpoint: String, why: String },
    #[error("endpoint '{endpoint}' answered something that is not the OpenAI API: {why}")]
    Protocol { endpoint: String, why: String },
    #[error("cannot write the answer: {0}")]
    Output(std::io::Error),
}

impl From<RemoteError> for EngineError {
    fn from(e: RemoteError) -> Self {
        match e {
            RemoteError::Output(io) => EngineError::Output(io),
            other => EngineError::Remote(other.to_string()),
        }
    }
}

impl RemoteEngine {
    /// A failed call as one sentence.
    pub(super) fn call_error(&self, e: ureq::Error, path: &str) -> RemoteError {
        let endpoint = self.name.clone();
        match e {
            ureq::Error::Status(status @ (401 | 403), r) => {
                let detail = error_detail(r);
                let hint = match &self.key_source {
                    KeySource::None => format!(
                        "{detail}; set api_key_env or api_key_file under [endpoints.{}]",
                        self.name
                    ),
                    KeySource::Env(var) => format!("{detail}; check the key in {var}"),
                    KeySource::File(f) => format!("{detail}; check the key in {}", f.display()),
                };
                RemoteError::Unauthorized {
                    endpoint,
                    status,
                    hint,
                }
            }
            ureq::Error::Status(404, r) => {
                let detail = error_detail(r);
                if path != "/models" && detail.to_ascii_lowercase().contains("model") {
                    RemoteError::ModelNotFound {
                        endpoint,
                        model: self.model.clone(),
                        detail,
                    }
                } else {
                    RemoteError::NotFound {
                        endpoint,
                        url: format!("{}{path}", self.url),
                    }
                }
            }
            ureq::Error::Status(status, r) if status >= 500 => RemoteError::Server {
                endpoint,
                status,
                detail: error_detail(r),
            },
            ureq::Error::Status(status, r) => RemoteError::Rejected {
                endpoint,
                status,
                detail: error_detail(r),
            },
            ureq::Error::Transport(t) => self.transport_error(&t),
        }
    }

    fn transport_error(&self, t: &ureq::Transport) -> RemoteError {
        let endpoint = self.name.clone();
        let text = t.to_string();
        match t.kind() {
            ureq::ErrorKind::Dns => RemoteError::Dns {
                endpoint,
                host: url::Url::parse(&self.url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
                    .unwrap_or_default(),
            },
            _ if is_timeout(&text) => RemoteError::Timeout {
                endpoint,
                secs: self.timeout.as_secs_f64(),
            },
            ureq::ErrorKind::ConnectionFailed if text.contains("refused") => RemoteError::Refused {
                endpoint,
                url: self.url.clone(),
            },
            _ => RemoteError::Network {
                endpoint,
                why: crate::render::sanitize_line(&text),
            },
        }
    }
}

pub(super) fn is_timeout(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("timed out") || t.contains("timeout") || t.contains("would block")
}

/// The server's own words from an error body: OpenAI's `{"error": {"message"}}`, a plain
/// `{"error": "…"}` or `{"detail": …}`, else the first line of the text.
pub(super) fn error_detail(r: ureq::Response) -> String {
    let status = format!("{} {}", r.status(), r.status_text());
    let text = r.into_string().unwrap_or_default();
    let from_json = serde_json::from_str::<Value>(&text).ok().and_then(|v| {
        let e = v.get("error").or_else(|| v.get("detail"))?;
        match e {
            Value::String(s) => Some(s.clone()),
            other => other
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| Some(other.to_string())),
        }
    });
    let detail = from_json
        .or_else(|| {
            text.lines()
                .find(|l| !l.trim().is_empty())
                .map(str::to_string)
        })
        .unwrap_or(status);
    let detail = crate::render::sanitize_line(detail.trim());
    if detail.chars().count() > 300 {
        detail.chars().take(300).collect::<String>() + "…"
    } else {
        detail
    }
}
