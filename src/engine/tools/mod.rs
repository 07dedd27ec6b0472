//! Tool calls on the local model: the tools written into the prompt, the answer held to their
//! schemas by a grammar, and the calls read back out of what the model wrote. The remote engine
//! passes tools on to its server instead; this is only for models pai runs itself.
//!
//! A model whose chat template knows no tool format (both of pai's test models) gets the
//! [`fallback`]: a system-prompt section and a JSON grammar that leaves it no other way to answer.
//! Templates with a format of their own: Hermes/Qwen `<tool_call>` ([`native`]), Llama 3.x
//! ([`llama3`]) and Mistral `[TOOL_CALLS]` ([`mistral`]). Markers pai writes into a prompt
//! reach the model as text, never as control tokens (see `LocalModel::chat_tokens`).
use std::ops::DerefMut;

use crate::engine::grammar::{json_schema, Grammar};
use crate::engine::{EngineError, GenerateParams, Generation, Sink, StopReason};
use crate::message::{Message, Role};
use crate::tool::{ToolCall, ToolChoice, Tools};

mod capture;
pub mod fallback;
pub mod llama3;
pub mod mistral;
pub mod native;

pub use capture::{decode_partial, Capture};

/// How a model writes tool calls: its template's own way, or pai's JSON when it has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    /// `<tool_call>` blocks (see [`native`]).
    Hermes,
    /// `{"name": …, "parameters": …}`, perhaps after `<|python_tag|>` (see [`llama3`]).
    Llama3,
    /// `[TOOL_CALLS] [{"name": …, "arguments": …}]` (see [`mistral`]).
    Mistral,
}

impl Format {
    /// The format a chat template's text shows.
    pub fn of_template(template: Option<&str>) -> Self {
        match template {
            Some(t) if native::is_hermes(t) => Format::Hermes,
            Some(t) if mistral::is_mistral(t) => Format::Mistral,
            Some(t) if llama3::is_llama3(t) => Format::Llama3,
            _ => Format::Json,
        }
    }

    /// The texts that begin a call in what the model writes, as pai's output shows it: a
    /// marker that is a control token shows as nothing, so the call's own opening counts too.
    pub fn markers(self) -> Vec<String> {
        match self {
            Format::Json => Vec::new(),
            Format::Hermes => vec![native::OPEN.to_string()],
            Format::Llama3 => vec![llama3::TAG.to_string(), llama3::OPENING.to_string()],
            Format::Mistral => vec![mistral::MARKER.to_string(), mistral::OPENING.to_string()],
        }
    }

    /// The role a message takes in the template: Llama 3 gives tool results a role of their
    /// own, `ipython`.
    pub fn role_name(self, role: Role) -> &'static str {
        match (self, role) {
            (Format::Llama3, Role::Tool) => "ipython",
            _ => role.as_str(),
        }
    }
}

/// What the model wrote, read as an answer and calls.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub answer: String,
    pub calls: Vec<ToolCall>,
}

impl Parsed {
    fn answer(text: &str) -> Self {
        Self {
            answer: text.to_string(),
            calls: Vec::new(),
        }
    }
}

/// The conversation as the model must read it: tool results and the turns that made calls
/// written as plain turns, and, when tools are given, a system section that lists them (also
/// under `ToolChoice::None`, so that a step told to answer keeps the prompt's beginning, and
/// the cache of it, that the steps before it had). Messages without tools pass unchanged.
pub fn prompt_messages(format: Format, messages: &[Message], tools: &Tools) -> Vec<Message> {
    let listed = !tools.specs.is_empty();
    let uses_tools = listed
        || messages
            .iter()
            .any(|m| m.role == Role::Tool || !m.tool_calls.is_empty());
    if !uses_tools {
        return messages.to_vec();
    }
    let mut out = Vec::with_capacity(messages.len() + 1);
    for (i, m) in messages.iter().enumerate() {
        out.push(written(format, m, &messages[..i], tools));
    }
    if listed {
        let section = match format {
            Format::Json => fallback::section(tools),
            Format::Hermes => native::section(tools),
            Format::Llama3 => llama3::section(tools),
            Format::Mistral => mistral::section(tools),
        };
        match out.first_mut() {
            Some(first) if first.role == Role::System => {
                first.content = format!("{}\n\n{section}", first.content.trim_end());
            }
            _ => out.insert(0, Message::new(Role::System, section)),
        }
    }
    out
}

/// One message as the format writes it; `history` is the conversation before it.
fn written(format: Format, m: &Message, history: &[Message], tools: &Tools) -> Message {
    let calls = !m.tool_calls.is_empty();
    match (m.role, format) {
        (Role::Tool, Format::Json) => fallback::result_message(m, history),
        (Role::Tool, Format::Hermes) => native::result_message(m),
        (Role::Tool, Format::Mistral) => mistral::result_message(m),
        // Llama 3's result turn is its own role (`Format::role_name`), its text unchanged.
        (Role::Tool, Format::Llama3) => Message::new(Role::Tool, m.content.clone()),
        (Role::Assistant, Format::Hermes) if calls => Message::new(
            Role::Assistant,
            native::calls_text(&m.content, &m.tool_calls),
        ),
        (Role::Assistant, Format::Llama3) if calls => {
            Message::new(Role::Assistant, llama3::calls_text(&m.tool_calls))
        }
        (Role::Assistant, Format::Mistral) if calls => {
            Message::new(Role::Assistant, mistral::calls_text(&m.tool_calls))
        }
        (Role::Assistant, Format::Json) if calls => {
            Message::new(Role::Assistant, fallback::calls_text(&m.tool_calls))
        }
        // Earlier answers in the form later ones must take, so the model sees it kept.
        (Role::Assistant, Format::Json) if !tools.specs.is_empty() => {
            Message::new(Role::Assistant, fallback::answer_text(&m.content))
        }
        _ => m.clone(),
    }
}

/// The grammar that holds an answer of up to `max_tokens` tokens to the tools offered.
pub fn grammar(format: Format, tools: &Tools, max_tokens: u32) -> Result<Grammar, EngineError> {
    let longest_string = (max_tokens as usize).max(MIN_STRING_CAP);
    let refused =
        |e: String| EngineError::Grammar(format!("a tool's parameters cannot be enforced: {e}"));
    let json =
        json_schema(fallback::schema(tools, longest_string)).map_err(|e| refused(e.to_string()))?;
    let arguments = |p: &serde_json::Value| fallback::closed(p, longest_string);
    match format {
        Format::Json => Ok(json),
        Format::Hermes => {
            native::grammar(tools, &native::call_schema(tools, "arguments", arguments))
        }
        Format::Llama3 => {
            llama3::grammar(tools, &native::call_schema(tools, "parameters", arguments))
        }
        Format::Mistral => {
            mistral::grammar(tools, &native::call_schema(tools, "arguments", arguments))
        }
    }
}

/// The least a string argument may hold, however short the answer's budget.
const MIN_STRING_CAP: usize = 64;

/// Runs one generation with tools: `run` generates with the settings and sink it is given.
/// A plain answer streams into `sink` as it comes; calls come back in
/// [`Generation::tool_calls`], with [`StopReason::ToolCalls`]. Under `ToolChoice::None` the
/// answer is text: held to `{"answer": …}` in the fallback (whose prompt asks for JSON), free
/// in a native format.
pub fn generate(
    format: Format,
    params: &GenerateParams,
    sink: &mut dyn Sink,
    run: impl FnOnce(&GenerateParams, &mut dyn Sink) -> Result<Generation, EngineError>,
) -> Result<Generation, EngineError> {
    let mut settings = params.clone();
    let mut held = Held::new(format, &mut settings, sink)?;
    let generation = run(&settings, &mut held)?;
    held.conclude(generation)
}

/// One generation with tools, for a caller that drives its steps itself (the batch engine):
/// [`Held::new`] puts the grammar on its settings, the text goes through it as through a
/// sink, and [`Held::conclude`] reads the calls out when it has ended.
pub struct Held<S> {
    capture: Capture<S>,
    format: Format,
    /// `ToolChoice::None` in a native format: no grammar, and the text is only text.
    plain: bool,
}

impl<S: DerefMut<Target: Sink>> Held<S> {
    pub fn new(format: Format, params: &mut GenerateParams, sink: S) -> Result<Self, EngineError> {
        let plain = params.tools.choice == ToolChoice::None && format != Format::Json;
        if !plain {
            params.grammar = Some(grammar(format, &params.tools, params.max_tokens)?);
        }
        Ok(Self {
            capture: Capture::new(sink, format),
            format,
            plain,
        })
    }

    /// The generation with its calls; what the caller has not seen of a plain answer goes
    /// to its sink.
    pub fn conclude(self, mut generation: Generation) -> Result<Generation, EngineError> {
        let (captured, mut sink) = self.capture.into_parts();
        if self.plain {
            return Ok(generation);
        }
        if !captured.unsent.is_empty() {
            sink.piece(&captured.unsent).map_err(EngineError::Output)?;
        }
        let parsed = match self.format {
            Format::Json => fallback::parse(&captured.raw),
            Format::Hermes => native::parse(&captured.raw),
            Format::Llama3 => llama3::parse(&captured.raw),
            Format::Mistral => mistral::parse(&captured.raw),
        };
        if !parsed.calls.is_empty() {
            generation.tool_calls = parsed.calls;
            if generation.stop_reason == StopReason::EndOfText {
                generation.stop_reason = StopReason::ToolCalls;
            }
        } else if !captured.streamed && !parsed.answer.is_empty() {
            // Neither an answer nor a call, cut short: what there is goes out as text.
            sink.piece(&parsed.answer).map_err(EngineError::Output)?;
        }
        Ok(generation)
    }
}

impl<S: DerefMut<Target: Sink>> Sink for Held<S> {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        if self.plain {
            return self.capture.send(text);
        }
        self.capture.piece(text)
    }

    fn wants_token_stats(&self) -> bool {
        self.capture.wants_token_stats()
    }

    fn observe(&mut self, stats: crate::engine::TokenStats) {
        self.capture.observe(stats)
    }

    fn wants_logprobs(&self) -> Option<usize> {
        self.capture.wants_logprobs()
    }

    fn logprobs(&mut self, token: crate::engine::logprobs::TokenLogprobs) {
        self.capture.logprobs(token)
    }
}

/// The tools as a request lists them (names, descriptions, parameter schemas), as JSON text:
/// what counts them where the exact prompt is not known.
pub fn listed_json(tools: &Tools) -> String {
    let specs: Vec<serde_json::Value> = tools
        .specs
        .iter()
        .map(|s| {
            serde_json::json!({"type": "function", "function": {
                "name": s.name, "description": s.description, "parameters": s.parameters,
            }})
        })
        .collect();
    serde_json::Value::from(specs).to_string()
}

/// A fresh id for a call: `call_` and 24 hex digits.
pub fn new_call_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    let a = h.finish();
    h.write_u8(1);
    format!("call_{a:016x}{:08x}", h.finish() as u32)
}

/// The name of the tool the call `id` asked for, from the turns before its result.
pub(crate) fn lookup_name<'a>(history: &'a [Message], id: &str) -> Option<&'a str> {
    history
        .iter()
        .rev()
        .flat_map(|m| &m.tool_calls)
        .find(|c| c.id == id)
        .map(|c| c.name.as_str())
}
