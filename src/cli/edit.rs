//! `pai edit`: an editor's filter. The selection comes on stdin, the instruction as words, and
//! only the replacement goes to stdout, with the selection's indentation and final newline.
//! Editors replace the selection with whatever the filter prints, even when it fails, so a
//! failure prints the selection back unchanged, says why on stderr and exits non-zero.
use std::io::Write;

use super::filter::{self, task_prompt};
use super::oneshot::{self, Collect, Options};
use super::runtime::{ModelArgs, RoleArgs, SamplingArgs};
use super::Ctx;
use crate::cli::error::CliError;
use crate::pipeline::{Attachment, Request};

pub const PROMPT: &str = include_str!("../../prompts/edit.txt");

/// Rewrite the text on stdin as the instruction says; print only the replacement.
///
/// Made for editors: `:'<,'>!pai edit "make this a table"` in vim and neovim, a pipe in
/// helix and kakoune, shell-command-on-region in Emacs. On failure the selection is printed
/// back unchanged (editors replace it with the output either way) and the exit code is 1.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do with the selection.
    #[arg(value_name = "INSTRUCTION", required = true)]
    pub instruction: Vec<String>,
    /// The name of the file the selection comes from, for the model and the index search.
    #[arg(long, value_name = "NAME")]
    pub file_name: Option<String>,
    /// Send only the instruction and the selection: no excerpts, profile or context cell.
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
    let selection = filter::read_selection("edit")?;
    match replace(ctx, args, &selection) {
        Ok(text) => write_out(&text),
        Err(e) => {
            // Nothing is lost: the editor gets its selection back.
            write_out(&selection)?;
            Err(e)
        }
    }
}

fn replace(ctx: &Ctx, args: &Args, selection: &str) -> Result<String, CliError> {
    let role = args.role.load(ctx)?;
    let mut question = args.instruction.join(" ");
    if let Some(name) = &args.file_name {
        question.push_str(&format!(" (The selection is from {name}.)"));
    }
    let request = Request {
        question,
        system: Some(task_prompt(role.as_ref(), PROMPT)),
        attachments: vec![Attachment {
            label: args.file_name.clone().unwrap_or_else(|| "selection".into()),
            text: selection.to_string(),
        }],
        ..Request::default()
    };
    let prompt = filter::prompt_args(&args.instruction, args.no_context).with_role(role.as_ref());
    let model = args.model.with_role(role.as_ref());
    // Room for the selection rewritten, and some.
    let needed = (selection.len() / 2 + 64) as u32;
    let options = Options {
        front: "edit",
        model: &model,
        sampling: &args.sampling,
        context: Some(&prompt),
        default_max_tokens: Some(needed.min(2048)),
        default_temp: Some(0.2),
        show_sources: false,
        grammar: None,
        role: role.as_ref(),
        speculate: false,
    };
    let mut sink = Collect::default();
    let outcome = oneshot::generate(ctx, &options, request, &mut sink)?;
    oneshot::check_stop(&outcome)?;
    let text = filter::replacement(&sink.text, selection);
    if text.trim().is_empty() {
        return Err(CliError::user(
            "the model wrote no replacement; the selection is left as it was",
        )
        .hint("try again, or say the instruction differently"));
    }
    Ok(crate::render::sanitize(&text))
}

fn write_out(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
