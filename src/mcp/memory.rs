//! The tools over the user's memories: `remember` keeps a fact the user stated, `recall`
//! finds kept facts that share words with a query.
use serde_json::{json, Value};

use super::args::{required_str, Args};
use super::error::ToolError;
use super::reply::{text_result, Capped};
use crate::paths::Paths;
use crate::render::sanitize;
use crate::store::memory::{self, Remembered};
use crate::store::Store;

/// Memories `recall` returns at most.
const RECALL_LIMIT: usize = 10;

pub fn remember(paths: &Paths, args: &Args) -> Result<Value, ToolError> {
    // What an agent sends is kept without control characters: it is shown in terminals.
    let text = sanitize(required_str(args, "text")?);
    let chars = text.trim().chars().count();
    if chars == 0 {
        return Err(ToolError::InvalidParams(
            "text holds nothing but control characters".into(),
        ));
    }
    if chars > memory::MAX_CHARS {
        return Err(ToolError::InvalidParams(format!(
            "text is at most {} characters; this one has {chars}: keep longer text in a note",
            memory::MAX_CHARS
        )));
    }
    let store = Store::open(&paths.database_file())?;
    let remembered = store.remember(&text, memory::MCP)?;
    let said = match remembered {
        Remembered::New(id) => format!("remembered as memory {id}"),
        Remembered::Already(id) => format!("already remembered, as memory {id}"),
    };
    Ok(text_result(
        said,
        json!({"id": remembered.id(), "new": matches!(remembered, Remembered::New(_))}),
    ))
}

pub fn recall(paths: &Paths, args: &Args) -> Result<Value, ToolError> {
    let query = required_str(args, "query")?;
    let path = paths.database_file();
    let found = if path.exists() {
        let words = crate::pipeline::gather::content_words(query);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        Store::open(&path)?.relevant_memories(&words, RECALL_LIMIT)?
    } else {
        Vec::new()
    };
    let mut out = Capped::new();
    let mut results = Vec::new();
    for m in &found {
        let text = sanitize(m.text.trim());
        let source = sanitize(&m.source);
        if !out.push(&format!(
            "[memory {}] ({source}, {})\n{text}\n\n",
            m.id, m.created
        )) {
            break;
        }
        results.push(json!({"id": m.id, "text": text, "created": m.created, "source": source}));
    }
    if results.is_empty() && !out.cut {
        out.push("no memory shares a word with the query\n");
    }
    let cut = out.cut;
    Ok(text_result(
        out.finish(),
        json!({"memories": results, "truncated": cut}),
    ))
}
