//! `grep`: lines matching a regular expression in the files under a folder (the working folder
//! by default), honouring .gitignore like the index does; binary files are skipped.
use std::path::PathBuf;

use serde_json::{json, Value};

use super::{object, optional_text, text_arg, Action, Outcome, Output, PlanError};
use super::{Planned, Reach, ToolCtx};
use crate::tool::ToolSpec;

/// The most matching lines shown.
const MAX_MATCHES: usize = 200;
/// Files larger than this are not searched.
const MAX_FILE: u64 = 2 << 20;

pub(super) struct Grep {
    pattern: regex::Regex,
    root: PathBuf,
}

pub fn spec() -> ToolSpec {
    ToolSpec {
        name: "grep".into(),
        description: "Find lines matching a regular expression in the files under a folder (the working folder by default). Prints path:line: text.".into(),
        parameters: object(
            json!({"pattern": {"type": "string"}, "path": {"type": "string"}}),
            &["pattern"],
        ),
    }
}

pub(super) fn plan(ctx: &ToolCtx, args: &Value) -> Result<Planned, PlanError> {
    let text = text_arg(args, "pattern")?;
    let pattern = regex::RegexBuilder::new(text)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| PlanError::Args(format!("the pattern is not a regular expression: {e}")))?;
    let root = ctx
        .roots
        .readable(optional_text(args, "path").unwrap_or("."))?;
    Ok(Planned {
        reach: Reach::Reads,
        short: format!(
            "/{}/ in {}",
            super::super::roots::clip(text),
            ctx.roots.shown(&root)
        ),
        path: Some(root.clone()),
        preview: None,
        action: Action::Grep(Grep { pattern, root }),
    })
}

pub(super) fn grep(ctx: &ToolCtx, g: &Grep) -> Output {
    let mut out = String::new();
    let mut matches = 0;
    let mut private = false;
    let walk = ignore::WalkBuilder::new(&g.root).hidden(true).build();
    'files: for entry in walk.filter_map(Result::ok) {
        if ctx.cancel.is_cancelled() {
            return Output::with(Outcome::Interrupted, "interrupted");
        }
        let path = entry.path();
        if !entry.file_type().is_some_and(|t| t.is_file())
            || entry.metadata().map_or(true, |m| m.len() > MAX_FILE)
        {
            continue;
        }
        let Ok(text) = super::files::read_text(path) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if !g.pattern.is_match(line) {
                continue;
            }
            matches += 1;
            if matches > MAX_MATCHES {
                break 'files;
            }
            private |= ctx.roots.is_private(path);
            out.push_str(&format!(
                "{}:{}: {}\n",
                ctx.roots.shown(path),
                n + 1,
                line.trim_end()
            ));
        }
    }
    if matches == 0 {
        return Output::with(Outcome::Error, "no line matches");
    }
    if matches > MAX_MATCHES {
        out.push_str(&format!(
            "[more than {MAX_MATCHES} matches; narrow the pattern or the path]\n"
        ));
    }
    Output {
        private,
        ..Output::ok(out)
    }
}
