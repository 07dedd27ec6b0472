//! The settings of `pai agent`: what its tools may do without asking, and the MCP servers
//! whose tools it offers.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `[mcp]`: MCP servers whose tools `pai agent` offers, as `NAME.tool`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct McpSettings {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub servers: BTreeMap<String, McpServerConfig>,
}

/// `[mcp.servers.NAME]`: a server started over stdio for each agent run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct McpServerConfig {
    pub command: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Variables set for it, besides pai's own environment.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
}

/// `[agent]`: what `pai agent`'s tools may do without asking. Each entry is a tool's name
/// (`run`, `edit`, `read`, an MCP server's `NAME.tool`) or a tool and a path glob
/// (`edit:docs/**`, `read:/etc/**`), the glob matched against the path relative to the working
/// folder (or absolute outside it). `deny` wins over `ask`, `ask` over `allow`; a tool no entry
/// names is allowed when it only reads and asked for otherwise.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AgentSettings {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ask: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<String>,
}
