//! What the local model would read for a request, without generating: the window, the request
//! fitted to it and the prompt as the model's own template lays it out. `pai context` shows
//! it, and so does mcp's `context` tool: one path, so the two show the same prompt.
use super::{choose, Budget, ChosenModel, Settings, Weights};
use crate::config::ContextSettings;
use crate::context::{Assembled, Request, SectionReport};
use crate::error::CliError;

/// A request fitted to a local model's window.
pub struct Preview {
    pub budget: Budget,
    /// The request as it fits: its messages, what was kept, the numbered sources and the cuts.
    pub assembled: Assembled,
    /// The prompt as the model reads it: the messages through its chat template.
    pub prompt: String,
    /// The prompt's token ids, as the engine would feed them.
    pub token_ids: Vec<i32>,
    /// How many of those tokens are the template's markup rather than text.
    pub control_tokens: usize,
    /// Tokens per section of the kept request.
    pub sections: Vec<SectionReport>,
    /// Whether the model has a chat template (else the prompt is plain text to continue).
    pub chat_template: bool,
}

/// Loads `chosen`'s tokenizer, sizes the window from `settings` and the model's trained
/// length (a one-shot window, not a conversation's), fits the gathered `request` to it with
/// the `[context]` limits, and lays the result out as the model reads it.
pub fn local(
    chosen: &ChosenModel,
    settings: &Settings,
    request: &Request,
    limits: &ContextSettings,
    verbose: bool,
) -> Result<Preview, CliError> {
    let loaded = choose::load(chosen, None, Weights::VocabOnly, verbose)?;
    let model = &loaded.model;
    let budget = Budget::new(
        settings.ctx,
        loaded.trained_context,
        settings.max_tokens,
        false,
    );
    let assembled = super::fit(request, model, &budget, limits)?;
    let tokens = model.chat_tokens(&assembled.messages);
    Ok(Preview {
        budget,
        prompt: model.format_chat(&assembled.messages),
        token_ids: tokens.iter().map(|t| t.0).collect(),
        control_tokens: model.control_tokens(&tokens),
        sections: assembled.kept.section_reports(model),
        chat_template: model.has_chat_template(),
        assembled,
    })
}
