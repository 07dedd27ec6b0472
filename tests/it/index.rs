//! `pai index` on real files with real tantivy: incremental updates, ignore rules, odd files,
//! one writer at a time, and recovery after kill -9.
use std::path::Path;

use crate::util::{json_of, stderr_of, Env};

fn notes(env: &Env) -> std::path::PathBuf {
    let dir = env.path("notes");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// The file names (not paths) that `pai search QUERY` returns.
fn found(env: &Env, query: &str) -> Vec<String> {
    let out = env.pai(&["search", query, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    json_of(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let p = h["path"].as_str().unwrap();
            Path::new(p)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn update(env: &Env) -> String {
    let out = env.pai(&["index", "update"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    stderr_of(&out)
}

fn status(env: &Env) -> serde_json::Value {
    json_of(&env.pai(&["index", "status", "--json"]).output().unwrap())
}

#[test]
fn updates_follow_adds_edits_deletes_and_renames() {
    let env = Env::new();
    let dir = notes(&env);
    write(
        &dir.join("wg.md"),
        "# Wireguard\n\nThe tunnel listens on port 51820.\n",
    );
    write(
        &dir.join("bread.md"),
        "# Sourdough\n\nFeed the starter at night.\n",
    );
    env.pai(&["index", "add"]).arg(&dir).assert().success();
    assert_eq!(found(&env, "tunnel"), ["wg.md"]);
    assert_eq!(status(&env)["files"], 2);

    let quiet = update(&env);
    assert!(quiet.contains("0 new, 0 changed, 0 deleted"), "{quiet}");

    write(
        &dir.join("wg.md"),
        "# Wireguard\n\nThe tunnel moved to port 443.\n",
    );
    write(&dir.join("tea.md"), "# Tea\n\nGyokuro wants cool water.\n");
    let changed = update(&env);
    assert!(changed.contains("1 new, 1 changed, 0 deleted"), "{changed}");
    assert_eq!(found(&env, "gyokuro"), ["tea.md"]);
    assert!(found(&env, "51820").is_empty());
    assert_eq!(found(&env, "443"), ["wg.md"]);

    std::fs::remove_file(dir.join("bread.md")).unwrap();
    std::fs::rename(dir.join("tea.md"), dir.join("green-tea.md")).unwrap();
    let moved = update(&env);
    assert!(moved.contains("1 new, 0 changed, 2 deleted"), "{moved}");
    assert!(found(&env, "starter").is_empty());
    assert_eq!(found(&env, "gyokuro"), ["green-tea.md"]);
    assert_eq!(status(&env)["files"], 2);
}

#[test]
fn a_touched_file_is_not_reindexed() {
    let env = Env::new();
    let dir = notes(&env);
    let note = dir.join("a.md");
    write(&note, "# A\n\nalpha\n");
    env.pai(&["index", "add"]).arg(&dir).assert().success();
    // Same content, new mtime: the hash says nothing changed.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(&note, "# A\n\nalpha\n");
    let out = update(&env);
    assert!(
        out.contains("0 new, 0 changed, 0 deleted, 1 unchanged"),
        "{out}"
    );
    assert_eq!(found(&env, "alpha"), ["a.md"]);
}

#[test]
fn ignore_rules_and_odd_files_are_skipped_and_counted() {
    let env = Env::new();
    let dir = notes(&env);
    write(&dir.join("wg.md"), "# Wireguard\n\nport 51820 tunnel\n");
    write(&dir.join(".gitignore"), "secret.md\n");
    write(&dir.join("secret.md"), "tunnel secret\n");
    write(&dir.join(".ignore"), "draft.md\n");
    write(&dir.join("draft.md"), "tunnel draft\n");
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    write(&dir.join(".hidden/h.md"), "tunnel hidden\n");
    std::fs::write(dir.join("blob.bin"), [0u8, 1, 2, 3, b't', b'u', b'n']).unwrap();
    std::fs::write(dir.join("latin1.txt"), b"caf\xe9 tunnel au lait\n").unwrap();
    std::fs::write(dir.join("huge.txt"), "tunnel ".repeat(30_000_000 / 7)).unwrap();
    let fifo = dir.join("pipe.fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink(dir.join("sub"), dir.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.md")).unwrap();
    let locked = dir.join("locked.md");
    write(&locked, "tunnel locked\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();

    let out = env
        .pai(&["index", "add"])
        .arg(&dir)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let mut hits = found(&env, "tunnel");
    hits.sort();
    let skipped = &status(&env)["skipped"];
    assert_eq!(skipped["binary"], 1, "{skipped}");
    assert_eq!(skipped["too large"], 1, "{skipped}");
    assert_eq!(
        skipped["not a regular file"], 2,
        "FIFO and /dev/zero: {skipped}"
    );
    assert_eq!(skipped["symlink loop"], 1, "{skipped}");
    // Root reads a chmod 000 file anyway, so the "unreadable" count can only be checked
    // as another user; as root the file is simply indexed.
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .unwrap()
        .stdout
        == b"0\n";
    if root {
        assert_eq!(hits, ["latin1.txt", "locked.md", "wg.md"]);
    } else {
        assert_eq!(hits, ["latin1.txt", "wg.md"]);
        assert_eq!(skipped["unreadable"], 1, "{skipped}");
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn a_second_writer_waits_or_says_busy() {
    let env = Env::new();
    let dir = notes(&env);
    write(&dir.join("a.md"), "# A\n\nalpha\n");
    env.pai(&["index", "add"]).arg(&dir).assert().success();
    // Hold the writer lock as another pai would.
    let lock = std::fs::File::options()
        .write(true)
        .open(env.path("index/pai.lock"))
        .unwrap();
    lock.lock().unwrap();
    let out = env
        .pai(&["index", "update", "--wait", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("the index is busy"),
        "{}",
        stderr_of(&out)
    );
    drop(lock);

    let spawn = || {
        env.std_command(&["index", "update"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    assert_eq!(found(&env, "alpha"), ["a.md"]);
}

#[test]
fn kill_9_during_indexing_keeps_the_last_commit_and_update_finishes() {
    let env = Env::new();
    let dir = notes(&env);
    write(&dir.join("wg.md"), "# Wireguard\n\ntunnel port 51820\n");
    env.pai(&["index", "add"]).arg(&dir).assert().success();
    let big = env.path("big");
    std::fs::create_dir_all(&big).unwrap();
    let para = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod\n\n";
    for i in 0..1500 {
        let body = format!("# File {i}\n\nmarker{i} {}", para.repeat(400));
        write(&big.join(format!("f{i}.md")), &body);
    }
    let mut child = env
        .std_command(&["index", "add"])
        .arg(&big)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(found(&env, "tunnel"), ["wg.md"]);
    update(&env);
    assert_eq!(found(&env, "marker1499"), ["f1499.md"]);
    assert_eq!(status(&env)["files"], 1501);
}

#[test]
fn rm_drops_a_source_and_rebuild_restores_everything() {
    let env = Env::new();
    let (a, b) = (env.path("a"), env.path("b"));
    for d in [&a, &b] {
        std::fs::create_dir_all(d).unwrap();
    }
    write(&a.join("one.md"), "# One\n\nshared word\n");
    write(&b.join("two.md"), "# Two\n\nshared word\n");
    env.pai(&["index", "add"])
        .arg(&a)
        .arg(&b)
        .assert()
        .success();
    assert_eq!(found(&env, "shared").len(), 2);
    env.pai(&["index", "rm"]).arg(&b).assert().success();
    assert_eq!(found(&env, "shared"), ["one.md"]);
    env.pai(&["index", "rebuild"]).assert().success();
    assert_eq!(found(&env, "shared"), ["one.md"]);
    let out = env.pai(&["index", "rm", "/nowhere"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}
