//! The indexed files of the public sources as `note://` resources, listed a page at a time.
use std::path::Path;

use serde_json::{json, Value};

use super::error::ToolError;
use super::reply::Capped;
use super::served::{self, mime, path_of, uri_of};
use crate::paths::Paths;
use crate::render::sanitize;

/// Resources per `resources/list` page.
const PAGE: usize = 100;

/// A page of resources from `cursor` (an offset, as the previous page gave it).
pub fn list(paths: &Paths, cursor: Option<&str>) -> Result<Value, ToolError> {
    let at = match cursor {
        None => 0,
        Some(c) => c
            .parse::<usize>()
            .map_err(|_| ToolError::InvalidParams("Invalid cursor".into()))?,
    };
    let confine = served::confine(paths)?;
    // Without an index (or with one that cannot be read) there is nothing to list.
    let mut files: Vec<String> = match served::files(paths) {
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

/// The text of the file `uri` names, when pai serves it.
pub fn read(paths: &Paths, uri: &str) -> Result<Value, ToolError> {
    let path = path_of(uri).ok_or_else(|| {
        ToolError::NotFound(format!("Unknown resource: {uri} (pai serves note:// URIs)"))
    })?;
    let (canonical, _) = served::servable(paths, &path)?;
    let text = served::read_text(&canonical)?;
    let mut out = Capped::new();
    out.push(&sanitize(&text));
    let text = out.finish();
    Ok(json!({"contents": [{"uri": uri, "mimeType": mime(&canonical), "text": text}]}))
}
