//! `pai commit-eval` (hidden): the commit-message evaluation in tests/fixtures/commit-eval.
//! `export` writes commits of the current repository's history as `pai commit` would have seen
//! them when they were staged; `run` writes a message for each case with the model loaded once,
//! which `pai commit` in a loop would load thirty times.
use std::path::PathBuf;
use std::time::Instant;

use super::commit::{self, Change};
use super::oneshot::{self, Collect, Options};
use super::runtime::{ModelArgs, SamplingArgs};
use super::Ctx;
use crate::cli::error::CliError;
use crate::git;
use crate::pipeline::answer;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Export(ExportArgs),
    Run(RunArgs),
}

/// Write commits of this repository as evaluation cases, a JSON array on stdout.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The name the cases carry for this repository.
    #[arg(long)]
    pub name: String,
    /// The newest commit to consider.
    #[arg(long, default_value = "HEAD")]
    pub from: String,
    /// How many commits to export.
    #[arg(long, default_value_t = 12)]
    pub count: usize,
    /// Take every Nth commit that qualifies, to spread the cases over the history.
    #[arg(long, default_value_t = 1)]
    pub every: usize,
    /// Leave out commits that change more files than this.
    #[arg(long, default_value_t = 12)]
    pub max_files: usize,
}

/// Write a message for every case in FILES, one JSON line per message on stdout.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Files of cases, as `export` writes them.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Leave the subject free instead of holding it to the history's form by a grammar.
    #[arg(long)]
    pub no_grammar: bool,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

/// One commit of real history: what pai would have read, and the message its author wrote.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Case {
    pub repo: String,
    pub sha: String,
    /// The author's message.
    pub message: String,
    #[serde(flatten)]
    pub change: Change,
}

pub fn run(ctx: &Ctx, command: &Command) -> Result<(), CliError> {
    match command {
        Command::Export(args) => export(args),
        Command::Run(args) => run_cases(ctx, args),
    }
}

fn export(args: &ExportArgs) -> Result<(), CliError> {
    let range = format!("-n{}", args.count * args.every.max(1) * 4 + 50);
    let log = git::git(&[
        "log",
        &range,
        "--no-merges",
        "--format=%H %an",
        &args.from,
        "--",
    ])?;
    let mut cases = Vec::new();
    let mut qualified = 0;
    for (sha, author) in log.lines().filter_map(|l| l.split_once(' ')) {
        // Bots write templated messages; the evaluation is about messages people write.
        if git::is_bot(author) {
            continue;
        }
        let staged = git::committed(sha)?;
        let files = staged.numstat.lines().count();
        if staged.is_empty() || files > args.max_files {
            continue;
        }
        qualified += 1;
        if (qualified - 1) % args.every.max(1) != 0 {
            continue;
        }
        let parent = format!("{sha}^");
        cases.push(Case {
            repo: args.name.clone(),
            sha: sha[..12.min(sha.len())].to_string(),
            message: git::git(&["log", "-1", "--format=%B", sha])?
                .trim_end()
                .to_string(),
            change: Change::of(&staged, git::subjects_up_to(&parent, commit::HISTORY)),
        });
        if cases.len() == args.count {
            break;
        }
    }
    let json =
        serde_json::to_string_pretty(&cases).map_err(|e| CliError::internal(e.to_string()))?;
    println!("{json}");
    Ok(())
}

fn run_cases(ctx: &Ctx, args: &RunArgs) -> Result<(), CliError> {
    let mut cases: Vec<Case> = Vec::new();
    for file in &args.files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| CliError::user(format!("cannot read {}: {e}", file.display())))?;
        let mut more: Vec<Case> = serde_json::from_str(&text).map_err(|e| {
            CliError::user(format!("{} holds no evaluation cases: {e}", file.display()))
        })?;
        cases.append(&mut more);
    }
    let commit_args = commit::Args {
        model: args.model.clone(),
        sampling: args.sampling.clone(),
        ..commit::Args::default()
    };
    let options = commit::options(&commit_args, &commit_args.model, None);
    let prepared = oneshot::prepare(ctx, &options, None)?;
    let mut engine = prepared.engine();
    for case in &cases {
        let started = Instant::now();
        let mut tries = 0;
        let message = commit::write(
            &case.change,
            false,
            !args.no_grammar,
            &mut |request, grammar| {
                tries += 1;
                let options = Options {
                    grammar,
                    ..commit::options(&commit_args, &commit_args.model, None)
                };
                let mut sink = Collect::default();
                oneshot::with_env(ctx, |env| {
                    answer::generate_local(
                        env,
                        &options.ask(),
                        &prepared,
                        &mut engine,
                        &request,
                        &mut sink,
                    )
                })?;
                Ok(sink.text)
            },
        )?;
        let line = serde_json::json!({
            "repo": case.repo,
            "sha": case.sha,
            "message": message,
            "ms": started.elapsed().as_secs_f64() * 1000.0,
            "tries": tries,
        });
        println!("{line}");
    }
    Ok(())
}
