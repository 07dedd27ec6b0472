//! Reading one answer from the server into the sink: a stream of server-sent events, or the
//! whole JSON body from a server that does not stream.
use std::io::{BufRead, BufReader};
use std::time::Instant;

use serde_json::Value;

use super::calls::Calls;
use super::error::{is_timeout, RemoteError};
use super::RemoteEngine;
use crate::engine::text::StopMatcher;
use crate::engine::{Sink, StopReason};

/// Reads one answer, stream or whole, into the sink.
pub(super) struct Reader<'a> {
    engine: &'a RemoteEngine,
    stops: StopMatcher,
    /// Pieces of text received so far.
    pub(super) pieces: usize,
    pub(super) first_piece: Option<Instant>,
    finish: Option<String>,
    /// The server's token counts, when it sends them.
    pub(super) usage: Option<Value>,
    /// The tool calls the answer makes.
    pub(super) calls: Calls,
}

enum Step {
    Go,
    Stop(StopReason),
}

impl<'a> Reader<'a> {
    pub(super) fn new(engine: &'a RemoteEngine, stops: StopMatcher) -> Self {
        Self {
            engine,
            stops,
            pieces: 0,
            first_piece: None,
            finish: None,
            usage: None,
            calls: Calls::default(),
        }
    }

    fn cut(&self, why: impl Into<String>) -> RemoteError {
        RemoteError::Cut {
            endpoint: self.engine.name.clone(),
            pieces: self.pieces,
            why: why.into(),
        }
    }

    pub(super) fn stream(
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
        if let Some(list) = choice.get("delta").and_then(|d| d.get("tool_calls")) {
            if self.first_piece.is_none() {
                self.first_piece = Some(Instant::now());
            }
            self.calls.delta(list);
        }
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

    pub(super) fn whole(
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
        if let Some(list) = choice.and_then(|c| c.get("message")?.get("tool_calls")) {
            self.calls.whole(list);
        }
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

/// Why a JSON body could not be read: the connection, or the text.
#[derive(Debug, thiserror::Error)]
pub(super) enum BodyError {
    #[error("{0}")]
    Read(#[from] std::io::Error),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

/// A JSON body, read whole (at most 16 MiB).
pub(super) fn read_json(response: ureq::Response) -> Result<Value, BodyError> {
    use std::io::Read;
    let mut text = String::new();
    response
        .into_reader()
        .take(16 << 20)
        .read_to_string(&mut text)?;
    Ok(serde_json::from_str(&text)?)
}
