//! `pai history` over real SQLite files. Conversations are written through the library (the
//! chat's API) or `pai history import`, then read back through the binary.
use std::sync::{Arc, Barrier};

use pai::message::Role;
use pai::store::{migrations, NewMessage, Store};

use crate::util::{json_of, stderr_of, stdout_of, Env};

fn store(env: &Env) -> Store {
    Store::open(&env.path("pai.db")).unwrap()
}

/// A conversation with a user question and an answer; returns its id.
fn chat(store: &Store, question: &str, answer: &str) -> i64 {
    let id = store.new_conversation(Some("smol")).unwrap();
    store
        .add_message(id, &NewMessage::new(Role::User, question))
        .unwrap();
    let reply = NewMessage {
        model: Some("smol"),
        prompt_tokens: Some(31),
        generated_tokens: Some(9),
        duration_ms: Some(1500.0),
        sources_json: Some(r#"[{"path":"notes/wg.md","lines":"12-30"}]"#),
        ..NewMessage::new(Role::Assistant, answer)
    };
    store.add_message(id, &reply).unwrap();
    id
}

fn ids(list: &serde_json::Value) -> Vec<i64> {
    let list = list.as_array().unwrap();
    list.iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

#[test]
fn list_show_search_export_rm_round_trip() {
    let env = Env::new();
    let db = store(&env);
    let wg = chat(
        &db,
        "How do I generate WireGuard keys?",
        "Run `wg genkey | tee private.key | wg pubkey > public.key`.",
    );
    let nginx = chat(
        &db,
        "How do I rotate the nginx logs we set up on the staging box last spring?",
        "Use logrotate with a postrotate that reloads nginx.",
    );
    drop(db);

    let list = json_of(&env.pai(&["history", "list", "--json"]).output().unwrap());
    assert_eq!(ids(&list), [nginx, wg], "newest first");
    let first = &list[0];
    assert_eq!(
        first["title"], "How do I rotate the nginx logs we set up on the staging box…",
        "the first user message, cut on a word boundary"
    );
    assert_eq!(first["model"], "smol");
    assert_eq!(first["messages"], 2);
    for key in ["created", "updated"] {
        assert!(
            first[key].as_str().unwrap().ends_with('Z'),
            "{key}: {first}"
        );
    }

    let table = stdout_of(&env.pai(&["history", "list"]).output().unwrap());
    assert!(
        table.lines().count() == 3 && table.contains("WireGuard keys"),
        "{table}"
    );

    let shown = env
        .pai(&["history", "show", &wg.to_string()])
        .output()
        .unwrap();
    assert!(shown.status.success(), "{}", stderr_of(&shown));
    let text = stdout_of(&shown);
    assert!(
        text.starts_with("How do I generate WireGuard keys?\n"),
        "{text}"
    );
    assert!(
        text.contains("[user]\nHow do I generate WireGuard keys?\n"),
        "{text}"
    );
    assert!(
        text.contains("[assistant] (smol, 31+9 tokens, 1.5 s)\nRun `wg genkey"),
        "{text}"
    );
    assert!(text.contains("[1] notes/wg.md:12-30"), "{text}");

    let found = env
        .pai(&["history", "search", "logrotate"])
        .output()
        .unwrap();
    let text = stdout_of(&found);
    assert!(
        text.starts_with(&format!("#{nginx} How do I rotate")) && text.contains("assistant"),
        "{text}"
    );
    assert!(text.contains("Use logrotate with"), "{text}");
    let found = json_of(
        &env.pai(&["history", "search", "HOW", "do", "--json"])
            .output()
            .unwrap(),
    );
    let hits = found.as_array().unwrap();
    assert_eq!(hits.len(), 2, "every word, any case: {found}");
    assert_eq!(hits[0]["conversation"]["id"], nginx);
    assert_eq!(hits[0]["message"]["role"], "user");
    let none = env
        .pai(&["history", "search", "tailscale"])
        .output()
        .unwrap();
    assert!(none.status.success() && stdout_of(&none).is_empty());

    let json = json_of(
        &env.pai(&["history", "export", &wg.to_string(), "--format", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(json["id"], wg);
    assert_eq!(json["messages"][0]["role"], "user");
    assert_eq!(json["messages"][1]["generated_tokens"], 9);
    assert_eq!(json["messages"][1]["sources"][0]["path"], "notes/wg.md");

    let md = stdout_of(
        &env.pai(&["history", "export", &wg.to_string(), "--format", "md"])
            .output()
            .unwrap(),
    );
    assert!(
        md.starts_with("# How do I generate WireGuard keys?\n"),
        "{md}"
    );
    assert!(md.contains("\n## User\n\nHow do I generate"), "{md}");
    assert!(md.contains("\n## Assistant\n\nRun `wg genkey"), "{md}");

    let rm = env
        .pai(&["history", "rm", &wg.to_string()])
        .output()
        .unwrap();
    assert!(rm.status.success(), "{}", stderr_of(&rm));
    assert!(stdout_of(&rm).is_empty(), "rm prints nothing on stdout");
    assert!(stderr_of(&rm).contains(&format!("removed conversation {wg}")));
    let list = json_of(&env.pai(&["history", "list", "--json"]).output().unwrap());
    assert_eq!(ids(&list), [nginx]);
    let found = json_of(
        &env.pai(&["history", "search", "wireguard", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        found,
        serde_json::json!([]),
        "removed messages leave the index"
    );
}

#[test]
fn newest_first_follows_the_latest_message() {
    let env = Env::new();
    let db = store(&env);
    let a = chat(&db, "first", "one");
    let b = chat(&db, "second", "two");
    let c = chat(&db, "third", "three");
    db.add_message(a, &NewMessage::new(Role::User, "first, again"))
        .unwrap();
    assert_eq!(db.latest().unwrap(), Some(a));
    drop(db);
    let list = json_of(&env.pai(&["history", "list", "--json"]).output().unwrap());
    assert_eq!(ids(&list), [a, c, b]);
    assert_eq!(
        list[0]["title"], "first",
        "the title stays the first message"
    );
    assert_eq!(list[0]["messages"], 3);
    let two = json_of(
        &env.pai(&["history", "list", "--json", "-n", "2"])
            .output()
            .unwrap(),
    );
    assert_eq!(ids(&two), [a, c]);
}

#[test]
fn a_missing_id_is_one_sentence_and_exit_1() {
    let env = Env::new();
    // Without a database at all, then with one that lacks the ID.
    for round in 0..2 {
        if round == 1 {
            chat(&store(&env), "hello", "hi");
        }
        for args in [
            vec!["history", "show", "42"],
            vec!["history", "rm", "42"],
            vec!["history", "export", "42", "--format", "json"],
        ] {
            let out = env.pai(&args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert_eq!(stdout_of(&out), "");
            let err = stderr_of(&out);
            assert!(
                err.starts_with("pai: there is no conversation 42\n"),
                "{args:?}: {err}"
            );
        }
    }
    let out = env.pai(&["history", "show", "abc"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "not a number is a usage error");
}

#[test]
fn reading_history_creates_no_database() {
    let env = Env::new();
    let out = env.pai(&["history", "list", "--json"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(stdout_of(&out).trim(), "[]");
    let out = env.pai(&["history", "list"]).output().unwrap();
    assert!(out.status.success() && stdout_of(&out).is_empty());
    assert!(stderr_of(&out).contains("no conversations yet"));
    env.pai(&["history", "search", "x"]).assert().success();
    assert!(!env.path("pai.db").exists());
}

#[test]
fn a_file_that_is_not_a_database_is_one_clear_error() {
    let env = Env::new();
    env.write("pai.db", "these are my notes, not a database\n".repeat(200));
    for args in [vec!["history", "list"], vec!["history", "show", "1"]] {
        let out = env.pai(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr_of(&out);
        assert!(err.contains("is not a pai database"), "{err}");
        assert!(err.contains("hint:"), "{err}");
    }
    let text = std::fs::read_to_string(env.path("pai.db")).unwrap();
    assert!(text.starts_with("these are my notes"), "left untouched");
}

#[cfg(unix)]
#[test]
fn the_database_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let db = Store::open(&env.path("data/pai.db")).unwrap();
    chat(&db, "a secret question", "a secret answer");
    for file in ["data/pai.db", "data/pai.db-wal", "data/pai.db-shm"] {
        let path = env.path(file);
        if path.exists() {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{file}: {mode:o}");
        }
    }
    let mode: String = db
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn escape_sequences_in_messages_are_not_printed_raw() {
    let env = Env::new();
    let evil = "title\x1b]2;PWNED\x07 \x1b[2J\x1b[31mred\u{9b}1m \u{202e}txet";
    let id = chat(&store(&env), evil, &format!("answer {evil}"));
    let id = id.to_string();
    for args in [
        vec!["history", "list"],
        vec!["history", "show", &id],
        vec!["history", "search", "pwned"],
        vec!["history", "export", &id, "--format", "md"],
        vec!["history", "list", "--json"],
        vec!["history", "search", "pwned", "--json"],
        vec!["history", "export", &id, "--format", "json"],
    ] {
        let out = env.pai(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
        let text = stdout_of(&out);
        assert!(text.contains("red"), "{args:?}: {text}");
        for bad in ['\x1b', '\x07', '\u{9b}', '\u{202e}'] {
            assert!(!text.contains(bad), "{args:?} printed {bad:?}: {text:?}");
        }
    }
    // JSON escapes them instead, so the text survives exactly.
    let json = json_of(
        &env.pai(&["history", "export", &id, "--format", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(json["messages"][0]["text"], evil);
}

#[test]
fn export_then_import_keeps_every_field() {
    let env = Env::new();
    let id = chat(&store(&env), "What is in my notes?", "A lot.").to_string();
    let exported = env
        .pai(&["history", "export", &id, "--format", "json"])
        .output()
        .unwrap();
    let file = env.write("export.json", &exported.stdout);
    let imported = env.pai(&["history", "import"]).arg(&file).output().unwrap();
    assert!(imported.status.success(), "{}", stderr_of(&imported));
    let new_id = stdout_of(&imported).trim().to_string();
    assert_ne!(new_id, id);
    let again = json_of(
        &env.pai(&["history", "export", &new_id, "--format", "json"])
            .output()
            .unwrap(),
    );
    let mut before = json_of(&exported);
    before["id"] = again["id"].clone();
    assert_eq!(again, before);

    let out = env
        .pai(&["history", "import", "-"])
        .write_stdin("{\"messages\": [{\"role\": \"robot\", \"text\": \"x\"}]}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("unknown role 'robot'"),
        "{}",
        stderr_of(&out)
    );
}

/// Every thread opens its own Store on the same fresh file at the same moment (so they race to
/// create the schema: a migration applied twice would fail its CREATE TABLE) and then writes, some into their own conversation and some into one they
/// all share. No message may be lost or doubled.
#[test]
fn concurrent_stores_on_one_fresh_file_lose_nothing() {
    const THREADS: usize = 8;
    const MESSAGES: usize = 25;
    let env = Env::new();
    let path = env.path("pai.db");
    let start = Arc::new(Barrier::new(THREADS));
    let shared = Arc::new(std::sync::OnceLock::new());
    let opened = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (path, start, opened, shared) =
                (path.clone(), start.clone(), opened.clone(), shared.clone());
            std::thread::spawn(move || {
                start.wait();
                let store = Store::open(&path).unwrap();
                let mine = store.new_conversation(None).unwrap();
                shared.get_or_init(|| store.new_conversation(None).unwrap());
                opened.wait();
                let shared = *shared.get().unwrap();
                for m in 0..MESSAGES {
                    let text = format!("thread {t} message {m}");
                    let to = if m % 2 == 0 { mine } else { shared };
                    store
                        .add_message(to, &NewMessage::new(Role::User, &text))
                        .unwrap();
                }
                mine
            })
        })
        .collect();
    let mine: Vec<i64> = workers.into_iter().map(|w| w.join().unwrap()).collect();

    let store = store(&env);
    assert_eq!(
        migrations::version(store.connection()).unwrap(),
        migrations::latest()
    );
    let shared = *shared.get().unwrap();
    let mut texts: Vec<String> = Vec::new();
    for id in mine.iter().chain([&shared]) {
        texts.extend(store.messages(*id).unwrap().into_iter().map(|m| m.text));
    }
    assert_eq!(texts.len(), THREADS * MESSAGES);
    texts.sort();
    texts.dedup();
    assert_eq!(
        texts.len(),
        THREADS * MESSAGES,
        "every message exactly once"
    );
    for t in 0..THREADS {
        for m in 0..MESSAGES {
            assert!(texts.contains(&format!("thread {t} message {m}")));
        }
    }
    let all = store.list(usize::MAX).unwrap();
    assert_eq!(all.len(), THREADS + 1);
    let total: u32 = all.iter().map(|c| c.messages).sum();
    assert_eq!(total as usize, THREADS * MESSAGES);
    let hits = store.search("message", usize::MAX).unwrap();
    assert_eq!(hits.len(), THREADS * MESSAGES, "the search index agrees");
}

/// Two pai processes write at the same time, starting on a fresh PAI_HOME (so they also race
/// to create the schema), round after round.
#[test]
fn two_processes_importing_at_once_lose_nothing() {
    const ROUNDS: usize = 6;
    const MESSAGES: usize = 40;
    let env = Env::new();
    let mut files = Vec::new();
    for p in 0..2 {
        let messages: Vec<serde_json::Value> = (0..MESSAGES)
            .map(|m| serde_json::json!({"role": "user", "text": format!("process {p} line {m}")}))
            .collect();
        let export = serde_json::json!({"title": format!("process {p}"), "messages": messages});
        files.push(env.write(&format!("p{p}.json"), export.to_string()));
    }
    for _ in 0..ROUNDS {
        let children: Vec<_> = files
            .iter()
            .map(|file| {
                env.std_command(&["history", "import"])
                    .arg(file)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", stderr_of(&out));
        }
    }
    let store = store(&env);
    assert_eq!(
        migrations::version(store.connection()).unwrap(),
        migrations::latest()
    );
    let all = store.list(usize::MAX).unwrap();
    assert_eq!(all.len(), 2 * ROUNDS);
    for c in &all {
        assert_eq!(c.messages as usize, MESSAGES, "{c:?}");
        let texts: Vec<String> = store
            .messages(c.id)
            .unwrap()
            .into_iter()
            .map(|m| m.text)
            .collect();
        let p = if c.title == "process 0" { 0 } else { 1 };
        let expected: Vec<String> = (0..MESSAGES)
            .map(|m| format!("process {p} line {m}"))
            .collect();
        assert_eq!(texts, expected);
    }
}
