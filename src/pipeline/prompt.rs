//! A request made into the messages a model reads: fitted to the budget, with what privacy
//! asks of it. One function for every front end that builds a prompt from a [`Request`], so
//! the same question, settings and notes give the same prompt through each of them.
use super::Budget;
use crate::config::ContextSettings;
use crate::context::{Excerpt, Request};
use crate::engine::TokenCount;
use crate::error::Error;
use crate::message::Message;
use crate::router::confidence::Retrieval;
use crate::router::privacy::{self, Privacy};

/// Where the prompt goes, which decides what of the request may be in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// The local model, and nothing else.
    Local,
    /// The local model first; a remote tier may take over (the router's auto mode).
    MayLeave,
    /// A remote endpoint: private excerpts are left out.
    Remote,
}

/// What a front end sends, and what to tell about it.
#[derive(Debug, Clone)]
pub struct Built {
    pub messages: Vec<Message>,
    /// As fitting counted them: the messages are not tokenized again to say so.
    pub prompt_tokens: usize,
    /// The excerpts in the prompt, numbered from 1 in this order.
    pub sources: Vec<Excerpt>,
    /// How strongly the index matched, for the router (from every hit, not only the sources).
    pub retrieval: Retrieval,
    /// What privacy asks of this request, for the router's plan.
    pub privacy: Privacy,
    /// The prompt without private excerpts, for a hand-over to a remote tier; `None` when it
    /// is `messages` (no private excerpt, or the destination is already remote).
    pub shared: Option<Vec<Message>>,
    /// The request as it was kept, for reporting its sections.
    pub kept: Request,
    /// One sentence per cut.
    pub cuts: Vec<String>,
    /// One sentence per thing worth telling (private excerpts left out).
    pub notes: Vec<String>,
}

impl Built {
    /// The messages a remote tier may read.
    pub fn shared_messages(&self) -> &[Message] {
        self.shared.as_deref().unwrap_or(&self.messages)
    }
}

/// Fits `request` to `budget` for `destination`.
pub fn build(
    request: &Request,
    count: &dyn TokenCount,
    budget: &Budget,
    limits: &ContextSettings,
    destination: Destination,
) -> Result<Built, Error> {
    let retrieval = Retrieval::of_request(request);
    let privacy = Privacy::of(request, destination != Destination::Local);
    let mut notes = Vec::new();
    let (sent, shared) = match destination {
        Destination::Remote => {
            let (shared, kept) = privacy::shareable(request);
            notes.extend(privacy::kept_note(kept));
            (super::fit(&shared, count, budget, limits)?, None)
        }
        Destination::MayLeave if privacy.private_excerpts > 0 => {
            let (shared, _) = privacy::shareable(request);
            let shared = super::fit(&shared, count, budget, limits)?;
            (
                super::fit(request, count, budget, limits)?,
                Some(shared.messages),
            )
        }
        _ => (super::fit(request, count, budget, limits)?, None),
    };
    Ok(Built {
        messages: sent.messages,
        prompt_tokens: sent.prompt_tokens,
        sources: sent.sources,
        retrieval,
        privacy,
        shared,
        kept: sent.kept,
        cuts: sent.cuts,
        notes,
    })
}
