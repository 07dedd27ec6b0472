//! The pipeline every front end calls: settings resolved once, a model chosen and loaded,
//! what pai knows gathered (profile, the moment, excerpts from the index), the request fitted
//! to the window, and generation on an [`Engine`]. Front ends own only how input arrives and
//! how tokens leave; this layer never prints: notes and cuts come back as values.
pub mod budget;
pub mod choose;
pub mod escalate;
pub mod gather;
pub mod preview;
pub mod probe;
pub mod settings;
pub mod worker;

pub use budget::Budget;
pub use choose::{ChosenModel, Loaded, Weights};
pub use settings::{Overrides, Settings};

use crate::config::ContextSettings;
use crate::context::{Assembled, Request};
use crate::engine::{EngineError, TokenCount};
use crate::error::CliError;

/// Fits the request to the budget: excerpts first limited to `retrieval_tokens` and memories
/// to `memory_tokens`, then the lowest-priority sections cut until the prompt fits. The cuts
/// are in the result.
pub fn fit(
    request: &Request,
    count: &dyn TokenCount,
    budget: &Budget,
    limits: &ContextSettings,
) -> Result<Assembled, CliError> {
    let mut request = request.clone();
    request.limit_excerpts(limits.retrieval_tokens, count);
    request.limit_memories(limits.memory_tokens, count);
    request
        .assemble(budget.prompt_tokens(), count)
        .map_err(|o| too_long(o.tokens, budget))
}

fn too_long(tokens: usize, budget: &Budget) -> CliError {
    let over = tokens.saturating_sub(budget.prompt_tokens());
    let err = CliError::user(format!(
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

/// An engine's failure as the user reads it.
pub fn engine_error(e: EngineError) -> CliError {
    match e {
        EngineError::Output(io) => CliError::user(format!("cannot write the answer: {io}"))
            .hint("check that the disk or the pipe it goes to can take it"),
        EngineError::PromptTooLong { .. } => {
            CliError::user(e.to_string()).hint("raise --ctx, or send less text")
        }
        EngineError::Context { .. } => CliError::user(e.to_string()).hint("try a smaller --ctx"),
        EngineError::Load { .. } => {
            CliError::user(e.to_string()).hint("run `pai doctor` to check the model files")
        }
        EngineError::Remote(_) => CliError::user(e.to_string()),
        EngineError::EmptyPrompt => CliError::user(e.to_string()).hint(
            "the model file's vocabulary is probably damaged: try another model with --model",
        ),
        EngineError::Grammar(_) => CliError::user(e.to_string())
            .hint("check the file given to --grammar (GBNF, with a `root` rule) or --json-schema"),
        EngineError::Adapter { .. } => CliError::user(crate::render::sanitize_line(&e.to_string()))
            .hint("check the file with `pai model add --adapter FILE --name NAME`, which reads it"),
        EngineError::Backend(_) | EngineError::Decode(_) => CliError::internal(e.to_string()),
    }
}
