//! The answer to a chat or completion request, in OpenAI's format: one JSON body, or
//! server-sent events (a first chunk, one per piece, a last one with the finish reason, a
//! usage chunk when asked, then `[DONE]`). Each finished answer gets a line in the log.
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;

use axum::http::header;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::api;
use super::error::ApiError;
use super::job::Event;
use super::pending::Pending;
use super::state::Shared;
use super::tools;
use crate::context::Excerpt;
use crate::engine::Generation;

/// What every response of one request shares.
pub struct Reply {
    pub id: String,
    pub created: u64,
    pub model: String,
    pub prompt_tokens: usize,
    /// pai's extension: the sources used, when the request asked for pai's context.
    pub pai: Option<Value>,
    pub include_usage: bool,
    pub chat: bool,
    /// Whether the client asked for log-probabilities (then `logprobs` is an object, not null).
    pub logprobs: bool,
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

    /// A chat chunk whose delta calls tools.
    fn calls_delta(&self, calls: Value) -> Value {
        let choice = json!({"index": 0, "delta": {"tool_calls": calls}, "logprobs": null, "finish_reason": null});
        self.chunk(json!([choice]))
    }

    /// `logprobs` of a choice: null unless asked.
    fn logprobs_json(&self, entries: Vec<Value>) -> Value {
        if self.logprobs {
            json!({"content": entries, "refusal": null})
        } else {
            Value::Null
        }
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

/// pai's extension: the excerpts the answer may cite as `[n]`.
pub fn sources_json(sources: &[Excerpt]) -> Value {
    json!({"sources": crate::context::sources_json(sources)})
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
    tracing::info!(
        "pai serve: {what} {model}: {prompt_tokens} prompt tokens ({} from cache), {} generated at {:.1} tok/s, {}",
        g.reused_tokens,
        g.generated_tokens,
        g.generation_tps(),
        api::finish_reason(g.stop_reason)
    );
}

/// A request's or an answer's text, only with --log-bodies.
pub fn log_body(s: &Shared, label: &str, text: &str) {
    if s.policy.log_bodies {
        tracing::info!("pai serve: {label}: {}", crate::render::sanitize_line(text));
    }
}

/// The whole answer as one JSON body.
pub async fn collect(
    s: Arc<Shared>,
    reply: Reply,
    mut pending: Pending,
) -> Result<Response, ApiError> {
    let mut text = String::new();
    let mut logprobs = Vec::new();
    let generation = loop {
        match pending.next().await {
            Some(Event::Piece(p)) => text.push_str(&p),
            Some(Event::Logprobs(t)) => logprobs.push(tools::logprob_json(&t)),
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
    let logprobs = reply.logprobs_json(logprobs);
    let choice = if reply.chat {
        json!({"index": 0, "message": message(text, &generation), "logprobs": logprobs, "finish_reason": finish})
    } else {
        json!({"index": 0, "text": text, "logprobs": logprobs, "finish_reason": finish})
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

/// The answer's message: its text, or null when it only calls tools, and its calls.
fn message(text: String, g: &Generation) -> Value {
    if g.tool_calls.is_empty() {
        return json!({"role": "assistant", "content": text});
    }
    let content = if text.is_empty() {
        Value::Null
    } else {
        json!(text)
    };
    json!({"role": "assistant", "content": content, "tool_calls": tools::calls_json(&g.tool_calls)})
}

/// A stream in progress: the events ready to send, and what the log needs at the end.
struct Streaming {
    s: Arc<Shared>,
    reply: Reply,
    pending: Pending,
    out: VecDeque<SseEvent>,
    first: bool,
    ended: bool,
    text: String,
    /// Log-probabilities of tokens whose text has not been sent yet.
    logprobs: Vec<Value>,
}

fn data(v: Value) -> SseEvent {
    SseEvent::default().data(v.to_string())
}

impl Streaming {
    /// Turns the job's next event into the chunks it sends; the stream ends after a finish
    /// or a failure.
    fn on_event(&mut self, event: Option<Event>) {
        match event {
            Some(Event::Piece(p)) => {
                if self.s.policy.log_bodies {
                    self.text.push_str(&p);
                }
                let mut chunk = self.reply.delta(Some(&p), false, None);
                if self.reply.logprobs {
                    let entries = std::mem::take(&mut self.logprobs);
                    chunk["choices"][0]["logprobs"] = self.reply.logprobs_json(entries);
                }
                self.out.push_back(data(chunk));
            }
            Some(Event::Logprobs(t)) => self.logprobs.push(tools::logprob_json(&t)),
            Some(Event::Finished(g)) => self.on_finished(&g),
            Some(Event::Failed(e)) => {
                self.out.push_back(data(e.body()));
                self.ended = true;
            }
            _ => {
                let e = ApiError::internal("the engine stopped in the middle of the answer");
                self.out.push_back(data(e.body()));
                self.ended = true;
            }
        }
    }

    fn on_finished(&mut self, g: &Generation) {
        for calls in tools::call_deltas(&g.tool_calls) {
            self.out.push_back(data(self.reply.calls_delta(calls)));
        }
        let finish = api::finish_reason(g.stop_reason);
        let mut last = self.reply.delta(None, false, Some(finish));
        if self.reply.logprobs && !self.logprobs.is_empty() {
            let entries = std::mem::take(&mut self.logprobs);
            last["choices"][0]["logprobs"] = self.reply.logprobs_json(entries);
        }
        last["timings"] = timings(g);
        self.out.push_back(data(last));
        if self.reply.include_usage {
            let mut usage = self.reply.chunk(json!([]));
            usage["usage"] = api::usage(self.reply.prompt_tokens, g.generated_tokens);
            self.out.push_back(data(usage));
        }
        self.out.push_back(SseEvent::default().data("[DONE]"));
        log_finish(
            self.reply.object(true),
            &self.reply.model,
            self.reply.prompt_tokens,
            g,
        );
        log_body(&self.s, "answer", &self.text);
        self.ended = true;
    }
}

/// The answer as server-sent events: a first chunk (the role, and pai's sources when asked),
/// one chunk per piece, a last chunk with the finish reason, a usage chunk only when
/// `stream_options.include_usage` asked for one, then `[DONE]`. The stream owns the job's
/// receiver: when the client goes away hyper drops it, and the job is cancelled.
pub fn stream(s: Arc<Shared>, reply: Reply, pending: Pending) -> Response {
    let state = Streaming {
        s,
        reply,
        pending,
        out: VecDeque::new(),
        first: true,
        ended: false,
        text: String::new(),
        logprobs: Vec::new(),
    };
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
            let event = st.pending.next().await;
            st.on_event(event);
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

/// The answer streamed or in one body, as the request asked.
pub async fn respond(
    s: Arc<Shared>,
    reply: Reply,
    pending: Pending,
    streamed: bool,
) -> Result<Response, ApiError> {
    if streamed {
        Ok(stream(s, reply, pending))
    } else {
        collect(s, reply, pending).await
    }
}
