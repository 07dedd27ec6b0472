//! `pai model pull` against a real HTTP server on 127.0.0.1: a whole download, a resume after
//! the connection drops, a checksum mismatch, and an unreachable server.
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::util::{json_of, smollm2, stderr_of, Env};

/// Serves one file with Range support. The first `drops` responses stop after `cut` bytes.
struct Server {
    url: String,
    ranges_seen: Arc<AtomicUsize>,
}

impl Server {
    fn start(body: Vec<u8>, drops: usize, cut: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/models/smol.gguf", listener.local_addr().unwrap());
        let ranges_seen = Arc::new(AtomicUsize::new(0));
        let seen = ranges_seen.clone();
        let body = Arc::new(body);
        std::thread::spawn(move || {
            let mut served = 0;
            for stream in listener.incoming().take(8) {
                let Ok(stream) = stream else { continue };
                let cut_this = (served < drops).then_some(cut);
                served += 1;
                let _ = respond(stream, &body, cut_this, &seen);
            }
        });
        Self { url, ranges_seen }
    }
}

fn respond(
    mut stream: TcpStream,
    body: &[u8],
    cut: Option<usize>,
    seen: &AtomicUsize,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut start = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        if line.trim().is_empty() {
            break;
        }
        if let Some(range) = line.to_ascii_lowercase().strip_prefix("range: bytes=") {
            start = range.trim().trim_end_matches('-').parse().unwrap_or(0);
            seen.fetch_add(1, Ordering::SeqCst);
        }
    }
    if !request_line.contains("/models/smol.gguf") {
        return stream.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }
    if start >= body.len() && start > 0 {
        return stream.write_all(
            b"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }
    let rest = &body[start..];
    let status = if start > 0 {
        "206 Partial Content"
    } else {
        "200 OK"
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        rest.len()
    )?;
    let send = cut.map_or(rest.len(), |c| c.min(rest.len()));
    stream.write_all(&rest[..send])?;
    stream.flush()
}

fn sha256(path: &std::path::Path) -> String {
    let out = std::process::Command::new("sha256sum")
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn a_whole_download_is_verified_and_registered() {
    let env = Env::new();
    let model = smollm2();
    let server = Server::start(std::fs::read(&model).unwrap(), 0, 0);
    let sum = sha256(&model);
    let out = env
        .pai(&[
            "model",
            "pull",
            &server.url,
            "--sha256",
            &sum,
            "--name",
            "pulled",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let list = json_of(&env.pai(&["model", "list", "--json"]).output().unwrap());
    assert_eq!(list[0]["name"], "pulled");
    assert_eq!(list[0]["sha256"], sum.as_str());
    let path = list[0]["path"].as_str().unwrap().to_string();
    assert!(path.starts_with(&env.home.path().display().to_string()));
    env.pai(&["ask", "hi", "--max-tokens", "2", "--model", "pulled"])
        .assert()
        .success();
    env.pai(&["model", "rm", "pulled"]).assert().success();
    assert!(
        !std::path::Path::new(&path).exists(),
        "a pulled file is deleted with its entry"
    );
}

#[test]
fn an_interrupted_download_resumes() {
    let env = Env::new();
    let model = smollm2();
    let server = Server::start(std::fs::read(&model).unwrap(), 1, 10_000_000);
    let first = env.pai(&["model", "pull", &server.url]).output().unwrap();
    assert_eq!(first.status.code(), Some(1));
    let err = stderr_of(&first);
    assert!(
        err.contains("stopped after 10000000") && err.contains("resume"),
        "{err}"
    );
    let listed = json_of(&env.pai(&["model", "list", "--json"]).output().unwrap());
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "a partial file is never registered"
    );

    let second = env
        .pai(&["model", "pull", &server.url, "--sha256", &sha256(&model)])
        .output()
        .unwrap();
    assert!(second.status.success(), "{}", stderr_of(&second));
    assert_eq!(
        server.ranges_seen.load(Ordering::SeqCst),
        1,
        "the second pull asked for the rest only"
    );
    let listed = json_of(&env.pai(&["model", "list", "--json"]).output().unwrap());
    assert_eq!(listed[0]["name"], "smol");
}

#[test]
fn a_checksum_mismatch_registers_nothing_and_keeps_the_file() {
    let env = Env::new();
    let server = Server::start(std::fs::read(smollm2()).unwrap(), 0, 0);
    let wrong = "0".repeat(64);
    let out = env
        .pai(&["model", "pull", &server.url, "--sha256", &wrong])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("sha256"), "{}", stderr_of(&out));
    assert!(env.path("models/smol.gguf.part").exists());
    let listed = json_of(&env.pai(&["model", "list", "--json"]).output().unwrap());
    assert_eq!(listed.as_array().unwrap().len(), 0);
}

#[test]
fn an_unreachable_server_and_a_missing_file() {
    let env = Env::new();
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = env
        .pai(&["model", "pull", &format!("http://127.0.0.1:{port}/m.gguf")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("cannot reach"),
        "{}",
        stderr_of(&out)
    );

    let server = Server::start(Vec::new(), 0, 0);
    let missing = server.url.replace("smol.gguf", "other.gguf");
    let out = env.pai(&["model", "pull", &missing]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("404"), "{}", stderr_of(&out));
}

/// A catalog of one model served by `server`: its URL is written with the shipped catalog's
/// prefix, which PAI_CATALOG_URL replaces, as a user's mirror setting would.
fn catalog_env(env: &Env, server: &Server, sha256: &str) -> Vec<(&'static str, String)> {
    let base = server.url.trim_end_matches("/models/smol.gguf").to_string();
    let catalog = format!(
        "[[model]]\nname = \"smol-test\"\nkind = \"chat\"\n\
         url = \"https://huggingface.co/models/smol.gguf\"\nsha256 = \"{sha256}\"\n\
         size = 98362432\nlicense = \"Apache-2.0\"\ncontext = 8192\ntemplate = \"chatml\"\n\
         good_for = \"tests\"\n"
    );
    let file = env.write("catalog.toml", catalog);
    vec![
        ("PAI_CATALOG", file.display().to_string()),
        ("PAI_CATALOG_URL", base),
    ]
}

#[test]
fn a_name_from_the_catalog_is_pulled_with_progress_resumed_and_verified() {
    let env = Env::new();
    let model = smollm2();
    let server = Server::start(std::fs::read(&model).unwrap(), 1, 30_000_000);
    let vars = catalog_env(&env, &server, &sha256(&model));
    let first = env
        .pai(&["model", "pull", "smol-test"])
        .envs(vars.clone())
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(1));
    let err = stderr_of(&first);
    assert!(
        err.contains("downloaded 0.0 MB of 98.4 MB") && err.contains("downloaded 24.6 MB"),
        "progress is shown on stderr: {err}"
    );
    let second = env
        .pai(&["model", "pull", "smol-test"])
        .envs(vars)
        .output()
        .unwrap();
    assert!(second.status.success(), "{}", stderr_of(&second));
    assert_eq!(server.ranges_seen.load(Ordering::SeqCst), 1, "it resumed");
    let listed = json_of(&env.pai(&["model", "list", "--json"]).output().unwrap());
    assert_eq!(listed[0]["name"], "smol-test");
    assert_eq!(listed[0]["sha256"], sha256(&model).as_str());
}

#[test]
fn a_catalog_checksum_mismatch_is_refused() {
    let env = Env::new();
    let server = Server::start(std::fs::read(smollm2()).unwrap(), 0, 0);
    let vars = catalog_env(&env, &server, &"ab".repeat(32));
    let out = env
        .pai(&["model", "pull", "smol-test"])
        .envs(vars)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains(&format!("not the expected {}", "ab".repeat(32))),
        "{}",
        stderr_of(&out)
    );
    let listed = json_of(&env.pai(&["model", "list", "--json"]).output().unwrap());
    assert_eq!(listed.as_array().unwrap().len(), 0);
}

#[test]
fn an_unknown_name_is_answered_with_the_closest_names() {
    let env = Env::new();
    // The shipped catalog; nothing is downloaded.
    let out = env
        .pai(&["model", "pull", "qwen2.5-05b-instruct"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("no model named 'qwen2.5-05b-instruct'")
            && err.contains("closest: qwen2.5-0.5b-instruct"),
        "{err}"
    );
    let found = json_of(
        &env.pai(&["model", "search", "Qwen", "coder", "--json"])
            .output()
            .unwrap(),
    );
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"qwen2.5-coder-1.5b-instruct"), "{names:?}");
    assert!(names.iter().all(|n| n.contains("coder")), "{names:?}");
}
