//! The ids a request may name as `model` (the model's name, `pai-notes`, and the configured
//! remote tiers), `/v1/models`, and `/health`.
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::state::Shared;
use super::tiers;

/// The model id that adds pai's own context (profile, remembered facts, excerpts from the
/// index).
pub const NOTES_ALIAS: &str = "pai-notes";

pub async fn health(State(s): State<Arc<Shared>>) -> Json<Value> {
    let st = &s.backend.stats;
    Json(json!({
        "status": "ok",
        "model": s.backend.info.name,
        "window": s.backend.info.window,
        "parallel": s.backend.info.parallel,
        "running": st.running.load(Ordering::SeqCst),
        "waiting": st.waiting.load(Ordering::SeqCst),
        "completed": st.completed.load(Ordering::Relaxed),
        "cancelled": st.cancelled.load(Ordering::Relaxed),
        "rejected": st.rejected.load(Ordering::Relaxed),
        "failed": st.failed.load(Ordering::Relaxed),
        "generated_tokens": st.generated_tokens.load(Ordering::Relaxed),
    }))
}

/// The ids a request may name as `model`.
fn model_ids(s: &Shared) -> Vec<String> {
    let mut ids = vec![s.backend.info.name.clone()];
    if !s.backend.info.encoder {
        ids.push(NOTES_ALIAS.to_string());
    }
    ids.extend(tiers::model_ids(&s.context.config));
    ids
}

fn model_object(s: &Shared, id: &str) -> Value {
    json!({
        "id": id,
        "object": "model",
        "created": s.started_unix,
        "owned_by": "pai",
        "max_model_len": s.backend.info.window,
    })
}

pub async fn models(State(s): State<Arc<Shared>>) -> Json<Value> {
    let data: Vec<Value> = model_ids(&s)
        .iter()
        .map(|id| model_object(&s, id))
        .collect();
    Json(json!({"object": "list", "data": data}))
}

pub async fn model(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    if tiers::tier_of(&id, &s.context.config).is_some() {
        return Json(model_object(&s, &id)).into_response();
    }
    match check_model(&s, &id) {
        Ok(_) => Json(model_object(&s, &id)).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Whether `id` is served here, and whether it asks for pai's context.
pub fn check_model(s: &Shared, id: &str) -> Result<bool, ApiError> {
    if id == s.backend.info.name {
        return Ok(false);
    }
    if id == NOTES_ALIAS && !s.backend.info.encoder {
        return Ok(true);
    }
    Err(ApiError::not_found(format!(
        "the model '{}' is not served here; /v1/models lists {}",
        crate::render::sanitize_line(id),
        model_ids(s).join(", ")
    ))
    .param("model")
    .code("model_not_found"))
}
