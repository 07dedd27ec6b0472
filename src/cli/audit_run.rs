//! `pai audit --run ID`: one agent run as a readable transcript (the task, then each model
//! call and tool call with its arguments as sent, approval, outcome, exit status, result size
//! and hash, tier and time), or as JSON.
use std::io::Write;

use super::history::{existing, to_json};
use super::Ctx;
use crate::cli::error::CliError;
use crate::render::sanitize_line;
use crate::store::agent::StepRow;

pub fn show(ctx: &Ctx, id: i64, json: bool) -> Result<(), CliError> {
    let no_run = || {
        CliError::user(format!("there is no agent run {id}"))
            .hint("the run id is printed at the end of each `pai agent` run")
    };
    let store = existing(ctx)?.ok_or_else(no_run)?;
    let run = store.run(id)?.ok_or_else(no_run)?;
    let steps = store.steps(id)?;
    let mut out = std::io::stdout().lock();
    if json {
        let value = serde_json::json!({"run": run, "steps": steps});
        writeln!(out, "{}", to_json(&value))?;
        return Ok(());
    }
    writeln!(out, "run {} in {}", run.id, sanitize_line(&run.folder))?;
    writeln!(out, "task: {}", sanitize_line(&run.task))?;
    writeln!(
        out,
        "started {}, {}",
        sanitize_line(&run.created),
        sanitize_line(&run.outcome)
    )?;
    for step in &steps {
        writeln!(out, "{}", line(step))?;
    }
    if let Some(answer) = run.answer.as_deref().filter(|a| !a.is_empty()) {
        writeln!(out, "answer: {}", sanitize_line(answer))?;
    }
    if let Some(c) = run.conversation {
        writeln!(out, "conversation: `pai history show {c}`")?;
    }
    Ok(())
}

fn line(s: &StepRow) -> String {
    let hash: String = s
        .result_sha256
        .as_deref()
        .unwrap_or("-")
        .chars()
        .take(12)
        .collect();
    let args = s
        .arguments
        .as_deref()
        .map(sanitize_line)
        .unwrap_or_default();
    let exit = s
        .exit_status
        .map(|c| format!(" exit {c}"))
        .unwrap_or_default();
    let call = s
        .call
        .map(|c| format!(" (audit row {c})"))
        .unwrap_or_default();
    format!(
        "  step {} {} {} {args} → {}{exit}, approval {}, {} bytes sha256 {hash}, {} tier, {:.0} ms{call}",
        s.step,
        s.kind,
        sanitize_line(&s.name),
        sanitize_line(&s.outcome),
        s.approval,
        s.result_bytes,
        sanitize_line(&s.tier),
        s.ms
    )
}
