//! The Model Context Protocol's JSON-RPC layer, both eras, with no I/O: a line in, at most one
//! line out. The client's first request decides the connection's era, once, as the official
//! SDK's server does:
//! - **2025-11-25 and older** (the handshake era): `initialize` negotiates a version (the
//!   client's if known, else 2025-11-25), `notifications/initialized` follows, and requests
//!   carry no envelope. A request carrying the 2026 envelope on such a connection is an
//!   invalid request.
//! - **2026-07-28** (the per-request era): no handshake; every request carries
//!   `_meta["io.modelcontextprotocol/protocolVersion"]` and `.../clientCapabilities`,
//!   `server/discover` says what the server speaks, every result carries `resultType`
//!   and the `serverInfo` stamp in `_meta`, and cacheable results carry `ttlMs` and
//!   `cacheScope`. `initialize` there is answered with -32022 naming the served versions;
//!   `ping` no longer exists.
use std::time::Instant;

use serde_json::{json, Map, Value};

use super::logging::{Level, Log};

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;
pub const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;

pub const HANDSHAKE_VERSIONS: [&str; 4] = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];
pub const LATEST_HANDSHAKE: &str = "2025-11-25";
pub const MODERN_VERSIONS: [&str; 1] = ["2026-07-28"];

pub const PROTOCOL_VERSION_KEY: &str = "io.modelcontextprotocol/protocolVersion";
pub const CLIENT_CAPABILITIES_KEY: &str = "io.modelcontextprotocol/clientCapabilities";
pub const SERVER_INFO_KEY: &str = "io.modelcontextprotocol/serverInfo";
/// The 2026 era's opt-in to log notifications, per request (`logging/setLevel` is the
/// handshake era's).
pub const LOG_LEVEL_KEY: &str = "io.modelcontextprotocol/logLevel";

/// A request's params: always an object in MCP.
pub type Params = Map<String, Value>;

/// A JSON-RPC error.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }

    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }
}

/// What the server offers, independent of the era: results as the handshake era shapes them.
pub trait Backend {
    fn instructions(&self) -> &'static str;
    fn list_tools(&self) -> Value;
    /// A `CallToolResult`; errors of the tool itself come back inside it with `isError`.
    fn call_tool(&mut self, name: &str, arguments: &Map<String, Value>) -> Result<Value, RpcError>;
    fn list_resources(&mut self, cursor: Option<&str>) -> Result<Value, RpcError>;
    fn read_resource(&mut self, uri: &str) -> Result<Value, RpcError>;
    fn list_prompts(&mut self) -> Result<Value, RpcError>;
    fn get_prompt(&mut self, name: &str, arguments: &Map<String, Value>)
        -> Result<Value, RpcError>;
    /// Values for an argument of a prompt or a resource template, given what is typed so far,
    /// best first (`completion/complete`).
    fn complete(&mut self, target: &Completing, argument: &str, typed: &str) -> Vec<String>;
}

/// What `completion/complete` completes an argument of.
#[derive(Debug, Clone, PartialEq)]
pub enum Completing {
    Prompt(String),
    ResourceTemplate(String),
}

/// The most values one completion carries, as MCP says.
const MAX_COMPLETIONS: usize = 100;

#[derive(Debug, Clone, PartialEq)]
enum Era {
    Undecided,
    Handshake,
    Modern,
}

pub struct Session<B> {
    backend: B,
    era: Era,
    log: Log,
}

impl<B: Backend> Session<B> {
    pub fn new(backend: B) -> Self {
        Self {
            backend,
            era: Era::Undecided,
            log: Log::default(),
        }
    }

    /// The `notifications/message` lines due since the last call, to be sent before the
    /// answer they came with.
    pub fn take_notifications(&mut self) -> Vec<String> {
        self.log.take()
    }

    /// One incoming line; the response line (without newline), if any is due.
    pub fn handle_line(&mut self, line: &[u8]) -> Option<String> {
        let message = match parse_object(line) {
            Ok(m) => m,
            Err(e) => return Some(error_line(&Value::Null, &e)),
        };
        let id = message.get("id").cloned();
        if !message.contains_key("method")
            && (message.contains_key("result") || message.contains_key("error"))
        {
            // A response: this server sends no requests, so there is nothing to match.
            return None;
        }
        if let Some(id) = &id {
            if !(id.is_string() || id.is_i64() || id.is_u64()) {
                return Some(error_line(
                    &Value::Null,
                    &RpcError::new(
                        INVALID_REQUEST,
                        "Invalid request: id must be a string or an integer",
                    ),
                ));
            }
        }
        let reply_id = id.clone().unwrap_or(Value::Null);
        let (method, params) = match method_and_params(&message) {
            Ok(checked) => checked,
            // A notification is never answered, not even with an error.
            Err(e) => return id.map(|_| error_line(&reply_id, &e)),
        };
        let empty = Map::new();
        let params = params.unwrap_or(&empty);
        // Notifications (initialized, cancelled, …) need no answer; requests are answered in
        // order, so there is nothing in flight to cancel.
        id.as_ref()?;
        if self.era == Era::Undecided {
            self.era = if method != "initialize" && has_envelope(params) {
                Era::Modern
            } else {
                Era::Handshake
            };
        }
        let outcome = match self.era {
            Era::Modern => self.modern(method, params),
            _ => self.handshake(method, params),
        };
        Some(match outcome {
            Ok(result) => result_line(&reply_id, result),
            Err(e) => error_line(&reply_id, &e),
        })
    }

    fn handshake(&mut self, method: &str, params: &Map<String, Value>) -> Result<Value, RpcError> {
        if method != "initialize" && has_envelope(params) {
            return Err(RpcError::new(
                INVALID_REQUEST,
                "this connection serves the handshake protocol era; requests carrying the 2026-07-28 envelope are not accepted on it",
            ));
        }
        match method {
            "initialize" => {
                let asked = params.get("protocolVersion").and_then(Value::as_str);
                let Some(asked) = asked else {
                    return Err(RpcError::new(
                        INVALID_PARAMS,
                        "initialize needs params.protocolVersion (a string)",
                    ));
                };
                let version = if HANDSHAKE_VERSIONS.contains(&asked) {
                    asked
                } else {
                    LATEST_HANDSHAKE
                };
                Ok(json!({
                    "protocolVersion": version,
                    "capabilities": capabilities(),
                    "serverInfo": server_info(),
                    "instructions": self.backend.instructions(),
                }))
            }
            "ping" => Ok(json!({})),
            _ => self.common(method, params),
        }
    }

    fn modern(&mut self, method: &str, params: &Map<String, Value>) -> Result<Value, RpcError> {
        let supported = json!(MODERN_VERSIONS);
        if method == "initialize" {
            let mut data = json!({"supported": supported});
            if let Some(asked) = params.get("protocolVersion").and_then(Value::as_str) {
                data["requested"] = json!(asked);
            }
            return Err(RpcError::new(
                UNSUPPORTED_PROTOCOL_VERSION,
                "connection is serving the 2026-07-28 protocol; the initialize handshake is not accepted",
            )
            .with_data(data));
        }
        let meta = params.get("_meta").and_then(Value::as_object);
        let Some(meta) = meta else {
            return Err(RpcError::new(INVALID_PARAMS, format!("params._meta must be an object carrying the required '{PROTOCOL_VERSION_KEY}' and '{CLIENT_CAPABILITIES_KEY}' envelope keys")));
        };
        let missing: Vec<&str> = [PROTOCOL_VERSION_KEY, CLIENT_CAPABILITIES_KEY]
            .into_iter()
            .filter(|k| !meta.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            return Err(RpcError::new(
                INVALID_PARAMS,
                format!(
                    "params._meta is missing the required envelope key(s): {}",
                    missing.join(", ")
                ),
            ));
        }
        let Some(version) = meta.get(PROTOCOL_VERSION_KEY).and_then(Value::as_str) else {
            return Err(RpcError::new(
                INVALID_PARAMS,
                "the protocol-version envelope value must be a string",
            ));
        };
        if !MODERN_VERSIONS.contains(&version) {
            return Err(RpcError::new(
                UNSUPPORTED_PROTOCOL_VERSION,
                format!("unsupported protocol version: {version}"),
            )
            .with_data(json!({"supported": supported, "requested": version})));
        }
        let log_level = meta.get(LOG_LEVEL_KEY).and_then(Value::as_str);
        self.log.set_threshold(log_level.and_then(Level::parse));
        let (mut result, cacheable) = match method {
            "server/discover" => (
                json!({
                    "supportedVersions": supported,
                    "capabilities": capabilities(),
                    "instructions": self.backend.instructions(),
                }),
                true,
            ),
            "tools/list"
            | "resources/list"
            | "resources/read"
            | "resources/templates/list"
            | "prompts/list"
            | "prompts/get" => (self.common(method, params)?, true),
            _ => (self.common(method, params)?, false),
        };
        if let Value::Object(r) = &mut result {
            r.insert("resultType".into(), json!("complete"));
            if cacheable {
                // The notes change under the server, and they are this user's: never cache
                // across users, and re-fetch every time.
                r.insert("ttlMs".into(), json!(0));
                r.insert("cacheScope".into(), json!("private"));
            }
            r.insert("_meta".into(), json!({ SERVER_INFO_KEY: server_info() }));
        }
        Ok(result)
    }

    /// The methods both eras share, shaped as the handshake era wants them.
    fn common(&mut self, method: &str, params: &Map<String, Value>) -> Result<Value, RpcError> {
        match method {
            "tools/list" => Ok(self.backend.list_tools()),
            "tools/call" => {
                let Some(name) = params.get("name").and_then(Value::as_str) else {
                    return Err(RpcError::new(
                        INVALID_PARAMS,
                        "tools/call needs params.name (a string)",
                    ));
                };
                let arguments = arguments(params, method)?;
                self.call_tool(name, &arguments)
            }
            "resources/list" => {
                let cursor = match params.get("cursor") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(c)) => Some(c.as_str()),
                    Some(_) => {
                        return Err(RpcError::new(
                            INVALID_PARAMS,
                            "params.cursor must be a string",
                        ))
                    }
                };
                self.backend.list_resources(cursor)
            }
            "resources/read" => {
                let Some(uri) = params.get("uri").and_then(Value::as_str) else {
                    return Err(RpcError::new(
                        INVALID_PARAMS,
                        "resources/read needs params.uri (a string)",
                    ));
                };
                self.backend.read_resource(uri)
            }
            "resources/templates/list" => Ok(json!({"resourceTemplates": []})),
            "prompts/list" => self.backend.list_prompts(),
            "prompts/get" => {
                let Some(name) = params.get("name").and_then(Value::as_str) else {
                    return Err(RpcError::new(
                        INVALID_PARAMS,
                        "prompts/get needs params.name (a string)",
                    ));
                };
                let arguments = arguments(params, method)?;
                self.backend.get_prompt(name, &arguments)
            }
            "completion/complete" => self.complete(params),
            "logging/setLevel" => {
                let level = params.get("level").and_then(Value::as_str);
                let Some(level) = level.and_then(Level::parse) else {
                    return Err(RpcError::new(
                        INVALID_PARAMS,
                        format!(
                            "logging/setLevel needs params.level, one of: {}",
                            Level::names().join(", ")
                        ),
                    ));
                };
                self.log.set_level(level);
                Ok(json!({}))
            }
            _ => Err(RpcError::new(METHOD_NOT_FOUND, "Method not found").with_data(json!(method))),
        }
    }
}

impl<B: Backend> Session<B> {
    /// A tool call, logged: its time at `debug`, a failure at `warning` with the sentence the
    /// agent reads, so a person watching the client's log sees why without the transcript.
    fn call_tool(&mut self, name: &str, arguments: &Map<String, Value>) -> Result<Value, RpcError> {
        let started = Instant::now();
        let outcome = self.backend.call_tool(name, arguments);
        let ms = started.elapsed().as_millis();
        match &outcome {
            Ok(result) if result["isError"] == json!(true) => {
                let why = result["content"][0]["text"].as_str().unwrap_or("");
                self.log.send(
                    Level::Warning,
                    format!("tool {name} failed after {ms} ms: {why}"),
                );
            }
            Ok(_) => self
                .log
                .send(Level::Debug, format!("tool {name} answered in {ms} ms")),
            Err(e) => self
                .log
                .send(Level::Warning, format!("tools/call {name}: {}", e.message)),
        }
        outcome
    }
}

impl<B: Backend> Session<B> {
    /// `completion/complete`: `ref` (a prompt by name or a resource template by URI) and
    /// `argument` (`name`, `value`) checked, the backend's values cut to MCP's 100.
    fn complete(&mut self, params: &Map<String, Value>) -> Result<Value, RpcError> {
        let wrong =
            |what: &str| RpcError::new(INVALID_PARAMS, format!("completion/complete needs {what}"));
        let reference = params.get("ref").and_then(Value::as_object);
        let kind = reference
            .and_then(|r| r.get("type"))
            .and_then(Value::as_str);
        let field = |key: &str| {
            reference
                .and_then(|r| r.get(key))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let target = match (kind, field("name"), field("uri")) {
            (Some("ref/prompt"), Some(name), _) => Completing::Prompt(name),
            (Some("ref/resource"), _, Some(uri)) => Completing::ResourceTemplate(uri),
            _ => return Err(wrong("params.ref: {\"type\": \"ref/prompt\", \"name\": …} or {\"type\": \"ref/resource\", \"uri\": …}")),
        };
        let argument = params.get("argument").and_then(Value::as_object);
        let text = |key: &str| argument.and_then(|a| a.get(key)).and_then(Value::as_str);
        let (Some(name), Some(typed)) = (text("name"), text("value")) else {
            return Err(wrong(
                "params.argument: {\"name\": …, \"value\": …} (strings)",
            ));
        };
        let mut values = self.backend.complete(&target, name, typed);
        let total = values.len();
        values.truncate(MAX_COMPLETIONS);
        Ok(
            json!({"completion": {"values": values, "total": total, "hasMore": total > MAX_COMPLETIONS}}),
        )
    }
}

/// `params.arguments` of a tool call or a prompt: an object, or nothing (none).
fn arguments(params: &Map<String, Value>, method: &str) -> Result<Map<String, Value>, RpcError> {
    match params.get("arguments") {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(a)) => Ok(a.clone()),
        Some(_) => Err(RpcError::new(
            INVALID_PARAMS,
            format!("{method} params.arguments must be an object"),
        )),
    }
}

/// A line as a JSON-RPC message: one JSON object (MCP has no batches).
fn parse_object(line: &[u8]) -> Result<Map<String, Value>, RpcError> {
    match serde_json::from_slice(line) {
        Ok(Value::Object(message)) => Ok(message),
        Ok(Value::Array(_)) => Err(RpcError::new(
            INVALID_REQUEST,
            "Invalid request: batches are not part of MCP; send one message per line",
        )),
        Ok(_) => Err(RpcError::new(
            INVALID_REQUEST,
            "Invalid request: a message is a JSON object",
        )),
        Err(_) => Err(RpcError::new(PARSE_ERROR, "Parse error: not valid JSON")),
    }
}

/// The message's method and params (None when it has none), checked as JSON-RPC 2.0 wants.
fn method_and_params(message: &Map<String, Value>) -> Result<(&str, Option<&Params>), RpcError> {
    if message.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err(RpcError::new(
            INVALID_REQUEST,
            "Invalid request: jsonrpc must be \"2.0\"",
        ));
    }
    let Some(method) = message.get("method").and_then(Value::as_str) else {
        return Err(RpcError::new(
            INVALID_REQUEST,
            "Invalid request: method must be a string",
        ));
    };
    match message.get("params") {
        None | Some(Value::Null) => Ok((method, None)),
        Some(Value::Object(p)) => Ok((method, Some(p))),
        Some(_) => Err(RpcError::new(
            INVALID_PARAMS,
            "Invalid params: params must be an object",
        )),
    }
}

/// Whether params carry the 2026 envelope: the reserved protocol-version key in `_meta` (a
/// bare `_meta` is not evidence: handshake-era requests put `progressToken` there).
fn has_envelope(params: &Map<String, Value>) -> bool {
    params
        .get("_meta")
        .and_then(Value::as_object)
        .is_some_and(|m| m.contains_key(PROTOCOL_VERSION_KEY))
}

fn capabilities() -> Value {
    json!({
        "tools": {"listChanged": false},
        "resources": {"listChanged": false, "subscribe": false},
        "prompts": {"listChanged": false},
        "logging": {},
        "completions": {},
    })
}

fn server_info() -> Value {
    json!({"name": "pai", "version": env!("CARGO_PKG_VERSION")})
}

fn result_line(id: &Value, result: Value) -> String {
    json!({"jsonrpc": "2.0", "id": id, "result": result}).to_string()
}

pub fn error_line(id: &Value, e: &RpcError) -> String {
    let mut error = json!({"code": e.code, "message": e.message});
    if let Some(data) = &e.data {
        error["data"] = data.clone();
    }
    json!({"jsonrpc": "2.0", "id": id, "error": error}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;

    impl Backend for Fake {
        fn instructions(&self) -> &'static str {
            "fake"
        }
        fn list_tools(&self) -> Value {
            json!({"tools": []})
        }
        fn call_tool(&mut self, name: &str, _: &Map<String, Value>) -> Result<Value, RpcError> {
            Ok(json!({"content": [{"type": "text", "text": name}], "isError": false}))
        }
        fn list_resources(&mut self, _: Option<&str>) -> Result<Value, RpcError> {
            Ok(json!({"resources": []}))
        }
        fn read_resource(&mut self, uri: &str) -> Result<Value, RpcError> {
            Err(RpcError::new(
                INVALID_PARAMS,
                format!("Unknown resource: {uri}"),
            ))
        }
        fn list_prompts(&mut self) -> Result<Value, RpcError> {
            Ok(json!({"prompts": []}))
        }
        fn get_prompt(&mut self, name: &str, _: &Map<String, Value>) -> Result<Value, RpcError> {
            Err(RpcError::new(INVALID_PARAMS, format!("no prompt {name}")))
        }
        fn complete(&mut self, target: &Completing, _: &str, typed: &str) -> Vec<String> {
            match target {
                Completing::Prompt(_) => (0..150).map(|i| format!("{typed}{i}")).collect(),
                Completing::ResourceTemplate(_) => Vec::new(),
            }
        }
    }

    fn ask(s: &mut Session<Fake>, line: &str) -> Value {
        serde_json::from_str(&s.handle_line(line.as_bytes()).expect("an answer")).unwrap()
    }

    const ENVELOPE: &str = r#""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#;

    #[test]
    fn the_handshake_negotiates_and_refuses_the_envelope() {
        let mut s = Session::new(Fake);
        let r = ask(
            &mut s,
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
        );
        assert_eq!(r["result"]["protocolVersion"], "2025-06-18");
        assert!(s
            .handle_line(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            .is_none());
        let r = ask(
            &mut s,
            r#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"1999-01-01"}}"#,
        );
        assert_eq!(r["result"]["protocolVersion"], LATEST_HANDSHAKE);
        assert_eq!(
            ask(&mut s, r#"{"jsonrpc":"2.0","id":3,"method":"ping"}"#)["result"],
            json!({})
        );
        let r = ask(
            &mut s,
            &format!(r#"{{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{{{ENVELOPE}}}}}"#),
        );
        assert_eq!(r["error"]["code"], INVALID_REQUEST);
        let r = ask(
            &mut s,
            r#"{"jsonrpc":"2.0","id":"x","method":"tools/list"}"#,
        );
        assert_eq!(r["id"], "x");
        assert!(r["result"].get("resultType").is_none());
    }

    #[test]
    fn the_modern_era_stamps_results_and_refuses_initialize() {
        let mut s = Session::new(Fake);
        let r = ask(
            &mut s,
            &format!(
                r#"{{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{{{ENVELOPE}}}}}"#
            ),
        );
        let result = &r["result"];
        assert_eq!(result["supportedVersions"], json!(["2026-07-28"]));
        assert_eq!(result["resultType"], "complete");
        assert_eq!(result["ttlMs"], 0);
        assert_eq!(result["_meta"][SERVER_INFO_KEY]["name"], "pai");
        let r = ask(
            &mut s,
            &format!(
                r#"{{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{{"name":"search",{ENVELOPE}}}}}"#
            ),
        );
        assert_eq!(r["result"]["resultType"], "complete");
        assert!(r["result"].get("ttlMs").is_none());
        assert!(s.take_notifications().is_empty());
        ask(
            &mut s,
            &format!(
                r#"{{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{{"name":"search","_meta":{{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{{}},"{LOG_LEVEL_KEY}":"debug"}}}}}}"#
            ),
        );
        assert_eq!(s.take_notifications().len(), 1);
        let r = ask(
            &mut s,
            r#"{"jsonrpc":"2.0","id":3,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}"#,
        );
        assert_eq!(r["error"]["code"], UNSUPPORTED_PROTOCOL_VERSION);
        assert_eq!(r["error"]["data"]["requested"], "2025-11-25");
        let r = ask(&mut s, r#"{"jsonrpc":"2.0","id":4,"method":"tools/list"}"#);
        assert_eq!(r["error"]["code"], INVALID_PARAMS);
        let r = ask(
            &mut s,
            r#"{"jsonrpc":"2.0","id":5,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2030-01-01","io.modelcontextprotocol/clientCapabilities":{}}}}"#,
        );
        assert_eq!(r["error"]["code"], UNSUPPORTED_PROTOCOL_VERSION);
        assert_eq!(r["error"]["data"]["supported"], json!(["2026-07-28"]));
        let r = ask(
            &mut s,
            &format!(r#"{{"jsonrpc":"2.0","id":6,"method":"ping","params":{{{ENVELOPE}}}}}"#),
        );
        assert_eq!(r["error"]["code"], METHOD_NOT_FOUND);
    }

    #[test]
    fn set_level_turns_on_notifications_about_tool_calls() {
        let mut s = Session::new(Fake);
        let call = r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}"#;
        ask(&mut s, call);
        assert!(s.take_notifications().is_empty());
        let r = ask(
            &mut s,
            r#"{"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"debug"}}"#,
        );
        assert_eq!(r["result"], json!({}));
        ask(&mut s, call);
        let sent = s.take_notifications();
        assert_eq!(sent.len(), 1);
        let note: Value = serde_json::from_str(&sent[0]).unwrap();
        assert_eq!(note["method"], "notifications/message");
        assert_eq!(note["params"]["level"], "debug");
        let r = ask(
            &mut s,
            r#"{"jsonrpc":"2.0","id":3,"method":"logging/setLevel","params":{"level":"loud"}}"#,
        );
        assert_eq!(r["error"]["code"], INVALID_PARAMS);
        let r = ask(
            &mut s,
            r#"{"jsonrpc":"2.0","id":4,"method":"prompts/get","params":{}}"#,
        );
        assert_eq!(r["error"]["code"], INVALID_PARAMS);
    }

    #[test]
    fn completions_are_cut_to_a_hundred_and_their_params_checked() {
        let mut s = Session::new(Fake);
        let r = ask(
            &mut s,
            r#"{"jsonrpc":"2.0","id":1,"method":"completion/complete","params":{"ref":{"type":"ref/prompt","name":"p"},"argument":{"name":"a","value":"x"}}}"#,
        );
        let c = &r["result"]["completion"];
        assert_eq!(c["values"].as_array().unwrap().len(), 100);
        assert_eq!(c["values"][0], "x0");
        assert_eq!(
            (c["total"].as_u64(), c["hasMore"].as_bool()),
            (Some(150), Some(true))
        );
        let r = ask(
            &mut s,
            r#"{"jsonrpc":"2.0","id":2,"method":"completion/complete","params":{"ref":{"type":"ref/resource","uri":"t://{id}"},"argument":{"name":"id","value":""}}}"#,
        );
        assert_eq!(r["result"]["completion"]["values"], json!([]));
        for params in [
            r#"{"ref":{"type":"ref/prompt"},"argument":{"name":"a","value":"x"}}"#,
            r#"{"ref":{"type":"ref/tool","name":"p"},"argument":{"name":"a","value":"x"}}"#,
            r#"{"ref":{"type":"ref/prompt","name":"p"},"argument":{"name":"a"}}"#,
        ] {
            let line = format!(
                r#"{{"jsonrpc":"2.0","id":3,"method":"completion/complete","params":{params}}}"#
            );
            assert_eq!(
                ask(&mut s, &line)["error"]["code"],
                INVALID_PARAMS,
                "{params}"
            );
        }
    }

    #[test]
    fn malformed_messages_get_errors_not_crashes() {
        let mut s = Session::new(Fake);
        for (line, code) in [
            ("{", PARSE_ERROR),
            ("\u{1b}[2J", PARSE_ERROR),
            ("[]", INVALID_REQUEST),
            ("3", INVALID_REQUEST),
            (
                r#"{"jsonrpc":"2.0","id":{},"method":"ping"}"#,
                INVALID_REQUEST,
            ),
            (
                r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#,
                INVALID_REQUEST,
            ),
            (r#"{"jsonrpc":"2.0","id":1,"method":7}"#, INVALID_REQUEST),
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}"#,
                INVALID_PARAMS,
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"nope"}"#,
                METHOD_NOT_FOUND,
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}"#,
                INVALID_PARAMS,
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":3}}"#,
                INVALID_PARAMS,
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{}}"#,
                INVALID_PARAMS,
            ),
        ] {
            assert_eq!(ask(&mut s, line)["error"]["code"], code, "{line}");
        }
        assert!(s
            .handle_line(br#"{"jsonrpc":"2.0","id":9,"result":{}}"#)
            .is_none());
    }
}
