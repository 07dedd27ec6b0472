//! What `pai mcp` serves: the tools `search`, `read_note` and `context`, `remember` and
//! `recall` over the user's memories, and the indexed files as `note://` resources. Every path goes through [`Confine`]; a file the index does not
//! hold is not served; results are capped at [`MAX_RESULT`] bytes of text (saying so when cut),
//! name the source folder they came from, and carry no control characters. Tool descriptions
//! are fixed text: nothing from a file reaches them.
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::confine::Confine;
use super::protocol::{Backend, RpcError, INVALID_PARAMS};
use crate::config::Config;
use crate::context::{self, Request};
use crate::index::store::{self, Manifest};
use crate::index::SearchOptions;
use crate::paths::Paths;
use crate::render::sanitize;
use crate::store::memory::{self, Remembered};
use crate::store::Store;

/// The most text one tool result or resource read carries.
pub const MAX_RESULT: usize = 64 * 1024;
/// The most bytes of a file read to serve it (indexed files are far smaller by default).
const MAX_READ: u64 = 8 << 20;
/// Resources per `resources/list` page.
const PAGE: usize = 100;
const MAX_LIMIT: u64 = 50;
/// Memories `recall` returns at most.
const RECALL_LIMIT: usize = 10;

const INSTRUCTIONS: &str = "pai serves the user's indexed notes and code, read-only. Use `search` to find passages, `read_note` to read an indexed file (or a range of its lines), `context` to see what pai would put in front of a model for a question, `remember` to keep a fact about the user that they stated, and `recall` to find kept facts. Folders the user marked private are never served.";

pub struct Pai {
    paths: Paths,
    /// The sentence encoder of semantic sources, loaded by the first search that needs it.
    encoder: crate::index::Encoder,
}

impl Pai {
    pub fn new(paths: Paths) -> Self {
        Self {
            paths,
            encoder: crate::index::Encoder::default(),
        }
    }

    fn confine(&self) -> Result<Confine, String> {
        Manifest::load(&self.paths.index_dir())
            .map(|m| Confine::from_manifest(&m))
            .map_err(|e| sanitize(&e.message))
    }

    /// The index's file table, keyed by the path as the index names it.
    fn files(&self) -> Result<HashMap<String, store::FileRecord>, String> {
        match store::open(&self.paths.index_dir()) {
            Ok(Some((index, _))) => store::file_table(&index).map_err(|e| e.message),
            Ok(None) => Err(NO_INDEX.into()),
            Err(e) => Err(e.message),
        }
    }

    /// A path a client asked for, as (canonical path, source), when it is an indexed file
    /// inside a public source.
    fn servable(&self, asked: &str) -> Result<(PathBuf, PathBuf), String> {
        let confine = self.confine()?;
        let (canonical, source) = confine.resolve(asked).map_err(|r| sanitize(&r.0))?;
        let files = self.files()?;
        let literal = if Path::new(asked).is_absolute() {
            PathBuf::from(asked)
        } else {
            source.join(asked)
        };
        let indexed = files.contains_key(&*canonical.to_string_lossy())
            || files.contains_key(&*literal.to_string_lossy());
        if !indexed {
            return Err(format!("{} is not an indexed note", sanitize(asked)));
        }
        Ok((canonical, source))
    }

    fn search(&self, args: &Map<String, Value>) -> Result<Value, String> {
        let query = required_str(args, "query")?;
        let limit = match args.get("limit") {
            None | Some(Value::Null) => 10,
            Some(v) => v
                .as_u64()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or(format!("limit must be an integer from 1 to {MAX_LIMIT}"))?,
        } as usize;
        let path_glob = optional_str(args, "path_glob")?;
        let config = Config::load(&self.paths.config_file()).map_err(|e| e.message)?;
        let confine = self.confine()?;
        let options = SearchOptions {
            // Hits from private sources or links that lead out are dropped below: ask for more.
            limit: limit * 2 + 10,
            path_glob,
            scope: Vec::new(),
            lang: None,
            embed_model: config.index.embed_model,
            encoder: self.encoder.clone(),
        };
        let mut notes = Vec::new();
        let hits = crate::index::search(&self.paths, query, &options, &mut notes)
            .map_err(|e| e.message)?
            .ok_or(NO_INDEX)?;
        let mut out = Capped::new();
        let mut results = Vec::new();
        for hit in hits {
            if results.len() == limit {
                break;
            }
            let Some((_, source)) = confine.check_indexed(&hit.path) else {
                continue;
            };
            let n = results.len() + 1;
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
            if !out.push(&block) {
                break;
            }
            results.push(json!({
                "path": path,
                "start_line": hit.start_line,
                "end_line": hit.end_line,
                "lines": format!("{}-{}", hit.start_line, hit.end_line),
                "title": title,
                "source": source,
                "score": hit.score,
                "text": text,
            }));
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

    fn read_note(&self, args: &Map<String, Value>) -> Result<Value, String> {
        let asked = required_str(args, "path")?;
        // A resource's URI names the same file.
        let decoded = asked
            .starts_with("note://")
            .then(|| path_of(asked))
            .flatten();
        let asked = decoded.as_deref().unwrap_or(asked);
        let start = optional_line(args, "start_line")?;
        let end = optional_line(args, "end_line")?;
        let (path, source) = self.servable(asked)?;
        let text = read_text(&path)?;
        let lines: Vec<&str> = text.lines().collect();
        let first = start.unwrap_or(1).max(1);
        let last = end.unwrap_or(lines.len()).min(lines.len());
        if first > last && !lines.is_empty() {
            return Err(format!(
                "no lines {first}-{last}: the note has {} lines",
                lines.len()
            ));
        }
        let mut out = Capped::new();
        let shown = sanitize(&path.to_string_lossy());
        out.push(&format!(
            "{shown}:{first}-{last} (source: {})\n",
            sanitize(&source.to_string_lossy())
        ));
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
            json!({"path": shown, "source": sanitize(&source.to_string_lossy()), "start_line": first, "end_line": through, "lines": lines.len(), "truncated": cut}),
        ))
    }

    fn context(&self, args: &Map<String, Value>) -> Result<Value, String> {
        let question = required_str(args, "question")?;
        let config = Config::load(&self.paths.config_file()).map_err(|e| e.message)?;
        let confine = self.confine()?;
        let mut request = Request {
            question: question.to_string(),
            ..Request::default()
        };
        let notes = crate::pipeline::gather::gather(
            &self.paths,
            &config,
            &mut request,
            true,
            &[],
            &self.encoder,
        );
        request
            .excerpts
            .retain(|e| !e.private && confine.check_indexed(&e.path).is_some());
        let mut out = Capped::new();
        for m in request.messages() {
            if !out.push(&format!(
                "[{}]\n{}\n\n",
                m.role.as_str(),
                sanitize(&m.content)
            )) {
                break;
            }
        }
        let sources: Vec<Value> = context::sources_json(&request.excerpts)
            .into_iter()
            .zip(&request.excerpts)
            .map(|(mut s, e)| {
                let source = confine.check_indexed(&e.path).map(|(_, s)| s);
                s["path"] = json!(sanitize(&e.path.to_string_lossy()));
                s["title"] = json!(sanitize(&e.title));
                s["source"] = json!(source.map(|s| sanitize(&s.to_string_lossy())));
                s
            })
            .collect();
        let notes: Vec<String> = notes.iter().map(|n| sanitize(n)).collect();
        let cut = out.cut;
        Ok(text_result(
            out.finish(),
            json!({"sources": sources, "notes": notes, "truncated": cut}),
        ))
    }

    fn remember(&self, args: &Map<String, Value>) -> Result<Value, String> {
        // What an agent sends is kept without control characters: it is shown in terminals.
        let text = sanitize(required_str(args, "text")?);
        let store = Store::open(&self.paths.database_file()).map_err(|e| e.message)?;
        let remembered = store.remember(&text, memory::MCP).map_err(|e| e.message)?;
        let said = match remembered {
            Remembered::New(id) => format!("remembered as memory {id}"),
            Remembered::Already(id) => format!("already remembered, as memory {id}"),
        };
        Ok(text_result(
            said,
            json!({"id": remembered.id(), "new": matches!(remembered, Remembered::New(_))}),
        ))
    }

    fn recall(&self, args: &Map<String, Value>) -> Result<Value, String> {
        let query = required_str(args, "query")?;
        let path = self.paths.database_file();
        let found = if path.exists() {
            let words = crate::pipeline::gather::content_words(query);
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            Store::open(&path)
                .and_then(|store| store.relevant_memories(&words, RECALL_LIMIT))
                .map_err(|e| e.message)?
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
}

const NO_INDEX: &str = "there is no index yet: the user adds folders with `pai index add PATH`";

impl Backend for Pai {
    fn instructions(&self) -> &'static str {
        INSTRUCTIONS
    }

    fn list_tools(&self) -> Value {
        json!({"tools": [
            {
                "name": "search",
                "title": "Search the user's notes",
                "description": "Full-text search over the user's indexed notes and code. Returns ranked chunks, each with its file path, line range, title, source folder and text. Quote words for a phrase; word* matches a prefix.",
                "inputSchema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string", "description": "What to look for, in plain words."},
                        "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10, "description": "The most chunks to return."},
                        "path_glob": {"type": "string", "description": "Only files whose path matches this glob, for example '*.md' or 'notes/**'."}
                    },
                    "required": ["query"],
                    "additionalProperties": false
                },
                "annotations": {"readOnlyHint": true, "openWorldHint": false}
            },
            {
                "name": "read_note",
                "title": "Read an indexed note",
                "description": "The text of one indexed file, or of a range of its lines. The path is absolute, or relative to an indexed folder. Files outside the indexed folders, or in folders the user marked private, are refused.",
                "inputSchema": {
                    "type": "object",
                    "properties": {
                        "path": {"type": "string", "description": "The file, as search returns it (or its note:// URI)."},
                        "start_line": {"type": "integer", "minimum": 1, "description": "The first line to return (from 1)."},
                        "end_line": {"type": "integer", "minimum": 1, "description": "The last line to return."}
                    },
                    "required": ["path"],
                    "additionalProperties": false
                },
                "annotations": {"readOnlyHint": true, "openWorldHint": false}
            },
            {
                "name": "remember",
                "title": "Remember a fact about the user",
                "description": "Keep a short fact about the user (a preference, a setting, a name) that the user stated and wants pai to know later. pai puts kept facts in front of its model when a question is about them; the user can list, edit and forget them with `pai memory`.",
                "inputSchema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "maxLength": memory::MAX_CHARS, "description": "The fact, as one or two plain sentences."}
                    },
                    "required": ["text"],
                    "additionalProperties": false
                },
                "annotations": {"readOnlyHint": false, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false}
            },
            {
                "name": "recall",
                "title": "Recall facts about the user",
                "description": "The facts the user asked pai to remember that share words with the query, most relevant first, each with its id, when it was kept and where it came from (cli, chat or mcp).",
                "inputSchema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string", "description": "What to recall, in plain words."}
                    },
                    "required": ["query"],
                    "additionalProperties": false
                },
                "annotations": {"readOnlyHint": true, "openWorldHint": false}
            },
            {
                "name": "context",
                "title": "What pai would tell a model",
                "description": "What pai would put in front of a model for this question: the system prompt with the user's profile, remembered facts about the user, numbered excerpts from the notes with their sources, and the context cell (date, time, working folder, host).",
                "inputSchema": {
                    "type": "object",
                    "properties": {
                        "question": {"type": "string", "description": "The question to gather context for."}
                    },
                    "required": ["question"],
                    "additionalProperties": false
                },
                "annotations": {"readOnlyHint": true, "openWorldHint": false}
            }
        ]})
    }

    fn call_tool(&mut self, name: &str, args: &Map<String, Value>) -> Result<Value, RpcError> {
        let outcome = match name {
            "search" => self.search(args),
            "read_note" => self.read_note(args),
            "context" => self.context(args),
            "remember" => self.remember(args),
            "recall" => self.recall(args),
            _ => {
                return Err(RpcError::new(
                    INVALID_PARAMS,
                    format!("Unknown tool: {}", sanitize(name)),
                ))
            }
        };
        Ok(outcome.unwrap_or_else(
            |why| json!({"content": [{"type": "text", "text": sanitize(&why)}], "isError": true}),
        ))
    }

    fn list_resources(&mut self, cursor: Option<&str>) -> Result<Value, RpcError> {
        let at = match cursor {
            None => 0,
            Some(c) => c
                .parse::<usize>()
                .map_err(|_| RpcError::new(INVALID_PARAMS, "Invalid cursor"))?,
        };
        let confine = self.confine().map_err(internal)?;
        let mut files: Vec<String> = match self.files() {
            Ok(f) => f.into_keys().collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        let mut resources = Vec::new();
        for name in files.iter().skip(at).take(PAGE) {
            let path = Path::new(name);
            let Some((_, source)) = confine.check_indexed(path) else {
                continue;
            };
            let title = path
                .strip_prefix(&source)
                .unwrap_or(path)
                .to_string_lossy()
                .into_owned();
            resources.push(json!({
                "uri": uri_of(name),
                "name": sanitize(&title),
                "mimeType": mime(path),
                "description": format!("from {}", sanitize(&source.to_string_lossy())),
            }));
        }
        let mut result = json!({"resources": resources});
        if at + PAGE < files.len() {
            result["nextCursor"] = json!((at + PAGE).to_string());
        }
        Ok(result)
    }

    fn read_resource(&mut self, uri: &str) -> Result<Value, RpcError> {
        let refuse = |why: String| {
            RpcError::new(INVALID_PARAMS, sanitize(&why)).with_data(json!({"uri": uri}))
        };
        let path = path_of(uri)
            .ok_or_else(|| refuse(format!("Unknown resource: {uri} (pai serves note:// URIs)")))?;
        let (canonical, _) = self.servable(&path).map_err(refuse)?;
        let text = read_text(&canonical).map_err(refuse)?;
        let mut out = Capped::new();
        out.push(&sanitize(&text));
        let text = out.finish();
        Ok(json!({"contents": [{"uri": uri, "mimeType": mime(&canonical), "text": text}]}))
    }
}

fn internal(why: String) -> RpcError {
    RpcError::new(super::protocol::INTERNAL_ERROR, sanitize(&why))
}

fn text_result(text: String, structured: Value) -> Value {
    json!({
        "content": [{"type": "text", "text": text}],
        "structuredContent": structured,
        "isError": false,
    })
}

fn required_str<'a>(args: &'a Map<String, Value>, key: &str) -> Result<&'a str, String> {
    match args.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(Value::String(_)) => Err(format!("{key} is empty")),
        Some(_) => Err(format!("{key} must be a string")),
        None => Err(format!("{key} is required")),
    }
}

fn optional_str(args: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{key} must be a string")),
    }
}

fn optional_line(args: &Map<String, Value>, key: &str) -> Result<Option<usize>, String> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .filter(|n| *n >= 1)
            .map(|n| Some(n as usize))
            .ok_or(format!("{key} must be an integer from 1")),
    }
}

/// A file's text, lossily decoded; at most [`MAX_READ`] bytes are read.
fn read_text(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the note: {e}"))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::new();
    file.take(MAX_READ)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the note: {e}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("md" | "markdown") => "text/markdown",
        _ => "text/plain",
    }
}

/// Text up to [`MAX_RESULT`] bytes, cut at a character boundary with a line saying so.
struct Capped {
    text: String,
    cut: bool,
}

impl Capped {
    fn new() -> Self {
        Self {
            text: String::new(),
            cut: false,
        }
    }

    /// Appends `piece` whole when it fits, else as much as fits; false once cut.
    fn push(&mut self, piece: &str) -> bool {
        if self.cut {
            return false;
        }
        let room = MAX_RESULT.saturating_sub(self.text.len());
        if piece.len() <= room {
            self.text.push_str(piece);
            return true;
        }
        let mut end = room;
        while !piece.is_char_boundary(end) {
            end -= 1;
        }
        self.text.push_str(&piece[..end]);
        self.cut = true;
        false
    }

    fn finish(mut self) -> String {
        if self.cut {
            self.text.push_str(&format!(
                "\n[cut: results are capped at {} KiB]\n",
                MAX_RESULT / 1024
            ));
        }
        self.text
    }
}

/// `note://` and the absolute path, with bytes outside the unreserved set percent-encoded.
pub fn uri_of(path: &str) -> String {
    let mut uri = String::from("note://");
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// The path a `note://` URI names; None for another scheme or a bad escape.
pub fn path_of(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("note://")?;
    let mut bytes = Vec::with_capacity(rest.len());
    let mut it = rest.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hex = [it.next()?, it.next()?];
            let hex = std::str::from_utf8(&hex).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
        } else {
            bytes.push(b);
        }
    }
    let path = String::from_utf8(bytes).ok()?;
    path.starts_with('/').then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip_and_other_schemes_are_refused() {
        let path = "/home/u/my notes/ü%.md";
        let uri = uri_of(path);
        assert!(uri.starts_with("note:///home/u/my%20notes/"));
        assert_eq!(path_of(&uri).as_deref(), Some(path));
        assert_eq!(path_of("file:///etc/passwd"), None);
        assert_eq!(path_of("note://relative"), None);
        assert_eq!(path_of("note:///a%2"), None);
    }

    #[test]
    fn capped_text_says_it_was_cut() {
        let mut c = Capped::new();
        assert!(c.push("ab"));
        assert!(!c.push(&"é".repeat(MAX_RESULT)));
        let text = c.finish();
        assert!(text.len() <= MAX_RESULT + 64);
        assert!(text.ends_with("KiB]\n"));
    }
}
