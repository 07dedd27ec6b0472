//! The local engine: llama.cpp in-process through `llama-cpp-2`. One backend per process;
//! a `LocalModel` owns the weights (memory-mapped), and a `Session` owns one context on it.
//! Neither is `Send`: the thread that loads a model is the thread that runs it.
use std::num::NonZeroU32;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaChatTemplate, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;

use super::text::{StopMatcher, Utf8Stream};
use super::{cancelled, GenerateParams, Generation, Message, Role, Sampling, Sink, StopReason};

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
}

/// Whether this binary was built with a GPU backend.
pub const GPU_BUILD: bool = cfg!(any(feature = "cuda", feature = "vulkan", feature = "metal"));

/// Prompt tokens handed to llama.cpp at a time (its default micro-batch).
const PROMPT_STEP: usize = 512;

static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();

/// llama.cpp's backend, started once per process; its logs go to `tracing` only when asked.
pub fn backend(verbose: bool) -> Result<&'static LlamaBackend, EngineError> {
    BACKEND
        .get_or_init(|| {
            llama_cpp_2::send_logs_to_tracing(
                llama_cpp_2::LogOptions::default().with_logs_enabled(verbose),
            );
            LlamaBackend::init().map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| EngineError::Backend(e.clone()))
}

pub struct LoadOptions {
    pub gpu_layers: Option<u32>,
    /// Only the tokenizer and metadata: enough to count tokens, in a fraction of the time.
    pub vocab_only: bool,
    pub verbose: bool,
}

pub struct LocalModel {
    model: LlamaModel,
    template: Option<LlamaChatTemplate>,
}

impl LocalModel {
    /// Loads a GGUF file. Check it with `gguf::inspect` first: llama.cpp aborts on some bad files.
    pub fn load(path: &Path, options: &LoadOptions) -> Result<Self, EngineError> {
        let backend = backend(options.verbose)?;
        let gpu_layers = options
            .gpu_layers
            .unwrap_or(if GPU_BUILD { u32::MAX } else { 0 });
        let params = LlamaModelParams::default()
            .with_n_gpu_layers(gpu_layers)
            .with_vocab_only(options.vocab_only);
        let model =
            LlamaModel::load_from_file(backend, path, &params).map_err(|_| EngineError::Load {
                path: path.display().to_string(),
            })?;
        let template = model.chat_template(None).ok();
        Ok(Self { model, template })
    }

    pub fn trained_context(&self) -> u32 {
        self.model.n_ctx_train()
    }

    pub fn has_chat_template(&self) -> bool {
        self.template.is_some()
    }

    /// The prompt text for a conversation: the model's own chat template when it has one that
    /// llama.cpp knows, otherwise the messages as plain text for the model to continue.
    pub fn format_chat(&self, messages: &[Message]) -> String {
        if let Some(text) = self.apply_template(messages) {
            return text;
        }
        let mut text = String::new();
        for m in messages.iter().filter(|m| !m.content.is_empty()) {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            if m.role == Role::Assistant {
                text.push_str("Answer: ");
            }
            text.push_str(&m.content);
        }
        text
    }

    fn apply_template(&self, messages: &[Message]) -> Option<String> {
        let template = self.template.as_ref()?;
        let chat = messages
            .iter()
            .map(|m| {
                // llama.cpp takes C strings: a NUL would cut the message short.
                LlamaChatMessage::new(m.role.as_str().into(), m.content.replace('\0', ""))
            })
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        self.model.apply_chat_template(template, &chat, true).ok()
    }

    /// Tokens for `text`. Templated text carries special tokens that must be parsed as such.
    pub fn tokenize(&self, text: &str, templated: bool) -> Vec<LlamaToken> {
        let vocab = self.model.vocab();
        let mut tokens = vocab.tokenize(text.as_bytes(), true, templated);
        // Templates that write their own BOS would otherwise get two.
        if tokens.len() > 1 && tokens[0] == tokens[1] && tokens[0] == vocab.bos() {
            tokens.remove(0);
        }
        tokens
    }

    /// Tokens for plain text, with or without the model's BOS token; special tokens are text.
    pub fn tokenize_plain(&self, text: &str, add_bos: bool) -> Vec<LlamaToken> {
        self.model.vocab().tokenize(text.as_bytes(), add_bos, false)
    }

    /// The prefix, suffix and middle tokens for fill-in-the-middle, when the vocabulary has
    /// all three (code models do; SmolLM2 and gemma-3 do not).
    pub fn fim_tokens(&self) -> Option<[LlamaToken; 3]> {
        let vocab = self.model.vocab();
        let tokens = [vocab.fim_pre(), vocab.fim_suf(), vocab.fim_mid()];
        tokens.iter().all(|t| t.0 >= 0).then_some(tokens)
    }

    /// A context of `n_ctx` tokens for one generation or one conversation.
    pub fn session(&self, n_ctx: u32, threads: u32) -> Result<Session<'_>, EngineError> {
        let backend = backend(false)?;
        let n_batch = n_ctx.min(8192);
        let threads = threads.max(1) as i32;
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(n_ctx.max(16)))
            .with_n_batch(n_batch)
            .with_n_threads(threads)
            .with_n_threads_batch(threads);
        let ctx = self
            .model
            .new_context(backend, params)
            .map_err(|e| EngineError::Context {
                n_ctx,
                why: e.to_string(),
            })?;
        Ok(Session {
            model: &self.model,
            ctx,
            n_batch: n_batch as usize,
            cached: Vec::new(),
        })
    }
}

/// Counts with the model's own tokenizer and chat template.
impl crate::context::TokenCount for LocalModel {
    fn prompt_tokens(&self, messages: &[Message]) -> usize {
        let text = self.format_chat(messages);
        self.tokenize(&text, self.has_chat_template()).len()
    }

    fn text_tokens(&self, text: &str) -> usize {
        self.tokenize(text, false).len()
    }
}

pub struct Session<'m> {
    model: &'m LlamaModel,
    ctx: LlamaContext<'m>,
    n_batch: usize,
    /// The tokens whose keys and values are in the cache, position by position. A prompt that
    /// starts the same way (the next turn of a conversation) reads only what is new.
    cached: Vec<LlamaToken>,
}

impl Session<'_> {
    pub fn n_ctx(&self) -> u32 {
        self.ctx.n_ctx()
    }

    /// Reads `prompt`, then streams up to `max_tokens` tokens of answer into `sink`. The part
    /// of `prompt` already in the cache from the previous call is not read again.
    pub fn generate(
        &mut self,
        prompt: &[LlamaToken],
        params: &GenerateParams,
        sink: &mut dyn Sink,
    ) -> Result<Generation, EngineError> {
        let started = Instant::now();
        let reused = self.keep_common_prefix(prompt)?;
        let mut batch = LlamaBatch::new(self.n_batch.max(1), 1);
        let mut pos = reused;
        // llama.cpp works in 512-token micro-batches anyway; handing them over one at a time
        // costs nothing and lets Ctrl-C or Esc stop a long prompt between them.
        for chunk in prompt[reused..].chunks(self.n_batch.min(PROMPT_STEP)) {
            if cancelled() {
                return Ok(Generation {
                    prompt_tokens: prompt.len(),
                    reused_tokens: reused,
                    generated_tokens: 0,
                    prompt_ms: ms_since(started),
                    generation_ms: 0.0,
                    stop_reason: StopReason::Interrupted,
                });
            }
            batch.clear();
            for (i, &token) in chunk.iter().enumerate() {
                let last = pos + i + 1 == prompt.len();
                batch
                    .add(token, (pos + i) as i32, &[0], last)
                    .map_err(|e| EngineError::Decode(e.to_string()))?;
            }
            self.decode(&mut batch)?;
            self.cached.extend_from_slice(chunk);
            pos += chunk.len();
        }
        let prompt_ms = ms_since(started);
        let generating = Instant::now();
        let (generated, stop_reason) = self.decode_loop(&mut batch, pos as i32, params, sink)?;
        Ok(Generation {
            prompt_tokens: prompt.len(),
            reused_tokens: reused,
            generated_tokens: generated,
            prompt_ms,
            generation_ms: ms_since(generating),
            stop_reason,
        })
    }

    /// Drops the cache past the longest prefix shared with `prompt`; returns that length.
    /// At least one token is always read again: its logits start the answer.
    fn keep_common_prefix(&mut self, prompt: &[LlamaToken]) -> Result<usize, EngineError> {
        let mut common = self
            .cached
            .iter()
            .zip(prompt)
            .take_while(|(a, b)| a == b)
            .count();
        if common == prompt.len() {
            common = common.saturating_sub(1);
        }
        if common < self.cached.len() {
            let removed = self
                .ctx
                .clear_kv_cache_seq(Some(0), Some(common as u32), None)
                .map_err(|e| EngineError::Decode(e.to_string()))?;
            if !removed {
                // The cache cannot drop a tail (some recurrent models): start afresh.
                self.ctx.clear_kv_cache();
                common = 0;
            }
            self.cached.truncate(common);
        }
        Ok(common)
    }

    fn decode(&mut self, batch: &mut LlamaBatch) -> Result<(), EngineError> {
        self.ctx.decode(batch).map_err(|e| {
            // What was in the batch may be half in the cache: trust none of it.
            self.cached.clear();
            self.ctx.clear_kv_cache();
            EngineError::Decode(e.to_string())
        })
    }

    fn decode_loop(
        &mut self,
        batch: &mut LlamaBatch,
        mut pos: i32,
        params: &GenerateParams,
        sink: &mut dyn Sink,
    ) -> Result<(usize, StopReason), EngineError> {
        let mut sampler = sampler_chain(&params.sampling, self.model.n_vocab());
        let mut utf8 = Utf8Stream::default();
        let mut stops = StopMatcher::new(&params.stop);
        let mut piece = Vec::with_capacity(32);
        let vocab = self.model.vocab();
        let n_ctx = self.ctx.n_ctx() as i32;
        let mut generated = 0usize;
        let reason = loop {
            if generated >= params.max_tokens as usize {
                break StopReason::MaxTokens;
            }
            if cancelled() {
                break StopReason::Interrupted;
            }
            if pos >= n_ctx {
                break StopReason::ContextFull;
            }
            let token = sampler.sample(&self.ctx, batch.n_tokens() - 1);
            if params.stop_at_end_of_text && vocab.is_eog(token) {
                break StopReason::EndOfText;
            }
            generated += 1;
            piece.clear();
            vocab.token_to_piece_into(token, &mut piece, false, None);
            let released = stops.push(&utf8.push(&piece));
            if !released.text.is_empty() && !emit(sink, &released.text) {
                break StopReason::ReaderClosed;
            }
            if released.stopped {
                break StopReason::StopString;
            }
            batch.clear();
            batch
                .add(token, pos, &[0], true)
                .map_err(|e| EngineError::Decode(e.to_string()))?;
            self.decode(batch)?;
            self.cached.push(token);
            pos += 1;
        };
        if !matches!(reason, StopReason::StopString | StopReason::ReaderClosed) {
            let rest = stops.push(&utf8.finish()).text + &stops.finish();
            if !rest.is_empty() {
                emit(sink, &rest);
            }
        }
        Ok((generated, reason))
    }
}

/// Sends text to the sink; false when the sink wants no more.
fn emit(sink: &mut dyn Sink, text: &str) -> bool {
    sink.piece(text).unwrap_or(false)
}

/// llama.cpp's native samplers, in the order llama.cpp's own tools chain them.
fn sampler_chain(s: &Sampling, n_vocab: i32) -> LlamaSampler {
    let mut chain = Vec::new();
    if (s.repeat_penalty - 1.0).abs() > f32::EPSILON {
        chain.push(LlamaSampler::penalties(
            n_vocab,
            64,
            s.repeat_penalty,
            0.0,
            0.0,
        ));
    }
    if s.temp <= 0.0 {
        chain.push(LlamaSampler::greedy());
        return LlamaSampler::chain_simple(chain);
    }
    if s.top_k > 0 {
        chain.push(LlamaSampler::top_k(s.top_k));
    }
    if s.top_p < 1.0 {
        chain.push(LlamaSampler::top_p(s.top_p, 1));
    }
    if s.min_p > 0.0 {
        chain.push(LlamaSampler::min_p(s.min_p, 1));
    }
    chain.push(LlamaSampler::temp(s.temp));
    chain.push(LlamaSampler::dist(s.seed));
    LlamaSampler::chain_simple(chain)
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
