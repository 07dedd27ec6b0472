//! Bad input gets one clear sentence on stderr, a non-zero exit and nothing on stdout.
use crate::util::{smollm2, stderr_of, stdout_of, truncated_copy, Env};

/// Runs `pai ARGS`, expects a clean failure, and returns stderr.
fn fails(env: &Env, args: &[&str], stdin: &[u8]) -> String {
    let out = env.pai(args).write_stdin(stdin.to_vec()).output().unwrap();
    let code = out.status.code().expect("killed by a signal");
    assert!(
        code != 0 && code < 100,
        "exit {code} for {args:?}: {}",
        stderr_of(&out)
    );
    assert_eq!(stdout_of(&out), "", "stdout must stay empty on error");
    let err = stderr_of(&out);
    assert!(err.starts_with("pai: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn a_missing_model_file() {
    let env = Env::new();
    let err = fails(
        &env,
        &["ask", "hi", "--model", "/nonexistent/model.gguf"],
        b"",
    );
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn an_unknown_model_name() {
    let env = Env::with_smol();
    let err = fails(&env, &["ask", "hi", "--model", "nosuch"], b"");
    assert!(
        err.contains("no model named 'nosuch'") && err.contains("smol"),
        "{err}"
    );
}

#[test]
fn no_default_model_says_how_to_get_one() {
    let env = Env::new();
    let err = fails(&env, &["ask", "hi"], b"");
    assert!(err.contains("no default model"), "{err}");
    assert!(err.contains("hint:") && err.contains("pai model"), "{err}");
}

#[test]
fn truncated_and_fake_gguf_files_are_refused_before_llama_cpp() {
    let env = Env::new();
    let truncated = env.path("trunc.gguf");
    truncated_copy(&smollm2(), 2_000_000, &truncated);
    let header_only = env.path("header.gguf");
    truncated_copy(&smollm2(), 100, &header_only);
    let text = env.write("text.gguf", "not a model\n");
    let empty = env.write("empty.gguf", "");
    for (file, says) in [
        (&truncated, "truncated"),
        (&header_only, "truncated"),
        (&text, "not a GGUF"),
        (&empty, "not a GGUF"),
    ] {
        let err = fails(&env, &["ask", "hi", "--model", file.to_str().unwrap()], b"");
        assert!(err.contains(says), "{}: {err}", file.display());
        let err = fails(&env, &["model", "add", file.to_str().unwrap()], b"");
        assert!(err.contains(says), "{err}");
    }
    let out = env.pai(&["model", "list", "--json"]).output().unwrap();
    assert_eq!(stdout_of(&out).trim(), "[]", "nothing bad was registered");
}

#[test]
fn an_empty_prompt_with_empty_stdin() {
    let env = Env::with_smol();
    let err = fails(&env, &["ask"], b"");
    assert!(err.contains("nothing to ask"), "{err}");
    let err = fails(&env, &["ask", "  "], b"\n\n");
    assert!(err.contains("nothing to ask"), "{err}");
}

#[test]
fn binary_stdin_and_binary_files() {
    let env = Env::with_smol();
    let mut blob = vec![0x7f, b'E', b'L', b'F', 0, 0, 1];
    blob.extend(std::iter::repeat_n(0u8, 1000));
    let err = fails(&env, &["ask", "what is this?"], &blob);
    assert!(err.contains("binary"), "{err}");
    let file = env.write("blob.bin", &blob);
    let err = fails(
        &env,
        &["ask", "what is this?", "-f", file.to_str().unwrap()],
        b"",
    );
    assert!(err.contains("binary"), "{err}");
}

#[test]
fn a_missing_attachment() {
    let env = Env::with_smol();
    let err = fails(
        &env,
        &["ask", "summarize", "-f", "/nonexistent/notes.txt"],
        b"",
    );
    assert!(
        err.contains("/nonexistent/notes.txt does not exist"),
        "{err}"
    );
}

#[test]
fn a_question_longer_than_the_window_says_by_how_much() {
    let env = Env::with_smol();
    let long = "Why is the quarterly report late? ".repeat(60);
    let err = fails(&env, &["ask", &long, "--ctx", "128"], b"");
    assert!(err.contains("tokens too long"), "{err}");
    assert!(err.contains("128-token context window"), "{err}");
}

#[test]
fn a_bad_config_line_names_file_and_line() {
    let env = Env::with_smol();
    env.write("config.toml", "threads = 2\n[sampling]\ntmep = 0.5\n");
    let err = fails(&env, &["ask", "hi"], b"");
    assert!(err.contains("config.toml line 3"), "{err}");
    assert!(err.contains("tmep"), "{err}");
    let out = env.pai(&["ask", "hi"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "config errors have their own exit code"
    );
}

#[test]
fn bad_sampling_values_are_refused() {
    let env = Env::with_smol();
    let err = fails(&env, &["ask", "hi", "--top-p", "1.5"], b"");
    assert!(err.contains("--top-p"), "{err}");
}
