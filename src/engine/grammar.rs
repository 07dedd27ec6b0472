//! Grammars that constrain an answer: a JSON Schema converted by llama.cpp's own converter,
//! after refusing what that converter would quietly leave unconstrained. Shared by `pai ask
//! --json-schema` and `pai serve`'s `response_format`, so both enforce the same schemas.
use serde_json::Value;

/// The GBNF grammar for answers that follow `schema`, or why it cannot be enforced.
pub fn from_json_schema(schema: &Value) -> Result<String, String> {
    if !schema.is_object() && !schema.is_boolean() {
        return Err("a schema is a JSON object".into());
    }
    if let Some(why) = unsupported(schema) {
        return Err(why);
    }
    llama_cpp_2::json_schema_to_grammar(&schema.to_string())
        .map_err(|e| format!("llama.cpp's converter refused it ({e})"))
}

/// Any JSON object: OpenAI's `json_object` mode.
pub fn json_object() -> String {
    from_json_schema(&serde_json::json!({"type": "object"}))
        .expect("the converter handles a plain object schema")
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
        let g =
            from_json_schema(&json!({"type": "object", "properties": {"a": {"type": "integer"}}}));
        assert!(g.unwrap().contains("root"));
        assert!(json_object().contains("root"));
        let e = from_json_schema(&json!({"type": "string", "pattern": "[a-z]+"})).unwrap_err();
        assert!(e.contains("anchored"), "{e}");
        let e =
            from_json_schema(&json!({"properties": {"x": {"not": {"type": "null"}}}})).unwrap_err();
        assert!(e.contains("\"not\""), "{e}");
        assert!(from_json_schema(&json!("object")).is_err());
    }
}
