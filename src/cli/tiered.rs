//! One request across the router's tiers: the plan, the local answer (watched when the plan
//! says so), the hand-over to a remote tier with secrets taken out and put back, the fall back
//! to local when a remote fails, and the audit row. What the user sees: one answer on stdout,
//! one line on stderr saying which tier answered and why.
use std::cell::RefCell;

use super::oneshot::{self, Options, Outcome};
use super::Ctx;
use crate::config::Config;
use crate::context::Request;
use crate::engine::{Engine, Sink};
use crate::error::CliError;
use crate::pipeline::{self, choose, Budget, ChosenModel, Settings};
use crate::router::confidence::{PromptFeatures, Retrieval, Signals, Tokens};
use crate::router::outbound::{AuditTo, CallLabel, Outbound};
use crate::router::policy::{self, Facts, Plan};
use crate::router::redact::Redactor;
use crate::router::watch::{Counted, Watch};
use crate::router::{Tier, TierChoice};
use crate::store::calls::NewCall;
use crate::store::Store;

/// Which tier answered and why: the stderr line, `--json`'s `route` and the audit row.
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

/// What the policy knows of this request, and its plan.
pub fn plan(
    ctx: &Ctx,
    options: &Options,
    config: &Config,
    request: &Request,
) -> Result<Plan, CliError> {
    if options.grammar.is_some() {
        return local_only(
            options,
            "structured output (--json-schema, --grammar) runs on the local model only",
            "structured output runs on the local model",
        );
    }
    if !options.model.lora.is_empty() {
        return local_only(
            options,
            "LoRA adapters (--lora) apply to the local model only",
            "LoRA adapters apply to the local model",
        );
    }
    // Redaction's rules cost milliseconds to build: only when the request may leave.
    let may_leave = options.model.tier.is_some_and(|t| t != TierChoice::Local)
        || config.tiers.medium.is_some()
        || config.tiers.large.is_some();
    let leaks = if may_leave {
        Redactor::leaks(&Redactor::new().redact(&request_text(request)))
    } else {
        Vec::new()
    };
    let facts = Facts {
        front: options.front,
        role: options.role.map(|r| r.name.as_str()),
        question: &request.question,
        flag: options.model.tier,
        private_excerpts: request.excerpts.iter().filter(|e| e.private).count(),
        private_top: request.excerpts.first().is_some_and(|e| e.private),
        leaks,
    };
    policy::plan(&facts, config, &spent(ctx))
}

/// The plan for a request only the local model can answer; an error when `--tier` asks for
/// a remote one. `refusal` is that error's sentence, `reason` the plan's.
fn local_only(options: &Options, refusal: &str, reason: &str) -> Result<Plan, CliError> {
    if options
        .model
        .tier
        .and_then(TierChoice::fixed)
        .is_some_and(|t| t != Tier::Local)
    {
        return Err(
            CliError::user(refusal.to_string()).hint("leave out --tier, or use --tier local")
        );
    }
    Ok(Plan {
        tier: Tier::Local,
        reason: reason.into(),
        watch: false,
    })
}

/// Every text of the request that a remote tier would read.
fn request_text(request: &Request) -> String {
    let mut text = request.question.clone();
    let parts = request
        .attachments
        .iter()
        .map(|a| a.text.as_str())
        .chain(request.excerpts.iter().map(|e| e.text.as_str()))
        .chain(request.profile.as_deref())
        .chain(request.system.as_deref())
        .chain(request.history.iter().map(|m| m.content.as_str()));
    for part in parts {
        text.push('\n');
        text.push_str(part);
    }
    text
}

/// This month's spend per tier from the audit log; nothing spent when there is no log.
pub fn spent(ctx: &Ctx) -> impl Fn(Tier) -> f64 {
    // Opened only when a budget is checked, and never created for it.
    let file = ctx.paths.database_file();
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
fn load(ctx: &Ctx, parts: &Parts) -> Result<oneshot::Prepared, CliError> {
    let gpu_layers = parts.settings.gpu_layers;
    let loaded = choose::load(
        &parts.chosen,
        gpu_layers,
        pipeline::Weights::All,
        ctx.verbose,
    )?;
    Ok(oneshot::Prepared::from_parts(parts, loaded))
}

/// Runs the plan into `sink`.
pub fn run(
    ctx: &Ctx,
    options: &Options,
    plan: Plan,
    parts: &Parts,
    request: Request,
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
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
        return remote_or_local(ctx, options, parts, &request, route, sink);
    }
    if !plan.watch {
        return local(ctx, options, parts, &request, route, sink);
    }
    watched(ctx, options, parts, &request, route, sink)
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
    ctx: &Ctx,
    options: &Options,
    parts: &Parts,
    request: &Request,
) -> Result<(Signals, f64), CliError> {
    let prepared = load(ctx, parts)?;
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
    oneshot::generate_local(ctx, options, &prepared, &mut engine, request, &mut watch)?;
    watch
        .finish()
        .map_err(|e| pipeline::engine_error(crate::engine::EngineError::Output(e)))?;
    drop(watch);
    Ok(seen
        .into_inner()
        .unwrap_or_else(|| (base.clone(), base.score())))
}

/// The local answer, its first tokens watched; a remote tier takes over if they are unsure.
fn watched(
    ctx: &Ctx,
    options: &Options,
    parts: &Parts,
    request: &Request,
    mut route: Route,
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
    let prepared = load(ctx, parts)?;
    let mut engine = prepared.engine();
    let verdict = RefCell::new(None);
    let base = prompt_signals(request);
    let spent = spent(ctx);
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
            let hand_over = decision.is_ok();
            *verdict.borrow_mut() = Some((signals, score, decision));
            hand_over
        }),
    );
    let mut outcome =
        oneshot::generate_local(ctx, options, &prepared, &mut engine, request, &mut watch)?;
    if outcome.generation.stop_reason == crate::engine::StopReason::Interrupted {
        // Ctrl-C stops the request; it is not a reason to ask another tier.
        return Ok(outcome);
    }
    let handed = watch
        .finish()
        .map_err(|e| pipeline::engine_error(crate::engine::EngineError::Output(e)))?;
    let local_tokens = watch.local_tokens();
    drop(watch);
    let Some((signals, score, decision)) = verdict.into_inner() else {
        return Ok(outcome);
    };
    route.confidence = Some(score);
    route.signals = Some(signals);
    match decision {
        Err(why) => {
            route.reason = why;
            outcome.route = Some(route);
            record(ctx, options, &parts.config, &outcome);
            Ok(outcome)
        }
        Ok((tier, why)) => {
            debug_assert!(handed);
            eprintln!("pai: after {local_tokens} tokens {why}; asking the {tier} tier");
            route.tier = tier;
            route.reason = why;
            route.outcome = "escalated";
            route.local_tokens = local_tokens;
            match remote(ctx, options, parts, request, route.clone(), sink) {
                Ok(outcome) => Ok(outcome),
                Err(failure) => fall_back(
                    ctx,
                    options,
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
    error: CliError,
    streamed: bool,
    /// The failed call's row in the audit log, when it got as far as being sent.
    row: Option<i64>,
}

impl From<CliError> for Failure {
    fn from(error: CliError) -> Self {
        Self {
            error,
            streamed: false,
            row: None,
        }
    }
}

/// A remote tier answers; local answers if it cannot.
fn remote_or_local(
    ctx: &Ctx,
    options: &Options,
    parts: &Parts,
    request: &Request,
    route: Route,
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
    match remote(ctx, options, parts, request, route.clone(), sink) {
        Ok(outcome) => Ok(outcome),
        Err(failure) => {
            let prepared = load(ctx, parts)?;
            let mut engine = prepared.engine();
            fall_back(
                ctx,
                options,
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
    ctx: &Ctx,
    options: &Options,
    prepared: &oneshot::Prepared,
    engine: &mut crate::engine::local::LocalEngine,
    request: &Request,
    mut route: Route,
    failure: Failure,
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
    if failure.streamed {
        return Err(failure.error);
    }
    eprintln!(
        "pai: the {} tier did not answer ({}); answering locally",
        route.tier,
        crate::render::sanitize_line(&failure.error.message)
    );
    route.reason = format!(
        "the {} tier failed, so the local model answered",
        route.tier
    );
    route.tier = Tier::Local;
    route.endpoint = None;
    route.outcome = "fallback";
    let mut outcome = oneshot::generate_local(ctx, options, prepared, engine, request, sink)?;
    outcome.route = Some(route);
    match failure.row {
        // The payload left: the remote row says what became of it.
        Some(id) => {
            let tokens = outcome.generation.generated_tokens as u32;
            if let Err(e) =
                Store::open(&ctx.paths.database_file()).and_then(|s| s.mark_fallback(id, tokens))
            {
                eprintln!("pai: could not write the audit log: {}", e.message);
            }
            say_route(&outcome);
        }
        None => record(ctx, options, &prepared.config, &outcome),
    }
    Ok(outcome)
}

/// The local model answers, as planned.
fn local(
    ctx: &Ctx,
    options: &Options,
    parts: &Parts,
    request: &Request,
    route: Route,
    sink: &mut dyn Sink,
) -> Result<Outcome, CliError> {
    let prepared = load(ctx, parts)?;
    let mut engine = prepared.engine();
    let mut outcome = oneshot::generate_local(ctx, options, &prepared, &mut engine, request, sink)?;
    outcome.route = Some(route);
    record(ctx, options, &parts.config, &outcome);
    Ok(outcome)
}

/// A remote tier answers: the request fitted to its window and sent through the outbound
/// guard, which replaces secrets, puts them back in the reply and writes the audit row.
fn remote(
    ctx: &Ctx,
    options: &Options,
    parts: &Parts,
    request: &Request,
    mut route: Route,
    sink: &mut dyn Sink,
) -> Result<Outcome, Failure> {
    let config = &parts.config;
    let name = policy::endpoint_of(route.tier, config)
        .ok_or_else(|| CliError::user(format!("the {} tier is not configured", route.tier)))?;
    let endpoint = choose::endpoint_config(name, config)?;
    let request = &without_private(request);
    let label = CallLabel {
        local_tokens: route.local_tokens as u32,
        outcome: route.outcome,
        ..CallLabel::new(options.front, route.tier, &route.reason)
    };
    let audit = AuditTo::new(ctx.paths.database_file(), config, options.front);
    let remote = choose::remote_engine(name, endpoint)?;
    let mut engine = Outbound::new(remote, endpoint, &audit, label);
    let settings = &parts.settings;
    let budget = Budget::new(settings.ctx, engine.window(), settings.max_tokens, false);
    let assembled = oneshot::fit(request, &engine, &budget, config)?;
    eprintln!(
        "pai: sending the request to the {} tier '{name}' ({}), secrets taken out",
        route.tier,
        crate::render::sanitize_line(engine.remote().url()),
    );
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
            error: pipeline::engine_error(e),
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
    say_route(&outcome);
    Ok(outcome)
}

/// The request as it may leave: excerpts from private sources are never sent.
fn without_private(request: &Request) -> Request {
    let mut shared = request.clone();
    shared.excerpts.retain(|e| !e.private);
    let kept = request.excerpts.len() - shared.excerpts.len();
    if kept > 0 {
        eprintln!("pai: {kept} excerpts from private sources stay on this machine");
    }
    shared
}

/// Writes the local answer's audit row and says which tier answered and why. Local answers
/// are recorded only when the router is in play (a remote tier is configured, or --tier).
fn record(ctx: &Ctx, options: &Options, config: &Config, outcome: &Outcome) {
    let Some(route) = &outcome.route else { return };
    let in_play = config.tiers.medium.is_some() || config.tiers.large.is_some();
    if !in_play && options.model.tier.is_none() {
        return;
    }
    let g = &outcome.generation;
    let (tokens_in, tokens_out) = (g.prompt_tokens as u32, g.generated_tokens as u32);
    let written = Store::open(&ctx.paths.database_file()).and_then(|store| {
        store.record_call(&NewCall {
            front: options.front,
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
        eprintln!("pai: could not write the audit log: {}", e.message);
    }
    say_route(outcome);
}

/// The one line that says which tier answered and why.
fn say_route(outcome: &Outcome) {
    let Some(route) = &outcome.route else { return };
    let reason = crate::render::sanitize_line(&route.reason);
    match route.tier {
        Tier::Local => eprintln!("pai: answered locally: {reason}"),
        tier => eprintln!(
            "pai: answered by the {tier} tier ({}): {reason}",
            crate::render::sanitize_line(&outcome.model_name)
        ),
    }
}
