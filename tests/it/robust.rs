//! Holding up on a real machine: a failed write is an error, a setting that cannot work is a
//! config error naming its key, and what pai keeps of the user's text is theirs alone.
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::util::{stderr_of, Env};

#[test]
fn a_full_disk_is_an_error_not_a_short_answer() {
    let env = Env::with_smol();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = env
        .std_command(&["ask", "name three colors", "--no-context", "-n", "16"])
        .stdin(std::process::Stdio::null())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("cannot write the answer"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn settings_that_cannot_work_are_config_errors() {
    let env = Env::with_smol();
    for (text, key) in [
        ("[hook]\ntimeout_s = nan\n", "[hook] timeout_s"),
        ("[hook]\ntimeout_s = -5.0\n", "[hook] timeout_s"),
        ("[sampling]\ntemp = inf\n", "[sampling] temp"),
        ("[sampling]\nmax_tokens = 0\n", "[sampling] max_tokens"),
        ("ctx = 0\n", "ctx"),
        ("threads = 0\n", "threads"),
    ] {
        env.write("config.toml", text);
        for args in [
            &["config", "show"][..],
            &["ask", "hi"],
            &["hook", "run", "msg"],
        ] {
            let out = env.pai(args).output().unwrap();
            let err = stderr_of(&out);
            assert!(!err.contains("panicked"), "{text} {args:?}: {err}");
            if args[0] == "hook" {
                // The hook never fails a commit: it says nothing and exits 0.
                assert!(out.status.success(), "{text}: {err}");
                continue;
            }
            assert_eq!(out.status.code(), Some(3), "{text} {args:?}: {err}");
            assert!(err.contains(key), "{text} {args:?}: {err}");
        }
    }
}

fn assert_private(root: &Path) {
    for entry in walk(root) {
        let mode = std::fs::metadata(&entry).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "{} is {mode:o}", entry.display());
    }
}

fn walk(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![root.to_path_buf()];
    if root.is_dir() {
        for e in std::fs::read_dir(root).unwrap() {
            out.extend(walk(&e.unwrap().path()));
        }
    }
    out
}

#[test]
fn the_index_and_history_are_owner_only() {
    let env = Env::with_smol();
    let notes = env.path("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("a.md"), "# A\n\nprivate words\n").unwrap();
    env.pai(&["index", "add", notes.to_str().unwrap()])
        .assert()
        .success();
    env.pai(&["chat", "--no-context", "-n", "4"])
        .write_stdin("hello\n")
        .assert()
        .success();
    assert_private(&env.path("index"));
    assert_private(&env.path("pai.db"));
}
