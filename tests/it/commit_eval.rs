//! The commit-message evaluation (tests/fixtures/commit-eval): real commits of three histories
//! (this project, ripgrep, fd), each with the condensed diff `pai commit` would have read and
//! the subjects before it. The default model writes every message at temperature 0; each must
//! be clean (gitlint's default rules, no meta-text about the message, no list marker) and, at
//! least as often as the messages pai wrote before its subject checker (`before.jsonl`), in
//! the history's own style.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::util::{stderr_of, stdout_of, venv, Env};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/commit-eval")
}

/// The case files, in a fixed order.
fn case_files() -> Vec<PathBuf> {
    ["pai.json", "ripgrep.json", "fd.json"]
        .iter()
        .map(|f| fixtures().join(f))
        .collect()
}

/// The history before each case, keyed by `repo sha`.
fn histories() -> std::collections::HashMap<String, Vec<String>> {
    let mut out = std::collections::HashMap::new();
    for file in case_files() {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        for case in cases {
            let subjects = case["subjects"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect();
            out.insert(key(&case), subjects);
        }
    }
    out
}

fn key(written: &Value) -> String {
    format!(
        "{} {}",
        written["repo"].as_str().unwrap(),
        written["sha"].as_str().unwrap()
    )
}

/// Words that are about the message, the prompt or the diff rather than the change.
const META: &[&str] = &[
    "commit message",
    "staged change",
    "here is",
    "here's",
    "here are",
    "the following",
    "changes are:",
    "file(s) changed",
    "not shown)",
    "<attachment",
    "```",
    "as an ai",
];

/// What is wrong with a message besides gitlint's findings.
fn own_problems(message: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let subject = message.lines().next().unwrap_or("");
    let lower = message.to_lowercase();
    for m in META.iter().filter(|m| lower.contains(*m)) {
        problems.push(format!("meta-text {m:?}"));
    }
    let list = regex::Regex::new(r"^\s*([-*+•]|\d+[.)])\s").unwrap();
    if list.is_match(subject) || list.is_match(description(subject)) {
        problems.push("a list marker opens the subject".into());
    }
    // `M src/main.rs +2 -1`: the diff's own file listing copied back.
    let listing = regex::Regex::new(r"(?i)^[MADR] \S*[/.]").unwrap();
    if listing.is_match(description(subject)) {
        problems.push("the diff's file listing".into());
    }
    if !description(subject).starts_with(|c: char| c.is_alphabetic() || c == '`') {
        problems.push("the subject's first word is no word".into());
    }
    if subject.trim().is_empty() {
        problems.push("empty subject".into());
    }
    if subject.chars().count() > 72 {
        problems.push("subject over 72 characters".into());
    }
    if subject.trim_end().ends_with([':', '.']) {
        problems.push("subject ends in a colon or period".into());
    }
    problems
}

/// gitlint's default rules on every message, less B6 (a body is required), which the authors'
/// own messages fail two times in three.
fn gitlint(messages: &[String]) -> Vec<Vec<String>> {
    let python = venv("gitlint-venv", "gitlint==0.19.1", "import gitlint").unwrap();
    let script = r#"
import json, sys
from gitlint.config import LintConfig
from gitlint.git import GitContext
from gitlint.lint import GitLinter
config = LintConfig()
config.ignore = ["B6"]
linter = GitLinter(config)
for msg in json.load(sys.stdin):
    commit = GitContext.from_commit_msg(msg).commits[-1]
    print(json.dumps([f"{v.rule_id} {v.message}" for v in linter.lint(commit)]))
"#;
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    serde_json::to_writer(child.stdin.take().unwrap(), messages).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "gitlint: {}", stderr_of(&out));
    stdout_of(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `area: change`, `area(scope)!: change`: the prefix before the first `: `.
fn area_of(subject: &str) -> Option<&str> {
    let re = regex::Regex::new(r"^[A-Za-z0-9_./,+-]+(\([^)]*\))?!?: \S").unwrap();
    re.is_match(subject)
        .then(|| subject.split_once(": ").map(|(a, _)| a))
        .flatten()
}

/// The subject after its area.
fn description(subject: &str) -> &str {
    match area_of(subject) {
        Some(area) => &subject[area.len() + 2..],
        None => subject,
    }
}

/// `Some(true)` when the description starts with a capital, `None` when not with a letter.
fn capitalised(subject: &str) -> Option<bool> {
    let first = description(subject).chars().next()?;
    first.is_alphabetic().then(|| first.is_uppercase())
}

/// Whether `subject` takes the form most of the history takes: an area or none, and the case
/// of the first word. A tie accepts either.
fn in_style(subject: &str, history: &[String]) -> bool {
    let majority = |yes: usize, no: usize| -> Option<bool> { (yes != no).then_some(yes > no) };
    let with_area = history.iter().filter(|s| area_of(s).is_some()).count();
    let area = majority(with_area, history.len() - with_area);
    let cases: Vec<bool> = history.iter().filter_map(|s| capitalised(s)).collect();
    let upper = cases.iter().filter(|c| **c).count();
    let case = majority(upper, cases.len() - upper);
    area.is_none_or(|a| a == area_of(subject).is_some())
        && case.is_none_or(|c| capitalised(subject).is_none_or(|s| s == c))
}

/// Judges every written message: (clean, in style, problems).
fn judge(written: &[Value]) -> Vec<(bool, bool, Vec<String>)> {
    let histories = histories();
    let messages: Vec<String> = written
        .iter()
        .map(|w| w["message"].as_str().unwrap().to_string())
        .collect();
    let lint = gitlint(&messages);
    written
        .iter()
        .zip(messages.iter().zip(lint))
        .map(|(w, (message, lint))| {
            let mut problems = own_problems(message);
            problems.extend(lint);
            let history = &histories[&key(w)];
            let subject = message.lines().next().unwrap_or("");
            (problems.is_empty(), in_style(subject, history), problems)
        })
        .collect()
}

fn lines_of(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The median of the per-message times, in seconds.
fn median_s(written: &[Value]) -> f64 {
    let mut ms: Vec<f64> = written.iter().map(|w| w["ms"].as_f64().unwrap()).collect();
    ms.sort_by(f64::total_cmp);
    ms[ms.len() / 2] / 1000.0
}

#[test]
fn commit_messages_are_clean_and_in_the_historys_style() {
    let before = lines_of(&std::fs::read_to_string(fixtures().join("before.jsonl")).unwrap());
    let env = Env::with_smol();
    let mut args = vec!["commit-eval", "run", "--temp", "0"];
    let files: Vec<String> = case_files()
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    args.extend(files.iter().map(String::as_str));
    let out = env.std_command(&args).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let after = lines_of(&stdout_of(&out));
    assert_eq!(after.len(), before.len(), "one message per case");

    let judged_before = judge(&before);
    let judged_after = judge(&after);
    let mut report = String::new();
    for (w, (clean, style, problems)) in after.iter().zip(&judged_after) {
        report.push_str(&format!(
            "{} {:.7} clean={clean} style={style} {:.1}s {:?} {problems:?}\n",
            w["repo"].as_str().unwrap(),
            w["sha"].as_str().unwrap(),
            w["ms"].as_f64().unwrap() / 1000.0,
            w["message"].as_str().unwrap().lines().next().unwrap_or(""),
        ));
    }
    let count = |j: &[(bool, bool, Vec<String>)], f: fn(&(bool, bool, Vec<String>)) -> bool| {
        j.iter().filter(|x| f(x)).count()
    };
    let n = after.len();
    let summary = format!(
        "before: clean {}/{n}, style {}/{n}, median {:.1} s; after: clean {}/{n}, style {}/{n}, median {:.1} s",
        count(&judged_before, |x| x.0),
        count(&judged_before, |x| x.1),
        median_s(&before),
        count(&judged_after, |x| x.0),
        count(&judged_after, |x| x.1),
        median_s(&after),
    );
    eprintln!("{report}{summary}");
    assert_eq!(count(&judged_after, |x| x.0), n, "{report}{summary}");
    assert!(
        count(&judged_after, |x| x.1) >= count(&judged_before, |x| x.1),
        "{report}{summary}"
    );
}

#[test]
fn the_judge_catches_what_it_should() {
    assert!(own_problems("Fix the parser\n").is_empty());
    for bad in [
        "chore: the staged changes are:\n",
        "1. Add a flag\n",
        "- Add a flag\n",
        "Here is the commit message\n",
        "Add a flag.\n",
        "\n",
        "chore: m src/engine/local.rs\n",
        "chore: 1. Add a flag\n",
        "build: [1.0.2]\n",
    ] {
        assert!(!own_problems(bad).is_empty(), "{bad:?}");
    }
    let area: Vec<String> = ["ignore: add x", "core: fix y", "Add z"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(in_style("walk: skip hidden files", &area));
    assert!(!in_style("Skip hidden files", &area));
    assert!(!in_style("walk: Skip hidden files", &area));
    let plain: Vec<String> = ["Add x", "Fix y", "ci: Support z"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(in_style("Skip hidden files", &plain));
    assert!(!in_style("skip hidden files", &plain));
}
