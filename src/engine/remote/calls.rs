//! Tool calls over OpenAI's API: the `tools` and `tool_choice` a request offers, messages that
//! carry calls and results, and the calls an answer makes, whole or as streamed deltas joined
//! by their index. OpenAI's function names are `^[a-zA-Z0-9_-]{1,64}$`, which an MCP server's
//! `NAME.tool` is not: such names leave under a valid stand-in ([`Names`]) and come back as
//! they were.
use std::borrow::Cow;

use serde_json::{json, Value};

use crate::message::{Message, Role};
use crate::tool::{ToolCall, ToolChoice, Tools};

/// The longest function name OpenAI's API takes.
const MAX_NAME: usize = 64;

/// Whether OpenAI's API takes `name` as a function's name.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The names tools leave under: each name OpenAI's API refuses gets a stand-in (every other
/// character `_`, cut to 64, a number added when that is taken), one per request, so that the
/// calls that come back can be named as the tools were offered.
#[derive(Debug, Default)]
pub struct Names {
    /// (the name as offered, the name sent), for the names that differ.
    renamed: Vec<(String, String)>,
}

impl Names {
    pub fn of(tools: &Tools) -> Self {
        let mut taken: Vec<String> = tools
            .specs
            .iter()
            .filter(|s| is_valid_name(&s.name))
            .map(|s| s.name.clone())
            .collect();
        let mut renamed = Vec::new();
        for spec in tools.specs.iter().filter(|s| !is_valid_name(&s.name)) {
            let base = stand_in(&spec.name);
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) {
                let suffix = format!("_{n}");
                let keep = base.len().min(MAX_NAME - suffix.len());
                name = format!("{}{suffix}", &base[..keep]);
                n += 1;
            }
            taken.push(name.clone());
            renamed.push((spec.name.clone(), name));
        }
        Self { renamed }
    }

    /// The name a tool or an earlier call goes out under.
    pub fn sent<'a>(&self, name: &'a str) -> Cow<'a, str> {
        match self.renamed.iter().find(|(offered, _)| offered == name) {
            Some((_, sent)) => Cow::Owned(sent.clone()),
            None if is_valid_name(name) => Cow::Borrowed(name),
            None => Cow::Owned(stand_in(name)),
        }
    }

    /// The name as offered of a call that came back (a name pai did not send stays as it is).
    pub fn offered(&self, sent: &str) -> String {
        self.renamed
            .iter()
            .find(|(_, s)| s == sent)
            .map_or_else(|| sent.to_string(), |(offered, _)| offered.clone())
    }
}

/// `name` with each character OpenAI refuses as `_`, at most 64 characters long.
fn stand_in(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(MAX_NAME)
        .collect();
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// A message as OpenAI's chat API takes it: an assistant's calls with `content: null` when it
/// said nothing, a tool result with the id of the call it answers.
pub(super) fn message_json(m: &Message, names: &Names) -> Value {
    let mut value = json!({"role": m.role.as_str(), "content": m.content});
    if m.role == Role::Assistant && !m.tool_calls.is_empty() {
        let calls: Vec<Value> = m.tool_calls.iter().map(|c| call_json(c, names)).collect();
        value["tool_calls"] = json!(calls);
        if m.content.is_empty() {
            value["content"] = Value::Null;
        }
    }
    if let Some(id) = &m.tool_call_id {
        value["tool_call_id"] = json!(id);
    }
    value
}

fn call_json(call: &ToolCall, names: &Names) -> Value {
    json!({
        "id": call.id,
        "type": "function",
        "function": {"name": names.sent(&call.name), "arguments": call.arguments},
    })
}

/// Adds `tools`, `tool_choice` and `parallel_tool_calls` to a request body; nothing when no
/// tools are offered.
pub(super) fn add_tools(body: &mut Value, tools: &Tools, names: &Names) {
    if tools.specs.is_empty() {
        return;
    }
    let specs: Vec<Value> = tools
        .specs
        .iter()
        .map(|s| {
            json!({"type": "function", "function": {
                "name": names.sent(&s.name), "description": s.description, "parameters": s.parameters,
            }})
        })
        .collect();
    body["tools"] = json!(specs);
    body["tool_choice"] = match &tools.choice {
        ToolChoice::Auto => json!("auto"),
        ToolChoice::None => json!("none"),
        ToolChoice::Required => json!("required"),
        ToolChoice::Named(name) => {
            json!({"type": "function", "function": {"name": names.sent(name)}})
        }
    };
    body["parallel_tool_calls"] = json!(tools.parallel);
}

/// Calls as they arrive: whole in a message, or in pieces (the id and name first, then the
/// arguments a few characters at a time), each piece naming the call's index.
#[derive(Debug, Default)]
pub(super) struct Calls {
    parts: Vec<(u64, ToolCall)>,
}

impl Calls {
    /// The `tool_calls` of a streamed delta.
    pub(super) fn delta(&mut self, list: &Value) {
        let Some(list) = list.as_array() else { return };
        for (position, item) in list.iter().enumerate() {
            let index = item
                .get("index")
                .and_then(Value::as_u64)
                .unwrap_or(position as u64);
            let at = match self.parts.iter().position(|(i, _)| *i == index) {
                Some(at) => at,
                None => {
                    self.parts.push((index, empty_call()));
                    self.parts.len() - 1
                }
            };
            let call = &mut self.parts[at].1;
            if let Some(id) = item.get("id").and_then(Value::as_str) {
                call.id.push_str(id);
            }
            let function = item.get("function");
            if let Some(name) = function.and_then(|f| f.get("name")).and_then(Value::as_str) {
                call.name.push_str(name);
            }
            if let Some(args) = function.and_then(|f| f.get("arguments")) {
                push_arguments(&mut call.arguments, args);
            }
        }
    }

    /// The `tool_calls` of a whole message.
    pub(super) fn whole(&mut self, list: &Value) {
        self.delta(list);
    }

    /// The calls in index order; a call without an id gets one, without arguments `{}`.
    pub(super) fn finish(&mut self) -> Vec<ToolCall> {
        let mut parts = std::mem::take(&mut self.parts);
        parts.sort_by_key(|(i, _)| *i);
        parts
            .into_iter()
            .map(|(i, mut call)| {
                if call.id.is_empty() {
                    call.id = format!("call_{i}");
                }
                if call.arguments.trim().is_empty() {
                    call.arguments = "{}".into();
                }
                call
            })
            .collect()
    }
}

fn empty_call() -> ToolCall {
    ToolCall {
        id: String::new(),
        name: String::new(),
        arguments: String::new(),
    }
}

/// Arguments are JSON text in OpenAI's API; some servers send the object itself.
fn push_arguments(into: &mut String, args: &Value) {
    match args {
        Value::String(s) => into.push_str(s),
        Value::Null => {}
        other => into.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_pieces_join_by_index() {
        let mut calls = Calls::default();
        calls.delta(
            &json!([{"index": 0, "id": "a", "function": {"name": "read", "arguments": ""}}]),
        );
        calls.delta(&json!([{"index": 1, "id": "b", "function": {"name": "list"}}]));
        calls.delta(&json!([{"index": 0, "function": {"arguments": "{\"path\":"}}]));
        calls.delta(&json!([{"index": 0, "function": {"arguments": "\"x\"}"}}]));
        let done = calls.finish();
        assert_eq!(done.len(), 2);
        assert_eq!(done[0].name, "read");
        assert_eq!(done[0].arguments, "{\"path\":\"x\"}");
        assert_eq!(done[1].arguments, "{}");
    }

    #[test]
    fn an_assistant_call_without_text_has_null_content() {
        let m = Message::calls(
            "",
            vec![ToolCall {
                id: "c1".into(),
                name: "read".into(),
                arguments: "{}".into(),
            }],
        );
        let v = message_json(&m, &Names::default());
        assert!(v["content"].is_null());
        assert_eq!(v["tool_calls"][0]["function"]["name"], "read");
        let r = message_json(&Message::tool_result("c1", "text"), &Names::default());
        assert_eq!(r["tool_call_id"], "c1");
    }

    fn spec(name: &str) -> crate::tool::ToolSpec {
        crate::tool::ToolSpec {
            name: name.into(),
            description: String::new(),
            parameters: json!({"type": "object", "properties": {}}),
        }
    }

    #[test]
    fn mcp_names_leave_valid_and_come_back_as_offered() {
        let long = format!("srv.{}", "x".repeat(70));
        let tools = Tools {
            specs: ["notes.search", "notes_search", "read", "a b/c", &long]
                .into_iter()
                .map(spec)
                .collect(),
            choice: ToolChoice::Named("notes.search".into()),
            parallel: true,
        };
        let names = Names::of(&tools);
        let mut body = json!({});
        add_tools(&mut body, &tools, &names);
        let sent: Vec<&str> = body["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["function"]["name"].as_str().unwrap())
            .collect();
        assert!(sent.iter().all(|n| is_valid_name(n)), "{sent:?}");
        let mut unique = sent.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), sent.len(), "{sent:?}");
        assert_eq!(sent[1], "notes_search");
        assert_eq!(sent[0], "notes_search_2");
        assert_eq!(sent[2], "read");
        assert_eq!(body["tool_choice"]["function"]["name"], "notes_search_2");
        for (offered, out) in tools.specs.iter().zip(&sent) {
            assert_eq!(names.offered(out), offered.name);
        }
        // A call in the history goes out under the same name; one that comes back is renamed.
        let m = Message::calls(
            "",
            vec![ToolCall {
                id: "c1".into(),
                name: "notes.search".into(),
                arguments: "{}".into(),
            }],
        );
        assert_eq!(
            message_json(&m, &names)["tool_calls"][0]["function"]["name"],
            "notes_search_2"
        );
        let mut calls = Calls::default();
        calls.whole(
            &json!([{"id": "x", "function": {"name": "notes_search_2", "arguments": "{}"}},
                             {"id": "y", "function": {"name": "unknown.one", "arguments": "{}"}}]),
        );
        let back: Vec<String> = calls
            .finish()
            .iter()
            .map(|c| names.offered(&c.name))
            .collect();
        assert_eq!(back, ["notes.search", "unknown.one"]);
    }
}
