//! `pai stats`: the audit log summed (`Store::usage_between`) and each remote tier's spending
//! in a month against its `[router] monthly_budget_usd`. It reads config.toml for the budgets
//! and the tiers' endpoints, and opens the database only if there is one.
use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};

use super::audit::usd;
use super::history::{existing, to_json};
use super::Ctx;
use crate::cli::error::CliError;
use crate::config::Config;
use crate::pipeline::Tier;
use crate::store::calls::{month_range, Usage};

/// Sum the audit log: requests, the local share, cost, cost avoided, and the budgets.
///
/// Requests, the share the local model answered, remote calls per tier, escalations and
/// fallbacks, tokens, cost, and cost avoided; then each remote tier's spending in the month
/// against its `[router] monthly_budget_usd`.
///
/// "Cost avoided" compares with always-remote: each request the local model answered (fallbacks
/// included) sent instead, with the same tokens in and out, to the cheapest remote tier
/// configured when it was answered, at that tier's prices then. Requests that went remote count
/// at what they cost; tokens the local model generated before an escalation are not counted.
/// With no remote tier configured, nothing is avoided. Months are calendar months in UTC.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object instead of text (local_percent is 0 to 100; dollars are US).
    #[arg(long)]
    pub json: bool,
    /// Only that month (UTC), such as 2026-11; its spending is shown against the budgets.
    /// Without it: every request recorded, and this month's spending.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub month: Option<Month>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Month {
    fn of(t: DateTime<Utc>) -> Self {
        use chrono::Datelike;
        Month {
            year: t.year(),
            month: t.month(),
        }
    }

    fn first_moment(self) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
            .unwrap_or_default()
    }
}

fn parse_month(text: &str) -> Result<Month, String> {
    let bad = || format!("'{text}' is not a month: use YYYY-MM, such as 2026-11");
    let (year, month) = text.split_once('-').ok_or_else(bad)?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(month, 2) {
        return Err(bad());
    }
    let year: i32 = year.parse().map_err(|_| bad())?;
    let month: u32 = month.parse().map_err(|_| bad())?;
    month_range(year, month).ok_or_else(bad)?;
    Ok(Month { year, month })
}

#[derive(Debug, serde::Serialize)]
struct Report {
    /// The month summed, or null for every request recorded.
    month: Option<String>,
    #[serde(flatten)]
    usage: Usage,
    /// What always sending remote would have cost: cost plus cost avoided.
    always_remote_usd: f64,
    budget: Budget,
}

#[derive(Debug, serde::Serialize)]
struct Budget {
    month: String,
    medium: TierBudget,
    large: TierBudget,
}

#[derive(Debug, serde::Serialize)]
struct TierBudget {
    /// The `[endpoints.NAME]` the tier names, if it is configured.
    endpoint: Option<String>,
    spent_usd: f64,
    /// `[router] monthly_budget_usd`; null: no cap.
    budget_usd: Option<f64>,
    /// Spent as a percentage of the budget; null without one (or with a budget of 0).
    percent: Option<f64>,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let config = Config::load(&ctx.paths.config_file())?;
    let budget_month = args.month.unwrap_or_else(|| Month::of(Utc::now()));
    let store = existing(ctx)?;
    let usage = match (&store, args.month) {
        (None, _) => Usage::default(),
        (Some(store), None) => store.usage(None)?,
        (Some(store), Some(m)) => {
            let (start, end) = month_range(m.year, m.month).unwrap_or_default();
            store.usage_between(Some(&start), Some(&end))?
        }
    };
    let tier_budget = |tier: Tier| -> Result<TierBudget, CliError> {
        let spent_usd = match &store {
            Some(store) => store.month_spent(tier, budget_month.first_moment())?,
            None => 0.0,
        };
        let (endpoint, budget_usd) = match tier {
            Tier::Medium => (
                &config.tiers.medium,
                config.router.monthly_budget_usd.medium,
            ),
            _ => (&config.tiers.large, config.router.monthly_budget_usd.large),
        };
        Ok(TierBudget {
            endpoint: endpoint.clone(),
            spent_usd,
            budget_usd,
            percent: budget_usd
                .filter(|b| *b > 0.0)
                .map(|b| spent_usd * 100.0 / b),
        })
    };
    let report = Report {
        month: args.month.map(|m| m.to_string()),
        always_remote_usd: usage.cost_usd + usage.avoided_usd,
        budget: Budget {
            month: budget_month.to_string(),
            medium: tier_budget(Tier::Medium)?,
            large: tier_budget(Tier::Large)?,
        },
        usage,
    };
    if report.usage.requests == 0 {
        match &report.month {
            Some(m) => eprintln!("pai: no request was routed in {m}"),
            None => eprintln!("pai: no request has been routed yet"),
        }
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", to_json(&report))?;
    } else {
        write_text(&mut out, &report)?;
    }
    Ok(())
}

fn write_text(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    let u = &r.usage;
    let period = match &r.month {
        Some(m) => format!("{m} (UTC)"),
        None => "all recorded".to_string(),
    };
    let rows = [
        ("period", period),
        ("requests", thousands(u.requests)),
        (
            "answered locally",
            format!("{} ({:.1}%)", thousands(u.local), u.local_percent),
        ),
        (
            "remote calls",
            format!(
                "{} (medium {}, large {})",
                thousands(u.remote_calls),
                thousands(u.by_tier.medium.requests),
                thousands(u.by_tier.large.requests)
            ),
        ),
        ("escalations", thousands(u.escalated)),
        ("fallbacks", thousands(u.fallback)),
        ("failed", thousands(u.failed)),
        (
            "tokens",
            format!(
                "{} in, {} out",
                thousands(u.tokens_in),
                thousands(u.tokens_out)
            ),
        ),
        ("cost", usd(u.cost_usd)),
        (
            "cost avoided",
            format!(
                "{} (always remote: {})",
                usd(u.avoided_usd),
                usd(r.always_remote_usd)
            ),
        ),
    ];
    for (label, value) in rows {
        writeln!(out, "{label:<17} {value}")?;
    }
    writeln!(out)?;
    writeln!(out, "budget {} (UTC)", r.budget.month)?;
    for (tier, b) in [("medium", &r.budget.medium), ("large", &r.budget.large)] {
        let endpoint = match &b.endpoint {
            Some(name) => crate::render::sanitize_line(name),
            None => "not configured".into(),
        };
        let against = match (b.budget_usd, b.percent) {
            (Some(cap), Some(p)) => format!("{} of {} ({p:.1}%)", usd(b.spent_usd), usd(cap)),
            (Some(cap), None) => format!("{} of {}", usd(b.spent_usd), usd(cap)),
            (None, _) => format!("{}, no budget", usd(b.spent_usd)),
        };
        writeln!(out, "  {tier:<7} {endpoint:<16} {against}")?;
    }
    Ok(())
}

/// 12345 as "12,345".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_strictly() {
        assert_eq!(
            parse_month("2026-11"),
            Ok(Month {
                year: 2026,
                month: 11
            })
        );
        for bad in [
            "+026-11",
            "2026-13",
            "2026-00",
            "2026-1",
            "26-11",
            "2026/11",
            "",
            "2026-11-01",
        ] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
        let m = parse_month("2026-12").unwrap();
        assert_eq!(m.to_string(), "2026-12");
        assert_eq!(
            crate::store::timestamp(m.first_moment()),
            "2026-12-01T00:00:00.000Z"
        );
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
