//! What a request would send, without generating (`pai context`, mcp's `context` tool): the
//! same settings, gathering and fitting as an answer, then the prompt as the model reads it
//! (a local model) or the messages as the endpoint receives them (secrets replaced, private
//! excerpts out), with each section's tokens.
use super::answer;
use super::request::{Ask, Env};
use super::{choose, Budget, Settings, Weights};
use crate::config::Config;
use crate::context::select::Choice;
use crate::context::{Excerpt, Fact, Request, SectionReport};
use crate::engine::prefix_cache::CachePrefix;
use crate::engine::remote::RemoteEngine;
use crate::error::Error;
use crate::message::Message;

/// A request's prompt, section by section.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The local model's name, or the endpoint's label.
    pub model: String,
    pub window: u32,
    pub answer_reserve: u32,
    pub prompt_tokens: usize,
    pub sections: Vec<SectionReport>,
    pub sources: Vec<Excerpt>,
    /// Why each hit of the search went in or stayed out.
    pub choices: Vec<Choice>,
    pub memories: Vec<Fact>,
    pub cuts: Vec<String>,
    pub sent: Sent,
}

/// What the model reads.
#[derive(Debug, Clone)]
pub enum Sent {
    /// A local model's prompt: its messages, their text in the model's template, and its
    /// tokens.
    Local {
        messages: Vec<Message>,
        text: String,
        token_ids: Vec<i32>,
        control_tokens: usize,
        chat_template: bool,
        /// The prompt cache's stable prefix: its tokens, and whether an entry for them is
        /// saved (the next answer would read them from it). None when the cache is off or
        /// the prefix too short to be worth a file.
        cached_prefix: Option<(usize, bool)>,
    },
    /// An endpoint's messages as it receives them; their tokens are an estimate.
    Remote { messages: Vec<Message> },
}

/// The prompt `ask` would send for `request`.
pub fn preview(env: &Env, ask: &Ask, mut request: Request) -> Result<Preview, Error> {
    let (config, settings) = answer::resolve(env, ask)?;
    if let Some(name) = ask.overrides.endpoint.as_deref() {
        let engine = choose::remote_engine(name, choose::endpoint_config(name, &config)?)?;
        answer::gather_for(env, ask, &config, &mut request);
        return remote(env, &config, &settings, &engine, request);
    }
    let chosen = answer::local_model(env, ask, &config)?;
    answer::gather_for(env, ask, &config, &mut request);
    let loaded = choose::load(&chosen, None, Weights::VocabOnly, env.report.verbose())?;
    let model = &loaded.model;
    let budget = Budget::new(
        settings.ctx,
        loaded.trained_context,
        settings.max_tokens,
        false,
    );
    let assembled = answer::fit(env, &request, model, &budget, &config)?;
    let tokens = model.chat_tokens(&assembled.messages);
    let text = model.format_chat(&assembled.messages);
    let adapters = choose::adapters(&settings.lora, &chosen, &env.paths.registry_file())?;
    let cached_prefix = answer::prompt_cache(env, &config).and_then(|cache| {
        let prefix = CachePrefix {
            cache,
            stable: answer::stable_messages(&assembled.kept),
        };
        let plan = model.prefix_plan(&prefix, &tokens, &adapters)?;
        let ids: Vec<i32> = tokens[..plan.len].iter().map(|t| t.0).collect();
        Some((plan.len, plan.find(&ids).is_some()))
    });
    Ok(Preview {
        model: chosen.name.clone(),
        window: budget.window,
        answer_reserve: budget.reserve,
        prompt_tokens: assembled.prompt_tokens,
        sections: assembled.kept.section_reports(model),
        sources: assembled.sources,
        choices: request.choices,
        memories: assembled.kept.memories,
        cuts: assembled.cuts,
        sent: Sent::Local {
            text,
            control_tokens: model.control_tokens(&tokens),
            token_ids: tokens.iter().map(|t| t.0).collect(),
            chat_template: model.has_chat_template(),
            cached_prefix,
            messages: assembled.messages,
        },
    })
}

/// What would go to an endpoint: exactly what leaves (private excerpts out, secrets
/// replaced), counted by estimate (the server's tokenizer is not on this machine).
fn remote(
    env: &Env,
    config: &Config,
    settings: &Settings,
    engine: &RemoteEngine,
    request: Request,
) -> Result<Preview, Error> {
    let budget = Budget::new(settings.ctx, engine.window(), settings.max_tokens, false);
    let (shared, _) = crate::router::privacy::shareable(&request);
    let assembled = answer::fit(env, &shared, engine, &budget, config)?;
    let (messages, _) = crate::router::outbound::redact_messages(&assembled.messages)
        .map_err(super::engine_error)?;
    Ok(Preview {
        model: format!(
            "endpoint {} ({} at {})",
            engine.name(),
            engine.model(),
            engine.url()
        ),
        window: budget.window,
        answer_reserve: budget.reserve,
        prompt_tokens: assembled.prompt_tokens,
        sections: assembled.kept.section_reports(engine),
        sources: assembled.sources,
        choices: request.choices,
        memories: assembled.kept.memories,
        cuts: assembled.cuts,
        sent: Sent::Remote { messages },
    })
}
