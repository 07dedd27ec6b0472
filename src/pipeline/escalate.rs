//! The chat's `--tier auto` (or `[router] mode = "auto"`), on the engine thread: the local
//! answer's first tokens are held back and judged; if the local model is unsure, it stops
//! there and the remote tier answers the same prompt, without private excerpts, through the
//! outbound guard. What keeps a turn local is the router's privacy rule, as for every front end.
use std::cell::RefCell;

use super::prompt::Built;
use super::reply::Reply;
use crate::cancel::CancelToken;
use crate::config::Config;
use crate::engine::GenerateParams;
use crate::engine::{Engine, Generation, Sink};
use crate::error::Error;
use crate::router::confidence::{PromptFeatures, Signals, Tokens};
use crate::router::outbound::{AuditTo, CallLabel, Outbound};
use crate::router::policy::{self, Escalation, Facts};
use crate::router::watch::{Counted, Watch};
use crate::router::{Tier, TierChoice};

/// What the engine thread needs to hand a turn over.
#[derive(Debug, Clone)]
pub struct AutoRoute {
    pub config: Config,
    pub audit: AuditTo,
}

/// One chat turn: what was asked and how to answer.
pub struct Turn<'a> {
    pub question: &'a str,
    pub params: &'a GenerateParams,
    pub cancel: &'a CancelToken,
}

/// Generates the turn's answer locally, watched; hands it over when the local model is unsure.
pub fn generate(
    engine: &mut dyn Engine,
    job: &Turn,
    built: &Built,
    auto: &AutoRoute,
    sink: &mut dyn Sink,
    reply: &dyn Fn(Reply),
) -> Result<Generation, Error> {
    let spent = super::tiers::spent_from(auto.audit.database.clone());
    let facts = Facts {
        front: "chat",
        question: job.question,
        flag: Some(TierChoice::Auto),
        privacy: built.privacy.clone(),
        ..Facts::default()
    };
    let plan = policy::plan(&facts, &auto.config, &spent)?;
    if !plan.watch {
        return local(engine, job, built, sink);
    }
    let base = Signals {
        tokens: Tokens::default(),
        retrieval: built.retrieval.clone(),
        prompt: PromptFeatures::of(job.question, false),
    };
    let verdict = RefCell::new(None);
    let mut watch = Watch::new(
        sink,
        auto.config.router.escalate_after as usize,
        Box::new(|stats, ended| {
            let signals = Signals {
                tokens: Tokens::of(stats, ended),
                ..base.clone()
            };
            let decision = policy::escalation(signals.score(), &auto.config, &spent);
            let hand_over = matches!(decision, Escalation::HandOver { .. });
            *verdict.borrow_mut() = Some(decision);
            hand_over
        }),
    );
    let local_answer = engine
        .generate(&built.messages, job.params, job.cancel, &mut watch)
        .map_err(super::engine_error)?;
    if local_answer.stop_reason == crate::engine::StopReason::Interrupted {
        // Esc stops the turn; it is not a reason to ask another tier.
        return Ok(local_answer);
    }
    let handed = watch
        .finish()
        .map_err(|e| super::engine_error(crate::engine::EngineError::Output(e)))?;
    let local_tokens = watch.local_tokens();
    drop(watch);
    let Some(Escalation::HandOver { tier, why }) = verdict.into_inner().filter(|_| handed) else {
        return Ok(local_answer);
    };
    reply(Reply::Routed(format!(
        "after {local_tokens} tokens {why}; the {tier} tier answers"
    )));
    match remote(tier, &why, local_tokens, job, built, auto, sink) {
        Ok(g) => Ok(g),
        Err(failure) if !failure.streamed => {
            reply(Reply::Routed(format!(
                "the {tier} tier did not answer ({}); the local model answers",
                failure.why
            )));
            local(engine, job, built, sink)
        }
        Err(failure) => Err(Error::new(crate::error::Kind::Unavailable, failure.why)),
    }
}

fn local(
    engine: &mut dyn Engine,
    job: &Turn,
    built: &Built,
    sink: &mut dyn Sink,
) -> Result<Generation, Error> {
    engine
        .generate(&built.messages, job.params, job.cancel, sink)
        .map_err(super::engine_error)
}

struct Failure {
    why: String,
    streamed: bool,
}

fn remote(
    tier: Tier,
    why: &str,
    local_tokens: usize,
    job: &Turn,
    built: &Built,
    auto: &AutoRoute,
    sink: &mut dyn Sink,
) -> Result<Generation, Failure> {
    let failed = |why: String| Failure {
        why,
        streamed: false,
    };
    let name = policy::endpoint_of(tier, &auto.config)
        .ok_or_else(|| failed(format!("the {tier} tier is not configured")))?;
    let endpoint = auto
        .config
        .endpoints
        .get(name)
        .ok_or_else(|| failed(format!("there is no endpoint named '{name}'")))?;
    let engine = super::choose::remote_engine(name, endpoint).map_err(|e| failed(e.message))?;
    let label = CallLabel {
        outcome: crate::store::calls::ESCALATED,
        local_tokens: local_tokens as u32,
        ..CallLabel::new("chat", tier, why)
    };
    let mut outbound = Outbound::new(engine, endpoint, &auto.audit, label);
    let mut counted = Counted::new(sink);
    outbound
        .generate(
            built.shared_messages(),
            job.params,
            job.cancel,
            &mut counted,
        )
        .map_err(|e| Failure {
            why: super::engine_error(e).message,
            streamed: counted.streamed,
        })
}
