//! The tools over the indexed notes: `search` finds chunks, `read_note` reads a file or a
//! range of its lines. Hits and files outside the public sources are never served; every
//! result names the source folder it came from and carries no control characters.
use std::path::Path;

use serde_json::{json, Value};

use super::args::{optional_count, optional_line, optional_str, required_str, Args};
use super::error::ToolError;
use super::reply::{text_result, Capped};
use super::schema::MAX_LIMIT;
use super::served::{self, NO_INDEX};
use crate::config::Config;
use crate::index::{Encoder, Hit, SearchOptions};
use crate::paths::Paths;
use crate::render::sanitize;

pub fn search(paths: &Paths, encoder: &Encoder, args: &Args) -> Result<Value, ToolError> {
    let query = required_str(args, "query")?;
    let limit = optional_count(args, "limit", 1..=MAX_LIMIT, 10)? as usize;
    let path_glob = optional_str(args, "path_glob")?;
    let config = Config::load(&paths.config_file())?;
    let confine = served::confine(paths)?;
    let options = SearchOptions {
        // Hits from private sources or links that lead out are dropped below: ask for more.
        limit: limit * 2 + 10,
        path_glob,
        scope: Vec::new(),
        lang: None,
        embed_model: config.index.embed_model,
        encoder: encoder.clone(),
    };
    let mut notes = Vec::new();
    let hits = crate::index::search(paths, query, &options, &mut notes)?
        .ok_or_else(|| ToolError::Unavailable(NO_INDEX.into()))?;
    let mut out = Capped::new();
    let mut results = Vec::new();
    for hit in hits {
        if results.len() == limit {
            break;
        }
        let Some((_, source)) = confine.check_indexed(&hit.path) else {
            continue;
        };
        let (block, result) = search_result(results.len() + 1, &hit, &source);
        if !out.push(&block) {
            break;
        }
        results.push(result);
    }
    if results.is_empty() && !out.cut {
        out.push("nothing in the indexed notes matches\n");
    }
    let cut = out.cut;
    Ok(text_result(
        out.finish(),
        json!({"results": results, "truncated": cut}),
    ))
}

/// Hit number `n` as text and as structured content.
fn search_result(n: usize, hit: &Hit, source: &Path) -> (String, Value) {
    let path = sanitize(&hit.path.to_string_lossy());
    let title = sanitize(&hit.title);
    let text = sanitize(hit.text.trim());
    let source = sanitize(&source.to_string_lossy());
    let block = format!(
        "[{n}] {path}:{}-{}{}\nsource: {source}\n{text}\n\n",
        hit.start_line,
        hit.end_line,
        if title.is_empty() {
            String::new()
        } else {
            format!("  ({title})")
        },
    );
    let result = json!({
        "path": path,
        "start_line": hit.start_line,
        "end_line": hit.end_line,
        "lines": format!("{}-{}", hit.start_line, hit.end_line),
        "title": title,
        "source": source,
        "score": hit.score,
        "text": text,
    });
    (block, result)
}

pub fn read_note(paths: &Paths, args: &Args) -> Result<Value, ToolError> {
    let asked = required_str(args, "path")?;
    // A resource's URI names the same file.
    let decoded = asked
        .starts_with("note://")
        .then(|| served::path_of(asked))
        .flatten();
    let asked = decoded.as_deref().unwrap_or(asked);
    let start = optional_line(args, "start_line")?;
    let end = optional_line(args, "end_line")?;
    let (path, source) = served::servable(paths, asked)?;
    let text = served::read_text(&path)?;
    let lines: Vec<&str> = text.lines().collect();
    let first = start.unwrap_or(1).max(1);
    let last = end.unwrap_or(lines.len()).min(lines.len());
    if first > last && !lines.is_empty() {
        return Err(ToolError::InvalidParams(format!(
            "no lines {first}-{last}: the note has {} lines",
            lines.len()
        )));
    }
    let mut out = Capped::new();
    let shown = sanitize(&path.to_string_lossy());
    let source = sanitize(&source.to_string_lossy());
    out.push(&format!("{shown}:{first}-{last} (source: {source})\n"));
    let mut through = first.saturating_sub(1);
    for (i, line) in lines.iter().enumerate().take(last).skip(first - 1) {
        if !out.push(&format!("{}\n", sanitize(line))) {
            break;
        }
        through = i + 1;
    }
    let cut = out.cut;
    let mut text = out.finish();
    if cut && through < last {
        text.push_str(&format!(
            "[more: ask again with start_line {}]\n",
            through + 1
        ));
    }
    Ok(text_result(
        text,
        json!({"path": shown, "source": source, "start_line": first, "end_line": through, "lines": lines.len(), "truncated": cut}),
    ))
}
