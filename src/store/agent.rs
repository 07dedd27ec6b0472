//! The agent's part of the audit log (migration 0005): a run (`agent_runs`: the task, the
//! working folder, the conversation, how it ended) and one row per model call and per tool
//! call (`agent_steps`). Results are kept as a size and a sha256, never as text: the log says
//! what happened without becoming a second copy of the user's files.
use rusqlite::{params, OptionalExtension, Row};

use super::calls::sha256_hex;
use super::{db_error, Store};
use crate::error::Error;

/// One model call or tool call to record.
#[derive(Debug, Clone)]
pub struct NewStep<'a> {
    pub run: i64,
    /// 1-based: the model call that asked for it and the tool calls it made share a step.
    pub step: u32,
    /// `model` or `tool`.
    pub kind: &'a str,
    /// The tool's name, or the model's.
    pub name: &'a str,
    /// The arguments as the model sent them.
    pub arguments: Option<&'a str>,
    /// auto, asked, refused, or none for a model call.
    pub approval: &'a str,
    /// ok, error, refused, denied, interrupted, timeout …
    pub outcome: &'a str,
    pub exit_status: Option<i32>,
    /// What came back; only its size and hash are stored.
    pub result: Option<&'a str>,
    pub tier: &'a str,
    /// The row in `calls` of a remote model call.
    pub call: Option<i64>,
    pub ms: f64,
}

/// A run as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunRow {
    pub id: i64,
    pub created: String,
    pub task: String,
    pub folder: String,
    pub conversation: Option<i64>,
    pub outcome: String,
    pub answer: Option<String>,
    pub ended: Option<String>,
}

/// A step as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StepRow {
    pub step: u32,
    pub kind: String,
    pub name: String,
    pub arguments: Option<String>,
    pub approval: String,
    pub outcome: String,
    pub exit_status: Option<i32>,
    pub result_bytes: u64,
    pub result_sha256: Option<String>,
    pub tier: String,
    pub call: Option<i64>,
    pub ms: f64,
    pub created: String,
}

impl Store {
    /// Opens a run; returns its id.
    pub fn start_run(
        &self,
        task: &str,
        folder: &str,
        conversation: Option<i64>,
    ) -> Result<i64, Error> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO agent_runs (task, folder, conversation) VALUES (?1, ?2, ?3)",
            params![task, folder, conversation],
        )
        .map_err(|e| db_error("record a run", e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| db_error("record a run", e))?;
        Ok(id)
    }

    pub fn record_step(&self, step: &NewStep) -> Result<i64, Error> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO agent_steps (run, step, kind, name, arguments, approval, outcome,
                                      exit_status, result_bytes, result_sha256, tier, call, ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                step.run,
                step.step,
                step.kind,
                step.name,
                step.arguments,
                step.approval,
                step.outcome,
                step.exit_status,
                step.result.map_or(0, str::len) as i64,
                step.result.map(sha256_hex),
                step.tier,
                step.call,
                step.ms,
            ],
        )
        .map_err(|e| db_error("record a step", e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| db_error("record a step", e))?;
        Ok(id)
    }

    /// Closes a run with its outcome and answer.
    pub fn end_run(&self, run: i64, outcome: &str, answer: Option<&str>) -> Result<(), Error> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE agent_runs SET outcome = ?2, answer = ?3,
                    ended = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
            params![run, outcome, answer],
        )
        .map_err(|e| db_error("close a run", e))?;
        tx.commit().map_err(|e| db_error("close a run", e))
    }

    pub fn run(&self, id: i64) -> Result<Option<RunRow>, Error> {
        self.connection()
            .query_row(
                "SELECT id, created, task, folder, conversation, outcome, answer, ended
                 FROM agent_runs WHERE id = ?1",
                [id],
                |r| {
                    Ok(RunRow {
                        id: r.get(0)?,
                        created: r.get(1)?,
                        task: r.get(2)?,
                        folder: r.get(3)?,
                        conversation: r.get(4)?,
                        outcome: r.get(5)?,
                        answer: r.get(6)?,
                        ended: r.get(7)?,
                    })
                },
            )
            .optional()
            .map_err(|e| db_error("read a run", e))
    }

    /// The steps of a run, in the order they happened.
    pub fn steps(&self, run: i64) -> Result<Vec<StepRow>, Error> {
        let read = || -> rusqlite::Result<Vec<StepRow>> {
            let mut stmt = self.connection().prepare(
                "SELECT step, kind, name, arguments, approval, outcome, exit_status, result_bytes,
                        result_sha256, tier, call, ms, created
                 FROM agent_steps WHERE run = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([run], step_row)?;
            rows.collect()
        };
        read().map_err(|e| db_error("read a run's steps", e))
    }
}

fn step_row(r: &Row) -> rusqlite::Result<StepRow> {
    Ok(StepRow {
        step: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        arguments: r.get(3)?,
        approval: r.get(4)?,
        outcome: r.get(5)?,
        exit_status: r.get(6)?,
        result_bytes: r.get::<_, i64>(7)? as u64,
        result_sha256: r.get(8)?,
        tier: r.get(9)?,
        call: r.get(10)?,
        ms: r.get(11)?,
        created: r.get(12)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_keeps_its_steps_in_order_and_results_only_as_hashes() {
        let store = Store::open_in_memory().unwrap();
        let run = store.start_run("find it", "/tmp/x", None).unwrap();
        for (i, name) in ["model", "read"].iter().enumerate() {
            store
                .record_step(&NewStep {
                    run,
                    step: 1,
                    kind: if i == 0 { "model" } else { "tool" },
                    name,
                    arguments: Some("{\"path\":\"a\"}"),
                    approval: if i == 0 { "none" } else { "auto" },
                    outcome: "ok",
                    exit_status: None,
                    result: Some("secret text"),
                    tier: "local",
                    call: None,
                    ms: 1.0,
                })
                .unwrap();
        }
        store.end_run(run, "answered", Some("done")).unwrap();
        let steps = store.steps(run).unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[1].name, "read");
        assert_eq!(steps[1].result_bytes, 11);
        assert_eq!(store.run(run).unwrap().unwrap().outcome, "answered");
        let m = crate::store::NewMessage::new(crate::message::Role::Tool, "a tool result");
        let c = store.new_conversation(None).unwrap();
        store.add_message(c, &m).unwrap();
    }
}
