//! The OpenAI wire format: requests read field by field, so that every field is either used,
//! accepted as harmless, or refused with a 400 that names it. Nothing a client asks for is
//! silently ignored. Responses and stream chunks are built here too.
use serde_json::{json, Value};

use super::error::ApiError;
use super::fields::{
    harmless_fields, is_empty, is_false, is_zero, max_tokens_field, model_field, parse_object,
    sampling_fields, stop_field, stream_fields, Fields, Limits, SamplingFields,
};
use super::tools::{answered_call, logprobs_fields, message_calls, tools_fields};
use crate::engine::grammar::Grammar;
use crate::message::{Message, Role};
use crate::tool::Tools;

/// pai's own extension: `"pai": {"context": true}` adds the profile, remembered facts and
/// excerpts from the user's index, as the `pai-notes` model alias does.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PaiFields {
    pub context: bool,
}

#[derive(Debug, Clone)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<Message>,
    pub stream: bool,
    pub include_usage: bool,
    pub max_tokens: Option<u32>,
    pub sampling: SamplingFields,
    pub stop: Vec<String>,
    pub pai: PaiFields,
    /// The grammar `response_format` asks for (`json_object`, `json_schema`).
    pub grammar: Option<crate::engine::grammar::Grammar>,
    pub tools: Tools,
    /// `logprobs`: how many alternatives per token (`top_logprobs`), when asked.
    pub logprobs: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct CompletionRequest {
    pub model: String,
    pub prompt: String,
    pub stream: bool,
    pub include_usage: bool,
    pub max_tokens: Option<u32>,
    pub sampling: SamplingFields,
    pub stop: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingFormat {
    Float,
    Base64,
}

#[derive(Debug, Clone)]
pub struct EmbeddingRequest {
    pub model: String,
    pub input: Vec<String>,
    pub format: EncodingFormat,
    pub dimensions: Option<u64>,
}

/// The legacy completions endpoint's default, as OpenAI's.
pub const COMPLETIONS_DEFAULT_MAX_TOKENS: u32 = 16;

pub fn parse_chat(body: &[u8], limits: &Limits) -> Result<ChatRequest, ApiError> {
    let mut f = Fields::new(parse_object(body)?, "");
    let model = model_field(&mut f)?;
    let messages = messages_field(&mut f, limits)?;
    let (stream, include_usage) = stream_fields(&mut f)?;
    let max_tokens = max_tokens_field(&mut f, limits)?;
    let sampling = sampling_fields(&mut f)?;
    let stop = stop_field(&mut f, limits)?;
    let pai = pai_fields(&mut f)?;
    harmless_fields(&mut f)?;
    let tools = tools_fields(&mut f)?;
    let logprobs = logprobs_fields(&mut f)?;
    let grammar = response_format(&mut f)?;
    refuse_other_outputs(&mut f)?;
    f.finish()?;
    Ok(ChatRequest {
        model,
        messages,
        stream,
        include_usage,
        max_tokens,
        sampling,
        stop,
        pai,
        grammar,
        tools,
        logprobs,
    })
}

/// `messages`: 1 to `max_messages`, each read by [`parse_message`].
fn messages_field(f: &mut Fields, limits: &Limits) -> Result<Vec<Message>, ApiError> {
    let messages = match f.take("messages") {
        Some(Value::Array(items)) => items,
        Some(_) => return Err(f.wrong("messages", "a list of messages")),
        None => {
            return Err(ApiError::bad_request("'messages' is required").param("messages"));
        }
    };
    if messages.is_empty() {
        return Err(ApiError::bad_request("'messages' is empty").param("messages"));
    }
    if messages.len() > limits.max_messages {
        return Err(ApiError::bad_request(format!(
            "'messages' has {} messages; pai serve takes at most {}",
            messages.len(),
            limits.max_messages
        ))
        .param("messages"));
    }
    messages
        .into_iter()
        .enumerate()
        .map(|(i, m)| parse_message(i, m))
        .collect()
}

/// Outputs other than one text answer, and settings the model does not have.
fn refuse_other_outputs(f: &mut Fields) -> Result<(), ApiError> {
    f.refuse_unless(
        "modalities",
        |v| v == &json!(["text"]),
        "pai serve answers in text only",
    )?;
    f.refuse_unless("audio", |_| false, "pai serve answers in text only")?;
    f.refuse_unless(
        "prediction",
        |_| false,
        "predicted outputs are not implemented",
    )?;
    f.refuse_unless(
        "reasoning_effort",
        |_| false,
        "the model has no reasoning setting",
    )?;
    f.refuse_unless("verbosity", |_| false, "the model has no verbosity setting")?;
    f.refuse_unless(
        "web_search_options",
        |_| false,
        "pai serve does not search the web",
    )
}

/// `response_format`: text, any JSON object, or JSON that follows a schema. The schema is
/// converted here, so one the converter cannot enforce is a 400 before anything is generated.
fn response_format(f: &mut Fields) -> Result<Option<Grammar>, ApiError> {
    let Some(v) = f.take("response_format") else {
        return Ok(None);
    };
    let Value::Object(map) = v else {
        return Err(f.wrong(
            "response_format",
            "an object such as {\"type\": \"json_object\"}",
        ));
    };
    let mut r = Fields::new(map, "response_format.");
    let kind = r.string("type")?.unwrap_or_default();
    let grammar = match kind.as_str() {
        "text" => None,
        "json_object" => Some(crate::engine::grammar::json_object()),
        "json_schema" => Some(json_schema_field(&mut r)?),
        _ => {
            return Err(ApiError::bad_request(format!(
                "'response_format.type' is {kind:?}; pai serve takes \"text\", \"json_object\" or \"json_schema\""
            ))
            .param("response_format.type"))
        }
    };
    r.finish()?;
    Ok(grammar)
}

fn json_schema_field(r: &mut Fields) -> Result<Grammar, ApiError> {
    let Some(Value::Object(map)) = r.take("json_schema") else {
        return Err(ApiError::bad_request(
            "'response_format.json_schema' must be an object with a name and a schema",
        )
        .param("response_format.json_schema"));
    };
    let mut j = Fields::new(map, "response_format.json_schema.");
    // The name and description label the schema for the client; strict is how pai always works.
    for key in ["name", "description", "strict"] {
        j.accept(key);
    }
    let schema = j
        .take("schema")
        .unwrap_or_else(|| json!({"type": "object"}));
    j.finish()?;
    crate::engine::grammar::json_schema(schema).map_err(|why| {
        ApiError::bad_request(format!(
            "'response_format.json_schema.schema' cannot be enforced: {why}; nothing was generated"
        ))
        .param("response_format.json_schema.schema")
    })
}

fn pai_fields(f: &mut Fields) -> Result<PaiFields, ApiError> {
    let Some(v) = f.take("pai") else {
        return Ok(PaiFields::default());
    };
    let Value::Object(map) = v else {
        return Err(f.wrong("pai", "an object such as {\"context\": true}"));
    };
    let mut p = Fields::new(map, "pai.");
    let context = p.bool("context")?.unwrap_or(false);
    p.finish()?;
    Ok(PaiFields { context })
}

fn parse_message(i: usize, value: Value) -> Result<Message, ApiError> {
    let prefix = format!("messages[{i}].");
    let Value::Object(map) = value else {
        return Err(ApiError::bad_request(format!(
            "'messages[{i}]' must be an object with role and content"
        ))
        .param(format!("messages[{i}]")));
    };
    let mut f = Fields::new(map, prefix);
    let role = f.string("role")?.unwrap_or_default();
    let role = match role.as_str() {
        "system" | "developer" => Role::System,
        "user" => Role::User,
        "assistant" => Role::Assistant,
        "tool" => Role::Tool,
        "function" => {
            return Err(ApiError::bad_request(format!(
                "'{}role' is \"function\": the legacy functions API is not supported; send \"tool\" messages",
                f.prefix
            ))
            .param(f.name("role")));
        }
        other => {
            return Err(ApiError::bad_request(format!(
                "'{}role' must be system, developer, user, assistant or tool, not \"{other}\"",
                f.prefix
            ))
            .param(f.name("role")));
        }
    };
    let calls = if role == Role::Assistant {
        message_calls(&mut f)?
    } else {
        Vec::new()
    };
    let content = match f.take("content") {
        Some(Value::String(s)) => s,
        Some(Value::Array(parts)) => text_parts(&f, parts)?,
        Some(_) => return Err(f.wrong("content", "text or a list of text parts")),
        // An assistant turn that only calls tools has no text.
        None if !calls.is_empty() => String::new(),
        None => {
            return Err(
                ApiError::bad_request(format!("'{}content' is required", f.prefix))
                    .param(f.name("content")),
            )
        }
    };
    let answers = answered_call(&mut f, role)?;
    // A name tells speakers apart for OpenAI's models; chat templates have no place for it.
    f.accept("name");
    f.refuse_unless("refusal", |_| false, "refusals are not part of a prompt")?;
    f.refuse_unless(
        "tool_calls",
        is_empty,
        "only an assistant message makes calls",
    )?;
    f.refuse_unless(
        "function_call",
        |_| false,
        "the legacy functions API is not supported",
    )?;
    f.refuse_unless(
        "tool_call_id",
        |_| false,
        "only a tool message answers a call",
    )?;
    f.refuse_unless("audio", |_| false, "pai serve reads text only")?;
    f.finish()?;
    Ok(match answers {
        Some(id) => Message::tool_result(id, content),
        None if !calls.is_empty() => Message::calls(content, calls),
        None => Message::new(role, content),
    })
}

fn text_parts(f: &Fields, parts: Vec<Value>) -> Result<String, ApiError> {
    let mut text = String::new();
    for (j, part) in parts.into_iter().enumerate() {
        let kind = part.get("type").and_then(Value::as_str).unwrap_or("");
        match (kind, part.get("text").and_then(Value::as_str)) {
            ("text", Some(t)) if part.as_object().is_some_and(|o| o.len() == 2) => {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(t);
            }
            ("text", _) => {
                return Err(ApiError::bad_request(format!(
                    "'{}content[{j}]' must be {{\"type\": \"text\", \"text\": \"…\"}}",
                    f.prefix
                ))
                .param(f.name("content")))
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "'{}content[{j}]' is of type \"{kind}\": pai serve reads text only",
                    f.prefix
                ))
                .param(f.name("content"))
                .code("unsupported_parameter"))
            }
        }
    }
    Ok(text)
}

pub fn parse_completion(body: &[u8], limits: &Limits) -> Result<CompletionRequest, ApiError> {
    let mut f = Fields::new(parse_object(body)?, "");
    let model = model_field(&mut f)?;
    let prompt = match f.take("prompt") {
        Some(Value::String(s)) => s,
        Some(Value::Array(items)) if items.len() == 1 && items[0].is_string() => {
            items[0].as_str().unwrap_or_default().to_string()
        }
        Some(Value::Array(_)) => {
            return Err(ApiError::bad_request(
                "'prompt' must be one text: a list of prompts or of token ids is not supported",
            )
            .param("prompt")
            .code("unsupported_parameter"))
        }
        Some(_) => return Err(f.wrong("prompt", "a string")),
        None => return Err(ApiError::bad_request("'prompt' is required").param("prompt")),
    };
    let (stream, include_usage) = stream_fields(&mut f)?;
    let max_tokens = max_tokens_field(&mut f, limits)?;
    let sampling = sampling_fields(&mut f)?;
    let stop = stop_field(&mut f, limits)?;
    harmless_fields(&mut f)?;
    f.refuse_unless("echo", is_false, "the prompt is not repeated in the answer")?;
    f.refuse_unless("logprobs", is_zero, "token probabilities are not reported")?;
    f.refuse_unless(
        "best_of",
        |v| v.as_i64() == Some(1),
        "one candidate per request",
    )?;
    f.refuse_unless(
        "suffix",
        |v| v == "",
        "fill-in-the-middle is `pai complete --suffix-file`, not served yet",
    )?;
    f.finish()?;
    Ok(CompletionRequest {
        model,
        prompt,
        stream,
        include_usage,
        max_tokens,
        sampling,
        stop,
    })
}

pub fn parse_embedding(body: &[u8], limits: &Limits) -> Result<EmbeddingRequest, ApiError> {
    let mut f = Fields::new(parse_object(body)?, "");
    let model = model_field(&mut f)?;
    let input = match f.take("input") {
        Some(Value::String(s)) => vec![s],
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_string) => {
            if items.len() > limits.max_inputs {
                return Err(ApiError::bad_request(format!(
                    "'input' has {} texts; pai serve takes at most {}",
                    items.len(),
                    limits.max_inputs
                ))
                .param("input"));
            }
            items
                .into_iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        }
        Some(_) => {
            return Err(f.wrong(
                "input",
                "a text or a non-empty list of texts (token ids are not supported)",
            ))
        }
        None => return Err(ApiError::bad_request("'input' is required").param("input")),
    };
    let format = match f.string("encoding_format")?.as_deref() {
        None | Some("float") => EncodingFormat::Float,
        Some("base64") => EncodingFormat::Base64,
        Some(_) => return Err(f.wrong("encoding_format", "\"float\" or \"base64\"")),
    };
    let dimensions = f.integer("dimensions", (1, 1 << 16))?.map(|d| d as u64);
    f.accept("user");
    f.finish()?;
    Ok(EmbeddingRequest {
        model,
        input,
        format,
        dimensions,
    })
}

/// Why a generation ended, in OpenAI's words.
pub fn finish_reason(stop: crate::engine::StopReason) -> &'static str {
    use crate::engine::StopReason::*;
    match stop {
        MaxTokens | ContextFull => "length",
        EndOfText | StopString | Interrupted | ReaderClosed => "stop",
        ToolCalls => "tool_calls",
    }
}

pub fn usage(prompt_tokens: usize, completion_tokens: usize) -> Value {
    json!({
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    })
}

/// Standard base64 (RFC 4648, with padding), for `encoding_format: "base64"`.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            max_messages: 4,
            max_tokens: 1000,
            max_stop: 4,
            max_inputs: 8,
        }
    }

    fn chat(body: Value) -> Result<ChatRequest, ApiError> {
        parse_chat(body.to_string().as_bytes(), &limits())
    }

    fn base() -> Value {
        json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]})
    }

    fn with(key: &str, value: Value) -> Value {
        let mut b = base();
        b[key] = value;
        b
    }

    #[test]
    fn a_plain_request_reads() {
        let r = chat(base()).unwrap();
        assert_eq!(r.model, "m");
        assert_eq!(r.messages[0].role, Role::User);
        assert!(!r.stream && !r.include_usage);
    }

    #[test]
    fn unknown_fields_are_named() {
        let mut b = base();
        b["frobnicate"] = json!(1);
        b["zeta"] = json!(2);
        let e = chat(b).unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.message.contains("'frobnicate', 'zeta'"), "{}", e.message);
    }

    #[test]
    fn bad_max_tokens_is_refused() {
        for v in [json!(-5), json!(0), json!(1001), json!("ten"), json!(1.5)] {
            let e = chat(with("max_tokens", v.clone())).unwrap_err();
            assert_eq!(e.param.as_deref(), Some("max_tokens"), "{v}");
        }
        assert_eq!(
            chat(with("max_tokens", json!(10))).unwrap().max_tokens,
            Some(10)
        );
    }

    #[test]
    fn response_format_becomes_a_grammar_or_a_400_naming_the_field() {
        let text = chat(with("response_format", json!({"type": "text"}))).unwrap();
        assert!(text.grammar.is_none());
        let object = chat(with("response_format", json!({"type": "json_object"}))).unwrap();
        assert!(object.grammar.is_some());
        let schema = json!({"type": "json_schema", "json_schema": {"name": "c", "strict": true,
            "schema": {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}}});
        assert!(chat(with("response_format", schema))
            .unwrap()
            .grammar
            .is_some());
        let refused = [
            (json!({"type": "xml"}), "response_format.type"),
            (
                json!({"type": "json_schema"}),
                "response_format.json_schema",
            ),
            (
                json!({"type": "json_schema", "json_schema": {"name": "c", "schema": {"not": {}}}}),
                "response_format.json_schema.schema",
            ),
            (
                json!({"type": "json_schema", "json_schema": {"name": "c", "frob": 1}}),
                "response_format.json_schema.frob",
            ),
        ];
        for (format, param) in refused {
            let e = chat(with("response_format", format)).unwrap_err();
            assert_eq!(e.param.as_deref(), Some(param), "{}", e.message);
        }
    }

    #[test]
    fn usage_is_asked_for_only_with_a_stream() {
        let mut b = with("stream", json!(true));
        b["stream_options"] = json!({"include_usage": true});
        assert!(chat(b).unwrap().include_usage);
        let e = chat(with("stream_options", json!({"include_usage": true}))).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("stream_options"));
        let mut b = with("stream", json!(true));
        b["stream_options"] = json!({"include_usage": true, "extra": 1});
        assert!(chat(b)
            .unwrap_err()
            .message
            .contains("stream_options.extra"));
    }

    #[test]
    fn harmless_values_pass_and_effective_ones_are_refused() {
        let mut b = base();
        for (k, v) in [
            ("n", json!(1)),
            ("user", json!("u")),
            ("frequency_penalty", json!(0)),
            ("logprobs", json!(false)),
            ("logprobs", json!(true)),
            ("tools", json!([])),
            ("tool_choice", json!("none")),
            ("seed", json!(-7)),
            ("store", json!(false)),
            ("logit_bias", json!({})),
            ("parallel_tool_calls", json!(true)),
            ("temperature", Value::Null),
        ] {
            b[k] = v;
        }
        chat(b).unwrap();
        for (k, v) in [
            ("n", json!(2)),
            ("frequency_penalty", json!(0.5)),
            ("top_logprobs", json!(3)),
            ("tools", json!({"type": "function"})),
            ("logit_bias", json!({"50256": -100})),
            ("store", json!(true)),
            ("temperature", json!(3)),
        ] {
            let e = chat(with(k, v)).unwrap_err();
            assert_eq!(e.param.as_deref(), Some(k));
        }
    }

    #[test]
    fn tools_calls_and_results_read_and_mistakes_name_their_field() {
        let weather = json!([{"type": "function", "function": {"name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]);
        let mut b = with("tools", weather.clone());
        b["tool_choice"] = json!({"type": "function", "function": {"name": "get_weather"}});
        b["messages"] = json!([
            {"role": "user", "content": "weather?"},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                "function": {"name": "get_weather", "arguments": "{\"city\": \"Oslo\"}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "rain"}]);
        let r = chat(b).unwrap();
        assert_eq!(
            r.tools.choice,
            crate::tool::ToolChoice::Named("get_weather".into())
        );
        assert_eq!(r.messages[1].tool_calls[0].name, "get_weather");
        assert_eq!(r.messages[2].tool_call_id.as_deref(), Some("call_1"));
        let mut none = with("tools", weather.clone());
        none["tool_choice"] = json!("none");
        assert!(!chat(none).unwrap().tools.callable());
        let refused = [
            (
                json!([{"type": "function", "function": {"name": "a b"}}]),
                json!("auto"),
                "tools[0].function.name",
            ),
            (
                weather.clone(),
                json!({"type": "function", "function": {"name": "other"}}),
                "tool_choice",
            ),
            (json!([]), json!("required"), "tool_choice"),
        ];
        for (tools, choice, param) in refused {
            let mut b = with("tools", tools);
            b["tool_choice"] = choice;
            assert_eq!(chat(b).unwrap_err().param.as_deref(), Some(param));
        }
        // A schema the grammar cannot hold is read, and refused where the local model answers.
        let mut b = with(
            "tools",
            json!([{"type": "function", "function": {"name": "f", "parameters": {"not": {}}}}]),
        );
        b["tool_choice"] = json!("auto");
        let e = super::super::tools::enforceable(&chat(b).unwrap().tools).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("tools"));
        let e = chat(with("top_logprobs", json!(2))).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("top_logprobs"));
        let mut b = with("logprobs", json!(true));
        b["top_logprobs"] = json!(2);
        assert_eq!(chat(b).unwrap().logprobs, Some(2));
    }

    #[test]
    fn messages_are_checked_one_by_one() {
        let e = chat(with("messages", json!([{"role": "tool", "content": "x"}]))).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("messages[0].tool_call_id"));
        let e = chat(with(
            "messages",
            json!([{"role": "function", "content": "x"}]),
        ))
        .unwrap_err();
        assert_eq!(e.param.as_deref(), Some("messages[0].role"));
        let e = chat(with(
            "messages",
            json!([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]),
        ))
        .unwrap_err();
        assert!(e.message.contains("image_url"));
        let r = chat(with(
            "messages",
            json!([{"role": "developer", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}, {"role": "user", "content": "q", "name": "x"}]),
        ))
        .unwrap();
        assert_eq!(r.messages[0].role, Role::System);
        assert_eq!(r.messages[0].content, "a\nb");
        let e = chat(with(
            "messages",
            json!([{"role": "user", "content": "q", "x": 1}]),
        ))
        .unwrap_err();
        assert!(e.message.contains("messages[0].x"));
        let too_many = Value::Array(vec![json!({"role": "user", "content": "q"}); 5]);
        assert!(chat(with("messages", too_many)).is_err());
        assert!(chat(with("messages", json!([]))).is_err());
    }

    #[test]
    fn the_pai_extension_is_strict() {
        assert!(
            chat(with("pai", json!({"context": true})))
                .unwrap()
                .pai
                .context
        );
        assert!(chat(with("pai", json!({"contxt": true})))
            .unwrap_err()
            .message
            .contains("pai.contxt"));
    }

    #[test]
    fn completions_and_embeddings_read() {
        let c = parse_completion(
            br#"{"model":"m","prompt":["once"],"max_tokens":5,"echo":false}"#,
            &limits(),
        )
        .unwrap();
        assert_eq!(c.prompt, "once");
        assert!(parse_completion(br#"{"model":"m","prompt":"x","echo":true}"#, &limits()).is_err());
        let e = parse_embedding(
            br#"{"model":"m","input":["a","b"],"encoding_format":"base64"}"#,
            &limits(),
        )
        .unwrap();
        assert_eq!(e.input.len(), 2);
        assert_eq!(e.format, EncodingFormat::Base64);
        assert!(parse_embedding(br#"{"model":"m","input":[[1,2]]}"#, &limits()).is_err());
    }

    #[test]
    fn base64_matches_the_rfc() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
