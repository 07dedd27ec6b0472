//! `pai serve` on 127.0.0.1 with the real SmolLM2, driven by the official Python `openai`
//! package (in a venv the tests make once under target/tmp) and by raw HTTP over TcpStream
//! for what a well-behaved client never sends.
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::util::Env;

/// The venv's python, made once per test run and kept between runs. A machine that cannot
/// make it fails the tests: they are not skipped.
pub fn python() -> PathBuf {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    PYTHON
        .get_or_init(make_venv)
        .clone()
        .unwrap_or_else(|e| panic!("cannot make the Python venv with the openai package: {e}"))
}

fn make_venv() -> Result<PathBuf, String> {
    crate::util::venv("openai-venv", "openai", "import openai")
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `pai serve`, killed when dropped; its stderr is kept in a file.
pub struct Server {
    pub port: u16,
    pub child: Child,
    pub log: PathBuf,
}

impl Server {
    pub fn start(env: &Env, extra: &[&str]) -> Server {
        let port = free_port();
        let log = env.path(&format!("serve-{port}.log"));
        let mut args = vec!["serve", "--port"];
        let port_text = port.to_string();
        args.push(&port_text);
        args.extend_from_slice(extra);
        let child = env
            .std_command(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut server = Server { port, child, log };
        let until = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("pai serve exited with {status}: {}", server.log_text());
            }
            if get(port, "/health", &[]).is_some_and(|r| r.status == 200) {
                return server;
            }
            assert!(
                Instant::now() < until,
                "pai serve did not answer /health: {}",
                server.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn health(&self) -> serde_json::Value {
        let r = get(self.port, "/health", &[]).expect("/health");
        serde_json::from_slice(&r.body).unwrap()
    }

    /// Runs a Python script with the server's base URL as argv[1]; panics with its output
    /// when it fails.
    pub fn python(&self, script: &str, key: &str) {
        let mut child = std::process::Command::new(python())
            .arg("-")
            .arg(format!("http://127.0.0.1:{}/v1", self.port))
            .arg(key)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let prelude = "import sys, json, openai\nURL, KEY = sys.argv[1], sys.argv[2]\n";
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{prelude}{script}").as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "the Python client failed:\n{}\n{}\nserver log:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.log_text()
        );
    }

    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let until = Instant::now() + Duration::from_secs(90);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < until,
                "pai serve did not stop on SIGTERM: {}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Raw {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// One request over a fresh connection, `Connection: close`; None when it cannot connect.
pub fn raw(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<Raw> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).ok()?;
    // A server that refuses a body early may close before taking all of it.
    let _ = s.write_all(body);
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some(Raw {
        status,
        head,
        body: bytes[split + 4..].to_vec(),
    })
}

pub fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> Option<Raw> {
    raw(port, "GET", path, headers, b"")
}

/// POSTs a chat completion request; panics unless the answer is a 200, and returns its JSON.
pub fn chat_completion(port: u16, body: &serde_json::Value) -> serde_json::Value {
    let r = raw(
        port,
        "POST",
        "/v1/chat/completions",
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
    .expect("the server answers");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    serde_json::from_slice(&r.body).unwrap()
}

const CASES: &str = r#"
c = openai.OpenAI(base_url=URL, api_key="none", max_retries=0)
ids = [m.id for m in c.models.list().data]
assert ids == ["smol", "pai-notes"], ids
assert c.models.retrieve("smol").id == "smol"
msg = [{"role": "user", "content": "Name two colors."}]
r = c.chat.completions.create(model="smol", messages=msg, max_tokens=16, temperature=0, seed=1)
assert r.choices[0].message.content.strip(), "empty answer"
assert r.choices[0].finish_reason in ("stop", "length")
assert r.usage.completion_tokens > 0 and r.usage.prompt_tokens > 0
assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens
# Greedy answers repeat, plain or streamed.
def stream(**kw):
    return list(c.chat.completions.create(model="smol", messages=msg, max_tokens=16, temperature=0, stream=True, **kw))
texts = []
for ch, usage in [(stream(stream_options={"include_usage": True}), True),
                  (stream(stream_options={"include_usage": False}), False),
                  (stream(), False)]:
    text = "".join(x.choices[0].delta.content or "" for x in ch if x.choices)
    assert text.strip(), "the stream carried no text"
    texts.append(text)
    with_usage = [x for x in ch if x.usage]
    if usage:
        assert len(with_usage) == 1 and ch[-1].usage and ch[-1].choices == [], ch[-1]
        assert ch[-1].usage.completion_tokens == len([x for x in ch if x.choices and x.choices[0].delta.content])
    else:
        assert not with_usage, "a usage chunk came unasked"
        assert all("usage" not in x.model_fields_set for x in ch), "usage: null came unasked"
    assert ch[0].choices[0].delta.role == "assistant"
    assert [x.choices[0].finish_reason for x in ch if x.choices][-1] in ("stop", "length")
# The same prompt from the same cache state, greedy: the same answer.
assert texts[0] == texts[1] == texts[2], texts
# Legacy completions continue text.
t = c.completions.create(model="smol", prompt="Once upon a time", max_tokens=8, temperature=0)
assert t.choices[0].text and t.usage.completion_tokens > 0
# pai's own context comes back as sources, even when there are none.
n = c.chat.completions.create(model="pai-notes", messages=msg, max_tokens=4, temperature=0)
assert n.model_extra["pai"]["sources"] == [], n.model_extra
def refused(status, param=None, **kw):
    args = dict(model="smol", messages=msg, max_tokens=4)
    args.update(kw)
    try:
        c.chat.completions.create(**args)
    except openai.APIStatusError as e:
        assert e.status_code == status, (e.status_code, e.message)
        if param:
            assert e.body["param"] == param, e.body
        return e.message
    raise SystemExit(f"accepted: {kw}")
refused(400, "max_tokens", max_tokens=-5)
m = refused(400, "frobnicate", extra_body={"frobnicate": 1})
assert "frobnicate" in m, m
# Structured output: the answer follows the schema, in one piece and streamed.
import json, pydantic
schema = {"type": "object", "properties": {"color": {"type": "string", "enum": ["red", "green", "blue"]},
          "count": {"type": "integer", "minimum": 1, "maximum": 9}}, "required": ["color", "count"],
          "additionalProperties": False}
fmt = {"type": "json_schema", "json_schema": {"name": "c", "strict": True, "schema": schema}}
s = c.chat.completions.create(model="smol", messages=msg, max_tokens=40, temperature=0, response_format=fmt)
v = json.loads(s.choices[0].message.content)
assert set(v) == {"color", "count"} and v["color"] in ("red", "green", "blue") and 1 <= v["count"] <= 9, v
streamed = "".join(x.choices[0].delta.content or "" for x in c.chat.completions.create(
    model="smol", messages=msg, max_tokens=40, temperature=0, response_format=fmt, stream=True) if x.choices)
assert json.loads(streamed) == v, streamed
ask = [{"role": "user", "content": "Name two colors as a JSON object with a key colors."}]
o = c.chat.completions.create(model="smol", messages=ask, max_tokens=120, temperature=0, response_format={"type": "json_object"})
assert isinstance(json.loads(o.choices[0].message.content), dict), o.choices[0].message.content
class Pick(pydantic.BaseModel):
    name: str
    tags: list[str]
p = c.chat.completions.parse(model="smol", messages=ask, max_tokens=120, temperature=0, response_format=Pick)
assert isinstance(p.choices[0].message.parsed, Pick), p
m = refused(400, "response_format.json_schema.schema", response_format={"type": "json_schema",
    "json_schema": {"name": "c", "schema": {"type": "object", "not": {"required": ["x"]}}}})
assert "not" in m, m
refused(400, "response_format.type", response_format={"type": "yaml"})
refused(400, "n", n=2)
refused(400, "tools[0].function.name", tools=[{"type": "function", "function": {"name": "a b", "parameters": {}}}])
refused(404, "model", model="gpt-4o")
refused(400, "messages[0].role", messages=[{"role": "function", "content": "x", "name": "f"}])
try:
    c.embeddings.create(model="smol", input="hello")
    raise SystemExit("a chat model embedded")
except openai.BadRequestError as e:
    assert "encoder" in e.message, e.message
print("ok")
"#;

#[test]
fn the_openai_client_lists_asks_streams_and_is_refused_clearly() {
    let env = Env::with_smol();
    let server = Server::start(&env, &[]);
    server.python(CASES, "none");
    let log = server.log_text();
    assert!(log.contains("\"POST /v1/chat/completions\" 200"), "{log}");
    assert!(
        !log.contains("Name two colors"),
        "prompt text in the log: {log}"
    );
}

#[test]
fn the_api_key_is_required_and_compared() {
    let env = Env::with_smol();
    let key = env.write("key", "s3cret-key\n");
    let server = Server::start(&env, &["--api-key-file", key.to_str().unwrap()]);
    server.python(
        r#"
msg = [{"role": "user", "content": "hi"}]
for key in ["wrong", "s3cret-ke", "s3cret-key2"]:
    try:
        openai.OpenAI(base_url=URL, api_key=key, max_retries=0).models.list()
        raise SystemExit(f"key {key!r} was accepted")
    except openai.AuthenticationError as e:
        assert e.status_code == 401
ok = openai.OpenAI(base_url=URL, api_key=KEY, max_retries=0)
assert ok.chat.completions.create(model="smol", messages=msg, max_tokens=2).choices
"#,
        "s3cret-key",
    );
    let r = get(server.port, "/v1/models", &[]).unwrap();
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").is_some());
    assert!(String::from_utf8_lossy(&r.body).contains("API key is required"));
    // /health is open, for load balancers and scripts that wait for the server.
    assert_eq!(get(server.port, "/health", &[]).unwrap().status, 200);
}

#[test]
fn a_burst_beyond_the_queue_gets_429_with_retry_after() {
    let env = Env::with_smol();
    let server = Server::start(&env, &["--queue", "1"]);
    server.python(
        r#"
import threading
c = openai.OpenAI(base_url=URL, api_key="none", max_retries=0)
results = []
# All six leave together, and each answer is long, so they meet one running and one waiting
# however slow the machine is.
ready = threading.Barrier(6)
def one():
    ready.wait()
    try:
        s = c.chat.completions.create(model="smol", messages=[{"role": "user", "content": "Count from 1 to 100."}],
            max_tokens=160, temperature=0, stream=True, extra_body={"ignore_eos": True})
        for _ in s:
            pass
        results.append(200)
    except openai.RateLimitError as e:
        assert int(e.response.headers["retry-after"]) >= 1, e.response.headers
        results.append(429)
threads = [threading.Thread(target=one) for _ in range(6)]
for t in threads: t.start()
for t in threads: t.join()
assert results.count(200) >= 2 and results.count(429) >= 1, results
print(results)
"#,
        "none",
    );
    assert!(server.health()["rejected"].as_u64().unwrap() >= 1);
}

/// A server that queues nothing takes every request that comes while it is free, the first
/// and each one sent as soon as the last answer arrived: its places are counted, where a
/// rendezvous channel refused any request that came while the engine thread was not parked.
#[test]
fn a_server_that_queues_none_takes_requests_one_after_another() {
    let env = Env::with_smol();
    for extra in [&["--queue", "0"][..], &["--queue", "0", "--parallel", "2"]] {
        let server = Server::start(&env, extra);
        let body = serde_json::json!({"model": "smol", "max_tokens": 1, "temperature": 0,
            "messages": [{"role": "user", "content": "Hi"}]});
        for _ in 0..12 {
            chat_completion(server.port, &body);
        }
        assert_eq!(server.health()["rejected"], 0, "{extra:?}");
    }
}

#[test]
fn a_client_that_goes_away_cancels_its_generation() {
    let env = Env::with_smol();
    for extra in [&[][..], &["--parallel", "2"][..]] {
        let server = Server::start(&env, extra);
        server.python(
            r#"
c = openai.OpenAI(base_url=URL, api_key="none", max_retries=0)
s = c.chat.completions.create(model="smol", messages=[{"role": "user", "content": "Write a very long story about a dragon."}],
    max_tokens=4000, temperature=1.0, seed=3, stream=True)
for i, _ in enumerate(s):
    if i == 3:
        break
s.close()
"#,
            "none",
        );
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            let h = server.health();
            if h["cancelled"] == 1 && h["running"] == 0 {
                assert!(
                    h["generated_tokens"].as_u64().unwrap() < 1000,
                    "it kept generating: {h}"
                );
                break;
            }
            assert!(
                Instant::now() < until,
                "{extra:?}: never cancelled: {h}\n{}",
                server.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(server.log_text().contains("the client went away"));
    }
}

#[test]
fn host_body_cors_and_window_are_checked() {
    let env = Env::with_smol();
    let server = Server::start(&env, &["--ctx", "128"]);
    let port = server.port;
    let r = get(port, "/v1/models", &[("Host", "evil.example")]).unwrap();
    assert_eq!(r.status, 403, "a foreign Host header (DNS rebinding)");
    for host in ["localhost", &format!("localhost:{port}"), "[::1]"] {
        assert_eq!(
            get(port, "/v1/models", &[("Host", host)]).unwrap().status,
            200,
            "{host}"
        );
    }
    let json = [("Content-Type", "application/json")];
    let big = vec![b'a'; 20 << 20];
    let r = raw(port, "POST", "/v1/chat/completions", &json, &big).unwrap();
    assert_eq!(r.status, 413);
    let r = raw(
        port,
        "POST",
        "/v1/chat/completions",
        &[("Content-Type", "text/plain")],
        b"{}",
    )
    .unwrap();
    assert_eq!(
        r.status, 415,
        "a body a browser may send cross-origin without asking"
    );
    // No CORS unless configured.
    let preflight = [
        ("Origin", "http://app.example"),
        ("Access-Control-Request-Method", "POST"),
        (
            "Access-Control-Request-Headers",
            "authorization, content-type",
        ),
    ];
    let r = raw(port, "OPTIONS", "/v1/chat/completions", &preflight, b"").unwrap();
    assert!(
        r.header("access-control-allow-origin").is_none(),
        "{}",
        r.head
    );
    let r = get(port, "/v1/models", &[("Origin", "http://app.example")]).unwrap();
    assert!(
        r.header("access-control-allow-origin").is_none(),
        "{}",
        r.head
    );
    // A prompt longer than the window: a 400 with the counts, nothing cut.
    let long = format!(
        r#"{{"model":"smol","messages":[{{"role":"user","content":"{}"}}],"max_tokens":8}}"#,
        "word ".repeat(400)
    );
    let r = raw(port, "POST", "/v1/chat/completions", &json, long.as_bytes()).unwrap();
    assert_eq!(r.status, 400);
    let text = String::from_utf8_lossy(&r.body);
    assert!(
        text.contains("128-token context window") && text.contains("context_length_exceeded"),
        "{text}"
    );
    drop(server);

    let server = Server::start(&env, &["--cors-origin", "http://app.example"]);
    let r = raw(
        server.port,
        "OPTIONS",
        "/v1/chat/completions",
        &preflight,
        b"",
    )
    .unwrap();
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin").as_deref(),
        Some("http://app.example")
    );
    assert!(r.header("access-control-allow-credentials").is_none());
    let other = [
        ("Origin", "http://other.example"),
        ("Access-Control-Request-Method", "POST"),
    ];
    let r = raw(server.port, "OPTIONS", "/v1/chat/completions", &other, b"").unwrap();
    assert!(
        r.header("access-control-allow-origin").is_none(),
        "{}",
        r.head
    );
    let r = get(
        server.port,
        "/v1/models",
        &[("Origin", "http://app.example")],
    )
    .unwrap();
    assert_eq!(
        r.header("access-control-allow-origin").as_deref(),
        Some("http://app.example")
    );
}

#[test]
fn unsafe_or_impossible_starts_are_one_sentence() {
    let env = Env::with_smol();
    let out = env
        .pai(&["serve", "--host", "0.0.0.0", "--port", "1"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("without an API key"), "{err}");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = env
        .pai(&["serve", "--port", &port])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port}")) && err.contains("in use"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // Checked before anything is bound or loaded (port 1 would need root).
    let out = env
        .pai(&["serve", "--parallel", "0", "--port", "1"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--parallel 0"));
}

#[test]
fn sigterm_lets_the_answer_in_flight_finish() {
    let env = Env::with_smol();
    let mut server = Server::start(&env, &[]);
    let port = server.port;
    let body = r#"{"model":"smol","messages":[{"role":"user","content":"Count from 1 to 100."}],"max_tokens":32,"temperature":0,"stream":true}"#;
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut first = [0u8; 256];
    let n = s.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    let status = std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut rest = String::new();
            let _ = s.read_to_string(&mut rest);
            rest
        });
        let status = server.terminate();
        let rest = reader.join().unwrap();
        assert!(rest.contains("data: [DONE]"), "the answer was cut: {rest}");
        status
    });
    assert!(status.success(), "{status}: {}", server.log_text());
    assert!(get(port, "/health", &[]).is_none(), "still listening");
}

#[test]
fn parallel_answers_interleave_and_match_the_answers_one_at_a_time() {
    let env = Env::with_smol();
    let server = Server::start(&env, &["--parallel", "2"]);
    assert_eq!(server.health()["parallel"], 2);
    server.python(
        r#"
import threading, time
c = openai.OpenAI(base_url=URL, api_key="none", max_retries=0)
qs = ["Write a poem about the sea.", "Explain what a CPU does."]
def ask(q, out, i):
    t0 = time.perf_counter(); first = None; text = ""
    stream = c.chat.completions.create(model="smol", messages=[{"role": "user", "content": q}],
        max_tokens=32, temperature=0, stream=True, extra_body={"repeat_penalty": 1.0, "ignore_eos": True})
    for x in stream:
        if x.choices and x.choices[0].delta.content:
            first = first or time.perf_counter() - t0
            text += x.choices[0].delta.content
    out[i] = (first, time.perf_counter() - t0, text)
alone = [None, None]
for i, q in enumerate(qs):
    ask(q, alone, i)
both = [None, None]
threads = [threading.Thread(target=ask, args=(q, both, i)) for i, q in enumerate(qs)]
t0 = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
# Both started before either ended: they were generated together, not one after the other.
assert max(b[0] for b in both) < min(b[1] for b in both), both
assert [b[2] for b in both] == [a[2] for a in alone], (both, alone)
print(both)
"#,
        "none",
    );
    assert_eq!(server.health()["completed"], 4);
}

/// POSTs `body` as JSON and returns the status and the body's JSON.
fn post_json(port: u16, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let r = raw(
        port,
        "POST",
        path,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
    .expect("the server answers");
    let json = serde_json::from_slice(&r.body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&r.body)));
    (r.status, json)
}

#[test]
fn an_embedding_input_longer_than_the_encoder_reads_is_refused_not_cut() {
    let env = Env::new();
    let minilm = crate::util::minilm();
    let server = Server::start(&env, &["--model", minilm.to_str().unwrap()]);
    let port = server.port;
    let health = server.health();
    assert_eq!(health["window"], 256, "{health}");
    let model = health["model"].as_str().unwrap().to_string();
    // The same 300 words, then a different last one: they differ only past token 256.
    let long = "word ".repeat(300);
    let texts = [format!("{long}apple"), format!("{long}volcano")];
    let body = serde_json::json!({"model": model, "input": ["short", texts[0], texts[1]]});
    let (status, json) = post_json(port, "/v1/embeddings", &body);
    assert_eq!(status, 400, "{json}");
    let message = json["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("'input[1]' is 303 tokens")
            && message.contains("this embedding model reads at most 256"),
        "{message}"
    );
    assert_eq!(json["error"]["param"], "input");
    assert_eq!(json["error"]["code"], "context_length_exceeded");
    let (status, json) = post_json(
        port,
        "/v1/embeddings",
        &serde_json::json!({"model": model, "input": "short"}),
    );
    assert_eq!(status, 200, "{json}");
    let log = server.log_text();
    assert!(
        log.contains("embeddings only) on http://127.0.0.1:"),
        "{log}"
    );
    assert!(log.contains("\"POST /v1/embeddings\" 400"), "{log}");
    drop(server);

    // --ctx takes effect for an encoder, up to its trained length: then both are read whole.
    let server = Server::start(
        &env,
        &["--model", minilm.to_str().unwrap(), "--ctx", "4096"],
    );
    assert_eq!(server.health()["window"], 512);
    let body = serde_json::json!({"model": model, "input": texts});
    let (status, json) = post_json(server.port, "/v1/embeddings", &body);
    assert_eq!(status, 200, "{json}");
    assert!(
        json["usage"]["prompt_tokens"].as_u64().unwrap() > 600,
        "{json}"
    );
    assert_ne!(json["data"][0]["embedding"], json["data"][1]["embedding"]);
    drop(server);

    // --parallel is for models that generate: refused before anything is bound or loaded.
    let out = env
        .pai(&[
            "serve",
            "--model",
            minilm.to_str().unwrap(),
            "--parallel",
            "2",
            "--port",
            "1",
        ])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--parallel 2 is for models that generate text"),
        "{err}"
    );
}

#[test]
fn every_error_is_a_json_object_405_and_404_included() {
    let env = Env::with_smol();
    let server = Server::start(&env, &[]);
    let port = server.port;
    let cases = [
        ("GET", "/v1/chat/completions", 405, "POST"),
        ("GET", "/v1/embeddings", 405, "POST"),
        ("DELETE", "/v1/models", 405, "GET"),
        ("POST", "/health", 405, "GET"),
        ("GET", "/v1/nothing", 404, ""),
        ("POST", "/v2/chat/completions", 404, ""),
    ];
    for (method, path, status, allow) in cases {
        let r = raw(port, method, path, &[], b"").unwrap();
        assert_eq!(r.status, status, "{method} {path}: {}", r.head);
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{method} {path}: {}",
            r.head
        );
        let json: serde_json::Value = serde_json::from_slice(&r.body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}: {:?}", r.body));
        let message = json["error"]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{method} {path}: {json}");
        if status == 405 {
            assert!(message.contains(method), "{message}");
            assert_eq!(json["error"]["code"], "method_not_allowed");
            let allowed = r.header("allow").unwrap_or_default();
            assert!(allowed.contains(allow), "{method} {path}: {}", r.head);
        }
    }
}
