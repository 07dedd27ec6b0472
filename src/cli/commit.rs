//! `pai commit`: a commit message for the staged changes, on stdout, in the repository's own
//! style; `--apply` commits with it. The hook (`pai hook run`) writes its messages through the
//! same `message` function.
use std::process::Command;

use super::oneshot::{self, Collect, Options};
use super::runtime::{ModelArgs, SamplingArgs};
use super::Ctx;
use crate::error::CliError;
use crate::git::{self, diff, message};

/// Characters of condensed diff the model reads: at a few hundred tokens a second on a small
/// CPU, every thousand characters is about a second before the message starts.
const DIFF_CHARS: usize = 6000;
/// A subject and a short body; small models ramble past it.
const MAX_TOKENS: u32 = 64;
/// Commit messages want the likely words, with a little room to avoid loops.
const TEMP: f32 = 0.2;

/// Write a commit message for the staged changes to stdout.
///
/// The message follows the repository's style, learned from recent subjects (Conventional
/// Commits when the history uses them). Large diffs are condensed: the file list with line
/// counts, then the most telling hunks; lock files and generated files are only named.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Args {
    /// Write a Conventional Commits subject (`type(scope): subject`) whatever the history uses.
    #[arg(long)]
    pub conventional: bool,
    /// Commit the staged changes with the message instead of printing it.
    #[arg(long)]
    pub apply: bool,
    /// With --apply, open the editor on the message before committing.
    #[arg(short, long, requires = "apply")]
    pub edit: bool,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let text = message(ctx, args)?;
    if !args.apply {
        print!("{}", crate::render::sanitize(&text));
        return Ok(());
    }
    let file = git::git_dir()?.join("PAI_COMMIT_MSG");
    std::fs::write(&file, &text)?;
    let mut cmd = Command::new("git");
    cmd.arg("commit").arg("-F").arg(&file);
    if args.edit {
        cmd.arg("-e");
    }
    let status = cmd
        .status()
        .map_err(|e| CliError::user(format!("cannot run git commit: {e}")))?;
    let _ = std::fs::remove_file(&file);
    if status.success() {
        Ok(())
    } else {
        Err(CliError::user("git commit did not commit")
            .hint("`pai commit` prints the message without committing"))
    }
}

/// The cleaned message for what is staged now, ending in a newline.
pub fn message(ctx: &Ctx, args: &Args) -> Result<String, CliError> {
    git::git_dir()?;
    let staged = git::staged()?;
    if staged.is_empty() {
        return Err(CliError::user("nothing is staged to commit")
            .hint("stage changes with `git add FILE`, then run this again"));
    }
    let files = diff::parse(&staged.patch);
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let mut style = message::learn(&git::recent_subjects(20));
    style.conventional |= args.conventional;

    let request = message::request(&style, diff::condense(&files, DIFF_CHARS));
    let options = Options {
        front: "commit",
        model: &args.model,
        sampling: &args.sampling,
        context: None,
        default_max_tokens: Some(MAX_TOKENS),
        default_temp: Some(TEMP),
        show_sources: false,
        grammar: None,
    };
    let mut sink = Collect::default();
    let outcome = oneshot::generate(ctx, &options, request, &mut sink)?;
    oneshot::check_stop(&outcome)?;
    let cleaned = message::clean(&sink.text);
    if cleaned.is_empty() {
        eprintln!("pai: the model wrote no usable message; this one only names the files");
        return Ok(message::fallback(&paths, &style));
    }
    Ok(message::apply_style(&cleaned, &style, &paths))
}
