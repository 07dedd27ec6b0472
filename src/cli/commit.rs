//! `pai commit`: a commit message for the staged changes, on stdout, in the repository's own
//! style; `--apply` commits with it. The hook (`pai hook run`) writes its messages through the
//! same `message` function.
use std::process::Command;

use super::oneshot::{self, Collect, Options};
use super::runtime::{ModelArgs, RoleArgs, SamplingArgs};
use super::Ctx;
use crate::cli::error::CliError;
use crate::config::Config;
use crate::git::{self, diff, message, style, subject};
use crate::pipeline::Grammar;
use crate::pipeline::Request;
use crate::pipeline::TierChoice;

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
    pub role: RoleArgs,
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
    let role = args.role.load(ctx)?;
    git::git_dir()?;
    let staged = git::staged()?;
    if staged.is_empty() {
        return Err(CliError::user("nothing is staged to commit")
            .hint("stage changes with `git add FILE`, then run this again"));
    }
    let change = Change::of(&staged, git::recent_subjects(HISTORY));
    let config = Config::load(&ctx.paths.config_file())?;
    let model = args.model.with_role(role.as_ref());
    let local = answers_locally(&model, &config);
    write(
        &change,
        args.conventional,
        local,
        &mut |mut request, grammar| {
            // The role speaks first; the task's format rules, which the checks rely on, after.
            if let Some(role) = &role {
                request.system = request.system.map(|s| role.before(&s));
            }
            let mut options = options(args, &model, role.as_ref());
            options.grammar = grammar;
            let mut sink = Collect::default();
            let outcome = oneshot::generate(ctx, &options, request, &mut sink)?;
            oneshot::check_stop(&outcome)?;
            Ok(sink.text)
        },
    )
}

/// Whether the local model writes the message whatever the router would decide, so that its
/// subject can be held to a grammar (remote tiers and endpoints take none).
fn answers_locally(model: &ModelArgs, config: &Config) -> bool {
    let no_tiers = config.tiers.medium.is_none() && config.tiers.large.is_none();
    model.endpoint.is_none()
        && match model.tier {
            Some(tier) => tier == TierChoice::Local,
            None => no_tiers,
        }
}

/// Subjects of the history read for its style.
pub const HISTORY: usize = 20;

/// What a message is written from: the condensed diff, the changed paths, and the history's
/// latest subjects (newest first).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Change {
    pub diff: String,
    pub paths: Vec<String>,
    pub subjects: Vec<String>,
}

impl Change {
    pub fn of(staged: &git::Staged, subjects: Vec<String>) -> Self {
        let files = diff::parse(&staged.patch);
        Self {
            diff: diff::condense(&files, DIFF_CHARS),
            paths: files.iter().map(|f| f.path.clone()).collect(),
            subjects,
        }
    }
}

/// How `pai commit` runs its generation, with what answers (`model`, the role's choice when
/// the flags name none) and the role; the evaluation runs the same.
pub fn options<'a>(
    args: &'a Args,
    model: &'a ModelArgs,
    role: Option<&'a crate::roles::Role>,
) -> Options<'a> {
    Options {
        front: "commit",
        model,
        sampling: &args.sampling,
        context: None,
        default_max_tokens: Some(MAX_TOKENS),
        default_temp: Some(TEMP),
        show_sources: false,
        grammar: None,
        role,
        speculate: false,
    }
}

/// `raw` with its first line's cut word dropped when the grammar ended the line at its length.
fn unclipped(raw: &str, area: Option<&str>, style: &style::Style) -> String {
    let (first, rest) = raw.split_once('\n').unwrap_or((raw, ""));
    let first = subject::unclip(first, area, style);
    match rest.is_empty() && !raw.contains('\n') {
        true => first,
        false => format!("{first}\n{rest}"),
    }
}

/// The message for `change`, ending in a newline. `generate` answers a request (with a
/// grammar when `constrain`) with the model's raw text. A subject that fails the checks gets
/// one more try with a stricter prompt, then one built from the diff: never junk.
pub fn write(
    change: &Change,
    conventional: bool,
    constrain: bool,
    generate: &mut dyn FnMut(Request, Option<Grammar>) -> Result<String, CliError>,
) -> Result<String, CliError> {
    let mut style = style::learn(&change.subjects);
    if conventional {
        style.conventional = true;
        style.area = true;
    }
    let area = subject::area_for(&change.paths, &style);
    let grammar = constrain.then(|| Grammar::Gbnf(subject::grammar(area.as_deref(), &style)));
    let mut flaws = Vec::new();
    for strict in [false, true] {
        let raw = generate(
            message::request(&style, &change.diff, strict),
            grammar.clone(),
        )?;
        let raw = match constrain {
            true => unclipped(&raw, area.as_deref(), &style),
            false => raw,
        };
        let cleaned = message::clean(&raw);
        let styled = if cleaned.is_empty() {
            cleaned
        } else {
            message::apply_style(&cleaned, &style, &change.paths)
        };
        let first = styled.lines().next().unwrap_or("");
        match subject::check(first, &style) {
            Ok(()) => return Ok(message::sound_body(&styled)),
            Err(flaw) => flaws.push(flaw.to_string()),
        }
    }
    eprintln!(
        "pai: the model's subjects would not do ({}); this one is built from the diff",
        flaws.join("; ")
    );
    Ok(message::fallback(&change.paths, &style))
}
