//! Structured output: `pai ask --json-schema` and `--grammar` on the real models. Every answer
//! must parse and validate (checked with Python's `jsonschema`, in a venv the tests make); a
//! schema that cannot be enforced is an error before anything is generated. Strings are bounded
//! in the schema: a grammar cannot stop a model that runs to the token limit inside one.
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::util::{json_of, stderr_of, stdout_of, Env};

fn python() -> PathBuf {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    PYTHON
        .get_or_init(|| crate::util::venv("jsonschema-venv", "jsonschema", "import jsonschema"))
        .clone()
        .unwrap_or_else(|e| panic!("cannot make the Python venv with jsonschema: {e}"))
}

const SCHEMA: &str = r#"{"type": "object", "properties": {
  "name": {"type": "string", "pattern": "^[A-Z][a-z]+$"},
  "age": {"type": "integer", "minimum": 18, "maximum": 99},
  "tags": {"type": "array", "items": {"type": "string", "enum": ["café", "thé", "wine"]},
           "minItems": 1, "maxItems": 3},
  "address": {"type": "object", "properties": {
      "city": {"type": "string", "maxLength": 30},
      "zip": {"anyOf": [{"type": "string", "maxLength": 10}, {"type": "null"}]}},
    "required": ["city", "zip"], "additionalProperties": false},
  "note": {"type": "string", "maxLength": 40}},
 "required": ["name", "age", "tags", "address", "note"], "additionalProperties": false}"#;

fn validates(schema: &str, value: &serde_json::Value) -> Result<(), String> {
    let out = std::process::Command::new(python())
        .args([
            "-c",
            "import sys, json, jsonschema; jsonschema.validate(json.loads(sys.argv[2]), json.loads(sys.argv[1]))",
            schema,
            &value.to_string(),
        ])
        .output()
        .unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn answers_follow_the_schema_on_both_models() {
    for model in [crate::util::smollm2(), crate::util::gemma()] {
        let env = Env::new();
        env.pai(&["model", "add"]).arg(&model).assert().success();
        let schema = env.write("schema.json", SCHEMA);
        for (question, temp) in [
            (
                "Describe a person from Zürich who says \"grüezi\" and likes café.",
                "0",
            ),
            ("Make up a customer record.", "0.9"),
        ] {
            let out = env
                .pai(&["ask", "--json", "--no-context", "-n", "400", "--temp", temp])
                .arg("--json-schema")
                .arg(&schema)
                .arg(question)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}: {}",
                model.display(),
                stderr_of(&out)
            );
            let answer = json_of(&out);
            let value = &answer["value"];
            let reparsed: serde_json::Value =
                serde_json::from_str(answer["answer"].as_str().unwrap()).unwrap();
            assert_eq!(&reparsed, value);
            validates(SCHEMA, value).unwrap_or_else(|e| panic!("{value}: {e}"));
        }
    }
}

#[test]
fn a_grammar_holds_the_answer_to_its_words() {
    let env = Env::with_smol();
    let grammar = env.write("yes-no.gbnf", "root ::= \"yes\" | \"no\"\n");
    let out = env
        .pai(&["ask", "--no-context", "--grammar"])
        .arg(&grammar)
        .arg("Is the sky green?")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        ["yes", "no"].contains(&stdout_of(&out).trim()),
        "{}",
        stdout_of(&out)
    );
    let broken = env.write("broken.gbnf", "root ::= yes\n");
    let out = env
        .pai(&["ask", "--no-context", "--grammar"])
        .arg(&broken)
        .arg("Is the sky green?")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("the grammar cannot be used"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(stdout_of(&out), "");
    // A remote tier or endpoint is never asked for a constrained answer.
    let config = "[endpoints.cloud]\nurl = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\n[tiers]\nmedium = \"cloud\"\n";
    env.write("config.toml", config);
    for flags in [["--tier", "medium"], ["--endpoint", "cloud"]] {
        let out = env
            .pai(&["ask", "--no-context"])
            .args(flags)
            .arg("--grammar")
            .arg(&grammar)
            .arg("Is the sky green?")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{flags:?}");
        assert!(
            stderr_of(&out).contains("local model"),
            "{}",
            stderr_of(&out)
        );
    }
}

#[test]
fn a_schema_that_cannot_be_enforced_is_refused_before_generation() {
    let env = Env::with_smol();
    for (schema, says) in [
        (r#"{"type": "string", "pattern": "x+"}"#, "not anchored"),
        (r#"{"not": {"type": "string"}}"#, "\"not\""),
        (
            r#"{"$ref": "https://example.com/s.json"}"#,
            "converter refused",
        ),
        ("{not json", "is not JSON"),
    ] {
        let file = env.write("schema.json", schema);
        let out = env
            .pai(&["ask", "--no-context", "--json-schema"])
            .arg(&file)
            .arg("hi")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{schema}");
        assert!(
            stderr_of(&out).contains(says),
            "{schema}: {}",
            stderr_of(&out)
        );
        assert_eq!(stdout_of(&out), "", "{schema}");
    }
}
