//! The remote engine: any OpenAI-compatible server (vLLM, llama-server, Ollama, a cloud API,
//! another `pai serve`) named under `[endpoints.NAME]` in config.toml, streamed over SSE with
//! the blocking `ureq` client. Every failure is one sentence that names the endpoint, and none
//! hangs: connecting and every read wait at most `timeout_s`. A 429 is retried with backoff
//! only before the first token; a stream cut mid-answer keeps what arrived (it is already in
//! the sink) and says that it was cut.
mod answer;
mod calls;
mod error;

use std::cell::OnceCell;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::text::StopMatcher;
use super::{Engine, EngineError, GenerateParams, Generation, Sink, StopReason, TokenCount};
use crate::cancel::CancelToken;
use crate::config::EndpointConfig;
use crate::message::Message;
use answer::{read_json, Reader};
use error::error_detail;
pub use error::RemoteError;

/// The window when neither config.toml nor the server says.
pub const DEFAULT_WINDOW: u32 = 8192;
/// Tries for a 429 before the first token, the first included: waits of 1, 2, 4 and 8 s.
const TRIES: u32 = 5;
/// The most stop strings OpenAI's API takes; the rest are matched here.
const MAX_REMOTE_STOPS: usize = 4;

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

    /// Every message's text, its calls' names and arguments and its framing.
    pub fn estimate_prompt(messages: &[Message]) -> usize {
        let call = |c: &crate::tool::ToolCall| {
            Self::estimate_text(&c.name) + Self::estimate_text(&c.arguments) + 8
        };
        messages
            .iter()
            .map(|m| {
                Self::estimate_text(&m.content) + m.tool_calls.iter().map(call).sum::<usize>() + 4
            })
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
        let names = calls::Names::of(&params.tools);
        let list: Vec<Value> = messages
            .iter()
            .map(|m| calls::message_json(m, &names))
            .collect();
        let mut body = self.body(params);
        body["messages"] = json!(list);
        calls::add_tools(&mut body, &params.tools, &names);
        let estimate = self.prompt_tokens_with(messages, &params.tools);
        let mut g = self.run("/chat/completions", &body, estimate, cancel, params, sink)?;
        for call in &mut g.tool_calls {
            call.name = names.offered(&call.name);
        }
        Ok(g)
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
        let mut reader = Reader::new(self, StopMatcher::new(&params.stop));
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
        let tool_calls = reader.calls.finish();
        let stop = if tool_calls.is_empty() {
            stop
        } else {
            StopReason::ToolCalls
        };
        Ok(Generation {
            tool_calls,
            prompt_tokens,
            reused_tokens: 0,
            generated_tokens: generated,
            prompt_ms: (first - started).as_secs_f64() * 1000.0,
            generation_ms: first.elapsed().as_secs_f64() * 1000.0,
            stop_reason: stop,
            speculation: Default::default(),
            prefix: Default::default(),
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
        tool_calls: Vec::new(),
        prompt_tokens,
        reused_tokens: 0,
        generated_tokens: 0,
        prompt_ms: started.elapsed().as_secs_f64() * 1000.0,
        generation_ms: 0.0,
        stop_reason: StopReason::Interrupted,
        speculation: Default::default(),
        prefix: Default::default(),
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
