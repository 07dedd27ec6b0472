//! `pai commit` and the commit hook, with real git in temporary repositories: install, chain,
//! uninstall, core.hooksPath, every message source, and every way the model can fail with the
//! commit going through all the same.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use crate::util::{stderr_of, stdout_of, Env};

/// A git repository with one commit, inside the test's home.
struct Repo {
    env: Env,
    dir: PathBuf,
    /// Prepended to PATH for git: where `pai` is found (or a fake one).
    bin_dir: Option<PathBuf>,
}

fn pai_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("pai")
        .parent()
        .unwrap()
        .to_path_buf()
}

impl Repo {
    fn new(env: Env) -> Self {
        let dir = env.path("repo");
        std::fs::create_dir(&dir).unwrap();
        let repo = Self {
            env,
            dir,
            bin_dir: Some(pai_dir()),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.write("main.rs", "fn main() {\n    println!(\"hello\");\n}\n");
        repo.git(&["add", "."]);
        repo.git(&["commit", "-qm", "Initial commit"]);
        repo
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.dir).env_clear();
        let path = std::env::var("PATH").unwrap_or_default();
        let path = match &self.bin_dir {
            Some(dir) => format!("{}:{path}", dir.display()),
            None => path
                .split(':')
                .filter(|p| !Path::new(p).join("pai").exists())
                .collect::<Vec<_>>()
                .join(":"),
        };
        for (k, v) in [
            ("PATH", path.as_str()),
            ("HOME", self.env.home.path().to_str().unwrap()),
            ("PAI_HOME", self.env.home.path().to_str().unwrap()),
            ("GIT_AUTHOR_NAME", "t"),
            ("GIT_AUTHOR_EMAIL", "t@example.com"),
            ("GIT_COMMITTER_NAME", "t"),
            ("GIT_COMMITTER_EMAIL", "t@example.com"),
            ("GIT_CONFIG_NOSYSTEM", "1"),
            ("GIT_EDITOR", "true"),
        ] {
            cmd.env(k, v);
        }
        cmd
    }

    fn git(&self, args: &[&str]) -> String {
        let out = self.command("git").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}{}",
            stdout_of(&out),
            stderr_of(&out)
        );
        stdout_of(&out)
    }

    fn git_out(&self, args: &[&str], editor: &str) -> Output {
        self.command("git")
            .args(args)
            .env("GIT_EDITOR", editor)
            .output()
            .unwrap()
    }

    fn pai(&self, args: &[&str]) -> Output {
        self.command(assert_cmd::cargo::cargo_bin("pai"))
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    }

    fn last_message(&self) -> String {
        self.git(&["log", "-1", "--format=%B"])
    }

    fn stage_change(&self, name: &str) {
        self.write(
            name,
            "fn main() {\n    let name = std::env::args().nth(1).unwrap_or(\"world\".into());\n    println!(\"hello {name}\");\n}\n",
        );
        self.git(&["add", name]);
    }

    /// A fake `pai` on PATH that records that it ran, to prove the hook did not start it.
    fn fake_pai(&mut self, body: &str) -> PathBuf {
        let dir = self.env.path("fakebin");
        std::fs::create_dir_all(&dir).unwrap();
        let marker = self.env.path("pai-ran");
        let script = format!("#!/bin/sh\necho \"$@\" >> {}\n{body}\n", marker.display());
        let path = dir.join("pai");
        std::fs::write(&path, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        self.bin_dir = Some(dir);
        marker
    }
}

/// An editor that writes "Manual" when the message has no text, as a user would.
const MANUAL_EDITOR: &str = "sh -c 'grep -qv \"^#\" \"$1\" && grep -v \"^#\" \"$1\" | grep -q . || echo Manual > \"$1\"' --";

fn hook_path(repo: &Repo) -> PathBuf {
    repo.dir.join(".git/hooks/prepare-commit-msg")
}

#[test]
fn commit_prints_a_plain_message_for_the_staged_diff() {
    let repo = Repo::new(Env::with_smol());
    repo.stage_change("main.rs");
    let out = repo.pai(&["commit", "--temp", "0"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let msg = stdout_of(&out);
    let subject = msg.lines().next().unwrap();
    assert!(!subject.trim().is_empty(), "{msg:?}");
    assert!(subject.chars().count() <= 72, "{subject}");
    assert!(!msg.contains("```"), "{msg}");
    assert!(msg.ends_with('\n'));
    let lines: Vec<&str> = msg.lines().collect();
    if lines.len() > 1 {
        assert_eq!(lines[1], "", "a blank line after the subject: {msg:?}");
    }
}

#[test]
fn commit_follows_conventional_history_or_the_flag() {
    let repo = Repo::new(Env::with_smol());
    repo.stage_change("main.rs");
    let out = repo.pai(&["commit", "--conventional", "--temp", "0"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let subject = stdout_of(&out).lines().next().unwrap().to_string();
    assert!(
        subject.contains(": ")
            && subject
                .split(": ")
                .next()
                .unwrap()
                .chars()
                .all(|c| c.is_ascii_lowercase() || "()!-_".contains(c)),
        "{subject}"
    );
}

#[test]
fn bots_subjects_never_set_the_historys_form() {
    let repo = Repo::new(Env::with_smol());
    // People write plain capitalised subjects; a bot outnumbers them with `area:` templates.
    for (i, subject) in ["Add a greeting", "Fix the exit code", "Print the name"]
        .iter()
        .enumerate()
    {
        repo.write(&format!("p{i}.txt"), subject);
        repo.git(&["add", "."]);
        repo.git(&["commit", "-qm", subject]);
    }
    for i in 0..5 {
        repo.write("Cargo.lock", &format!("# {i}\n"));
        repo.git(&["add", "."]);
        let subject = format!("build(deps): bump serde from 1.0.{i} to 1.0.{}", i + 1);
        let bot = "dependabot[bot] <bot@example.com>";
        repo.git(&["commit", "-q", "--author", bot, "-m", &subject]);
    }
    repo.stage_change("main.rs");
    let out = repo.pai(&["commit", "--temp", "0"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let subject = stdout_of(&out).lines().next().unwrap().to_string();
    let area = regex::Regex::new(r"^[A-Za-z0-9_./,+-]+(\([^)]*\))?!?: ").unwrap();
    assert!(
        !area.is_match(&subject),
        "the people's form has no area: {subject}"
    );
    assert!(subject.starts_with(char::is_uppercase), "{subject}");
}

#[test]
fn commit_apply_commits_with_the_message() {
    let repo = Repo::new(Env::with_smol());
    repo.stage_change("main.rs");
    let out = repo.pai(&["commit", "--apply", "--temp", "0"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "2");
    assert!(repo.git(&["status", "--porcelain"]).trim().is_empty());
}

#[test]
fn commit_with_nothing_staged_says_so() {
    let repo = Repo::new(Env::with_smol());
    let out = repo.pai(&["commit"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout_of(&out).is_empty());
    assert!(
        stderr_of(&out).starts_with("pai: nothing is staged to commit\n"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn commit_outside_a_repository_says_so() {
    let env = Env::with_smol();
    let out = env
        .pai(&["commit"])
        .current_dir(env.home.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).starts_with("pai: this is not a git repository"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn the_hook_fills_the_message_and_keeps_gits_comments() {
    let repo = Repo::new(Env::with_smol());
    // Tests share two cores with each other: give the model all the time it needs here.
    repo.env.write("config.toml", "[hook]\ntimeout_s = 600\n");
    let out = repo.pai(&["hook", "install"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(hook_path(&repo).exists());
    repo.stage_change("main.rs");
    let seen = repo.env.path("seen.txt");
    let editor = format!("sh -c 'cp \"$1\" {}' --", seen.display());
    let out = repo.git_out(&["commit", "-q"], &editor);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let seen = std::fs::read_to_string(seen).unwrap();
    let first = seen.lines().next().unwrap();
    assert!(!first.is_empty() && !first.starts_with('#'), "{seen}");
    assert!(
        seen.contains("\n# Please enter the commit message"),
        "{seen}"
    );
    assert!(!repo.last_message().trim().is_empty());
}

#[test]
fn the_hook_chains_an_existing_hook_and_uninstall_restores_it() {
    let repo = Repo::new(Env::with_smol());
    repo.env.write("config.toml", "[hook]\ntimeout_s = 600\n");
    let ran = repo.env.path("old-hook-ran");
    let old = format!("#!/bin/sh\necho \"$2\" > {}\n", ran.display());
    std::fs::write(hook_path(&repo), &old).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(hook_path(&repo), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = repo.pai(&["hook", "install"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("kept"), "{}", stderr_of(&out));
    repo.stage_change("main.rs");
    let out = repo.git_out(&["commit", "-q"], "true");
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(ran.exists(), "the old hook did not run");
    assert!(!repo.last_message().trim().is_empty());
    let out = repo.pai(&["hook", "uninstall"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(std::fs::read_to_string(hook_path(&repo)).unwrap(), old);
    // Installing twice keeps the one old hook; a foreign hook is never removed.
    let out = repo.pai(&["hook", "uninstall"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("not pai's hook"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(std::fs::read_to_string(hook_path(&repo)).unwrap(), old);
}

#[test]
fn the_hook_goes_where_core_hooks_path_says() {
    let repo = Repo::new(Env::new());
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    let out = repo.pai(&["hook", "install"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(repo.dir.join(".githooks/prepare-commit-msg").exists());
    assert!(!hook_path(&repo).exists());
    let out = repo.pai(&["hook", "uninstall"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!repo.dir.join(".githooks/prepare-commit-msg").exists());
}

#[test]
fn the_hook_leaves_every_given_message_alone_and_never_starts_pai_for_it() {
    let mut repo = Repo::new(Env::new());
    assert!(repo.pai(&["hook", "install"]).status.success());
    let ran = repo.fake_pai("exit 0");
    let check = |what: &str| assert!(!ran.exists(), "pai started for {what}");

    repo.write("a.txt", "a\n");
    repo.git(&["add", "a.txt"]);
    repo.git(&["commit", "-qm", "Given with -m"]);
    assert_eq!(repo.last_message().trim(), "Given with -m");
    check("-m");

    repo.write("b.txt", "b\n");
    repo.git(&["add", "b.txt"]);
    let f = repo.env.write("msg.txt", "Given with -F\n");
    repo.git(&["commit", "-q", "-F", f.to_str().unwrap()]);
    assert_eq!(repo.last_message().trim(), "Given with -F");
    check("-F");

    repo.git(&["commit", "-q", "--amend"]);
    assert_eq!(repo.last_message().trim(), "Given with -F");
    check("--amend");

    repo.git(&["checkout", "-qb", "side"]);
    repo.write("c.txt", "c\n");
    repo.git(&["add", "c.txt"]);
    repo.git(&["commit", "-qm", "Side change"]);
    let side = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["merge", "-q", "--no-ff", "side"]);
    assert!(
        repo.last_message().starts_with("Merge branch 'side'"),
        "{}",
        repo.last_message()
    );
    check("merge");

    repo.git(&["checkout", "-qb", "other", "HEAD~1"]);
    repo.git(&["merge", "-q", "--squash", "side"]);
    repo.git(&["commit", "-q"]);
    assert!(
        repo.last_message().contains("Squashed commit"),
        "{}",
        repo.last_message()
    );
    check("squash");

    repo.git(&["checkout", "-qb", "picked", "HEAD~1"]);
    repo.git(&["cherry-pick", &side]);
    assert_eq!(repo.last_message().trim(), "Side change");
    check("cherry-pick");

    repo.git(&["checkout", "-qb", "rebased", "main~1"]);
    repo.write("d.txt", "d\n");
    repo.git(&["add", "d.txt"]);
    repo.git(&["commit", "-qm", "To rebase"]);
    repo.git(&["rebase", "-q", "side"]);
    assert_eq!(repo.last_message().trim(), "To rebase");
    check("rebase");

    // And when git does ask, the fake pai is started: the checks above were not vacuous.
    repo.write("e.txt", "e\n");
    repo.git(&["add", "e.txt"]);
    let out = repo.git_out(&["commit", "-q"], MANUAL_EDITOR);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(std::fs::read_to_string(&ran)
        .unwrap()
        .starts_with("hook run "));
}

/// Installs the hook, breaks pai in some way, and commits: the commit must go through with the
/// message the user writes.
fn commit_goes_through(repo: &Repo) -> f64 {
    repo.write("f.txt", "f\n");
    repo.git(&["add", "f.txt"]);
    let started = Instant::now();
    let out = repo.git_out(&["commit", "-q"], MANUAL_EDITOR);
    let secs = started.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "the commit failed: {}",
        stderr_of(&out)
    );
    assert_eq!(repo.last_message().trim(), "Manual", "{}", stderr_of(&out));
    secs
}

#[test]
fn no_model_never_blocks_a_commit() {
    let repo = Repo::new(Env::new());
    assert!(repo.pai(&["hook", "install"]).status.success());
    commit_goes_through(&repo);
}

#[test]
fn a_broken_model_never_blocks_a_commit() {
    let repo = Repo::new(Env::new());
    let broken = repo.env.write("broken.gguf", "not a model");
    assert!(repo.pai(&["hook", "install"]).status.success());
    let mut cmd = repo.command("git");
    cmd.args(["commit", "-q"])
        .env("GIT_EDITOR", MANUAL_EDITOR)
        .env("PAI_MODEL", &broken);
    repo.write("f.txt", "f\n");
    repo.git(&["add", "f.txt"]);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(repo.last_message().trim(), "Manual");
    assert!(
        stderr_of(&out).contains("no commit message written"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_crashing_pai_never_blocks_a_commit() {
    let mut repo = Repo::new(Env::new());
    assert!(repo.pai(&["hook", "install"]).status.success());
    repo.fake_pai("kill -SEGV $$");
    commit_goes_through(&repo);
}

#[test]
fn pai_missing_from_path_never_blocks_a_commit() {
    let mut repo = Repo::new(Env::with_smol());
    assert!(repo.pai(&["hook", "install"]).status.success());
    repo.bin_dir = None;
    commit_goes_through(&repo);
}

#[test]
fn a_timeout_never_blocks_a_commit() {
    let repo = Repo::new(Env::with_smol());
    repo.env.write("config.toml", "[hook]\ntimeout_s = 0.05\n");
    assert!(repo.pai(&["hook", "install"]).status.success());
    let secs = commit_goes_through(&repo);
    assert!(secs < 5.0, "the commit took {secs:.1} s");
}

#[test]
fn the_hook_writes_as_the_configured_role_and_a_missing_one_never_blocks_a_commit() {
    let repo = Repo::new(Env::new());
    repo.env
        .write("config.toml", "[hook]\ntimeout_s = 600\nrole = \"nope\"\n");
    assert!(repo.pai(&["hook", "install"]).status.success());
    repo.write("f.txt", "f\n");
    repo.git(&["add", "f.txt"]);
    let out = repo.git_out(&["commit", "-q"], MANUAL_EDITOR);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(repo.last_message().trim(), "Manual");
    assert!(
        stderr_of(&out).contains("no commit message written (there is no role 'nope')"),
        "{}",
        stderr_of(&out)
    );
    repo.write("g.txt", "g\n");
    repo.git(&["add", "g.txt"]);
    let out = repo.pai(&["commit", "--role", "nope"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
}
