//! `POST /v1/chat/completions`: the local model, or a remote tier when the client names one,
//! with pai's own context when the request asks for it.
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::api;
use super::error::{encoder_only, ApiError};
use super::job::{Gathered, Work};
use super::models::check_model;
use super::pending::{submit, CancelOnDrop, Pending};
use super::reply::{log_body, respond, sources_json, Reply};
use super::request::{params, read_body, response_id};
use super::state::{unix_now, Shared};
use super::tiers;
use super::tools;
use crate::message::{Message, Role};
use crate::pipeline::settings::FrontDefaults;

const WHAT: &str = "a chat completion";

pub async fn chat_completions(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(&s, &headers, body).await?;
    let request = api::parse_chat(&bytes, &s.limits)?;
    let tier = tiers::tier_of(&request.model, &s.context.config);
    let notes = match tier {
        Some(_) => false,
        None => check_model(&s, &request.model)?,
    };
    if s.backend.info.encoder && tier.is_none() {
        return Err(encoder_only());
    }
    if tier.is_some() && request.grammar.is_some() {
        return Err(ApiError::bad_request(
            "'response_format' is enforced by the local model only; a remote tier is never asked for a constrained answer",
        )
        .param("response_format"));
    }
    refuse_unserved(&s, tier.is_some(), &request)?;
    log_body(&s, "request", &String::from_utf8_lossy(&bytes));
    let asked = notes || request.pai.context;
    let context = if asked {
        Some(gather(&s, last_question(&request.messages)).await)
    } else {
        None
    };
    let (mut params, explicit) = params(
        &s,
        &request.sampling,
        request.max_tokens,
        FrontDefaults::default(),
        request.stop,
    );
    params.grammar = request.grammar;
    params.tools = request.tools;
    let mut pending = match tier {
        Some(tier) => {
            let (events, cancel) =
                tiers::submit(&s.context, tier, request.messages, context, params);
            Pending {
                events,
                guard: CancelOnDrop::new(cancel, WHAT),
            }
        }
        None => {
            let work = Work::Chat {
                messages: request.messages,
                context,
                logprobs: request.logprobs,
            };
            submit(&s, work, params, explicit, WHAT)?
        }
    };
    let (prompt_tokens, sources) = pending.started().await?;
    let reply = Reply {
        id: response_id("chatcmpl"),
        created: unix_now(),
        model: request.model,
        prompt_tokens,
        pai: (!sources.is_empty() || asked).then(|| sources_json(&sources)),
        include_usage: request.include_usage,
        chat: true,
        logprobs: request.logprobs.is_some(),
    };
    respond(s, reply, pending, request.stream).await
}

/// Tools go to a remote tier as they came; on the local model their schemas must be ones the
/// grammar holds. Log-probabilities are the local model's, one answer at a time: a remote
/// tier and `--parallel` above 1 refuse them rather than answer without.
fn refuse_unserved(s: &Shared, tier: bool, request: &api::ChatRequest) -> Result<(), ApiError> {
    if !tier {
        tools::enforceable(&request.tools)?;
    }
    if request.logprobs.is_none() {
        return Ok(());
    }
    let why = if tier {
        "a remote tier is not asked for them; use the local model"
    } else if s.backend.info.parallel > 1 {
        "they need pai serve --parallel 1"
    } else {
        return Ok(());
    };
    Err(
        ApiError::bad_request(format!("'logprobs' is not supported here: {why}"))
            .param("logprobs")
            .code("unsupported_parameter"),
    )
}

/// The last user message: what pai's context is looked up for.
fn last_question(messages: &[Message]) -> String {
    messages
        .iter()
        .rev()
        .find(|m| m.role == Role::User)
        .map(|m| m.content.clone())
        .unwrap_or_default()
}

/// Gathers the profile, memories and excerpts for the question, off the async thread.
async fn gather(s: &Arc<Shared>, question: String) -> Gathered {
    let source = s.context.clone();
    tokio::task::spawn_blocking(move || {
        let profile = crate::context::read_profile(&source.paths.profile_file());
        let (memories, mut notes) =
            crate::pipeline::gather::memories(&source.paths, &question, &source.config);
        let (excerpts, more) = crate::pipeline::gather::retrieve(
            &source.paths,
            &question,
            &source.config,
            &[],
            &source.encoder,
        );
        notes.extend(more);
        for note in notes {
            tracing::warn!("pai serve: {}", crate::render::sanitize_line(&note));
        }
        Gathered {
            profile,
            memories,
            excerpts,
        }
    })
    .await
    .unwrap_or_default()
}
