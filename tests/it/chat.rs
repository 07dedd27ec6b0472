//! `pai chat`: line-by-line mode for scripts, the KV cache kept across turns, resuming,
//! two chats at once, and the full-screen chat driven in a real terminal (tmux).
use std::process::Command;
use std::time::{Duration, Instant};

use crate::util::{json_of, stderr_of, stdout_of, Env};

const QUESTIONS: &str = "What is the capital of France?\nAnd of Germany?\nAnd of Spain?\n";

fn chat(env: &Env, extra: &[&str], stdin: &str) -> std::process::Output {
    let mut args = vec![
        "-v",
        "chat",
        "--temp",
        "0",
        "--max-tokens",
        "24",
        "--no-context",
    ];
    args.extend_from_slice(extra);
    env.pai(&args).write_stdin(stdin).output().unwrap()
}

fn turn_reports(stderr: &str) -> Vec<(u64, u64)> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("pai: turn "))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            (words[1].parse().unwrap(), words[4].parse().unwrap())
        })
        .collect()
}

#[test]
fn each_line_is_a_turn_and_later_turns_reuse_the_cache() {
    let env = Env::with_smol();
    let out = chat(&env, &[], QUESTIONS);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    let answers: Vec<&str> = text
        .split("\n\n")
        .filter(|a| !a.trim().is_empty())
        .collect();
    assert_eq!(answers.len(), 3, "{text}");
    let turns = turn_reports(&stderr_of(&out));
    assert_eq!(turns.len(), 3);
    assert_eq!(turns[0].1, 0, "nothing to reuse on the first turn");
    for (prompt, reused) in &turns[1..] {
        // Everything but the new question and the template around it comes from the cache.
        assert!(
            *reused + 40 >= *prompt,
            "turn read {prompt} tokens, reused only {reused}"
        );
    }
    let list = json_of(&env.pai(&["history", "list", "--json"]).output().unwrap());
    assert_eq!(list[0]["messages"], 6);
    assert_eq!(list[0]["title"], "What is the capital of France?");
}

#[test]
fn resume_continues_the_latest_conversation() {
    let env = Env::with_smol();
    chat(&env, &[], "My name is Ada.\n");
    let out = chat(&env, &["--resume"], "What is my name?\n");
    assert!(out.status.success(), "{}", stderr_of(&out));
    let turns = turn_reports(&stderr_of(&out));
    let fresh = turn_reports(&stderr_of(&chat(&env, &[], "What is my name?\n")));
    assert!(
        turns[0].0 > fresh[0].0 + 5,
        "the resumed prompt holds the earlier turn: {turns:?} vs {fresh:?}"
    );
    let list = json_of(&env.pai(&["history", "list", "--json"]).output().unwrap());
    let counts: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["messages"].as_u64().unwrap())
        .collect();
    assert_eq!(
        counts,
        [2, 4],
        "newest first: the fresh chat, then the resumed one"
    );
    let missing = env
        .pai(&["chat", "--resume", "999"])
        .write_stdin("hi\n")
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr_of(&missing).contains("999"),
        "{}",
        stderr_of(&missing)
    );
}

#[test]
fn two_chats_at_once_lose_no_message() {
    let env = Env::with_smol();
    let spawn = || {
        env.std_command(&["chat", "--temp", "0", "--max-tokens", "8", "--no-context"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut children = vec![spawn(), spawn()];
    for child in &mut children {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"one\ntwo\nthree\n")
            .unwrap();
    }
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    let list = json_of(&env.pai(&["history", "list", "--json"]).output().unwrap());
    let counts: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["messages"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [6, 6]);
}

/// A chat in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.
struct Tmux {
    name: String,
}

impl Tmux {
    fn start(env: &Env, command: &str) -> Self {
        // tmux reads '.' and ':' in a target as window and pane separators.
        let dir = env
            .home
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(['.', ':'], "_");
        let name = format!("pai-test-{}-{dir}", std::process::id());
        let pai = assert_cmd::cargo::cargo_bin("pai");
        let line = format!(
            "PAI_HOME={} {} {command}; echo EXITED $?; sleep 30",
            env.home.path().display(),
            pai.display()
        );
        let ok = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                "80",
                "-y",
                "24",
                &line,
            ])
            .status()
            .unwrap();
        assert!(ok.success(), "tmux could not start");
        Self { name }
    }

    fn keys(&self, keys: &[&str]) {
        Command::new("tmux")
            .args(["send-keys", "-t", &self.name])
            .args(keys)
            .status()
            .unwrap();
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text`, for at most a minute (the machine may be busy).
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text))
    }

    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "never saw {what} on:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}

#[test]
fn the_full_screen_chat_streams_stops_quits_and_resumes() {
    let env = Env::with_smol();
    let tmux = Tmux::start(&env, "chat --temp 0 --max-tokens 400 --no-context");
    tmux.wait_for("Ask anything");
    tmux.keys(&["What is the capital of France?", "Enter"]);
    tmux.wait_for("you\nWhat is the capital of France?");
    // The status line shows a speed once the answer is complete.
    let screen = tmux.wait_until("a finished answer", |s| {
        s.contains(" tok/s │ context") && !s.contains("– tok/s")
    });
    assert!(screen.contains("pai\n"), "{screen}");
    tmux.keys(&[
        "Write a very long story about a dragon and a knight.",
        "Enter",
    ]);
    tmux.wait_for("answering · Esc stops");
    tmux.wait_for("▍");
    tmux.keys(&["Escape"]);
    tmux.wait_for("[stopped]");
    tmux.keys(&["/quit", "Enter"]);
    let screen = tmux.wait_for("EXITED 0");
    assert!(
        !screen.contains("Esc stops"),
        "the terminal was restored: {screen}"
    );
    drop(tmux);

    let stored = json_of(&env.pai(&["history", "list", "--json"]).output().unwrap());
    assert_eq!(
        stored[0]["messages"], 4,
        "both questions and both answers, the stopped one too"
    );

    let tmux = Tmux::start(&env, "chat --resume --no-context");
    let screen = tmux.wait_for("What is the capital of France?");
    assert!(screen.contains("dragon and a knight"), "{screen}");
    tmux.keys(&["C-d"]);
    tmux.wait_for("EXITED 0");
}

#[test]
fn the_full_screen_chat_remembers_on_request_and_offers_stated_facts_on_leaving() {
    let env = Env::with_smol();
    let tmux = Tmux::start(&env, "chat --temp 0 --max-tokens 8 --no-context");
    tmux.wait_for("Ask anything");
    tmux.keys(&["/remember I keep my bike in the shed.", "Enter"]);
    tmux.wait_for("remembered as memory 1");
    for question in ["My locker code is 4417.", "I prefer short answers."] {
        tmux.keys(&[question, "Enter"]);
        tmux.wait_for(&format!("you\n{question}"));
        tmux.wait_until("the answer", |s| !s.contains("Esc stops"));
    }
    tmux.keys(&["/quit", "Enter"]);
    let screen = tmux.wait_for("Remember them for later questions?");
    assert!(
        screen.contains("• My locker code is 4417.")
            && screen.contains("• I prefer short answers."),
        "{screen}"
    );
    assert!(
        !screen.contains("• I keep my bike"),
        "already kept: {screen}"
    );
    tmux.keys(&["y"]);
    tmux.wait_for("EXITED 0");
    let kept = json_of(&env.pai(&["memory", "list", "--json"]).output().unwrap());
    let texts: Vec<&str> = kept
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "I keep my bike in the shed.",
            "My locker code is 4417.",
            "I prefer short answers."
        ]
    );
    assert!(kept
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["source"] == "chat"));
}

#[test]
fn history_that_outgrows_the_window_is_trimmed_oldest_first_and_said() {
    let env = Env::with_smol();
    let questions: String = (1..=8)
        .map(|i| format!("Tell me fact number {i} about the sea.\n"))
        .collect();
    let out = env
        .pai(&[
            "chat",
            "--temp",
            "0",
            "--max-tokens",
            "40",
            "--no-context",
            "--ctx",
            "320",
        ])
        .write_stdin(questions)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains("left out the 2 oldest messages of the conversation"),
        "{err}"
    );
    let answers = stdout_of(&out)
        .split("\n\n")
        .filter(|a| !a.trim().is_empty())
        .count();
    assert_eq!(answers, 8, "every question was answered");
}
