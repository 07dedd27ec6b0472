//! `pai route`: which tier would answer, and why, without calling any remote. When the
//! decision rests on the local model's confidence, the local model writes its first tokens
//! (the same number a real request is checked after) and stops there.
use std::io::Write;

use serde_json::json;

use super::oneshot::{self, Options};
use super::prompt::{self, PromptArgs};
use super::runtime::{ModelArgs, RoleArgs, SamplingArgs};
use super::Ctx;
use crate::cli::error::CliError;
use crate::pipeline::tiers::{self, Decision};

/// Explain which tier would answer a request and why, without calling any remote.
///
/// Takes the same prompt, files, stdin and flags as `pai ask`. Prints the tier, the reason and
/// the signals the decision used: the local model's first-token log-probabilities and entropy,
/// how well the index matched, and what the question looks like.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub prompt: PromptArgs,
    /// Print one JSON object: tier, reason, confidence, signals.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub role: RoleArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let role = args.role.load(ctx)?;
    let prompt_args = args.prompt.with_role(role.as_ref());
    let model = args.model.with_role(role.as_ref());
    let request = prompt::read_request(&prompt_args)?;
    let options = Options::as_ask(&model, &args.sampling, &prompt_args, role.as_ref());
    let decision = oneshot::with_env(ctx, |env| tiers::decide(env, &options.ask(), request))?;
    let Decision {
        tier,
        reason,
        endpoint,
        confidence,
        signals,
    } = &decision;
    let value = json!({
        "tier": tier,
        "reason": reason,
        "endpoint": endpoint,
        "confidence": confidence,
        "signals": signals,
    });
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{value}")?;
        return Ok(());
    }
    let target = endpoint
        .as_ref()
        .map(|e| format!(" ({e})"))
        .unwrap_or_default();
    writeln!(out, "{tier}{target}: {reason}")?;
    if let Some(score) = *confidence {
        let t = &signals.tokens;
        writeln!(
            out,
            "confidence {score:.2} from {} local tokens: mean log-probability {:.2}, lowest {:.2}, 10th percentile {:.2}, mean entropy {:.2}",
            t.count, t.mean_logprob, t.min_logprob, t.low_logprob, t.mean_entropy
        )?;
    }
    let r = &signals.retrieval;
    writeln!(
        out,
        "index: {} excerpts, top score {:.2}, margin {:.2}",
        r.excerpts, r.top_score, r.margin
    )?;
    let p = &signals.prompt;
    writeln!(
        out,
        "question: {} characters, {} numbers, arithmetic {}, attached text {}",
        p.chars,
        p.numbers,
        if p.arithmetic { "yes" } else { "no" },
        if p.attached { "yes" } else { "no" }
    )?;
    Ok(())
}
