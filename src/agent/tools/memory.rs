//! `remember` and `recall`: the facts pai keeps for the user (`pai memory`).
use serde_json::{json, Value};

use super::{object, text_arg, Action, Outcome, Output, PlanError, Planned, Reach, ToolCtx};
use crate::store::Store;
use crate::tool::ToolSpec;

pub fn remember_spec() -> ToolSpec {
    ToolSpec {
        name: "remember".into(),
        description: "Keep a short fact about the user or their work for later runs.".into(),
        parameters: object(json!({"text": {"type": "string"}}), &["text"]),
    }
}

pub fn recall_spec() -> ToolSpec {
    ToolSpec {
        name: "recall".into(),
        description: "Find facts remembered earlier that share words with the query.".into(),
        parameters: object(json!({"query": {"type": "string"}}), &["query"]),
    }
}

pub(super) fn plan_remember(args: &Value) -> Result<Planned, PlanError> {
    let text = text_arg(args, "text")?.trim().to_string();
    if text.is_empty() {
        return Err(PlanError::Args("there is nothing to remember".into()));
    }
    Ok(Planned {
        reach: Reach::Acts,
        short: format!("\"{}\"", super::super::roots::clip(&text)),
        path: None,
        preview: Some(format!("remember: {}", super::super::roots::clip(&text))),
        action: Action::Remember(text),
    })
}

pub(super) fn plan_recall(args: &Value) -> Result<Planned, PlanError> {
    let query = text_arg(args, "query")?.to_string();
    Ok(Planned {
        reach: Reach::Reads,
        short: format!("\"{}\"", super::super::roots::clip(&query)),
        path: None,
        preview: None,
        action: Action::Recall(query),
    })
}

pub(super) fn remember(ctx: &ToolCtx, text: &str) -> Output {
    let stored = Store::open(&ctx.paths.database_file()).and_then(|s| s.remember(text, "agent"));
    match stored {
        Ok(r) => Output::ok(format!("remembered as fact {}", r.id())),
        Err(e) => Output::with(Outcome::Error, format!("cannot remember it: {}", e.message)),
    }
}

pub(super) fn recall(ctx: &ToolCtx, query: &str) -> Output {
    let found = Store::open(&ctx.paths.database_file()).and_then(|s| s.search_memories(query, 10));
    match found {
        Ok(list) if list.is_empty() => Output::ok("nothing remembered matches"),
        Ok(list) => Output::ok(
            list.iter()
                .map(|m| format!("- {}\n", m.text))
                .collect::<String>(),
        ),
        Err(e) => Output::with(Outcome::Error, format!("cannot recall: {}", e.message)),
    }
}
