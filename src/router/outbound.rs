//! The only way a request leaves the machine: a remote engine wrapped so that every secret is
//! replaced before sending and put back in the reply, a request that still holds a sure secret
//! is refused, and every call is a row in the audit log. Every front end that talks to a
//! remote (a tier, `--endpoint`, the chat) goes through this.
use std::path::PathBuf;

use super::redact::{Redactor, Restore};
use super::Tier;
use crate::cancel::CancelToken;
use crate::config::{Config, EndpointConfig};
use crate::engine::remote::RemoteEngine;
use crate::engine::{Engine, EngineError, GenerateParams, Generation, Sink, TokenCount};
use crate::message::Message;
use crate::store::calls::{cost_usd, NewCall};
use crate::store::Store;
use crate::tool::{ToolSpec, Tools};

/// How a call is labelled in the audit log.
#[derive(Debug, Clone)]
pub struct CallLabel {
    pub front: &'static str,
    pub tier: Tier,
    pub reason: String,
    /// ok, or escalated when the local model began and handed over.
    pub outcome: &'static str,
    pub local_tokens: u32,
}

impl CallLabel {
    pub fn new(front: &'static str, tier: Tier, reason: &str) -> Self {
        Self {
            front,
            tier,
            reason: reason.to_string(),
            outcome: "ok",
            local_tokens: 0,
        }
    }
}

/// Where calls are logged: the database, whether payloads are kept, which front end calls.
#[derive(Debug, Clone)]
pub struct AuditTo {
    pub database: PathBuf,
    pub keep_payload: bool,
    pub front: &'static str,
}

impl AuditTo {
    pub fn new(database: PathBuf, config: &Config, front: &'static str) -> Self {
        Self {
            database,
            keep_payload: config.router.audit_payloads,
            front,
        }
    }
}

/// What the last call sent.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    pub redactions: usize,
    pub tokens_in: usize,
    pub tokens_out: usize,
    pub cost_usd: f64,
    /// The call's row in the audit log.
    pub row: Option<i64>,
}

pub struct Outbound {
    engine: RemoteEngine,
    endpoint: EndpointConfig,
    database: PathBuf,
    keep_payload: bool,
    pub label: CallLabel,
    pub last: Sent,
}

impl Outbound {
    pub fn new(
        engine: RemoteEngine,
        endpoint: &EndpointConfig,
        audit: &AuditTo,
        label: CallLabel,
    ) -> Self {
        Self {
            engine,
            endpoint: endpoint.clone(),
            database: audit.database.clone(),
            keep_payload: audit.keep_payload,
            label,
            last: Sent::default(),
        }
    }

    pub fn remote(&self) -> &RemoteEngine {
        &self.engine
    }

    /// The tier whose endpoint this is, for `--endpoint NAME`; the medium tier when no tier
    /// names it (an explicitly chosen endpoint is audited like one).
    pub fn tier_of(name: &str, config: &Config) -> Tier {
        if config.tiers.large.as_deref() == Some(name) {
            Tier::Large
        } else {
            Tier::Medium
        }
    }

    fn record(
        &mut self,
        store: &Store,
        sent: &[Message],
        g: Option<&Generation>,
    ) -> Result<(), EngineError> {
        let payload = payload_json(sent);
        let (tokens_in, tokens_out) = g.map_or((0, 0), |g| {
            (g.prompt_tokens as u32, g.generated_tokens as u32)
        });
        let row = NewCall {
            front: self.label.front,
            tier: self.label.tier,
            reason: &self.label.reason,
            endpoint: Some(self.engine.name()),
            model: self.engine.model(),
            tokens_in,
            tokens_out,
            cost_usd: cost_usd(tokens_in, tokens_out, &self.endpoint),
            avoided_usd: 0.0,
            redactions: self.last.redactions as u32,
            payload: Some(&payload),
            keep_payload: self.keep_payload,
            outcome: if g.is_some() {
                self.label.outcome
            } else {
                crate::store::calls::FAILED
            },
            local_tokens: self.label.local_tokens,
        };
        let id = store.record_call(&row).map_err(|e| {
            EngineError::Remote(format!("cannot write the audit log: {}", e.message))
        })?;
        self.last.row = Some(id);
        Ok(())
    }
}

/// The payload as it left, for its hash (and, when asked, the log): tool calls and the ids
/// of tool results included, since their arguments and results leave too.
fn payload_json(messages: &[Message]) -> String {
    let list: Vec<serde_json::Value> = messages
        .iter()
        .map(|m| {
            let mut v = serde_json::json!({"role": m.role.as_str(), "content": m.content});
            if !m.tool_calls.is_empty() {
                v["tool_calls"] = serde_json::json!(m.tool_calls);
            }
            if let Some(id) = &m.tool_call_id {
                v["tool_call_id"] = serde_json::json!(id);
            }
            v
        })
        .collect();
    serde_json::Value::from(list).to_string()
}

/// The messages as they leave: every secret replaced. A secret that a sure rule still finds
/// after redaction keeps the request here.
pub fn redact_messages(messages: &[Message]) -> Result<(Vec<Message>, Redactor), EngineError> {
    let mut redactor = Redactor::new();
    let sent: Vec<Message> = messages
        .iter()
        .map(|m| Message {
            content: redactor.redact(&m.content),
            // A call's arguments and a tool's result leave like any other text.
            tool_calls: m
                .tool_calls
                .iter()
                .map(|c| crate::tool::ToolCall {
                    arguments: redactor.redact(&c.arguments),
                    ..c.clone()
                })
                .collect(),
            ..m.clone()
        })
        .collect();
    let texts = sent.iter().flat_map(|m| {
        std::iter::once(m.content.as_str()).chain(m.tool_calls.iter().map(|c| c.arguments.as_str()))
    });
    if let Some(kind) = texts.flat_map(Redactor::leaks).next() {
        return Err(EngineError::Remote(format!(
            "the request holds a secret ({kind}) that pai cannot take out cleanly, so it does not leave this machine"
        )));
    }
    Ok((sent, redactor))
}

/// The tools as they leave: the text of their descriptions and schemas (a client's tools
/// through `pai serve`, an MCP server's) redacted with the request's other text, so that a
/// placeholder the model copies into a call's arguments is restored like any other.
fn redact_tools(tools: &Tools, redactor: &mut Redactor) -> Result<Tools, EngineError> {
    let specs: Vec<ToolSpec> = tools
        .specs
        .iter()
        .map(|s| ToolSpec {
            name: s.name.clone(),
            description: redactor.redact(&s.description),
            parameters: redact_strings(&s.parameters, redactor),
        })
        .collect();
    let texts = specs
        .iter()
        .flat_map(|s| [s.description.clone(), s.parameters.to_string()]);
    for text in texts {
        if let Some(kind) = Redactor::leaks(&text).first() {
            return Err(EngineError::Remote(format!(
                "a tool's description or schema holds a secret ({kind}) that pai cannot take out cleanly, so the request does not leave this machine"
            )));
        }
    }
    Ok(Tools {
        specs,
        ..tools.clone()
    })
}

/// Every string in a JSON value redacted; keys stay (they are the schema's names).
fn redact_strings(value: &serde_json::Value, redactor: &mut Redactor) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(redactor.redact(s)),
        Value::Array(items) => items.iter().map(|v| redact_strings(v, redactor)).collect(),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), redact_strings(v, redactor)))
                .collect(),
        ),
        other => other.clone(),
    }
}

impl TokenCount for Outbound {
    fn prompt_tokens(&self, messages: &[Message]) -> usize {
        self.engine.prompt_tokens(messages)
    }

    fn text_tokens(&self, text: &str) -> usize {
        self.engine.text_tokens(text)
    }

    fn prompt_tokens_with(&self, messages: &[Message], tools: &Tools) -> usize {
        self.engine.prompt_tokens_with(messages, tools)
    }
}

impl Engine for Outbound {
    fn name(&self) -> &str {
        self.engine.name()
    }

    fn window(&self) -> u32 {
        self.engine.window()
    }

    fn generate(
        &mut self,
        messages: &[Message],
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<Generation, EngineError> {
        self.call(
            messages,
            &params.tools,
            sink,
            |engine, sent, tools, sink| {
                let params = GenerateParams {
                    tools: tools.clone(),
                    ..params.clone()
                };
                engine.generate(sent, &params, cancel, sink)
            },
        )
    }
}

impl Outbound {
    /// Continues `prompt` as text (`/v1/completions`), guarded like a chat request.
    pub fn complete(
        &mut self,
        prompt: &str,
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<Generation, EngineError> {
        let messages = [Message::new(crate::message::Role::User, prompt)];
        self.call(
            &messages,
            &Tools::default(),
            sink,
            |engine, sent, _, sink| Ok(engine.complete(&sent[0].content, params, cancel, sink)?),
        )
    }

    /// Redacts, opens the log, sends, restores the reply, records the call.
    fn call(
        &mut self,
        messages: &[Message],
        tools: &Tools,
        sink: &mut dyn Sink,
        send: impl FnOnce(
            &mut RemoteEngine,
            &[Message],
            &Tools,
            &mut dyn Sink,
        ) -> Result<Generation, EngineError>,
    ) -> Result<Generation, EngineError> {
        let (sent, mut redactor) = redact_messages(messages)?;
        let tools = redact_tools(tools, &mut redactor)?;
        // No call leaves unrecorded: the log must open before anything is sent.
        let store = Store::open(&self.database).map_err(|e| {
            EngineError::Remote(format!("cannot open the audit log: {}", e.message))
        })?;
        self.last = Sent {
            redactions: redactor.count(),
            ..Sent::default()
        };
        let result = {
            let mut restore = Restore::new(&redactor, sink);
            let result = send(&mut self.engine, &sent, &tools, &mut restore);
            result.and_then(|g| restore.finish().map(|_| g).map_err(EngineError::Output))
        };
        let recorded = self.record(&store, &sent, result.as_ref().ok());
        let mut g = result?;
        // The model may repeat a placeholder in a call's arguments: the secret goes back in
        // here, where the call runs.
        for call in &mut g.tool_calls {
            call.arguments = redactor.restore(&call.arguments);
        }
        recorded?;
        self.last.tokens_in = g.prompt_tokens;
        self.last.tokens_out = g.generated_tokens;
        self.last.cost_usd = cost_usd(
            g.prompt_tokens as u32,
            g.generated_tokens as u32,
            &self.endpoint,
        );
        Ok(g)
    }
}
