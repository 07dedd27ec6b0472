//! The MCP servers configured under `[mcp.servers.NAME]`, as a client over stdio: each server
//! started for the run (and killed when it ends), initialized, its tools listed and offered to
//! the model as `NAME.tool`, each call one `tools/call`. Newline-delimited JSON-RPC; a server
//! that does not answer within [`TIMEOUT`] is given up on, never waited for.
use std::cell::RefCell;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::config::McpServerConfig;
use crate::tool::ToolSpec;

/// How long a server has to answer one request.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// The protocol version pai asks for.
const VERSION: &str = "2025-06-18";

/// Why a server could not be used or a call failed: one sentence.
#[derive(Debug, thiserror::Error)]
#[error("MCP server '{server}': {why}")]
pub struct McpError {
    pub server: String,
    pub why: String,
}

/// One running server.
pub struct Server {
    pub name: String,
    child: Child,
    stdin: RefCell<ChildStdin>,
    lines: Receiver<String>,
    next_id: RefCell<u64>,
    /// Its tools as listed, under their own names.
    pub tools: Vec<ToolSpec>,
}

impl Server {
    /// Starts, initializes and lists the tools of `name`.
    pub fn start(name: &str, config: &McpServerConfig) -> Result<Self, McpError> {
        let fail = |why: String| McpError {
            server: name.to_string(),
            why,
        };
        let mut child = Command::new(&config.command)
            .args(&config.args)
            .envs(&config.env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| fail(format!("cannot start {}: {e}", config.command)))?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Self {
            name: name.to_string(),
            child,
            stdin: RefCell::new(stdin),
            lines,
            next_id: RefCell::new(1),
            tools: Vec::new(),
        };
        let hello = json!({"protocolVersion": VERSION, "capabilities": {},
                           "clientInfo": {"name": "pai", "version": env!("CARGO_PKG_VERSION")}});
        server.request("initialize", hello)?;
        server.notify("notifications/initialized")?;
        let listed = server.request("tools/list", json!({}))?;
        server.tools = tools_of(&listed);
        Ok(server)
    }

    /// Calls one of its tools; the text of its content, and whether it reported an error.
    pub fn call(&self, tool: &str, arguments: &Value) -> Result<(String, bool), McpError> {
        let result = self.request("tools/call", json!({"name": tool, "arguments": arguments}))?;
        let text = result
            .get("content")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get("text").and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        let is_error = result
            .get("isError")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        Ok((text, is_error))
    }

    fn fail(&self, why: impl Into<String>) -> McpError {
        McpError {
            server: self.name.clone(),
            why: why.into(),
        }
    }

    fn send(&self, message: &Value) -> Result<(), McpError> {
        let mut stdin = self.stdin.borrow_mut();
        writeln!(stdin, "{message}")
            .and_then(|_| stdin.flush())
            .map_err(|e| self.fail(format!("it stopped reading: {e}")))
    }

    fn notify(&self, method: &str) -> Result<(), McpError> {
        self.send(&json!({"jsonrpc": "2.0", "method": method}))
    }

    /// Sends a request and waits for the answer with its id; other lines are skipped.
    fn request(&self, method: &str, params: Value) -> Result<Value, McpError> {
        let id = {
            let mut next = self.next_id.borrow_mut();
            *next += 1;
            *next
        };
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        let until = Instant::now() + TIMEOUT;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).map_err(|_| {
                self.fail(format!(
                    "no answer to {method} within {} s",
                    TIMEOUT.as_secs()
                ))
            })?;
            let Ok(message) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            if message.get("id").and_then(Value::as_u64) != Some(id) {
                continue;
            }
            if let Some(error) = message.get("error") {
                let text = error
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("an error");
                return Err(self.fail(format!(
                    "{method} failed: {}",
                    crate::render::sanitize_line(text)
                )));
            }
            return Ok(message.get("result").cloned().unwrap_or(Value::Null));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The tools of a `tools/list` result.
fn tools_of(listed: &Value) -> Vec<ToolSpec> {
    let Some(list) = listed.get("tools").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|t| {
            Some(ToolSpec {
                name: t.get("name")?.as_str()?.to_string(),
                description: t
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                parameters: t
                    .get("inputSchema")
                    .cloned()
                    .unwrap_or_else(|| json!({"type": "object", "properties": {}})),
            })
        })
        .collect()
}

/// Every configured server, started; one that fails is left out with a note.
pub fn start_all(
    servers: &std::collections::BTreeMap<String, McpServerConfig>,
) -> (Vec<Server>, Vec<String>) {
    let mut started = Vec::new();
    let mut notes = Vec::new();
    for (name, config) in servers {
        match Server::start(name, config) {
            Ok(s) => started.push(s),
            Err(e) => notes.push(format!("{e}; its tools are not offered")),
        }
    }
    (started, notes)
}
