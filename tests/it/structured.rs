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

/// tests/fixtures/schemas/cases.json: {name, question, schema} for each kind the issue names
/// (nested objects, bounded arrays, enums, anyOf with null, patterns, bounded integers, escapes,
/// non-ASCII, $defs, const).
fn cases() -> Vec<serde_json::Value> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemas/cases.json");
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() >= 20);
    cases
}

/// Every (schema, value) pair checked by Python's `jsonschema` in one process; the failures.
fn invalid(pairs: &[(serde_json::Value, serde_json::Value)]) -> String {
    let checked = std::process::Command::new(python())
        .args([
            "-c",
            "import sys, json, jsonschema\nfor s, v in json.load(sys.stdin):\n    try: jsonschema.validate(v, s)\n    except jsonschema.ValidationError as e: print(json.dumps(v), e.message)",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = checked;
    let body = serde_json::to_vec(pairs).unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), &body).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn answers_follow_the_schema_on_both_models() {
    for model in [crate::util::smollm2(), crate::util::gemma()] {
        let env = Env::new();
        env.pai(&["model", "add"]).arg(&model).assert().success();
        let mut pairs = Vec::new();
        for case in cases() {
            let schema = env.write("schema.json", &case["schema"].to_string());
            let out = env
                .pai(&["ask", "--json", "--no-context", "-n", "300", "--temp", "0"])
                .arg("--json-schema")
                .arg(&schema)
                .arg(case["question"].as_str().unwrap())
                .output()
                .unwrap();
            let name = &case["name"];
            assert!(
                out.status.success(),
                "{name} on {}: {}",
                model.display(),
                stderr_of(&out)
            );
            let answer = json_of(&out);
            let reparsed: serde_json::Value =
                serde_json::from_str(answer["answer"].as_str().unwrap()).unwrap();
            assert_eq!(reparsed, answer["value"], "{name}");
            pairs.push((case["schema"].clone(), answer["value"].clone()));
        }
        let failures = invalid(&pairs);
        assert!(failures.is_empty(), "{}: {failures}", model.display());
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
