//! Issue 26: speculative decoding by prompt lookup gives the same answer at temperature 0
//! (edit, complete, serve), and the prompt cache on disk starts one-shot commands from the
//! saved keys and values of their stable prefix: a hit, a changed profile or adapter, a
//! corrupt entry, and a cache that cannot keep anything.
use std::path::PathBuf;

use crate::serve::{chat_completion, Server};
use crate::util::{stderr_of, stdout_of, Env};

/// Code that an edit mostly copies: what prompt lookup drafts from.
const SELECTION: &str = "fn area(width: u32, height: u32) -> u32 {\n    width * height\n}\n\n\
fn perimeter(width: u32, height: u32) -> u32 {\n    2 * (width + height)\n}\n\n\
fn main() {\n    let (w, h) = (3, 4);\n    println!(\"area {} perimeter {}\", area(w, h), perimeter(w, h));\n}\n";

fn edit(env: &Env, flag: &str) -> String {
    let out = env
        .pai(&[
            "edit",
            "rename width to w and height to h",
            "--temp",
            "0",
            "--threads",
            "1",
            flag,
        ])
        .write_stdin(SELECTION)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    stdout_of(&out)
}

#[test]
fn edit_is_the_same_with_and_without_drafts() {
    let env = Env::with_smol();
    let plain = edit(&env, "--no-speculate");
    assert!(!plain.trim().is_empty());
    assert_eq!(edit(&env, "--speculate"), plain);
}

fn complete(env: &Env, flag: &str) -> String {
    let out = env
        .pai(&[
            "complete",
            "-n",
            "48",
            "--temp",
            "0",
            "--threads",
            "1",
            flag,
        ])
        .write_stdin(
            SELECTION.to_string() + "\nfn volume(width: u32, height: u32, depth: u32) -> u32 {\n",
        )
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    stdout_of(&out)
}

#[test]
fn complete_is_the_same_with_and_without_drafts() {
    let env = Env::with_smol();
    let plain = complete(&env, "--no-speculate");
    assert!(!plain.trim().is_empty());
    assert_eq!(complete(&env, "--speculate"), plain);
}

/// Each answer from a server of its own: a slot that reuses an earlier request's cache can
/// part from a fresh one at a near tie, drafts or not.
#[test]
fn a_serve_request_is_the_same_with_and_without_drafts() {
    let env = Env::with_smol();
    let answer = |speculate: bool| {
        let server = Server::start(&env, &["--threads", "1"]);
        let body = serde_json::json!({
            "model": "smol",
            "temperature": 0,
            "max_tokens": 96,
            "speculate": speculate,
            "messages": [{"role": "user", "content": format!("Repeat this code exactly:\n\n{SELECTION}")}],
        });
        let reply = chat_completion(server.port, &body);
        reply["choices"][0]["message"]["content"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let plain = answer(false);
    assert!(!plain.trim().is_empty());
    assert_eq!(answer(true), plain);
}

/// An environment with a profile long enough for the prompt cache (over 64 tokens).
fn env_with_profile() -> Env {
    let env = Env::with_smol();
    write_profile(&env, "I run the build farm");
    env
}

/// The moment changes from minute to minute and would change the greedy answer with it.
const NO_MOMENT: &str = "[context]\ncell = false\n";

fn write_profile(env: &Env, who: &str) {
    env.write("config.toml", NO_MOMENT);
    let facts: Vec<String> = (0..12)
        .map(|i| format!("{who}; machine {i} is called builder{i} and runs nightly jobs."))
        .collect();
    env.write("profile.md", facts.join("\n"));
}

/// `pai -v ask` greedy: the answer and what -v said of the prompt cache.
fn ask(env: &Env, extra: &[&str]) -> (String, String) {
    let mut args = vec!["-v", "ask", "which machines do I have?", "--temp", "0"];
    args.extend_from_slice(&["-n", "12", "--threads", "1"]);
    args.extend_from_slice(extra);
    let out = env
        .pai(&args)
        .current_dir(env.home.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let notes = stderr_of(&out)
        .lines()
        .filter(|l| l.contains("prompt cache"))
        .collect::<Vec<_>>()
        .join("\n");
    (stdout_of(&out), notes)
}

fn entries(env: &Env) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(env.path("prompt-cache")) else {
        return Vec::new();
    };
    dir.flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "kv"))
        .collect()
}

#[test]
fn the_second_ask_reads_its_prefix_from_the_cache_and_answers_the_same() {
    let env = env_with_profile();
    let (first, said) = ask(&env, &[]);
    assert!(said.contains("read and saved"), "{said}");
    assert_eq!(entries(&env).len(), 1);
    let context = env
        .pai(&["-v", "context", "which machines do I have?"])
        .current_dir(env.home.path())
        .output()
        .unwrap();
    assert!(
        stderr_of(&context).contains("come from the cache"),
        "{}",
        stderr_of(&context)
    );
    let (second, said) = ask(&env, &[]);
    assert!(said.contains("came from the prompt cache"), "{said}");
    assert_eq!(second, first);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&entries(&env)[0])
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_changed_profile_or_adapter_is_not_read_from_the_old_entry() {
    let env = crate::lora::env_with_adapters();
    write_profile(&env, "I run the build farm");
    ask(&env, &[]);
    write_profile(&env, "I run the print shop");
    let (_, said) = ask(&env, &[]);
    assert!(said.contains("read and saved"), "{said}");
    let (_, said) = ask(&env, &["--lora", "strong.gguf"]);
    assert!(said.contains("read and saved"), "{said}");
    let (_, said) = ask(&env, &["--lora", "strong.gguf"]);
    assert!(said.contains("came from the prompt cache"), "{said}");
    assert_eq!(entries(&env).len(), 3);
}

#[test]
fn a_corrupt_entry_is_removed_and_the_prefix_decoded() {
    let env = env_with_profile();
    let (first, _) = ask(&env, &[]);
    let entry = entries(&env).remove(0);
    let mut bytes = std::fs::read(&entry).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 64].fill(0x5a);
    std::fs::write(&entry, &bytes).unwrap();
    let (second, said) = ask(&env, &[]);
    assert!(said.contains("read and saved"), "{said}");
    assert_eq!(second, first);
    // A file that passes its own checksum but is not llama.cpp's state is refused by
    // llama.cpp, removed, and the prefix decoded.
    let entry = entries(&env).remove(0);
    let name = entry.file_name().unwrap().to_string_lossy().into_owned();
    let garbage = b"not a llama.cpp state file";
    let sum = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(garbage));
    let forged = entry.with_file_name(format!("{}{sum}.kv", &name[..name.len() - 19]));
    std::fs::remove_file(&entry).unwrap();
    std::fs::write(&forged, garbage).unwrap();
    let (third, said) = ask(&env, &[]);
    assert!(said.contains("read and saved"), "{said}");
    assert_eq!(third, first);
    assert!(!forged.exists());
}

#[test]
fn a_cache_that_cannot_keep_anything_still_answers() {
    let env = env_with_profile();
    let (first, _) = ask(&env, &[]);
    // The bound leaves no room: nothing is kept, and -v says so.
    std::fs::remove_dir_all(env.path("prompt-cache")).unwrap();
    env.write(
        "config.toml",
        format!("{NO_MOMENT}[prompt_cache]\nmax_mb = 0\n"),
    );
    let (second, said) = ask(&env, &[]);
    assert!(said.contains("could not keep them"), "{said}");
    assert_eq!(second, first);
    assert!(entries(&env).is_empty());
    // The folder cannot be made (a file is in its place): the same.
    env.write("config.toml", NO_MOMENT);
    std::fs::remove_dir_all(env.path("prompt-cache")).unwrap();
    env.write("prompt-cache", "in the way");
    let (third, said) = ask(&env, &[]);
    assert!(said.contains("could not keep them"), "{said}");
    assert_eq!(third, first);
}
