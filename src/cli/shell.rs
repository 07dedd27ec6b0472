//! `pai shell`: proposes one command for the user's shell and OS, explains it in a line, and
//! runs it only when the user says yes (or passes --yes). Nothing ever runs unasked: without a
//! terminal to ask on, the command is printed and left for the user. What runs, runs in the
//! sandbox of `pai sandbox` unless --no-sandbox. The prompt holds no excerpts from the index
//! unless --context asks for them: indexed files are text from anywhere, and must not get to
//! choose a command.
use std::io::{BufRead, IsTerminal, Write};
use std::process::Command;

use super::oneshot::{self, Collect, Options};
use super::runtime::{ModelArgs, RoleArgs, SamplingArgs};
use super::sandbox::{self, SandboxArgs};
use super::{filter, Ctx};
use crate::cli::error::CliError;
use crate::pipeline::Request;

pub const PROMPT: &str = include_str!("../../prompts/shell.txt");

/// Propose a shell command for a task, explain it, and run it once you confirm.
///
/// `pai shell "find files over 1 GB changed this week"`. The command is written for $SHELL
/// and this OS. It runs only after you answer y, or with --yes; --print only prints it. It runs
/// in the sandbox of `pai sandbox` (writes only in the working and temp folders, no TCP)
/// unless --no-sandbox.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What the command should do.
    #[arg(value_name = "TASK", required = true)]
    pub task: Vec<String>,
    /// Run the command without asking.
    #[arg(short, long, conflicts_with = "print")]
    pub yes: bool,
    /// Print the command on stdout (and the explanation on stderr); never run it.
    #[arg(short, long)]
    pub print: bool,
    /// Send only the task: no profile or context cell.
    #[arg(long)]
    pub no_context: bool,
    /// Also send excerpts from the index (off by default: indexed text must not pick commands).
    #[arg(long, conflicts_with = "no_context")]
    pub context: bool,
    #[command(flatten)]
    pub sandbox: SandboxArgs,
    #[command(flatten)]
    pub role: RoleArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let role = args.role.load(ctx)?;
    let shell = std::env::var("SHELL")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "/bin/sh".into());
    let shell_name = shell.rsplit('/').next().unwrap_or("sh").to_string();
    let request = Request {
        question: args.task.join(" "),
        system: Some(filter::task_prompt(
            role.as_ref(),
            &format!(
                "{} The shell is {shell_name} on {}.",
                PROMPT.trim_end(),
                os_name()
            ),
        )),
        ..Request::default()
    };
    let mut prompt = filter::prompt_args(&args.task, args.no_context).with_role(role.as_ref());
    prompt.excerpts = args.context;
    let model = args.model.with_role(role.as_ref());
    // The sandbox is set up before the model runs, so a kernel that cannot confine the command
    // is reported at once; only when the command may run.
    let may_run = !args.print && (args.yes || std::io::stdin().is_terminal());
    let mut cmd = Command::new(&shell);
    let confinement = if may_run {
        Some(sandbox::confine(&mut cmd, &args.sandbox)?)
    } else {
        None
    };
    let options = Options {
        front: "shell",
        model: &model,
        sampling: &args.sampling,
        context: Some(&prompt),
        default_max_tokens: Some(96),
        default_temp: Some(0.2),
        show_sources: false,
        grammar: None,
        role: role.as_ref(),
        speculate: false,
    };
    let mut sink = Collect::default();
    let outcome = oneshot::generate(ctx, &options, request, &mut sink)?;
    oneshot::check_stop(&outcome)?;
    let Some((command, explanation)) = parse(&sink.text) else {
        return Err(CliError::user("the model proposed no command")
            .hint("say the task differently, or try a larger model"));
    };
    let command = crate::render::sanitize_line(&command);
    let explanation = crate::render::sanitize_line(&explanation);

    if args.print {
        println!("{command}");
        if !explanation.is_empty() {
            eprintln!("# {explanation}");
        }
        return Ok(());
    }
    eprintln!("{command}");
    if !explanation.is_empty() {
        eprintln!("  # {explanation}");
    }
    // Without --yes or a terminal to confirm on, nothing was set up to run.
    let Some(confinement) = confinement else {
        println!("{command}");
        eprintln!(
            "pai: not run: there is no terminal to confirm on; run it yourself, or pass --yes"
        );
        return Ok(());
    };
    if !args.yes && !confirmed(&shell_name, &confinement)? {
        eprintln!("pai: not run");
        return Ok(());
    }
    execute(cmd, &command, &shell, &confinement)
}

/// Asks on the terminal whether to run the command; only `y` or `yes` says so.
fn confirmed(shell_name: &str, confinement: &sandbox::Confinement) -> Result<bool, CliError> {
    let how = match confinement {
        sandbox::Confinement::Sandboxed { .. } => "in the sandbox",
        sandbox::Confinement::Unconfined => "UNCONFINED",
    };
    eprint!("Run it with {shell_name}, {how}? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// Runs `command` with `shell -c` as `confinement` set `cmd` up; a failure says how it ended
/// and, in the sandbox, what the sandbox allowed.
fn execute(
    mut cmd: Command,
    command: &str,
    shell: &str,
    confinement: &sandbox::Confinement,
) -> Result<(), CliError> {
    confinement.announce();
    let status = cmd
        .arg("-c")
        .arg(command)
        .status()
        .map_err(|e| CliError::user(format!("cannot start {shell}: {e}")))?;
    let err = match sandbox::exit_code(status) {
        0 => return Ok(()),
        code if status.code().is_some() => {
            CliError::user(format!("the command exited with status {code}"))
        }
        code => CliError::user(format!(
            "the command was ended by signal {}",
            code.saturating_sub(128)
        )),
    };
    Err(match confinement.describe() {
        Some(sandboxed) => err.hint(format!(
            "{sandboxed}; if it needs more, pass --allow-write DIR, --net or --no-sandbox"
        )),
        None => err,
    })
}

/// The command and its explanation from the model's reply: the first line that is not a
/// fence, a comment or a preamble, without a `$ ` prompt or backticks; the first comment line.
pub fn parse(reply: &str) -> Option<(String, String)> {
    let mut command = None;
    let mut explanation = String::new();
    for line in reply.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with("```") {
            continue;
        }
        if let Some(c) = t.strip_prefix('#') {
            if explanation.is_empty() {
                explanation = c.trim().to_string();
            }
            continue;
        }
        if command.is_none() {
            let lower = t.to_lowercase();
            if ["here", "sure", "certainly", "to "]
                .iter()
                .any(|p| lower.starts_with(p))
                && t.ends_with(':')
            {
                continue;
            }
            let c = t.strip_prefix("$ ").unwrap_or(t).trim_matches('`').trim();
            if !c.is_empty() {
                command = Some(c.to_string());
            }
        } else if explanation.is_empty() {
            explanation = t.to_string();
        }
    }
    command.map(|c| (c, explanation))
}

fn os_name() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        });
    match pretty {
        Some(p) => format!("{} ({p})", std::env::consts::OS),
        None => std::env::consts::OS.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn the_command_and_its_explanation_are_found() {
        let (c, e) =
            parse("find . -size +1G -mtime -7\n# Files over 1 GB changed this week").unwrap();
        assert_eq!(c, "find . -size +1G -mtime -7");
        assert_eq!(e, "Files over 1 GB changed this week");
        let (c, e) =
            parse("Here is the command:\n```bash\n$ ls -la\n```\nLists all files.").unwrap();
        assert_eq!((c.as_str(), e.as_str()), ("ls -la", "Lists all files."));
        assert_eq!(parse("`du -sh *`").unwrap().0, "du -sh *");
        assert!(parse("```\n```").is_none());
    }
}
