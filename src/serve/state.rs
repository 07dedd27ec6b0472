//! What every handler shares: the engine thread, who may ask, the request limits, the
//! defaults a request that sets nothing gets, and where pai's own context comes from.
use std::sync::Arc;

use super::backend::Backend;
use super::fields::Limits;
use super::guard::Policy;

/// Where pai's own context comes from, for requests that ask for it.
#[derive(Debug, Clone)]
pub struct ContextSource {
    pub paths: crate::paths::Paths,
    pub config: crate::config::Config,
    /// The sentence encoder of semantic sources, loaded by the first request that needs it.
    pub encoder: crate::index::Encoder,
}

pub struct Shared {
    pub backend: Backend,
    pub policy: Arc<Policy>,
    pub limits: Limits,
    pub max_body: usize,
    pub context: ContextSource,
    pub started_unix: u64,
}

/// Seconds since 1970, for the `created` fields.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
