//! The remote engine: any OpenAI-compatible server (vLLM, llama-server, Ollama, a cloud API,
//! another `pai serve`) named under `[endpoints.NAME]` in config.toml, streamed over SSE with
//! the blocking `ureq` client. Every failure is one sentence that names the endpoint, and none
//! hangs: connecting and every read wait at most `timeout_s`. A 429 is retried with backoff
//! only before the first token; a stream cut mid-answer keeps what arrived (it is already in
//! the sink) and says that it was cut.
use std::cell::OnceCell;
use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::text::StopMatcher;
use super::{Engine, EngineError, GenerateParams, Generation, Sink, StopReason, TokenCount};
use crate::cancel::CancelToken;
use crate::config::EndpointConfig;
use crate::message::Message;

/// The window when neither config.toml nor the server says.
pub const DEFAULT_WINDOW: u32 = 8192;
/// Tries for a 429 before the first token, the first included: waits of 1, 2, 4 and 8 s.
const TRIES: u32 = 5;
/// The most stop strings OpenAI's API takes; the rest are matched here.
const MAX_REMOTE_STOPS: usize = 4;

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

/// Where the key came from, for the hint when it is refused.
#[derive(Debug, Clone)]
enum KeySource {
    None,
    Env(String),
    File(std::path::PathBuf),
}

pub struct RemoteEngine {
    name: String,
    /// Without a trailing slash: `http://host:8000/v1`.
    url: String,
    model: String,
    key: Option<String>,
    key_source: KeySource,
    timeout: Duration,
    window_setting: Option<u32>,
    window: OnceCell<u32>,
    agent: ureq::Agent,
}

impl RemoteEngine {
    /// The endpoint as configured; the key is read now (from its variable or file).
    pub fn new(name: &str, config: &EndpointConfig) -> Result<Self, RemoteError> {
        let (key, key_source) = match (&config.api_key_env, &config.api_key_file) {
            (Some(var), _) => match std::env::var(var) {
                Ok(k) if !k.trim().is_empty() => {
                    (Some(k.trim().to_string()), KeySource::Env(var.clone()))
                }
                _ => {
                    return Err(RemoteError::NoKey {
                        endpoint: name.into(),
                        why: format!("the environment variable {var} (api_key_env) is not set"),
                    })
                }
            },
            (None, Some(file)) => match std::fs::read_to_string(file) {
                Ok(k) if !k.trim().is_empty() => {
                    (Some(k.trim().to_string()), KeySource::File(file.clone()))
                }
                Ok(_) => {
                    return Err(RemoteError::NoKey {
                        endpoint: name.into(),
                        why: format!("{} (api_key_file) is empty", file.display()),
                    })
                }
                Err(e) => {
                    return Err(RemoteError::NoKey {
                        endpoint: name.into(),
                        why: format!("cannot read {} (api_key_file): {e}", file.display()),
                    })
                }
            },
            (None, None) => (None, KeySource::None),
        };
        let timeout = Duration::from_secs_f64(config.timeout_s);
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(timeout.min(Duration::from_secs(30)))
            .timeout_read(timeout)
            .timeout_write(timeout)
            .user_agent(concat!("pai/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Self {
            name: name.into(),
            url: config.url.trim_end_matches('/').to_string(),
            model: config.model.clone(),
            key,
            key_source,
            timeout,
            window_setting: config.window,
            window: OnceCell::new(),
            agent,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// config.toml's window, else what the server's model list says, else [`DEFAULT_WINDOW`].
    /// The server is asked once, and a failure to ask is not an error here.
    pub fn window(&self) -> u32 {
        if let Some(w) = self.window_setting {
            return w;
        }
        *self.window.get_or_init(|| {
            self.models()
                .ok()
                .and_then(|list| {
                    list.iter()
                        .find(|m| m.get("id").and_then(Value::as_str) == Some(&self.model))
                        .and_then(window_of)
                })
                .unwrap_or(DEFAULT_WINDOW)
        })
    }

    /// A conservative estimate (about three bytes a token, a few for each message's framing):
    /// the server's tokenizer is not here, and a window is better underfilled than overrun.
    pub fn estimate_text(text: &str) -> usize {
        text.len().div_ceil(3)
    }

    pub fn estimate_prompt(messages: &[Message]) -> usize {
        messages
            .iter()
            .map(|m| Self::estimate_text(&m.content) + 4)
            .sum::<usize>()
            + 2
    }

    fn request(&self, method: &str, path: &str) -> ureq::Request {
        let mut r = self.agent.request(method, &format!("{}{path}", self.url));
        if let Some(key) = &self.key {
            r = r.set("Authorization", &format!("Bearer {key}"));
        }
        r
    }

    /// The server's model list (`GET /models`), entries as sent.
    pub fn models(&self) -> Result<Vec<Value>, RemoteError> {
        let response = self
            .request("GET", "/models")
            .call()
            .map_err(|e| self.call_error(e, "/models"))?;
        let body: Value = read_json(response).map_err(|e| RemoteError::Protocol {
            endpoint: self.name.clone(),
            why: format!("its model list is not JSON: {e}"),
        })?;
        // OpenAI and most servers: {"data": [...]}; Ollama's /api/tags is not asked.
        match body.get("data").and_then(Value::as_array) {
            Some(list) => Ok(list.clone()),
            None => Err(RemoteError::Protocol {
                endpoint: self.name.clone(),
                why: "its model list has no \"data\"".into(),
            }),
        }
    }

    /// Whether the server answers, takes the key and lists the model: for `pai doctor`.
    pub fn check(&self) -> Result<String, RemoteError> {
        let list = self.models()?;
        let ids: Vec<&str> = list
            .iter()
            .filter_map(|m| m.get("id").and_then(Value::as_str))
            .collect();
        if ids.contains(&self.model.as_str()) {
            let key = match &self.key_source {
                KeySource::None => "needs no key",
                _ => "takes the key",
            };
            Ok(format!(
                "{} answers, {key} and lists {}",
                self.url, self.model
            ))
        } else {
            Err(RemoteError::ModelNotFound {
                endpoint: self.name.clone(),
                model: self.model.clone(),
                detail: format!("it lists {}", shorten_list(&ids)),
            })
        }
    }

    /// Streams the answer to `messages` into `sink` (`POST /chat/completions`). `cancel` is
    /// polled between pieces and while waiting to retry.
    pub fn chat(
        &self,
        messages: &[Message],
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<Generation, RemoteError> {
        let list: Vec<Value> = messages
            .iter()
            .map(|m| json!({"role": m.role.as_str(), "content": m.content}))
            .collect();
        let mut body = self.body(params);
        body["messages"] = json!(list);
        self.run(
            "/chat/completions",
            &body,
            Self::estimate_prompt(messages),
            cancel,
            params,
            sink,
        )
    }

    /// Continues `prompt` as it is (`POST /completions`), for `pai complete`.
    pub fn complete(
        &self,
        prompt: &str,
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<Generation, RemoteError> {
        let mut body = self.body(params);
        body["prompt"] = json!(prompt);
        self.run(
            "/completions",
            &body,
            Self::estimate_text(prompt),
            cancel,
            params,
            sink,
        )
    }

    fn run(
        &self,
        path: &str,
        body: &Value,
        estimate: usize,
        cancel: &CancelToken,
        params: &GenerateParams,
        sink: &mut dyn Sink,
    ) -> Result<Generation, RemoteError> {
        let started = Instant::now();
        let cancelled = || cancel.is_cancelled();
        let response = self.post_with_retries(path, body, &cancelled)?;
        let Some(response) = response else {
            return Ok(interrupted(estimate, started));
        };
        let json_answer = response
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"));
        let mut reader = Reader {
            engine: self,
            stops: StopMatcher::new(&params.stop),
            pieces: 0,
            first_piece: None,
            finish: None,
            usage: None,
        };
        let stop = if json_answer {
            // A server that does not stream answers in one piece.
            reader.whole(response, sink)?
        } else {
            reader.stream(response, &cancelled, sink)?
        };
        let first = reader.first_piece.unwrap_or_else(Instant::now);
        let usage = |key: &str| {
            reader
                .usage
                .as_ref()
                .and_then(|u| u.get(key))
                .and_then(Value::as_u64)
                .map(|n| n as usize)
        };
        let prompt_tokens = usage("prompt_tokens").unwrap_or(estimate);
        let generated = usage("completion_tokens").unwrap_or(reader.pieces);
        Ok(Generation {
            prompt_tokens,
            reused_tokens: 0,
            generated_tokens: generated,
            prompt_ms: (first - started).as_secs_f64() * 1000.0,
            generation_ms: first.elapsed().as_secs_f64() * 1000.0,
            stop_reason: stop,
        })
    }

    fn body(&self, params: &GenerateParams) -> Value {
        let s = &params.sampling;
        // Only fields every OpenAI-compatible server takes: top_k, min_p and the repeat
        // penalty are not in OpenAI's API, and its servers refuse what they do not know.
        let mut body = json!({
            "model": self.model,
            "stream": true,
            "stream_options": {"include_usage": true},
            "max_tokens": params.max_tokens,
            "temperature": s.temp.max(0.0),
            "seed": s.seed,
        });
        if s.temp > 0.0 && s.top_p < 1.0 {
            body["top_p"] = json!(s.top_p);
        }
        if !params.stop.is_empty() {
            let stops: Vec<&String> = params.stop.iter().take(MAX_REMOTE_STOPS).collect();
            body["stop"] = json!(stops);
        }
        body
    }

    /// Sends the request; a 429 before anything arrived waits (Retry-After, at least 1, 2, 4,
    /// 8 s) and tries again. None when cancelled while waiting.
    fn post_with_retries(
        &self,
        path: &str,
        body: &Value,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Option<ureq::Response>, RemoteError> {
        let mut delay = Duration::from_secs(1);
        for attempt in 1..=TRIES {
            let sent = self
                .request("POST", path)
                .set("Accept", "text/event-stream")
                .set("Content-Type", "application/json")
                .send_string(&body.to_string());
            match sent {
                Ok(r) => return Ok(Some(r)),
                Err(ureq::Error::Status(429, r)) if attempt < TRIES => {
                    // The server's Retry-After, but never less than the doubling backoff.
                    let asked = r
                        .header("retry-after")
                        .and_then(|v| v.trim().parse::<f64>().ok())
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .map(Duration::from_secs_f64)
                        .unwrap_or_default();
                    let wait = asked
                        .max(delay)
                        .min(Duration::from_secs(30))
                        .min(self.timeout);
                    if !sleep_unless(wait, cancelled) {
                        return Ok(None);
                    }
                    delay *= 2;
                }
                Err(ureq::Error::Status(429, r)) => {
                    return Err(RemoteError::RateLimited {
                        endpoint: self.name.clone(),
                        tries: TRIES,
                        detail: error_detail(r),
                    })
                }
                Err(e) => return Err(self.call_error(e, path)),
            }
        }
        unreachable!("the last try returns")
    }

    /// A failed call as one sentence.
    fn call_error(&self, e: ureq::Error, path: &str) -> RemoteError {
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

/// A JSON body, read whole (at most 16 MiB).
fn read_json(response: ureq::Response) -> Result<Value, String> {
    use std::io::Read;
    let mut text = String::new();
    response
        .into_reader()
        .take(16 << 20)
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

impl TokenCount for RemoteEngine {
    fn prompt_tokens(&self, messages: &[Message]) -> usize {
        Self::estimate_prompt(messages)
    }

    fn text_tokens(&self, text: &str) -> usize {
        Self::estimate_text(text)
    }
}

impl Engine for RemoteEngine {
    fn name(&self) -> &str {
        &self.name
    }

    fn window(&self) -> u32 {
        RemoteEngine::window(self)
    }

    fn generate(
        &mut self,
        messages: &[Message],
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<Generation, EngineError> {
        // An unconstrained answer where one was asked to follow a grammar is worse than none.
        if params.grammar.is_some() {
            return Err(EngineError::Remote(format!(
                "endpoint '{}' cannot be held to a grammar; structured output runs on the local model",
                self.name
            )));
        }
        if !params.adapters.is_empty() {
            return Err(EngineError::Remote(format!(
                "endpoint '{}' cannot take LoRA adapters; they apply to the local model",
                self.name
            )));
        }
        Ok(self.chat(messages, params, cancel, sink)?)
    }
}

fn is_timeout(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("timed out") || t.contains("timeout") || t.contains("would block")
}

/// The window an entry of a model list declares, under the names servers use.
fn window_of(entry: &Value) -> Option<u32> {
    let fields = [
        entry.get("max_model_len"),                           // vLLM, pai serve
        entry.get("context_length"),                          // OpenRouter, LM Studio
        entry.get("context_window"),                          // Groq
        entry.get("meta").and_then(|m| m.get("n_ctx_train")), // llama-server
    ];
    fields
        .into_iter()
        .flatten()
        .find_map(Value::as_u64)
        .filter(|&n| n >= 16)
        .map(|n| n.min(u32::MAX as u64) as u32)
}

fn shorten_list(ids: &[&str]) -> String {
    match ids.len() {
        0 => "no models".into(),
        n if n <= 8 => ids.join(", "),
        n => format!("{} and {} more", ids[..8].join(", "), n - 8),
    }
}

/// The server's own words from an error body: OpenAI's `{"error": {"message"}}`, a plain
/// `{"error": "…"}` or `{"detail": …}`, else the first line of the text.
fn error_detail(r: ureq::Response) -> String {
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

fn sleep_unless(total: Duration, cancelled: &dyn Fn() -> bool) -> bool {
    let until = Instant::now() + total;
    while Instant::now() < until {
        if cancelled() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50).min(until - Instant::now()));
    }
    !cancelled()
}

fn interrupted(prompt_tokens: usize, started: Instant) -> Generation {
    Generation {
        prompt_tokens,
        reused_tokens: 0,
        generated_tokens: 0,
        prompt_ms: started.elapsed().as_secs_f64() * 1000.0,
        generation_ms: 0.0,
        stop_reason: StopReason::Interrupted,
    }
}

/// Reads one answer, stream or whole, into the sink.
struct Reader<'a> {
    engine: &'a RemoteEngine,
    stops: StopMatcher,
    pieces: usize,
    first_piece: Option<Instant>,
    finish: Option<String>,
    usage: Option<Value>,
}

enum Step {
    Go,
    Stop(StopReason),
}

impl Reader<'_> {
    fn cut(&self, why: impl Into<String>) -> RemoteError {
        RemoteError::Cut {
            endpoint: self.engine.name.clone(),
            pieces: self.pieces,
            why: why.into(),
        }
    }

    fn stream(
        &mut self,
        response: ureq::Response,
        cancelled: &dyn Fn() -> bool,
        sink: &mut dyn Sink,
    ) -> Result<StopReason, RemoteError> {
        let mut lines = BufReader::new(response.into_reader());
        let mut line = String::new();
        let mut data = String::new();
        loop {
            if cancelled() {
                // Dropping the reader closes the connection, which stops a server that listens.
                return Ok(StopReason::Interrupted);
            }
            line.clear();
            let read = lines.read_line(&mut line).map_err(|e| {
                if is_timeout(&e.to_string()) || e.kind() == std::io::ErrorKind::TimedOut {
                    self.cut(format!(
                        "the server was silent for {} s (timeout_s)",
                        self.engine.timeout.as_secs_f64()
                    ))
                } else {
                    self.cut(format!("the connection failed: {e}"))
                }
            })?;
            if read == 0 {
                // The connection closed without [DONE]. A finish reason means the answer was
                // whole (some servers close right after it); otherwise it was cut.
                return match self.finish.clone() {
                    Some(reason) => Ok(self.end(&reason, sink)),
                    None => Err(self.cut("the connection closed before the server finished")),
                };
            }
            let l = line.trim_end_matches(['\r', '\n']);
            if let Some(rest) = l.strip_prefix("data:") {
                if !data.is_empty() {
                    data.push('\n');
                }
                data.push_str(rest.strip_prefix(' ').unwrap_or(rest));
                continue;
            }
            if !l.is_empty() || data.is_empty() {
                continue; // event:, id:, retry:, comments and keep-alives
            }
            let event = std::mem::take(&mut data);
            if event.trim() == "[DONE]" {
                return Ok(match self.finish.take() {
                    Some(reason) => self.end(&reason, sink),
                    None => self.end("stop", sink),
                });
            }
            match self.event(&event, sink)? {
                Step::Go => {}
                Step::Stop(reason) => return Ok(reason),
            }
        }
    }

    /// One event's JSON: text, a finish reason, usage, or an error.
    fn event(&mut self, data: &str, sink: &mut dyn Sink) -> Result<Step, RemoteError> {
        let value: Value = serde_json::from_str(data).map_err(|e| RemoteError::Protocol {
            endpoint: self.engine.name.clone(),
            why: format!("an event is not JSON ({e})"),
        })?;
        if let Some(error) = value.get("error") {
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| error.to_string());
            let why = format!(
                "the server reported: {}",
                crate::render::sanitize_line(&message)
            );
            return Err(self.cut(why));
        }
        if let Some(u) = value.get("usage").filter(|u| u.is_object()) {
            self.usage = Some(u.clone());
        }
        let Some(choice) = value.get("choices").and_then(|c| c.get(0)) else {
            return Ok(Step::Go);
        };
        let text = choice
            .get("delta")
            .and_then(|d| d.get("content"))
            .or_else(|| choice.get("text"))
            .and_then(Value::as_str)
            .unwrap_or("");
        if !text.is_empty() {
            if self.first_piece.is_none() {
                self.first_piece = Some(Instant::now());
            }
            self.pieces += 1;
            let released = self.stops.push(text);
            if !released.text.is_empty() && !self.emit(sink, &released.text)? {
                return Ok(Step::Stop(StopReason::ReaderClosed));
            }
            if released.stopped {
                return Ok(Step::Stop(StopReason::StopString));
            }
        }
        if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str) {
            self.finish = Some(reason.to_string());
        }
        Ok(Step::Go)
    }

    fn emit(&self, sink: &mut dyn Sink, text: &str) -> Result<bool, RemoteError> {
        sink.piece(text).map_err(RemoteError::Output)
    }

    /// Releases what the stop matcher held back and maps the finish reason.
    fn end(&mut self, reason: &str, sink: &mut dyn Sink) -> StopReason {
        let rest = self.stops.finish();
        if !rest.is_empty() {
            let _ = sink.piece(&rest);
        }
        match reason {
            "length" => StopReason::MaxTokens,
            _ => StopReason::EndOfText,
        }
    }

    fn whole(
        &mut self,
        response: ureq::Response,
        sink: &mut dyn Sink,
    ) -> Result<StopReason, RemoteError> {
        let value: Value =
            read_json(response).map_err(|e| self.cut(format!("the answer is not JSON: {e}")))?;
        if let Some(u) = value.get("usage").filter(|u| u.is_object()) {
            self.usage = Some(u.clone());
        }
        let choice = value.get("choices").and_then(|c| c.get(0));
        let text = choice
            .and_then(|c| {
                c.get("message")
                    .and_then(|m| m.get("content"))
                    .or_else(|| c.get("text"))
            })
            .and_then(Value::as_str)
            .unwrap_or("");
        self.first_piece = Some(Instant::now());
        if !text.is_empty() {
            self.pieces = 1;
            let released = self.stops.push(text);
            if !released.text.is_empty() && !self.emit(sink, &released.text)? {
                return Ok(StopReason::ReaderClosed);
            }
            if released.stopped {
                return Ok(StopReason::StopString);
            }
        }
        let reason = choice
            .and_then(|c| c.get("finish_reason"))
            .and_then(Value::as_str)
            .unwrap_or("stop")
            .to_string();
        Ok(self.end(&reason, sink))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_read_under_every_name() {
        assert_eq!(
            window_of(&json!({"id": "m", "max_model_len": 32768})),
            Some(32768)
        );
        assert_eq!(
            window_of(&json!({"id": "m", "meta": {"n_ctx_train": 8192}})),
            Some(8192)
        );
        assert_eq!(
            window_of(&json!({"id": "m", "context_length": 4096})),
            Some(4096)
        );
        assert_eq!(window_of(&json!({"id": "m"})), None);
    }

    #[test]
    fn estimates_overcount_english() {
        // "The quick brown fox" is 4 tokens in most vocabularies.
        assert!(RemoteEngine::estimate_text("The quick brown fox") >= 4);
    }
}
