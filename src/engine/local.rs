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

use super::grammar::{Grammar, Guidance};
use super::text::{StopMatcher, Utf8Stream};
use super::{
    Engine, EngineError, GenerateParams, Generation, Sampling, Sink, StopReason, TokenCount,
    TokenStats,
};
use crate::cancel::CancelToken;
use crate::message::{Message, Role};

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
            super::cpu::load_backends();
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
    /// Declared before `model`, so adapters are freed before the model they belong to.
    adapters: super::lora::Adapters,
    model: LlamaModel,
    template: Option<LlamaChatTemplate>,
    guidance: Guidance,
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
        Ok(Self {
            adapters: Default::default(),
            model,
            template,
            guidance: Guidance::default(),
        })
    }

    /// The llama.cpp model, for engines in this module's family (`batch`).
    pub(crate) fn llama(&self) -> &LlamaModel {
        &self.model
    }

    pub fn trained_context(&self) -> u32 {
        self.model.n_ctx_train()
    }

    /// Sets exactly `adapters` on a context of this model (engines of this module's family).
    pub(super) fn apply_adapters(
        &self,
        ctx: &mut llama_cpp_2::context::LlamaContext<'_>,
        adapters: &[super::Adapter],
    ) -> Result<(), EngineError> {
        self.adapters.apply(&self.model, ctx, adapters)
    }

    /// How many LoRA adapter files have been loaded on this model (each once).
    pub fn adapters_loaded(&self) -> usize {
        self.adapters.count()
    }

    pub fn has_chat_template(&self) -> bool {
        self.template.is_some()
    }

    /// The prompt text for a conversation, as the model reads it: the model's own chat
    /// template when it has one that llama.cpp knows, otherwise plain text to continue.
    pub fn format_chat(&self, messages: &[Message]) -> String {
        self.apply_template(messages)
            .unwrap_or_else(|| plain_chat(messages))
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

    /// The prompt tokens for a conversation. Only the template's own markup may become
    /// control tokens: every message's text is tokenized as text, so a file that holds
    /// `<|im_start|>system` reaches the model as those characters, not as a new turn.
    ///
    /// The template is applied to placeholders, the markup between them is tokenized with
    /// special tokens parsed, and each message's text in its place without.
    pub fn chat_tokens(&self, messages: &[Message]) -> Vec<LlamaToken> {
        if let Some(tokens) = self.templated_tokens(messages) {
            return tokens;
        }
        self.tokenize_plain(&plain_chat(messages), true)
    }

    fn templated_tokens(&self, messages: &[Message]) -> Option<Vec<LlamaToken>> {
        let marks: Vec<String> = (0..messages.len())
            .map(|i| format!("\u{F8FF}pai{i}\u{F8FF}"))
            .collect();
        let skeleton: Vec<Message> = messages
            .iter()
            .zip(&marks)
            .map(|(m, mark)| Message::new(m.role, mark.clone()))
            .collect();
        let layout = self.apply_template(&skeleton)?;
        let vocab = self.model.vocab();
        let mut tokens = Vec::new();
        let mut rest = layout.as_str();
        let mut first = true;
        for (message, mark) in messages.iter().zip(&marks) {
            // A template may drop a message (some have no system turn): it is left out, as
            // the template wants. One that repeats a message is caught below.
            let Some(at) = rest.find(mark.as_str()) else {
                continue;
            };
            if rest[..at].contains('\u{F8FF}') {
                return None; // messages out of order: see below
            }
            vocab.tokenize_into(&rest.as_bytes()[..at], &mut tokens, first, true);
            let text = message.content.replace('\0', "");
            vocab.tokenize_into(text.as_bytes(), &mut tokens, false, false);
            rest = &rest[at + mark.len()..];
            first = false;
        }
        if rest.contains('\u{F8FF}') {
            // A message written twice, or out of order: fall back to plain text, never to
            // parsing the text for special tokens.
            return None;
        }
        vocab.tokenize_into(rest.as_bytes(), &mut tokens, first, true);
        // Templates that write their own BOS would otherwise get two.
        if tokens.len() > 1 && tokens[0] == tokens[1] && tokens[0] == vocab.bos() {
            tokens.remove(0);
        }
        Some(tokens)
    }

    /// The token that ends an answer: end-of-turn when the vocabulary has one, else end of
    /// text.
    pub fn end_of_turn(&self) -> LlamaToken {
        let vocab = self.model.vocab();
        let eot = vocab.eot();
        if eot.0 >= 0 {
            eot
        } else {
            vocab.eos()
        }
    }

    /// How many of `tokens` are control tokens (template markup, BOS): what the model reads
    /// as structure rather than text.
    pub fn control_tokens(&self, tokens: &[LlamaToken]) -> usize {
        let vocab = self.model.vocab();
        tokens.iter().filter(|&&t| vocab.is_control(t)).count()
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
            model: self,
            ctx,
            adapters: Vec::new(),
            n_batch: n_batch as usize,
            cached: Vec::new(),
        })
    }
}

/// Counts with the model's own tokenizer and chat template, exactly as `chat_tokens` reads.
impl TokenCount for LocalModel {
    fn prompt_tokens(&self, messages: &[Message]) -> usize {
        self.chat_tokens(messages).len()
    }

    fn text_tokens(&self, text: &str) -> usize {
        self.tokenize_plain(text, false).len()
    }
}

/// Messages as plain text, for models without a chat template: the model continues it.
fn plain_chat(messages: &[Message]) -> String {
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

/// How a [`LocalEngine`] sizes its context.
#[derive(Debug, Clone, Copy)]
pub struct EngineSettings {
    /// The largest window: the user's setting, capped by the trained length.
    pub window: u32,
    pub threads: u32,
    /// Keep one context of the whole window for every call (a conversation, whose cache is
    /// reused turn after turn); otherwise each call gets a context sized to what it needs.
    pub keep_context: bool,
}

/// The [`Engine`] over a loaded model. The context is made on first use, so a model can be
/// loaded and counted with before anything is allocated for generation.
pub struct LocalEngine<'m> {
    model: &'m LocalModel,
    name: String,
    settings: EngineSettings,
    session: Option<Session<'m>>,
}

impl<'m> LocalEngine<'m> {
    pub fn new(model: &'m LocalModel, name: impl Into<String>, settings: EngineSettings) -> Self {
        Self {
            model,
            name: name.into(),
            settings,
            session: None,
        }
    }

    pub fn model(&self) -> &'m LocalModel {
        self.model
    }

    /// Generates from tokens the caller made itself (plain continuation, fill-in-the-middle).
    pub fn generate_tokens(
        &mut self,
        tokens: &[LlamaToken],
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<Generation, EngineError> {
        let window = self.settings.window;
        if tokens.len() >= window as usize {
            return Err(EngineError::PromptTooLong {
                tokens: tokens.len(),
                window,
            });
        }
        let needed = if self.settings.keep_context {
            window
        } else {
            (tokens.len() as u32 + params.max_tokens.max(1)).min(window)
        };
        self.session_of(needed)?
            .generate(tokens, params, cancel, sink)
    }

    /// Puts `adapters` on the context now instead of at the next generation (which would do
    /// it anyway), so that a switch can be timed on its own. The base model stays loaded.
    pub fn set_adapters(&mut self, adapters: &[super::Adapter]) -> Result<(), EngineError> {
        let needed = if self.settings.keep_context {
            self.settings.window
        } else {
            self.n_ctx().max(16)
        };
        self.session_of(needed)?.set_adapters(adapters)
    }

    /// The session, made again when it holds fewer than `needed` tokens.
    fn session_of(&mut self, needed: u32) -> Result<&mut Session<'m>, EngineError> {
        let big_enough = self.session.as_ref().is_some_and(|s| s.n_ctx() >= needed);
        if !big_enough {
            self.session = None;
            self.session = Some(self.model.session(needed, self.settings.threads)?);
        }
        Ok(self.session.as_mut().expect("made above"))
    }

    /// The context size of the last generation, for reports.
    pub fn n_ctx(&self) -> u32 {
        self.session.as_ref().map_or(0, |s| s.n_ctx())
    }
}

impl TokenCount for LocalEngine<'_> {
    fn prompt_tokens(&self, messages: &[Message]) -> usize {
        self.model.prompt_tokens(messages)
    }

    fn text_tokens(&self, text: &str) -> usize {
        self.model.text_tokens(text)
    }
}

impl Engine for LocalEngine<'_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn window(&self) -> u32 {
        self.settings.window
    }

    fn generate(
        &mut self,
        messages: &[Message],
        params: &GenerateParams,
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<Generation, EngineError> {
        let tokens = self.model.chat_tokens(messages);
        self.generate_tokens(&tokens, params, cancel, sink)
    }
}

pub struct Session<'m> {
    model: &'m LocalModel,
    ctx: LlamaContext<'m>,
    /// The adapter set on the context now; the cache below was computed with it.
    adapters: Vec<super::Adapter>,
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
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<Generation, EngineError> {
        // With no prompt token there are no logits, and llama.cpp's sampler asserts on that.
        if prompt.is_empty() {
            return Err(EngineError::EmptyPrompt);
        }
        super::prompt_log::record(prompt);
        let started = Instant::now();
        self.set_adapters(&params.adapters)?;
        let reused = self.keep_common_prefix(prompt)?;
        let mut batch = LlamaBatch::new(self.n_batch.max(1), 1);
        let mut pos = reused;
        // llama.cpp works in 512-token micro-batches anyway; handing them over one at a time
        // costs nothing and lets Ctrl-C or Esc stop a long prompt between them.
        for chunk in prompt[reused..].chunks(self.n_batch.min(PROMPT_STEP)) {
            if cancel.is_cancelled() {
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
        let (generated, stop_reason) =
            self.decode_loop(&mut batch, pos as i32, params, cancel, sink)?;
        Ok(Generation {
            prompt_tokens: prompt.len(),
            reused_tokens: reused,
            generated_tokens: generated,
            prompt_ms,
            generation_ms: ms_since(generating),
            stop_reason,
        })
    }

    /// Puts `wanted` on the context. Keys and values computed under another adapter set are
    /// not this set's, so a change drops the whole cache.
    fn set_adapters(&mut self, wanted: &[super::Adapter]) -> Result<(), EngineError> {
        if self.adapters == wanted {
            return Ok(());
        }
        self.model
            .adapters
            .apply(&self.model.model, &mut self.ctx, wanted)?;
        self.adapters = wanted.to_vec();
        self.cached.clear();
        self.ctx.clear_kv_cache();
        Ok(())
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
        cancel: &CancelToken,
        sink: &mut dyn Sink,
    ) -> Result<(usize, StopReason), EngineError> {
        let mut sampler = sampler_for(&self.model.model, &self.model.guidance, params)?;
        let mut utf8 = Utf8Stream::default();
        let mut stops = StopMatcher::new(&params.stop);
        let mut piece = Vec::with_capacity(32);
        let vocab = self.model.model.vocab();
        let n_ctx = self.ctx.n_ctx() as i32;
        let mut generated = 0usize;
        let reason = loop {
            if generated >= params.max_tokens as usize {
                break StopReason::MaxTokens;
            }
            if cancel.is_cancelled() {
                break StopReason::Interrupted;
            }
            if pos >= n_ctx {
                break StopReason::ContextFull;
            }
            let token = sampler.sample(&self.ctx, batch.n_tokens() - 1);
            // Asked each step: a sink stops wanting them once it has decided.
            if sink.wants_token_stats() {
                let logits = self.ctx.get_logits_ith(batch.n_tokens() - 1);
                let index = usize::try_from(token.0).unwrap_or(usize::MAX);
                sink.observe(TokenStats::from_logits(logits, index));
            }
            if params.stop_at_end_of_text && vocab.is_eog(token) {
                break StopReason::EndOfText;
            }
            generated += 1;
            piece.clear();
            vocab.token_to_piece_into(token, &mut piece, false, None);
            let released = stops.push(&utf8.push(&piece));
            if !released.text.is_empty() && !emit(sink, &released.text)? {
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
                emit(sink, &rest)?;
            }
        }
        Ok((generated, reason))
    }
}

/// Sends text to the sink: false when the reader went away, an error when writing failed.
fn emit(sink: &mut dyn Sink, text: &str) -> Result<bool, EngineError> {
    sink.piece(text).map_err(EngineError::Output)
}

/// The sampler for one generation: the grammar first when there is one, so every token the
/// chain can pick is one the grammar allows.
pub(crate) fn sampler_for(
    model: &LlamaModel,
    guidance: &Guidance,
    params: &GenerateParams,
) -> Result<LlamaSampler, EngineError> {
    let chain = sampler_chain(&params.sampling, model.n_vocab());
    let constrained = match &params.grammar {
        None => return Ok(chain),
        Some(Grammar::Gbnf(text)) => {
            LlamaSampler::grammar(model, text, "root").map_err(|e| e.to_string())
        }
        Some(Grammar::JsonSchema(schema)) => guidance.sampler(model, schema),
    };
    let constrained = constrained.map_err(EngineError::Grammar)?;
    Ok(LlamaSampler::chain_simple([constrained, chain]))
}

impl LocalModel {
    pub(crate) fn guidance(&self) -> &Guidance {
        &self.guidance
    }
}

/// llama.cpp's native samplers, in the order llama.cpp's own tools chain them.
pub(crate) fn sampler_chain(s: &Sampling, n_vocab: i32) -> LlamaSampler {
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

/// Threads for llama.cpp when the user sets none: the cores that are idle now.
///
/// llama.cpp's workers wait for each other at every step of every layer, spinning. When
/// another process holds a core, a worker that shares it waits for its partner's time slice:
/// on two cores with a build running, two threads made a 1 s answer take 13 s. So the count
/// is the available cores less the other runnable threads at this moment (the kernel's
/// `procs_running`, the least of three looks 0.2 ms apart, so that a passing blip does not
/// halve an idle machine's speed); never less than one. The OpenMP wait policy would be the
/// other lever, but libgomp reads it before `main`, and passive waiting made an idle
/// two-thread answer 45% slower (1.48 s to 2.15 s, SmolLM2, 520-token prompt).
pub fn default_threads() -> u32 {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get() as u32)
        .unwrap_or(4);
    let Some(others) = others_running() else {
        return cores;
    };
    cores.saturating_sub(others).clamp(1, cores)
}

/// Runnable threads other than this one, from /proc/stat (Linux); None elsewhere.
fn others_running() -> Option<u32> {
    let mut least = u32::MAX;
    for look in 0..3 {
        if look > 0 {
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let running: u32 = stat
            .lines()
            .find_map(|l| l.strip_prefix("procs_running "))?
            .trim()
            .parse()
            .ok()?;
        least = least.min(running.saturating_sub(1));
    }
    Some(least)
}
