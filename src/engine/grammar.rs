//! What an answer must follow: a GBNF grammar (llama.cpp's grammar sampler) or a JSON Schema
//! (llguidance, which measured about twice as fast per token). A schema is checked before
//! anything is generated: refused where a converter would quietly leave it unconstrained, and
//! run through llama.cpp's converter as a second opinion. Shared by `pai ask --json-schema` and
//! `pai serve`'s `response_format`, so both enforce the same schemas.
use std::sync::OnceLock;

use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::sampling::LlamaSampler;
use llguidance::api::TopLevelGrammar;
use llguidance::{Matcher, ParserFactory};
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Grammar {
    /// GBNF text with a `root` rule.
    Gbnf(String),
    /// GBNF that applies from the first trigger word on; before it the model writes freely
    /// (a tool call inside an answer).
    LazyGbnf { text: String, triggers: Vec<String> },
    /// A JSON Schema document.
    JsonSchema(Value),
}

/// Why a JSON Schema cannot be enforced, as the end of a sentence that names the schema.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SchemaError {
    #[error("a schema is a JSON object")]
    NotAnObject,
    /// Something llama.cpp's converter would quietly leave unconstrained.
    #[error("{0}")]
    Unsupported(String),
    #[error("llama.cpp's converter refused it ({0})")]
    Converter(String),
}

/// The grammar for answers that follow `schema`, or why it cannot be enforced.
pub fn json_schema(schema: Value) -> Result<Grammar, SchemaError> {
    if !schema.is_object() {
        return Err(SchemaError::NotAnObject);
    }
    if let Some(why) = unsupported(&schema) {
        return Err(SchemaError::Unsupported(why));
    }
    llama_cpp_2::json_schema_to_grammar(&schema.to_string())
        .map_err(|e| SchemaError::Converter(e.to_string()))?;
    Ok(Grammar::JsonSchema(schema))
}

/// Any JSON object: OpenAI's `json_object` mode.
pub fn json_object() -> Grammar {
    Grammar::JsonSchema(json!({"type": "object"}))
}

/// llguidance's parser factory for one model's vocabulary, built on first use and kept with
/// the model: 0.1 s for SmolLM2's 49k tokens, 0.8 s for gemma's 262k (on a busy 2-core machine).
#[derive(Default)]
pub struct Guidance(OnceLock<Result<ParserFactory, GuidanceError>>);

/// Why llguidance cannot hold an answer to a schema, in its own words.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GuidanceError {
    /// The parser factory could not be built for the model's vocabulary.
    #[error("{0}")]
    Vocabulary(String),
    /// The schema could not be made into a parser.
    #[error("{0}")]
    Schema(String),
}

impl Guidance {
    pub fn sampler(
        &self,
        model: &LlamaModel,
        schema: &Value,
    ) -> Result<LlamaSampler, GuidanceError> {
        let factory = self.0.get_or_init(|| {
            let vocabulary = LlamaSampler::llguidance_tok_env(model);
            // No precomputed slices: building them took longer than they saved on these
            // vocabularies (SmolLM2: 0.27 s against 0.1 s, gemma: 2.7 s against 0.8 s).
            ParserFactory::new(&vocabulary, Default::default(), &[])
                .map_err(|e| GuidanceError::Vocabulary(e.to_string()))
        });
        let factory = factory.as_ref().map_err(Clone::clone)?;
        let parser = factory
            .create_parser(TopLevelGrammar::from_json_schema(compact(schema)))
            .map_err(|e| GuidanceError::Schema(e.to_string()))?;
        Ok(LlamaSampler::from(Matcher::new(Ok(parser))))
    }
}

/// JSON written `{"a": 1, "b": [2, 3]}`: free whitespace lets a small model pad an answer with
/// blank lines until the token limit (gemma-3-270m did, every time). Numbers get at most
/// nine digits after the point, for the same reason ([`FRACTION_STEP`]).
fn compact(schema: &Value) -> Value {
    let mut schema = schema.clone();
    bound_fractions(&mut schema);
    if let Some(map) = schema.as_object_mut() {
        map.insert(
            "x-guidance".into(),
            json!({"whitespace_flexible": false, "item_separator": ", ", "key_separator": ": "}),
        );
    }
    schema
}

/// The step of a generated number: nine digits after the point at most, so that a model cannot
/// write `-6.70599999…` until the token limit (gemma-3-270m did, on an AVX-512 CPU). Nine is
/// the most llguidance takes: it keeps `multipleOf` as a u32 and a power of ten.
const FRACTION_STEP: f64 = 1e-9;

/// Adds `multipleOf: 1e-9` to every number schema that has no `multipleOf`: every value it
/// admits is one the schema admits, and llguidance turns it into a bound on the digits.
/// Values (`const`, `enum`, `default`, `examples`) are data, not schemas, and are left alone.
fn bound_fractions(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            let number = match map.get("type") {
                Some(Value::String(t)) => t == "number",
                Some(Value::Array(types)) => types.iter().any(|t| t == "number"),
                _ => false,
            };
            if number && !map.contains_key("multipleOf") {
                map.insert("multipleOf".into(), json!(FRACTION_STEP));
            }
            for (key, value) in map.iter_mut() {
                if !matches!(key.as_str(), "const" | "enum" | "default" | "examples") {
                    bound_fractions(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(bound_fractions),
        _ => {}
    }
}

/// What llama.cpp's converter would quietly leave unconstrained (it warns and accepts any
/// string), found before it runs: an answer that ignores the schema is worse than an error.
fn unsupported(schema: &Value) -> Option<String> {
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(p)) = map.get("pattern") {
                if !(p.starts_with('^') && p.ends_with('$')) {
                    return Some(format!(
                        "the pattern {p:?} is not anchored with ^ and $, which the converter needs"
                    ));
                }
            }
            for key in [
                "not",
                "if",
                "then",
                "else",
                "dependentSchemas",
                "patternProperties",
            ] {
                if map.contains_key(key) {
                    return Some(format!("the keyword {key:?} is not supported"));
                }
            }
            map.values().find_map(unsupported)
        }
        Value::Array(items) => items.iter().find_map(unsupported),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enforceable_schemas_become_grammars_and_the_rest_are_refused_with_a_reason() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "integer"}}});
        assert_eq!(json_schema(schema.clone()), Ok(Grammar::JsonSchema(schema)));
        let e = json_schema(json!({"type": "string", "pattern": "[a-z]+"}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("anchored"), "{e}");
        let e = json_schema(json!({"properties": {"x": {"not": {"type": "null"}}}}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"not\""), "{e}");
        assert!(json_schema(json!("object")).is_err());
        let e = json_schema(json!({"$ref": "https://example.com/s.json"}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("converter refused"), "{e}");
    }

    #[test]
    fn numbers_get_a_bounded_fraction_and_values_are_left_alone() {
        let mut schema = json!({"type": "object", "properties": {
            "lat": {"type": "number", "minimum": -90},
            "n": {"type": ["number", "null"]},
            "step": {"type": "number", "multipleOf": 0.5},
            "k": {"type": "integer"},
            "c": {"const": {"type": "number"}}}});
        bound_fractions(&mut schema);
        let p = &schema["properties"];
        assert_eq!(p["lat"]["multipleOf"], json!(1e-9));
        assert_eq!(p["n"]["multipleOf"], json!(1e-9));
        assert_eq!(p["step"]["multipleOf"], json!(0.5));
        assert!(p["k"].get("multipleOf").is_none());
        assert_eq!(p["c"], json!({"const": {"type": "number"}}));
    }
}
