//! `pai audit` and `pai stats` over real SQLite files: rows are recorded through the library
//! (the router's API), then read back through the binary.
use chrono::{DateTime, Duration, Utc};
use pai::router::Tier;
use pai::store::calls::{month_of, NewCall};
use pai::store::{migrations, Store};

use crate::util::{json_of, stderr_of, stdout_of, Env};

fn store(env: &Env) -> Store {
    Store::open(&env.path("pai.db")).unwrap()
}

fn remote<'a>(tier: Tier, endpoint: &'a str, payload: &'a str) -> NewCall<'a> {
    NewCall {
        front: "ask",
        tier,
        reason: "--tier",
        endpoint: Some(endpoint),
        model: "qwen-72b",
        tokens_in: 1200,
        tokens_out: 300,
        cost_usd: 0.0081,
        avoided_usd: 0.0,
        redactions: 2,
        payload: Some(payload),
        keep_payload: false,
        outcome: "ok",
        local_tokens: 0,
    }
}

fn local() -> NewCall<'static> {
    NewCall {
        front: "chat",
        tier: Tier::Local,
        reason: "default",
        endpoint: None,
        model: "smol",
        tokens_in: 400,
        tokens_out: 100,
        cost_usd: 0.0,
        avoided_usd: 0.0007,
        redactions: 0,
        payload: None,
        keep_payload: false,
        outcome: "ok",
        local_tokens: 0,
    }
}

fn sha256(text: &str) -> String {
    pai::store::calls::sha256_hex(text)
}

/// The first moment of the month (UTC) that contains `now`.
fn month_start(now: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&month_of(now).0)
        .unwrap()
        .to_utc()
}

#[test]
fn audit_lists_remote_calls_newest_first_and_all_adds_local_ones() {
    let env = Env::new();
    let db = store(&env);
    let first = db
        .record_call(&remote(Tier::Medium, "mid", "first payload"))
        .unwrap();
    let quiet = db.record_call(&local()).unwrap();
    let kept = NewCall {
        keep_payload: true,
        outcome: "escalated",
        local_tokens: 24,
        ..remote(Tier::Large, "big", "kept payload")
    };
    let last = db.record_call(&kept).unwrap();
    drop(db);

    let out = env.pai(&["audit", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let rows = json_of(&out);
    let rows = rows.as_array().unwrap();
    let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [last, first], "remote only, newest first");

    let top = &rows[0];
    assert_eq!(top["tier"], "large");
    assert_eq!(top["endpoint"], "big");
    assert_eq!(top["model"], "qwen-72b");
    assert_eq!(top["front"], "ask");
    assert_eq!(top["reason"], "--tier");
    assert_eq!(top["tokens_in"], 1200);
    assert_eq!(top["tokens_out"], 300);
    assert_eq!(top["cost_usd"], 0.0081);
    assert_eq!(top["avoided_usd"], 0.0);
    assert_eq!(top["redactions"], 2);
    assert_eq!(top["outcome"], "escalated");
    assert_eq!(top["local_tokens"], 24);
    assert!(top["created"].as_str().unwrap().ends_with('Z'), "{top}");
    // The payload only where it was kept; the hash always.
    assert_eq!(top["payload"], "kept payload");
    assert_eq!(top["payload_sha256"], sha256("kept payload"));
    assert!(rows[1].get("payload").is_none(), "{}", rows[1]);
    assert_eq!(rows[1]["payload_sha256"], sha256("first payload"));

    let all = json_of(&env.pai(&["audit", "--json", "--all"]).output().unwrap());
    let ids: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [last, quiet, first]);
    let local_row = &all[1];
    assert_eq!(local_row["tier"], "local");
    assert!(local_row["endpoint"].is_null(), "{local_row}");
    assert!(local_row["payload_sha256"].is_null(), "{local_row}");

    let one = json_of(&env.pai(&["audit", "--json", "-n", "1"]).output().unwrap());
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["id"], last);
    let every = json_of(
        &env.pai(&["audit", "--json", "-n", "0", "--all"])
            .output()
            .unwrap(),
    );
    assert_eq!(every.as_array().unwrap().len(), 3);
}

#[test]
fn the_table_shows_one_line_per_call_with_the_hash_cut() {
    let env = Env::new();
    let db = store(&env);
    db.record_call(&remote(Tier::Medium, "mid", "hello"))
        .unwrap();
    let odd = NewCall {
        model: "evil\x1b[2Jmodel",
        ..remote(Tier::Large, "big", "other")
    };
    db.record_call(&odd).unwrap();
    db.record_call(&local()).unwrap();
    drop(db);

    let out = env.pai(&["audit"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let table = stdout_of(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "a header and two remote calls:\n{table}");
    for column in [
        "TIME", "TIER", "ENDPOINT", "MODEL", "IN", "OUT", "COST", "REDACTED", "OUTCOME", "SHA256",
    ] {
        assert!(lines[0].contains(column), "{column}: {}", lines[0]);
    }
    assert!(
        lines[1].contains("large") && lines[1].contains("big"),
        "{table}"
    );
    assert!(
        !table.contains('\x1b'),
        "escape sequences removed: {table:?}"
    );
    assert!(lines[1].contains("evil[2Jmodel"), "{table}");
    let hash = sha256("hello");
    assert!(lines[2].contains(&hash[..12]), "{table}");
    assert!(
        !lines[2].contains(&hash[..13]),
        "only 12 hex digits: {table}"
    );
    assert!(lines[2].contains("$0.0081"), "{table}");
    assert!(
        lines[2].contains("1200") && lines[2].contains("300"),
        "{table}"
    );

    let all = stdout_of(&env.pai(&["audit", "--all"]).output().unwrap());
    assert_eq!(all.lines().count(), 4, "{all}");
    assert!(all.lines().nth(1).unwrap().contains("local"), "{all}");
}

#[test]
fn an_empty_log_says_so_and_prints_nothing() {
    let env = Env::new();
    // No database at all: an empty log, not an error, and no file created.
    let out = env.pai(&["audit"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out), "");
    assert!(stderr_of(&out).contains("no request has left this machine"));
    let out = env.pai(&["audit", "--json"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(stdout_of(&out).trim(), "[]");
    assert!(
        !env.path("pai.db").exists(),
        "reading never creates the database"
    );

    // Only local requests: nothing left the machine.
    store(&env).record_call(&local()).unwrap();
    let out = env.pai(&["audit"]).output().unwrap();
    assert_eq!(stdout_of(&out), "");
    assert!(stderr_of(&out).contains("--all"), "{}", stderr_of(&out));
    let json = json_of(&env.pai(&["audit", "--json"]).output().unwrap());
    assert_eq!(json, serde_json::json!([]));

    let out = env.pai(&["stats", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(json_of(&out)["requests"], 1);
}

#[test]
fn stats_sum_the_log_and_give_the_local_share() {
    let env = Env::new();
    env.write(
        "config.toml",
        r#"
[endpoints.mid]
url = "http://127.0.0.1:9/v1"
model = "qwen-7b"
input_usd_per_mtok = 1.0
output_usd_per_mtok = 2.0

[endpoints.big]
url = "http://127.0.0.1:9/v1"
model = "qwen-72b"
input_usd_per_mtok = 3.0
output_usd_per_mtok = 15.0

[tiers]
medium = "mid"
large = "big"

[router.monthly_budget_usd]
medium = 0.05
"#,
    );
    let db = store(&env);
    let now = Utc::now();
    let last_month = month_start(now) - Duration::milliseconds(1);
    for _ in 0..3 {
        db.record_call(&local()).unwrap();
    }
    db.record_call(&NewCall {
        outcome: "failed",
        avoided_usd: 0.0,
        ..local()
    })
    .unwrap();
    db.record_call(&remote(Tier::Medium, "mid", "a")).unwrap();
    db.record_call(&NewCall {
        outcome: "fallback",
        cost_usd: 0.0,
        avoided_usd: 0.0007,
        ..remote(Tier::Medium, "mid", "b")
    })
    .unwrap();
    db.record_call(&NewCall {
        outcome: "escalated",
        local_tokens: 24,
        cost_usd: 0.02,
        ..remote(Tier::Large, "big", "c")
    })
    .unwrap();
    // Last month: in the totals, not in this month's spending.
    db.record_call_at(&remote(Tier::Medium, "mid", "old"), last_month)
        .unwrap();
    assert!((db.month_spent(Tier::Medium, now).unwrap() - 0.0081).abs() < 1e-12);
    assert!((db.month_spent(Tier::Medium, last_month).unwrap() - 0.0081).abs() < 1e-12);
    assert!((db.month_spent(Tier::Large, now).unwrap() - 0.02).abs() < 1e-12);
    drop(db);

    let out = env.pai(&["stats", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let s = json_of(&out);
    assert_eq!(s["month"], serde_json::Value::Null);
    assert_eq!(s["requests"], 8);
    assert_eq!(s["local"], 4, "three local answers and a fallback");
    assert_eq!(s["local_percent"], 50.0);
    assert_eq!(s["remote_calls"], 4);
    assert_eq!(s["escalated"], 1);
    assert_eq!(s["fallback"], 1);
    assert_eq!(s["failed"], 1);
    assert_eq!(s["by_tier"]["local"]["requests"], 4);
    assert_eq!(s["by_tier"]["medium"]["requests"], 3);
    assert_eq!(s["by_tier"]["large"]["requests"], 1);
    assert_eq!(s["tokens_in"], 4 * 400 + 4 * 1200);
    assert_eq!(s["tokens_out"], 4 * 100 + 4 * 300);
    assert_eq!(s["local_tokens"], 24);
    let close = |key: &serde_json::Value, want: f64| (key.as_f64().unwrap() - want).abs() < 1e-9;
    assert!(close(&s["cost_usd"], 0.0081 * 2.0 + 0.02), "{s}");
    assert!(close(&s["avoided_usd"], 0.0007 * 4.0), "{s}");
    assert!(close(&s["always_remote_usd"], 0.0362 + 0.0028), "{s}");

    let budget = &s["budget"];
    assert_eq!(budget["month"], now.format("%Y-%m").to_string());
    assert_eq!(budget["medium"]["endpoint"], "mid");
    assert!(close(&budget["medium"]["spent_usd"], 0.0081), "{budget}");
    assert_eq!(budget["medium"]["budget_usd"], 0.05);
    assert!(close(&budget["medium"]["percent"], 16.2), "{budget}");
    assert!(close(&budget["large"]["spent_usd"], 0.02), "{budget}");
    assert!(budget["large"]["budget_usd"].is_null(), "{budget}");

    // One month: only its requests, and its spending against the budgets.
    let previous = last_month.format("%Y-%m").to_string();
    let old = json_of(
        &env.pai(&["stats", "--json", "--month", &previous])
            .output()
            .unwrap(),
    );
    assert_eq!(old["month"], previous.as_str());
    assert_eq!(old["requests"], 1);
    assert_eq!(old["local_percent"], 0.0);
    assert_eq!(old["budget"]["month"], previous.as_str());
    assert!(
        close(&old["budget"]["medium"]["spent_usd"], 0.0081),
        "{old}"
    );
    assert!(close(&old["budget"]["large"]["spent_usd"], 0.0), "{old}");

    let text = stdout_of(&env.pai(&["stats"]).output().unwrap());
    assert!(text.contains("answered locally  4 (50.0%)"), "{text}");
    assert!(
        text.contains("remote calls      4 (medium 3, large 1)"),
        "{text}"
    );
    assert!(text.contains("mid"), "{text}");
    assert!(text.contains("of $0.05 (16.2%)"), "{text}");
    assert!(text.contains("no budget"), "{text}");

    let bad = env.pai(&["stats", "--month", "2026-13"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2), "{}", stderr_of(&bad));
}

#[test]
fn a_version_2_database_gains_the_log_and_keeps_its_conversations() {
    let env = Env::new();
    let path = env.path("pai.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in &migrations::MIGRATIONS[..2] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute_batch(
            "INSERT INTO conversations (id, title, model) VALUES (7, 'wireguard keys', 'smol');
             INSERT INTO messages (conversation, role, text)
             VALUES (7, 'user', 'How do I make WireGuard keys?');",
        )
        .unwrap();
    }

    // A reading command migrates it, and finds an empty log.
    let out = env.pai(&["audit", "--json", "--all"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out).trim(), "[]");

    let db = store(&env);
    // Every later migration runs too (0003 made the log; later ones add their own tables).
    assert_eq!(
        migrations::version(db.connection()).unwrap(),
        migrations::latest()
    );
    assert!(migrations::latest() >= 3);
    let kept = db.summary(7).unwrap().unwrap();
    assert_eq!(kept.title, "wireguard keys");
    assert_eq!(kept.messages, 1);
    assert_eq!(db.search("wireguard", 10).unwrap().len(), 1);
    db.record_call(&remote(Tier::Medium, "mid", "x")).unwrap();
    drop(db);

    let list = json_of(&env.pai(&["history", "list", "--json"]).output().unwrap());
    assert_eq!(list[0]["id"], 7);
    assert_eq!(
        json_of(&env.pai(&["audit", "--json"]).output().unwrap())
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[cfg(unix)]
#[test]
fn the_log_is_readable_only_by_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    store(&env)
        .record_call(&remote(Tier::Medium, "mid", "secret-ish"))
        .unwrap();
    let mode = std::fs::metadata(env.path("pai.db"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}
