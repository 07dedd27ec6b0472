//! Running a model. An [`Engine`] takes messages, sampling settings and limits, and streams
//! the answer into a [`Sink`]: `local` is llama.cpp in this process, `remote` any
//! OpenAI-compatible server. Templates and tokenization live inside each engine; the engine
//! builds no prompt and knows nothing of context, terminals or the command line.
pub mod batch;
pub mod cpu;
pub mod embed;
pub mod grammar;
pub mod local;
pub mod logprobs;
pub mod lora;
pub mod prefix_cache;
pub mod prompt_log;
pub mod remote;
pub mod score;
pub mod speculate;
pub mod text;
pub mod tools;

use crate::cancel::CancelToken;
use crate::message::Message;
use crate::tool::{ToolCall, Tools};

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
    /// What every answer must follow (structured output); local models only.
    pub grammar: Option<grammar::Grammar>,
    /// LoRA adapters on the base model for this generation (checked by the caller); local
    /// models only. Changing the set drops the cached prompt prefix.
    pub adapters: Vec<Adapter>,
    /// Functions the model may call; with none (the default) it only answers.
    pub tools: Tools,
    /// Draft from the prompt and check drafts in one batch (`speculate`), for answers that
    /// copy their input; local models only. A batch's rounding can flip a near tie.
    pub speculation: Option<speculate::Speculation>,
    /// Save the prompt's stable beginning on disk, and start from it when it is there
    /// (`prefix_cache`); local models only.
    pub cache_prefix: Option<prefix_cache::CachePrefix>,
}

/// A LoRA adapter file and how strongly it applies (1.0: as trained; 0: not at all).
#[derive(Debug, Clone, PartialEq)]
pub struct Adapter {
    pub path: std::path::PathBuf,
    pub scale: f32,
}

/// Where generated text goes. Pieces are valid UTF-8 and never contain a stop string.
pub trait Sink {
    /// `Ok(false)` ends generation quietly (the reader went away); an error ends it with
    /// that error (a full disk is not a finished answer).
    fn piece(&mut self, text: &str) -> std::io::Result<bool>;

    /// Whether [`Sink::observe`] should be called for the next token: computing it reads every
    /// logit of the step, which only the router's confidence needs, and only until it decides.
    fn wants_token_stats(&self) -> bool {
        false
    }

    /// What the model thought of a token it generated, before the token's text reaches
    /// [`Sink::piece`].
    fn observe(&mut self, _stats: TokenStats) {}

    /// How many alternatives [`Sink::logprobs`] should list for each generated token, when it
    /// should be called at all (OpenAI's `logprobs` and `top_logprobs`).
    fn wants_logprobs(&self) -> Option<usize> {
        None
    }

    /// A generated token's log-probabilities, before its text reaches [`Sink::piece`].
    fn logprobs(&mut self, _token: logprobs::TokenLogprobs) {}
}

/// One generated token as the model saw it: its log-probability under the model's own
/// distribution (before sampling settings reshape it) and that distribution's entropy in nats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TokenStats {
    pub logprob: f32,
    pub entropy: f32,
}

impl TokenStats {
    /// From the raw logits of one step and the token chosen.
    pub fn from_logits(logits: &[f32], token: usize) -> Self {
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        if logits.is_empty() || !max.is_finite() {
            return Self {
                logprob: 0.0,
                entropy: 0.0,
            };
        }
        let (mut sum, mut weighted) = (0f64, 0f64);
        for &l in logits {
            let e = f64::from(l - max).exp();
            sum += e;
            weighted += e * f64::from(l - max);
        }
        let log_sum = sum.ln();
        let chosen = logits.get(token).copied().unwrap_or(max);
        Self {
            logprob: (f64::from(chosen - max) - log_sum) as f32,
            entropy: (log_sum - weighted / sum) as f32,
        }
    }
}

/// Counts tokens the way the model will read them.
pub trait TokenCount {
    /// Tokens of the whole prompt these messages make, template included.
    fn prompt_tokens(&self, messages: &[Message]) -> usize;
    /// Tokens of a piece of text on its own.
    fn text_tokens(&self, text: &str) -> usize;
    /// Tokens of the whole prompt with `tools` offered: what lists them (a local model's
    /// system section, a remote request's `tools`) included. By default their JSON, counted
    /// as text, is added to [`TokenCount::prompt_tokens`].
    fn prompt_tokens_with(&self, messages: &[Message], tools: &Tools) -> usize {
        let listed = if tools.specs.is_empty() {
            0
        } else {
            self.text_tokens(&tools::listed_json(tools))
        };
        self.prompt_tokens(messages) + listed
    }
}

/// A model that answers messages.
pub trait Engine: TokenCount {
    /// The model's name, or the endpoint's.
    fn name(&self) -> &str;
    /// The most tokens prompt and answer may take together.
    fn window(&self) -> u32;
    /// Reads the messages and streams up to `params.max_tokens` tokens of answer into `sink`,
    /// until the answer ends, a stop string, the window is full or `cancel` is cancelled.
    fn generate(
        &mut self,
        messages: &[Message],
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<Generation, EngineError>;
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("llama.cpp could not start: {0}")]
    Backend(String),
    #[error("llama.cpp could not load {path}; the file may be damaged or of an architecture this build does not know")]
    Load { path: String },
    #[error("llama.cpp could not make a {n_ctx}-token context: {why}")]
    Context { n_ctx: u32, why: String },
    #[error("llama.cpp failed while reading the prompt or generating: {0}")]
    Decode(String),
    #[error("the prompt is {tokens} tokens, more than the {window}-token context window leaves room for")]
    PromptTooLong { tokens: usize, window: u32 },
    #[error("the prompt became no tokens at all: the model's vocabulary has none for its text")]
    EmptyPrompt,
    #[error("cannot write the answer: {0}")]
    Output(std::io::Error),
    #[error("the grammar cannot be used: {0}")]
    Grammar(String),
    #[error("cannot use the adapter {path}: {why}")]
    Adapter { path: String, why: String },
    /// A remote engine's failure, already one sentence.
    #[error("{0}")]
    Remote(String),
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
    /// The answer is one or more tool calls ([`Generation::tool_calls`]).
    ToolCalls,
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
    /// The calls the answer made, when `params.tools` allowed them.
    pub tool_calls: Vec<ToolCall>,
    /// What prompt-lookup drafting proposed and what of it was kept.
    pub speculation: speculate::Counts,
    /// Where the prompt's stable beginning came from.
    pub prefix: prefix_cache::PrefixUse,
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
