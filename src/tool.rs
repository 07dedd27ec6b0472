//! Tools a model may call and the calls it makes: what the agent offers, serve passes on, the
//! engines render or send and the store keeps. A neutral module like `message`, so that none of
//! those parts depends on another for it.
use serde::{Deserialize, Serialize};

/// A function the model may call: its name, what it does, and a JSON Schema of its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    /// A JSON Schema object; `{"type":"object","properties":{}}` for no arguments.
    pub parameters: serde_json::Value,
}

/// One call the model made. `arguments` is the JSON text as the model wrote it, so that what
/// was asked is what gets audited; [`ToolCall::parsed_arguments`] reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCall {
    /// Unique within the conversation; a tool message answers the call by this id.
    pub id: String,
    pub name: String,
    pub arguments: String,
}

impl ToolCall {
    pub fn parsed_arguments(&self) -> serde_json::Result<serde_json::Value> {
        serde_json::from_str(&self.arguments)
    }
}

/// Whether and which tool the model must call (OpenAI's `tool_choice`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ToolChoice {
    /// The model decides between calling tools and answering.
    #[default]
    Auto,
    /// The model answers; the tools are context only.
    None,
    /// The model calls at least one tool.
    Required,
    /// The model calls this tool.
    Named(String),
}

/// The tools offered for one generation and how they may be used.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tools {
    pub specs: Vec<ToolSpec>,
    pub choice: ToolChoice,
    /// Whether one answer may hold more than one call.
    pub parallel: bool,
}

impl Tools {
    /// True when the model may (or must) call one of them.
    pub fn callable(&self) -> bool {
        !self.specs.is_empty() && self.choice != ToolChoice::None
    }
}
