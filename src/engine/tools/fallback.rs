//! Tools for a model whose template has no tool format (SmolLM2-135M, gemma-3-270m): the tools
//! are listed in the system prompt, and every answer is held by a grammar to one JSON object,
//! `{"tool": NAME, "arguments": {…}}` (a list of them when calls may run in parallel) or
//! `{"answer": "…"}`. Earlier calls and results are written back the same way, as plain turns,
//! so the conversation shows the model the form it must keep to.
use serde_json::{json, Map, Value};

use super::{lookup_name, Parsed};
use crate::message::{Message, Role};
use crate::tool::{ToolCall, ToolChoice, Tools};

/// What the fallback tells the model, before the list of tools.
const INSTRUCTIONS: &str = include_str!("../../../prompts/tools.txt");

/// The beginning of every plain answer, as the grammar writes it (compact separators).
pub const ANSWER_OPEN: &str = "{\"answer\": \"";

/// The system prompt's section that lists the tools and says how to call them.
pub fn section(tools: &Tools) -> String {
    let mut text = INSTRUCTIONS.trim_end().to_string();
    text.push_str("\n\nTools:");
    for spec in &tools.specs {
        text.push_str(&format!(
            "\n- {}: {}\n  arguments: {}",
            spec.name,
            spec.description.trim(),
            spec.parameters
        ));
    }
    text.push('\n');
    match &tools.choice {
        ToolChoice::Required => text.push_str("\nCall a tool now; do not answer in text."),
        ToolChoice::Named(name) => text.push_str(&format!("\nCall the tool {name} now.")),
        ToolChoice::Auto | ToolChoice::None => {}
    }
    text
}

/// An assistant turn that made calls, as the model itself would have written it.
pub fn calls_text(calls: &[ToolCall]) -> String {
    let objects: Vec<Value> = calls
        .iter()
        .map(|c| {
            let arguments = c.parsed_arguments().unwrap_or_else(|_| json!({}));
            json!({"tool": c.name, "arguments": arguments})
        })
        .collect();
    match objects.as_slice() {
        [one] => spaced(one),
        _ => spaced(&Value::Array(objects)),
    }
}

/// A plain answer in the form the grammar holds answers to.
pub fn answer_text(answer: &str) -> String {
    spaced(&json!({ "answer": answer }))
}

/// A tool's result as a user turn: chat templates without tools have no turn of their own for it.
pub fn result_message(result: &Message, history: &[Message]) -> Message {
    let id = result.tool_call_id.as_deref().unwrap_or("");
    let name = lookup_name(history, id).unwrap_or("the tool");
    Message::new(
        Role::User,
        format!("Result of {name} (call {id}):\n{}", result.content),
    )
}

/// The JSON Schema every answer is held to. No string argument may run longer than
/// `longest_string` characters: a small model repeating itself inside a string would otherwise
/// never close the call (SmolLM2-135M wrote `"gaben_bjorn_en_en_en…` until the token limit).
pub fn schema(tools: &Tools, longest_string: usize) -> Value {
    let answer = json!({
        "type": "object",
        "properties": {"answer": {"type": "string"}},
        "required": ["answer"],
        "additionalProperties": false,
    });
    if tools.choice == ToolChoice::None {
        return answer;
    }
    let calls: Vec<Value> = tools
        .specs
        .iter()
        .filter(|s| match &tools.choice {
            ToolChoice::Named(name) => &s.name == name,
            _ => true,
        })
        .map(|s| {
            json!({
                "type": "object",
                "properties": {"tool": {"const": s.name}, "arguments": closed(&s.parameters, longest_string)},
                "required": ["tool", "arguments"],
                "additionalProperties": false,
            })
        })
        .collect();
    let one = if calls.len() == 1 {
        calls[0].clone()
    } else {
        json!({ "anyOf": calls })
    };
    let mut branches = vec![one.clone()];
    if tools.parallel && !matches!(tools.choice, ToolChoice::Named(_)) {
        branches.push(json!({"type": "array", "items": one, "minItems": 1}));
    }
    if tools.choice == ToolChoice::Auto {
        branches.push(answer);
    }
    if branches.len() == 1 {
        branches.remove(0)
    } else {
        json!({ "anyOf": branches })
    }
}

/// A tool's parameters with no room for properties it does not name: a small model given room
/// for more keys writes them until the token limit. Every object this admits, the tool's own
/// schema admits too.
pub(super) fn closed(parameters: &Value, longest_string: usize) -> Value {
    let mut schema = parameters.clone();
    cap_strings(&mut schema, longest_string);
    if let Some(map) = schema.as_object_mut() {
        if map.contains_key("properties") && !map.contains_key("additionalProperties") {
            map.insert("additionalProperties".into(), Value::Bool(false));
        }
        if !map.contains_key("type") && !map.contains_key("anyOf") && !map.contains_key("oneOf") {
            map.insert("type".into(), json!("object"));
        }
    }
    schema
}

/// Adds `maxLength` to every free string schema: one with no length, values or format of its own.
/// Values (`const`, `enum`, `default`, `examples`) are data, not schemas, and are left alone.
fn cap_strings(schema: &mut Value, longest: usize) {
    match schema {
        Value::Object(map) => {
            let free = map.get("type") == Some(&json!("string"))
                && !["maxLength", "enum", "const", "format", "pattern"]
                    .iter()
                    .any(|k| map.contains_key(*k));
            if free {
                map.insert("maxLength".into(), json!(longest));
            }
            for (key, value) in map.iter_mut() {
                if !matches!(key.as_str(), "const" | "enum" | "default" | "examples") {
                    cap_strings(value, longest);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| cap_strings(v, longest)),
        _ => {}
    }
}

/// The answer or the calls in what the model wrote; tolerant of text around the JSON.
pub fn parse(text: &str) -> Parsed {
    let Some(value) = first_json(text) else {
        return Parsed::answer(text.trim());
    };
    let objects = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    let mut parsed = Parsed::default();
    for object in objects {
        let Value::Object(map) = object else { continue };
        if let Some(call) = call_of(&map) {
            parsed.calls.push(call);
        } else if let Some(Value::String(answer)) = map.get("answer") {
            parsed.answer.push_str(answer);
        }
    }
    parsed
}

pub(super) fn call_of(map: &Map<String, Value>) -> Option<ToolCall> {
    let name = ["tool", "name", "function"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))?;
    let arguments = ["arguments", "parameters", "args"]
        .iter()
        .find_map(|k| map.get(*k))
        .cloned()
        .unwrap_or_else(|| json!({}));
    let arguments = match arguments {
        // Some models write the arguments as a JSON string, as OpenAI's wire format does.
        Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
        other => other,
    };
    Some(ToolCall {
        id: super::new_call_id(),
        name: name.to_string(),
        arguments: compact(&arguments),
    })
}

/// Where a call written as JSON begins: the first `{` whose first key is `"name"`, or the `[`
/// of a list that opens with one.
pub(super) fn call_start(text: &str) -> Option<usize> {
    let (at, _) = text
        .match_indices("{")
        .find(|&(i, _)| text[i + 1..].trim_start().starts_with("\"name\""))?;
    let before = text[..at].trim_end();
    Some(match before.strip_suffix('[') {
        Some(list) => list.len(),
        None => at,
    })
}

/// The calls in `text`: JSON objects or lists of them, one after another, apart by white
/// space, `,` or `;`. Reading stops at anything else.
pub(super) fn calls_in(text: &str) -> Vec<ToolCall> {
    let mut calls = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        let Some(Ok(value)) = stream.next() else {
            break;
        };
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            if let Value::Object(map) = item {
                calls.extend(call_of(&map));
            }
        }
        rest = rest[stream.byte_offset()..].trim_start_matches([' ', '\n', '\t', '\r', ',', ';']);
    }
    calls
}

/// The first complete JSON object or list in `text`.
pub(super) fn first_json(text: &str) -> Option<Value> {
    let start = text.find(['{', '['])?;
    let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
    stream.next()?.ok()
}

fn compact(value: &Value) -> String {
    value.to_string()
}

/// JSON as the grammar writes it: `{"a": 1, "b": [2, 3]}` (see `grammar::compact`).
pub fn spaced(value: &Value) -> String {
    let mut out = Vec::new();
    let mut writer = serde_json::Serializer::with_formatter(&mut out, Spaced);
    serde::Serialize::serialize(value, &mut writer).expect("a Value always serializes");
    String::from_utf8(out).expect("JSON is UTF-8")
}

struct Spaced;

impl serde_json::ser::Formatter for Spaced {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.begin_array_value(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tool::ToolSpec;

    fn tools(choice: ToolChoice, parallel: bool) -> Tools {
        let spec = |name: &str| ToolSpec {
            name: name.into(),
            description: format!("does {name}"),
            parameters: json!({"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}),
        };
        Tools {
            specs: vec![spec("search"), spec("read")],
            choice,
            parallel,
        }
    }

    #[test]
    fn the_schema_offers_what_the_choice_allows() {
        let auto = schema(&tools(ToolChoice::Auto, false), 100);
        assert_eq!(
            auto["anyOf"][0]["anyOf"][0]["properties"]["arguments"]["properties"]["q"]["maxLength"],
            100
        );
        assert_eq!(auto["anyOf"].as_array().unwrap().len(), 2);
        assert!(auto.to_string().contains("\"answer\""));
        let required = schema(&tools(ToolChoice::Required, true), 100);
        assert!(!required.to_string().contains("\"answer\""));
        assert!(required.to_string().contains("\"array\""));
        let named = schema(&tools(ToolChoice::Named("read".into()), true), 100);
        assert_eq!(named["properties"]["tool"]["const"], "read");
        assert_eq!(
            named["properties"]["arguments"]["additionalProperties"],
            false
        );
        let none = schema(&tools(ToolChoice::None, true), 100);
        assert_eq!(none["required"], json!(["answer"]));
        for s in [auto, required, named, none] {
            crate::engine::grammar::json_schema(s).unwrap();
        }
    }

    #[test]
    fn answers_calls_and_lists_parse_and_ids_are_fresh() {
        assert_eq!(parse(r#"{"answer": "hi \"you\""}"#).answer, "hi \"you\"");
        let p = parse(
            r#" [{"tool": "search", "arguments": {"q": "x"}}, {"name": "read", "parameters": "{\"q\": \"y\"}"}]"#,
        );
        assert_eq!(p.calls.len(), 2);
        assert_eq!(p.calls[1].name, "read");
        assert_eq!(p.calls[1].arguments, r#"{"q":"y"}"#);
        assert_ne!(p.calls[0].id, p.calls[1].id);
        assert!(p.calls[0].id.starts_with("call_"));
        assert_eq!(parse("no json here").answer, "no json here");
    }

    #[test]
    fn history_is_written_back_in_the_same_form() {
        let call = ToolCall {
            id: "call_1".into(),
            name: "search".into(),
            arguments: r#"{"q": "x"}"#.into(),
        };
        assert_eq!(
            calls_text(std::slice::from_ref(&call)),
            r#"{"tool": "search", "arguments": {"q": "x"}}"#
        );
        let history = vec![Message::calls("", vec![call])];
        let m = result_message(&Message::tool_result("call_1", "found"), &history);
        assert_eq!(m.role, Role::User);
        assert!(m.content.starts_with("Result of search (call call_1):"));
    }
}
