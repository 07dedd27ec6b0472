//! Roles: specialists for recurring jobs. A role is a markdown file whose TOML front matter
//! says what answers and how (model, endpoint or tier, sampling, adapters, which sources the
//! excerpts may come from, whether context is gathered at all) and whose body is the system
//! prompt. pai ships a few in `prompts/roles/`; files in `roles/` beside config.toml add more
//! and override shipped ones of the same name. This module finds and reads them; what a role
//! changes in a request is the pipeline's business (`pipeline::settings`, `pipeline::gather`).
mod front_matter;

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::router::TierChoice;

/// The roles built into pai, by name.
const SHIPPED: &[(&str, &str)] = &[
    ("reviewer", include_str!("../../prompts/roles/reviewer.md")),
    ("sysadmin", include_str!("../../prompts/roles/sysadmin.md")),
    (
        "translator",
        include_str!("../../prompts/roles/translator.md"),
    ),
    ("writer", include_str!("../../prompts/roles/writer.md")),
];

/// Where a role comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Shipped,
    /// A file in the user's `roles/` folder.
    User(PathBuf),
}

/// A role, read and checked.
#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub origin: Origin,
    pub description: String,
    /// The system prompt (the file's body).
    pub prompt: String,
    pub model: Option<String>,
    pub endpoint: Option<String>,
    pub tier: Option<TierChoice>,
    pub sampling: RoleSampling,
    /// Adapters as (path or registered name, scale); paths are absolute.
    pub lora: Vec<(String, f32)>,
    /// Globs the excerpts' paths must match (any of them); empty means every source.
    pub scope: Vec<String>,
    /// false: no excerpts, no profile, no context cell.
    pub context: bool,
    /// The whole file, for `pai role show`.
    pub text: String,
}

/// The sampling settings a role may set; unset ones defer to the next layer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleSampling {
    pub temp: Option<f32>,
    pub top_k: Option<i32>,
    pub top_p: Option<f32>,
    pub min_p: Option<f32>,
    pub repeat_penalty: Option<f32>,
    pub max_tokens: Option<u32>,
    pub seed: Option<u32>,
}

#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    #[error("there is no role '{name}'")]
    Unknown {
        name: String,
        available: Vec<String>,
    },
    #[error("{file}:{line}: {why}")]
    Invalid {
        file: String,
        line: usize,
        why: String,
    },
    #[error("cannot read {file}: {why}")]
    Unreadable { file: String, why: String },
}

impl From<RoleError> for Error {
    fn from(e: RoleError) -> Self {
        let err = Error::user(crate::render::sanitize_line(&e.to_string()));
        match e {
            RoleError::Unknown { available, .. } => err
                .hint(format!("the roles are: {}", available.join(", ")))
                .hint("`pai role list` describes them"),
            RoleError::Invalid { .. } => {
                err.hint("fix the role file; docs/roles.md lists the keys a role may set")
            }
            RoleError::Unreadable { .. } => err,
        }
    }
}

/// The folder of the user's roles, beside config.toml.
pub fn user_dir(config_dir: &Path) -> PathBuf {
    config_dir.join("roles")
}

/// The role called `name`: the user's file if there is one, else the shipped role.
pub fn find(config_dir: &Path, name: &str) -> Result<Role, RoleError> {
    for (file, role_name) in user_files(config_dir)? {
        if role_name == name {
            return read_user(&file, role_name);
        }
    }
    if let Some((_, text)) = SHIPPED.iter().find(|(n, _)| *n == name) {
        return read(Path::new(&shipped_path(name)), name, Origin::Shipped, text);
    }
    let mut available = names(config_dir)?;
    available.sort_by_key(|n| (strsim::levenshtein(n, name), n.clone()));
    Err(RoleError::Unknown {
        name: name.to_string(),
        available,
    })
}

/// Every role by name, the user's overriding shipped ones of the same name.
pub fn list(config_dir: &Path) -> Result<Vec<Role>, RoleError> {
    let mut roles = Vec::new();
    for (file, name) in user_files(config_dir)? {
        roles.push(read_user(&file, name)?);
    }
    for (name, text) in SHIPPED {
        if !roles.iter().any(|r| r.name == *name) {
            let shown = shipped_path(name);
            roles.push(read(Path::new(&shown), name, Origin::Shipped, text)?);
        }
    }
    roles.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(roles)
}

/// Every role's name, without reading the files.
fn names(config_dir: &Path) -> Result<Vec<String>, RoleError> {
    let mut names: Vec<String> = user_files(config_dir)?
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    for (name, _) in SHIPPED {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    Ok(names)
}

fn shipped_path(name: &str) -> String {
    format!("prompts/roles/{name}.md (shipped)")
}

/// The `.md` files in the user's folder with the role name each gives (its stem); none when
/// the folder does not exist.
fn user_files(config_dir: &Path) -> Result<Vec<(PathBuf, String)>, RoleError> {
    let dir = user_dir(config_dir);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(unreadable(&dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let stem = path.file_stem().and_then(|s| s.to_str()).map(String::from);
        match stem {
            Some(name) if path.extension().is_some_and(|e| e == "md") && !name.starts_with('.') => {
                files.push((path, name))
            }
            _ => {}
        }
    }
    files.sort();
    Ok(files)
}

fn read_user(file: &Path, name: String) -> Result<Role, RoleError> {
    let text = std::fs::read_to_string(file).map_err(|e| unreadable(file, e))?;
    read(file, &name, Origin::User(file.to_path_buf()), &text)
}

fn unreadable(path: &Path, e: std::io::Error) -> RoleError {
    RoleError::Unreadable {
        file: path.display().to_string(),
        why: e.to_string(),
    }
}

/// Parses a role's text; relative adapter paths are taken from the role file's folder.
fn read(file: &Path, name: &str, origin: Origin, text: &str) -> Result<Role, RoleError> {
    let parsed = front_matter::parse(file, text)?;
    let f = parsed.front;
    let folder = match &origin {
        Origin::User(path) => path.parent().map(Path::to_path_buf),
        Origin::Shipped => None,
    };
    let lora = f
        .lora
        .into_iter()
        .map(|a| (adapter_path(&a.path, folder.as_deref()), a.scale))
        .collect();
    Ok(Role {
        name: name.to_string(),
        origin,
        description: f.description.trim().to_string(),
        prompt: parsed.body,
        model: f.model,
        endpoint: f.endpoint,
        tier: parsed.tier,
        sampling: RoleSampling {
            temp: f.temp,
            top_k: f.top_k,
            top_p: f.top_p,
            min_p: f.min_p,
            repeat_penalty: f.repeat_penalty,
            max_tokens: f.max_tokens,
            seed: f.seed,
        },
        lora,
        scope: f.scope.iter().map(|g| expand_home(g)).collect(),
        context: f.context,
        text: text.to_string(),
    })
}

/// An adapter path made absolute against the role's folder; a bare name (no separator, no
/// `.gguf`) is a registered adapter and stays as it is.
fn adapter_path(path: &str, folder: Option<&Path>) -> String {
    let looks_like_path = path.contains('/') || path.ends_with(".gguf");
    let expanded = expand_home(path);
    match folder {
        Some(folder) if looks_like_path && Path::new(&expanded).is_relative() => {
            folder.join(&expanded).display().to_string()
        }
        _ => expanded,
    }
}

/// `~/notes/**` as the index stores paths: under the home folder.
fn expand_home(text: &str) -> String {
    match (text.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest).display().to_string(),
        _ => text.to_string(),
    }
}

impl Role {
    /// What `role list` shows as its source: "shipped", or the user's file.
    pub fn source(&self) -> String {
        match &self.origin {
            Origin::Shipped => "shipped".into(),
            Origin::User(path) => path.display().to_string(),
        }
    }

    /// The role's prompt before a front end's own task prompt, whose format rules (one
    /// command, only the replacement, a commit message) must still hold.
    pub fn before(&self, task_prompt: &str) -> String {
        format!("{}\n\n{}", self.prompt.trim(), task_prompt.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_role_reads() {
        let dir = tempfile::tempdir().unwrap();
        let roles = list(dir.path()).unwrap();
        let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["reviewer", "sysadmin", "translator", "writer"]);
        assert!(roles.iter().all(|r| r.origin == Origin::Shipped));
    }

    #[test]
    fn a_user_role_overrides_and_unknown_names_come_closest_first() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(user_dir(dir.path())).unwrap();
        let file = user_dir(dir.path()).join("writer.md");
        std::fs::write(
            &file,
            "+++\ndescription = \"mine\"\nlora = [{ path = \"a/b.gguf\", scale = 0.5 }, { path = \"named\" }]\n+++\nHi.\n",
        )
        .unwrap();
        let role = find(dir.path(), "writer").unwrap();
        assert_eq!(role.description, "mine");
        assert_eq!(role.origin, Origin::User(file.clone()));
        let folder = user_dir(dir.path());
        assert_eq!(
            role.lora,
            [
                (folder.join("a/b.gguf").display().to_string(), 0.5),
                ("named".to_string(), 1.0)
            ]
        );
        match find(dir.path(), "sysadmn") {
            Err(RoleError::Unknown { available, .. }) => assert_eq!(available[0], "sysadmin"),
            other => panic!("{other:?}"),
        }
    }
}
