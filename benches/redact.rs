//! Redaction speed: `cargo bench --bench redact`. Times `Redactor::redact` over the whole
//! redaction corpus at once and over 10 KB blocks of it, and prints milliseconds per 10 KB
//! (issue 27's target is 1 ms or less). Compiling the rules happens once per process and is reported
//! on its own.
use std::time::{Duration, Instant};

use pai::router::redact::Redactor;

const BLOCK: usize = 10 * 1024;

fn corpus() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/redaction");
    let mut text = String::new();
    for file in ["positives.jsonl", "negatives.jsonl"] {
        let lines = std::fs::read_to_string(dir.join(file)).expect("the corpus is readable");
        for line in lines.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("a corpus line is JSON");
            text.push_str(v["text"].as_str().unwrap_or_default());
            text.push_str("\n\n");
        }
    }
    text
}

/// The text cut into blocks of about `BLOCK` bytes, at line ends.
fn blocks(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + BLOCK).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        if let Some(nl) = text[end..].find('\n') {
            end += nl + 1;
        }
        out.push(&text[start..end]);
        start = end;
    }
    out
}

/// The fastest of `runs` timings of `f`, so that a busy machine shows less.
fn best(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn per_block(d: Duration, bytes: usize) -> f64 {
    d.as_secs_f64() * 1000.0 * BLOCK as f64 / bytes as f64
}

fn main() {
    let text = corpus();
    let t = Instant::now();
    let found = Redactor::new()
        .redact("warm-up: AKIAQWERTYU2345ABCDE")
        .len();
    println!(
        "compiling the rules (once per process): {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    assert!(found > 0);

    let whole = best(10, || {
        Redactor::new().redact(&text);
    });
    println!(
        "whole corpus ({} KB): {:.2} ms, {:.3} ms per 10 KB",
        text.len() / 1024,
        whole.as_secs_f64() * 1000.0,
        per_block(whole, text.len())
    );

    let blocks = blocks(&text);
    let mut times: Vec<f64> = blocks
        .iter()
        .map(|b| per_block(best(20, || drop(Redactor::new().redact(b))), b.len()))
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "{} blocks of 10 KB: median {:.3} ms, slowest {:.3} ms per 10 KB",
        times.len(),
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
