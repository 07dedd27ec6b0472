//! How a request body is read: one JSON object, field by field, so that every field is either
//! used, accepted as harmless, or refused with a 400 that names it; and the fields that chat
//! and completion requests share (model, sampling, max_tokens, stop, stream).
use serde_json::{Map, Value};

use super::error::ApiError;

/// What the server refuses before any model work.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_messages: usize,
    /// The largest max_tokens a request may ask for: the context window.
    pub max_tokens: u32,
    pub max_stop: usize,
    pub max_inputs: usize,
}

/// Sampling fields a request set; unset ones come from config.toml.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SamplingFields {
    pub temperature: Option<f32>,
    pub top_p: Option<f32>,
    pub top_k: Option<i32>,
    pub min_p: Option<f32>,
    pub repeat_penalty: Option<f32>,
    pub seed: Option<u32>,
    /// vLLM's and llama-server's extension: keep generating past end-of-text tokens, up to
    /// max_tokens (for benchmarks).
    pub ignore_eos: bool,
    /// pai's extension: draft from the prompt (`engine::speculate`) for answers that copy
    /// their input, such as a refactor; the answer is the same, only faster.
    pub speculate: bool,
}

pub(super) fn parse_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("the body must be a JSON object")),
        Err(e) => Err(ApiError::bad_request(format!(
            "the body is not valid JSON: {e}"
        ))),
    }
}

/// Reads fields one by one and remembers the ones nobody claimed.
pub(super) struct Fields {
    map: Map<String, Value>,
    pub(super) prefix: String,
}

impl Fields {
    pub(super) fn new(map: Map<String, Value>, prefix: impl Into<String>) -> Self {
        Self {
            map,
            prefix: prefix.into(),
        }
    }

    pub(super) fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The value, with JSON null read as absent.
    pub(super) fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    pub(super) fn string(&mut self, key: &str) -> Result<Option<String>, ApiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.wrong(key, "a string")),
        }
    }

    pub(super) fn bool(&mut self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(_) => Err(self.wrong(key, "true or false")),
        }
    }

    pub(super) fn number(&mut self, key: &str, range: (f64, f64)) -> Result<Option<f64>, ApiError> {
        let Some(v) = self.take(key) else {
            return Ok(None);
        };
        match v.as_f64() {
            Some(x) if x.is_finite() && x >= range.0 && x <= range.1 => Ok(Some(x)),
            _ => Err(self.wrong(key, &format!("a number from {} to {}", range.0, range.1))),
        }
    }

    pub(super) fn integer(
        &mut self,
        key: &str,
        range: (i64, i64),
    ) -> Result<Option<i64>, ApiError> {
        let Some(v) = self.take(key) else {
            return Ok(None);
        };
        match v.as_i64() {
            Some(x) if x >= range.0 && x <= range.1 => Ok(Some(x)),
            _ => Err(self.wrong(
                key,
                &format!("a whole number from {} to {}", range.0, range.1),
            )),
        }
    }

    pub(super) fn wrong(&self, key: &str, what: &str) -> ApiError {
        ApiError::bad_request(format!("'{}' must be {what}", self.name(key))).param(self.name(key))
    }

    /// A field pai knows but does not do; absent, null, or the value that asks for nothing
    /// (`harmless`) is fine.
    pub(super) fn refuse_unless(
        &mut self,
        key: &str,
        harmless: impl Fn(&Value) -> bool,
        why: &str,
    ) -> Result<(), ApiError> {
        match self.take(key) {
            Some(v) if !harmless(&v) => Err(ApiError::bad_request(format!(
                "'{}' is not supported: {why}",
                self.name(key)
            ))
            .param(self.name(key))
            .code("unsupported_parameter")),
            _ => Ok(()),
        }
    }

    /// Accepted without effect on the answer (documented in docs/serve.md).
    pub(super) fn accept(&mut self, key: &str) {
        self.map.remove(key);
    }

    /// Every field left is one pai does not know: a 400 naming them all.
    pub(super) fn finish(self) -> Result<(), ApiError> {
        if self.map.is_empty() {
            return Ok(());
        }
        let mut names: Vec<String> = self.map.keys().map(|k| self.name(k)).collect();
        names.sort();
        let list = names
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let noun = if names.len() == 1 { "field" } else { "fields" };
        Err(
            ApiError::bad_request(format!("unknown {noun} {list}: pai serve does not know it"))
                .param(names[0].clone())
                .code("unknown_parameter"),
        )
    }
}

pub(super) fn is_false(v: &Value) -> bool {
    v == &Value::Bool(false)
}

pub(super) fn is_empty(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

pub(super) fn is_zero(v: &Value) -> bool {
    v.as_f64() == Some(0.0)
}

pub(super) fn model_field(f: &mut Fields) -> Result<String, ApiError> {
    f.string("model")?.ok_or_else(|| {
        ApiError::bad_request("'model' is required: one of the ids /v1/models lists").param("model")
    })
}

pub(super) fn sampling_fields(f: &mut Fields) -> Result<SamplingFields, ApiError> {
    let seed = f.integer("seed", (i64::MIN, i64::MAX))?;
    let s = SamplingFields {
        temperature: f.number("temperature", (0.0, 2.0))?.map(|x| x as f32),
        top_p: f.number("top_p", (0.0, 1.0))?.map(|x| x as f32),
        // llama-server's and vLLM's extensions, which many clients send.
        top_k: f.integer("top_k", (0, 1 << 20))?.map(|x| x as i32),
        min_p: f.number("min_p", (0.0, 1.0))?.map(|x| x as f32),
        repeat_penalty: f.number("repeat_penalty", (0.01, 10.0))?.map(|x| x as f32),
        // Any 64-bit seed is valid for OpenAI; llama.cpp takes 32 bits.
        seed: seed.map(|s| (s as u64 ^ ((s as u64) >> 32)) as u32),
        ignore_eos: f.bool("ignore_eos")?.unwrap_or(false),
        speculate: f.bool("speculate")?.unwrap_or(false),
    };
    let penalty = "pai applies one repeat penalty; send 'repeat_penalty' instead, or 0";
    f.refuse_unless("frequency_penalty", is_zero, penalty)?;
    f.refuse_unless("presence_penalty", is_zero, penalty)?;
    f.refuse_unless("logit_bias", is_empty, "token biases are not implemented")?;
    f.refuse_unless("n", |v| v.as_i64() == Some(1), "one choice per request")?;
    Ok(s)
}

pub(super) fn max_tokens_field(f: &mut Fields, limits: &Limits) -> Result<Option<u32>, ApiError> {
    let range = (1, limits.max_tokens.max(1) as i64);
    let a = f.integer("max_tokens", range)?;
    let b = f.integer("max_completion_tokens", range)?;
    Ok(b.or(a).map(|x| x as u32))
}

pub(super) fn stop_field(f: &mut Fields, limits: &Limits) -> Result<Vec<String>, ApiError> {
    let stop = match f.take("stop") {
        None => Vec::new(),
        Some(Value::String(s)) => vec![s],
        Some(Value::Array(items)) if items.len() <= limits.max_stop => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(f.wrong("stop", "a string or a list of strings")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(f.wrong(
                "stop",
                &format!("a string or a list of at most {} strings", limits.max_stop),
            ))
        }
    };
    if stop.iter().any(|s| s.is_empty()) {
        return Err(f.wrong("stop", "non-empty text"));
    }
    Ok(stop)
}

/// `stream` and `stream_options`; include_usage without stream is a mistake worth a 400.
pub(super) fn stream_fields(f: &mut Fields) -> Result<(bool, bool), ApiError> {
    let stream = f.bool("stream")?.unwrap_or(false);
    let mut include_usage = false;
    if let Some(options) = f.take("stream_options") {
        let Value::Object(map) = options else {
            return Err(f.wrong("stream_options", "an object"));
        };
        if !stream {
            return Err(ApiError::bad_request(
                "'stream_options' is only allowed with \"stream\": true",
            )
            .param("stream_options"));
        }
        let mut o = Fields::new(map, "stream_options.");
        include_usage = o.bool("include_usage")?.unwrap_or(false);
        // Padding against length side channels changes no text; pai sends none.
        o.accept("include_obfuscation");
        o.finish()?;
    }
    Ok((stream, include_usage))
}

/// Fields the official clients may send that change nothing about the answer.
pub(super) fn harmless_fields(f: &mut Fields) -> Result<(), ApiError> {
    for key in [
        "user",
        "metadata",
        "service_tier",
        "safety_identifier",
        "prompt_cache_key",
    ] {
        f.accept(key);
    }
    f.refuse_unless("store", is_false, "pai serve does not store completions")
}
