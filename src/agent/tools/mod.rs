//! The agent's tools, one file each: what the model is told of them ([`specs`]), a call checked
//! and planned before anything runs ([`plan`]: arguments read, paths confined, an edit's diff
//! worked out, so that approval sees exactly what will happen), then carried out
//! ([`execute`]). Results are text for the model, capped and free of control characters.
mod edit;
mod files;
mod grep;
mod memory;
mod run;
mod search;

use std::time::Instant;

use serde_json::{json, Value};

use super::roots::Roots;
use crate::cancel::CancelToken;
use crate::index::Encoder;
use crate::paths::Paths;
use crate::tool::ToolSpec;

/// The most bytes of one result the model reads; the rest is cut with a note.
pub const MAX_RESULT: usize = 16 * 1024;

/// What the tools share during a run.
pub struct ToolCtx<'a> {
    pub paths: &'a Paths,
    pub roots: &'a Roots,
    pub encoder: &'a Encoder,
    pub cancel: &'a CancelToken,
    /// `run` may open network connections (`--net`).
    pub net: bool,
    /// When the run's time is up: a command is stopped then at the latest.
    pub deadline: Instant,
    /// The MCP servers started for the run.
    pub mcp: &'a [super::mcp::Server],
}

/// How a call ended, as the log and the step line say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// The tool ran and failed (a command's non-zero exit, no match, a bad argument).
    Error,
    /// Outside what the tool may touch.
    Refused,
    /// The policy or the user said no, or approval was needed and nobody could give it.
    Denied,
    Interrupted,
    Timeout,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error => "error",
            Outcome::Refused => "refused",
            Outcome::Denied => "denied",
            Outcome::Interrupted => "interrupted",
            Outcome::Timeout => "timeout",
        }
    }
}

/// A call's result.
#[derive(Debug, Clone)]
pub struct Output {
    /// What the model reads.
    pub text: String,
    pub outcome: Outcome,
    pub exit_status: Option<i32>,
    /// It holds text from a private source: the step that reads it stays on this machine.
    pub private: bool,
}

impl Output {
    pub fn ok(text: impl Into<String>) -> Self {
        Self::with(Outcome::Ok, text)
    }

    pub fn with(outcome: Outcome, text: impl Into<String>) -> Self {
        Self {
            text: cap(text.into()),
            outcome,
            exit_status: None,
            private: false,
        }
    }
}

/// What a tool may do, for the approval policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Reads only: runs at once unless the policy says otherwise.
    Reads,
    /// Changes something (a file, the memory) or runs a program: asks unless allowed.
    Acts,
}

/// A call checked and ready: what it touches and what to show before it runs.
pub struct Planned {
    pub reach: Reach,
    /// The file or folder it touches, for the policy's path globs.
    pub path: Option<std::path::PathBuf>,
    /// Its arguments in a few words, for the step line.
    pub short: String,
    /// What approval shows: the command, the diff.
    pub preview: Option<String>,
    action: Action,
}

enum Action {
    Read(files::Read),
    List(std::path::PathBuf),
    Grep(grep::Grep),
    Search(search::Search),
    Run(run::Run),
    Edit(edit::Edit),
    Remember(String),
    Recall(String),
    Mcp {
        server: usize,
        tool: String,
        args: Value,
    },
}

/// The tools offered to the model: pai's own, then each MCP server's as `NAME.tool`.
pub fn specs(mcp: &[super::mcp::Server]) -> Vec<ToolSpec> {
    let mut specs = builtin();
    for server in mcp {
        specs.extend(server.tools.iter().map(|t| ToolSpec {
            name: format!("{}.{}", server.name, t.name),
            ..t.clone()
        }));
    }
    specs
}

fn builtin() -> Vec<ToolSpec> {
    vec![
        search::spec(),
        files::read_spec(),
        files::list_spec(),
        grep::spec(),
        run::spec(),
        edit::spec(),
        memory::remember_spec(),
        memory::recall_spec(),
    ]
}

/// Reads and checks a call's arguments; an error is a sentence for the model.
pub fn plan(ctx: &ToolCtx, name: &str, args: &Value) -> Result<Planned, Output> {
    let planned = match name {
        "search" => search::plan(args),
        "read" => files::plan_read(ctx, args),
        "list" => files::plan_list(ctx, args),
        "grep" => grep::plan(ctx, args),
        "run" => run::plan(ctx, args),
        "edit" => edit::plan(ctx, args),
        "remember" => memory::plan_remember(args),
        "recall" => memory::plan_recall(args),
        other if other.contains('.') => plan_mcp(ctx, other, args),
        other => {
            return Err(Output::with(
                Outcome::Error,
                format!(
                    "there is no tool named {}; the tools are {}",
                    super::roots::clip(other),
                    names(ctx.mcp).join(", ")
                ),
            ))
        }
    };
    planned.map_err(|e| e.into_output())
}

/// Carries out a planned call.
pub fn execute(ctx: &ToolCtx, planned: Planned) -> Output {
    match planned.action {
        Action::Read(r) => files::read(ctx, &r),
        Action::List(p) => files::list(ctx, &p),
        Action::Grep(g) => grep::grep(ctx, &g),
        Action::Search(s) => search::search(ctx, &s),
        Action::Run(r) => run::run(ctx, &r),
        Action::Edit(e) => edit::apply(ctx, &e),
        Action::Remember(t) => memory::remember(ctx, &t),
        Action::Recall(q) => memory::recall(ctx, &q),
        Action::Mcp { server, tool, args } => call_mcp(ctx, server, &tool, &args),
    }
}

fn names(mcp: &[super::mcp::Server]) -> Vec<String> {
    specs(mcp).into_iter().map(|s| s.name).collect()
}

/// A call of an MCP server's tool: it may do anything, so it asks unless allowed.
fn plan_mcp(ctx: &ToolCtx, name: &str, args: &Value) -> Result<Planned, PlanError> {
    let (server, tool) = name.split_once('.').unwrap_or((name, ""));
    let found = ctx
        .mcp
        .iter()
        .position(|s| s.name == server && s.tools.iter().any(|t| t.name == tool));
    let Some(index) = found else {
        return Err(PlanError::Args(format!(
            "there is no tool named {}; the tools are {}",
            super::roots::clip(name),
            names(ctx.mcp).join(", ")
        )));
    };
    let shown = super::roots::clip(&args.to_string());
    Ok(Planned {
        reach: Reach::Acts,
        path: None,
        short: shown.clone(),
        preview: Some(format!("{} {shown}", super::roots::clip(name))),
        action: Action::Mcp {
            server: index,
            tool: tool.to_string(),
            args: args.clone(),
        },
    })
}

fn call_mcp(ctx: &ToolCtx, server: usize, tool: &str, args: &Value) -> Output {
    match ctx.mcp[server].call(tool, args) {
        Ok((text, false)) => Output::ok(text),
        Ok((text, true)) => Output::with(Outcome::Error, text),
        Err(e) => Output::with(Outcome::Error, e.to_string()),
    }
}

/// Why a call could not be planned.
#[derive(Debug)]
pub(crate) enum PlanError {
    /// A missing or wrong argument.
    Args(String),
    /// A path outside what the tool may touch.
    Outside(String),
}

impl PlanError {
    fn into_output(self) -> Output {
        match self {
            PlanError::Args(why) => Output::with(Outcome::Error, why),
            PlanError::Outside(why) => Output::with(Outcome::Refused, format!("refused: {why}")),
        }
    }
}

impl From<super::roots::Outside> for PlanError {
    fn from(o: super::roots::Outside) -> Self {
        PlanError::Outside(o.0)
    }
}

/// A required string argument.
fn text_arg<'v>(args: &'v Value, name: &str) -> Result<&'v str, PlanError> {
    args.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| PlanError::Args(format!("the argument \"{name}\" (a string) is missing")))
}

fn optional_text<'v>(args: &'v Value, name: &str) -> Option<&'v str> {
    args.get(name).and_then(Value::as_str)
}

/// An optional whole number (models send numbers as text too).
fn optional_count(args: &Value, name: &str) -> Result<Option<u64>, PlanError> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .map(Some)
            .ok_or_else(|| PlanError::Args(format!("\"{name}\" must be a whole number"))),
    }
}

/// A JSON Schema object with these properties, the `required` ones listed.
fn object(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required})
}

/// Text cut to [`MAX_RESULT`] bytes on a character boundary, control characters removed.
pub fn cap(text: String) -> String {
    let text = crate::render::sanitize(&text);
    if text.len() <= MAX_RESULT {
        return text;
    }
    let mut end = MAX_RESULT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n[cut: {} more bytes not shown]",
        &text[..end],
        text.len() - end
    )
}
