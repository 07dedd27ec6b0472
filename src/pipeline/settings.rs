//! Settings for one generation, resolved in one place: the front end's flags first, then the
//! role's settings, then the front end's own defaults, then config.toml, then pai's defaults.
use crate::config::Config;
use crate::engine::speculate::Speculation;
use crate::engine::{Adapter, GenerateParams, Sampling};
use crate::error::Error;
use crate::router::TierChoice;

/// What the user said on the command line (or in a request); `None` defers to config.toml.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub model: Option<String>,
    /// A named endpoint from config.toml instead of a local model.
    pub endpoint: Option<String>,
    pub ctx: Option<u32>,
    pub threads: Option<u32>,
    pub gpu_layers: Option<u32>,
    pub max_tokens: Option<u32>,
    pub temp: Option<f32>,
    pub top_k: Option<i32>,
    pub top_p: Option<f32>,
    pub min_p: Option<f32>,
    pub repeat_penalty: Option<f32>,
    pub seed: Option<u32>,
    pub stop: Vec<String>,
    /// A GBNF grammar the answer must follow (`--grammar`, or `--json-schema` converted).
    pub grammar: Option<crate::engine::grammar::Grammar>,
    /// Adapters as (path or registered name, scale), applied by the engine.
    pub lora: Vec<(String, f32)>,
    /// Prompt-lookup drafting on or off; `None` leaves it to the front end.
    pub speculate: Option<bool>,
}

impl Overrides {
    /// The role's sampling and adapters under the flags: what the command line left unset,
    /// the role fills in; adapters on the command line replace the role's list. What answers
    /// (model, endpoint, tier) is decided by [`Answerer::with_role`] before this.
    pub fn with_role(mut self, role: Option<&crate::roles::Role>) -> Self {
        let Some(role) = role else { return self };
        let r = &role.sampling;
        self.max_tokens = self.max_tokens.or(r.max_tokens);
        self.temp = self.temp.or(r.temp);
        self.top_k = self.top_k.or(r.top_k);
        self.top_p = self.top_p.or(r.top_p);
        self.min_p = self.min_p.or(r.min_p);
        self.repeat_penalty = self.repeat_penalty.or(r.repeat_penalty);
        self.seed = self.seed.or(r.seed);
        if self.lora.is_empty() {
            self.lora = role.lora.clone();
        }
        self
    }

    /// The sampling asked for, the rest from the front end's defaults, then config.toml's
    /// `[sampling]`; with no seed anywhere, a random one.
    pub fn sampling(&self, d: FrontDefaults, c: &crate::config::Sampling) -> Sampling {
        Sampling {
            temp: self.temp.or(d.temp).unwrap_or(c.temp),
            top_k: self.top_k.unwrap_or(c.top_k),
            top_p: self.top_p.unwrap_or(c.top_p),
            min_p: self.min_p.unwrap_or(c.min_p),
            repeat_penalty: self.repeat_penalty.unwrap_or(c.repeat_penalty),
            seed: self.seed.or(c.seed).unwrap_or_else(random_seed),
        }
    }

    /// The longest answer: asked for, else the front end's default, else config.toml's.
    pub fn max_tokens(&self, d: FrontDefaults, c: &crate::config::Sampling) -> u32 {
        self.max_tokens.or(d.max_tokens).unwrap_or(c.max_tokens)
    }
}

/// What answers a request, as the command line names it: a model, an endpoint or a tier.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answerer {
    pub model: Option<String>,
    pub endpoint: Option<String>,
    pub tier: Option<TierChoice>,
}

impl Answerer {
    /// The role's choice when the command line names none: any one of `--model`,
    /// `--endpoint` and `--tier` replaces all three of the role's, since they exclude each
    /// other (a role's endpoint under `--tier local` would be neither).
    pub fn with_role(self, role: Option<&crate::roles::Role>) -> Self {
        let named = self.model.is_some() || self.endpoint.is_some() || self.tier.is_some();
        match role {
            Some(role) if !named => Self {
                model: role.model.clone(),
                endpoint: role.endpoint.clone(),
                tier: role.tier,
            },
            _ => self,
        }
    }
}

/// A front end's own defaults, which win over config.toml (a commit message is short
/// whatever `[sampling] max_tokens` says).
#[derive(Debug, Clone, Copy, Default)]
pub struct FrontDefaults {
    pub max_tokens: Option<u32>,
    pub temp: Option<f32>,
    /// Whether answers here copy their input (`edit`), so drafting from the prompt pays.
    pub speculate: bool,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub sampling: Sampling,
    pub max_tokens: u32,
    pub stop: Vec<String>,
    pub threads: u32,
    /// The window the user asked for, if any.
    pub ctx: Option<u32>,
    pub gpu_layers: Option<u32>,
    pub grammar: Option<crate::engine::grammar::Grammar>,
    /// The adapters asked for, as (path or registered name, scale).
    pub lora: Vec<(String, f32)>,
    /// The same adapters once found and checked against the chosen model
    /// ([`super::choose::adapters`]); what the engine applies.
    pub adapters: Vec<Adapter>,
    pub speculation: Option<Speculation>,
    /// Where one-shot commands save their prompts' stable beginnings (`answer::prepare` sets
    /// it for a local model when `[prompt_cache]` is on).
    pub prompt_cache: Option<crate::engine::prefix_cache::PrefixCache>,
}

impl Settings {
    pub fn resolve(o: &Overrides, d: FrontDefaults, config: &Config) -> Result<Self, Error> {
        let sampling = o.sampling(d, &config.sampling);
        check_sampling(&sampling)?;
        Ok(Self {
            sampling,
            max_tokens: o.max_tokens(d, &config.sampling),
            stop: o.stop.clone(),
            threads: o
                .threads
                .or(config.threads)
                .unwrap_or_else(crate::engine::local::default_threads),
            ctx: o.ctx.or(config.ctx),
            gpu_layers: o.gpu_layers.or(config.gpu_layers),
            grammar: o.grammar.clone(),
            lora: o.lora.clone(),
            adapters: Vec::new(),
            speculation: o
                .speculate
                .unwrap_or(d.speculate)
                .then(|| speculation(&config.speculation)),
            prompt_cache: None,
        })
    }

    pub fn params(&self) -> GenerateParams {
        GenerateParams {
            tools: Default::default(),
            sampling: self.sampling.clone(),
            max_tokens: self.max_tokens,
            stop: self.stop.clone(),
            stop_at_end_of_text: true,
            grammar: self.grammar.clone(),
            adapters: self.adapters.clone(),
            speculation: self.speculation,
            cache_prefix: None,
        }
    }
}

/// The drafter's limits from config.toml's `[speculation]`.
pub fn speculation(s: &crate::config::SpeculationSettings) -> Speculation {
    Speculation {
        draft_max: s.draft_max,
        ngram_min: s.ngram_min,
        ngram_max: s.ngram_max,
        adaptive: s.adaptive,
    }
    .sane()
}

/// Sampling values llama.cpp can use; the same rules config.toml is held to.
pub fn check_sampling(s: &Sampling) -> Result<(), Error> {
    let checks = [
        (
            s.temp.is_finite() && s.temp >= 0.0,
            "--temp must be 0 or more",
        ),
        (
            (0.0..=1.0).contains(&s.top_p),
            "--top-p must be between 0 and 1",
        ),
        (
            (0.0..=1.0).contains(&s.min_p),
            "--min-p must be between 0 and 1",
        ),
        (
            s.repeat_penalty.is_finite() && s.repeat_penalty > 0.0,
            "--repeat-penalty must be more than 0",
        ),
    ];
    match checks.iter().find(|(ok, _)| !ok) {
        Some((_, why)) => Err(Error::user(*why)),
        None => Ok(()),
    }
}

/// A seed for when none is given: different from run to run.
pub fn random_seed() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    nanos ^ std::process::id().rotate_left(16)
}
