//! One request across the router's tiers: the plan, the local answer (watched when the plan
//! says so), the hand-over to a remote tier with secrets taken out and put back, the fall back
//! to local when a remote fails, and the audit row. What the user sees: one answer on stdout,
//! one note saying which tier answered and why.
use std::cell::RefCell;

use super::answer;
use super::request::{Ask, Env, Outcome, Parts, Prepared, Route};
use super::{choose, Budget};
use crate::config::Config;
use crate::context::Request;
use crate::engine::{Engine, Sink};
use crate::error::Error;
use crate::router::confidence::{PromptFeatures, Retrieval, Signals, Tokens};
use crate::router::outbound::{AuditTo, CallLabel, Outbound};
use crate::router::policy::{self, Escalation, Facts, Plan};
use crate::router::privacy::{self, Privacy};
use crate::router::watch::{Counted, Watch};
use crate::router::{Tier, TierChoice};
use crate::store::calls::NewCall;
use crate::store::Store;

/// What the policy knows of this request, and its plan.
pub fn plan(env: &Env, ask: &Ask, config: &Config, request: &Request) -> Result<Plan, Error> {
    if ask.grammar.is_some() {
        return local_only(
            ask,
            "structured output (--json-schema, --grammar) runs on the local model only",
            "structured output runs on the local model",
        );
    }
    if !ask.overrides.lora.is_empty() {
        return local_only(
            ask,
            "LoRA adapters (--lora) apply to the local model only",
            "LoRA adapters apply to the local model",
        );
    }
    let may_leave = ask.tier.is_some_and(|t| t != TierChoice::Local)
        || config.tiers.medium.is_some()
        || config.tiers.large.is_some();
    let facts = Facts {
        front: ask.front,
        role: ask.role.map(|r| r.name.as_str()),
        question: &request.question,
        flag: ask.tier,
        privacy: Privacy::of(request, may_leave),
    };
    policy::plan(&facts, config, &spent(env))
}

/// The plan for a request only the local model can answer; an error when `--tier` asks for
/// a remote one. `refusal` is that error's sentence, `reason` the plan's.
fn local_only(ask: &Ask, refusal: &str, reason: &str) -> Result<Plan, Error> {
    if ask
        .tier
        .and_then(TierChoice::fixed)
        .is_some_and(|t| t != Tier::Local)
    {
        return Err(Error::user(refusal.to_string()).hint("leave out --tier, or use --tier local"));
    }
    Ok(Plan {
        tier: Tier::Local,
        reason: reason.into(),
        watch: false,
    })
}

/// This month's spend per tier from the audit log; nothing spent when there is no log.
pub fn spent(env: &Env) -> impl Fn(Tier) -> f64 {
    spent_from(env.paths.database_file())
}

/// This month's spend per tier from the audit log in `file`: the one reading of the budgets
/// every front end's plan uses.
pub fn spent_from(file: std::path::PathBuf) -> impl Fn(Tier) -> f64 {
    // Opened only when a budget is checked, and never created for it.
    move |tier| {
        if !file.exists() {
            return 0.0;
        }
        Store::open(&file)
            .and_then(|s| s.month_spent(tier, chrono::Utc::now()))
            .unwrap_or(0.0)
    }
}

/// The local model, loaded when a plan needs it (a remote tier may never need it).
fn load(env: &Env, parts: &Parts) -> Result<Prepared, Error> {
    let gpu_layers = parts.settings.gpu_layers;
    let loaded = choose::load(
        &parts.chosen,
        gpu_layers,
        super::Weights::All,
        env.report.verbose(),
    )?;
    Ok(Prepared::from_parts(parts, loaded))
}

/// Runs the plan into `sink`.
pub fn run(
    env: &Env,
    ask: &Ask,
    plan: Plan,
    parts: &Parts,
    request: Request,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    let route = Route {
        tier: plan.tier,
        reason: plan.reason.clone(),
        endpoint: None,
        outcome: "ok",
        confidence: None,
        signals: None,
        local_tokens: 0,
        redactions: 0,
    };
    if plan.tier != Tier::Local {
        return remote_or_local(env, ask, parts, &request, route, sink);
    }
    if !plan.watch {
        return local(env, ask, parts, &request, route, sink);
    }
    watched(env, ask, parts, &request, route, sink)
}

/// The signals known before generation: the index's match and the question's features.
pub fn prompt_signals(request: &Request) -> Signals {
    Signals {
        tokens: Tokens::default(),
        retrieval: Retrieval::of_request(request),
        prompt: PromptFeatures::of(&request.question, !request.attachments.is_empty()),
    }
}

/// The local model's first tokens, read for their confidence and thrown away (`pai route`).
pub fn first_tokens(
    env: &Env,
    ask: &Ask,
    parts: &Parts,
    request: &Request,
) -> Result<(Signals, f64), Error> {
    let prepared = load(env, parts)?;
    let mut engine = prepared.engine();
    let base = prompt_signals(request);
    let seen = RefCell::new(None);
    let mut discard = crate::engine::Discard;
    let mut watch = Watch::new(
        &mut discard,
        parts.config.router.escalate_after as usize,
        Box::new(|stats, ended| {
            let signals = Signals {
                tokens: Tokens::of(stats, ended),
                ..base.clone()
            };
            let score = signals.score();
            *seen.borrow_mut() = Some((signals, score));
            true
        }),
    );
    answer::generate_local(env, ask, &prepared, &mut engine, request, &mut watch)?;
    watch
        .finish()
        .map_err(|e| super::engine_error(crate::engine::EngineError::Output(e)))?;
    drop(watch);
    Ok(seen
        .into_inner()
        .unwrap_or_else(|| (base.clone(), base.score())))
}

/// The local answer, its first tokens watched; a remote tier takes over if they are unsure.
fn watched(
    env: &Env,
    ask: &Ask,
    parts: &Parts,
    request: &Request,
    mut route: Route,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    let prepared = load(env, parts)?;
    let mut engine = prepared.engine();
    let verdict = RefCell::new(None);
    let base = prompt_signals(request);
    let spent = spent(env);
    let config = &parts.config;
    let mut watch = Watch::new(
        sink,
        config.router.escalate_after as usize,
        Box::new(|stats, ended| {
            let signals = Signals {
                tokens: Tokens::of(stats, ended),
                ..base.clone()
            };
            let score = signals.score();
            let decision = policy::escalation(score, config, &spent);
            let hand_over = matches!(decision, Escalation::HandOver { .. });
            *verdict.borrow_mut() = Some((signals, score, decision));
            hand_over
        }),
    );
    let mut outcome =
        answer::generate_local(env, ask, &prepared, &mut engine, request, &mut watch)?;
    if outcome.generation.stop_reason == crate::engine::StopReason::Interrupted {
        // Ctrl-C stops the request; it is not a reason to ask another tier.
        return Ok(outcome);
    }
    let handed = watch
        .finish()
        .map_err(|e| super::engine_error(crate::engine::EngineError::Output(e)))?;
    let local_tokens = watch.local_tokens();
    drop(watch);
    let Some((signals, score, decision)) = verdict.into_inner() else {
        return Ok(outcome);
    };
    route.confidence = Some(score);
    route.signals = Some(signals);
    match decision {
        Escalation::Keep { why } => {
            route.reason = why;
            outcome.route = Some(route);
            record(env, ask, &parts.config, &outcome);
            Ok(outcome)
        }
        Escalation::HandOver { tier, why } => {
            debug_assert!(handed);
            env.report.note(&format!(
                "after {local_tokens} tokens {why}; asking the {tier} tier"
            ));
            route.tier = tier;
            route.reason = why;
            route.outcome = "escalated";
            route.local_tokens = local_tokens;
            match remote(env, ask, parts, request, route.clone(), sink) {
                Ok(outcome) => Ok(outcome),
                Err(failure) => fall_back(
                    env,
                    ask,
                    &prepared,
                    &mut engine,
                    request,
                    route,
                    failure,
                    sink,
                ),
            }
        }
    }
}

/// A remote tier that could not answer; `streamed` when part of its answer was already shown,
/// which rules out answering again locally.
struct Failure {
    error: Error,
    streamed: bool,
    /// The failed call's row in the audit log, when it got as far as being sent.
    row: Option<i64>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self {
            error,
            streamed: false,
            row: None,
        }
    }
}

/// A remote tier answers; local answers if it cannot.
fn remote_or_local(
    env: &Env,
    ask: &Ask,
    parts: &Parts,
    request: &Request,
    route: Route,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    match remote(env, ask, parts, request, route.clone(), sink) {
        Ok(outcome) => Ok(outcome),
        Err(failure) => {
            let prepared = load(env, parts)?;
            let mut engine = prepared.engine();
            fall_back(
                env,
                ask,
                &prepared,
                &mut engine,
                request,
                route,
                failure,
                sink,
            )
        }
    }
}

/// The local model answers after a remote tier failed, unless the remote had begun to answer.
#[allow(clippy::too_many_arguments)]
fn fall_back(
    env: &Env,
    ask: &Ask,
    prepared: &Prepared,
    engine: &mut crate::engine::local::LocalEngine,
    request: &Request,
    mut route: Route,
    failure: Failure,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    if failure.streamed {
        return Err(failure.error);
    }
    env.report.note(&format!(
        "the {} tier did not answer ({}); answering locally",
        route.tier,
        crate::render::sanitize_line(&failure.error.message)
    ));
    route.reason = format!(
        "the {} tier failed, so the local model answered",
        route.tier
    );
    route.tier = Tier::Local;
    route.endpoint = None;
    route.outcome = "fallback";
    let mut outcome = answer::generate_local(env, ask, prepared, engine, request, sink)?;
    outcome.route = Some(route);
    match failure.row {
        // The payload left: the remote row says what became of it.
        Some(id) => {
            let tokens = outcome.generation.generated_tokens as u32;
            if let Err(e) =
                Store::open(&env.paths.database_file()).and_then(|s| s.mark_fallback(id, tokens))
            {
                env.report
                    .note(&format!("could not write the audit log: {}", e.message));
            }
            say_route(env, &outcome);
        }
        None => record(env, ask, &prepared.config, &outcome),
    }
    Ok(outcome)
}

/// The local model answers, as planned.
fn local(
    env: &Env,
    ask: &Ask,
    parts: &Parts,
    request: &Request,
    route: Route,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    let prepared = load(env, parts)?;
    let mut engine = prepared.engine();
    let mut outcome = answer::generate_local(env, ask, &prepared, &mut engine, request, sink)?;
    outcome.route = Some(route);
    record(env, ask, &parts.config, &outcome);
    Ok(outcome)
}

/// A remote tier answers: the request fitted to its window and sent through the outbound
/// guard, which replaces secrets, puts them back in the reply and writes the audit row.
fn remote(
    env: &Env,
    ask: &Ask,
    parts: &Parts,
    request: &Request,
    mut route: Route,
    sink: &mut dyn Sink,
) -> Result<Outcome, Failure> {
    let config = &parts.config;
    let name = policy::endpoint_of(route.tier, config)
        .ok_or_else(|| Error::user(format!("the {} tier is not configured", route.tier)))?;
    let endpoint = choose::endpoint_config(name, config)?;
    let request = &without_private(env, request);
    let label = CallLabel {
        local_tokens: route.local_tokens as u32,
        outcome: route.outcome,
        ..CallLabel::new(ask.front, route.tier, &route.reason)
    };
    let audit = AuditTo::new(env.paths.database_file(), config, ask.front);
    let remote = choose::remote_engine(name, endpoint)?;
    let mut engine = Outbound::new(remote, endpoint, &audit, label);
    let settings = &parts.settings;
    let budget = Budget::new(settings.ctx, engine.window(), settings.max_tokens, false);
    let assembled = answer::fit(env, request, &engine, &budget, config)?;
    env.report.note(&format!(
        "sending the request to the {} tier '{name}' ({}), secrets taken out",
        route.tier,
        crate::render::sanitize_line(engine.remote().url()),
    ));
    let mut counted = Counted::new(sink);
    let cancel = crate::cancel::interrupt_token();
    let generation = engine
        .generate(
            &assembled.messages,
            &settings.params(),
            &cancel,
            &mut counted,
        )
        .map_err(|e| Failure {
            error: super::engine_error(e),
            streamed: counted.streamed,
            row: engine.last.row,
        })?;
    route.endpoint = Some(name.to_string());
    route.redactions = engine.last.redactions;
    let outcome = Outcome {
        model_name: format!("{name} ({})", engine.remote().model()),
        load_ms: 0.0,
        generation,
        sources: assembled.sources,
        n_ctx: budget.window,
        route: Some(route),
    };
    say_route(env, &outcome);
    Ok(outcome)
}

/// The request as it may leave: excerpts from private sources are never sent.
fn without_private(env: &Env, request: &Request) -> Request {
    let (shared, kept) = privacy::shareable(request);
    if let Some(note) = privacy::kept_note(kept) {
        env.report.note(&note);
    }
    shared
}

/// Writes the local answer's audit row and says which tier answered and why. Local answers
/// are recorded only when the router is in play (a remote tier is configured, or --tier).
fn record(env: &Env, ask: &Ask, config: &Config, outcome: &Outcome) {
    let Some(route) = &outcome.route else { return };
    let in_play = config.tiers.medium.is_some() || config.tiers.large.is_some();
    if !in_play && ask.tier.is_none() {
        return;
    }
    let g = &outcome.generation;
    let (tokens_in, tokens_out) = (g.prompt_tokens as u32, g.generated_tokens as u32);
    let written = Store::open(&env.paths.database_file()).and_then(|store| {
        store.record_call(&NewCall {
            front: ask.front,
            tier: Tier::Local,
            reason: &route.reason,
            endpoint: None,
            model: &outcome.model_name,
            tokens_in,
            tokens_out,
            cost_usd: 0.0,
            avoided_usd: crate::store::calls::cheapest_remote_cost(tokens_in, tokens_out, config),
            redactions: 0,
            payload: None,
            keep_payload: false,
            outcome: crate::store::calls::OK,
            local_tokens: tokens_out,
        })
    });
    if let Err(e) = written {
        env.report
            .note(&format!("could not write the audit log: {}", e.message));
    }
    say_route(env, outcome);
}

/// The one line that says which tier answered and why.
fn say_route(env: &Env, outcome: &Outcome) {
    let Some(route) = &outcome.route else { return };
    let reason = crate::render::sanitize_line(&route.reason);
    match route.tier {
        Tier::Local => env.report.note(&format!("answered locally: {reason}")),
        tier => env.report.note(&format!(
            "answered by the {tier} tier ({}): {reason}",
            crate::render::sanitize_line(&outcome.model_name)
        )),
    }
}

/// Which tier would answer a request, and why (`pai route`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Decision {
    pub tier: Tier,
    pub reason: String,
    pub endpoint: Option<String>,
    /// The local model's confidence, when the decision waited for its first tokens.
    pub confidence: Option<f64>,
    pub signals: Signals,
}

/// The decision a request would meet, without calling any remote: the plan, and when the plan
/// waits on the local model's confidence, its first tokens (generated, then thrown away).
pub fn decide(env: &Env, ask: &Ask, mut request: Request) -> Result<Decision, Error> {
    let (config, settings) = answer::resolve(env, ask)?;
    let chosen = answer::local_model(env, ask, &config)?;
    answer::gather_for(env, ask, &config, &mut request);
    let plan = plan(env, ask, &config, &request)?;
    let parts = Parts {
        config,
        settings,
        chosen,
    };
    let (mut tier, mut reason) = (plan.tier, plan.reason.clone());
    let (signals, confidence) = if plan.watch {
        let (signals, score) = first_tokens(env, ask, &parts, &request)?;
        match policy::escalation(score, &parts.config, &spent(env)) {
            Escalation::HandOver { tier: to, why } => (tier, reason) = (to, why),
            Escalation::Keep { why } => reason = why,
        }
        (signals, Some(score))
    } else {
        (prompt_signals(&request), None)
    };
    Ok(Decision {
        tier,
        reason,
        endpoint: policy::endpoint_of(tier, &parts.config).map(str::to_string),
        confidence,
        signals,
    })
}
