//! The command line: the clap definition, one module per subcommand, and the single place
//! where errors are printed and turned into exit codes.
mod agent;
mod ask;
mod audit;
mod audit_run;
mod bench;
mod catalog;
mod chat;
mod commit;
mod commit_eval;
mod complete;
mod completions;
mod config;
mod context;
mod doctor;
mod edit;
pub mod error;
mod explain;
mod filter;
mod history;
mod hook;
mod index;
mod learn;
mod mcp;
mod memory;
mod model;
pub(crate) mod oneshot;
pub(crate) mod prompt;
mod redact;
mod remember;
mod role;
mod route;
pub(crate) mod runtime;
mod sandbox;
mod search;
mod selftest;
mod serve;
mod service;
mod shell;
mod stats;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::cli::error::CliError;
use crate::error::exit;
use crate::paths::Paths;

/// pai: a personal AI that lives in the terminal. It runs GGUF models on this machine and
/// reads your files, so answers stay private and know your context.
#[derive(Debug, Parser)]
#[command(name = "pai", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Show llama.cpp's logs and timings on stderr.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Agent(agent::Args),
    Ask(ask::Args),
    Chat(chat::Args),
    Commit(commit::Args),
    #[command(subcommand, hide = true)]
    CommitEval(commit_eval::Command),
    Edit(edit::Args),
    Explain(explain::Args),
    Complete(complete::Args),
    Shell(shell::Args),
    Sandbox(sandbox::Args),
    #[command(subcommand)]
    Hook(hook::Command),
    Context(context::Args),
    Route(route::Args),
    #[command(subcommand)]
    Role(role::Command),
    #[command(subcommand)]
    History(history::Command),
    Audit(audit::Args),
    Stats(stats::Args),
    Search(search::Args),
    Remember(remember::Args),
    #[command(subcommand)]
    Memory(memory::Command),
    Redact(redact::Args),
    #[command(subcommand)]
    Index(index::Command),
    #[command(subcommand)]
    Model(model::Command),
    Learn(learn::Args),
    #[command(subcommand)]
    Config(config::Command),
    Serve(serve::Args),
    #[command(subcommand)]
    Service(service::Command),
    Mcp(mcp::Args),
    Bench(bench::Args),
    Doctor(doctor::Args),
    Completions(completions::Args),
}

/// What every subcommand gets: the folders and the global flags. Nothing here opens a file.
pub struct Ctx {
    pub paths: Paths,
    pub verbose: bool,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are "errors" that print to stdout and succeed.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { 0 });
        }
    };
    if cli.verbose {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_target(false)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .without_time()
            .init();
    }
    let ctx = Ctx {
        paths: Paths::discover(),
        verbose: cli.verbose,
    };
    match run(&ctx, cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(ctx: &Ctx, command: Command) -> Result<(), CliError> {
    // What pai writes holds the user's text; what the user's own programs write is theirs.
    if !matches!(
        command,
        Command::Shell(_)
            | Command::Sandbox(_)
            | Command::Commit(_)
            | Command::CommitEval(_)
            | Command::Hook(_)
    ) {
        crate::paths::keep_private();
    }
    match command {
        Command::Agent(args) => agent::run(ctx, &args),
        Command::Ask(args) => ask::run(ctx, &args),
        Command::Chat(args) => chat::run(ctx, &args),
        Command::Commit(args) => commit::run(ctx, &args),
        Command::CommitEval(cmd) => commit_eval::run(ctx, &cmd),
        Command::Edit(args) => edit::run(ctx, &args),
        Command::Explain(args) => explain::run(ctx, &args),
        Command::Complete(args) => complete::run(ctx, &args),
        Command::Shell(args) => shell::run(ctx, &args),
        Command::Sandbox(args) => sandbox::run(&args),
        Command::Hook(cmd) => hook::run(ctx, &cmd),
        Command::Context(args) => context::run(ctx, &args),
        Command::Route(args) => route::run(ctx, &args),
        Command::Role(cmd) => role::run(ctx, &cmd),
        Command::History(cmd) => history::run(ctx, &cmd),
        Command::Audit(args) => audit::run(ctx, &args),
        Command::Stats(args) => stats::run(ctx, &args),
        Command::Search(args) => search::run(ctx, &args),
        Command::Remember(args) => remember::run(ctx, &args),
        Command::Memory(cmd) => memory::run(ctx, &cmd),
        Command::Redact(args) => redact::run(&args),
        Command::Index(cmd) => index::run(ctx, &cmd),
        Command::Model(cmd) => model::run(ctx, &cmd),
        Command::Learn(args) => learn::run(ctx, &args),
        Command::Config(cmd) => config::run(ctx, &cmd),
        Command::Serve(args) => serve::run(ctx, &args),
        Command::Service(cmd) => service::run(ctx, &cmd),
        Command::Mcp(args) => mcp::run(ctx, &args),
        Command::Bench(args) => bench::run(ctx, &args),
        Command::Doctor(args) => doctor::run(ctx, &args),
        Command::Completions(args) => completions::run(&args),
    }
}

/// The longest error or hint line printed.
const MAX_SHOWN: usize = 2000;

/// Prints an error once, as `pai: sentence` with its hints below.
fn report(e: &CliError) {
    let mut err = std::io::stderr().lock();
    if e.kind == crate::cli::error::ErrorKind::Interrupted && e.hints.is_empty() {
        let _ = writeln!(err, "pai: interrupted");
        return;
    }
    if e.message.is_empty() {
        return;
    }
    // Clipped: a message may quote a setting or a file's text, which can be megabytes long.
    let _ = writeln!(err, "pai: {}", crate::render::clip(&e.message, MAX_SHOWN));
    for hint in &e.hints {
        let _ = writeln!(err, "  hint: {}", crate::render::clip(hint, MAX_SHOWN));
    }
}

/// The clap definition, for completions and man pages.
pub fn command() -> clap::Command {
    Cli::command()
}

/// Every generated file under completions/ and man/, with its content.
pub fn generated_files() -> Vec<(String, Vec<u8>)> {
    let mut files = completions::files();
    files.extend(man_pages());
    files
}

fn man_pages() -> Vec<(String, Vec<u8>)> {
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
        let name = if prefix.is_empty() {
            cmd.get_name().to_string()
        } else {
            format!("{prefix}-{}", cmd.get_name())
        };
        let page = cmd.clone().name(name.clone());
        let mut buf = Vec::new();
        if clap_mangen::Man::new(page).render(&mut buf).is_ok() {
            out.push((format!("man/{name}.1"), buf));
        }
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(sub, &name, out);
        }
    }
    let mut cmd = command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, "", &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_clap_definition_is_consistent() {
        super::command().debug_assert();
    }
}
