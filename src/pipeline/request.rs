//! What a one-shot request is, for the pipeline: how the front end wants it answered
//! ([`Ask`]), where it runs ([`Env`]), the model prepared for it and what comes back.
use super::report::Report;
use super::settings::FrontDefaults;
use super::{Budget, ChosenModel, Loaded, Overrides, Settings};
use crate::config::Config;
use crate::context::Excerpt;
use crate::engine::local::{EngineSettings, LocalEngine};
use crate::engine::Generation;
use crate::paths::Paths;
use crate::router::confidence::Signals;
use crate::router::{Tier, TierChoice};

/// What pai gathers for a request beyond what the front end put in it.
#[derive(Debug, Clone, Default)]
pub struct Gather {
    /// Excerpts from the index, besides the profile, the moment and memories.
    pub excerpts: bool,
    /// Only from paths matching one of these globs, when there are any (a role's scope).
    pub scope: Vec<String>,
}

/// Where a request runs: the folders, the front end's ear for what it should tell, and its
/// hold on the sentence encoder of semantic sources (a front end that serves many requests
/// keeps one, and so loads the model once).
pub struct Env<'a> {
    pub paths: &'a Paths,
    pub report: &'a dyn Report,
    pub encoder: &'a crate::index::Encoder,
}

/// How one front end wants its request answered.
pub struct Ask<'a> {
    /// The front end's name, for the router's rules and the audit log.
    pub front: &'static str,
    /// The flags, the role's sampling and adapters folded in.
    pub overrides: Overrides,
    /// `--tier`, or the role's.
    pub tier: Option<TierChoice>,
    /// What to gather; `None` gathers nothing (--no-context, or a front end without context).
    pub gather: Option<Gather>,
    /// The front end's own defaults (-n, --temp), which win over config.toml.
    pub defaults: FrontDefaults,
    /// List the sources on stderr before the answer streams.
    pub show_sources: bool,
    /// A GBNF grammar the answer must follow (`ask --grammar` / `--json-schema`).
    pub grammar: Option<crate::engine::grammar::Grammar>,
    /// The role the request runs under: its sampling and adapters join the settings under the
    /// flags (`model` already holds its choice of what answers).
    pub role: Option<&'a crate::roles::Role>,
}

/// A model chosen and loaded, with the settings resolved: the first half of a generation.
pub struct Prepared {
    pub config: Config,
    pub chosen: ChosenModel,
    pub loaded: Loaded,
    pub settings: Settings,
}

impl Prepared {
    /// The resolved parts with the model now loaded.
    pub fn from_parts(parts: &Parts, loaded: Loaded) -> Self {
        Self {
            config: parts.config.clone(),
            chosen: parts.chosen.clone(),
            loaded,
            settings: parts.settings.clone(),
        }
    }

    /// The budget for this request's window.
    pub fn budget(&self) -> Budget {
        Budget::new(
            self.settings.ctx,
            self.loaded.trained_context,
            self.settings.max_tokens,
            false,
        )
    }

    /// An engine over the loaded model, sized per request.
    pub fn engine(&self) -> LocalEngine<'_> {
        let settings = EngineSettings {
            window: self.budget().window,
            threads: self.settings.threads,
            keep_context: false,
        };
        LocalEngine::new(&self.loaded.model, self.chosen.name.clone(), settings)
    }
}

/// What a finished generation reports.
pub struct Outcome {
    pub model_name: String,
    pub load_ms: f64,
    pub generation: Generation,
    pub sources: Vec<Excerpt>,
    pub n_ctx: u32,
    /// Which tier answered and why, when the router decided.
    pub route: Option<Route>,
}

/// Which tier answered and why: the note, `--json`'s `route` and the audit row.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Route {
    pub tier: Tier,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// ok, escalated (local started, a remote answered) or fallback (a remote failed).
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signals: Option<Signals>,
    /// Tokens the local model generated before a hand-over.
    pub local_tokens: usize,
    pub redactions: usize,
}

/// The parts resolved before the plan: settings, and the local model chosen (not yet loaded).
pub struct Parts {
    pub config: Config,
    pub settings: Settings,
    pub chosen: ChosenModel,
}
