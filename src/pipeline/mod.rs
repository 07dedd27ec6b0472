//! The pipeline every front end calls: settings resolved once, a model chosen and loaded,
//! what pai knows gathered (profile, the moment, excerpts from the index), the request fitted
//! to the window, and generation on an [`Engine`]. Front ends own only how input arrives and
//! how tokens leave; this layer never prints: notes and cuts come back as values.
pub mod answer;
pub mod bench;
pub mod budget;
pub mod choose;
pub mod continuation;
pub mod escalate;
pub mod gather;
pub mod oneshot;
pub mod preview;
pub mod probe;
pub mod prompt;
pub mod reply;
pub mod report;
pub mod request;
pub mod settings;
pub mod tiers;
pub mod worker;

pub use budget::Budget;
// The vocabulary front ends speak to the pipeline in: they name these through it and reach no
// further (no front end imports the engine, the router or context directly).
pub use crate::context::select::Choice;
pub use crate::context::{sources_json, tilde, Attachment, Excerpt, Request, SectionReport};
pub use crate::engine::grammar::{json_schema, Grammar};
pub use crate::engine::local::default_threads;
pub use crate::engine::text::answer_piece;
pub use crate::engine::{Discard, Generation, Sink, StopReason};
pub use crate::message::Message;
pub use crate::router::outbound::AuditTo;
pub use crate::router::redact::Redactor;
pub use crate::router::{Tier, TierChoice};
pub use choose::{ChosenModel, Loaded, Weights};
pub use settings::{Overrides, Settings};

use crate::config::ContextSettings;
use crate::context::Assembled;
use crate::engine::{EngineError, TokenCount};
use crate::error::Error;

/// Fits the request to the budget: excerpts first limited to `retrieval_tokens` and memories
/// to `memory_tokens`, then the lowest-priority sections cut until the prompt fits. The cuts
/// are in the result.
pub fn fit(
    request: &Request,
    count: &dyn TokenCount,
    budget: &Budget,
    limits: &ContextSettings,
) -> Result<Assembled, Error> {
    let mut request = request.clone();
    request.limit_excerpts(limits.retrieval_tokens, count);
    request.limit_memories(limits.memory_tokens, count);
    request
        .assemble(budget.prompt_tokens(), count)
        .map_err(|o| too_long(o.tokens, budget))
}

fn too_long(tokens: usize, budget: &Budget) -> Error {
    let over = tokens.saturating_sub(budget.prompt_tokens());
    let err = Error::user(format!(
        "the prompt is {tokens} tokens and the {}-token context window keeps {} of them for the answer: the prompt is {over} tokens too long",
        budget.window, budget.reserve
    ));
    if budget.window < budget.trained {
        err.hint(format!(
            "raise --ctx (this model was trained on up to {} tokens), or shorten the prompt",
            budget.trained
        ))
    } else {
        err.hint("shorten the prompt, or move long text into a file attached with -f, which pai can cut to fit")
    }
}

/// A failure to write the answer out, as the user reads it.
pub fn output_error(e: std::io::Error) -> Error {
    engine_error(EngineError::Output(e))
}

/// An engine's failure as the user reads it.
pub fn engine_error(e: EngineError) -> Error {
    match e {
        EngineError::Output(io) => Error::user(format!("cannot write the answer: {io}"))
            .hint("check that the disk or the pipe it goes to can take it"),
        EngineError::PromptTooLong { .. } => {
            Error::user(e.to_string()).hint("raise --ctx, or send less text")
        }
        EngineError::Context { .. } => Error::user(e.to_string()).hint("try a smaller --ctx"),
        EngineError::Load { .. } => {
            Error::user(e.to_string()).hint("run `pai doctor` to check the model files")
        }
        EngineError::Remote(_) => Error::user(e.to_string()),
        EngineError::EmptyPrompt => Error::user(e.to_string()).hint(
            "the model file's vocabulary is probably damaged: try another model with --model",
        ),
        EngineError::Grammar(_) => Error::user(e.to_string())
            .hint("check the file given to --grammar (GBNF, with a `root` rule) or --json-schema"),
        EngineError::Adapter { .. } => Error::user(crate::render::sanitize_line(&e.to_string()))
            .hint("check the file with `pai model add --adapter FILE --name NAME`, which reads it"),
        EngineError::Backend(_) | EngineError::Decode(_) => Error::internal(e.to_string()),
    }
}
