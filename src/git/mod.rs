//! Git as pai sees it: the staged diff, the repository's recent subjects, and where its hooks
//! live. Everything goes through the `git` program, so pai reads exactly what `git commit`
//! will commit (index, attributes, textconv off), with no library of its own to disagree.
pub mod diff;
pub mod hook;
pub mod message;
pub mod style;
pub mod subject;

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("git is not installed or not on PATH")]
    NoGit,
    #[error("this is not a git repository (or any of its parents)")]
    NotARepo,
    #[error("git {args} failed: {why}")]
    Failed { args: String, why: String },
}

/// Runs `git ARGS` in the current directory and returns its stdout.
pub fn git(args: &[&str]) -> Result<String, GitError> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|_| GitError::NoGit)?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if why.contains("not a git repository") {
            return Err(GitError::NotARepo);
        }
        return Err(GitError::Failed {
            args: args.join(" "),
            why,
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The repository's git directory (`.git`, or a worktree's own), absolute.
pub fn git_dir() -> Result<PathBuf, GitError> {
    let dir = git(&["rev-parse", "--absolute-git-dir"])?;
    Ok(PathBuf::from(dir.trim()))
}

/// Where git runs hooks from: core.hooksPath when set (relative to the top of the work tree),
/// else `.git/hooks` of the common git directory.
pub fn hooks_dir() -> Result<PathBuf, GitError> {
    let dir = git(&["rev-parse", "--git-path", "hooks"])?;
    let dir = PathBuf::from(dir.trim());
    if dir.is_absolute() {
        return Ok(dir);
    }
    Ok(std::env::current_dir()
        .map_err(|e| GitError::Failed {
            args: "rev-parse".into(),
            why: e.to_string(),
        })?
        .join(dir))
}

/// The staged changes: the unified diff and per-file line counts.
pub struct Staged {
    pub patch: String,
    pub numstat: String,
    pub name_status: String,
}

impl Staged {
    pub fn is_empty(&self) -> bool {
        self.numstat.trim().is_empty() && self.name_status.trim().is_empty()
    }
}

/// What `git commit` would commit now.
pub fn staged() -> Result<Staged, GitError> {
    changes(&["diff", "--cached"])
}

/// What commit `rev` changed against its first parent, read as [`staged`] reads the index
/// (the commit-message evaluation is exported from real history with it).
pub fn committed(rev: &str) -> Result<Staged, GitError> {
    changes(&["show", "--format=", "--first-parent", rev])
}

fn changes(what: &[&str]) -> Result<Staged, GitError> {
    let mut base = what.to_vec();
    base.extend_from_slice(&["--no-color", "--no-ext-diff", "--no-textconv"]);
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        git(&args)
    };
    Ok(Staged {
        patch: with(&["-U3", "--find-renames"])?,
        numstat: with(&["--numstat", "--find-renames"])?,
        name_status: with(&["--name-status", "--find-renames"])?,
    })
}

/// The latest commit subjects, newest first; none in a repository without commits.
pub fn recent_subjects(n: usize) -> Vec<String> {
    subjects_up_to("HEAD", n)
}

/// The latest `n` subjects people wrote in the history that ends at `rev`, newest first.
/// Bots' subjects (GitHub's `…[bot]` authors: dependabot's `build(deps): bump …`) are left
/// out: they are templates, and in many repositories they would outvote the people's form.
pub fn subjects_up_to(rev: &str, n: usize) -> Vec<String> {
    let look = format!("-n{}", n.saturating_mul(4));
    git(&["log", &look, "--no-merges", "--format=%an%x00%s", rev, "--"])
        .map(|out| {
            out.lines()
                .filter_map(|l| l.split_once('\0'))
                .filter(|(author, _)| !is_bot(author))
                .map(|(_, subject)| subject.trim())
                .filter(|s| !s.is_empty())
                .take(n)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a commit's author is a bot by GitHub's naming (`dependabot[bot]`).
pub fn is_bot(author: &str) -> bool {
    author.trim_end().ends_with("[bot]")
}

/// One commit of a repository's history, as `pai learn` reads it.
#[derive(Debug, Clone)]
pub struct Commit {
    pub sha: String,
    /// Committer date, Unix seconds.
    pub time: i64,
    pub author: String,
    pub message: String,
}

/// Every non-merge commit reachable from HEAD in `repo`, newest first.
pub fn history(repo: &Path) -> Result<Vec<Commit>, GitError> {
    let dir = repo.to_string_lossy();
    // Fields split by NUL, commits by the record separator: messages hold any other text.
    let out = git(&[
        "-C",
        &dir,
        "log",
        "--no-merges",
        "--format=%H%x00%ct%x00%an%x00%B%x1e",
    ])?;
    Ok(out
        .split('\x1e')
        .filter_map(|record| {
            let mut fields = record.trim_start_matches('\n').splitn(4, '\0');
            let sha = fields.next()?.trim().to_string();
            let time = fields.next()?.trim().parse().ok()?;
            let author = fields.next()?.to_string();
            let message = fields.next()?.trim().to_string();
            (!sha.is_empty() && !message.is_empty()).then_some(Commit {
                sha,
                time,
                author,
                message,
            })
        })
        .collect())
}

/// The patch a commit made, in the form `staged` reads (three lines of context, renames
/// found, no colour, no external diff or textconv).
pub fn commit_patch(repo: &Path, sha: &str) -> Result<String, GitError> {
    let dir = repo.to_string_lossy();
    git(&[
        "-C",
        &dir,
        "show",
        "--format=",
        "-U3",
        "--find-renames",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        sha,
    ])
}

/// Whether `path` exists relative to the git directory (a rebase or cherry-pick in progress).
pub fn in_progress(git_dir: &Path) -> bool {
    [
        "rebase-merge",
        "rebase-apply",
        "CHERRY_PICK_HEAD",
        "REVERT_HEAD",
    ]
    .iter()
    .any(|name| git_dir.join(name).exists())
}

/// How a git failure reads to the user.
impl From<GitError> for crate::error::Error {
    fn from(e: GitError) -> Self {
        let err = crate::error::Error::user(crate::render::sanitize_line(&e.to_string()));
        match e {
            GitError::NotARepo => err.hint("run this inside a git repository"),
            GitError::NoGit => err.hint("install git"),
            GitError::Failed { .. } => err,
        }
    }
}
