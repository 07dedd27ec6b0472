//! `read` (a file, or a range of its lines) and `list` (a folder's entries), inside the
//! working folder and the indexed sources.
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{object, optional_count, optional_text, text_arg, Action, Output, PlanError};
use super::{Planned, Reach, ToolCtx};
use crate::tool::ToolSpec;

/// The most bytes of a file read (the model sees at most [`super::MAX_RESULT`] of them).
const MAX_FILE: u64 = 8 << 20;
/// The most entries a listing shows.
const MAX_ENTRIES: usize = 500;

pub(super) struct Read {
    path: PathBuf,
    start: usize,
    end: Option<usize>,
}

pub fn read_spec() -> ToolSpec {
    ToolSpec {
        name: "read".into(),
        description: "Read a text file, or lines start_line to end_line of it (1-based, inclusive). Paths are relative to the working folder; indexed sources may be named by absolute path.".into(),
        parameters: object(
            json!({
                "path": {"type": "string"},
                "start_line": {"type": "integer", "minimum": 1},
                "end_line": {"type": "integer", "minimum": 1},
            }),
            &["path"],
        ),
    }
}

pub fn list_spec() -> ToolSpec {
    ToolSpec {
        name: "list".into(),
        description: "List a folder's files and subfolders (subfolders end in /). The working folder when no path is given.".into(),
        parameters: object(json!({"path": {"type": "string"}}), &[]),
    }
}

pub(super) fn plan_read(ctx: &ToolCtx, args: &Value) -> Result<Planned, PlanError> {
    let asked = text_arg(args, "path")?;
    let path = ctx.roots.readable(asked)?;
    let start = optional_count(args, "start_line")?.unwrap_or(1).max(1) as usize;
    let end = optional_count(args, "end_line")?.map(|n| n as usize);
    let range = match end {
        Some(e) => format!(":{start}-{e}"),
        None if start > 1 => format!(":{start}-"),
        None => String::new(),
    };
    Ok(Planned {
        reach: Reach::Reads,
        short: format!("{}{range}", ctx.roots.shown(&path)),
        path: Some(path.clone()),
        preview: None,
        action: Action::Read(Read { path, start, end }),
    })
}

pub(super) fn read(ctx: &ToolCtx, r: &Read) -> Output {
    let text = match read_text(&r.path) {
        Ok(t) => t,
        Err(why) => return Output::with(super::Outcome::Error, why.to_string()),
    };
    let lines: Vec<&str> = text.lines().collect();
    let end = r.end.unwrap_or(lines.len()).min(lines.len());
    if r.start > end.max(1) || (lines.is_empty() && r.start > 1) {
        return Output::with(
            super::Outcome::Error,
            format!(
                "{} has {} lines; line {} is past its end",
                ctx.roots.shown(&r.path),
                lines.len(),
                r.start
            ),
        );
    }
    let mut out = format!(
        "{} lines {}-{} of {}\n",
        ctx.roots.shown(&r.path),
        r.start,
        end,
        lines.len()
    );
    for line in lines.iter().take(end).skip(r.start - 1) {
        out.push_str(line);
        out.push('\n');
    }
    Output {
        private: ctx.roots.is_private(&r.path),
        ..Output::ok(out)
    }
}

/// Why a file's text could not be read.
#[derive(Debug, thiserror::Error)]
pub(super) enum Unreadable {
    #[error("cannot read it: {0}")]
    Io(#[from] std::io::Error),
    #[error("it is not a regular file (use list for a folder)")]
    NotAFile,
    #[error("it is a binary file")]
    Binary,
}

/// A regular file's text, lossily decoded; binary files are refused.
pub(super) fn read_text(path: &Path) -> Result<String, Unreadable> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(Unreadable::NotAFile);
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE).read_to_end(&mut bytes)?;
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(Unreadable::Binary);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub(super) fn plan_list(ctx: &ToolCtx, args: &Value) -> Result<Planned, PlanError> {
    let asked = optional_text(args, "path").unwrap_or(".");
    let path = ctx.roots.readable(asked)?;
    Ok(Planned {
        reach: Reach::Reads,
        short: ctx.roots.shown(&path),
        path: Some(path.clone()),
        preview: None,
        action: Action::List(path),
    })
}

pub(super) fn list(ctx: &ToolCtx, path: &Path) -> Output {
    let entries = match std::fs::read_dir(path) {
        Ok(e) => e,
        Err(e) => return Output::with(super::Outcome::Error, format!("cannot list it: {e}")),
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != ".git")
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    names.sort();
    let total = names.len();
    names.truncate(MAX_ENTRIES);
    let mut out = format!("{} ({total} entries)\n", ctx.roots.shown(path));
    for name in &names {
        out.push_str(name);
        out.push('\n');
    }
    if total > MAX_ENTRIES {
        out.push_str(&format!("[{} more not shown]\n", total - MAX_ENTRIES));
    }
    Output {
        private: ctx.roots.is_private(path),
        ..Output::ok(out)
    }
}
