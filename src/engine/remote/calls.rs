//! Tool calls over OpenAI's API: the `tools` and `tool_choice` a request offers, messages that
//! carry calls and results, and the calls an answer makes, whole or as streamed deltas joined
//! by their index.
use serde_json::{json, Value};

use crate::message::{Message, Role};
use crate::tool::{ToolCall, ToolChoice, Tools};

/// A message as OpenAI's chat API takes it: an assistant's calls with `content: null` when it
/// said nothing, a tool result with the id of the call it answers.
pub(super) fn message_json(m: &Message) -> Value {
    let mut value = json!({"role": m.role.as_str(), "content": m.content});
    if m.role == Role::Assistant && !m.tool_calls.is_empty() {
        let calls: Vec<Value> = m.tool_calls.iter().map(call_json).collect();
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

fn call_json(call: &ToolCall) -> Value {
    json!({
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": call.arguments},
    })
}

/// Adds `tools`, `tool_choice` and `parallel_tool_calls` to a request body; nothing when no
/// tools are offered.
pub(super) fn add_tools(body: &mut Value, tools: &Tools) {
    if tools.specs.is_empty() {
        return;
    }
    let specs: Vec<Value> = tools
        .specs
        .iter()
        .map(|s| {
            json!({"type": "function", "function": {
                "name": s.name, "description": s.description, "parameters": s.parameters,
            }})
        })
        .collect();
    body["tools"] = json!(specs);
    body["tool_choice"] = match &tools.choice {
        ToolChoice::Auto => json!("auto"),
        ToolChoice::None => json!("none"),
        ToolChoice::Required => json!("required"),
        ToolChoice::Named(name) => json!({"type": "function", "function": {"name": name}}),
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
        let v = message_json(&m);
        assert!(v["content"].is_null());
        assert_eq!(v["tool_calls"][0]["function"]["name"], "read");
        let r = message_json(&Message::tool_result("c1", "text"));
        assert_eq!(r["tool_call_id"], "c1");
    }
}
