//! `pai agent "TASK"`: the agent loop (`crate::agent`) on the command line. Each step is one
//! line on stderr; the answer goes to stdout (or, with --json, the whole run as one object);
//! calls that need approval ask y/N on the terminal.
use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use super::oneshot::{with_env, Options};
use super::runtime::{ModelArgs, SamplingArgs};
use super::Ctx;
use crate::agent::{Ended, Front, Limits, Step, Task};
use crate::cli::error::CliError;
use crate::render::{sanitize, sanitize_line};

/// Carry out a task with tools: search, read, list, grep, run (sandboxed), edit, remember,
/// recall.
///
/// The model answers with tool calls or with the answer; pai runs the calls here and feeds the
/// results back until the answer, --max-steps, --time-limit or --token-budget. Tools that only
/// read run at once; run, edit and remember ask y/N on the terminal unless --yes or config.toml's
/// [agent] allows them (without a terminal they are refused). Every model call and tool call is
/// in the audit log: `pai audit --run ID`. See docs/agent.md.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[arg(required = true, value_name = "TASK")]
    pub task: Vec<String>,
    /// The most model calls.
    #[arg(long, default_value_t = 12, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub max_steps: u32,
    /// Stop after this many seconds.
    #[arg(long, default_value_t = 600, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub time_limit: u64,
    /// Stop when the steps have used this many tokens (prompt and generated, all steps).
    #[arg(long, value_name = "N")]
    pub token_budget: Option<u64>,
    /// Approve every call that would ask (config.toml's [agent] deny still holds).
    #[arg(short, long)]
    pub yes: bool,
    /// Let commands that `run` starts open network connections.
    #[arg(long)]
    pub net: bool,
    /// The working folder (default: the current one): the only place edit and run may write.
    #[arg(short = 'C', long, value_name = "DIR")]
    pub folder: Option<std::path::PathBuf>,
    /// Print the run as one JSON object (answer, steps, run id) instead of the answer.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let folder = match &args.folder {
        Some(f) => f.clone(),
        None => std::env::current_dir()?,
    };
    let task = Task {
        text: args.task.join(" "),
        folder,
        limits: Limits {
            max_steps: args.max_steps,
            time: Duration::from_secs(args.time_limit),
            tokens: args.token_budget,
        },
        yes: args.yes,
        net: args.net,
    };
    let options = Options {
        front: "agent",
        model: &args.model,
        sampling: &args.sampling,
        context: None,
        default_max_tokens: Some(1024),
        default_temp: None,
        show_sources: false,
        grammar: None,
        role: None,
        speculate: false,
    };
    let front = Terminal;
    let run = with_env(ctx, |env| {
        crate::agent::run(env, &options.ask(), &task, &front)
    })?;
    eprintln!(
        "pai: run {} {} after {} steps ({} tokens); `pai audit --run {}` shows it",
        run.id,
        run.ended.as_str().replace('_', " "),
        run.steps.iter().filter(|s| s.kind == "model").count(),
        run.tokens,
        run.id
    );
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::to_value(&run).map_err(|e| CliError::internal(e.to_string()))?;
        writeln!(out, "{}", crate::render::escape_json(&value.to_string()))?;
    } else if !run.answer.is_empty() {
        writeln!(out, "{}", sanitize(run.answer.trim_end()))?;
    }
    out.flush()?;
    match run.ended {
        Ended::Interrupted => Err(CliError::interrupted()),
        Ended::Answered => Ok(()),
        other => Err(CliError::user(format!(
            "the run stopped at its {} before an answer",
            other.as_str().replace('_', " ")
        ))
        .hint("raise --max-steps, --time-limit or --token-budget, or make the task smaller")),
    }
}

/// Steps on stderr, approval on the terminal.
struct Terminal;

impl Front for Terminal {
    fn step(&self, s: &Step) {
        let what = if s.kind == "model" {
            format!("model {} → {}", sanitize_line(&s.name), s.short)
        } else {
            format!("{} {}", sanitize_line(&s.name), sanitize_line(&s.short))
        };
        let approval = match s.approval {
            "asked" => ", approved",
            "refused" => ", refused",
            _ => "",
        };
        let status = s
            .exit_status
            .map(|c| format!(", exit {c}"))
            .unwrap_or_default();
        eprintln!(
            "pai: step {} {what}: {}{status}{approval} [{}] ({:.0} ms)",
            s.step, s.outcome, s.tier, s.ms
        );
    }

    fn preview(&self, text: &str) {
        for line in text.lines() {
            eprintln!("  {}", sanitize_line(line));
        }
    }

    fn confirm(&self, question: &str) -> Option<bool> {
        // Only a person at a terminal can answer; piped input is never taken as a yes.
        if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
            return None;
        }
        eprint!("pai: {} — go ahead? [y/N] ", sanitize_line(question));
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).ok()?;
        Some(matches!(line.trim(), "y" | "Y" | "yes" | "Yes"))
    }
}
