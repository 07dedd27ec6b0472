//! `edit`: one file under the working folder changed by an exact replacement (`old_text`
//! must occur exactly once; an empty `old_text` creates a file that is not there) or by a
//! unified diff (`patch`). The change is worked out in full when the call is planned, so the
//! diff shown for approval is exactly what is written.
use std::path::PathBuf;

use serde_json::{json, Value};

use super::{object, optional_text, text_arg, Action, Outcome, Output, PlanError};
use super::{Planned, Reach, ToolCtx};
use crate::tool::ToolSpec;

/// Lines of context around a change in the diff shown.
const CONTEXT: usize = 2;

pub(super) struct Edit {
    path: PathBuf,
    text: String,
    diff: String,
}

pub fn spec() -> ToolSpec {
    ToolSpec {
        name: "edit".into(),
        description: "Change a file under the working folder: replace old_text (which must occur exactly once) with new_text, or apply a unified diff given as patch. An empty old_text creates a new file holding new_text.".into(),
        parameters: object(
            json!({
                "path": {"type": "string"},
                "old_text": {"type": "string"},
                "new_text": {"type": "string"},
                "patch": {"type": "string"},
            }),
            &["path"],
        ),
    }
}

pub(super) fn plan(ctx: &ToolCtx, args: &Value) -> Result<Planned, PlanError> {
    let asked = text_arg(args, "path")?;
    let path = ctx.roots.writable(asked)?;
    let exists = path.exists();
    let before = if exists {
        super::files::read_text(&path).map_err(|e| PlanError::Args(e.to_string()))?
    } else {
        String::new()
    };
    let after = match optional_text(args, "patch") {
        Some(patch) => apply_patch(&before, patch)?,
        None => replace(&before, args, exists)?,
    };
    if after == before {
        return Err(PlanError::Args("the edit changes nothing".into()));
    }
    let shown = ctx.roots.shown(&path);
    let diff = diff(&shown, &before, &after);
    Ok(Planned {
        reach: Reach::Acts,
        short: shown,
        path: Some(path.clone()),
        preview: Some(diff.clone()),
        action: Action::Edit(Edit {
            path,
            text: after,
            diff,
        }),
    })
}

fn replace(before: &str, args: &Value, exists: bool) -> Result<String, PlanError> {
    let old = text_arg(args, "old_text")?;
    let new = text_arg(args, "new_text")?;
    if old.is_empty() {
        return if exists {
            Err(PlanError::Args(
                "old_text is empty but the file exists: name the text to replace".into(),
            ))
        } else {
            Ok(new.to_string())
        };
    }
    if !exists {
        return Err(PlanError::Args("the file does not exist".into()));
    }
    match before.matches(old).count() {
        1 => Ok(before.replacen(old, new, 1)),
        0 => Err(PlanError::Args(
            "old_text does not occur in the file: read it first".into(),
        )),
        n => Err(PlanError::Args(format!(
            "old_text occurs {n} times: include more of the text around it"
        ))),
    }
}

pub(super) fn apply(_ctx: &ToolCtx, e: &Edit) -> Output {
    if let Some(parent) = e.path.parent() {
        if let Err(err) = std::fs::create_dir_all(parent) {
            return Output::with(Outcome::Error, format!("cannot make its folder: {err}"));
        }
    }
    match std::fs::write(&e.path, &e.text) {
        Ok(()) => Output::ok(format!("edited:\n{}", e.diff)),
        Err(err) => Output::with(Outcome::Error, format!("cannot write the file: {err}")),
    }
}

/// A unified diff of one change: the lines that differ between the common start and end,
/// with a little context.
pub fn diff(name: &str, before: &str, after: &str) -> String {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let from = head.saturating_sub(CONTEXT);
    let (a_end, b_end) = (a.len() - tail, b.len() - tail);
    let a_ctx = (a_end + CONTEXT).min(a.len());
    let mut out = format!(
        "--- a/{name}\n+++ b/{name}\n@@ -{},{} +{},{} @@\n",
        from + 1,
        a_ctx - from,
        from + 1,
        (b_end + CONTEXT).min(b.len()) - from
    );
    for line in &a[from..head] {
        out.push_str(&format!(" {line}\n"));
    }
    for line in &a[head..a_end] {
        out.push_str(&format!("-{line}\n"));
    }
    for line in &b[head..b_end] {
        out.push_str(&format!("+{line}\n"));
    }
    for line in &a[a_end..a_ctx] {
        out.push_str(&format!(" {line}\n"));
    }
    out
}

/// Applies a unified diff's hunks in order: each hunk's old lines (context and removals) must
/// be found in the file, at or after where the last hunk ended.
pub(crate) fn apply_patch(before: &str, patch: &str) -> Result<String, PlanError> {
    let mut lines: Vec<String> = before.lines().map(str::to_string).collect();
    let hunks = hunks(patch)?;
    if hunks.is_empty() {
        return Err(PlanError::Args(
            "the patch has no hunks (lines starting with @@)".into(),
        ));
    }
    let mut at = 0;
    for (n, (old, new)) in hunks.iter().enumerate() {
        let found = (at..=lines.len().saturating_sub(old.len()))
            .find(|&i| lines.len() >= i + old.len() && lines[i..i + old.len()] == old[..])
            .ok_or_else(|| {
                PlanError::Args(format!(
                    "hunk {} does not match the file: read it again",
                    n + 1
                ))
            })?;
        lines.splice(found..found + old.len(), new.iter().cloned());
        at = found + new.len();
    }
    let mut text = lines.join("\n");
    if before.ends_with('\n') || before.is_empty() {
        text.push('\n');
    }
    Ok(text)
}

type Hunk = (Vec<String>, Vec<String>);

fn hunks(patch: &str) -> Result<Vec<Hunk>, PlanError> {
    let mut hunks: Vec<Hunk> = Vec::new();
    for line in patch.lines() {
        if line.starts_with("@@") {
            hunks.push((Vec::new(), Vec::new()));
            continue;
        }
        let Some((old, new)) = hunks.last_mut() else {
            continue; // --- and +++ headers
        };
        let rest = line.get(1..).unwrap_or("");
        match line.chars().next() {
            Some('-') => old.push(rest.to_string()),
            Some('+') => new.push(rest.to_string()),
            Some(' ') | None => {
                old.push(rest.to_string());
                new.push(rest.to_string());
            }
            Some('\\') => {}
            _ => {
                return Err(PlanError::Args(format!(
                    "the patch line {:?} is not context, - or +",
                    super::super::roots::clip(line)
                )))
            }
        }
    }
    Ok(hunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_applies_and_a_stale_one_is_refused() {
        let before = "a\nb\nc\nd\n";
        let patch = "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
        assert_eq!(apply_patch(before, patch).unwrap(), "a\nB\nc\nd\n");
        assert!(apply_patch("x\ny\n", patch).is_err());
    }

    #[test]
    fn the_diff_shows_the_change_with_context() {
        let d = diff("f", "1\n2\n3\n4\n5\n", "1\n2\nthree\n4\n5\n");
        assert!(d.contains("-3\n+three\n"), "{d}");
        assert!(d.contains(" 2\n"), "{d}");
    }
}
