//! A tool format a chat template defines itself. Hermes's `<tool_call>` (Qwen 2.5 and 3, the
//! Hermes models, SmolLM3): the tools listed in the system prompt inside `<tools>`, each call
//! one `<tool_call>{"name": …, "arguments": …}</tool_call>` block, each result a user turn in
//! `<tool_response>`. The grammar switches on at the marker (a lazy grammar) when the model may
//! also answer, and holds the whole answer when it must call.
//!
//! Llama 3's and Mistral's formats are in [`super::llama3`] and [`super::mistral`]; this
//! file also holds the grammar pieces they share.
use serde_json::{json, Value};

use super::fallback::{first_json, spaced};
use super::Parsed;
use crate::engine::grammar::Grammar;
use crate::engine::EngineError;
use crate::message::{Message, Role};
use crate::tool::{ToolCall, ToolChoice, Tools};

pub const OPEN: &str = "<tool_call>";
const CLOSE: &str = "</tool_call>";

/// Whether a chat template writes tool calls the Hermes way.
pub fn is_hermes(template: &str) -> bool {
    template.contains(OPEN)
}

/// The system prompt's section, in the words Qwen 2.5's template uses.
const SECTION: &str = include_str!("../../../prompts/tools-hermes.txt");

pub fn section(tools: &Tools) -> String {
    let listed: Vec<String> = tools
        .specs
        .iter()
        .map(|s| {
            spaced(&json!({"type": "function", "function": {
                "name": s.name, "description": s.description, "parameters": s.parameters}}))
        })
        .collect();
    SECTION.trim_end().replacen("TOOLS", &listed.join("\n"), 1)
}

/// An assistant turn that made calls, each in its block after the turn's text.
pub fn calls_text(content: &str, calls: &[ToolCall]) -> String {
    let mut text = content.trim_end().to_string();
    for c in calls {
        let arguments = c.parsed_arguments().unwrap_or_else(|_| json!({}));
        let call = spaced(&json!({"name": c.name, "arguments": arguments}));
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!("{OPEN}\n{call}\n{CLOSE}"));
    }
    text
}

/// A tool's result as Qwen's template writes it: a user turn in `<tool_response>`.
pub fn result_message(result: &Message) -> Message {
    Message::new(
        Role::User,
        format!("<tool_response>\n{}\n</tool_response>", result.content),
    )
}

/// The GBNF grammar of the calls, lazy (from the marker on) unless a call is required.
pub fn grammar(tools: &Tools, call_schema: &Value) -> Result<Grammar, EngineError> {
    let call = call_rules(call_schema)?;
    let repeat = if tools.parallel {
        " (\"\\n\" block)*"
    } else {
        ""
    };
    let text = format!(
        "root ::= block{repeat}\nblock ::= \"{OPEN}\\n\" tool-call-json \"\\n{CLOSE}\"\n{call}"
    );
    Ok(held(tools, text, vec![OPEN.to_string()]))
}

/// The GBNF rules of one call, `tool-call-json` at their head, for a format's grammar to frame.
pub(super) fn call_rules(call_schema: &Value) -> Result<String, EngineError> {
    let call = llama_cpp_2::json_schema_to_grammar(&call_schema.to_string()).map_err(|e| {
        EngineError::Grammar(format!("a tool's parameters cannot be enforced: {e}"))
    })?;
    // The converter's own root becomes the call's rule, under a name no property makes.
    let call: Vec<String> = call
        .lines()
        .map(|line| match line.strip_prefix("root ::=") {
            Some(rest) => format!("tool-call-json ::={rest}"),
            None => line.to_string(),
        })
        .collect();
    Ok(call.join("\n"))
}

/// A format's grammar: on from the first trigger when the model may also answer in text,
/// holding the whole answer when it must call.
pub(super) fn held(tools: &Tools, text: String, triggers: Vec<String>) -> Grammar {
    match tools.choice {
        ToolChoice::Auto => Grammar::LazyGbnf { text, triggers },
        _ => Grammar::Gbnf(text),
    }
}

/// `{"name": …, KEY: …}` for each offered tool (only the named one when named); `KEY` is
/// `arguments` in most formats, `parameters` in Llama 3's.
pub fn call_schema(tools: &Tools, key: &str, arguments: impl Fn(&Value) -> Value) -> Value {
    let calls: Vec<Value> = tools
        .specs
        .iter()
        .filter(|s| !matches!(&tools.choice, ToolChoice::Named(n) if n != &s.name))
        .map(|s| {
            json!({"type": "object", "properties": {"name": {"const": s.name},
                key: arguments(&s.parameters)},
                "required": ["name", key], "additionalProperties": false})
        })
        .collect();
    json!({ "anyOf": calls })
}

/// The text before the first marker is the answer; each block after it, a call.
pub fn parse(text: &str) -> Parsed {
    let mut blocks = text.split(OPEN);
    let mut parsed = Parsed::answer(blocks.next().unwrap_or("").trim());
    for block in blocks {
        let body = block.split(CLOSE).next().unwrap_or("");
        let Some(Value::Object(map)) = first_json(body) else {
            continue;
        };
        if let Some(call) = super::fallback::call_of(&map) {
            parsed.calls.push(call);
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tool::ToolSpec;

    #[test]
    fn calls_render_parse_and_hold_to_a_grammar() {
        let tools = Tools {
            specs: vec![ToolSpec {
                name: "get_weather".into(),
                description: "weather".into(),
                parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}}),
            }],
            choice: ToolChoice::Auto,
            parallel: true,
        };
        assert!(section(&tools).contains("<tools>\n{\"type\": \"function\""));
        let call = ToolCall {
            id: "call_1".into(),
            name: "get_weather".into(),
            arguments: r#"{"city": "Oslo"}"#.into(),
        };
        let text = calls_text("Let me look.", std::slice::from_ref(&call));
        assert_eq!(
            text,
            "Let me look.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>"
        );
        let p = parse(&text);
        assert_eq!(p.answer, "Let me look.");
        assert_eq!(p.calls[0].name, "get_weather");
        assert_eq!(p.calls[0].arguments, r#"{"city":"Oslo"}"#);
        let g = grammar(&tools, &call_schema(&tools, "arguments", |p| p.clone())).unwrap();
        let Grammar::LazyGbnf { text, triggers } = g else {
            panic!("auto is lazy")
        };
        assert_eq!(triggers, [OPEN]);
        assert!(
            text.starts_with("root ::= block (\"\\n\" block)*\n"),
            "{text}"
        );
        assert!(text.contains("\ntool-call-json ::="), "{text}");
        assert!(is_hermes("{% if tools %}<tool_call>{% endif %}"));
    }
}
