//! A job's prompt, fitted to the window: the chat template or the plain text, pai's context
//! added around the client's messages when the request asked for it (and trimmed until it
//! fits), and the answer's room. A prompt that does not fit is a 400 with the counts; the
//! client's own text is never cut.
use llama_cpp_2::token::LlamaToken;

use super::error::ApiError;
use super::job::{Event, Gathered, Job, Work};
use crate::context::{Excerpt, Request};
use crate::engine::local::LocalModel;
use crate::engine::{GenerateParams, TokenCount};
use crate::message::{Message, Role};
use crate::pipeline::budget;
use crate::tool::Tools;

/// The most tokens of excerpts and of remembered facts per request that asks for pai's
/// context (`[context] retrieval_tokens` and `memory_tokens`).
#[derive(Debug, Clone, Copy)]
pub struct ContextLimits {
    pub retrieval_tokens: usize,
    pub memory_tokens: usize,
}

/// The job's prompt tokens and settings, fitted to the window, and `Started` sent; or the
/// 400 that says why it does not fit.
pub fn prepare(
    model: &LocalModel,
    window: u32,
    limits: ContextLimits,
    job: &Job,
) -> Result<(Vec<LlamaToken>, GenerateParams), ApiError> {
    let mut params = job.params.clone();
    let (tokens, sources) = match &job.work {
        Work::Chat {
            messages, context, ..
        } => {
            // The answer's room: all of max_tokens when the client set it (OpenAI's contract);
            // else the default, up to a quarter of the window, as for every front end, so that
            // pai's excerpts never crowd out a long conversation's answer.
            let reserve = if job.explicit_max_tokens {
                params.max_tokens
            } else {
                budget::answer_reserve(params.max_tokens, window)
            };
            let budget = window.saturating_sub(reserve) as usize;
            let (messages, sources) = match context {
                Some(gathered) => {
                    with_context(messages, gathered, model, &params.tools, budget, limits)
                }
                None => (messages.clone(), Vec::new()),
            };
            (model.chat_tokens_with_tools(&messages, &params.tools), sources)
        }
        Work::Complete { prompt } => (model.tokenize_plain(prompt, true), Vec::new()),
        Work::Embed { .. } => {
            return Err(ApiError::bad_request(
                "this model generates text; /v1/embeddings needs a sentence encoder (pai serve --model an encoder GGUF)",
            ))
        }
    };
    params.max_tokens = fit(tokens.len(), &params, job.explicit_max_tokens, window)?;
    let _ = job.events.send(Event::Started {
        prompt_tokens: tokens.len(),
        sources,
    });
    Ok((tokens, params))
}

/// The most tokens the answer may have; a 400 with the counts when the prompt does not fit.
fn fit(
    prompt: usize,
    params: &GenerateParams,
    explicit: bool,
    window: u32,
) -> Result<u32, ApiError> {
    let window_us = window as usize;
    if explicit && prompt + params.max_tokens as usize > window_us {
        return Err(ApiError::bad_request(format!(
            "the prompt is {prompt} tokens and max_tokens is {}: together {} tokens, more than the {window}-token context window; nothing was cut",
            params.max_tokens,
            prompt + params.max_tokens as usize
        ))
        .param("messages")
        .code("context_length_exceeded"));
    }
    if prompt >= window_us {
        return Err(ApiError::bad_request(format!(
            "the prompt is {prompt} tokens, more than the {window}-token context window holds with room for an answer; nothing was cut"
        ))
        .param("messages")
        .code("context_length_exceeded"));
    }
    Ok(params.max_tokens.min((window_us - prompt) as u32))
}

/// The client's messages with pai's context added: the profile after the system message,
/// remembered facts and excerpts before the last user message (as `pai ask` puts them).
/// Excerpts go, last first, then memories, until the prompt fits the budget; the client's own
/// messages are never cut.
fn with_context(
    messages: &[Message],
    gathered: &Gathered,
    model: &LocalModel,
    tools: &Tools,
    budget: usize,
    limits: ContextLimits,
) -> (Vec<Message>, Vec<Excerpt>) {
    let mut request = Request {
        excerpts: gathered.excerpts.clone(),
        memories: gathered.memories.clone(),
        ..Default::default()
    };
    request.limit_excerpts(limits.retrieval_tokens, model as &dyn TokenCount);
    request.limit_memories(limits.memory_tokens, model as &dyn TokenCount);
    let mut kept = Gathered {
        profile: gathered.profile.clone(),
        memories: request.memories,
        excerpts: request.excerpts,
    };
    loop {
        let built = add_context(messages, &kept);
        let fits = model.prompt_tokens_with(&built, tools) <= budget;
        if fits || (kept.excerpts.pop().is_none() && kept.memories.pop().is_none()) {
            return (built, kept.excerpts);
        }
    }
}

/// The client's conversation with `context` laid out by [`Request::messages`], as every
/// front end lays out its prompt: the client's first system message stands for pai's system
/// prompt (pai's own when there is none), the last user message is the question (after the
/// remembered facts and the excerpts), the turns between are the history, and anything after
/// the question stays after it.
pub fn add_context(messages: &[Message], context: &Gathered) -> Vec<Message> {
    let Some(last) = messages.iter().rposition(|m| m.role == Role::User) else {
        return messages.to_vec();
    };
    let (system, first) = match messages.first() {
        Some(m) if m.role == Role::System => (Some(m.content.clone()), 1),
        _ => (None, 0),
    };
    let request = Request {
        question: messages[last].content.clone(),
        system,
        profile: context.profile.clone(),
        memories: context.memories.clone(),
        excerpts: context.excerpts.clone(),
        history: messages[first..last].to_vec(),
        ..Request::default()
    };
    let mut out = request.messages();
    out.extend_from_slice(&messages[last + 1..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Fact;
    use crate::engine::Sampling;

    fn params(max_tokens: u32) -> GenerateParams {
        GenerateParams {
            tools: Default::default(),
            sampling: Sampling::greedy(),
            max_tokens,
            stop: Vec::new(),
            stop_at_end_of_text: true,
            grammar: None,
            adapters: Vec::new(),
            speculation: None,
            cache_prefix: None,
        }
    }

    #[test]
    fn a_prompt_that_does_not_fit_is_a_400_with_the_counts() {
        let e = fit(90, &params(20), true, 100).unwrap_err();
        assert_eq!(e.status, 400);
        assert!(
            e.message.contains("90 tokens") && e.message.contains("110"),
            "{}",
            e.message
        );
        let e = fit(100, &params(20), false, 100).unwrap_err();
        assert!(e.message.contains("100 tokens"), "{}", e.message);
        assert_eq!(fit(90, &params(20), false, 100).unwrap(), 10);
        assert_eq!(fit(50, &params(20), true, 100).unwrap(), 20);
    }

    #[test]
    fn context_goes_around_the_clients_messages() {
        let messages = vec![
            Message::new(Role::User, "q1"),
            Message::new(Role::Assistant, "a1"),
            Message::new(Role::User, "q2"),
        ];
        let excerpt = Excerpt {
            path: "/n/a.md".into(),
            start_line: 1,
            end_line: 2,
            title: String::new(),
            score: 1.0,
            text: "fact".into(),
            private: false,
        };
        let context = Gathered {
            profile: Some("I like tea.".into()),
            memories: vec![Fact {
                id: 1,
                text: "my bike is a Brompton".into(),
            }],
            excerpts: vec![excerpt],
        };
        let out = add_context(&messages, &context);
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].role, Role::System);
        assert!(out[0].content.contains("I like tea."));
        assert_eq!(out[1].content, "q1");
        let last = &out[3].content;
        assert!(
            last.starts_with("<memories") && last.ends_with("q2"),
            "{last}"
        );
        let (memory, excerpt) = (
            last.find("Brompton").unwrap(),
            last.find("<excerpts").unwrap(),
        );
        assert!(memory < excerpt, "{last}");
    }

    #[test]
    fn the_layout_is_the_one_every_front_end_uses() {
        let context = Gathered {
            profile: Some("I like tea.".into()),
            memories: Vec::new(),
            excerpts: Vec::new(),
        };
        let asked = [Message::new(Role::User, "  Which tea? ")];
        let request = Request {
            question: "  Which tea? ".into(),
            profile: context.profile.clone(),
            ..Request::default()
        };
        assert_eq!(add_context(&asked, &context), request.messages());
        let own = [
            Message::new(Role::System, "Be brief."),
            Message::new(Role::User, "Which tea?"),
        ];
        let out = add_context(&own, &context);
        assert_eq!(out.len(), 2);
        assert!(
            out[0].content.starts_with("Be brief.") && out[0].content.ends_with("I like tea."),
            "{}",
            out[0].content
        );
    }
}
