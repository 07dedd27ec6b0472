//! `pai index watch` as a user runs it: a child process that follows real edits in a temp
//! folder. Every check polls `pai search --json` with a generous deadline, since a loaded
//! two-core machine can take seconds to notice, debounce and commit.
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::{json_of, stderr_of, Env};

const DEADLINE: Duration = Duration::from_secs(20);

/// Kills the watcher if the test fails before it is stopped.
struct Watcher(Option<Child>);

impl Drop for Watcher {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn found(env: &Env, query: &str) -> Vec<String> {
    let out = env.pai(&["search", query, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let mut names: Vec<String> = json_of(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let p = Path::new(h["path"].as_str().unwrap());
            p.file_name().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Polls until `query` finds exactly `want`, or fails with what it found last.
fn eventually(env: &Env, query: &str, want: &[&str], log: &Path) {
    let start = Instant::now();
    loop {
        let got = found(env, query);
        if got == want {
            return;
        }
        if start.elapsed() > DEADLINE {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            panic!("{query:?} found {got:?}, not {want:?}, after {DEADLINE:?}\nwatch said:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn wait_for_text(log: &Path, text: &str) {
    let start = Instant::now();
    while !std::fs::read_to_string(log)
        .unwrap_or_default()
        .contains(text)
    {
        assert!(start.elapsed() < DEADLINE, "no {text:?} from watch");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watch_follows_writes_edits_renames_and_deletes_and_ignores_what_update_ignores() {
    let env = Env::new();
    let dir = env.path("notes");
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    std::fs::write(dir.join("a.md"), "# A\n\nalpha\n").unwrap();
    std::fs::write(dir.join(".gitignore"), "scratch.md\n").unwrap();
    env.pai(&["index", "add"]).arg(&dir).assert().success();

    let log = env.path("watch.log");
    let child = env
        .std_command(&["index", "watch"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut watcher = Watcher(Some(child));
    wait_for_text(&log, "watching 1 source");

    std::fs::write(dir.join("b.md"), "# B\n\nthe zebra grazes\n").unwrap();
    eventually(&env, "zebra", &["b.md"], &log);

    std::fs::write(dir.join("b.md"), "# B\n\na giraffe, not the other animal\n").unwrap();
    eventually(&env, "giraffe", &["b.md"], &log);
    assert!(found(&env, "zebra").is_empty());

    std::fs::rename(dir.join("b.md"), dir.join("c.md")).unwrap();
    eventually(&env, "giraffe", &["c.md"], &log);

    std::fs::remove_file(dir.join("c.md")).unwrap();
    eventually(&env, "giraffe", &[], &log);

    // Ignored and hidden notes first, then a visible one: once the visible one is found,
    // the others have had their chance to be indexed too.
    std::fs::write(dir.join("scratch.md"), "okapi in the scratch pad\n").unwrap();
    std::fs::write(dir.join(".hidden/h.md"), "okapi hidden away\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(dir.join("d.md"), "# D\n\nokapi in the open\n").unwrap();
    eventually(&env, "okapi", &["d.md"], &log);

    // A source added while it runs is followed without a restart.
    let more = env.path("more");
    std::fs::create_dir_all(&more).unwrap();
    env.pai(&["index", "add"]).arg(&more).assert().success();
    wait_for_text(&log, "now watching 2 sources");
    std::fs::write(more.join("e.md"), "# E\n\na wombat digs\n").unwrap();
    eventually(&env, "wombat", &["e.md"], &log);

    // Quiet sources mean no work: its own commits must not wake it up again.
    let updates = || {
        let said = std::fs::read_to_string(&log).unwrap();
        said.matches("files changed").count()
    };
    let before = updates();
    std::thread::sleep(Duration::from_millis(3000));
    assert_eq!(
        updates(),
        before,
        "{}",
        std::fs::read_to_string(&log).unwrap()
    );

    // Ctrl-C ends it cleanly.
    let mut child = watcher.0.take().unwrap();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("watch did not stop on Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let said = std::fs::read_to_string(&log).unwrap();
    assert_eq!(status.code(), Some(0), "{said}");
    assert!(said.contains("files changed"), "{said}");
    assert!(said.contains("stopped watching"), "{said}");
}

#[test]
fn watch_without_sources_says_how_to_add_one() {
    let env = Env::new();
    let out = env.pai(&["index", "watch"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("pai index add"),
        "{}",
        stderr_of(&out)
    );
}
