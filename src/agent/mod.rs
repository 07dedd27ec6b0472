//! `pai agent`: a loop around the one request path. Each step is one request to the model the
//! router picks (with the tools offered); its answer is either the final answer or tool calls,
//! which run here (confined by [`roots`], approved by [`approval`], commands in the sandbox),
//! and whose results join the conversation for the next step. Every model call and tool call
//! is a row of the audit log (`store::agent`), and the conversation, tool messages included,
//! is kept in the history. Nothing here prints: the front end shows steps and asks for
//! approval through [`Front`].
pub mod approval;
pub mod fit;
pub mod r#loop;
pub mod mcp;
pub mod offer;
pub mod roots;
pub mod route;
pub mod tools;

use std::path::PathBuf;
use std::time::Duration;

pub use r#loop::run;

/// The system prompt of every run.
pub const PROMPT: &str = include_str!("../../prompts/agent.txt");

/// What a run is asked to do and within what.
#[derive(Debug, Clone)]
pub struct Task {
    pub text: String,
    /// The working folder: what `read` and `list` start from, the only place `edit` and
    /// `run` may write.
    pub folder: PathBuf,
    pub limits: Limits,
    /// Approve every call that would ask (`--yes`); the policy's `deny` still holds.
    pub yes: bool,
    /// Commands may open network connections (`--net`).
    pub net: bool,
}

#[derive(Debug, Clone)]
pub struct Limits {
    pub max_steps: u32,
    pub time: Duration,
    /// Prompt and generated tokens of all steps together.
    pub tokens: Option<u64>,
}

/// What the front end does during a run.
pub trait Front {
    /// A step finished (a model call or a tool call).
    fn step(&self, step: &Step);
    /// A change about to be made (an edit's diff), shown whether or not it asks.
    fn preview(&self, text: &str);
    /// Asks the user whether to go ahead; `None` when there is nobody to ask.
    fn confirm(&self, question: &str) -> Option<bool>;
}

/// One model call or tool call, as the step line and `--json` show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Step {
    pub step: u32,
    /// `model` or `tool`.
    pub kind: &'static str,
    /// The tool, or the model.
    pub name: String,
    /// The arguments in a few words.
    pub short: String,
    pub outcome: String,
    pub approval: &'static str,
    pub tier: String,
    pub ms: f64,
    /// Bytes of the result (tool) or tokens generated (model).
    pub size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_status: Option<i32>,
    /// A model step's figures from the engine, for `benches/agent-steps.sh`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<EngineFigures>,
}

/// What the engine reports of one model step.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct EngineFigures {
    pub prompt_tokens: usize,
    /// Prompt tokens whose cache was kept from the step before and not read again.
    pub reused_tokens: usize,
    /// Reading the prompt: the step's time to its first token, less one token's sampling.
    pub prompt_ms: f64,
    pub generation_ms: f64,
}

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ended {
    Answered,
    MaxSteps,
    TimeLimit,
    TokenBudget,
    Interrupted,
}

impl Ended {
    pub fn as_str(self) -> &'static str {
        match self {
            Ended::Answered => "answered",
            Ended::MaxSteps => "max_steps",
            Ended::TimeLimit => "time_limit",
            Ended::TokenBudget => "token_budget",
            Ended::Interrupted => "interrupted",
        }
    }
}

/// A finished run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Run {
    pub id: i64,
    pub conversation: i64,
    pub answer: String,
    pub ended: Ended,
    pub steps: Vec<Step>,
    /// Prompt and generated tokens of every step.
    pub tokens: u64,
    pub tier: String,
    pub reason: String,
    /// pai's own time in the loop, model and tools aside (loading, reading the prompt,
    /// generating, a remote call's wait and the tools' own time are left out).
    pub own_ms: f64,
}
