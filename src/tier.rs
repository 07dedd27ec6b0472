//! The tiers an answer can come from: what the router chooses among, the audit log in the
//! store records, and `--tier` names. A neutral module, so that the store, which keeps the log
//! the router writes, does not depend on the router for it.
use serde::Serialize;

/// Where an answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Local,
    Medium,
    Large,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Local => "local",
            Tier::Medium => "medium",
            Tier::Large => "large",
        }
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `--tier` (or a rule) asks for: one tier, or the policy's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TierChoice {
    Local,
    Medium,
    Large,
    Auto,
}

impl TierChoice {
    /// The choice of exactly this tier.
    pub fn of(tier: Tier) -> Self {
        match tier {
            Tier::Local => Self::Local,
            Tier::Medium => Self::Medium,
            Tier::Large => Self::Large,
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "local" => Some(Self::Local),
            "medium" => Some(Self::Medium),
            "large" => Some(Self::Large),
            "auto" => Some(Self::Auto),
            _ => None,
        }
    }

    /// The tier itself, or `None` for auto.
    pub fn fixed(self) -> Option<Tier> {
        match self {
            Self::Local => Some(Tier::Local),
            Self::Medium => Some(Tier::Medium),
            Self::Large => Some(Tier::Large),
            Self::Auto => None,
        }
    }
}
