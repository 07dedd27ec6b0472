//! `pai edit`, `explain` and `complete` as editor filters: a real vim filters a line range,
//! and only that range changes.
use std::process::Command;

use crate::util::{stderr_of, stdout_of, Env};

#[test]
fn vim_filters_a_line_range_through_pai_edit() {
    let env = Env::with_smol();
    let file = env.write(
        "doc.txt",
        "KEEP FIRST\nteh quick brwon fox\njumsp over teh dog\nKEEP LAST\n",
    );
    let pai = assert_cmd::cargo::cargo_bin("pai");
    let filter = format!(
        "2,3!{} edit 'Fix the spelling.' --max-tokens 32 --temp 0",
        pai.display()
    );
    let out = Command::new("vim")
        .args(["-Nu", "NONE", "-es", "-c", &filter, "-c", "wq"])
        .arg(&file)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", env.home.path())
        .env("PAI_HOME", env.home.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "vim: {}", stderr_of(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first(), Some(&"KEEP FIRST"), "{text}");
    assert_eq!(lines.last(), Some(&"KEEP LAST"), "{text}");
    assert!(text.ends_with("KEEP LAST\n"), "{text:?}");
    let middle = lines[1..lines.len() - 1].join("\n");
    assert!(!middle.trim().is_empty(), "{text}");
    assert!(!middle.contains("```"), "{text}");
}

#[test]
fn edit_keeps_indentation_and_the_final_newline() {
    let env = Env::with_smol();
    let out = env
        .pai(&[
            "edit",
            "Rename x to y.",
            "--max-tokens",
            "24",
            "--temp",
            "0",
            "--no-context",
        ])
        .write_stdin("    let x = 1;\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{text:?}");
    assert!(text.starts_with("    "), "{text:?}");
}

#[test]
fn a_failed_edit_gives_the_selection_back() {
    let env = Env::new();
    let out = env
        .pai(&["edit", "Fix it."])
        .write_stdin("keep me\n  as I am\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_of(&out), "keep me\n  as I am\n");
    assert!(stderr_of(&out).contains("no model"), "{}", stderr_of(&out));
}

#[test]
fn edit_with_nothing_on_stdin_says_so() {
    let out = Env::with_smol().pai(&["edit", "Fix it."]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout_of(&out).is_empty());
    assert!(
        stderr_of(&out).contains("nothing on stdin"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn explain_streams_an_explanation() {
    let env = Env::with_smol();
    let out = env
        .pai(&["explain", "--max-tokens", "24", "--no-context"])
        .write_stdin("fn add(a: i32, b: i32) -> i32 { a + b }\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty());
}

#[test]
fn complete_prints_only_the_continuation_and_says_when_it_cannot_fill_the_middle() {
    let env = Env::with_smol();
    let suffix = env.write("suffix.txt", "\n}\n");
    let prefix = "fn main() {\n    let greeting = ";
    let out = env
        .pai(&[
            "complete",
            "--max-tokens",
            "8",
            "--temp",
            "0",
            "--suffix-file",
        ])
        .arg(&suffix)
        .write_stdin(prefix)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).starts_with(prefix));
    assert!(!stdout_of(&out).is_empty());
    assert!(
        stderr_of(&out).contains("no fill-in-the-middle tokens"),
        "{}",
        stderr_of(&out)
    );
}
