//! `pai mcp --http`: the official Python `mcp` client over Streamable HTTP in both protocol
//! eras (prompts, logging, tools), the guards against other hosts, other pages and keyless
//! callers (raw HTTP, since a well-behaved client never sends a wrong Host), and the
//! refusals that keep the server safe to start.
use std::path::PathBuf;

use serde_json::{json, Value};

use crate::mcp_conformance::McpServer;
use crate::serve::{raw, Raw};
use crate::util::{stderr_of, Env};

/// An environment with one indexed note.
fn indexed() -> (Env, PathBuf) {
    let env = Env::new();
    let notes = env.path("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(
        notes.join("tunnel.md"),
        "# Tunnel\n\nThe marmoset tunnel listens on port 51820.\n",
    )
    .unwrap();
    env.pai(&["index", "add"]).arg(&notes).assert().success();
    (env, notes)
}

const CLIENT: &str = r#"
import asyncio, json, os, httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

async def main():
    mode, key = os.environ["MODE"], os.environ.get("KEY")
    logs = []
    async def on_log(params):
        logs.append({"level": params.level, "data": params.data})
    http = httpx2.AsyncClient(headers={"Authorization": "Bearer " + key}) if key else None
    transport = streamable_http_client(os.environ["URL"], http_client=http)
    extra = {} if mode == "legacy" else {"log_level": "debug"}
    out = {}
    async with Client(transport, mode=mode, logging_callback=on_log, **extra) as c:
        out["era"] = "modern" if c.session.discover_result is not None else "handshake"
        if mode == "legacy":
            await c.set_logging_level("debug")
        listed = await c.list_prompts()
        out["prompts"] = [{"name": p.name, "description": p.description,
                           "arguments": [[a.name, a.required] for a in p.arguments or []]}
                          for p in listed.prompts]
        got = await c.get_prompt("reviewer", {"input": "def f(): return 1/0"})
        out["messages"] = [[m.role, m.content.text] for m in got.messages]
        try:
            await c.get_prompt("reviewr", {"input": "x"})
            out["unknown"] = None
        except Exception as e:
            out["unknown"] = str(e)
        r = await c.call_tool("search", {"query": "marmoset"})
        out["search"] = {"error": r.is_error, "text": r.content[0].text}
        r = await c.call_tool("read_note", {"path": "missing.md"})
        out["missing"] = r.is_error
    out["logs"] = logs
    print(json.dumps(out))

asyncio.run(main())
"#;

fn client(server: &McpServer, env: &Env, mode: &str, key: Option<&str>) -> Value {
    let mut cmd = std::process::Command::new(crate::mcp::python());
    cmd.env_clear()
        .env("HOME", env.home.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("MODE", mode)
        .env("URL", server.url())
        .args(["-c", CLIENT]);
    if let Some(key) = key {
        cmd.env("KEY", key);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "python failed in mode {mode}:\n{stdout}\n{}\n{}",
        stderr_of(&out),
        server.log_text()
    );
    serde_json::from_str(stdout.trim().lines().last().unwrap_or(""))
        .unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn check_client(out: &Value, era: &str) {
    assert_eq!(out["era"], era);
    let prompts = out["prompts"].as_array().unwrap();
    let names: Vec<&str> = prompts
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["reviewer", "sysadmin", "translator", "writer"]);
    assert!(prompts
        .iter()
        .all(|p| p["arguments"] == json!([["input", true]])));
    assert!(prompts
        .iter()
        .all(|p| !p["description"].as_str().unwrap().is_empty()));
    let messages = out["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0][1]
        .as_str()
        .unwrap()
        .contains("careful reviewer"));
    assert_eq!(messages[1], json!(["user", "def f(): return 1/0"]));
    let unknown = out["unknown"]
        .as_str()
        .expect("an unknown prompt is an error");
    assert!(unknown.contains("reviewer"), "{unknown}");
    assert_eq!(out["search"]["error"], false);
    assert!(out["search"]["text"]
        .as_str()
        .unwrap()
        .contains("tunnel.md"));
    assert_eq!(out["missing"], true);
    let logs = out["logs"].as_array().unwrap();
    assert!(
        logs.iter().any(|l| l["level"] == "debug"
            && l["data"].as_str().unwrap().contains("tool search answered")),
        "{logs:?}"
    );
    assert!(
        logs.iter().any(|l| l["level"] == "warning"
            && l["data"]
                .as_str()
                .unwrap()
                .contains("tool read_note failed")),
        "{logs:?}"
    );
}

#[test]
fn the_official_client_gets_prompts_logs_and_tools_over_http_in_both_eras() {
    let (env, _) = indexed();
    let server = McpServer::start(&env, &[]);
    check_client(&client(&server, &env, "legacy", None), "handshake");
    check_client(&client(&server, &env, "auto", None), "modern");
}

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#;

fn post(port: u16, headers: &[(&str, &str)], body: &str) -> Raw {
    let mut all = vec![
        ("Content-Type", "application/json"),
        ("Accept", "application/json, text/event-stream"),
    ];
    for (k, v) in headers {
        all.retain(|(name, _)| !name.eq_ignore_ascii_case(k));
        all.push((k, v));
    }
    raw(port, "POST", "/mcp", &all, body.as_bytes()).expect("the server answers")
}

fn said(r: &Raw) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

#[test]
fn other_hosts_and_pages_are_refused_and_sessions_follow_the_transport() {
    let env = Env::new();
    let server = McpServer::start(&env, &[]);
    let port = server.port;
    let r = post(port, &[("Host", "evil.example")], INITIALIZE);
    assert_eq!(r.status, 403, "{}", said(&r));
    assert!(said(&r).contains("Host header 'evil.example'"));
    let r = post(port, &[("Origin", "http://evil.example")], INITIALIZE);
    assert_eq!(r.status, 403, "{}", said(&r));
    assert!(said(&r).contains("--allow-origin"));
    let own = format!("http://localhost:{port}");
    let host = format!("localhost:{port}");
    let r = post(port, &[("Origin", &own), ("Host", &host)], INITIALIZE);
    assert_eq!(r.status, 200, "{}", said(&r));
    let session = r.header("mcp-session-id").expect("a session id");
    assert!(session.len() >= 32, "{session}");
    let list = r#"{"jsonrpc":"2.0","id":2,"method":"prompts/list"}"#;
    let with_session = [("Mcp-Session-Id", session.as_str())];
    let r = post(port, &with_session, list);
    assert_eq!(r.status, 200, "{}", said(&r));
    let answer: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(answer["result"]["prompts"][0]["name"], "reviewer");
    let note = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
    assert_eq!(post(port, &with_session, note).status, 202);
    assert_eq!(post(port, &[], list).status, 400);
    assert_eq!(post(port, &[("Mcp-Session-Id", "nope")], list).status, 404);
    assert_eq!(
        post(port, &[("Content-Type", "text/plain")], list).status,
        415
    );
    assert_eq!(post(port, &[("Accept", "text/html")], list).status, 406);
    let old = [("MCP-Protocol-Version", "1999-01-01"), with_session[0]];
    assert_eq!(post(port, &old, list).status, 400);
    let r = post(port, &with_session, "{not json");
    assert_eq!(r.status, 400, "{}", said(&r));
    assert_eq!(raw(port, "GET", "/mcp", &[], b"").unwrap().status, 405);
    assert_eq!(raw(port, "GET", "/other", &[], b"").unwrap().status, 404);
    let r = raw(port, "DELETE", "/mcp", &with_session, b"").unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(post(port, &with_session, list).status, 404);
}

#[test]
fn off_loopback_a_key_is_required_and_checked() {
    let env = Env::new();
    let out = env
        .pai(&["mcp", "--http", "--host", "0.0.0.0", "--port", "1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("refusing to listen on 0.0.0.0:1 without an API key"),
        "{}",
        stderr_of(&out)
    );
    let (env, _) = indexed();
    let key_file = env.write("key", "s3cret\n");
    let key_arg = key_file.display().to_string();
    let server = McpServer::start(&env, &["--host", "0.0.0.0", "--api-key-file", &key_arg]);
    let r = post(server.port, &[], INITIALIZE);
    assert_eq!(r.status, 401, "{}", said(&r));
    assert!(r.header("www-authenticate").is_some());
    let r = post(
        server.port,
        &[("Authorization", "Bearer wrong")],
        INITIALIZE,
    );
    assert_eq!(r.status, 401);
    assert!(said(&r).contains("wrong"));
    let r = post(
        server.port,
        &[("Authorization", "Bearer s3cret")],
        INITIALIZE,
    );
    assert_eq!(r.status, 200, "{}", said(&r));
    check_client(
        &client(&server, &env, "legacy", Some("s3cret")),
        "handshake",
    );
}

#[test]
fn a_port_in_use_is_one_sentence_and_a_failure() {
    let env = Env::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = env
        .pai(&["mcp", "--http", "--port", &port])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr_of(&out);
    assert!(
        err.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{err}"
    );
    let out = env.pai(&["mcp", "--port", "9"]).output().unwrap();
    assert!(!out.status.success(), "--port without --http is refused");
}
