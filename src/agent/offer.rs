//! What a local model is offered. A small model handed every tool calls the wrong ones (on the
//! fixture tasks SmolLM2-135M kept calling `recall` with fragments of the question, and `list`
//! with invented paths), so a local step gets:
//! - the read-only tools, and the acting or memory tools only when the task's words ask for
//!   them (a change, a command, something to remember);
//! - `read`'s path held to the files that exist where it may read, and `list`'s and `grep`'s
//!   to the folders, when there are few enough to list (a longer list would crowd the prompt;
//!   then the paths stay free).
//!
//! The set is chosen once per run, so that every step's prompt begins the same way and reuses
//! the cache of the step before. A remote tier gets every tool, as it is.
use std::path::Path;

use regex::Regex;
use serde_json::Value;

use super::roots::Roots;
use crate::tool::ToolSpec;

/// The most files `read`'s path is held to.
pub const MAX_KNOWN_FILES: usize = 64;

/// The tools a local model is offered for `task`.
pub fn local(specs: &[ToolSpec], task: &str, roots: &Roots) -> Vec<ToolSpec> {
    let known = known_paths(roots);
    specs
        .iter()
        .filter(|s| wanted(&s.name, task))
        .map(|s| match (s.name.as_str(), &known) {
            ("read", Some(k)) => with_paths(s, &k.files),
            ("list" | "grep", Some(k)) => with_paths(s, &k.folders),
            _ => s.clone(),
        })
        .collect()
}

/// The files and folders the tools may name.
pub struct Known {
    pub files: Vec<String>,
    /// `.` for the working folder, then its subfolders (relative) and the indexed sources.
    pub folders: Vec<String>,
}

/// Whether a tool belongs in a local model's set for `task`.
fn wanted(tool: &str, task: &str) -> bool {
    let asks = |pattern: &str| {
        Regex::new(&format!("(?i)\\b(?:{pattern})\\b"))
            .map(|r| r.is_match(task))
            .unwrap_or(true)
    };
    match tool {
        "edit" => asks(
            "add|change|edit|fix|replace|rename|update|write|remove|delete|insert|create|put|set",
        ),
        "run" => asks("run|test|tests|build|execute|install|compile|command"),
        "remember" | "recall" => asks("remember|recall|memory|memories|forget|note that"),
        _ => true,
    }
}

/// `read` with its `path` held to `files`.
fn with_paths(spec: &ToolSpec, files: &[String]) -> ToolSpec {
    let mut spec = spec.clone();
    if let Some(Value::Object(map)) = spec.parameters.pointer_mut("/properties/path") {
        map.insert(
            "enum".into(),
            files.iter().cloned().map(Value::from).collect(),
        );
    }
    spec
}

/// The files `read` may open and the folders `list` and `grep` may look in: the working
/// folder's (relative) then the indexed sources' (absolute), as `.gitignore` leaves them;
/// `None` when there are more than [`MAX_KNOWN_FILES`] files.
pub fn known_paths(roots: &Roots) -> Option<Known> {
    let mut known = Known {
        files: Vec::new(),
        folders: Vec::new(),
    };
    let folders = std::iter::once(&roots.folder).chain(roots.indexed());
    for folder in folders {
        for entry in ignore::WalkBuilder::new(folder).max_depth(Some(4)).build() {
            let Ok(entry) = entry else { continue };
            let kind = match entry.file_type() {
                Some(t) if t.is_file() => &mut known.files,
                Some(t) if t.is_dir() => &mut known.folders,
                _ => continue,
            };
            let shown = shown(roots, entry.path());
            if !kind.contains(&shown) {
                kind.push(shown);
            }
            if known.files.len() > MAX_KNOWN_FILES || known.folders.len() > MAX_KNOWN_FILES {
                return None;
            }
        }
    }
    Some(known)
}

fn shown(roots: &Roots, path: &Path) -> String {
    match path.strip_prefix(&roots.folder) {
        Ok(inside) if inside.as_os_str().is_empty() => ".".to_string(),
        Ok(inside) => inside.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acting_and_memory_tools_come_only_when_the_task_asks() {
        for task in [
            "which port does wireguard use",
            "what is this repository for",
        ] {
            assert!(wanted("read", task) && wanted("search", task));
            assert!(!wanted("edit", task) && !wanted("run", task) && !wanted("recall", task));
        }
        assert!(wanted("edit", "add Sam on Fridays"));
        assert!(wanted("run", "run the tests"));
        assert!(wanted("recall", "what did I ask you to remember"));
        // Whole words only: "settings" asks for no edit.
        assert!(!wanted("edit", "where are the settings"));
    }

    #[test]
    fn reads_path_is_held_to_the_files_listed() {
        let spec = crate::agent::tools::specs(&[])
            .into_iter()
            .find(|s| s.name == "read")
            .unwrap();
        let held = with_paths(&spec, &["README.md".into(), "a/b.txt".into()]);
        assert_eq!(
            held.parameters["properties"]["path"]["enum"],
            serde_json::json!(["README.md", "a/b.txt"])
        );
    }
}
