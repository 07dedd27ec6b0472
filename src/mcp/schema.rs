//! What `pai mcp` tells a client about itself: the instructions and the tools with their input
//! schemas. Fixed text: nothing from a file reaches it.
use serde_json::{json, Value};

use crate::store::memory;

/// The most chunks `search` returns.
pub const MAX_LIMIT: u64 = 50;

pub const INSTRUCTIONS: &str = "pai serves the user's indexed notes and code, read-only. Use `search` to find passages, `read_note` to read an indexed file (or a range of its lines), `context` to see what pai would put in front of a model for a question, `remember` to keep a fact about the user that they stated, and `recall` to find kept facts. Folders the user marked private are never served.";

/// The `tools/list` result.
pub fn tools() -> Value {
    json!({"tools": [search(), read_note(), remember(), recall(), context()]})
}

fn search() -> Value {
    tool(
        "search",
        "Search the user's notes",
        "Full-text search over the user's indexed notes and code. Returns ranked chunks, each with its file path, line range, title, source folder and text. Quote words for a phrase; word* matches a prefix.",
        json!({
            "query": {"type": "string", "description": "What to look for, in plain words."},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10, "description": "The most chunks to return."},
            "path_glob": {"type": "string", "description": "Only files whose path matches this glob, for example '*.md' or 'notes/**'."}
        }),
        "query",
        read_only(),
    )
}

fn read_note() -> Value {
    tool(
        "read_note",
        "Read an indexed note",
        "The text of one indexed file, or of a range of its lines. The path is absolute, or relative to an indexed folder. Files outside the indexed folders, or in folders the user marked private, are refused.",
        json!({
            "path": {
                "type": "string",
                "description": "The file, as search returns it (or its note:// URI)."
            },
            "start_line": {"type": "integer", "minimum": 1, "description": "The first line to return (from 1)."},
            "end_line": {"type": "integer", "minimum": 1, "description": "The last line to return."}
        }),
        "path",
        read_only(),
    )
}

fn remember() -> Value {
    tool(
        "remember",
        "Remember a fact about the user",
        "Keep a short fact about the user (a preference, a setting, a name) that the user stated and wants pai to know later. pai puts kept facts in front of its model when a question is about them; the user can list, edit and forget them with `pai memory`.",
        json!({
            "text": {"type": "string", "maxLength": memory::MAX_CHARS, "description": "The fact, as one or two plain sentences."}
        }),
        "text",
        json!({"readOnlyHint": false, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false}),
    )
}

fn recall() -> Value {
    tool(
        "recall",
        "Recall facts about the user",
        "The facts the user asked pai to remember that share words with the query, most relevant first, each with its id, when it was kept and where it came from (cli, chat or mcp).",
        json!({
            "query": {"type": "string", "description": "What to recall, in plain words."}
        }),
        "query",
        read_only(),
    )
}

fn context() -> Value {
    tool(
        "context",
        "What pai would tell a model",
        "The prompt pai would put in front of its model for this question, exactly as `pai context` shows it: the system prompt with the user's profile, remembered facts about the user, numbered excerpts from the notes with their sources, and the context cell (date, time, working folder, host), fitted to the model's context window and laid out by its chat template. Needs a model installed for pai.",
        json!({
            "question": {"type": "string", "description": "The question to gather context for."}
        }),
        "question",
        read_only(),
    )
}

/// A tool taking an object of `properties` of which `required` must be given.
fn tool(
    name: &str,
    title: &str,
    description: &str,
    properties: Value,
    required: &str,
    annotations: Value,
) -> Value {
    json!({
        "name": name,
        "title": title,
        "description": description,
        "inputSchema": {
            "type": "object",
            "properties": properties,
            "required": [required],
            "additionalProperties": false
        },
        "annotations": annotations
    })
}

/// The hints of a tool that only reads the user's data.
fn read_only() -> Value {
    json!({"readOnlyHint": true, "openWorldHint": false})
}
