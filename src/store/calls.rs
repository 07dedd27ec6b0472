//! The audit log and usage figures: one row in `calls` (migration 0003) for every request the
//! router handled, local ones too. A row that left the machine says where it went, what it
//! cost at the prices configured at the time, how many secrets were redacted from it, and the
//! sha256 of what was sent; the payload itself only when the caller asks to keep it
//! (`[router] audit_payloads`). `pai audit` lists rows, `pai stats` sums them, and the router
//! asks `month_spent` before spending against a monthly budget.
//!
//! What a row's `tier` means: where the request was sent. For `fallback` (a remote tier failed,
//! the local model answered) it is that remote tier, since the payload did leave; for
//! `escalated` (the local model started, was unsure, a remote tier answered) it is the remote
//! tier, with `local_tokens` saying how much the local model generated first. So every row with
//! a remote tier is a remote call, and the requests answered locally are the local rows that
//! succeeded plus the fallbacks.
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Row};
use sha2::{Digest, Sha256};

use super::{db_error, sql_limit, timestamp, Store};
use crate::config::{Config, EndpointConfig};
use crate::error::Error;
use crate::tier::Tier;

/// Every value `outcome` may have.
pub const OUTCOMES: [&str; 4] = [OK, FAILED, FALLBACK, ESCALATED];
/// The tier it was sent to answered.
pub const OK: &str = "ok";
/// Nothing answered.
pub const FAILED: &str = "failed";
/// A remote tier failed and the local model answered.
pub const FALLBACK: &str = "fallback";
/// The local model started, its confidence was low, and a remote tier answered.
pub const ESCALATED: &str = "escalated";

/// A routed request to record.
#[derive(Debug, Clone)]
pub struct NewCall<'a> {
    /// The front end: ask, chat, commit, hook, edit, explain, complete, shell, serve.
    pub front: &'a str,
    /// Where the request was sent (see the module's comment for fallbacks and escalations).
    pub tier: Tier,
    /// Why this tier, in a few words (`--tier large`, `rule 2`, `confidence 0.31`).
    pub reason: &'a str,
    /// The `[endpoints.NAME]` name; `None` exactly when `tier` is local.
    pub endpoint: Option<&'a str>,
    /// The model that answered (or was asked).
    pub model: &'a str,
    pub tokens_in: u32,
    pub tokens_out: u32,
    /// What the remote call cost: [`cost_usd`] at the endpoint's prices.
    pub cost_usd: f64,
    /// For a local answer, what the cheapest remote tier would have charged
    /// ([`cheapest_remote_cost`]); 0 otherwise.
    pub avoided_usd: f64,
    /// Secrets taken out of the payload before it left.
    pub redactions: u32,
    /// What was sent, after redaction. Hashed whenever given; stored only if `keep_payload`.
    /// Local requests have none.
    pub payload: Option<&'a str>,
    /// `[router] audit_payloads`.
    pub keep_payload: bool,
    /// One of [`OUTCOMES`]; a local row is `ok` or `failed`.
    pub outcome: &'a str,
    /// Tokens the local model generated before an escalation.
    pub local_tokens: u32,
}

/// A row of the log, as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CallRow {
    pub id: i64,
    /// UTC, RFC 3339 with milliseconds.
    pub created: String,
    pub front: String,
    pub tier: String,
    pub reason: String,
    pub endpoint: Option<String>,
    pub model: String,
    pub tokens_in: u32,
    pub tokens_out: u32,
    pub cost_usd: f64,
    pub avoided_usd: f64,
    pub redactions: u32,
    pub payload_sha256: Option<String>,
    /// Only present when it was kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    pub outcome: String,
    pub local_tokens: u32,
}

/// The requests sent to one tier.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct TierUsage {
    pub requests: u64,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ByTier {
    pub local: TierUsage,
    pub medium: TierUsage,
    pub large: TierUsage,
}

/// Sums over a time range.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Usage {
    /// Every routed request.
    pub requests: u64,
    /// Requests the local model answered: local rows that succeeded, and fallbacks.
    pub local: u64,
    /// `local` as a percentage of `requests` (0 when there were none).
    pub local_percent: f64,
    /// Requests whose payload left the machine (the medium and large tiers).
    pub remote_calls: u64,
    pub escalated: u64,
    pub fallback: u64,
    pub failed: u64,
    pub tokens_in: u64,
    pub tokens_out: u64,
    /// Tokens the local model generated before escalations.
    pub local_tokens: u64,
    pub cost_usd: f64,
    /// What the local answers would have cost at the cheapest remote tier's prices.
    pub avoided_usd: f64,
    pub by_tier: ByTier,
}

const CALL_COLUMNS: &str = "id, created, front, tier, reason, endpoint, model, tokens_in, \
     tokens_out, cost_usd, avoided_usd, redactions, payload_sha256, payload, outcome, local_tokens";

/// The SQL condition for a request the local model answered.
const ANSWERED_LOCALLY: &str = "(tier = 'local' AND outcome = 'ok') OR outcome = 'fallback'";

/// Sorts after every stored time: the open end of a range.
const END_OF_TIME: &str = "~";

impl Store {
    /// Records a routed request now; returns its id.
    pub fn record_call(&self, call: &NewCall) -> Result<i64, Error> {
        self.record_call_at(call, Utc::now())
    }

    /// A failed remote call whose request the local model then answered: the row becomes a
    /// fallback, with the tokens the local model wrote.
    pub fn mark_fallback(&self, id: i64, local_tokens: u32) -> Result<(), Error> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE calls SET outcome = ?2, local_tokens = ?3 WHERE id = ?1 AND outcome = ?4",
            params![id, FALLBACK, local_tokens, FAILED],
        )
        .map_err(|e| db_error("record a fallback", e))?;
        tx.commit().map_err(|e| db_error("record a fallback", e))
    }

    /// Records a routed request with its own time (imports, tests).
    pub fn record_call_at(&self, call: &NewCall, at: DateTime<Utc>) -> Result<i64, Error> {
        check(call)?;
        let hash = call.payload.map(sha256_hex);
        let payload = call.payload.filter(|_| call.keep_payload);
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO calls (created, front, tier, reason, endpoint, model, tokens_in,
                                tokens_out, cost_usd, avoided_usd, redactions, payload_sha256,
                                payload, outcome, local_tokens)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                timestamp(at),
                call.front,
                call.tier.as_str(),
                call.reason,
                call.endpoint,
                call.model,
                call.tokens_in,
                call.tokens_out,
                call.cost_usd,
                call.avoided_usd,
                call.redactions,
                hash,
                payload,
                call.outcome,
                call.local_tokens,
            ],
        )
        .map_err(|e| db_error("record a call", e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| db_error("record a call", e))?;
        Ok(id)
    }

    /// The latest `n` rows (`usize::MAX` for all), newest first; only those that left the
    /// machine when `remote_only`.
    pub fn calls(&self, n: usize, remote_only: bool) -> Result<Vec<CallRow>, Error> {
        let filter = if remote_only {
            "WHERE tier <> 'local'"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {CALL_COLUMNS} FROM calls {filter} ORDER BY created DESC, id DESC LIMIT ?1"
        );
        let read = || -> rusqlite::Result<Vec<CallRow>> {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([sql_limit(n)], call_from_row)?;
            rows.collect()
        };
        read().map_err(|e| db_error("read the audit log", e))
    }

    /// Dollars spent on a tier in the calendar month (UTC) containing `now`.
    pub fn month_spent(&self, tier: Tier, now: DateTime<Utc>) -> Result<f64, Error> {
        let (start, end) = month_of(now);
        self.conn
            .query_row(
                "SELECT total(cost_usd) FROM calls
                 WHERE tier = ?1 AND created >= ?2 AND created < ?3",
                params![tier.as_str(), start, end],
                |row| row.get(0),
            )
            .map_err(|e| db_error("sum the month's spending", e))
    }

    /// Sums over the requests recorded at or after `since` (a stored time such as
    /// `2026-11-01T00:00:00.000Z`; `None`: all of them).
    pub fn usage(&self, since: Option<&str>) -> Result<Usage, Error> {
        self.usage_between(since, None)
    }

    /// Sums over the requests recorded at or after `since` and before `until`.
    pub fn usage_between(&self, since: Option<&str>, until: Option<&str>) -> Result<Usage, Error> {
        // One statement, so every figure comes from the same snapshot.
        let mut columns = vec![
            "count(*)".to_string(),
            format!("count(*) FILTER (WHERE {ANSWERED_LOCALLY})"),
            "count(*) FILTER (WHERE outcome = 'escalated')".into(),
            "count(*) FILTER (WHERE outcome = 'fallback')".into(),
            "count(*) FILTER (WHERE outcome = 'failed')".into(),
            "coalesce(sum(tokens_in), 0)".into(),
            "coalesce(sum(tokens_out), 0)".into(),
            "coalesce(sum(local_tokens), 0)".into(),
            "total(cost_usd)".into(),
            format!("total(avoided_usd) FILTER (WHERE {ANSWERED_LOCALLY})"),
        ];
        for tier in [Tier::Local, Tier::Medium, Tier::Large] {
            let only = format!("FILTER (WHERE tier = '{tier}')");
            columns.push(format!("count(*) {only}"));
            columns.push(format!("coalesce(sum(tokens_in) {only}, 0)"));
            columns.push(format!("coalesce(sum(tokens_out) {only}, 0)"));
            columns.push(format!("total(cost_usd) {only}"));
        }
        let sql = format!(
            "SELECT {} FROM calls WHERE created >= ?1 AND created < ?2",
            columns.join(", ")
        );
        let since = since.unwrap_or("");
        let until = until.unwrap_or(END_OF_TIME);
        let read = |row: &Row| -> rusqlite::Result<Usage> {
            let count = |i: usize| row.get::<_, i64>(i).map(|n| n.max(0) as u64);
            let tier = |at: usize| -> rusqlite::Result<TierUsage> {
                Ok(TierUsage {
                    requests: count(at)?,
                    tokens_in: count(at + 1)?,
                    tokens_out: count(at + 2)?,
                    cost_usd: row.get(at + 3)?,
                })
            };
            let requests = count(0)?;
            let local = count(1)?;
            let by_tier = ByTier {
                local: tier(10)?,
                medium: tier(14)?,
                large: tier(18)?,
            };
            Ok(Usage {
                requests,
                local,
                local_percent: percent(local, requests),
                remote_calls: by_tier.medium.requests + by_tier.large.requests,
                escalated: count(2)?,
                fallback: count(3)?,
                failed: count(4)?,
                tokens_in: count(5)?,
                tokens_out: count(6)?,
                local_tokens: count(7)?,
                cost_usd: row.get(8)?,
                avoided_usd: row.get(9)?,
                by_tier,
            })
        };
        self.conn
            .query_row(&sql, params![since, until], read)
            .map_err(|e| db_error("sum the audit log", e))
    }
}

/// What a call costs at an endpoint's prices (US dollars per million tokens).
pub fn cost_usd(tokens_in: u32, tokens_out: u32, endpoint: &EndpointConfig) -> f64 {
    (f64::from(tokens_in) * endpoint.input_usd_per_mtok
        + f64::from(tokens_out) * endpoint.output_usd_per_mtok)
        / 1_000_000.0
}

/// What a request would have cost at the cheapest configured remote tier: the `avoided_usd`
/// of a local answer. 0 when no tier is configured.
pub fn cheapest_remote_cost(tokens_in: u32, tokens_out: u32, config: &Config) -> f64 {
    [&config.tiers.medium, &config.tiers.large]
        .into_iter()
        .flatten()
        .filter_map(|name| config.endpoints.get(name))
        .map(|endpoint| cost_usd(tokens_in, tokens_out, endpoint))
        .reduce(f64::min)
        .unwrap_or(0.0)
}

/// The stored-time range `[start, end)` of the calendar month (UTC) that contains `now`.
pub fn month_of(now: DateTime<Utc>) -> (String, String) {
    // Every year/month pair chrono can hold has a first day; the fallback is never reached.
    month_range(now.year(), now.month()).unwrap_or_else(|| (String::new(), END_OF_TIME.into()))
}

/// The stored-time range `[start, end)` of a calendar month (UTC); `None` when `month` is not
/// 1 to 12 or the year is out of range.
pub fn month_range(year: i32, month: u32) -> Option<(String, String)> {
    let start = NaiveDate::from_ymd_opt(year, month, 1)?;
    let end = match month {
        12 => NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?,
        _ => NaiveDate::from_ymd_opt(year, month + 1, 1)?,
    };
    let at_midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| timestamp(t.and_utc()));
    Some((at_midnight(start)?, at_midnight(end)?))
}

/// Lowercase hex of the payload's sha256.
pub fn sha256_hex(payload: &str) -> String {
    let digest = Sha256::digest(payload.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// A caller's mistake, said before anything is written.
fn check(call: &NewCall) -> Result<(), Error> {
    let refused = |why: String| Err(Error::internal(format!("cannot record a call: {why}")));
    if !OUTCOMES.contains(&call.outcome) {
        return refused(format!("unknown outcome '{}'", call.outcome));
    }
    for (name, value) in [
        ("cost_usd", call.cost_usd),
        ("avoided_usd", call.avoided_usd),
    ] {
        if !(value.is_finite() && value >= 0.0) {
            return refused(format!("{name} is {value}"));
        }
    }
    match call.tier {
        Tier::Local => {
            if call.endpoint.is_some() || call.payload.is_some() {
                return refused("a local request has no endpoint and no payload".into());
            }
            if !matches!(call.outcome, OK | FAILED) {
                return refused(format!(
                    "a local request cannot be '{}': record the remote tier it went to",
                    call.outcome
                ));
            }
        }
        Tier::Medium | Tier::Large => {
            if call.endpoint.is_none() {
                return refused(format!("a {} call needs its endpoint", call.tier));
            }
        }
    }
    Ok(())
}

fn call_from_row(row: &Row) -> rusqlite::Result<CallRow> {
    Ok(CallRow {
        id: row.get(0)?,
        created: row.get(1)?,
        front: row.get(2)?,
        tier: row.get(3)?,
        reason: row.get(4)?,
        endpoint: row.get(5)?,
        model: row.get(6)?,
        tokens_in: row.get(7)?,
        tokens_out: row.get(8)?,
        cost_usd: row.get(9)?,
        avoided_usd: row.get(10)?,
        redactions: row.get(11)?,
        payload_sha256: row.get(12)?,
        payload: row.get(13)?,
        outcome: row.get(14)?,
        local_tokens: row.get(15)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(input: f64, output: f64) -> EndpointConfig {
        EndpointConfig {
            url: "http://gpu-box:8000/v1".into(),
            model: "m".into(),
            api_key_env: None,
            api_key_file: None,
            timeout_s: 120.0,
            window: None,
            input_usd_per_mtok: input,
            output_usd_per_mtok: output,
        }
    }

    fn remote<'a>(tier: Tier, payload: &'a str) -> NewCall<'a> {
        NewCall {
            front: "ask",
            tier,
            reason: "--tier",
            endpoint: Some("big"),
            model: "qwen",
            tokens_in: 1000,
            tokens_out: 200,
            cost_usd: 0.01,
            avoided_usd: 0.0,
            redactions: 1,
            payload: Some(payload),
            keep_payload: false,
            outcome: OK,
            local_tokens: 0,
        }
    }

    fn local() -> NewCall<'static> {
        NewCall {
            tier: Tier::Local,
            reason: "default",
            endpoint: None,
            model: "smol",
            payload: None,
            cost_usd: 0.0,
            avoided_usd: 0.002,
            redactions: 0,
            ..remote(Tier::Local, "")
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn cost_is_tokens_times_price_per_million() {
        let e = endpoint(3.0, 15.0);
        assert_eq!(cost_usd(0, 0, &e), 0.0);
        assert!((cost_usd(1_000_000, 0, &e) - 3.0).abs() < 1e-12);
        assert!((cost_usd(0, 1_000_000, &e) - 15.0).abs() < 1e-12);
        // 1200 in, 300 out: 0.0036 + 0.0045.
        assert!((cost_usd(1200, 300, &e) - 0.0081).abs() < 1e-12);
        assert_eq!(cost_usd(1200, 300, &endpoint(0.0, 0.0)), 0.0, "free");
        let max = cost_usd(u32::MAX, u32::MAX, &e);
        assert!(max.is_finite() && max > 77_000.0, "no overflow: {max}");
    }

    #[test]
    fn the_cheapest_configured_tier_prices_a_local_answer() {
        let mut config = Config::default();
        assert_eq!(cheapest_remote_cost(1000, 1000, &config), 0.0, "no tiers");
        config.endpoints.insert("mid".into(), endpoint(1.0, 2.0));
        config.endpoints.insert("big".into(), endpoint(3.0, 15.0));
        config.endpoints.insert("free".into(), endpoint(0.0, 0.0));
        config.tiers.large = Some("big".into());
        assert!((cheapest_remote_cost(1000, 1000, &config) - 0.018).abs() < 1e-12);
        config.tiers.medium = Some("mid".into());
        assert!((cheapest_remote_cost(1000, 1000, &config) - 0.003).abs() < 1e-12);
        // An endpoint that is not a tier does not count.
        assert!(config.endpoints.contains_key("free"));
    }

    #[test]
    fn months_are_utc_calendar_months() {
        let (start, end) = month_of(at("2026-11-25T13:47:30.123Z"));
        assert_eq!(start, "2026-11-01T00:00:00.000Z");
        assert_eq!(end, "2026-12-01T00:00:00.000Z");
        let (start, end) = month_of(at("2026-12-31T23:59:59.999Z"));
        assert_eq!(start, "2026-12-01T00:00:00.000Z");
        assert_eq!(end, "2027-01-01T00:00:00.000Z");
        // An offset is converted to UTC first: this is still November there.
        let (start, _) = month_of(at("2026-12-01T00:30:00+01:00"));
        assert_eq!(start, "2026-11-01T00:00:00.000Z");
        assert_eq!(month_range(2026, 13), None);
        assert_eq!(month_range(2026, 0), None);
    }

    #[test]
    fn payloads_are_hashed_always_and_kept_only_when_asked() {
        let store = Store::open_in_memory().unwrap();
        let hashed = store.record_call(&remote(Tier::Medium, "hello")).unwrap();
        let kept = NewCall {
            keep_payload: true,
            ..remote(Tier::Large, "hello")
        };
        let kept = store.record_call(&kept).unwrap();
        let rows = store.calls(10, true).unwrap();
        assert_eq!(
            rows.iter().map(|r| r.id).collect::<Vec<_>>(),
            [kept, hashed]
        );
        let sha = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        assert_eq!(rows[0].payload_sha256.as_deref(), Some(sha));
        assert_eq!(rows[1].payload_sha256.as_deref(), Some(sha));
        assert_eq!(rows[0].payload.as_deref(), Some("hello"));
        assert_eq!(rows[1].payload, None);
        let json = serde_json::to_value(&rows[1]).unwrap();
        assert!(json.get("payload").is_none(), "{json}");
    }

    #[test]
    fn a_mistaken_call_is_refused_before_writing() {
        let store = Store::open_in_memory().unwrap();
        let bad = [
            NewCall {
                outcome: "maybe",
                ..remote(Tier::Medium, "x")
            },
            NewCall {
                endpoint: None,
                ..remote(Tier::Medium, "x")
            },
            NewCall {
                endpoint: Some("big"),
                ..local()
            },
            NewCall {
                outcome: FALLBACK,
                ..local()
            },
            NewCall {
                cost_usd: f64::NAN,
                ..remote(Tier::Large, "x")
            },
        ];
        for call in &bad {
            let err = store.record_call(call).unwrap_err();
            assert_eq!(err.kind, crate::error::Kind::Internal, "{call:?}");
        }
        assert!(store.calls(usize::MAX, false).unwrap().is_empty());
    }

    #[test]
    fn usage_sums_by_tier_and_outcome() {
        let store = Store::open_in_memory().unwrap();
        let empty = store.usage(None).unwrap();
        assert_eq!(empty, Usage::default());

        store.record_call(&local()).unwrap();
        store.record_call(&local()).unwrap();
        store
            .record_call(&NewCall {
                outcome: FAILED,
                ..local()
            })
            .unwrap();
        store.record_call(&remote(Tier::Medium, "a")).unwrap();
        store
            .record_call(&NewCall {
                outcome: ESCALATED,
                local_tokens: 24,
                ..remote(Tier::Large, "b")
            })
            .unwrap();
        store
            .record_call(&NewCall {
                outcome: FALLBACK,
                cost_usd: 0.0,
                avoided_usd: 0.002,
                ..remote(Tier::Medium, "c")
            })
            .unwrap();

        let u = store.usage(None).unwrap();
        assert_eq!(u.requests, 6);
        assert_eq!(u.local, 3, "two local answers and a fallback");
        assert!((u.local_percent - 50.0).abs() < 1e-9);
        assert_eq!(u.remote_calls, 3);
        assert_eq!((u.escalated, u.fallback, u.failed), (1, 1, 1));
        assert_eq!(u.tokens_in, 6000);
        assert_eq!(u.tokens_out, 1200);
        assert_eq!(u.local_tokens, 24);
        assert!((u.cost_usd - 0.02).abs() < 1e-12);
        // The failed local request avoided nothing.
        assert!((u.avoided_usd - 0.006).abs() < 1e-12);
        assert_eq!(u.by_tier.local.requests, 3);
        assert_eq!(u.by_tier.medium.requests, 2);
        assert_eq!(u.by_tier.large.requests, 1);
        assert!((u.by_tier.large.cost_usd - 0.01).abs() < 1e-12);
        assert_eq!(u.by_tier.medium.tokens_in, 2000);

        assert_eq!(store.calls(usize::MAX, false).unwrap().len(), 6);
        assert_eq!(store.calls(usize::MAX, true).unwrap().len(), 3);
        assert_eq!(store.calls(2, false).unwrap().len(), 2);
        let later = timestamp(Utc::now() + chrono::Duration::hours(1));
        assert_eq!(store.usage(Some(&later)).unwrap().requests, 0);
    }

    #[test]
    fn a_month_counts_only_its_own_calls() {
        let store = Store::open_in_memory().unwrap();
        let spend = |when: &str, tier: Tier, cost: f64| {
            let call = NewCall {
                cost_usd: cost,
                ..remote(tier, "x")
            };
            store.record_call_at(&call, at(when)).unwrap();
        };
        spend("2026-10-31T23:59:59.999Z", Tier::Medium, 1.0);
        spend("2026-11-01T00:00:00.000Z", Tier::Medium, 0.25);
        spend("2026-11-30T23:59:59.999Z", Tier::Medium, 0.5);
        spend("2026-11-15T12:00:00.000Z", Tier::Large, 2.0);
        spend("2026-12-01T00:00:00.000Z", Tier::Medium, 4.0);
        let now = at("2026-11-20T08:00:00Z");
        assert_eq!(store.month_spent(Tier::Medium, now).unwrap(), 0.75);
        assert_eq!(store.month_spent(Tier::Large, now).unwrap(), 2.0);
        assert_eq!(store.month_spent(Tier::Local, now).unwrap(), 0.0);
        let (start, end) = month_range(2026, 11).unwrap();
        let november = store.usage_between(Some(&start), Some(&end)).unwrap();
        assert_eq!(november.requests, 3);
        assert!((november.cost_usd - 2.75).abs() < 1e-12);
    }
}
