//! Which files `pai mcp` serves and how it names them: an indexed file inside a public source
//! (every path goes through [`Confine`]), read at most [`MAX_READ`] bytes, named by a
//! `note://` URI. What goes back to the client is sanitized where it leaves
//! ([`super::error`], [`super::reply`]).
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::confine::Confine;
use super::error::ToolError;
use crate::index::store::{self, Manifest};
use crate::paths::Paths;

/// The most bytes of a file read to serve it (indexed files are far smaller by default).
const MAX_READ: u64 = 8 << 20;

pub const NO_INDEX: &str = "there is no index yet: the user adds folders with `pai index add PATH`";

/// The public sources, as the index's manifest lists them.
pub fn confine(paths: &Paths) -> Result<Confine, ToolError> {
    Ok(Confine::from_manifest(&Manifest::load(&paths.index_dir())?))
}

/// The index's file table, keyed by the path as the index names it.
pub fn files(paths: &Paths) -> Result<HashMap<String, store::FileRecord>, ToolError> {
    match store::open(&paths.index_dir())? {
        Some((index, _)) => Ok(store::file_table(&index)?),
        None => Err(ToolError::Unavailable(NO_INDEX.into())),
    }
}

/// A path a client asked for, as (canonical path, source), when it is an indexed file
/// inside a public source.
pub fn servable(paths: &Paths, asked: &str) -> Result<(PathBuf, PathBuf), ToolError> {
    let confine = confine(paths)?;
    let (canonical, source) = confine
        .resolve(asked)
        .map_err(|refused| ToolError::NotFound(refused.0))?;
    let files = files(paths)?;
    let literal = if Path::new(asked).is_absolute() {
        PathBuf::from(asked)
    } else {
        source.join(asked)
    };
    let indexed = files.contains_key(&*canonical.to_string_lossy())
        || files.contains_key(&*literal.to_string_lossy());
    if !indexed {
        return Err(ToolError::NotFound(format!(
            "{asked} is not an indexed note"
        )));
    }
    Ok((canonical, source))
}

/// A file's text, lossily decoded; at most [`MAX_READ`] bytes are read.
pub fn read_text(path: &Path) -> Result<String, ToolError> {
    let cannot = |e: std::io::Error| ToolError::NotFound(format!("cannot read the note: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(ToolError::NotFound("not a regular file".into()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_READ)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("md" | "markdown") => "text/markdown",
        _ => "text/plain",
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
}
