//! `pai complete`: continues the text on stdin, printing only what comes next. With
//! `--suffix-file` and a model whose vocabulary has fill-in-the-middle tokens, it writes what
//! belongs between stdin and the suffix; other models continue plainly, and say so.
use std::path::PathBuf;

use super::oneshot::{self, AnswerSink, Options};
use super::runtime::{ModelArgs, RoleArgs, SamplingArgs};
use super::{filter, Ctx};
use crate::cli::error::CliError;
use crate::pipeline::continuation;

/// Continue the text or code on stdin; print only the continuation.
///
/// The model reads stdin as it is, without a chat template, as a base model would. The
/// context pipeline (index, profile) is not used: text continues from its own beginning.
/// With --role, the role's model, sampling and adapters apply; its prompt does not, since a
/// continuation has no system prompt.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text that comes after the cursor, for fill-in-the-middle.
    #[arg(long, value_name = "FILE")]
    pub suffix_file: Option<PathBuf>,
    #[command(flatten)]
    pub role: RoleArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let role = args.role.load(ctx)?;
    let model = args.model.with_role(role.as_ref());
    let prefix = filter::read_selection("complete")?;
    let suffix = match &args.suffix_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| CliError::user(format!("cannot read {}: {e}", path.display())))?,
        ),
        None => None,
    };
    let options = Options {
        front: "complete",
        model: &model,
        sampling: &args.sampling,
        context: None,
        default_max_tokens: Some(128),
        default_temp: Some(0.2),
        show_sources: false,
        grammar: None,
        role: role.as_ref(),
        speculate: false,
    };
    let mut sink = AnswerSink::continuation();
    let outcome = oneshot::with_env(ctx, |env| {
        continuation::continue_text(env, &options.ask(), &prefix, suffix.as_deref(), &mut sink)
    })?;
    sink.finish()?;
    oneshot::check_stop(&outcome)
}
