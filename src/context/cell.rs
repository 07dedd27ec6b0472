//! The context cell: the moment a request is made. Date, weekday, time and zone, the working
//! directory, the git branch and a short status when inside a repository, and the host name.
//! Everything here is cheap: git runs only when a `.git` is found above the directory.
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn describe() -> String {
    let now = chrono::Local::now();
    let zone = zone_name().map(|z| format!(" {z}")).unwrap_or_default();
    let mut lines = vec![format!(
        "Now: {}{zone} (UTC{})",
        now.format("%A %Y-%m-%d %H:%M"),
        now.format("%:z")
    )];
    if let Ok(cwd) = std::env::current_dir() {
        lines.push(format!("Working directory: {}", cwd.display()));
        if let Some(git) = git_summary(&cwd) {
            lines.push(git);
        }
    }
    if let Some(host) = host_name() {
        lines.push(format!("Host: {host}"));
    }
    lines.join("\n")
}

fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// "Git: branch main, 2 files changed, 1 untracked" from `git status --porcelain -b`.
fn git_summary(cwd: &Path) -> Option<String> {
    repository_root(cwd)?;
    let out = Command::new("git")
        .args(["status", "--porcelain=v1", "-b", "--no-renames"])
        .current_dir(cwd)
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let head = lines.next()?.trim_start_matches("## ");
    let (head, fresh) = match head.strip_prefix("No commits yet on ") {
        Some(rest) => (rest, " (no commits yet)"),
        None => (head, ""),
    };
    let branch = head.split("...").next().unwrap_or(head);
    let (mut changed, mut untracked) = (0, 0);
    for line in lines {
        if line.starts_with("??") {
            untracked += 1;
        } else {
            changed += 1;
        }
    }
    let status = match (changed, untracked) {
        (0, 0) => "clean".to_string(),
        (c, 0) => format!("{c} files changed"),
        (0, u) => format!("{u} untracked"),
        (c, u) => format!("{c} files changed, {u} untracked"),
    };
    Some(format!("Git: branch {branch}{fresh}, {status}"))
}

fn host_name() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
}

/// The IANA zone name, where the system says it: TZ, or the /etc/localtime link.
fn zone_name() -> Option<String> {
    if let Some(tz) = std::env::var("TZ").ok().filter(|t| !t.is_empty()) {
        return Some(tz.trim_start_matches(':').to_string());
    }
    let target = std::fs::read_link("/etc/localtime").ok()?;
    let s = target.to_string_lossy();
    s.split("zoneinfo/").nth(1).map(str::to_string)
}
