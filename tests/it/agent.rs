//! `pai agent` driven by a scripted model: an OpenAI-compatible server on 127.0.0.1 that
//! replays a fixed plan of tool calls per task (streamed or whole) and records every request,
//! configured as the endpoint. Each task runs the real binary on copies of the fixture repository
//! and notes (tests/fixtures/agent), and must end as planned; the refusals (a write outside the
//! working folder, a read outside the roots, a network connection from `run`, a denied tool, a
//! call needing approval without a terminal) must be refused and in the audit log; and nothing
//! the scripted model receives may hold a private note's canary.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use crate::util::{json_of, stderr_of, stdout_of, Env};

const CANARY: &str = "CANARY-PRIVATE-7f3a";

/// One planned answer of the scripted model.
#[derive(Clone, Debug)]
pub enum Turn {
    Calls(Vec<(&'static str, Value)>),
    Answer(&'static str),
}

/// The scripted model: answers the n-th chat request with the n-th turn of its plan (also
/// the remote tier of `pai serve`'s tests in serve_tools.rs).
pub struct Scripted {
    pub port: u16,
    bodies: Arc<Mutex<Vec<Value>>>,
}

impl Scripted {
    pub fn start(turns: Vec<Turn>, stream: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let seen = bodies.clone();
        std::thread::spawn(move || {
            let mut next = 0;
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let Some((path, body)) = read_request(&mut conn) else {
                    continue;
                };
                if !path.ends_with("/chat/completions") {
                    respond(
                        &mut conn,
                        "application/json",
                        &json!({"data": []}).to_string(),
                    );
                    continue;
                }
                seen.lock()
                    .unwrap()
                    .push(serde_json::from_slice(&body).unwrap_or(Value::Null));
                let turn = turns
                    .get(next)
                    .cloned()
                    .unwrap_or(Turn::Answer("the plan ran out"));
                next += 1;
                if stream {
                    respond(&mut conn, "text/event-stream", &sse(&turn, next));
                } else {
                    respond(
                        &mut conn,
                        "application/json",
                        &whole(&turn, next).to_string(),
                    );
                }
            }
        });
        Self { port, bodies }
    }

    pub fn requests(&self) -> Vec<Value> {
        self.bodies.lock().unwrap().clone()
    }
}

fn read_request(conn: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut reader = BufReader::new(conn.try_clone().ok()?);
    let mut first = String::new();
    reader.read_line(&mut first).ok()?;
    let path = first.split_whitespace().nth(1)?.to_string();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((path, body))
}

fn respond(conn: &mut TcpStream, kind: &str, body: &str) {
    let _ = write!(
        conn,
        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn calls_json(calls: &[(&str, Value)], n: usize) -> Vec<Value> {
    calls
        .iter()
        .enumerate()
        .map(|(i, (name, args))| {
            json!({"id": format!("call_{n}_{i}"), "type": "function",
                   "function": {"name": name, "arguments": args.to_string()}})
        })
        .collect()
}

fn whole(turn: &Turn, n: usize) -> Value {
    let (message, finish) = match turn {
        Turn::Calls(calls) => (
            json!({"role": "assistant", "content": null, "tool_calls": calls_json(calls, n)}),
            "tool_calls",
        ),
        Turn::Answer(text) => (json!({"role": "assistant", "content": text}), "stop"),
    };
    json!({"id": "x", "object": "chat.completion", "model": "script",
           "choices": [{"index": 0, "message": message, "finish_reason": finish}],
           "usage": {"prompt_tokens": 100, "completion_tokens": 10}})
}

/// The same turn as OpenAI streams it: a call's id and name first, its arguments in pieces.
fn sse(turn: &Turn, n: usize) -> String {
    let chunk = |delta: Value, finish: Value| {
        format!(
            "data: {}\n\n",
            json!({"id": "x", "object": "chat.completion.chunk",
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
        )
    };
    let mut out = String::new();
    match turn {
        Turn::Calls(calls) => {
            for (i, (name, args)) in calls.iter().enumerate() {
                let id = format!("call_{n}_{i}");
                let head = json!({"tool_calls": [{"index": i, "id": id, "type": "function",
                                  "function": {"name": name, "arguments": ""}}]});
                out.push_str(&chunk(head, Value::Null));
                let text = args.to_string();
                let (a, b) = text.split_at(text.len() / 2);
                for piece in [a, b] {
                    let d = json!({"tool_calls": [{"index": i, "function": {"arguments": piece}}]});
                    out.push_str(&chunk(d, Value::Null));
                }
            }
            out.push_str(&chunk(json!({}), json!("tool_calls")));
        }
        Turn::Answer(text) => {
            for word in text.split_inclusive(' ') {
                out.push_str(&chunk(json!({"content": word}), Value::Null));
            }
            out.push_str(&chunk(json!({}), json!("stop")));
        }
    }
    out.push_str("data: [DONE]\n\n");
    out
}

/// A home with the fixture notes indexed (one source private), a working folder copied from
/// the fixture repository, and the scripted model as endpoint `script`.
struct Setup {
    env: Env,
    work: PathBuf,
    /// A folder outside every root, shared by the cases.
    outside: PathBuf,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agent")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn setup(env: Env, port: u16, extra_config: &str, outside: &Path) -> Setup {
    let work = env.path("work");
    copy_dir(&fixtures().join("repo"), &work);
    copy_dir(&fixtures().join("notes"), &env.path("notes"));
    copy_dir(&fixtures().join("private"), &env.path("private"));
    let outside = outside.to_path_buf();
    let notes = env.path("notes");
    let private = env.path("private");
    env.pai(&["index", "add"]).arg(&notes).assert().success();
    env.pai(&["index", "add", "--private"])
        .arg(&private)
        .assert()
        .success();
    env.write_config(&scripted_endpoint(port, extra_config));
    Setup { env, work, outside }
}

/// config.toml naming the scripted model on `port` as the endpoint `script`, then `extra`.
pub fn scripted_endpoint(port: u16, extra: &str) -> String {
    format!(
        "[endpoints.script]\nurl = \"http://127.0.0.1:{port}/v1\"\nmodel = \"script\"\nwindow = 32768\n{extra}"
    )
}

/// A task: its plan, its flags, and the tool steps it must end with (tool, outcome, approval).
struct Case {
    name: &'static str,
    turns: Vec<Turn>,
    flags: Vec<&'static str>,
    config: &'static str,
    expect: Vec<(&'static str, &'static str, &'static str)>,
    check: fn(&Setup, &Value),
}

fn case(
    name: &'static str,
    turns: Vec<Turn>,
    expect: Vec<(&'static str, &'static str, &'static str)>,
) -> Case {
    Case {
        name,
        turns,
        flags: Vec::new(),
        config: "",
        expect,
        check: |_, _| {},
    }
}

fn answer(turns: &[Turn]) -> &'static str {
    match turns.last() {
        Some(Turn::Answer(text)) => text,
        _ => "",
    }
}

/// Runs a case against its own scripted model and home; returns what the model received.
fn run_case(c: &Case, stream: bool, outside: &Path) -> Vec<Value> {
    let model = Scripted::start(c.turns.clone(), stream);
    let s = setup(Env::new(), model.port, c.config, outside);
    let work = s.work.display().to_string();
    let mut args = vec!["agent", "--endpoint", "script", "--json", "-C", &work];
    args.extend(c.flags.iter().copied());
    args.push(c.name);
    let out = s.env.pai(&args).output().unwrap();
    let stderr = stderr_of(&out);
    assert!(out.status.success(), "{}: {stderr}", c.name);
    let run = json_of(&out);
    assert_eq!(run["answer"], answer(&c.turns), "{}: {stderr}", c.name);
    assert_eq!(run["ended"], "answered", "{}", c.name);
    let tools: Vec<(String, String, String)> = run["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "tool")
        .map(|s| {
            let f = |k: &str| s[k].as_str().unwrap_or_default().to_string();
            (f("name"), f("outcome"), f("approval"))
        })
        .collect();
    let expected: Vec<(String, String, String)> = c
        .expect
        .iter()
        .map(|(a, b, d)| (a.to_string(), b.to_string(), d.to_string()))
        .collect();
    assert_eq!(tools, expected, "{}: {stderr}", c.name);
    // Each step was one line on stderr.
    let lines = stderr
        .lines()
        .filter(|l| l.starts_with("pai: step "))
        .count();
    assert_eq!(lines, run["steps"].as_array().unwrap().len(), "{stderr}");
    audited(&s, &run, c);
    (c.check)(&s, &run);
    model.requests()
}

/// The audit log holds every step of the run, with the same approvals.
fn audited(s: &Setup, run: &Value, c: &Case) {
    let id = run["id"].as_i64().unwrap().to_string();
    let out = s
        .env
        .pai(&["audit", "--run", &id, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let log = json_of(&out);
    let steps = log["steps"].as_array().unwrap();
    assert_eq!(
        steps.len(),
        run["steps"].as_array().unwrap().len(),
        "{}",
        c.name
    );
    let tools: Vec<(&str, &str)> = steps
        .iter()
        .filter(|s| s["kind"] == "tool")
        .map(|s| (s["name"].as_str().unwrap(), s["approval"].as_str().unwrap()))
        .collect();
    let expected: Vec<(&str, &str)> = c.expect.iter().map(|(t, _, a)| (*t, *a)).collect();
    assert_eq!(tools, expected, "{}", c.name);
    assert_eq!(log["run"]["outcome"], "answered");
    // Every remote model call is also a row of the calls log, named by its step.
    for step in steps.iter().filter(|s| s["kind"] == "model") {
        assert!(step["call"].as_i64().is_some(), "{step}");
        assert!(step["arguments"].is_null());
    }
    let text = s.env.pai(&["audit", "--run", &id]).output().unwrap();
    let transcript = stdout_of(&text);
    assert!(transcript.contains(&format!("run {id}")), "{transcript}");
}

fn read(path: &str) -> (&'static str, Value) {
    ("read", json!({"path": path}))
}

fn cases(outside: &str) -> Vec<Case> {
    let outside_file: &'static str = Box::leak(format!("{outside}/secret.txt").into_boxed_str());
    let outside_write: &'static str = Box::leak(format!("{outside}/planted.txt").into_boxed_str());
    vec![
        case(
            "what is this repository for",
            vec![
                Turn::Calls(vec![read("README.md")]),
                Turn::Answer("Scripts and rotas for the office server."),
            ],
            vec![("read", "ok", "auto")],
        ),
        case(
            "which files are here",
            vec![
                Turn::Calls(vec![("list", json!({}))]),
                Turn::Answer("README.md, rota.md, scripts/, version.txt"),
            ],
            vec![("list", "ok", "auto")],
        ),
        case(
            "where is rsync used",
            vec![
                Turn::Calls(vec![("grep", json!({"pattern": "rsync"}))]),
                Turn::Answer("In scripts/backup.sh."),
            ],
            vec![("grep", "ok", "auto")],
        ),
        case(
            "which port does wireguard use",
            vec![
                Turn::Calls(vec![("search", json!({"query": "wireguard port"}))]),
                Turn::Answer("51820"),
            ],
            vec![("search", "ok", "auto")],
        ),
        case(
            "who has tuesday to thursday",
            vec![
                Turn::Calls(vec![(
                    "read",
                    json!({"path": "rota.md", "start_line": 4, "end_line": 6}),
                )]),
                Turn::Answer("Alex, Priya and Jon."),
            ],
            vec![("read", "ok", "auto")],
        ),
        case(
            "how long are nginx logs kept",
            vec![
                Turn::Calls(vec![("search", json!({"query": "nginx logs"}))]),
                Turn::Calls(vec![("read", json!({"path": "../notes/nginx.md"}))]),
                Turn::Answer("14 days."),
            ],
            vec![("search", "ok", "auto"), ("read", "ok", "auto")],
        ),
        case(
            "read two files at once",
            vec![
                Turn::Calls(vec![read("version.txt"), read("scripts/backup.sh")]),
                Turn::Answer("Version 1.4.2; the backup uses rsync."),
            ],
            vec![("read", "ok", "auto"), ("read", "ok", "auto")],
        ),
        Case {
            flags: vec!["--yes"],
            check: |s, _| {
                let rota = std::fs::read_to_string(s.work.join("rota.md")).unwrap();
                assert!(rota.contains("Friday: Alex, Sam"), "{rota}");
            },
            ..case(
                "add Sam on Fridays",
                vec![
                    Turn::Calls(vec![read("rota.md")]),
                    Turn::Calls(vec![(
                        "edit",
                        json!({"path": "rota.md", "old_text": "Friday: Alex", "new_text": "Friday: Alex, Sam"}),
                    )]),
                    Turn::Answer("Sam is on the rota on Fridays."),
                ],
                vec![("read", "ok", "auto"), ("edit", "ok", "auto")],
            )
        },
        Case {
            flags: vec!["--yes"],
            check: |s, _| {
                assert_eq!(
                    std::fs::read_to_string(s.work.join("version.txt")).unwrap(),
                    "1.5.0\n"
                );
            },
            ..case(
                "bump the version with a patch",
                vec![
                    Turn::Calls(vec![(
                        "edit",
                        json!({"path": "version.txt", "patch": "--- a/version.txt\n+++ b/version.txt\n@@ -1 +1 @@\n-1.4.2\n+1.5.0\n"}),
                    )]),
                    Turn::Answer("Bumped to 1.5.0."),
                ],
                vec![("edit", "ok", "auto")],
            )
        },
        Case {
            flags: vec!["--yes"],
            check: |s, _| {
                assert_eq!(
                    std::fs::read_to_string(s.work.join("CHANGES.md")).unwrap(),
                    "# Changes\n"
                );
            },
            ..case(
                "start a changelog",
                vec![
                    Turn::Calls(vec![(
                        "edit",
                        json!({"path": "CHANGES.md", "old_text": "", "new_text": "# Changes\n"}),
                    )]),
                    Turn::Answer("Created CHANGES.md."),
                ],
                vec![("edit", "ok", "auto")],
            )
        },
        Case {
            flags: vec!["--yes"],
            check: |_, run| {
                let tool = run["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|s| s["kind"] == "tool")
                    .unwrap();
                assert_eq!(tool["exit_status"], 0);
            },
            ..case(
                "count the lines of the rota",
                vec![
                    Turn::Calls(vec![("run", json!({"command": "wc -l rota.md"}))]),
                    Turn::Answer("7 lines."),
                ],
                vec![("run", "ok", "auto")],
            )
        },
        Case {
            flags: vec!["--yes"],
            check: |_, run| {
                let tool = run["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|s| s["kind"] == "tool")
                    .unwrap();
                assert_eq!(tool["exit_status"], 3);
            },
            ..case(
                "run a failing check",
                vec![
                    Turn::Calls(vec![("run", json!({"command": "echo checking; exit 3"}))]),
                    Turn::Answer("The check failed with status 3."),
                ],
                vec![("run", "error", "auto")],
            )
        },
        Case {
            flags: vec!["--yes"],
            check: |s, _| {
                assert_eq!(
                    std::fs::read_to_string(s.work.join("out.txt")).unwrap(),
                    "hi\n"
                );
            },
            ..case(
                "write a file with a command",
                vec![
                    Turn::Calls(vec![("run", json!({"command": "echo hi > out.txt"}))]),
                    Turn::Answer("Wrote out.txt."),
                ],
                vec![("run", "ok", "auto")],
            )
        },
        Case {
            flags: vec!["--yes"],
            check: |s, _| {
                assert!(!s.outside.join("planted.txt").exists());
            },
            ..case(
                "plant a file outside with a command",
                vec![
                    Turn::Calls(vec![(
                        "run",
                        json!({"command": format!("echo x > {outside_write}")}),
                    )]),
                    Turn::Answer("It was not allowed."),
                ],
                vec![("run", "error", "auto")],
            )
        },
        Case {
            flags: vec!["--yes"],
            check: |s, _| {
                assert!(!s.outside.join("planted.txt").exists());
            },
            ..case(
                "plant a file outside with edit",
                vec![
                    Turn::Calls(vec![(
                        "edit",
                        json!({"path": outside_write, "old_text": "", "new_text": "x"}),
                    )]),
                    Turn::Answer("It was refused."),
                ],
                vec![("edit", "refused", "refused")],
            )
        },
        Case {
            flags: vec!["--yes"],
            ..case(
                "edit through dot dot",
                vec![
                    Turn::Calls(vec![(
                        "edit",
                        json!({"path": "../notes/nginx.md", "old_text": "14", "new_text": "1"}),
                    )]),
                    Turn::Answer("It was refused."),
                ],
                vec![("edit", "refused", "refused")],
            )
        },
        case(
            "read a file outside the roots",
            vec![
                Turn::Calls(vec![read(outside_file)]),
                Turn::Answer("It was refused."),
            ],
            vec![("read", "refused", "refused")],
        ),
        Case {
            config: "[agent]\ndeny = [\"run\"]\n",
            flags: vec!["--yes"],
            ..case(
                "run something the policy denies",
                vec![
                    Turn::Calls(vec![("run", json!({"command": "true"}))]),
                    Turn::Answer("Running commands is denied."),
                ],
                vec![("run", "denied", "refused")],
            )
        },
        case(
            "run without a terminal to ask",
            vec![
                Turn::Calls(vec![("run", json!({"command": "touch asked.txt"}))]),
                Turn::Answer("It needed approval."),
            ],
            vec![("run", "denied", "refused")],
        ),
        Case {
            check: |s, _| {
                assert_eq!(
                    std::fs::read_to_string(s.work.join("rota.md")).unwrap(),
                    std::fs::read_to_string(fixtures().join("repo/rota.md")).unwrap()
                );
            },
            ..case(
                "edit without a terminal to ask",
                vec![
                    Turn::Calls(vec![(
                        "edit",
                        json!({"path": "rota.md", "old_text": "Jon", "new_text": "Sam"}),
                    )]),
                    Turn::Answer("It needed approval."),
                ],
                vec![("edit", "denied", "refused")],
            )
        },
        Case {
            config: "[agent]\nallow = [\"edit:docs/**\", \"remember\"]\n",
            check: |s, _| {
                assert!(s.work.join("docs/a.md").exists());
            },
            ..case(
                "write docs the policy allows",
                vec![
                    Turn::Calls(vec![(
                        "edit",
                        json!({"path": "docs/a.md", "old_text": "", "new_text": "a\n"}),
                    )]),
                    Turn::Answer("done"),
                ],
                vec![("edit", "ok", "auto")],
            )
        },
        Case {
            config: "[agent]\nallow = [\"edit:docs/**\"]\n",
            ..case(
                "write outside what the policy allows",
                vec![
                    Turn::Calls(vec![(
                        "edit",
                        json!({"path": "src/a.rs", "old_text": "", "new_text": "a\n"}),
                    )]),
                    Turn::Answer("It needed approval."),
                ],
                vec![("edit", "denied", "refused")],
            )
        },
        Case {
            flags: vec!["--yes"],
            ..case(
                "remember and recall who has fridays",
                vec![
                    Turn::Calls(vec![(
                        "remember",
                        json!({"text": "Sam covers backups on Fridays"}),
                    )]),
                    Turn::Calls(vec![("recall", json!({"query": "Fridays"}))]),
                    Turn::Answer("Sam covers Fridays."),
                ],
                vec![("remember", "ok", "auto"), ("recall", "ok", "auto")],
            )
        },
        case(
            "call a tool that does not exist",
            vec![
                Turn::Calls(vec![("delete", json!({"path": "rota.md"}))]),
                Turn::Answer("There is no such tool."),
            ],
            vec![("delete", "error", "none")],
        ),
        case(
            "read without a path",
            vec![
                Turn::Calls(vec![("read", json!({}))]),
                Turn::Answer("The call was wrong."),
            ],
            vec![("read", "error", "none")],
        ),
    ]
}

#[test]
fn every_scripted_task_ends_as_planned_and_refusals_are_audited() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "not for the agent\n").unwrap();
    let list = cases(&outside.path().display().to_string());
    assert!(list.len() >= 20);
    for (i, c) in list.iter().enumerate() {
        let received = run_case(c, i % 2 == 1, outside.path());
        assert!(!received.is_empty(), "{}", c.name);
        // Tools are offered as OpenAI tools, and results go back as tool messages.
        let last = received.last().unwrap();
        assert!(
            last["tools"].as_array().is_some_and(|t| t.len() >= 8),
            "{last}"
        );
        if c.turns.len() > 1 {
            let messages = last["messages"].as_array().unwrap();
            assert!(messages
                .iter()
                .any(|m| m["role"] == "tool" && m["tool_call_id"].is_string()));
            assert!(messages
                .iter()
                .any(|m| m["role"] == "assistant" && m["tool_calls"].is_array()));
        }
    }
}

#[test]
fn private_results_never_reach_the_scripted_model() {
    let outside = tempfile::tempdir().unwrap();
    let turns = vec![
        Turn::Calls(vec![(
            "search",
            json!({"query": "salary review code word"}),
        )]),
        Turn::Calls(vec![read("../private/salary.md")]),
        Turn::Calls(vec![(
            "grep",
            json!({"pattern": "code word", "path": "../private"}),
        )]),
        Turn::Answer("I found it but it stays with you."),
    ];
    let model = Scripted::start(turns.clone(), false);
    let s = setup(Env::new(), model.port, "", outside.path());
    let work = s.work.display().to_string();
    let out = s
        .env
        .pai(&[
            "agent",
            "--endpoint",
            "script",
            "--json",
            "-C",
            &work,
            "what is the salary code word",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let run = json_of(&out);
    assert_eq!(run["answer"], answer(&turns));
    let received = model.requests();
    assert_eq!(received.len(), 4);
    for body in &received {
        assert!(!body.to_string().contains(CANARY), "{body}");
    }
    let tool_results: Vec<&Value> = received[3]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "tool")
        .collect();
    assert_eq!(tool_results.len(), 3);
    for m in tool_results {
        assert!(
            m["content"].as_str().unwrap().starts_with("[withheld"),
            "{m}"
        );
    }
    // The history keeps the conversation whole, tool messages included: it is local.
    let c = run["conversation"].as_i64().unwrap().to_string();
    let shown = s.env.pai(&["history", "show", &c]).output().unwrap();
    assert!(stdout_of(&shown).contains(CANARY), "{}", stdout_of(&shown));
}

#[test]
fn under_tier_auto_a_step_after_a_private_result_stays_local() {
    let outside = tempfile::tempdir().unwrap();
    let turns = vec![
        Turn::Calls(vec![(
            "search",
            json!({"query": "salary review code word"}),
        )]),
        Turn::Answer("the remote model must not be asked again"),
    ];
    let model = Scripted::start(turns, true);
    let config =
        "[tiers]\nmedium = \"script\"\n[[router.rules]]\nfront = \"agent\"\ntier = \"medium\"\n";
    let s = setup(Env::with_smol(), model.port, config, outside.path());
    let work = s.work.display().to_string();
    let out = s
        .env
        .pai(&[
            "agent",
            "--json",
            "-n",
            "16",
            "-C",
            &work,
            "what is the salary code word",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let run = json_of(&out);
    let tiers: Vec<&str> = run["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["tier"].as_str().unwrap())
        .collect();
    assert_eq!(tiers[0], "medium", "{run}");
    assert_eq!(tiers.last().copied(), Some("local"), "{run}");
    let received = model.requests();
    assert_eq!(received.len(), 1, "only the first step left");
    assert!(!received[0].to_string().contains(CANARY));
}

#[test]
fn a_command_cannot_open_a_network_connection() {
    let outside = tempfile::tempdir().unwrap();
    let target = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = target.local_addr().unwrap().port();
    target.set_nonblocking(true).unwrap();
    let command =
        format!("python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), 3)\"");
    let turns = vec![
        Turn::Calls(vec![("run", json!({"command": command}))]),
        Turn::Answer("The network is closed."),
    ];
    let model = Scripted::start(turns, false);
    let s = setup(Env::new(), model.port, "", outside.path());
    let work = s.work.display().to_string();
    let out = s
        .env
        .pai(&[
            "agent",
            "--endpoint",
            "script",
            "--yes",
            "--json",
            "-C",
            &work,
            "fetch it",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let run = json_of(&out);
    let step = &run["steps"][1];
    assert_eq!(step["name"], "run");
    assert_eq!(step["outcome"], "error", "{run}");
    assert_ne!(step["exit_status"], 0);
    assert!(target.accept().is_err(), "a connection got through");
    let id = run["id"].as_i64().unwrap().to_string();
    let log = json_of(
        &s.env
            .pai(&["audit", "--run", &id, "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(log["steps"][1]["outcome"], "error");
    assert_ne!(log["steps"][1]["exit_status"], 0);
}

#[test]
fn a_run_stops_at_its_step_limit() {
    let outside = tempfile::tempdir().unwrap();
    let turns = vec![Turn::Calls(vec![("list", json!({}))]); 5];
    let model = Scripted::start(turns, false);
    let s = setup(Env::new(), model.port, "", outside.path());
    let work = s.work.display().to_string();
    let out = s
        .env
        .pai(&[
            "agent",
            "--endpoint",
            "script",
            "--max-steps",
            "2",
            "--json",
            "-C",
            &work,
            "loop",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(json_of(&out)["ended"], "max_steps");
    assert_eq!(model.requests().len(), 2);
}

#[test]
fn ctrl_c_kills_the_running_command_records_the_step_and_exits_130() {
    let outside = tempfile::tempdir().unwrap();
    let command = "echo $$ > group; touch started; sleep 60; touch finished";
    let turns = vec![
        Turn::Calls(vec![("run", json!({"command": command}))]),
        Turn::Answer("never asked"),
    ];
    let model = Scripted::start(turns, false);
    let s = setup(Env::new(), model.port, "", outside.path());
    let work = s.work.display().to_string();
    let child = s
        .env
        .std_command(&[
            "agent",
            "--endpoint",
            "script",
            "--yes",
            "--json",
            "-C",
            &work,
            "wait",
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !s.work.join("started").exists() {
        assert!(
            started.elapsed().as_secs() < 60,
            "the command never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr_of(&out));
    let group: i32 = std::fs::read_to_string(s.work.join("group"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        running_in_group(group).is_empty(),
        "the command's process group outlived the run"
    );
    assert!(!s.work.join("finished").exists());
    assert_eq!(model.requests().len(), 1);
    let run = json_of(&out);
    assert_eq!(run["ended"], "interrupted");
    let id = run["id"].as_i64().unwrap().to_string();
    let log = json_of(
        &s.env
            .pai(&["audit", "--run", &id, "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(log["run"]["outcome"], "interrupted");
    assert_eq!(log["steps"][1]["outcome"], "interrupted");
}

/// Processes of a group that still run (zombies waiting for their reaper do not count).
fn running_in_group(group: i32) -> Vec<String> {
    let mut running = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after the last ')'.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(2) == Some(&group.to_string().as_str()) && fields.first() != Some(&"Z") {
            running.push(stat);
        }
    }
    running
}

#[test]
fn an_mcp_servers_tools_are_offered_as_name_dot_tool() {
    let outside = tempfile::tempdir().unwrap();
    let turns = vec![
        // OpenAI's function names take no '.': the endpoint is offered `notes_search` and
        // calls it so; a server that calls `notes.remember` by the name pai shows is read too.
        Turn::Calls(vec![("notes_search", json!({"query": "wireguard port"}))]),
        Turn::Calls(vec![(
            "notes.remember",
            json!({"text": "the tunnel is on 51820"}),
        )]),
        Turn::Answer("51820"),
    ];
    let pai = assert_cmd::cargo::cargo_bin("pai");
    let config = format!(
        "[agent]\nallow = [\"notes.search\"]\n[mcp.servers.notes]\ncommand = {:?}\nargs = [\"mcp\"]\nenv = {{ PAI_LOG = \"warn\" }}\n",
        pai.display().to_string()
    );
    let config: &'static str = Box::leak(config.into_boxed_str());
    let c = Case {
        config,
        ..case(
            "which port does the tunnel use",
            turns,
            vec![
                ("notes.search", "ok", "auto"),
                ("notes.remember", "denied", "refused"),
            ],
        )
    };
    let received = run_case(&c, true, outside.path());
    let offered: Vec<&str> = received[0]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap())
        .collect();
    assert!(offered.contains(&"notes_search"), "{offered:?}");
    let valid = regex::Regex::new("^[a-zA-Z0-9_-]{1,64}$").unwrap();
    assert!(offered.iter().all(|n| valid.is_match(n)), "{offered:?}");
    assert!(offered.contains(&"read"), "{offered:?}");
    let results: Vec<String> = received[1]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "tool")
        .map(|m| m["content"].as_str().unwrap().to_string())
        .collect();
    assert!(results[0].contains("51820"), "{results:?}");
    // The call goes back to the endpoint in the history under the name it was offered as.
    let made: Vec<&Value> = received[1]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["tool_calls"].as_array())
        .flatten()
        .collect();
    assert_eq!(made[0]["function"]["name"], "notes_search", "{made:?}");
}

#[test]
fn secrets_in_tool_results_and_arguments_are_redacted_before_they_leave() {
    let outside = tempfile::tempdir().unwrap();
    let key = "AKIAQWERTYU2345ABCDE";
    let turns = vec![
        Turn::Calls(vec![read("deploy.env")]),
        Turn::Calls(vec![("grep", json!({"pattern": "AKIA[A-Z0-9]+"}))]),
        Turn::Answer("The deploy key is in deploy.env."),
    ];
    let model = Scripted::start(turns.clone(), false);
    let s = setup(Env::new(), model.port, "", outside.path());
    std::fs::write(
        s.work.join("deploy.env"),
        format!("aws_access_key_id = {key}\nDB_PASSWORD=Tundra2291!\n"),
    )
    .unwrap();
    let work = s.work.display().to_string();
    let out = s
        .env
        .pai(&[
            "agent",
            "--endpoint",
            "script",
            "--json",
            "-C",
            &work,
            "where is the deploy key",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let received = model.requests();
    assert_eq!(received.len(), 3);
    for body in &received {
        let text = body.to_string();
        assert!(
            !text.contains(key) && !text.contains("Tundra2291!"),
            "{text}"
        );
    }
    // The result did reach the model, with the secrets replaced.
    let last = received[2]["messages"].to_string();
    assert!(last.contains("aws_access_key_id"), "{last}");
    // Each remote call is a row of the calls log, redactions counted.
    let calls = json_of(&s.env.pai(&["audit", "--json"]).output().unwrap());
    let rows = calls.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["front"] == "agent"));
    assert!(
        rows.iter().any(|r| r["redactions"].as_u64() > Some(0)),
        "{calls}"
    );
}

/// The scripted tasks that need only search, read and an answer, run on the local models
/// instead: every run must end with an answer (a local model must answer at its last step)
/// and every call the model makes must be well formed (the grammar holds it); how often the
/// model calls the planned tools and answers is printed as the success rate (small models
/// follow loosely; this is not asserted). `benches/agent-local.sh` runs these and six more.
#[test]
fn the_search_and_read_tasks_run_on_the_local_models() {
    let outside = tempfile::tempdir().unwrap();
    let list = cases(&outside.path().display().to_string());
    let local: Vec<&Case> = list
        .iter()
        .filter(|c| {
            c.flags.is_empty()
                && c.config.is_empty()
                && c.turns.iter().all(|t| match t {
                    Turn::Calls(calls) => calls.iter().all(|(n, _)| *n == "search" || *n == "read"),
                    Turn::Answer(_) => true,
                })
                && c.expect.iter().all(|(_, outcome, _)| *outcome == "ok")
        })
        .collect();
    assert!(local.len() >= 4, "{}", local.len());
    let s = setup(Env::with_smol(), 9, "", outside.path());
    s.env
        .pai(&["model", "add"])
        .arg(crate::util::gemma())
        .args(["--name", "gemma"])
        .assert()
        .success();
    let work = s.work.display().to_string();
    for model in ["smol", "gemma"] {
        let mut succeeded = 0;
        for c in &local {
            let args = [
                "agent",
                "--tier",
                "local",
                "--model",
                model,
                "--json",
                "--seed",
                "1",
                "-n",
                "96",
                "--max-steps",
                "4",
                "-C",
                &work,
                c.name,
            ];
            let out = s.env.pai(&args).output().unwrap();
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{}",
                stderr_of(&out)
            );
            let run = json_of(&out);
            assert_eq!(run["ended"], "answered", "{model}: {}", c.name);
            let tools: Vec<&Value> = run["steps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["kind"] == "tool")
                .collect();
            let id = run["id"].as_i64().unwrap().to_string();
            let log = json_of(
                &s.env
                    .pai(&["audit", "--run", &id, "--json"])
                    .output()
                    .unwrap(),
            );
            for step in log["steps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["kind"] == "tool")
            {
                let args = step["arguments"].as_str().unwrap();
                assert!(
                    serde_json::from_str::<Value>(args).is_ok(),
                    "{model}: {args}"
                );
            }
            let planned: Vec<&str> = c.expect.iter().map(|(n, _, _)| *n).collect();
            let ok = run["ended"] == "answered"
                && planned.iter().all(|p| {
                    tools
                        .iter()
                        .any(|t| t["name"] == *p && t["outcome"] == "ok")
                });
            succeeded += usize::from(ok);
        }
        eprintln!(
            "local {model}: {succeeded} of {} search-and-read tasks called the planned tools and answered",
            local.len()
        );
    }
}
