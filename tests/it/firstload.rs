//! The first load of a model file runs in a child process, and its verdict is kept: a crash
//! inside llama.cpp becomes one sentence with llama.cpp's own reason, once per file.
use std::path::PathBuf;

use crate::util::*;

/// A copy of SmolLM2 in the test's home, so its mtime can change without touching the cache.
fn copy_of_smol(env: &Env, name: &str) -> PathBuf {
    let copy = env.path(name);
    std::fs::copy(smollm2(), &copy).unwrap();
    copy
}

#[test]
fn a_crash_on_first_load_is_one_sentence_and_is_remembered_until_the_file_changes() {
    let env = Env::new();
    let model = copy_of_smol(&env, "smol.gguf");
    let out = env
        .pai(&["model", "add"])
        .arg(&model)
        .env("PAI_FIRSTLOAD_CRASH", "abort")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("cannot be loaded: llama.cpp crashed on it (SIGABRT)"),
        "{err}"
    );
    assert!(
        !env.path("models.toml").exists(),
        "a refused file is not registered"
    );
    // Kept: the same file is refused again without a child, crash or no crash.
    let started = std::time::Instant::now();
    let out = env
        .pai(&["ask", "--model", model.to_str().unwrap(), "hi", "-n", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("crashed on it (SIGABRT)"),
        "{}",
        stderr_of(&out)
    );
    assert!(started.elapsed().as_secs() < 10);
    // A changed file is a new file: it loads in a child again, and this time it loads.
    let file = std::fs::File::options().write(true).open(&model).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(file);
    env.pai(&["model", "add"]).arg(&model).assert().success();
    let out = env.pai(&["ask", "hi", "-n", "2"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let verdicts = std::fs::read_to_string(env.path("load-verdicts.json")).unwrap();
    let verdicts: serde_json::Value = serde_json::from_str(&verdicts).unwrap();
    assert_eq!(verdicts.as_array().unwrap().len(), 2, "{verdicts}");
}

#[test]
fn llama_cpps_own_reason_is_in_the_sentence() {
    let env = Env::new();
    let model = copy_of_smol(&env, "odd.gguf");
    // general.architecture = "llama" becomes "llamx": pai's checks have nothing to say about
    // an architecture they do not know; llama.cpp refuses it.
    let mut bytes = std::fs::read(&model).unwrap();
    let key = b"general.architecture";
    let at = bytes.windows(key.len()).position(|w| w == key).unwrap();
    let value = at + key.len() + 4 + 8;
    assert_eq!(&bytes[value..value + 5], b"llama");
    bytes[value + 4] = b'x';
    std::fs::write(&model, &bytes).unwrap();
    let out = env.pai(&["model", "add"]).arg(&model).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("odd.gguf cannot be loaded"), "{err}");
    assert!(err.contains("unknown model architecture: 'llamx'"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("pai:")).count(),
        1,
        "{err}"
    );
}
