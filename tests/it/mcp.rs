//! `pai mcp` over stdio, driven by the official Python `mcp` package (in a venv the tests make
//! once under target/tmp) in each of its connection modes, and by raw lines for what a
//! well-behaved client never sends. Notes are indexed with the real binary; the `context`
//! tool reads SmolLM2's tokenizer, as `pai context` does.
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;

use serde_json::{json, Value};

use crate::util::Env;

/// The venv's python with `mcp` installed, made once per test run and kept between runs.
pub fn python() -> PathBuf {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    PYTHON
        .get_or_init(make_venv)
        .clone()
        .unwrap_or_else(|e| panic!("cannot make the Python venv with the mcp package: {e}"))
}

fn make_venv() -> Result<PathBuf, String> {
    crate::util::venv(
        "mcp-venv",
        "mcp",
        "from mcp import Client, StdioServerParameters",
    )
}

/// An environment with SmolLM2 as the default model, `notes/` indexed, `notes_evil/` beside
/// it (not indexed), `secret/` indexed as private, a link out of `notes/`, and `out/` outside
/// everything.
struct Notes {
    env: Env,
    root: PathBuf,
}

fn notes() -> Notes {
    let env = Env::with_smol();
    let root = std::fs::canonicalize(env.home.path()).unwrap();
    for d in ["notes", "notes/diary", "notes_evil", "secret", "out"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    let w = |p: &str, t: &str| std::fs::write(root.join(p), t).unwrap();
    w(
        "notes/wireguard.md",
        "# Wireguard\n\nThe tunnel to the office listens on port 51820 (marmoset).\n\n## Keys\n\nRotate keys every spring.\n",
    );
    w(
        "notes/odd.md",
        "# Odd\n\nmarmoset \x1b]2;PWNED\x07 \x1b[2J title \u{9b}31m and a bell \x07 here\n",
    );
    w("notes_evil/x.md", "marmoset from the look-alike folder\n");
    // Indexed (under the 1 MiB cap) but larger than one result may be.
    let long: String = (1..=6000)
        .map(|i| format!("line {i} of the long note\n"))
        .collect();
    w("notes/long.txt", &long);
    w("secret/diary.md", "marmoset in the private diary\n");
    w(
        "notes/diary/today.md",
        "marmoset in the nested private diary\n",
    );
    w("out/outside.md", "marmoset outside every source\n");
    std::os::unix::fs::symlink(root.join("out/outside.md"), root.join("notes/link.md")).unwrap();
    // Too big to index, and big enough to break a naive reader.
    w(
        "notes/huge.txt",
        &"marmoset line\n".repeat(5 * 1024 * 1024 / 14),
    );
    env.pai(&["index", "add"])
        .arg(root.join("notes"))
        .assert()
        .success();
    env.pai(&["index", "add", "--private"])
        .arg(root.join("secret"))
        .arg(root.join("notes/diary"))
        .assert()
        .success();
    Notes { env, root }
}

impl Notes {
    /// Runs a Python script with `MODE`, `PAI` (the binary) and `ROOT` set; the script prints
    /// one JSON object, returned.
    fn python(&self, mode: &str, script: &str) -> Value {
        let mut cmd = std::process::Command::new(python());
        cmd.env_clear()
            .env("PAI_HOME", self.env.home.path())
            .env("HOME", self.env.home.path())
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("MODE", mode)
            .env("PAI", assert_cmd::cargo::cargo_bin("pai"))
            .env("ROOT", &self.root)
            .args(["-c", script]);
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "python failed in mode {mode}:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_str(stdout.trim().lines().last().unwrap_or(""))
            .unwrap_or_else(|e| panic!("{e}: {stdout}"))
    }
}

const CLIENT: &str = r#"
import asyncio, json, os
from mcp import Client, StdioServerParameters

async def main():
    params = StdioServerParameters(command=os.environ["PAI"], args=["mcp"], env=dict(os.environ))
    root = os.environ["ROOT"]
    out = {}
    async with Client(params, mode=os.environ["MODE"]) as c:
        out["era"] = "modern" if c.session.discover_result is not None else "handshake"
        tools = await c.list_tools()
        out["tools"] = sorted(t.name for t in tools.tools)
        out["search_schema"] = next(t.input_schema for t in tools.tools if t.name == "search")
        r = await c.call_tool("search", {"query": "marmoset", "limit": 20})
        out["search"] = {"error": r.is_error, "text": r.content[0].text, "structured": r.structured_content}
        r = await c.call_tool("read_note", {"path": "wireguard.md", "start_line": 3, "end_line": 3})
        out["read"] = {"error": r.is_error, "text": r.content[0].text}
        r = await c.call_tool("read_note", {"path": root + "/notes/wireguard.md"})
        out["read_abs"] = {"error": r.is_error, "text": r.content[0].text}
        r = await c.call_tool("read_note", {"path": "note://" + root + "/notes/wireguard.md"})
        out["read_uri"] = {"error": r.is_error, "text": r.content[0].text}
        refused = {}
        for name, path in [
            ("dotdot", "../notes_evil/x.md"),
            ("dotdot_abs", root + "/notes/../out/outside.md"),
            ("absolute", root + "/out/outside.md"),
            ("etc", "/etc/passwd"),
            ("lookalike", root + "/notes_evil/x.md"),
            ("symlink", "link.md"),
            ("private", root + "/secret/diary.md"),
            ("private_rel", "../secret/diary.md"),
            ("private_nested", "diary/today.md"),
            ("private_nested_abs", root + "/notes/diary/today.md"),
            ("not_indexed", "huge.txt"),
        ]:
            r = await c.call_tool("read_note", {"path": path})
            refused[name] = {"error": r.is_error, "text": r.content[0].text}
        out["refused"] = refused
        r = await c.call_tool("context", {"question": "which port does the wireguard tunnel use? marmoset"})
        out["context"] = {"error": r.is_error, "text": r.content[0].text}
        remembered = []
        for text in ["My locker code at the climbing gym is 4417.", "I use vim\x1b[0m daily\x07."]:
            r = await c.call_tool("remember", {"text": text})
            remembered.append({"error": r.is_error, "text": r.content[0].text, "structured": r.structured_content})
        out["remember"] = remembered
        r = await c.call_tool("recall", {"query": "what is my gym locker code?"})
        out["recall"] = {"error": r.is_error, "text": r.content[0].text, "structured": r.structured_content}
        r = await c.call_tool("recall", {"query": "vim"})
        out["recall_vim"] = r.content[0].text
        r = await c.call_tool("context", {"question": "what is my locker code at the climbing gym?"})
        out["context_memory"] = r.content[0].text
        resources = await c.list_resources()
        out["resources"] = sorted(str(x.uri) for x in resources.resources)
        wg = next(str(x.uri) for x in resources.resources if str(x.uri).endswith("wireguard.md"))
        read = await c.read_resource(wg)
        out["resource_text"] = read.contents[0].text
        errors = {}
        for name, uri in [
            ("private", "note://" + root + "/secret/diary.md"),
            ("private_nested", "note://" + root + "/notes/diary/today.md"),
            ("outside", "note://" + root + "/out/outside.md"),
            ("other_scheme", "file://" + root + "/notes/wireguard.md"),
        ]:
            try:
                await c.read_resource(uri)
                errors[name] = None
            except Exception as e:
                errors[name] = getattr(e, "code", str(e))
        out["resource_errors"] = errors
        try:
            await c.call_tool("no_such_tool", {})
            out["unknown_tool"] = None
        except Exception as e:
            out["unknown_tool"] = getattr(e, "code", str(e))
    print(json.dumps(out))

asyncio.run(main())
"#;

fn check_client(notes: &Notes, mode: &str, era: &str) {
    let out = notes.python(mode, CLIENT);
    let root = notes.root.display().to_string();
    assert_eq!(out["era"], era, "{mode}");
    assert_eq!(
        out["tools"],
        json!(["context", "read_note", "recall", "remember", "search"])
    );
    assert_eq!(out["search_schema"]["required"], json!(["query"]));

    let search = &out["search"];
    assert_eq!(search["error"], false);
    let text = search["text"].as_str().unwrap();
    assert!(text.contains("wireguard.md:"), "{text}");
    assert!(text.contains(&format!("source: {root}/notes")), "{text}");
    for leak in ["private diary", "look-alike", "outside every source"] {
        assert!(!text.contains(leak), "{mode}: search served {leak}: {text}");
    }
    assert!(!text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t'));
    let results = search["structured"]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .all(|r| r["source"] == json!(format!("{root}/notes"))));
    assert!(results
        .iter()
        .any(|r| r["title"] == "Wireguard" && r["lines"].is_string()));

    assert_eq!(out["read"]["error"], false);
    let read = out["read"]["text"].as_str().unwrap();
    assert!(read.contains("port 51820"), "{read}");
    assert!(!read.contains("Rotate keys"), "{read}");
    assert!(out["read_uri"]["text"]
        .as_str()
        .unwrap()
        .contains("Rotate keys"));
    assert!(out["read_abs"]["text"]
        .as_str()
        .unwrap()
        .contains("Rotate keys"));

    for (name, r) in out["refused"].as_object().unwrap() {
        assert_eq!(r["error"], true, "{mode}: {name} was served: {r}");
        assert!(!r["text"].as_str().unwrap().contains("marmoset"), "{name}");
    }

    let context = out["context"]["text"].as_str().unwrap();
    assert_eq!(out["context"]["error"], false);
    // The prompt as the model reads it: SmolLM2's chat template, the moment in the system turn.
    assert!(
        context.contains("<|im_start|>system") && context.contains("<moment>"),
        "{context}"
    );
    assert!(context.contains("port 51820"), "{context}");
    assert!(!context.contains("private diary") && !context.contains("outside every source"));

    check_memory(notes, &out, mode);

    let resources = out["resources"].as_array().unwrap();
    assert!(resources.contains(&json!(format!("note://{root}/notes/wireguard.md"))));
    assert!(resources.iter().all(|r| r
        .as_str()
        .unwrap()
        .starts_with(&format!("note://{root}/notes/"))
        && !r.as_str().unwrap().ends_with("link.md")));
    assert!(out["resource_text"]
        .as_str()
        .unwrap()
        .contains("Rotate keys"));
    for (name, code) in out["resource_errors"].as_object().unwrap() {
        assert_eq!(code, -32602, "{mode}: resource {name}");
    }
    assert_eq!(out["unknown_tool"], -32602);
}

/// `remember` then `recall` through the client; the fact reaches `context` and `pai memory`.
fn check_memory(notes: &Notes, out: &Value, mode: &str) {
    for r in out["remember"].as_array().unwrap() {
        assert_eq!(r["error"], false, "{mode}: {r}");
        assert!(r["text"]
            .as_str()
            .unwrap()
            .starts_with("remembered as memory "));
    }
    let id = &out["remember"][0]["structured"]["id"];
    let recall = &out["recall"];
    assert_eq!(recall["error"], false);
    let memories = recall["structured"]["memories"].as_array().unwrap();
    assert_eq!(memories.len(), 1, "{mode}: {recall}");
    assert_eq!(&memories[0]["id"], id);
    assert_eq!(memories[0]["source"], "mcp");
    assert!(recall["text"].as_str().unwrap().contains("4417"));
    let vim = out["recall_vim"].as_str().unwrap();
    assert!(vim.contains("I use vim[0m daily."), "{mode}: {vim}");
    assert!(!vim.chars().any(|c| c.is_control() && c != '\n'));
    let context = out["context_memory"].as_str().unwrap();
    assert!(
        context.contains("<memories") && context.contains("4417"),
        "{context}"
    );
    let listed = crate::util::json_of(
        &notes
            .env
            .pai(&["memory", "list", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
}

#[test]
fn the_legacy_handshake_lists_finds_reads_and_refuses() {
    check_client(&notes(), "legacy", "handshake");
}

#[test]
fn auto_mode_discovers_the_2026_era_and_works_the_same() {
    check_client(&notes(), "auto", "modern");
}

#[test]
fn a_client_pinned_to_2026_07_28_works_without_a_probe() {
    check_client(&notes(), "2026-07-28", "modern");
}

/// Raw lines in, every line out parsed: stdout carries nothing but protocol.
fn raw_session(notes: &Notes, lines: &[Vec<u8>]) -> Vec<Value> {
    let mut child = notes
        .env
        .std_command(&["mcp"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input: Vec<Vec<u8>> = lines.to_vec();
    let writer = std::thread::spawn(move || {
        for line in input {
            stdin.write_all(&line).unwrap();
            stdin.write_all(b"\n").unwrap();
        }
        // Dropping stdin closes it: the server must then exit 0.
    });
    let reader = BufReader::new(child.stdout.take().unwrap());
    let mut out = Vec::new();
    for line in reader.split(b'\n') {
        let line = line.unwrap();
        let text = String::from_utf8(line).expect("stdout is UTF-8");
        assert!(
            !text.chars().any(|c| c.is_control()),
            "a control character on stdout: {text:?}"
        );
        out.push(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")));
    }
    writer.join().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "pai mcp exited with {status}");
    out
}

fn request(id: u64, method: &str, params: Value) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
        .to_string()
        .into_bytes()
}

#[test]
fn raw_lines_bad_json_huge_lines_and_control_characters_never_break_the_stream() {
    let notes = notes();
    let root = notes.root.display().to_string();
    let mut huge = br#"{"jsonrpc":"2.0","id":90,"method":"tools/call","params":{"name":"search","arguments":{"query":""#.to_vec();
    huge.extend(std::iter::repeat_n(b'x', 5 * 1024 * 1024));
    huge.extend_from_slice(br#""}}}"#);
    let call = |id, name: &str, args: Value| {
        request(id, "tools/call", json!({"name": name, "arguments": args}))
    };
    let lines = vec![
        request(
            1,
            "initialize",
            json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}),
        ),
        br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.to_vec(),
        b"{not json".to_vec(),
        b"\x1b[2J\xff\xfe".to_vec(),
        b"[1,2]".to_vec(),
        huge,
        request(2, "no/such/method", json!({})),
        call(3, "search", json!({"query": "marmoset"})),
        call(4, "read_note", json!({"path": "odd.md"})),
        call(
            5,
            "read_note",
            json!({"path": format!("{root}/notes/huge.txt")}),
        ),
        call(6, "search", json!({"limit": "many"})),
        call(
            7,
            "read_note",
            json!({"path": "wireguard.md", "start_line": 0}),
        ),
        request(8, "ping", json!({})),
        call(9, "read_note", json!({"path": "long.txt"})),
        request(
            10,
            "resources/read",
            json!({"uri": format!("note://{root}/notes/long.txt")}),
        ),
    ];
    let out = raw_session(&notes, &lines);
    let by_id = |id: u64| {
        out.iter()
            .find(|m| m["id"] == json!(id))
            .unwrap_or_else(|| panic!("no answer to {id}: {out:?}"))
    };
    assert_eq!(by_id(1)["result"]["protocolVersion"], "2025-11-25");
    let nulls: Vec<i64> = out
        .iter()
        .filter(|m| m["id"].is_null())
        .map(|m| m["error"]["code"].as_i64().unwrap())
        .collect();
    // Bad JSON twice, a batch, and the 5 MB line.
    assert_eq!(nulls, vec![-32700, -32700, -32600, -32600]);
    assert_eq!(by_id(2)["error"]["code"], -32601);
    let found = by_id(3)["result"]["content"][0]["text"].as_str().unwrap();
    assert!(found.contains("odd.md"), "{found}");
    let odd = by_id(4)["result"]["content"][0]["text"].as_str().unwrap();
    assert!(odd.contains("]2;PWNED") && odd.contains("here"), "{odd}");
    assert_eq!(by_id(5)["result"]["isError"], true);
    assert_eq!(by_id(6)["result"]["isError"], true);
    assert_eq!(by_id(7)["result"]["isError"], true);
    assert_eq!(by_id(8)["result"], json!({}));
    let long = by_id(9)["result"]["content"][0]["text"].as_str().unwrap();
    assert!(long.len() <= 65 * 1024, "{}", long.len());
    assert!(
        long.contains("[cut: results are capped at 64 KiB]"),
        "{long}"
    );
    assert!(long.contains("[more: ask again with start_line "), "{long}");
    assert_eq!(by_id(9)["result"]["structuredContent"]["truncated"], true);
    let read = by_id(10)["result"]["contents"][0]["text"].as_str().unwrap();
    assert!(read.len() <= 65 * 1024 && read.contains("[cut: results"));
    assert_eq!(
        out.len(),
        14,
        "one answer per request, none for the notification"
    );
}

#[test]
fn the_2026_envelope_is_checked_and_initialize_is_refused_once_modern() {
    let notes = notes();
    let envelope = |v: &str| {
        json!({"_meta": {
            "io.modelcontextprotocol/protocolVersion": v,
            "io.modelcontextprotocol/clientCapabilities": {},
        }})
    };
    let lines = vec![
        request(1, "server/discover", envelope("2026-07-28")),
        request(2, "tools/list", json!({})),
        request(3, "tools/list", envelope("2099-01-01")),
        request(
            4,
            "initialize",
            json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}),
        ),
        request(5, "resources/list", envelope("2026-07-28")),
    ];
    let out = raw_session(&notes, &lines);
    assert_eq!(out.len(), 5);
    let discover = &out[0]["result"];
    assert_eq!(discover["supportedVersions"], json!(["2026-07-28"]));
    assert_eq!(discover["resultType"], "complete");
    assert_eq!(discover["cacheScope"], "private");
    assert_eq!(
        discover["_meta"]["io.modelcontextprotocol/serverInfo"]["name"],
        "pai"
    );
    assert_eq!(out[1]["error"]["code"], -32602);
    assert_eq!(out[2]["error"]["code"], -32022);
    assert_eq!(out[2]["error"]["data"]["supported"], json!(["2026-07-28"]));
    assert_eq!(out[3]["error"]["code"], -32022);
    let resources = out[4]["result"]["resources"].as_array().unwrap();
    assert!(!resources.is_empty());
    assert!(resources.iter().all(|r| {
        let uri = r["uri"].as_str().unwrap();
        uri.starts_with("note://")
            && !uri.contains("secret")
            && !uri.contains("diary")
            && !uri.ends_with("link.md")
    }));
    assert_eq!(out[4]["result"]["ttlMs"], 0);
}

fn tool_call(id: u64, name: &str, arguments: Value) -> Vec<u8> {
    request(
        id,
        "tools/call",
        json!({"name": name, "arguments": arguments}),
    )
}

/// A tool's failure as the client reads it: (kind, code, text).
fn tool_failure(answer: &Value) -> (String, i64, String) {
    let result = &answer["result"];
    assert_eq!(result["isError"], true, "{answer}");
    let error = &result["structuredContent"]["error"];
    (
        error["kind"].as_str().unwrap().to_string(),
        error["code"].as_i64().unwrap(),
        result["content"][0]["text"].as_str().unwrap().to_string(),
    )
}

#[test]
fn each_kind_of_failure_reads_as_its_code() {
    let notes = notes();
    let root = notes.root.display().to_string();
    let out = raw_session(
        &notes,
        &[
            tool_call(1, "search", json!({"query": "marmoset", "limit": "many"})),
            tool_call(2, "read_note", json!({"path": "/etc/passwd"})),
            tool_call(3, "read_note", json!({"path": "huge.txt"})),
            tool_call(
                4,
                "read_note",
                json!({"path": "wireguard.md", "start_line": 5, "end_line": 2}),
            ),
            tool_call(5, "remember", json!({"text": "x".repeat(4001)})),
            tool_call(6, "no_such_tool", json!({})),
            request(
                7,
                "resources/read",
                json!({"uri": format!("note://{root}/out/outside.md")}),
            ),
        ],
    );
    assert_eq!(out.len(), 7);
    let invalid = ("invalid_params".to_string(), -32602);
    let not_found = ("not_found".to_string(), -32602);
    for (i, want) in [
        (0, &invalid),
        (1, &not_found),
        (2, &not_found),
        (3, &invalid),
        (4, &invalid),
    ] {
        let (kind, code, text) = tool_failure(&out[i]);
        assert_eq!((&kind, code), (&want.0, want.1), "answer {}: {text}", i + 1);
        assert!(!text.is_empty());
    }
    assert!(tool_failure(&out[0])
        .2
        .contains("limit must be an integer from 1 to 50"));
    assert!(tool_failure(&out[2]).2.contains("is not an indexed note"));
    assert_eq!(
        out[5]["error"]["code"], -32602,
        "an unknown tool is a protocol error"
    );
    assert!(out[5]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Unknown tool: no_such_tool"));
    assert_eq!(out[6]["error"]["code"], -32602);
    assert_eq!(
        out[6]["error"]["data"]["uri"],
        json!(format!("note://{root}/out/outside.md"))
    );
}

#[test]
fn without_an_index_or_a_model_tools_say_so_and_the_server_still_answers() {
    let env = Env::new();
    let notes = Notes {
        root: Path::new("/").to_path_buf(),
        env,
    };
    let out = raw_session(
        &notes,
        &[
            tool_call(1, "search", json!({"query": "x"})),
            request(2, "resources/list", json!({})),
            tool_call(3, "context", json!({"question": "x"})),
        ],
    );
    let (kind, code, text) = tool_failure(&out[0]);
    assert_eq!((kind.as_str(), code), ("unavailable", -32603));
    assert!(text.contains("pai index add"), "{text}");
    assert_eq!(out[1]["result"]["resources"], json!([]));
    let (kind, code, text) = tool_failure(&out[2]);
    assert_eq!((kind.as_str(), code), ("unavailable", -32603));
    assert!(
        text.contains("no model") && text.contains("pai model"),
        "the library's sentence and its hint: {text}"
    );
}

#[test]
fn a_damaged_index_is_the_users_to_fix_and_says_how() {
    let env = Env::new();
    std::fs::create_dir_all(env.path("index")).unwrap();
    env.write("index/pai-index.json", "{ not json");
    let notes = Notes {
        root: Path::new("/").to_path_buf(),
        env,
    };
    let out = raw_session(
        &notes,
        &[
            request(1, "resources/list", json!({})),
            tool_call(2, "read_note", json!({"path": "/etc/hosts"})),
        ],
    );
    assert_eq!(out[0]["error"]["code"], -32603, "{:?}", out[0]);
    let message = out[0]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("is damaged") && message.contains("add the folders again"),
        "{message}"
    );
    let (kind, code, _) = tool_failure(&out[1]);
    assert_eq!((kind.as_str(), code), ("unavailable", -32603));
}

/// The `context` tool shows the prompt `pai context` shows for the same question, settings,
/// profile, memories and notes: fitted to the same window, with the same cuts.
#[test]
fn the_context_tool_shows_what_pai_context_shows_fitted_to_the_window() {
    let notes = notes();
    let env = &notes.env;
    env.write("config.toml", "ctx = 256\n\n[sampling]\nmax_tokens = 64\n");
    env.write(
        "profile.md",
        "I run a homelab called marmot-net and write Rust.\n",
    );
    env.pai(&["remember", "The wireguard tunnel keys rotate every spring."])
        .assert()
        .success();
    let question = "which port does the wireguard tunnel use?";
    let ask = tool_call(1, "context", json!({"question": question}));
    // The context cell names the minute: another try covers a minute that turned between.
    for attempt in 1..=3 {
        let out = env.pai(&["context", "--json", question]).output().unwrap();
        assert!(out.status.success(), "{}", crate::util::stderr_of(&out));
        let cli = crate::util::json_of(&out);
        let answer = raw_session(&notes, std::slice::from_ref(&ask));
        let result = &answer[0]["result"];
        assert_eq!(result["isError"], false, "{result}");
        let text = result["content"][0]["text"].as_str().unwrap();
        let prompt = cli["prompt"].as_str().unwrap();
        if text != prompt && attempt < 3 {
            continue;
        }
        assert_eq!(text, prompt);
        let shown = &result["structuredContent"];
        assert_eq!(shown["window"], 256);
        for key in [
            "window",
            "answer_reserve",
            "prompt_tokens",
            "control_tokens",
            "sections",
            "memories",
            "cuts",
        ] {
            assert_eq!(shown[key], cli[key], "{key}");
        }
        assert!(
            !shown["cuts"].as_array().unwrap().is_empty(),
            "a 256-token window cuts something: {shown}"
        );
        let paths = |sources: &Value| -> Vec<Value> {
            sources
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["path"].clone())
                .collect()
        };
        assert_eq!(paths(&shown["sources"]), paths(&cli["sources"]));
        return;
    }
}

#[test]
fn over_stdio_roles_are_prompts_and_log_lines_come_before_their_answer_once_asked() {
    let notes = notes();
    let outside = json!({"name": "read_note", "arguments": {"path": "/etc/passwd"}});
    let out = raw_session(
        &notes,
        &[
            request(
                1,
                "initialize",
                json!({"protocolVersion": "2025-11-25", "capabilities": {},
                       "clientInfo": {"name": "t", "version": "1"}}),
            ),
            request(2, "prompts/list", json!({})),
            request(
                3,
                "prompts/get",
                json!({"name": "translator", "arguments": {"input": "Bonjour"}}),
            ),
            request(4, "tools/call", outside.clone()),
            request(5, "logging/setLevel", json!({"level": "warning"})),
            request(6, "tools/call", outside),
            request(
                7,
                "tools/call",
                json!({"name": "search", "arguments": {"query": "marmoset"}}),
            ),
        ],
    );
    assert_eq!(out.len(), 8, "seven answers and one log line: {out:?}");
    assert_eq!(
        out[0]["result"]["capabilities"]["prompts"],
        json!({"listChanged": false})
    );
    assert_eq!(out[0]["result"]["capabilities"]["logging"], json!({}));
    assert_eq!(out[1]["result"]["prompts"][2]["name"], "translator");
    let messages = &out[2]["result"]["messages"];
    assert!(messages[0]["content"]["text"]
        .as_str()
        .unwrap()
        .starts_with("You are a translator"));
    assert_eq!(messages[1]["content"]["text"], "Bonjour");
    assert_eq!(out[3]["id"], 4, "no log line before a level is set");
    assert_eq!(out[3]["result"]["isError"], true);
    assert_eq!(out[4]["result"], json!({}));
    assert_eq!(out[5]["method"], "notifications/message");
    assert_eq!(out[5]["params"]["level"], "warning");
    assert!(out[5]["params"]["data"]
        .as_str()
        .unwrap()
        .contains("tool read_note failed"));
    assert_eq!(out[6]["id"], 6);
    assert_eq!(out[7]["id"], 7, "a search's debug line stays below warning");
}
