//! Running a model: the request types every front end fills in, the sink that receives the
//! answer piece by piece, and the local llama.cpp implementation.
pub mod embed;
pub mod local;
pub mod remote;
pub mod text;
pub mod worker;

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the Ctrl-C handler; every generation loop polls it between tokens.
pub static CANCEL: AtomicBool = AtomicBool::new(false);

pub fn cancelled() -> bool {
    CANCEL.load(Ordering::Relaxed)
}

/// The first Ctrl-C asks the running work to stop and keep what it has; a second one ends
/// pai at once.
pub fn install_interrupt_handler() {
    CANCEL.store(false, Ordering::Relaxed);
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, Ordering::Relaxed) {
            std::process::exit(crate::error::exit::INTERRUPTED as i32);
        }
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    System,
    User,
    Assistant,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }

    /// The inverse of [`Role::as_str`].
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "system" => Some(Role::System),
            "user" => Some(Role::User),
            "assistant" => Some(Role::Assistant),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

impl Message {
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        Self {
            role,
            content: content.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sampling {
    /// 0 or less: always the most likely token.
    pub temp: f32,
    pub top_k: i32,
    pub top_p: f32,
    pub min_p: f32,
    pub repeat_penalty: f32,
    pub seed: u32,
}

impl Sampling {
    pub fn greedy() -> Self {
        Self {
            temp: 0.0,
            top_k: 0,
            top_p: 1.0,
            min_p: 0.0,
            repeat_penalty: 1.0,
            seed: 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct GenerateParams {
    pub sampling: Sampling,
    pub max_tokens: u32,
    pub stop: Vec<String>,
    /// `bench` keeps generating past end-of-generation tokens to measure a fixed length.
    pub stop_at_end_of_text: bool,
}

/// Where generated text goes. Pieces are valid UTF-8 and never contain a stop string.
pub trait Sink {
    /// Returning `Ok(false)` ends generation early (the reader went away).
    fn piece(&mut self, text: &str) -> std::io::Result<bool>;
}

/// A sink that keeps nothing, for benchmarks.
pub struct Discard;

impl Sink for Discard {
    fn piece(&mut self, _text: &str) -> std::io::Result<bool> {
        Ok(true)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    EndOfText,
    MaxTokens,
    StopString,
    ContextFull,
    Interrupted,
    ReaderClosed,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Generation {
    pub prompt_tokens: usize,
    /// Prompt tokens whose cache was kept from the previous turn and not read again.
    pub reused_tokens: usize,
    pub generated_tokens: usize,
    pub prompt_ms: f64,
    pub generation_ms: f64,
    pub stop_reason: StopReason,
}

impl Generation {
    pub fn prompt_tps(&self) -> f64 {
        per_second(self.prompt_tokens, self.prompt_ms)
    }

    pub fn generation_tps(&self) -> f64 {
        per_second(self.generated_tokens, self.generation_ms)
    }
}

fn per_second(tokens: usize, ms: f64) -> f64 {
    if ms > 0.0 {
        tokens as f64 * 1000.0 / ms
    } else {
        0.0
    }
}
