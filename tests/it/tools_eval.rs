//! The tool-calling set (tests/fixtures/tools): about sixty requests over tool schemas that
//! public projects publish, run on both real models through the local engine with tools
//! offered. Every call a model returns must parse and validate against its tool's schema (the
//! grammar guarantees it); how often the tool and the arguments are the right ones is printed
//! per model and per half of the set, not asserted: models this small get many wrong.
//! The suite runs every third request (the whole set takes tens of minutes on two cores);
//! `PAI_TOOL_EVAL_ALL=1` runs all of them, as the rates in docs/serve.md were measured.
use std::collections::BTreeMap;

use pai::cancel::CancelToken;
use pai::engine::local::{default_threads, EngineSettings, LoadOptions, LocalEngine, LocalModel};
use pai::engine::{Engine, GenerateParams, Generation, Sampling, Sink, StopReason};
use pai::message::{Message, Role};
use pai::tool::{ToolCall, ToolChoice, ToolSpec, Tools};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tools");

pub struct Request {
    pub id: String,
    pub split: String,
    pub kind: String,
    pub toolset: String,
    pub prompt: String,
    pub parallel: bool,
    pub expect: Vec<(String, Value)>,
}

pub fn toolsets() -> BTreeMap<String, Vec<ToolSpec>> {
    let text = std::fs::read_to_string(format!("{FIXTURES}/toolsets.json")).unwrap();
    let all: BTreeMap<String, Value> = serde_json::from_str(&text).unwrap();
    all.into_iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| (k, serde_json::from_value(v).unwrap()))
        .collect()
}

pub fn requests() -> Vec<Request> {
    let text = std::fs::read_to_string(format!("{FIXTURES}/requests.jsonl")).unwrap();
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            Request {
                id: s("id"),
                split: s("split"),
                kind: s("kind"),
                toolset: s("toolset"),
                prompt: s("prompt"),
                parallel: v["parallel"].as_bool().unwrap_or(false),
                expect: v["expect"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| {
                        (
                            e["name"].as_str().unwrap().to_string(),
                            e["arguments"].clone(),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Why `value` does not follow `schema`, for the keywords the fixtures' schemas use.
pub fn violation(schema: &Value, value: &Value, at: &str) -> Option<String> {
    let fail = |why: String| Some(format!("{at}: {why}"));
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let is = |t: &str| match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => true,
        };
        if !types.iter().any(|t| is(t)) {
            return fail(format!("{value} is not of type {types:?}"));
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(value) {
            return fail(format!("{value} is not one of {allowed:?}"));
        }
    }
    if let Some(c) = schema.get("const") {
        if c != value {
            return fail(format!("{value} is not {c}"));
        }
    }
    if let Some(x) = value.as_f64() {
        let bound = |k: &str| schema.get(k).and_then(Value::as_f64);
        let out = bound("minimum").is_some_and(|m| x < m)
            || bound("maximum").is_some_and(|m| x > m)
            || bound("exclusiveMinimum").is_some_and(|m| x <= m)
            || bound("exclusiveMaximum").is_some_and(|m| x >= m);
        if out {
            return fail(format!("{x} is out of bounds"));
        }
    }
    if let (Some(Value::Array(items)), Some(item_schema)) = (Some(value), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            if let Some(why) = violation(item_schema, item, &format!("{at}[{i}]")) {
                return Some(why);
            }
        }
    }
    if let Value::Object(map) = value {
        let properties = schema.get("properties").and_then(Value::as_object);
        if let Some(Value::Array(required)) = schema.get("required") {
            for r in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(r) {
                    return fail(format!("{r:?} is missing"));
                }
            }
        }
        for (k, v) in map {
            match properties.and_then(|p| p.get(k)) {
                Some(s) => {
                    if let Some(why) = violation(s, v, &format!("{at}.{k}")) {
                        return Some(why);
                    }
                }
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    return fail(format!("{k:?} is not a property"));
                }
                None => {}
            }
        }
    }
    None
}

/// Whether a returned call is invalid: an unknown tool, arguments that are not JSON, or that
/// do not follow the schema.
pub fn invalid(call: &ToolCall, specs: &[ToolSpec]) -> Option<String> {
    let Some(spec) = specs.iter().find(|s| s.name == call.name) else {
        return Some(format!("{} is not an offered tool", call.name));
    };
    match call.parsed_arguments() {
        Err(e) => Some(format!("the arguments of {} are not JSON: {e}", call.name)),
        Ok(args) => violation(&spec.parameters, &args, &call.name),
    }
}

/// An expected value against the one returned: text compared without case or surrounding
/// space, numbers by value, lists and objects member by member (extra keys allowed).
fn matches(expected: &Value, got: &Value) -> bool {
    match (expected, got) {
        (Value::String(a), Value::String(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| matches(x, y))
        }
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .all(|(k, v)| b.get(k).is_some_and(|w| matches(v, w))),
        (a, b) => a == b,
    }
}

/// (right tool, right arguments) for one answer.
pub fn score(expect: &[(String, Value)], calls: &[ToolCall]) -> (bool, bool) {
    let mut names: Vec<&str> = calls.iter().map(|c| c.name.as_str()).collect();
    let mut wanted: Vec<&str> = expect.iter().map(|(n, _)| n.as_str()).collect();
    names.sort();
    wanted.sort();
    let tool = names == wanted;
    let arguments = tool
        && expect.iter().all(|(name, args)| {
            calls.iter().any(|c| {
                &c.name == name && c.parsed_arguments().is_ok_and(|got| matches(args, &got))
            })
        });
    (tool, arguments)
}

struct Keep(String);

impl Sink for Keep {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        self.0.push_str(text);
        Ok(true)
    }
}

pub fn params(tools: Tools) -> GenerateParams {
    GenerateParams {
        speculation: None,
        cache_prefix: None,
        sampling: Sampling::greedy(),
        max_tokens: 160,
        stop: Vec::new(),
        stop_at_end_of_text: true,
        grammar: None,
        adapters: Vec::new(),
        tools,
    }
}

pub fn load(path: &std::path::Path) -> LocalModel {
    LocalModel::load(
        path,
        &LoadOptions {
            gpu_layers: None,
            vocab_only: false,
            verbose: false,
        },
    )
    .unwrap()
}

pub fn engine(model: &LocalModel) -> LocalEngine<'_> {
    let settings = EngineSettings {
        window: 2048,
        threads: default_threads(),
        keep_context: false,
    };
    LocalEngine::new(model, "test", settings)
}

fn run(engine: &mut LocalEngine, messages: &[Message], tools: Tools) -> (Generation, String) {
    let mut keep = Keep(String::new());
    let g = engine
        .generate(messages, &params(tools), &CancelToken::new(), &mut keep)
        .unwrap();
    (g, keep.0)
}

/// The requests a run of the suite evaluates: every third, or all with `PAI_TOOL_EVAL_ALL`.
fn sample() -> Vec<Request> {
    let all = std::env::var_os("PAI_TOOL_EVAL_ALL").is_some();
    requests()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| all || i % 3 == 0)
        .map(|(_, r)| r)
        .collect()
}

fn evaluate(label: &str, path: &std::path::Path) {
    let sets = toolsets();
    let model = load(path);
    let mut engine = engine(&model);
    // split -> (requests, right tool, right arguments)
    let mut rates: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut invalid_calls = Vec::new();
    for r in sample() {
        let specs = sets[&r.toolset].clone();
        let tools = Tools {
            specs: specs.clone(),
            choice: ToolChoice::Auto,
            parallel: r.parallel,
        };
        let messages = [Message::new(Role::User, r.prompt.clone())];
        let (g, text) = run(&mut engine, &messages, tools);
        for call in &g.tool_calls {
            if let Some(why) = invalid(call, &specs) {
                invalid_calls.push(format!("{}: {why}", r.id));
            }
        }
        assert_eq!(
            g.stop_reason == StopReason::ToolCalls,
            !g.tool_calls.is_empty(),
            "{}: {:?}",
            r.id,
            g.stop_reason
        );
        let (tool, args) = score(&r.expect, &g.tool_calls);
        let calls: Vec<String> = g
            .tool_calls
            .iter()
            .map(|c| format!("{}({})", c.name, c.arguments))
            .collect();
        eprintln!(
            "{label} {} [{}] {}{} calls={calls:?} text={:?}",
            r.id,
            r.kind,
            if tool { "T" } else { "-" },
            if args { "A" } else { "-" },
            text.chars().take(60).collect::<String>()
        );
        for key in [r.split.clone(), "all".to_string()] {
            let e = rates.entry(key).or_default();
            e.0 += 1;
            e.1 += tool as usize;
            e.2 += args as usize;
        }
    }
    for (split, (n, tool, args)) in &rates {
        eprintln!(
            "TOOL-EVAL {label} split {split}: {n} requests, right tool {tool} ({:.0}%), right arguments {args} ({:.0}%)",
            100.0 * *tool as f64 / *n as f64,
            100.0 * *args as f64 / *n as f64
        );
    }
    assert!(invalid_calls.is_empty(), "{invalid_calls:#?}");
}

#[test]
fn the_set_has_every_kind_and_its_expectations_follow_the_schemas() {
    let sets = toolsets();
    let requests = requests();
    assert!(requests.len() >= 60);
    for kind in ["choice", "parallel", "no_call", "enum", "nested", "number"] {
        assert!(requests.iter().any(|r| r.kind == kind), "{kind}");
    }
    for r in &requests {
        let specs = &sets[&r.toolset];
        for (name, args) in &r.expect {
            let call = ToolCall {
                id: "x".into(),
                name: name.clone(),
                arguments: args.to_string(),
            };
            assert_eq!(invalid(&call, specs), None, "{}", r.id);
        }
    }
}

#[test]
fn smollm2_calls_parse_and_validate() {
    evaluate("smollm2", &crate::util::smollm2());
}

#[test]
fn gemma_calls_parse_and_validate() {
    evaluate("gemma", &crate::util::gemma());
}

#[test]
fn required_gets_a_call_and_a_result_gets_an_answer() {
    let sets = toolsets();
    let model = load(&crate::util::smollm2());
    let mut engine = engine(&model);
    let specs = sets["weather"].clone();
    let tools = |choice| Tools {
        specs: specs.clone(),
        choice,
        parallel: false,
    };
    let mut messages = vec![Message::new(Role::User, "What's the weather in Oslo?")];
    let (g, text) = run(&mut engine, &messages, tools(ToolChoice::Required));
    assert_eq!(g.stop_reason, StopReason::ToolCalls, "{text}");
    assert_eq!(g.tool_calls.len(), 1);
    assert_eq!(invalid(&g.tool_calls[0], &specs), None);
    messages.push(Message::calls("", g.tool_calls.clone()));
    messages.push(Message::tool_result(
        g.tool_calls[0].id.clone(),
        r#"{"temperature": 7, "unit": "celsius", "sky": "rain"}"#,
    ));
    let (g, text) = run(&mut engine, &messages, tools(ToolChoice::None));
    assert_ne!(g.stop_reason, StopReason::ToolCalls);
    assert!(g.tool_calls.is_empty());
    assert!(!text.trim().is_empty());
    let named = ToolChoice::Named("get_current_weather".into());
    let (g, _) = run(&mut engine, &messages[..1], tools(named));
    assert_eq!(g.tool_calls[0].name, "get_current_weather");
}
