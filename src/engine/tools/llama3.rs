//! Llama 3.1, 3.2 and 3.3's tool format (the JSON tool calling of Meta's templates): the tools
//! listed in the system turn as indented JSON, a call written as the whole answer,
//! `{"name": …, "parameters": {…}}`, sometimes after `<|python_tag|>`, and a result as a turn
//! of its own role, `ipython`. The templates allow one call per turn; Llama 3.2 is seen to write
//! several separated by `;`, which the parser reads too.
//!
//! `<|python_tag|>` is a control token, which pai's output leaves out of the text, so the
//! call's own opening, `{"name"`, is a marker as well: for the lazy grammar and for the parser.
use serde_json::{json, Value};

use super::fallback::{call_start, calls_in, spaced};
use super::native;
use super::Parsed;
use crate::engine::grammar::Grammar;
use crate::engine::EngineError;
use crate::tool::{ToolCall, Tools};

pub const TAG: &str = "<|python_tag|>";
/// How a call begins when the tag is not shown.
pub const OPENING: &str = "{\"name\"";

/// Whether a chat template is Llama 3's with JSON tool calls.
pub fn is_llama3(template: &str) -> bool {
    template.contains("<|start_header_id|>")
        && (template.contains(TAG) || template.contains("\"parameters\": dictionary"))
}

/// The system turn's section, in the words of Meta's template (its spacing kept).
const SECTION: &str = include_str!("../../../prompts/tools-llama3.txt");

pub fn section(tools: &Tools) -> String {
    let listed: Vec<String> = tools
        .specs
        .iter()
        .map(|s| {
            indented(&json!({"type": "function", "function": {
                "name": s.name, "description": s.description, "parameters": s.parameters}}))
        })
        .collect();
    SECTION
        .trim_end()
        .replacen("TOOLS", &listed.join("\n\n"), 1)
}

/// JSON as Jinja's `tojson(indent=4)` writes it.
fn indented(value: &Value) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut writer = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(value, &mut writer).expect("a Value always serializes");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// An assistant turn that made calls, as the template writes it (several joined by `; `).
pub fn calls_text(calls: &[ToolCall]) -> String {
    let written: Vec<String> = calls
        .iter()
        .map(|c| {
            let parameters = c.parsed_arguments().unwrap_or_else(|_| json!({}));
            spaced(&json!({"name": c.name, "parameters": parameters}))
        })
        .collect();
    written.join("; ")
}

/// The GBNF grammar of a call: one, after an optional tag; lazy unless a call is required.
pub fn grammar(tools: &Tools, call_schema: &Value) -> Result<Grammar, EngineError> {
    let rules = native::call_rules(call_schema)?;
    let text = format!("root ::= \"{TAG}\"? tool-call-json\n{rules}");
    Ok(native::held(
        tools,
        text,
        vec![TAG.to_string(), OPENING.to_string()],
    ))
}

/// The text before the call is the answer; the call (or calls) after it.
pub fn parse(text: &str) -> Parsed {
    let text = text.replace(TAG, "");
    let Some(at) = call_start(&text) else {
        return Parsed::answer(text.trim());
    };
    let mut parsed = Parsed::answer(text[..at].trim());
    parsed.calls = calls_in(&text[at..]);
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tool::{ToolChoice, ToolSpec};

    const TEMPLATE: &str = include_str!("../../../tests/fixtures/templates/llama-3.1.jinja");

    fn weather() -> Tools {
        Tools {
            specs: vec![ToolSpec {
                name: "get_weather".into(),
                description: "weather".into(),
                parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}}),
            }],
            choice: ToolChoice::Auto,
            parallel: false,
        }
    }

    #[test]
    fn the_real_template_is_read_as_llama3_and_its_section_matches_it() {
        assert!(is_llama3(TEMPLATE));
        assert!(!native::is_hermes(TEMPLATE));
        let section = section(&weather());
        // The template's own sentences, its missing spaces included.
        let sentence = "please respond with JSON for a function call.Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.Do not use variables.";
        assert!(section.contains(sentence), "{section}");
        assert!(TEMPLATE.contains("Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}."));
        assert!(section.contains("{\n    \"type\": \"function\",\n    \"function\": {"));
    }

    #[test]
    fn calls_written_the_templates_way_parse_back() {
        let call = ToolCall {
            id: "call_1".into(),
            name: "get_weather".into(),
            arguments: r#"{"city": "Oslo"}"#.into(),
        };
        let text = calls_text(std::slice::from_ref(&call));
        // The template writes '{"name": "' + name + '", "parameters": ' + arguments|tojson + '}'.
        assert_eq!(
            text,
            r#"{"name": "get_weather", "parameters": {"city": "Oslo"}}"#
        );
        let p = parse(&text);
        assert_eq!((p.answer.as_str(), p.calls.len()), ("", 1));
        assert_eq!(p.calls[0].arguments, r#"{"city":"Oslo"}"#);
    }

    #[test]
    fn sample_outputs_parse_tolerantly() {
        // With the tag, as Llama 3.2 writes it; two calls joined by `;`; text before a call.
        let p = parse(
            "<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}",
        );
        assert_eq!(p.calls[0].name, "get_weather");
        let p = parse(r#"{"name": "a", "parameters": {"n": 1}}; {"name": "b", "parameters": {}}"#);
        assert_eq!(
            p.calls.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        let p = parse(
            "Let me check.\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Rome\"}}",
        );
        assert_eq!((p.answer.as_str(), p.calls.len()), ("Let me check.", 1));
        let p = parse("It is sunny in Paris.");
        assert!(p.calls.is_empty() && p.answer == "It is sunny in Paris.");
    }

    #[test]
    fn the_grammar_is_lazy_on_the_tag_or_the_opening() {
        let tools = weather();
        let schema = native::call_schema(&tools, "parameters", |p| p.clone());
        assert!(schema.to_string().contains("\"parameters\""));
        let Grammar::LazyGbnf { text, triggers } = grammar(&tools, &schema).unwrap() else {
            panic!("auto is lazy")
        };
        assert_eq!(triggers, [TAG, OPENING]);
        assert!(
            text.starts_with("root ::= \"<|python_tag|>\"? tool-call-json\n"),
            "{text}"
        );
        let required = Tools {
            choice: ToolChoice::Required,
            ..tools
        };
        assert!(matches!(
            grammar(&required, &schema).unwrap(),
            Grammar::Gbnf(_)
        ));
    }
}
