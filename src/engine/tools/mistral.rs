//! Mistral's tool format (Mistral 7B v0.3, Nemo, Small 3.x): the tools in `[AVAILABLE_TOOLS]`,
//! the calls as one JSON list after `[TOOL_CALLS]`, `[{"name": …, "arguments": {…}}]`, each
//! result in `[TOOL_RESULTS]` with the call's id cut to its last nine characters.
//!
//! `[TOOL_CALLS]` is a control token: the lazy grammar sees it (llama.cpp matches a trigger on
//! the token's text), pai's output text does not, so the parser also takes a list that opens
//! with `[{"name"` as calls. The newer `[TOOL_CALLS]name[ARGS]{…}` form (Magistral, Devstral)
//! is parsed but not held by a grammar: a template that uses it gets the JSON fallback.
use serde_json::{json, Value};

use super::fallback::{call_start, calls_in, first_json, spaced};
use super::native;
use super::Parsed;
use crate::engine::grammar::Grammar;
use crate::engine::EngineError;
use crate::message::{Message, Role};
use crate::tool::{ToolCall, Tools};

pub const MARKER: &str = "[TOOL_CALLS]";
const ARGS: &str = "[ARGS]";
/// How a call list begins when the marker is not shown.
pub const OPENING: &str = "[{\"name\"";

/// Whether a chat template writes calls as a list after `[TOOL_CALLS]`.
pub fn is_mistral(template: &str) -> bool {
    template.contains(MARKER) && !template.contains(ARGS)
}

/// The system prompt's words for tools (from Mistral Small 3.1's template), then the list.
const SECTION: &str = include_str!("../../../prompts/tools-mistral.txt");

pub fn section(tools: &Tools) -> String {
    let listed: Vec<String> = tools
        .specs
        .iter()
        .map(|s| {
            spaced(&json!({"type": "function", "function": {
                "name": s.name, "description": s.description, "parameters": s.parameters}}))
        })
        .collect();
    SECTION
        .trim_end()
        .replacen("{tools}", &listed.join(", "), 1)
}

/// The last nine characters of a call's id, as the template cuts it (padded when shorter).
fn short_id(id: &str) -> String {
    let kept: String = id.chars().filter(char::is_ascii_alphanumeric).collect();
    let tail = &kept[kept.len().saturating_sub(9)..];
    format!("{tail:0>9}")
}

/// An assistant turn that made calls: `[TOOL_CALLS] [{…, "id": "…"}]`.
pub fn calls_text(calls: &[ToolCall]) -> String {
    let written: Vec<String> = calls
        .iter()
        .map(|c| {
            let arguments = c.parsed_arguments().unwrap_or_else(|_| json!({}));
            spaced(&json!({"name": c.name, "arguments": arguments, "id": short_id(&c.id)}))
        })
        .collect();
    format!("{MARKER} [{}]", written.join(", "))
}

/// A tool's result: `[TOOL_RESULTS] {"content": …, "call_id": …}[/TOOL_RESULTS]`, in a user
/// turn (llama.cpp's Mistral templates have no turn of their own for it). The content is a
/// JSON string, where the template pastes it raw: a result holds quotes and newlines.
pub fn result_message(result: &Message) -> Message {
    let id = short_id(result.tool_call_id.as_deref().unwrap_or(""));
    let body = spaced(&json!({"content": result.content, "call_id": id}));
    Message::new(Role::User, format!("[TOOL_RESULTS] {body}[/TOOL_RESULTS]"))
}

/// The GBNF grammar of the calls: the marker, then a list; lazy unless a call is required.
pub fn grammar(tools: &Tools, call_schema: &Value) -> Result<Grammar, EngineError> {
    let rules = native::call_rules(call_schema)?;
    let more = if tools.parallel {
        " (\",\" \" \"? tool-call-json)*"
    } else {
        ""
    };
    let text = format!("root ::= \"{MARKER}\" \" \"? \"[\" tool-call-json{more} \"]\"\n{rules}");
    Ok(native::held(tools, text, vec![MARKER.to_string()]))
}

/// The text before the marker (or the list) is the answer; the calls after it.
pub fn parse(text: &str) -> Parsed {
    let (answer, rest) = match text.find(MARKER) {
        Some(at) => (&text[..at], &text[at + MARKER.len()..]),
        None => match call_start(text) {
            Some(at) => (&text[..at], &text[at..]),
            None => return Parsed::answer(text.trim()),
        },
    };
    let mut parsed = Parsed::answer(answer.trim());
    parsed.calls = if rest.contains(ARGS) {
        args_form(rest)
    } else {
        calls_in(rest)
    };
    parsed
}

/// `name[ARGS]{…}` calls, each after its own marker.
fn args_form(rest: &str) -> Vec<ToolCall> {
    rest.split(MARKER)
        .filter_map(|call| {
            let (name, arguments) = call.split_once(ARGS)?;
            let arguments = first_json(arguments).unwrap_or_else(|| json!({}));
            Some(ToolCall {
                id: super::new_call_id(),
                name: name.trim().to_string(),
                arguments: arguments.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tool::{ToolChoice, ToolSpec};

    const TEMPLATE: &str =
        include_str!("../../../tests/fixtures/templates/mistral-small-3.1.jinja");

    fn weather(parallel: bool) -> Tools {
        Tools {
            specs: vec![ToolSpec {
                name: "get_current_weather".into(),
                description: "Get the current weather".into(),
                parameters: json!({"type": "object", "properties": {"location": {"type": "string"}, "format": {"type": "string", "enum": ["celsius", "fahrenheit"]}}}),
            }],
            choice: ToolChoice::Auto,
            parallel,
        }
    }

    #[test]
    fn the_real_template_is_read_as_mistral_and_rendered_its_way() {
        assert!(is_mistral(TEMPLATE));
        assert!(!native::is_hermes(TEMPLATE) && !super::super::llama3::is_llama3(TEMPLATE));
        assert!(!is_mistral(
            "{{ '[TOOL_CALLS]' + name + '[ARGS]' + arguments }}"
        ));
        let section = section(&weather(true));
        assert!(section.starts_with("You are a helpful assistant that can call tools."));
        assert!(TEMPLATE.contains(&section.lines().next().unwrap().replace('"', "\\\"")));
        assert!(section.ends_with("[AVAILABLE_TOOLS] [{\"type\": \"function\", \"function\": {\"name\": \"get_current_weather\", \"description\": \"Get the current weather\", \"parameters\": {\"type\": \"object\", \"properties\": {\"location\": {\"type\": \"string\"}, \"format\": {\"type\": \"string\", \"enum\": [\"celsius\", \"fahrenheit\"]}}}}}][/AVAILABLE_TOOLS]"), "{section}");
        let call = ToolCall {
            id: "call_0123456789abcdef".into(),
            name: "get_current_weather".into(),
            arguments: r#"{"location": "Paris"}"#.into(),
        };
        assert_eq!(
            calls_text(std::slice::from_ref(&call)),
            r#"[TOOL_CALLS] [{"name": "get_current_weather", "arguments": {"location": "Paris"}, "id": "789abcdef"}]"#
        );
        let result = result_message(&Message::tool_result("call_0123456789abcdef", "22 \"C\""));
        assert_eq!(
            result.content,
            r#"[TOOL_RESULTS] {"content": "22 \"C\"", "call_id": "789abcdef"}[/TOOL_RESULTS]"#
        );
        assert_eq!(short_id("ab"), "0000000ab");
    }

    #[test]
    fn sample_outputs_parse_with_or_without_the_marker() {
        // Mistral 7B v0.3's model card: the marker, a space, the list.
        let card = r#"[TOOL_CALLS] [{"name": "get_current_weather", "arguments": {"location": "Paris, France", "format": "celsius"}}]"#;
        let p = parse(card);
        assert_eq!(p.calls.len(), 1);
        assert_eq!(
            p.calls[0].arguments,
            r#"{"location":"Paris, France","format":"celsius"}"#
        );
        // The marker is a control token that pai's text leaves out.
        let p = parse(r#" [{"name": "a", "arguments": {}}, {"name": "b", "arguments": {"x": 1}}]"#);
        assert_eq!(
            p.calls.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        let p = parse(r#"[TOOL_CALLS]get_current_weather[ARGS]{"location": "Oslo"}"#);
        assert_eq!(
            (p.calls[0].name.as_str(), p.calls[0].arguments.as_str()),
            ("get_current_weather", r#"{"location":"Oslo"}"#)
        );
        let p = parse("The weather in Paris is 22 degrees [1].");
        assert!(p.calls.is_empty());
    }

    #[test]
    fn the_grammar_starts_at_the_marker() {
        let tools = weather(true);
        let schema = native::call_schema(&tools, "arguments", |p| p.clone());
        let Grammar::LazyGbnf { text, triggers } = grammar(&tools, &schema).unwrap() else {
            panic!("auto is lazy")
        };
        assert_eq!(triggers, [MARKER]);
        assert!(text.starts_with("root ::= \"[TOOL_CALLS]\" \" \"? \"[\" tool-call-json (\",\" \" \"? tool-call-json)* \"]\"\n"), "{text}");
    }
}
