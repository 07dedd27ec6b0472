//! The decision, in the order the user can predict: an explicit `--tier`; privacy (a request
//! whose best excerpt comes from a private source, or that holds a secret that cannot be taken
//! out cleanly, stays local; other private excerpts never leave, the request goes without them); the user's rules
//! in config.toml; the monthly budgets; then the local model's confidence, checked after its
//! first tokens.
use serde::Serialize;

use super::privacy::Privacy;
use super::{Tier, TierChoice};
use crate::config::{Config, RouterMode};
use crate::error::Error;

/// What the policy knows of a request before any token is generated.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    /// The front end: ask, chat, commit, edit, …
    pub front: &'a str,
    pub role: Option<&'a str>,
    pub question: &'a str,
    pub flag: Option<TierChoice>,
    /// What keeps the request on this machine ([`super::privacy`]).
    pub privacy: Privacy,
}

/// Where a request starts, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub tier: Tier,
    pub reason: String,
    /// The local answer is watched and handed to a remote tier if its confidence is low.
    pub watch: bool,
}

impl Plan {
    fn local(reason: impl Into<String>) -> Self {
        Self {
            tier: Tier::Local,
            reason: reason.into(),
            watch: false,
        }
    }
}

/// Dollars spent this month on a tier.
pub type Spent<'a> = &'a dyn Fn(Tier) -> f64;

pub fn plan(facts: &Facts, config: &Config, spent: Spent) -> Result<Plan, Error> {
    if let Some(tier) = facts.flag.and_then(TierChoice::fixed) {
        return explicit(tier, facts, config, spent);
    }
    let auto_flag = facts.flag == Some(TierChoice::Auto);
    if auto_flag && remote_tiers(config).is_empty() {
        return Err(no_tier("auto", "needs a medium or large tier"));
    }
    if facts.privacy.private_top {
        return Ok(Plan::local(
            "the best excerpt comes from a private source, which stays on this machine",
        ));
    }
    if let Some(kind) = facts.privacy.leaks.first() {
        return Ok(Plan::local(format!(
            "the request holds a secret ({kind}) that cannot be taken out cleanly"
        )));
    }
    if !auto_flag {
        if let Some((n, choice)) = matching_rule(facts, config) {
            return by_rule(n, choice, config, spent);
        }
        if config.router.mode == RouterMode::Local {
            return Ok(Plan::local("the router's mode is local"));
        }
    }
    Ok(watch_local(config, spent))
}

/// `--tier medium|large|local`: the user's word, within what cannot be overruled.
fn explicit(tier: Tier, facts: &Facts, config: &Config, spent: Spent) -> Result<Plan, Error> {
    if tier == Tier::Local {
        return Ok(Plan::local("--tier local"));
    }
    endpoint_of(tier, config).ok_or_else(|| no_tier(tier.as_str(), "is not configured"))?;
    if let Some(kind) = facts.privacy.leaks.first() {
        return Err(Error::user(format!(
            "the request holds a secret ({kind}) that pai cannot take out cleanly, so it does not leave this machine"
        ))
        .hint("remove the secret from the input, or use --tier local"));
    }
    if let Some(over) = overspent(tier, config, spent) {
        return Err(Error::user(format!("the {tier} tier {over}")).hint(
            "raise [router] monthly_budget_usd in config.toml (`pai stats` shows the spend), or use --tier local",
        ));
    }
    Ok(Plan {
        tier,
        reason: format!("--tier {tier}"),
        watch: false,
    })
}

fn by_rule(n: usize, choice: TierChoice, config: &Config, spent: Spent) -> Result<Plan, Error> {
    let why = format!("rule {n} in [[router.rules]]");
    match choice.fixed() {
        Some(Tier::Local) => Ok(Plan::local(why)),
        Some(tier) => Ok(match affordable(tier, config, spent) {
            Ok(tier) => Plan {
                tier,
                reason: why,
                watch: false,
            },
            Err(over) => Plan::local(format!("{why} asks for {tier}, but {over}")),
        }),
        None => Ok(watch_local(config, spent)),
    }
}

/// Local first, watched, when some remote tier may still be asked.
fn watch_local(config: &Config, spent: Spent) -> Plan {
    let tiers = remote_tiers(config);
    if tiers.is_empty() {
        return Plan::local("no remote tier is configured");
    }
    if tiers.iter().all(|&t| overspent(t, config, spent).is_some()) {
        return Plan::local("every remote tier has spent its monthly budget");
    }
    Plan {
        tier: Tier::Local,
        reason: "local first; a remote tier only if the local model is unsure".into(),
        watch: true,
    }
}

/// What the local model's first tokens decide, and why, in words for the user.
#[derive(Debug, Clone, PartialEq)]
pub enum Escalation {
    /// The request goes to the remote `tier`.
    HandOver { tier: Tier, why: String },
    /// The local model goes on answering.
    Keep { why: String },
}

/// After the first local tokens: the remote tier to hand over to, or staying local, and why.
pub fn escalation(score: f64, config: &Config, spent: Spent) -> Escalation {
    let r = &config.router;
    if score >= r.medium_below {
        return Escalation::Keep {
            why: format!(
                "the local model is confident ({score:.2} ≥ {:.2})",
                r.medium_below
            ),
        };
    }
    let has = |t| endpoint_of(t, config).is_some();
    let wanted = if (score < r.large_below && has(Tier::Large)) || !has(Tier::Medium) {
        Tier::Large
    } else {
        Tier::Medium
    };
    let tier = match affordable(wanted, config, spent) {
        Ok(tier) => tier,
        Err(over) => {
            return Escalation::Keep {
                why: format!(
                    "the local model is unsure ({score:.2}), but {over}; answering locally"
                ),
            }
        }
    };
    let threshold = if tier == Tier::Large && score < r.large_below {
        r.large_below
    } else {
        r.medium_below
    };
    Escalation::HandOver {
        tier,
        why: format!("the local model is unsure ({score:.2} < {threshold:.2})"),
    }
}

/// Why no remote tier can take a request: the first one tried, and what stops it.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
enum Unaffordable {
    #[error("the {0} tier {1}")]
    Overspent(Tier, Overspent),
    #[error("the {0} tier is not configured")]
    NotConfigured(Tier),
}

/// A tier's spend this month, at or over its budget.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("has spent ${spent:.2} of its ${cap:.2} this month")]
struct Overspent {
    spent: f64,
    cap: f64,
}

/// `tier`, or the next tier down that has budget left; the reason when none has.
fn affordable(tier: Tier, config: &Config, spent: Spent) -> Result<Tier, Unaffordable> {
    let mut first_reason = None;
    for t in [tier, Tier::Medium] {
        if t > tier || endpoint_of(t, config).is_none() {
            continue;
        }
        match overspent(t, config, spent) {
            None => return Ok(t),
            Some(over) => {
                first_reason.get_or_insert(Unaffordable::Overspent(t, over));
            }
        }
    }
    Err(first_reason.unwrap_or(Unaffordable::NotConfigured(tier)))
}

/// The tier's spend when it has reached its monthly budget; `None` while it is within it.
fn overspent(tier: Tier, config: &Config, spent: Spent) -> Option<Overspent> {
    let budget = match tier {
        Tier::Local => None,
        Tier::Medium => config.router.monthly_budget_usd.medium,
        Tier::Large => config.router.monthly_budget_usd.large,
    };
    match budget {
        Some(cap) if spent(tier) >= cap => Some(Overspent {
            spent: spent(tier),
            cap,
        }),
        _ => None,
    }
}

/// The endpoint name behind a remote tier.
pub fn endpoint_of(tier: Tier, config: &Config) -> Option<&str> {
    match tier {
        Tier::Local => None,
        Tier::Medium => config.tiers.medium.as_deref(),
        Tier::Large => config.tiers.large.as_deref(),
    }
}

fn remote_tiers(config: &Config) -> Vec<Tier> {
    [Tier::Medium, Tier::Large]
        .into_iter()
        .filter(|&t| endpoint_of(t, config).is_some())
        .collect()
}

/// The first rule whose every condition holds, numbered from 1.
fn matching_rule(facts: &Facts, config: &Config) -> Option<(usize, TierChoice)> {
    config
        .router
        .rules
        .iter()
        .enumerate()
        .find(|(_, rule)| {
            rule.front.as_deref().is_none_or(|f| f == facts.front)
                && rule.role.as_deref().is_none_or(|r| Some(r) == facts.role)
                && rule.pattern.as_deref().is_none_or(|p| {
                    // Checked when config.toml was read.
                    regex::Regex::new(p).is_ok_and(|re| re.is_match(facts.question))
                })
        })
        .and_then(|(i, rule)| TierChoice::parse(&rule.tier).map(|c| (i + 1, c)))
}

fn no_tier(tier: &str, what: &str) -> Error {
    Error::user(format!("--tier {tier} {what} under [tiers] in config.toml"))
        .hint("name an [endpoints.NAME] table as `medium = \"NAME\"` under [tiers] (docs/serve.md)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config(extra: &str) -> Config {
        let text = format!(
            "[endpoints.cloud]\nurl = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\n\
             [endpoints.big]\nurl = \"http://127.0.0.1:9/v1\"\nmodel = \"M\"\n{extra}"
        );
        Config::parse(&text, Path::new("c.toml")).unwrap()
    }

    const TIERS: &str = "[tiers]\nmedium = \"cloud\"\nlarge = \"big\"\n";
    const NOTHING: Spent = &|_| 0.0;

    fn handed_to(e: Escalation) -> Tier {
        match e {
            Escalation::HandOver { tier, .. } => tier,
            Escalation::Keep { why } => panic!("kept local: {why}"),
        }
    }

    fn kept_because(e: Escalation) -> String {
        match e {
            Escalation::Keep { why } => why,
            Escalation::HandOver { tier, why } => panic!("handed to {tier}: {why}"),
        }
    }

    fn facts(question: &str) -> Facts<'_> {
        Facts {
            front: "ask",
            question,
            ..Facts::default()
        }
    }

    #[test]
    fn the_default_mode_stays_local() {
        let p = plan(&facts("hi"), &config(TIERS), NOTHING).unwrap();
        assert_eq!((p.tier, p.watch), (Tier::Local, false));
    }

    #[test]
    fn auto_watches_the_local_answer() {
        let c = config(&format!("{TIERS}[router]\nmode = \"auto\"\n"));
        let p = plan(&facts("hi"), &c, NOTHING).unwrap();
        assert_eq!((p.tier, p.watch), (Tier::Local, true));
        assert!(kept_because(escalation(0.9, &c, NOTHING)).contains("confident"));
        assert_eq!(handed_to(escalation(0.3, &c, NOTHING)), Tier::Medium);
        assert_eq!(handed_to(escalation(0.1, &c, NOTHING)), Tier::Large);
    }

    #[test]
    fn privacy_comes_before_rules_and_confidence() {
        let c = config(&format!(
            "{TIERS}[router]\nmode = \"auto\"\n[[router.rules]]\npattern = \"prove\"\ntier = \"large\"\n"
        ));
        let mut f = facts("prove it");
        f.privacy.private_excerpts = 1;
        f.privacy.private_top = true;
        assert_eq!(plan(&f, &c, NOTHING).unwrap().tier, Tier::Local);
        // An incidental private excerpt does not keep the request here: it is left out of it.
        f.privacy.private_top = false;
        assert_eq!(plan(&f, &c, NOTHING).unwrap().tier, Tier::Large);
        let mut f = facts("prove it");
        f.privacy.leaks = vec!["private_key"];
        assert_eq!(plan(&f, &c, NOTHING).unwrap().tier, Tier::Local);
        assert_eq!(
            plan(&facts("prove it"), &c, NOTHING).unwrap().tier,
            Tier::Large
        );
    }

    #[test]
    fn an_explicit_tier_wins_but_never_sends_a_leak() {
        let c = config(TIERS);
        let mut f = facts("hi");
        f.flag = Some(TierChoice::Medium);
        f.privacy.private_excerpts = 2;
        f.privacy.private_top = true;
        assert_eq!(plan(&f, &c, NOTHING).unwrap().tier, Tier::Medium);
        f.privacy.leaks = vec!["aws_secret_key"];
        assert!(plan(&f, &c, NOTHING).is_err());
        let mut f = facts("hi");
        f.flag = Some(TierChoice::Large);
        assert!(plan(&f, &config(""), NOTHING).is_err());
    }

    #[test]
    fn budgets_cap_each_tier() {
        let c = config(&format!(
            "{TIERS}[router]\nmode = \"auto\"\nmonthly_budget_usd = {{ medium = 5.0, large = 20.0 }}\n"
        ));
        let large_spent: Spent = &|t| if t == Tier::Large { 20.0 } else { 1.0 };
        assert_eq!(handed_to(escalation(0.05, &c, large_spent)), Tier::Medium);
        let all_spent: Spent = &|_| 100.0;
        assert_eq!(
            kept_because(escalation(0.05, &c, all_spent)),
            "the local model is unsure (0.05), but the large tier has spent $100.00 of its $20.00 this month; answering locally"
        );
        let p = plan(&facts("hi"), &c, all_spent).unwrap();
        assert_eq!((p.tier, p.watch), (Tier::Local, false));
        let mut f = facts("hi");
        f.flag = Some(TierChoice::Medium);
        assert!(plan(&f, &c, all_spent).is_err());
    }

    #[test]
    fn rules_match_front_and_pattern() {
        let c = config(&format!(
            "{TIERS}[[router.rules]]\nfront = \"commit\"\ntier = \"medium\"\n"
        ));
        let mut f = facts("diff");
        assert_eq!(plan(&f, &c, NOTHING).unwrap().tier, Tier::Local);
        f.front = "commit";
        let p = plan(&f, &c, NOTHING).unwrap();
        assert_eq!(p.tier, Tier::Medium);
        assert!(p.reason.contains("rule 1"));
    }
}
