//! The routing evaluation (tests/fixtures/routing): every labelled request answered by the
//! real local model through `pai ask`, judged by its own rule, next to the confidence the
//! router computed after the first tokens. Reports the AUROC of that confidence for "the local
//! answer is right", on the whole set and on odd and even halves (the weights were fitted on
//! the odd half only), and the share that can stay local while quality stays at 95% of
//! always-remote. Private items go through a recording proxy: they must send nothing.
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{json_of, stderr_of};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/routing")
}

/// The judge's rule: on the lower-cased answer with whitespace collapsed, every condition
/// present must hold.
fn judged_right(answer: &str, judge: &Value) -> bool {
    let text = answer
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let strings = |key: &str| -> Vec<String> {
        judge[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_lowercase))
                    .collect()
            })
            .unwrap_or_default()
    };
    let any = strings("any");
    let ok_any = any.is_empty() || any.iter().any(|s| text.contains(s.as_str()));
    let ok_all = strings("all").iter().all(|s| text.contains(s.as_str()));
    let ok_none = !strings("none").iter().any(|s| text.contains(s.as_str()));
    let ok_regex = judge["regex"].as_str().is_none_or(|r| {
        regex::Regex::new(r)
            .unwrap_or_else(|e| panic!("judge regex {r}: {e}"))
            .is_match(&text)
    });
    ok_any && ok_all && ok_none && ok_regex
}

/// The probability that a right answer scores above a wrong one (ties count half).
fn auroc(scored: &[(f64, bool)]) -> f64 {
    let right: Vec<f64> = scored.iter().filter(|s| s.1).map(|s| s.0).collect();
    let wrong: Vec<f64> = scored.iter().filter(|s| !s.1).map(|s| s.0).collect();
    if right.is_empty() || wrong.is_empty() {
        return f64::NAN;
    }
    let mut wins = 0.0;
    for r in &right {
        for w in &wrong {
            wins += if r > w {
                1.0
            } else if r == w {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (right.len() * wrong.len()) as f64
}

/// The largest share answered locally (most confident first) at which quality stays at 95%
/// of always-remote, taking the remote tier as right on every item (an upper bound: no large
/// model runs here).
fn local_share_at_95(scored: &[(f64, bool)]) -> f64 {
    let mut sorted = scored.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let n = sorted.len() as f64;
    let mut best = 0.0;
    let mut wrong_kept = 0.0;
    for (k, (_, right)) in sorted.iter().enumerate() {
        if !right {
            wrong_kept += 1.0;
        }
        if (n - wrong_kept) / n >= 0.95 {
            best = (k + 1) as f64 / n;
        }
    }
    best
}

#[test]
fn the_confidence_signal_predicts_right_local_answers() {
    let items: Vec<Value> = std::fs::read_to_string(fixtures().join("items.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(items.len() >= 150, "{} items", items.len());
    let recorder = crate::router::Recorder::start(crate::serve::free_port());
    // The moment (date, time, directory) is left out so that the answers at temperature 0,
    // and with them the verdicts, are the same on every run.
    let config = crate::router::tiers(
        recorder.port,
        "mode = \"auto\"\nmedium_below = 0.0\nlarge_below = 0.0\n[context]\ncell = false",
    );
    let env = crate::router::client(&config);
    env.pai(&["index", "add"])
        .arg(fixtures().join("notes"))
        .assert()
        .success();
    env.pai(&["index", "add", "--private"])
        .arg(fixtures().join("private"))
        .assert()
        .success();
    let mut scored = Vec::new();
    let mut rows = Vec::new();
    let mut private_items = 0;
    let mut kept_private = 0;
    for (i, item) in items.iter().enumerate() {
        let mut cmd = env.pai(&["ask", "--json", "--temp", "0", "-n", "48"]);
        cmd.arg(item["prompt"].as_str().unwrap());
        cmd.write_stdin(item["stdin"].as_str().unwrap_or("").to_string());
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}: {}", item["id"], stderr_of(&out));
        let result = json_of(&out);
        let route = &result["route"];
        let right = judged_right(result["answer"].as_str().unwrap(), &item["judge"]);
        if item["private"].as_bool().unwrap_or(false) {
            private_items += 1;
            assert_eq!(route["tier"], "local", "{}: {route}", item["id"]);
            continue;
        }
        // A public question whose excerpts include a private note stays local by policy.
        let Some(confidence) = route["confidence"].as_f64() else {
            assert!(
                route["reason"].as_str().unwrap_or("").contains("private"),
                "{}: no confidence in {route}",
                item["id"]
            );
            kept_private += 1;
            continue;
        };
        scored.push((confidence, right));
        rows.push(serde_json::json!({
            "i": i, "id": item["id"], "kind": item["kind"], "right": right,
            "confidence": confidence, "signals": route["signals"], "answer": result["answer"],
        }));
    }
    let dump = Path::new(env!("CARGO_TARGET_TMPDIR")).join("routing-eval.jsonl");
    let lines: Vec<String> = rows.iter().map(Value::to_string).collect();
    std::fs::write(&dump, lines.join("\n")).unwrap();
    let half = |odd: bool| -> Vec<(f64, bool)> {
        rows.iter()
            .zip(&scored)
            .filter(|(r, _)| (r["i"].as_u64().unwrap() % 2 == 1) == odd)
            .map(|(_, s)| *s)
            .collect()
    };
    let right = scored.iter().filter(|s| s.1).count();
    let (all, odd, even) = (auroc(&scored), auroc(&half(true)), auroc(&half(false)));
    let share = local_share_at_95(&scored);
    eprintln!(
        "routing evaluation: {} items scored ({private_items} private items and {kept_private} with a private excerpt kept local, 0 bytes sent), local right on {right} ({:.0}%); \
         AUROC {all:.3} (odd half, fitted: {odd:.3}; even half, held out: {even:.3}); \
         local share at 95% of always-remote quality: {:.0}%; rows in {}",
        scored.len(),
        100.0 * right as f64 / scored.len() as f64,
        100.0 * share,
        dump.display()
    );
    assert_eq!(
        recorder.text(),
        "",
        "the evaluation sent bytes to the remote"
    );
    assert!(private_items >= 12, "{private_items} private items");
    // Measured with the weights fitted on the odd half before excerpts were chosen adaptively:
    // held out 0.811, all 0.850. With adaptive excerpts the local model is right more often
    // (45-47 of 180, against 34 of 176) and two clean runs read held out 0.715 and 0.688, all
    // 0.780 and 0.738 (62 of 180 answers differed between those runs, at temperature 0 and
    // without the context cell: the default thread count follows the machine's load).
    // Refitting on the odd half with the new answers gave 0.70-0.72 held out, so the weights
    // stay; these floors still fail a signal that has stopped working (about 0.5) until it
    // gains a feature for how well the chosen excerpt matches.
    assert!(even >= 0.65, "held-out AUROC {even:.3} is below 0.65");
    assert!(all >= 0.70, "AUROC {all:.3} is below 0.70");
}

#[test]
fn the_metrics_are_what_they_say() {
    let perfect = [(0.9, true), (0.8, true), (0.2, false)];
    assert_eq!(auroc(&perfect), 1.0);
    let backwards = [(0.1, true), (0.9, false)];
    assert_eq!(auroc(&backwards), 0.0);
    assert_eq!(auroc(&[(0.5, true), (0.5, false)]), 0.5);
    // 20 items, 1 wrong among the most confident: 95% holds with all 20 local.
    let mut items: Vec<(f64, bool)> = (0..20).map(|i| (1.0 - i as f64 / 20.0, true)).collect();
    items[3].1 = false;
    assert_eq!(local_share_at_95(&items), 1.0);
    let judge = serde_json::json!({"regex": "\\b12\\b", "none": ["120"]});
    assert!(judged_right("The answer is  12.", &judge));
    assert!(!judged_right("120", &judge));
}

/// The judges in Rust give the verdicts written down with the set (reference answers, wrong
/// answers a looser rule would pass, and real local answers).
#[test]
fn the_judges_give_the_recorded_verdicts() {
    let items: std::collections::HashMap<String, Value> =
        std::fs::read_to_string(fixtures().join("items.jsonl"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .map(|v| (v["id"].as_str().unwrap().to_string(), v))
            .collect();
    let cases = std::fs::read_to_string(fixtures().join("judge_cases.jsonl")).unwrap();
    let mut checked = 0;
    for line in cases.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let item = &items[case["id"].as_str().unwrap()];
        let verdict = judged_right(case["answer"].as_str().unwrap(), &item["judge"]);
        assert_eq!(verdict, case["expect"].as_bool().unwrap(), "{case}");
        checked += 1;
    }
    assert!(checked >= 400, "{checked} cases");
}
