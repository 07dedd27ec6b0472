//! `pai explain`: the selection on stdin, an explanation streamed to stdout.
use super::filter;
use super::oneshot::{self, AnswerSink, Options};
use super::runtime::{ModelArgs, RoleArgs, SamplingArgs};
use super::Ctx;
use crate::cli::error::CliError;
use crate::pipeline::{Attachment, Request};

pub const PROMPT: &str = include_str!("../../prompts/explain.txt");

/// Explain the text or code on stdin.
///
/// `:'<,'>w !pai explain` in vim shows the explanation without touching the buffer.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to ask about the selection (default: what it does).
    #[arg(value_name = "QUESTION")]
    pub question: Vec<String>,
    /// The name of the file the selection comes from.
    #[arg(long, value_name = "NAME")]
    pub file_name: Option<String>,
    /// Send only the question and the selection: no excerpts, profile or context cell.
    #[arg(long)]
    pub no_context: bool,
    #[command(flatten)]
    pub role: RoleArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let role = args.role.load(ctx)?;
    let selection = filter::read_selection("explain")?;
    let question = if args.question.is_empty() {
        "Explain what this does.".to_string()
    } else {
        args.question.join(" ")
    };
    let request = Request {
        question: question.clone(),
        system: Some(filter::task_prompt(role.as_ref(), PROMPT)),
        attachments: vec![Attachment {
            label: args.file_name.clone().unwrap_or_else(|| "selection".into()),
            text: selection,
        }],
        ..Request::default()
    };
    let prompt = filter::prompt_args(&[question], args.no_context).with_role(role.as_ref());
    let model = args.model.with_role(role.as_ref());
    let options = Options {
        front: "explain",
        model: &model,
        sampling: &args.sampling,
        context: Some(&prompt),
        default_max_tokens: None,
        default_temp: None,
        show_sources: false,
        grammar: None,
        role: role.as_ref(),
        speculate: false,
    };
    let mut sink = AnswerSink::new(false, false);
    let outcome = oneshot::generate(ctx, &options, request, &mut sink)?;
    sink.finish()?;
    oneshot::check_stop(&outcome)
}
