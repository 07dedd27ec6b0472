//! The remote engine: `--endpoint NAME` against a second, real `pai serve`, and the ways an
//! endpoint fails (cut mid-answer, wrong key, down, silent, misconfigured), each one sentence
//! and none a hang.
use std::io::Read;
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::serve::{free_port, Server};
use crate::util::{json_of, stderr_of, stdout_of, Env};

/// A client home whose config.toml names endpoints.
fn client(endpoints: &str) -> Env {
    let env = Env::new();
    env.write_config(endpoints);
    env
}

fn endpoint(name: &str, port: u16, extra: &str) -> String {
    format!("[endpoints.{name}]\nurl = \"http://127.0.0.1:{port}/v1\"\nmodel = \"smol\"\n{extra}\n")
}

#[test]
fn the_front_ends_answer_through_an_endpoint() {
    let server_env = Env::with_smol();
    let server = Server::start(&server_env, &[]);
    let env = client(&endpoint("near", server.port, ""));
    let ask = [
        "ask",
        "--endpoint",
        "near",
        "Name two colors.",
        "-n",
        "16",
        "--temp",
        "0",
    ];
    let out = env
        .pai(&[&ask[..], &["--no-context", "--json"]].concat())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let answer = json_of(&out);
    assert!(!answer["answer"].as_str().unwrap().trim().is_empty());
    assert_eq!(answer["model"], "near (smol)");
    assert!(answer["generated_tokens"].as_u64().unwrap() > 0);
    let out = env
        .pai(&["complete", "--endpoint", "near", "-n", "8", "--temp", "0"])
        .write_stdin("Once upon a time")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty());
    let out = env
        .pai(&[
            "chat",
            "--endpoint",
            "near",
            "-n",
            "8",
            "--temp",
            "0",
            "--no-context",
        ])
        .write_stdin("Hi!\nAnd again?\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    let answers: Vec<&str> = text
        .split("\n\n")
        .filter(|a| !a.trim().is_empty())
        .collect();
    assert_eq!(answers.len(), 2, "{answers:?}");
    let out = env
        .pai(&["context", "--endpoint", "near", "hello", "--json"])
        .output()
        .unwrap();
    let context = json_of(&out);
    assert_eq!(context["estimated"], true);
    assert_eq!(context["window"], 4096, "the window pai serve declares");
    let list = json_of(&env.pai(&["model", "list", "--json"]).output().unwrap());
    assert_eq!(list[0]["kind"], "endpoint");
    assert_eq!(list[0]["name"], "near");
    let out = env.pai(&["doctor"]).output().unwrap();
    assert!(
        stdout_of(&out).contains("near: http://127.0.0.1"),
        "{}",
        stdout_of(&out)
    );
    // The server's log has no prompt text.
    assert!(!server.log_text().contains("Name two colors"));
}

#[test]
fn a_server_killed_mid_answer_leaves_what_arrived_and_says_it_was_cut() {
    let server_env = Env::with_smol();
    let mut server = Server::start(&server_env, &[]);
    let env = client(&endpoint("near", server.port, ""));
    let mut ask = env
        .std_command(&[
            "ask",
            "--endpoint",
            "near",
            "Write a very long story about a dragon.",
            "-n",
            "2000",
            "--temp",
            "0",
            "--no-context",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = ask.stdout.take().unwrap();
    let mut first = [0u8; 16];
    let n = stdout.read(&mut first).unwrap();
    assert!(n > 0, "nothing arrived");
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    let out = ask.wait_with_output().unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("was cut off after"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // What arrived before the cut was printed, and stays printed.
    let printed = String::from_utf8_lossy(&[&first[..n], &rest[..]].concat()).into_owned();
    assert!(!printed.trim().is_empty(), "{printed:?}");
}

#[test]
fn a_wrong_or_missing_key_is_one_clear_sentence() {
    let server_env = Env::with_smol();
    let key = server_env.write("key", "right-key\n");
    let server = Server::start(&server_env, &["--api-key-file", key.to_str().unwrap()]);
    let env = client(&format!(
        "{}{}{}",
        endpoint("wrong", server.port, "api_key_env = \"WRONG_KEY\""),
        endpoint("none", server.port, ""),
        endpoint("right", server.port, "api_key_env = \"RIGHT_KEY\""),
    ));
    let run = |name: &str| {
        env.pai(&["ask", "--endpoint", name, "hi", "-n", "2", "--no-context"])
            .env("WRONG_KEY", "nope")
            .env("RIGHT_KEY", "right-key")
            .output()
            .unwrap()
    };
    let out = run("wrong");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("refused the API key (401)") && err.contains("WRONG_KEY"),
        "{err}"
    );
    let err = stderr_of(&run("none"));
    assert!(err.contains("set api_key_env or api_key_file"), "{err}");
    let out = run("right");
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn an_endpoint_that_is_down_or_silent_fails_quickly() {
    let closed = free_port();
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    let env = client(&format!(
        "{}{}",
        endpoint("down", closed, ""),
        endpoint("silent", silent_port, "timeout_s = 1.5"),
    ));
    for (name, says) in [
        ("down", "refused the connection"),
        ("silent", "did not answer within 1.5 s"),
    ] {
        let started = Instant::now();
        let out = env
            .pai(&["ask", "--endpoint", name, "hi", "-n", "2", "--no-context"])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{name} took {:?}",
            started.elapsed()
        );
    }
    drop(silent);
}

#[test]
fn a_bad_endpoint_in_config_is_a_config_error_naming_the_key() {
    for (table, key) in [
        (
            "url = \"gpu-box:8000\"\nmodel = \"m\"\n",
            "[endpoints.big] url",
        ),
        (
            "url = \"http://gpu-box:8000/v1\"\nmodel = \"m\"\ntimeout_s = 0.0\n",
            "[endpoints.big] timeout_s",
        ),
        (
            "url = \"http://gpu-box:8000/v1\"\nmodel = \"m\"\ntimeout_s = inf\n",
            "[endpoints.big] timeout_s",
        ),
    ] {
        let env = client(&format!("[endpoints.big]\n{table}"));
        let out = env
            .pai(&["ask", "--endpoint", "big", "hi"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
        assert!(stderr_of(&out).contains(key), "{}", stderr_of(&out));
    }
    let env = client("");
    let out = env
        .pai(&["ask", "--endpoint", "nope", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("there is no endpoint named 'nope'"));
}

/// The busy answer is held open until the client has been refused once, and only then let go,
/// so the test does not depend on how fast either side runs.
#[test]
fn a_busy_endpoint_is_asked_again_before_the_first_token() {
    let server_env = Env::with_smol();
    let server = Server::start(&server_env, &["--queue", "0"]);
    let env = client(&endpoint("near", server.port, ""));
    // One long answer in progress fills a server that queues none: the next request gets 429.
    let busy = hold_an_answer_open(server.port);
    let until = Instant::now() + Duration::from_secs(60);
    while server.health()["running"] == 0 {
        assert!(Instant::now() < until, "the first request never ran");
        std::thread::sleep(Duration::from_millis(5));
    }
    let ask = env
        .std_command(&["ask", "--endpoint", "near", "hi", "-n", "4", "--no-context"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while server.health()["rejected"] == 0 {
        assert!(Instant::now() < until, "no 429 was sent");
        std::thread::sleep(Duration::from_millis(5));
    }
    // The client going away cancels the busy answer and frees the slot for the next try.
    drop(busy);
    let out = ask.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).trim().is_empty());
}

/// A streamed answer that runs until the returned connection is dropped.
fn hold_an_answer_open(port: u16) -> std::net::TcpStream {
    use std::io::Write;
    let body = r#"{"model":"smol","messages":[{"role":"user","content":"Write a long story."}],"max_tokens":1500,"temperature":0,"ignore_eos":true,"stream":true}"#;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut first = [0u8; 64];
    let n = s.read(&mut first).unwrap();
    let head = String::from_utf8_lossy(&first[..n]);
    assert!(
        head.starts_with("HTTP/1.1 200"),
        "the long answer was refused: {head}"
    );
    s
}

/// `/role` takes the role's endpoint from the next turn when the command line named nothing
/// that answers, audits that turn as the role's, and a role without one returns to the model
/// the chat began with.
#[test]
fn a_role_switched_to_in_a_chat_answers_through_its_endpoint() {
    let server_env = Env::with_smol();
    let server = Server::start(&server_env, &[]);
    let env = client(&endpoint("near", server.port, ""));
    env.pai(&["model", "add"])
        .arg(crate::util::smollm2())
        .args(["--name", "smol"])
        .assert()
        .success();
    std::fs::create_dir_all(env.path("roles")).unwrap();
    env.write(
        "roles/far.md",
        "+++\ndescription = \"asks the server\"\nendpoint = \"near\"\n+++\nAnswer briefly.\n",
    );
    env.write(
        "roles/home.md",
        "+++\ndescription = \"stays here\"\n+++\nAnswer briefly.\n",
    );
    let out = env
        .pai(&["chat", "-n", "8", "--temp", "0", "--no-context"])
        .write_stdin("Hi!\n/role far\nAnd again?\n/role home\nOnce more?\n")
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("now answering as far: asks the server (with near (smol"),
        "{err}"
    );
    assert!(
        err.contains("now answering as home: stays here (with smol)"),
        "{err}"
    );
    let answers = stdout_of(&out);
    assert_eq!(
        answers
            .split("\n\n")
            .filter(|a| !a.trim().is_empty())
            .count(),
        3,
        "{answers}"
    );
    let rows = json_of(&env.pai(&["audit", "--json"]).output().unwrap());
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "one turn went to the endpoint: {rows:?}");
    assert_eq!(rows[0]["front"], "chat");
    assert_eq!(rows[0]["reason"], "role far");
    // A chat started with --model keeps it under every role.
    let out = env
        .pai(&[
            "chat",
            "--model",
            "smol",
            "-n",
            "4",
            "--temp",
            "0",
            "--no-context",
        ])
        .write_stdin("/role far\nHi!\n")
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("now answering as far: asks the server\n"),
        "{err}"
    );
    let rows = json_of(&env.pai(&["audit", "--json"]).output().unwrap());
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
}
