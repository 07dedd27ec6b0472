//! Which model answers each step: the router's plan for the task (`--tier`, `--endpoint`, the
//! rules, budgets), held per step to the one privacy rule: a step whose conversation holds a
//! private tool result stays local under `--tier auto`; a remote tier the user named never
//! receives such a result (it is withheld in what leaves). Remote calls go through the
//! outbound guard, which redacts secrets and writes their row in `calls`.
use std::cell::OnceCell;

use crate::config::Config;
use crate::context::Request;
use crate::engine::local::{EngineSettings, LocalEngine};
use crate::engine::Engine;
use crate::error::Error;
use crate::pipeline::request::{Ask, Env, Prepared};
use crate::pipeline::{answer, choose, tiers};
use crate::router::outbound::{AuditTo, CallLabel, Outbound};
use crate::router::{policy, Tier, TierChoice};

/// Where the steps of a run go.
pub struct Plan {
    pub tier: Tier,
    pub reason: String,
    /// `--endpoint NAME`, or the planned tier's endpoint.
    pub endpoint: Option<String>,
    /// The user named where (a fixed `--tier` or `--endpoint`): privacy withholds, it does
    /// not move the step.
    pub fixed: bool,
}

/// The plan for the task, from the same policy as every other front end.
pub fn plan(env: &Env, ask: &Ask, config: &Config, request: &Request) -> Result<Plan, Error> {
    if let Some(name) = ask.overrides.endpoint.as_deref() {
        choose::endpoint_config(name, config)?;
        return Ok(Plan {
            tier: Outbound::tier_of(name, config),
            reason: format!("--endpoint {name}"),
            endpoint: Some(name.to_string()),
            fixed: true,
        });
    }
    let planned = tiers::plan(env, ask, config, request)?;
    Ok(Plan {
        endpoint: policy::endpoint_of(planned.tier, config).map(str::to_string),
        tier: planned.tier,
        reason: planned.reason,
        fixed: ask.tier.and_then(TierChoice::fixed).is_some(),
    })
}

/// Where one step goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Local,
    Remote,
}

impl Plan {
    /// The place of a step; `private` when the conversation holds a private result.
    pub fn place(&self, private: bool) -> Place {
        match (self.tier, self.endpoint.is_some()) {
            (Tier::Local, _) | (_, false) => Place::Local,
            _ if private && !self.fixed => Place::Local,
            _ => Place::Remote,
        }
    }
}

/// The engines of a run, each made when a step first needs it: the local model loaded once
/// and its context kept across steps (so each step reuses the cache of the ones before), the
/// remote behind the outbound guard.
pub struct Engines<'p> {
    prepared: &'p OnceCell<Prepared>,
    local: Option<LocalEngine<'p>>,
    remote: Option<Outbound>,
}

impl<'p> Engines<'p> {
    pub fn new(prepared: &'p OnceCell<Prepared>) -> Self {
        Self {
            prepared,
            local: None,
            remote: None,
        }
    }

    pub fn local(&mut self, env: &Env, ask: &Ask) -> Result<&mut LocalEngine<'p>, Error> {
        if self.local.is_none() {
            if self.prepared.get().is_none() {
                let _ = self.prepared.set(answer::prepare(env, ask, None)?);
            }
            let prepared = self.prepared.get().expect("set above");
            let settings = EngineSettings {
                window: prepared.budget().window,
                threads: prepared.settings.threads,
                keep_context: true,
            };
            let name = prepared.chosen.name.clone();
            self.local = Some(LocalEngine::new(&prepared.loaded.model, name, settings));
        }
        Ok(self.local.as_mut().expect("made above"))
    }

    pub fn remote(
        &mut self,
        env: &Env,
        config: &Config,
        plan: &Plan,
    ) -> Result<&mut Outbound, Error> {
        if self.remote.is_none() {
            let name = plan
                .endpoint
                .as_deref()
                .expect("a remote plan names its endpoint");
            let endpoint = choose::endpoint_config(name, config)?;
            let engine = choose::remote_engine(name, endpoint)?;
            let audit = AuditTo::new(env.paths.database_file(), config, "agent");
            let label = CallLabel::new("agent", plan.tier, &plan.reason);
            self.remote = Some(Outbound::new(engine, endpoint, &audit, label));
        }
        Ok(self.remote.as_mut().expect("made above"))
    }

    /// The name of the engine a place uses, once made.
    pub fn name(&self, place: Place) -> String {
        match place {
            Place::Local => self.local.as_ref().map(|e| e.name().to_string()),
            Place::Remote => self
                .remote
                .as_ref()
                .map(|e| format!("{} ({})", e.name(), e.remote().model())),
        }
        .unwrap_or_default()
    }
}
