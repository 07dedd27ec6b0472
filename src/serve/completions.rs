//! `POST /v1/completions`: the prompt continued as it is, without a chat template.
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::api;
use super::error::{encoder_only, ApiError};
use super::job::Work;
use super::models::{check_model, NOTES_ALIAS};
use super::pending::submit;
use super::reply::{log_body, respond, Reply};
use super::request::{params, read_body, response_id};
use super::state::{unix_now, Shared};
use crate::pipeline::settings::FrontDefaults;

pub async fn completions(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(&s, &headers, body).await?;
    let request = api::parse_completion(&bytes, &s.limits)?;
    let notes = check_model(&s, &request.model)?;
    if s.backend.info.encoder {
        return Err(encoder_only());
    }
    if notes {
        return Err(ApiError::bad_request(format!(
            "'{NOTES_ALIAS}' adds context to a chat; /v1/completions continues text as it is: use '{}'",
            s.backend.info.name
        ))
        .param("model"));
    }
    log_body(&s, "request", &String::from_utf8_lossy(&bytes));
    let endpoint = FrontDefaults {
        max_tokens: Some(api::COMPLETIONS_DEFAULT_MAX_TOKENS),
        temp: None,
        speculate: false,
    };
    let (params, explicit) = params(
        &s,
        &request.sampling,
        request.max_tokens,
        endpoint,
        request.stop,
    );
    let work = Work::Complete {
        prompt: request.prompt,
    };
    let mut pending = submit(&s, work, params, explicit, "a completion")?;
    let (prompt_tokens, _) = pending.started().await?;
    let reply = Reply {
        id: response_id("cmpl"),
        created: unix_now(),
        model: request.model,
        prompt_tokens,
        pai: None,
        include_usage: request.include_usage,
        chat: false,
        logprobs: false,
    };
    respond(s, reply, pending, request.stream).await
}
