//! Redaction: the corpus in tests/fixtures/redaction through the library (recall, false
//! positives, restoring), and `pai redact` through the real binary.
use std::collections::BTreeMap;
use std::path::PathBuf;

use pai::router::redact::Redactor;

use crate::util::{json_of, stderr_of, stdout_of, Env};

struct Snippet {
    kind: String,
    /// "tune" or "held" in the personal-secrets corpus; empty in the first one.
    half: String,
    text: String,
    secrets: Vec<String>,
    /// Look-alikes that must stay (the corpus from real package files): a redaction that
    /// removes any of them is a false positive, whatever else in the text it replaces.
    keep: Vec<String>,
}

fn corpus(file: &str) -> Vec<Snippet> {
    corpus_in("redaction", file)
}

fn corpus_in(folder: &str, file: &str) -> Vec<Snippet> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder)
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            Snippet {
                kind: v["kind"].as_str().unwrap().to_string(),
                half: v["half"].as_str().unwrap_or("").to_string(),
                text: v["text"].as_str().unwrap().to_string(),
                secrets: strings(&v["secrets"]),
                keep: strings(&v["keep"]),
            }
        })
        .collect()
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// Misses by kind, each with the first secret that survived.
fn report(misses: &BTreeMap<String, Vec<String>>) -> String {
    misses
        .iter()
        .map(|(kind, examples)| {
            let shown: Vec<&str> = examples.iter().take(5).map(String::as_str).collect();
            format!("  {kind}: {} ({})", examples.len(), shown.join(" | "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn corpus_recall_and_false_positives() {
    let positives = corpus("positives.jsonl");
    let negatives = corpus("negatives.jsonl");
    assert!(positives.len() >= 300 && negatives.len() >= 300);

    let mut misses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in &positives {
        let mut r = Redactor::new();
        let out = r.redact(&s.text);
        assert_eq!(r.restore(&out), s.text, "restore(redact(x)) != x");
        assert!(Redactor::leaks(&out).is_empty(), "leaks in {out}");
        if let Some(left) = s
            .secrets
            .iter()
            .find(|secret| out.contains(secret.as_str()))
        {
            misses.entry(s.kind.clone()).or_default().push(left.clone());
        }
    }
    let mut false_positives: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in &negatives {
        let mut r = Redactor::new();
        let out = r.redact(&s.text);
        assert_eq!(r.restore(&out), s.text, "restore(redact(x)) != x");
        if r.count() > 0 {
            false_positives
                .entry(s.kind.clone())
                .or_default()
                .push(out.clone());
        }
    }
    let missed: usize = misses.values().map(Vec::len).sum();
    let flagged: usize = false_positives.values().map(Vec::len).sum();
    let recall = 1.0 - missed as f64 / positives.len() as f64;
    let fp_rate = flagged as f64 / negatives.len() as f64;
    eprintln!(
        "redaction corpus: recall {recall:.3} ({missed} of {} missed), false positives {fp_rate:.3} ({flagged} of {})",
        positives.len(),
        negatives.len()
    );
    if missed + flagged > 0 {
        eprintln!(
            "missed:\n{}\nflagged:\n{}",
            report(&misses),
            report(&false_positives)
        );
    }
    assert!(
        recall >= 0.98,
        "recall {recall:.3}; misses by kind:\n{}",
        report(&misses)
    );
    assert!(
        fp_rate <= 0.01,
        "false positives {fp_rate:.3}; by kind:\n{}",
        report(&false_positives)
    );
}

/// One half of the personal-secrets corpus: recall overall and by kind, and false positives.
struct HalfFigures {
    recall: f64,
    fp_rate: f64,
    by_kind: BTreeMap<String, (usize, usize)>,
    /// Clean texts by kind: (changed, all).
    fp_by_kind: BTreeMap<String, (usize, usize)>,
    misses: BTreeMap<String, Vec<String>>,
    flagged: BTreeMap<String, Vec<String>>,
}

fn measure_half(positives: &[Snippet], negatives: &[Snippet], half: &str) -> HalfFigures {
    let mut f = HalfFigures {
        recall: 0.0,
        fp_rate: 0.0,
        by_kind: BTreeMap::new(),
        fp_by_kind: BTreeMap::new(),
        misses: BTreeMap::new(),
        flagged: BTreeMap::new(),
    };
    let (mut n_pos, mut n_neg, mut missed, mut flagged) = (0, 0, 0, 0);
    for s in positives.iter().filter(|s| s.half == half) {
        let mut r = Redactor::new();
        let out = r.redact(&s.text);
        assert_eq!(r.restore(&out), s.text, "restore(redact(x)) != x");
        let entry = f.by_kind.entry(s.kind.clone()).or_default();
        entry.1 += 1;
        n_pos += 1;
        match s
            .secrets
            .iter()
            .find(|secret| out.contains(secret.as_str()))
        {
            Some(left) => {
                missed += 1;
                f.misses
                    .entry(s.kind.clone())
                    .or_default()
                    .push(left.clone());
            }
            None => entry.0 += 1,
        }
    }
    for s in negatives.iter().filter(|s| s.half == half) {
        let mut r = Redactor::new();
        let out = r.redact(&s.text);
        n_neg += 1;
        let changed = match s.keep.is_empty() {
            true => r.count() > 0,
            false => s.keep.iter().any(|k| !out.contains(k.as_str())),
        };
        let entry = f.fp_by_kind.entry(s.kind.clone()).or_default();
        entry.1 += 1;
        if changed {
            entry.0 += 1;
            flagged += 1;
            let shown: Vec<&str> = out.lines().filter(|l| l.contains("[REDACTED_")).collect();
            f.flagged
                .entry(s.kind.clone())
                .or_default()
                .push(shown.join(" / "));
        }
    }
    f.recall = 1.0 - missed as f64 / n_pos as f64;
    f.fp_rate = flagged as f64 / n_neg as f64;
    eprintln!(
        "{half} half: recall {:.3} ({missed} of {n_pos} missed), false positives {:.3} ({flagged} of {n_neg})",
        f.recall, f.fp_rate
    );
    let kinds: Vec<String> = f
        .by_kind
        .iter()
        .map(|(k, (caught, n))| format!("{k} {caught}/{n}"))
        .collect();
    eprintln!("  caught by kind: {}", kinds.join(", "));
    let kinds: Vec<String> = f
        .fp_by_kind
        .iter()
        .map(|(k, (changed, n))| format!("{k} {changed}/{n}"))
        .collect();
    eprintln!("  changed clean texts by kind: {}", kinds.join(", "));
    f
}

/// Asserts one half's figures against its floors: recall, false positives, and the share of
/// each kind caught.
fn check_floors(f: &HalfFigures, half: &str, recall: f64, fp_rate: f64, per_kind: f64) {
    assert!(f.recall >= recall, "{half} half: recall {:.3}", f.recall);
    assert!(
        f.fp_rate <= fp_rate,
        "{half} half: false positives {:.3}",
        f.fp_rate
    );
    for (kind, (caught, n)) in &f.by_kind {
        let share = *caught as f64 / *n as f64;
        assert!(
            share >= per_kind,
            "{half} half: {kind} caught {caught} of {n}"
        );
    }
}

/// Prints a half's misses and false positives when PAI_EVAL_VERBOSE asks: `1` shows the tune
/// half only, `held` both (for the report, once tuning is done).
fn show_if_asked(f: &HalfFigures, half: &str) {
    let verbose = std::env::var("PAI_EVAL_VERBOSE").ok();
    if verbose.as_deref() == Some("held") || (verbose.is_some() && half == "tune") {
        eprintln!(
            "missed:\n{}\nflagged:\n{}",
            report(&f.misses),
            report(&f.flagged)
        );
    }
}

#[test]
fn personal_secrets_in_real_text_by_half() {
    // Issue 27: secrets people keep in notes, inserted into paragraphs of Debian and PyPI
    // packages' docs (tests/fixtures/redaction-notes). The rules were written looking only
    // at the tune half's misses; the held-out half is the measure, and its misses are shown
    // only with PAI_EVAL_VERBOSE=held (for reporting once the tuning is done).
    eprintln!("personal secrets (tests/fixtures/redaction-notes):");
    let positives = corpus_in("redaction-notes", "positives.jsonl");
    let negatives = corpus_in("redaction-notes", "negatives.jsonl");
    assert!(positives.len() >= 400 && negatives.len() >= 500);
    // Floors: the tune half at issue 27's targets; the held-out half just under what the
    // rules reach there, which is short of the targets (recall 0.975 against 0.98, false
    // positives 0.040 against 0.01, passwords in a sentence 20 of 24 against 0.9): the gap
    // is what rules learnt on one half leave on the other, and it stays visible here.
    let floors = [("tune", 0.98, 0.01, 0.9), ("held", 0.97, 0.05, 0.8)];
    for (half, recall, fp_rate, per_kind) in floors {
        let f = measure_half(&positives, &negatives, half);
        show_if_asked(&f, half);
        check_floors(&f, half, recall, fp_rate, per_kind);
    }
}

#[test]
fn real_package_text_by_half() {
    // Issue 27, second pass: passwords written in the package authors' own sentences (the
    // value replaced by a fake), and look-alikes from their files that must stay (base64
    // data, placeholders, public keys, variable references, hashes, UUIDs, versions, commit
    // ids): tests/fixtures/redaction-real, split by file before looking.
    eprintln!("real package text (tests/fixtures/redaction-real):");
    let positives = corpus_in("redaction-real", "positives.jsonl");
    let negatives = corpus_in("redaction-real", "negatives.jsonl");
    assert!(positives.len() >= 250 && negatives.len() >= 1400);
    // Floors: the tune half at what the rules reach (recall 0.978, 3 of 137 missed, short
    // of issue 27's 0.98; false positives 0.006 under its 0.01; each kind 0.97 or more); the
    // held half just under what was measured (recall 0.948, false positives 0.018, passwords
    // in a sentence 33 of 38). Base64 data under names that say nothing stays the hard part.
    // Third pass (rules chosen on the tune halves, redaction-wild's among them): tune the
    // same; held 0.963 (5 of 135 missed, passwords in a sentence 35 of 38), 0.018 changed.
    let floors = [("tune", 0.97, 0.01, 0.95), ("held", 0.94, 0.02, 0.85)];
    for (half, recall, fp_rate, per_kind) in floors {
        let f = measure_half(&positives, &negatives, half);
        show_if_asked(&f, half);
        check_floors(&f, half, recall, fp_rate, per_kind);
    }
}

/// The halves to measure: both, or those PAI_EVAL_HALVES names ("tune" while tuning, so that
/// a new set's held half is scored once, at the end).
fn halves_asked() -> Vec<&'static str> {
    let asked = std::env::var("PAI_EVAL_HALVES").unwrap_or_default();
    ["tune", "held"]
        .into_iter()
        .filter(|h| asked.is_empty() || asked.split(',').any(|a| a == *h))
        .collect()
}

/// Measures each half `PAI_EVAL_HALVES` asks for against its floors: (half, recall, share
/// of clean texts changed, weakest kind's recall).
fn check_asked_halves(
    positives: &[Snippet],
    negatives: &[Snippet],
    floors: [(&str, f64, f64, f64); 2],
) {
    let asked = halves_asked();
    for (half, recall, fp_rate, per_kind) in floors {
        if asked.contains(&half) {
            let f = measure_half(positives, negatives, half);
            show_if_asked(&f, half);
            check_floors(&f, half, recall, fp_rate, per_kind);
        }
    }
}

#[test]
fn wild_package_text_by_half() {
    // Issue 27, third pass: the personal kinds where real packages show them (Docker `auth`,
    // WireGuard private keys, Telegram bot tokens, Twilio auth tokens,
    // TOTP seeds, passwords), each value replaced by a fake of its form, and the look-alikes
    // beside them: tests/fixtures/redaction-wild (PyPI sdists and Debian packages no earlier
    // set used), split by file before the redactor ran on any of it.
    eprintln!("wild package text (tests/fixtures/redaction-wild):");
    let positives = corpus_in("redaction-wild", "positives.jsonl");
    let negatives = corpus_in("redaction-wild", "negatives.jsonl");
    assert!(positives.len() >= 250 && negatives.len() >= 800);
    // Floors, just under what was measured (AMD EPYC, 2 shared cores). Before this pass's
    // rules: tune recall 0.890 (15 of 136 missed), 1 of 419 look-alikes changed; held 0.891
    // (18 of 165), 0 of 413. After: tune 0.934 (9 missed; TOTP seeds 4/9 -> 9/9), 0 changed;
    // held 0.903 (16 missed; TOTP seeds 6/11 -> 8/11), 0 changed. The weakest kinds: passwords
    // in a sentence 35/40 (tune), TOTP seeds 8/11 (held). Short of issue 27's targets (recall
    // 0.98, every kind 0.9): passwords in slots where the source had a variable stay hard.
    let floors = [("tune", 0.93, 0.01, 0.85), ("held", 0.90, 0.01, 0.7)];
    check_asked_halves(&positives, &negatives, floors);
}

#[test]
fn kinds_package_text_by_half() {
    // Issue 27, fourth pass: the kinds no earlier real set held (PINs and alarm or lock
    // codes, recovery and backup codes, Kubernetes Secret data, word passphrases) and more
    // Docker `auth`, WireGuard, Twilio, Telegram and TOTP slots, with the look-alikes beside
    // them (ports, phone numbers, dates, status codes, placeholders): tests/fixtures/
    // redaction-kinds, PyPI sdists and Debian packages, split by file before the redactor ran.
    eprintln!("kinds in package text (tests/fixtures/redaction-kinds):");
    let positives = corpus_in("redaction-kinds", "positives.jsonl");
    let negatives = corpus_in("redaction-kinds", "negatives.jsonl");
    assert!(positives.len() >= 200 && negatives.len() >= 600);
    // Floors just under what was measured (AMD EPYC, 2 shared cores). Before this pass's
    // rules: tune recall 0.627 (38 of 102 missed), 3 of 341 look-alikes changed. After: tune
    // 0.882 (12 missed; recovery codes 6/14, passphrases 13/14, PINs 15/16), 3 changed (base64
    // data); held, measured once: 0.880 (13 of 108 missed; recovery codes 0/3, passphrases
    // 8/12, PINs 17/22), 0 of 335 changed. Then lists of codes with no words before them
    // (`code_list`): tune 0.931 (recovery codes 11/14), 3 changed; held, measured a second
    // time, unchanged (0.880, recovery codes 0/3). Fifth pass (rules chosen on the tune halves,
    // redaction-prose's among them): tune 0.951 (PINs 16/16, passphrases 14/14); held,
    // measured once, 0.889 (PINs 18/22, passphrases 8/12, recovery codes 0/3), 0 changed.
    let floors = [("tune", 0.94, 0.01, 0.75), ("held", 0.88, 0.01, 0.0)];
    check_asked_halves(&positives, &negatives, floors);
}

#[test]
fn prose_package_text_by_half() {
    // Issue 27, fifth pass: personal secrets as documentation writes them (passwords
    // announced by a sentence, PINs and token codes, word passphrases, TOTP seeds) and the
    // look-alikes after the same words (placeholders, PIN lengths, other codes, ports):
    // tests/fixtures/redaction-prose, PyPI sdists and Debian packages no earlier set used,
    // split by file before the redactor ran on any of it.
    eprintln!("prose in package text (tests/fixtures/redaction-prose):");
    let positives = corpus_in("redaction-prose", "positives.jsonl");
    let negatives = corpus_in("redaction-prose", "negatives.jsonl");
    assert!(positives.len() >= 150 && negatives.len() >= 300);
    // Floors just under what was measured (AMD EPYC, 2 shared cores). Before this pass's
    // rules: tune recall 0.889 (13 of 117 missed; passwords in a sentence 2/9, PINs 1/6), 12
    // of 464 look-alikes changed; held 0.880 (16 of 133), 8 of 467. After: tune 1.000, 3
    // changed (base64 data); held, measured once: 0.947 (7 missed; PINs 5/9, passwords in a
    // sentence 10/11), 3 of 467 changed. PINs on the held half stay short of issue 27's 0.9.
    let floors = [("tune", 0.99, 0.01, 0.95), ("held", 0.94, 0.01, 0.5)];
    check_asked_halves(&positives, &negatives, floors);
}

#[test]
fn prints_what_would_be_sent_and_a_summary() {
    let env = Env::new();
    let text = "DB_PASSWORD=Tundra2291!\naws_access_key_id = AKIAQWERTYU2345ABCDE\n\
                again: AKIAQWERTYU2345ABCDE\n";
    let out = env.pai(&["redact"]).write_stdin(text).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    assert!(!stdout.contains("Tundra2291!") && !stdout.contains("AKIAQWERTYU2345ABCDE"));
    assert!(stdout.contains("[REDACTED_AWS_ACCESS_KEY_"), "{stdout}");
    assert_eq!(
        stderr_of(&out).trim(),
        "pai: 2 secrets replaced: 1 aws_access_key, 1 password"
    );
}

#[test]
fn nothing_to_hide_is_said_once() {
    let env = Env::new();
    let text = "commit 3f9a2b1c4d5e6f708192a3b4c5d6e7f8091a2b3c\nreset your password at https://example.org\n";
    let out = env.pai(&["redact"]).write_stdin(text).output().unwrap();
    assert!(out.status.success());
    assert_eq!(stdout_of(&out), text);
    assert_eq!(stderr_of(&out).trim(), "pai: no secrets found");
}

#[test]
fn json_has_the_documented_shape_and_no_secret() {
    let env = Env::new();
    let token = "ghp_Zq8xT2mK9pL4vN7rB3wY6cF1hJ5dS0aGeUoI";
    let text = format!("git remote set-url origin https://{token}@github.com/me/x.git\n");
    let out = env
        .pai(&["redact", "--json"])
        .write_stdin(text.as_str())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).contains(token));
    let v = json_of(&out);
    assert_eq!(v["count"], 1);
    assert!(v["text"]
        .as_str()
        .unwrap()
        .contains("[REDACTED_GITHUB_TOKEN_1]"));
    assert_eq!(
        v["redactions"][0]["placeholder"],
        "[REDACTED_GITHUB_TOKEN_1]"
    );
    assert_eq!(v["redactions"][0]["kind"], "github_token");
    assert_eq!(v["leaks"], serde_json::json!([]));
}

#[test]
fn empty_stdin_is_an_error() {
    let env = Env::new();
    let out = env.pai(&["redact"]).write_stdin("  \n").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("nothing on stdin"),
        "{}",
        stderr_of(&out)
    );
    assert!(stdout_of(&out).is_empty());
}

#[test]
fn binary_stdin_is_an_error() {
    let env = Env::new();
    let mut blob = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    blob.extend((0..2000u32).map(|i| (i * 7 % 256) as u8));
    let out = env.pai(&["redact"]).write_stdin(blob).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("binary"), "{}", stderr_of(&out));
    assert!(stdout_of(&out).is_empty());
}

#[test]
fn a_terminal_on_stdin_is_an_error_with_a_hint() {
    let env = Env::new();
    // `script` gives the command a terminal of its own as stdin and stdout.
    let pai = assert_cmd::cargo::cargo_bin("pai");
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("{} redact", pai.display()), "/dev/null"])
        .env("PAI_HOME", env.home.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let screen = stdout_of(&out);
    assert_eq!(out.status.code(), Some(1), "{screen}");
    assert!(screen.contains("stdin, which is a terminal"), "{screen}");
    assert!(screen.contains("pai redact < file"), "{screen}");
}
