//! The local engine: llama.cpp in-process through `llama-cpp-2`. One backend per process;
//! a `LocalModel` owns the weights (memory-mapped), and a `Session` owns one context on it.
//! Neither is `Send`: the thread that loads a model is the thread that runs it.
use std::num::NonZeroU32;
use std::path::Path;
use std::sync::OnceLock;

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaChatTemplate, LlamaModel};
use llama_cpp_2::token::LlamaToken;

mod prefix;
mod sampler;
mod session;
mod speculative;
mod threads;

pub(crate) use sampler::{argmax, plain_greedy, sampler_for};
pub use session::Session;
pub use threads::default_threads;

use super::grammar::Guidance;
use super::{Engine, EngineError, GenerateParams, Generation, Sink, TokenCount};
use crate::cancel::CancelToken;
use crate::message::{Message, Role};
use crate::tool::Tools;

/// Whether this binary was built with a GPU backend.
pub const GPU_BUILD: bool = cfg!(any(feature = "cuda", feature = "vulkan", feature = "metal"));

static BACKEND: OnceLock<Result<LlamaBackend, llama_cpp_2::LlamaCppError>> = OnceLock::new();

/// llama.cpp's backend, started once per process; its logs go to `tracing` only when asked.
pub fn backend(verbose: bool) -> Result<&'static LlamaBackend, EngineError> {
    BACKEND
        .get_or_init(|| {
            llama_cpp_2::send_logs_to_tracing(
                llama_cpp_2::LogOptions::default().with_logs_enabled(verbose),
            );
            super::cpu::load_backends();
            LlamaBackend::init()
        })
        .as_ref()
        .map_err(|e| EngineError::Backend(e.to_string()))
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
    /// What the weights are: the file's path, size and modification time (prompt cache keys).
    identity: String,
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
            identity: super::prefix_cache::file_identity(path),
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

    /// How this model writes tool calls, from its chat template's text.
    pub fn tool_format(&self) -> super::tools::Format {
        let text = self.template.as_ref().and_then(|t| t.to_str().ok());
        super::tools::Format::of_template(text)
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
        let format = self.tool_format();
        let chat = messages
            .iter()
            .map(|m| {
                // llama.cpp takes C strings: a NUL would cut the message short.
                let role = format.role_name(m.role).into();
                LlamaChatMessage::new(role, m.content.replace('\0', ""))
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
        self.chat_tokens_with_tools(messages, &Tools::default())
    }

    /// [`LocalModel::chat_tokens`] with `tools` offered (see `engine::tools`).
    pub fn chat_tokens_with_tools(&self, messages: &[Message], tools: &Tools) -> Vec<LlamaToken> {
        let messages = super::tools::prompt_messages(self.tool_format(), messages, tools);
        if let Some(tokens) = self.templated_tokens(&messages) {
            return tokens;
        }
        self.tokenize_plain(&plain_chat(&messages), true)
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

    /// Tokens for a prompt written with its template's markup (`bench --spec`, as a bare
    /// llama.h loop reads one): special tokens in the text are parsed.
    pub fn tokenize_markup(&self, text: &str) -> Vec<LlamaToken> {
        self.model.vocab().tokenize(text.as_bytes(), true, true)
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
        Ok(Session::new(self, ctx, n_batch as usize))
    }

    /// The prompt cache's plan for `tokens`: the longest beginning they share with the
    /// stable messages' tokens, keyed by these weights and `adapters`; none when too short.
    pub fn prefix_plan(
        &self,
        prefix: &super::prefix_cache::CachePrefix,
        tokens: &[LlamaToken],
        adapters: &[super::Adapter],
    ) -> Option<super::prefix_cache::Plan> {
        use super::prefix_cache::{file_identity, Plan, MIN_TOKENS};
        let stable = self.chat_tokens(&prefix.stable);
        let shared = stable
            .iter()
            .zip(tokens)
            .take_while(|(a, b)| a == b)
            .count();
        // At least one token is read after the prefix: its logits start the answer.
        let len = shared.min(tokens.len().saturating_sub(1));
        if len < MIN_TOKENS {
            return None;
        }
        let mut key = self.identity.clone();
        for a in adapters {
            key.push_str(&format!("\u{0}{}\u{0}{}", file_identity(&a.path), a.scale));
        }
        Some(Plan {
            cache: prefix.cache.clone(),
            key: xxhash_rust::xxh3::xxh3_64(key.as_bytes()),
            len,
        })
    }

    pub(crate) fn guidance(&self) -> &Guidance {
        &self.guidance
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

    /// Exactly as [`LocalModel::chat_tokens_with_tools`] reads: the tools' section included.
    fn prompt_tokens_with(&self, messages: &[Message], tools: &Tools) -> usize {
        self.chat_tokens_with_tools(messages, tools).len()
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
        self.generate_planned(tokens, None, params, cancel, sink)
    }

    fn generate_planned(
        &mut self,
        tokens: &[LlamaToken],
        plan: Option<&super::prefix_cache::Plan>,
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
        let format = self.model.tool_format();
        let session = self.session_of(needed)?;
        // Tools given under `ToolChoice::None` still take this path: their prompt section stays.
        if !params.tools.specs.is_empty() {
            return super::tools::generate(format, params, sink, |held, capture| {
                session.generate_planned(tokens, plan, held, cancel, capture)
            });
        }
        session.generate_planned(tokens, plan, params, cancel, sink)
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

    fn prompt_tokens_with(&self, messages: &[Message], tools: &Tools) -> usize {
        self.model.prompt_tokens_with(messages, tools)
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
        let tokens = self.model.chat_tokens_with_tools(messages, &params.tools);
        let plan = params
            .cache_prefix
            .as_ref()
            .and_then(|c| self.model.prefix_plan(c, &tokens, &params.adapters));
        self.generate_planned(&tokens, plan.as_ref(), params, cancel, sink)
    }
}
