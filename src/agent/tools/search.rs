//! `search`: the index, as `pai search` ranks it. Hits from private sources are returned (the
//! agent runs here) and mark the result private, so the step that reads them stays local and
//! what leaves never holds them.
use serde_json::{json, Value};

use super::{object, optional_count, text_arg, Action, Outcome, Output, PlanError};
use super::{Planned, Reach, ToolCtx};
use crate::config::Config;
use crate::index::SearchOptions;
use crate::tool::ToolSpec;

pub(super) struct Search {
    query: String,
    limit: usize,
}

pub fn spec() -> ToolSpec {
    ToolSpec {
        name: "search".into(),
        description: "Search the user's indexed notes and code. Returns the best matching passages with their path and lines.".into(),
        parameters: object(
            json!({"query": {"type": "string"}, "limit": {"type": "integer", "minimum": 1, "maximum": 20}}),
            &["query"],
        ),
    }
}

pub(super) fn plan(args: &Value) -> Result<Planned, PlanError> {
    let query = text_arg(args, "query")?.to_string();
    let limit = optional_count(args, "limit")?.unwrap_or(5).clamp(1, 20) as usize;
    Ok(Planned {
        reach: Reach::Reads,
        short: format!("\"{}\"", super::super::roots::clip(&query)),
        path: None,
        preview: None,
        action: Action::Search(Search { query, limit }),
    })
}

pub(super) fn search(ctx: &ToolCtx, s: &Search) -> Output {
    let config = Config::load(&ctx.paths.config_file()).unwrap_or_default();
    let options = SearchOptions {
        limit: s.limit,
        path_glob: None,
        scope: Vec::new(),
        lang: None,
        embed_model: config.index.embed_model,
        encoder: ctx.encoder.clone(),
    };
    let mut notes = Vec::new();
    let hits = match crate::index::search(ctx.paths, &s.query, &options, &mut notes) {
        Ok(Some(hits)) => hits,
        Ok(None) => return Output::with(Outcome::Error, "there is no index: nothing to search"),
        Err(e) => return Output::with(Outcome::Error, format!("the search failed: {}", e.message)),
    };
    if hits.is_empty() {
        return Output::ok("nothing in the index matches");
    }
    let mut out = String::new();
    let mut private = false;
    for (n, hit) in hits.iter().enumerate() {
        let canonical = std::fs::canonicalize(&hit.path).unwrap_or_else(|_| hit.path.clone());
        private |= ctx.roots.is_private(&canonical);
        out.push_str(&format!(
            "[{}] {}:{}-{}\n{}\n\n",
            n + 1,
            hit.path.display(),
            hit.start_line,
            hit.end_line,
            hit.text.trim()
        ));
    }
    Output {
        private,
        ..Output::ok(out)
    }
}
