//! The router end to end: a real `pai serve` as the medium tier behind a proxy that records
//! every byte it receives, and the real binary as the client. What must hold: secrets in the
//! user's notes never reach the remote, private sources send nothing, a remote that is down
//! falls back to local, budgets cap, and an early hand-over shows one answer.
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use crate::serve::{free_port, Server};
use crate::util::{json_of, stderr_of, stdout_of, Env};

/// A TCP proxy on 127.0.0.1 that forwards to `to` and keeps what clients sent.
pub struct Recorder {
    pub port: u16,
    received: Arc<Mutex<Vec<u8>>>,
}

impl Recorder {
    pub fn start(to: u16) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let kept = received.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let kept = kept.clone();
                std::thread::spawn(move || forward(client, to, kept));
            }
        });
        Recorder { port, received }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.received.lock().unwrap()).into_owned()
    }
}

fn forward(mut client: TcpStream, to: u16, kept: Arc<Mutex<Vec<u8>>>) {
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", to)) else {
        return;
    };
    let (mut client_reader, mut server_writer) =
        (client.try_clone().unwrap(), server.try_clone().unwrap());
    let upstream = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = client_reader.read(&mut buf) {
            if n == 0 || server_writer.write_all(&buf[..n]).is_err() {
                break;
            }
            kept.lock().unwrap().extend_from_slice(&buf[..n]);
        }
        let _ = server_writer.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut server, &mut client);
    let _ = client.shutdown(std::net::Shutdown::Write);
    let _ = upstream.join();
}

/// A client home with SmolLM2 as its local model and config.toml as given.
pub fn client(config: &str) -> Env {
    let env = Env::with_smol();
    env.write_config(config);
    env
}

pub fn tiers(port: u16, router: &str) -> String {
    format!(
        "[endpoints.cloud]\nurl = \"http://127.0.0.1:{port}/v1\"\nmodel = \"smol\"\ntimeout_s = 20.0\n\
         input_usd_per_mtok = 1.0\noutput_usd_per_mtok = 2.0\n\
         [tiers]\nmedium = \"cloud\"\n[router]\n{router}\n"
    )
}

/// A `pai serve` whose model answers differently from the local one: gemma-3-270m under the
/// name the endpoints ask for. The home is returned to keep it alive.
fn gemma_server() -> (Env, Server) {
    let env = Env::new();
    env.pai(&["model", "add"])
        .arg(crate::util::gemma())
        .args(["--name", "smol"])
        .assert()
        .success();
    let server = Server::start(&env, &[]);
    (env, server)
}

const CANARIES: [&str; 4] = [
    "AKIAZ7QW3RT5YU2IO4PL",
    "ghp_8fK2mQ9xLr4TbV7nWc3YpZs6Hd1Ju5Ea0GiX",
    "Tr0ub4dor&3-Gl4cier",
    "sk_live_51Hx9QpLmN3vB7cR2tY8wE4uZ",
];

fn canary_notes(env: &Env, folder: &str) -> std::path::PathBuf {
    let dir = env.path(folder);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("deploy.md"),
        format!(
            "# Deploy keys for the billing service\n\nThe billing service deploys with the AWS key id {} \
             and the GitHub token {}.\nThe database password is {} and Stripe uses {}.\n\
             The billing service runs on host orca-7 in rack B.\n",
            CANARIES[0], CANARIES[1], CANARIES[2], CANARIES[3]
        ),
    )
    .unwrap();
    dir
}

#[test]
fn canary_secrets_in_indexed_notes_never_reach_the_remote_tier() {
    let server_env = Env::with_smol();
    let server = Server::start(&server_env, &[]);
    let recorder = Recorder::start(server.port);
    let env = client(&tiers(recorder.port, ""));
    let notes = canary_notes(&env, "notes");
    env.pai(&["index", "add"]).arg(&notes).assert().success();
    let out = env
        .pai(&[
            "ask",
            "--tier",
            "medium",
            "--json",
            "-n",
            "24",
            "--temp",
            "0",
            // Words from both secret lines: excerpts are cut to the lines that match.
            "Which keys and database password does the billing service deploy with?",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let sent = recorder.text();
    assert!(sent.contains("billing service"), "the notes went: {sent}");
    assert!(sent.contains("[REDACTED_"), "{sent}");
    for canary in CANARIES {
        assert!(
            !sent.contains(canary),
            "{canary} reached the remote: {sent}"
        );
    }
    let answer = json_of(&out);
    assert_eq!(answer["route"]["tier"], "medium");
    assert!(answer["route"]["redactions"].as_u64().unwrap() >= 4);
    let audit = env.pai(&["audit", "--json"]).output().unwrap();
    let rows = json_of(&audit);
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["tier"], "medium");
    assert!(rows[0]["redactions"].as_u64().unwrap() >= 4);
    assert!(
        rows[0]["payload"].is_null(),
        "payloads are kept only when asked"
    );
    assert_eq!(rows[0]["payload_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn private_sources_send_nothing_and_say_why() {
    let server_env = Env::with_smol();
    let server = Server::start(&server_env, &[]);
    let recorder = Recorder::start(server.port);
    // Every answer would be handed over if the policy let it.
    let env = client(&tiers(recorder.port, "mode = \"auto\"\nmedium_below = 1.0"));
    let notes = canary_notes(&env, "diary");
    env.pai(&["index", "add", "--private"])
        .arg(&notes)
        .assert()
        .success();
    let out = env
        .pai(&["route", "--json", "Where does the billing service run?"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let route = json_of(&out);
    assert_eq!(route["tier"], "local", "{route}");
    assert!(
        route["reason"].as_str().unwrap().contains("private"),
        "{route}"
    );
    let out = env
        .pai(&[
            "ask",
            "-n",
            "16",
            "--temp",
            "0",
            "Where does the billing service run?",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("answered locally"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(recorder.text(), "", "a private request sent bytes");
}

#[test]
fn a_remote_that_is_down_falls_back_to_local_with_one_notice() {
    let env = client(&tiers(free_port(), ""));
    let out = env
        .pai(&[
            "ask",
            "--tier",
            "medium",
            "-n",
            "8",
            "--temp",
            "0",
            "--no-context",
            "Say hello.",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert_eq!(err.matches("did not answer").count(), 1, "{err}");
    assert!(err.contains("answering locally"), "{err}");
    assert!(!stdout_of(&out).trim().is_empty());
    // One request, one row: under the tier the payload was sent to, marked a fallback.
    let rows = json_of(&env.pai(&["audit", "--json", "--all"]).output().unwrap());
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["tier"], "medium");
    assert_eq!(rows[0]["outcome"], "fallback");
    let stats = json_of(&env.pai(&["stats", "--json"]).output().unwrap());
    assert_eq!(stats["local"], 1, "{stats}");
}

#[test]
fn an_unsure_local_answer_is_handed_over_early_and_shown_once() {
    let (_server_env, server) = gemma_server();
    let env = client(&tiers(
        server.port,
        "mode = \"auto\"\nmedium_below = 1.0\nescalate_after = 16",
    ));
    let question = [
        "--no-context",
        "-n",
        "40",
        "--temp",
        "0",
        "Write a short story about a lighthouse keeper.",
    ];
    let out = env
        .pai(&[&["ask", "--json"][..], &question[..]].concat())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("after 16 tokens"), "{err}");
    assert!(err.contains("answered by the medium tier"), "{err}");
    let routed = json_of(&out);
    assert_eq!(routed["route"]["outcome"], "escalated");
    assert_eq!(routed["route"]["local_tokens"], 16);
    // The answer is the remote's alone, exactly as the remote gives it. Both are asked with
    // the server's cache holding the prompt: a prompt read whole and one whose last token is
    // read alone take different matrix kernels, and on some CPUs (AVX-512 with repacked
    // weights) their greedy answers part at a near tie.
    let direct = env
        .pai(&[&["ask", "--json", "--tier", "medium"][..], &question[..]].concat())
        .output()
        .unwrap();
    let again = env
        .pai(&[&["ask", "--json"][..], &question[..]].concat())
        .output()
        .unwrap();
    let again = json_of(&again);
    assert_eq!(again["route"]["outcome"], "escalated");
    assert_eq!(again["answer"], json_of(&direct)["answer"]);
    let local = env
        .pai(&[&["ask", "--json", "--tier", "local"][..], &question[..]].concat())
        .output()
        .unwrap();
    assert_ne!(routed["answer"], json_of(&local)["answer"]);
}

#[test]
fn budgets_cap_the_remote_tiers() {
    let recorder = Recorder::start(free_port());
    let env = client(&tiers(
        recorder.port,
        "mode = \"auto\"\nmedium_below = 1.0\nmonthly_budget_usd = { medium = 0.0 }",
    ));
    let out = env
        .pai(&["ask", "--tier", "medium", "-n", "4", "--no-context", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("monthly"), "{}", stderr_of(&out));
    let out = env
        .pai(&["route", "--json", "--no-context", "hi"])
        .output()
        .unwrap();
    let route = json_of(&out);
    assert_eq!(route["tier"], "local", "{route}");
    assert!(
        route["reason"].as_str().unwrap().contains("budget"),
        "{route}"
    );
    assert_eq!(recorder.text(), "");
}

#[test]
fn route_explains_without_calling_any_remote() {
    let recorder = Recorder::start(free_port());
    let env = client(&tiers(recorder.port, "mode = \"auto\""));
    let out = env
        .pai(&["route", "--json", "--no-context", "What is 48213 * 9127?"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let route = json_of(&out);
    assert!(["local", "medium"].contains(&route["tier"].as_str().unwrap()));
    let read = route["signals"]["tokens"]["count"].as_u64().unwrap();
    assert!((1..=24).contains(&read), "{route}");
    assert_eq!(route["signals"]["prompt"]["arithmetic"], true);
    let confidence = route["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence));
    let text = env
        .pai(&["route", "--no-context", "What is 48213 * 9127?"])
        .output()
        .unwrap();
    assert!(
        stdout_of(&text).contains("confidence"),
        "{}",
        stdout_of(&text)
    );
    assert_eq!(recorder.text(), "", "route called the remote");
    let plain = client("");
    let out = plain
        .pai(&["route", "--json", "--no-context", "hi"])
        .output()
        .unwrap();
    assert_eq!(json_of(&out)["tier"], "local");
    let out = plain
        .pai(&["ask", "--tier", "medium", "--no-context", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("[tiers]"), "{}", stderr_of(&out));
}

#[test]
fn a_server_client_can_ask_for_a_tier_by_model_name() {
    let upstream_env = Env::with_smol();
    let upstream = Server::start(&upstream_env, &[]);
    let recorder = Recorder::start(upstream.port);
    let env = client(&tiers(recorder.port, ""));
    let server = Server::start(&env, &[]);
    server.python(
        r#"
c = openai.OpenAI(base_url=URL, api_key="none", max_retries=0)
ids = [m.id for m in c.models.list().data]
assert "pai-medium" in ids and "pai-large" not in ids, ids
r = c.chat.completions.create(model="pai-medium", max_tokens=8, temperature=0,
    messages=[{"role": "user", "content": "My key is AKIAZ7QW3RT5YU2IO4PL. Say hi."}])
assert r.choices[0].message.content.strip(), r
chunks = list(c.chat.completions.create(model="pai-medium", max_tokens=8, temperature=0, stream=True,
    messages=[{"role": "user", "content": "Say hi."}]))
assert "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices).strip()
"#,
        "none",
    );
    let sent = recorder.text();
    assert!(sent.contains("Say hi."), "{sent}");
    assert!(!sent.contains("AKIAZ7QW3RT5YU2IO4PL"), "{sent}");
    let rows = json_of(&env.pai(&["audit", "--json"]).output().unwrap());
    assert_eq!(rows.as_array().unwrap().len(), 2, "{rows}");
    assert_eq!(rows[0]["front"], "serve");
}

#[test]
fn the_chat_hands_an_unsure_turn_over_and_says_so() {
    let (_server_env, server) = gemma_server();
    let env = client(&tiers(
        server.port,
        "mode = \"auto\"\nmedium_below = 1.0\nescalate_after = 16",
    ));
    let chat = || {
        env.pai(&["chat", "--no-context", "-n", "40", "--temp", "0"])
            .write_stdin("Write a short story about a lighthouse keeper.\n")
            .output()
            .unwrap()
    };
    let out = chat();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("after 16 tokens"), "{err}");
    assert!(err.contains("the medium tier answers"), "{err}");
    let rows = json_of(&env.pai(&["audit", "--json"]).output().unwrap());
    assert_eq!(rows[0]["front"], "chat", "{rows}");
    assert_eq!(rows[0]["outcome"], "escalated", "{rows}");
    assert_eq!(rows[0]["local_tokens"], 16, "{rows}");
    // The turn shows the remote's answer alone, as the remote gives it; compared in the same
    // state of the server's cache (see the ask test above for why).
    let direct = env
        .pai(&[
            "chat",
            "--tier",
            "medium",
            "--no-context",
            "-n",
            "40",
            "--temp",
            "0",
        ])
        .write_stdin("Write a short story about a lighthouse keeper.\n")
        .output()
        .unwrap();
    assert!(direct.status.success(), "{}", stderr_of(&direct));
    let again = chat();
    assert!(stderr_of(&again).contains("the medium tier answers"));
    assert_eq!(stdout_of(&again).trim(), stdout_of(&direct).trim());
}
