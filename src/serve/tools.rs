//! Tool calls and log-probabilities on `/v1/chat/completions`, in OpenAI's wire format: the
//! request's `tools`, `tool_choice`, `parallel_tool_calls`, `logprobs` and `top_logprobs`, the
//! calls and results inside `messages`, and the calls and probabilities in the answer.
use serde_json::{json, Value};

use super::error::ApiError;
use super::fields::{is_empty, Fields};
use crate::engine::logprobs::TokenLogprobs;
use crate::message::Role;
use crate::tool::{ToolCall, ToolChoice, ToolSpec, Tools};

/// The most alternatives per token `top_logprobs` may ask for, as OpenAI's.
const MAX_TOP_LOGPROBS: i64 = 20;

/// `tools`, `tool_choice` and `parallel_tool_calls`, read and checked for shape; whether the
/// local grammar can hold their schemas is [`enforceable`]'s question.
pub fn tools_fields(f: &mut Fields) -> Result<Tools, ApiError> {
    let legacy = "the legacy 'functions' API is not supported; send 'tools'";
    f.refuse_unless("functions", is_empty, legacy)?;
    f.refuse_unless("function_call", |_| false, legacy)?;
    let specs = match f.take("tools") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, t)| tool_spec(i, t))
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(f.wrong(
                "tools",
                "a list of {\"type\": \"function\", \"function\": {…}}",
            ))
        }
    };
    for (i, spec) in specs.iter().enumerate() {
        if specs[..i].iter().any(|s| s.name == spec.name) {
            return Err(ApiError::bad_request(format!(
                "'tools[{i}].function.name' is {:?}, the name of an earlier tool: names must differ",
                spec.name
            ))
            .param(format!("tools[{i}].function.name")));
        }
    }
    let choice = tool_choice(f, &specs)?;
    let parallel = f.bool("parallel_tool_calls")?.unwrap_or(true);
    Ok(Tools {
        specs,
        choice,
        parallel,
    })
}

/// Whether the local model's grammar can hold answers to the tools' schemas: a 400 before
/// anything is generated when it cannot. A remote tier is not asked this: it gets the schemas
/// as they came.
pub fn enforceable(tools: &Tools) -> Result<(), ApiError> {
    if !tools.callable() {
        return Ok(());
    }
    crate::engine::tools::grammar(crate::engine::tools::Format::Json, tools, 1024)
        .map(|_| ())
        .map_err(|e| {
            ApiError::bad_request(format!(
                "'tools' cannot be enforced: {e}; nothing was generated"
            ))
            .param("tools")
        })
}

fn tool_spec(i: usize, value: Value) -> Result<ToolSpec, ApiError> {
    let at = format!("tools[{i}]");
    let Value::Object(map) = value else {
        return Err(ApiError::bad_request(format!("'{at}' must be an object")).param(at));
    };
    let mut t = Fields::new(map, format!("{at}."));
    let kind = t.string("type")?.unwrap_or_default();
    if kind != "function" {
        return Err(ApiError::bad_request(format!(
            "'{at}.type' is {kind:?}; pai serve calls only tools of type \"function\""
        ))
        .param(format!("{at}.type")));
    }
    let Some(Value::Object(function)) = t.take("function") else {
        return Err(t.wrong("function", "an object with a name and parameters"));
    };
    t.finish()?;
    let mut f = Fields::new(function, format!("{at}.function."));
    let name = f.string("name")?.unwrap_or_default();
    // '.' too, as in an MCP server's `NAME.tool`: a remote tier gets such a name as a
    // stand-in OpenAI takes, and the calls come back under the name offered.
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.';
    if name.is_empty() || name.len() > 64 || !name.chars().all(valid) {
        return Err(f.wrong("name", "1 to 64 letters, digits, '_', '-' or '.'"));
    }
    let description = f.string("description")?.unwrap_or_default();
    let parameters = match f.take("parameters") {
        None => json!({"type": "object", "properties": {}}),
        Some(p @ Value::Object(_)) => p,
        Some(_) => return Err(f.wrong("parameters", "a JSON Schema object")),
    };
    // pai always holds arguments to the schema, which is what strict asks for.
    f.accept("strict");
    f.finish()?;
    Ok(ToolSpec {
        name,
        description,
        parameters,
    })
}

fn tool_choice(f: &mut Fields, specs: &[ToolSpec]) -> Result<ToolChoice, ApiError> {
    let choice = match f.take("tool_choice") {
        None => ToolChoice::Auto,
        Some(Value::String(s)) if s == "auto" => ToolChoice::Auto,
        Some(Value::String(s)) if s == "none" => ToolChoice::None,
        Some(Value::String(s)) if s == "required" => ToolChoice::Required,
        Some(Value::Object(map)) => {
            let name = map
                .get("function")
                .and_then(|f| f.get("name"))
                .and_then(Value::as_str)
                .filter(|_| map.get("type").and_then(Value::as_str) == Some("function"));
            match name {
                Some(name) => ToolChoice::Named(name.to_string()),
                None => return Err(named_shape(f)),
            }
        }
        Some(_) => return Err(named_shape(f)),
    };
    match &choice {
        ToolChoice::Required if specs.is_empty() => Err(ApiError::bad_request(
            "'tool_choice' is \"required\" but 'tools' is empty: offer at least one tool",
        )
        .param("tool_choice")),
        ToolChoice::Named(name) if !specs.iter().any(|s| &s.name == name) => {
            Err(ApiError::bad_request(format!(
                "'tool_choice' names {name:?}, which is not in 'tools'"
            ))
            .param("tool_choice"))
        }
        _ => Ok(choice),
    }
}

fn named_shape(f: &Fields) -> ApiError {
    f.wrong(
        "tool_choice",
        "\"auto\", \"none\", \"required\" or {\"type\": \"function\", \"function\": {\"name\": …}}",
    )
}

/// `logprobs` and `top_logprobs`: how many alternatives per token, when probabilities are asked.
pub fn logprobs_fields(f: &mut Fields) -> Result<Option<usize>, ApiError> {
    let wanted = f.bool("logprobs")?.unwrap_or(false);
    let top = f.integer("top_logprobs", (0, MAX_TOP_LOGPROBS))?;
    match (wanted, top) {
        (false, Some(n)) if n > 0 => Err(ApiError::bad_request(
            "'top_logprobs' needs \"logprobs\": true",
        )
        .param("top_logprobs")),
        (false, _) => Ok(None),
        (true, n) => Ok(Some(n.unwrap_or(0) as usize)),
    }
}

/// An assistant message's `tool_calls`.
pub fn message_calls(f: &mut Fields) -> Result<Vec<ToolCall>, ApiError> {
    let items = match f.take("tool_calls") {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(f.wrong("tool_calls", "a list of calls")),
    };
    let prefix = f.name("tool_calls");
    items
        .into_iter()
        .enumerate()
        .map(|(j, item)| {
            let at = format!("{prefix}[{j}]");
            let id = item.get("id").and_then(Value::as_str);
            let function = item.get("function");
            let name = function.and_then(|f| f.get("name")).and_then(Value::as_str);
            let arguments = function
                .and_then(|f| f.get("arguments"))
                .and_then(Value::as_str);
            match (id, name, arguments) {
                (Some(id), Some(name), Some(arguments)) => Ok(ToolCall {
                    id: id.to_string(),
                    name: name.to_string(),
                    arguments: arguments.to_string(),
                }),
                _ => Err(ApiError::bad_request(format!(
                    "'{at}' must be {{\"id\": …, \"type\": \"function\", \"function\": {{\"name\": …, \"arguments\": \"…\"}}}}"
                ))
                .param(at)),
            }
        })
        .collect()
}

/// A tool message's `tool_call_id`: the call it answers (None for other roles).
pub fn answered_call(f: &mut Fields, role: Role) -> Result<Option<String>, ApiError> {
    if role != Role::Tool {
        return Ok(None);
    }
    let id = f.string("tool_call_id")?;
    id.map(Some).ok_or_else(|| {
        ApiError::bad_request(format!(
            "'{}tool_call_id' is required: the id of the call this result answers",
            f.prefix
        ))
        .param(f.name("tool_call_id"))
    })
}

/// The calls of an answer as OpenAI's message field.
pub fn calls_json(calls: &[ToolCall]) -> Value {
    calls
        .iter()
        .map(|c| json!({"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}))
        .collect()
}

/// The calls as stream deltas: for each call a first delta with its id and name, then its
/// arguments in pieces, as OpenAI sends them.
pub fn call_deltas(calls: &[ToolCall]) -> Vec<Value> {
    let mut deltas = Vec::new();
    for (index, c) in calls.iter().enumerate() {
        deltas.push(json!([{"index": index, "id": c.id, "type": "function",
            "function": {"name": c.name, "arguments": ""}}]));
        for piece in pieces(&c.arguments, ARGUMENT_PIECE) {
            deltas.push(json!([{"index": index, "function": {"arguments": piece}}]));
        }
    }
    deltas
}

/// Characters of arguments per stream delta.
const ARGUMENT_PIECE: usize = 24;

fn pieces(text: &str, size: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(size).map(|c| c.iter().collect()).collect()
}

/// One token's entry in `logprobs.content`.
pub fn logprob_json(t: &TokenLogprobs) -> Value {
    let entry = |bytes: &[u8], logprob: f32| json!({"token": String::from_utf8_lossy(bytes), "logprob": logprob, "bytes": bytes});
    let mut v = entry(&t.token, t.logprob);
    v["top_logprobs"] = t.top.iter().map(|(b, l)| entry(b, *l)).collect();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_join_into_the_call() {
        let call = ToolCall {
            id: "call_1".into(),
            name: "f".into(),
            arguments: r#"{"location": "Zürich, Switzerland", "unit": "celsius"}"#.into(),
        };
        let deltas = call_deltas(std::slice::from_ref(&call));
        assert!(deltas.len() > 2);
        let joined: String = deltas
            .iter()
            .map(|d| d[0]["function"]["arguments"].as_str().unwrap())
            .collect();
        assert_eq!(joined, call.arguments);
        assert_eq!(deltas[0][0]["id"], "call_1");
    }
}
