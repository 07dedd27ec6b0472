//! `POST /v1/embeddings`: unit vectors from a sentence encoder, as floats or base64.
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::api::{self, EncodingFormat};
use super::error::ApiError;
use super::fields::SamplingFields;
use super::job::{Event, Work};
use super::models::check_model;
use super::pending::submit;
use super::request::{params, read_body};
use super::state::Shared;
use crate::pipeline::settings::FrontDefaults;

pub async fn embeddings(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(&s, &headers, body).await?;
    let request = api::parse_embedding(&bytes, &s.limits)?;
    check_model(&s, &request.model)?;
    let info = &s.backend.info;
    if !info.encoder {
        return Err(ApiError::bad_request(format!(
            "{} generates text and cannot embed; run `pai serve --model` with a sentence encoder GGUF (such as all-MiniLM-L6-v2) for /v1/embeddings",
            info.name
        ))
        .param("model")
        .code("model_not_embedding"));
    }
    if let Some(d) = request.dimensions.filter(|&d| d != info.dimensions as u64) {
        return Err(ApiError::bad_request(format!(
            "'dimensions' is {d}, but {} makes {}-dimensional vectors and pai does not shorten them",
            info.name, info.dimensions
        ))
        .param("dimensions"));
    }
    let one_token = FrontDefaults {
        max_tokens: Some(1),
        temp: None,
        speculate: false,
    };
    let (params, _) = params(&s, &SamplingFields::default(), None, one_token, Vec::new());
    let work = Work::Embed {
        inputs: request.input,
    };
    let mut pending = submit(&s, work, params, false, "an embedding")?;
    match pending.next().await {
        Some(Event::Embedded { vectors, tokens }) => {
            let data: Vec<Value> = vectors
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    json!({"object": "embedding", "index": i, "embedding": encode(v, request.format)})
                })
                .collect();
            Ok(Json(json!({
                "object": "list",
                "data": data,
                "model": request.model,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }))
            .into_response())
        }
        Some(Event::Failed(e)) => Err(e),
        _ => Err(ApiError::internal("the engine stopped before answering")),
    }
}

/// A vector as the request asked: JSON numbers, or little-endian f32 in base64.
fn encode(v: &[f32], format: EncodingFormat) -> Value {
    match format {
        EncodingFormat::Float => json!(v),
        EncodingFormat::Base64 => {
            let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
            json!(api::base64(&bytes))
        }
    }
}
