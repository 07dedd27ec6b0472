//! The router: which tier answers a request. L1 is the local model (free, private); L2 and L3
//! are the medium and large remote tiers, endpoints named under `[tiers]`. The policy decides
//! before generation (`policy`), the local model's confidence decides early in generation
//! (`confidence`), secrets are taken out of whatever leaves (`redact`), and every request is
//! written to the audit log in the store.

pub mod confidence;
pub mod outbound;
pub mod policy;
pub mod privacy;
pub mod redact;
pub mod watch;

pub use crate::tier::{Tier, TierChoice};
