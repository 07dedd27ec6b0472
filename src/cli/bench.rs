//! `pai bench`: pai's own inference speed, measured the way a bare llama.h loop measures it:
//! the raw prompt (no template) read in one pass, then greedy generation of a fixed number of
//! tokens that does not stop at end-of-generation tokens.
use std::io::Write;
use std::path::PathBuf;

use super::Ctx;
use crate::cli::error::CliError;
use crate::pipeline::bench::{self, Measured, Spec};

/// Measure load time, prompt processing and generation speed on this machine.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model: a registered name or a path (default: the default model).
    #[arg(short, long, value_name = "NAME|PATH")]
    pub model: Option<String>,
    /// A text file whose content is the prompt, as it is (default: a built-in 400-token text).
    #[arg(long, value_name = "FILE")]
    pub prompt_file: Option<PathBuf>,
    /// Tokens to generate.
    #[arg(long, value_name = "N", default_value_t = 128)]
    pub gen: u32,
    /// Threads (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Layers to offload to the GPU (default: all on a GPU build, else 0).
    #[arg(long, value_name = "N")]
    pub gpu_layers: Option<u32>,
    /// Also time switching to this LoRA adapter on the loaded model, first when its file is
    /// read and again once it is loaded (repeatable; the base model is never loaded again).
    #[arg(long, value_name = "PATH[:SCALE]", value_parser = super::runtime::parse_lora)]
    pub lora: Vec<(String, f32)>,
    /// Also generate with prompt-lookup drafts (`[speculation]` in config.toml), after a
    /// plain run, both greedy to the end of the answer (at most --gen tokens): reports
    /// drafted and accepted tokens, both speeds, and whether the outputs are the same.
    #[arg(long)]
    pub spec: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

const DEFAULT_PROMPT: &str = "Summarize the following notes. ";

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let prompt = match &args.prompt_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| CliError::user(format!("cannot read {}: {e}", path.display())))?,
        None => {
            DEFAULT_PROMPT.to_string() + &"The quick brown fox jumps over the lazy dog. ".repeat(40)
        }
    };
    let spec = Spec {
        model: args.model.as_deref(),
        prompt: &prompt,
        gen: args.gen,
        threads: args.threads,
        gpu_layers: args.gpu_layers,
        lora: &args.lora,
        speculate: args.spec,
    };
    let m = bench::measure(
        &ctx.paths.config_file(),
        &ctx.paths.registry_file(),
        &spec,
        ctx.verbose,
    )?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", json_of(&m))?;
        return Ok(());
    }
    let g = &m.generation;
    writeln!(
        out,
        "load_s {:.3} pp_tokens {} pp_tps {:.1} tg_tokens {} tg_tps {:.1}",
        m.load_ms / 1000.0,
        g.prompt_tokens,
        g.prompt_tps(),
        g.generated_tokens,
        g.generation_tps()
    )?;
    if let Some(s) = &m.speculative {
        let g = &s.generation;
        writeln!(
            out,
            "spec_tg_tokens {} spec_tg_tps {:.1} drafted {} accepted {} same_output {} first_difference {}",
            g.generated_tokens,
            g.generation_tps(),
            g.speculation.drafted,
            g.speculation.accepted,
            s.same_output,
            s.first_difference.map_or("none".into(), |c| c.to_string())
        )?;
    }
    if let Some(t) = &m.switches {
        writeln!(
            out,
            "adapter_first_ms {:.3} adapter_switch_ms {:.3}",
            t.first_ms, t.switch_ms
        )?;
    }
    Ok(())
}

fn json_of(m: &Measured) -> serde_json::Value {
    let g = &m.generation;
    let mut value = serde_json::json!({
        "model": m.model,
        "threads": m.threads,
        "load_s": g_round(m.load_ms / 1000.0, 3),
        "prompt_tokens": g.prompt_tokens,
        "pp_tps": g_round(g.prompt_tps(), 1),
        "gen_tokens": g.generated_tokens,
        "tg_tps": g_round(g.generation_tps(), 1),
        "gpu_build": m.gpu_build,
    });
    if let Some(s) = &m.speculative {
        let g = &s.generation;
        value["spec_gen_tokens"] = serde_json::json!(g.generated_tokens);
        value["spec_tg_tps"] = serde_json::json!(g_round(g.generation_tps(), 1));
        value["drafted"] = serde_json::json!(g.speculation.drafted);
        value["accepted"] = serde_json::json!(g.speculation.accepted);
        value["same_output"] = serde_json::json!(s.same_output);
        value["first_difference"] = serde_json::json!(s.first_difference);
    }
    if let Some(t) = &m.switches {
        value["adapter_first_ms"] = serde_json::json!(g_round(t.first_ms, 3));
        value["adapter_switch_ms"] = serde_json::json!(g_round(t.switch_ms, 3));
    }
    value
}

fn g_round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}
