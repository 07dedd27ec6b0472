//! Why a tool call or a resource read failed, and how each kind of failure reads to the
//! client: decided here, once. Each kind has its JSON-RPC code. A resource method answers with
//! that error; a tool call answers with a result marked `isError` (so the agent reads the
//! sentence and can correct itself, docs/mcp.md) that names the kind and the same code.
use serde_json::{json, Value};

use super::protocol::{RpcError, INTERNAL_ERROR, INVALID_PARAMS};
use crate::error::{Error, Kind};
use crate::render::{sanitize, sanitize_line};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ToolError {
    /// The arguments are wrong: the client can fix them.
    #[error("{0}")]
    InvalidParams(String),
    /// What was asked for is nothing pai serves: an unknown tool or URI, or a file outside
    /// the indexed folders, in a private one, or not indexed.
    #[error("{0}")]
    NotFound(String),
    /// pai cannot answer as the user has set it up (no index yet, no model, a broken
    /// config.toml): the user has to act, not the client.
    #[error("{0}")]
    Unavailable(String),
    /// A failure neither the client nor the user caused.
    #[error("{0}")]
    Internal(String),
}

impl ToolError {
    /// The kind as a client reads it in a tool result.
    pub fn kind(&self) -> &'static str {
        match self {
            ToolError::InvalidParams(_) => "invalid_params",
            ToolError::NotFound(_) => "not_found",
            ToolError::Unavailable(_) => "unavailable",
            ToolError::Internal(_) => "internal",
        }
    }

    /// The JSON-RPC error code of this kind.
    pub fn code(&self) -> i64 {
        match self {
            ToolError::InvalidParams(_) | ToolError::NotFound(_) => INVALID_PARAMS,
            ToolError::Unavailable(_) | ToolError::Internal(_) => INTERNAL_ERROR,
        }
    }

    /// The JSON-RPC error a method answers with.
    pub fn into_rpc(self) -> RpcError {
        RpcError::new(self.code(), sanitize_line(&self.to_string()))
    }

    /// The `CallToolResult` a tool call answers with.
    pub fn into_tool_result(self) -> Value {
        json!({
            "content": [{"type": "text", "text": sanitize(&self.to_string())}],
            "structuredContent": {"error": {"kind": self.kind(), "code": self.code()}},
            "isError": true,
        })
    }
}

/// A library error as the client reads it: the sentence with its hints, since the agent has
/// no other way to learn what to do. The client's own mistakes are caught here before the
/// library is called, so whatever the library refuses is the user's setup (an index to
/// rebuild, a model to add, a config.toml to fix) unless it is a fault.
impl From<Error> for ToolError {
    fn from(e: Error) -> Self {
        let mut text = e.message;
        for hint in e.hints {
            text.push_str(&format!(" ({hint})"));
        }
        match e.kind {
            Kind::User
            | Kind::NotFound
            | Kind::TooLarge
            | Kind::Busy
            | Kind::Unavailable
            | Kind::Config => ToolError::Unavailable(text),
            Kind::Interrupted | Kind::Internal => ToolError::Internal(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_code_in_both_shapes() {
        let cases = [
            (ToolError::InvalidParams("limit".into()), INVALID_PARAMS),
            (ToolError::NotFound("x.md".into()), INVALID_PARAMS),
            (ToolError::Unavailable("no index".into()), INTERNAL_ERROR),
            (ToolError::Internal("broke".into()), INTERNAL_ERROR),
        ];
        for (e, code) in cases {
            assert_eq!(e.clone().into_rpc().code, code);
            let result = e.clone().into_tool_result();
            assert_eq!(result["isError"], true);
            assert_eq!(result["structuredContent"]["error"]["code"], code);
            assert_eq!(result["structuredContent"]["error"]["kind"], e.kind());
        }
    }

    #[test]
    fn library_errors_keep_their_hints_and_lose_control_characters() {
        let e: ToolError = Error::config("config.toml is \u{1b}[2Jbroken")
            .hint("run `pai config path`")
            .into();
        assert_eq!(e.kind(), "unavailable");
        let rpc = e.into_rpc();
        assert_eq!(
            rpc.message,
            "config.toml is [2Jbroken (run `pai config path`)"
        );
        let e: ToolError = Error::internal("a bug").into();
        assert_eq!(e.code(), INTERNAL_ERROR);
    }
}
