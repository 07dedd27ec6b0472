//! `pai bench`: pai's own inference speed, measured the way a bare llama.h loop measures it:
//! the raw prompt (no template) read in one pass, then greedy generation of a fixed number of
//! tokens that does not stop at end-of-generation tokens.
use std::io::Write;
use std::path::PathBuf;

use super::Ctx;
use crate::config::Config;
use crate::engine::local::{EngineSettings, LocalEngine};
use crate::engine::{Adapter, Discard, GenerateParams, Sampling};
use crate::error::CliError;
use crate::pipeline::{choose, ChosenModel, Weights};

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
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

const DEFAULT_PROMPT: &str = "Summarize the following notes. ";

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    let config = Config::load(&ctx.paths.config_file())?;
    let prompt = match &args.prompt_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| CliError::user(format!("cannot read {}: {e}", path.display())))?,
        None => {
            DEFAULT_PROMPT.to_string() + &"The quick brown fox jumps over the lazy dog. ".repeat(40)
        }
    };
    let chosen: ChosenModel =
        choose::choose_model(args.model.as_deref(), &config, &ctx.paths.registry_file())?;
    let adapters = choose::adapters(&args.lora, &chosen, &ctx.paths.registry_file())?;
    let loaded = choose::load(
        &chosen,
        args.gpu_layers.or(config.gpu_layers),
        Weights::All,
        ctx.verbose,
    )?;
    let tokens = loaded.model.tokenize_plain(&prompt, true);
    if tokens.is_empty() {
        return Err(CliError::user("the prompt file is empty"));
    }
    let threads = args
        .threads
        .or(config.threads)
        .unwrap_or_else(crate::engine::local::default_threads);
    let needed = tokens.len() as u32 + args.gen + 1;
    let trained = loaded.model.trained_context().max(16);
    if needed > trained {
        return Err(CliError::user(format!(
            "{} prompt tokens and {} generated do not fit the model's {trained}-token context",
            tokens.len(),
            args.gen
        )));
    }
    let settings = EngineSettings {
        window: needed,
        threads,
        keep_context: true,
    };
    let mut engine = LocalEngine::new(&loaded.model, chosen.name.clone(), settings);
    let params = GenerateParams {
        sampling: Sampling::greedy(),
        max_tokens: args.gen,
        stop: Vec::new(),
        stop_at_end_of_text: false,
        grammar: None,
        adapters: Vec::new(),
    };
    let g = engine
        .generate_tokens(
            &tokens,
            &params,
            &crate::cancel::interrupt_token(),
            &mut Discard,
        )
        .map_err(crate::pipeline::engine_error)?;
    let switches = time_switches(&mut engine, &adapters)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({
            "model": chosen.name,
            "threads": threads,
            "load_s": g_round(loaded.load_ms / 1000.0, 3),
            "prompt_tokens": g.prompt_tokens,
            "pp_tps": g_round(g.prompt_tps(), 1),
            "gen_tokens": g.generated_tokens,
            "tg_tps": g_round(g.generation_tps(), 1),
            "gpu_build": crate::engine::local::GPU_BUILD,
        });
        let mut value = value;
        if let Some(t) = &switches {
            value["adapter_first_ms"] = serde_json::json!(g_round(t.first_ms, 3));
            value["adapter_switch_ms"] = serde_json::json!(g_round(t.switch_ms, 3));
        }
        writeln!(out, "{value}")?;
    } else {
        writeln!(
            out,
            "load_s {:.3} pp_tokens {} pp_tps {:.1} tg_tokens {} tg_tps {:.1}",
            loaded.load_ms / 1000.0,
            g.prompt_tokens,
            g.prompt_tps(),
            g.generated_tokens,
            g.generation_tps()
        )?;
        if let Some(t) = &switches {
            writeln!(
                out,
                "adapter_first_ms {:.3} adapter_switch_ms {:.3}",
                t.first_ms, t.switch_ms
            )?;
        }
    }
    Ok(())
}

/// The slowest adapter switch of each kind, in ms.
struct Switches {
    /// To an adapter whose file is read now.
    first_ms: f64,
    /// To an adapter loaded before, after a switch to none; and to all of them at once.
    switch_ms: f64,
}

/// Switches to each adapter (its file read), to none, to each again (already loaded), then
/// to all together, timing each switch. None when there are no adapters.
fn time_switches(
    engine: &mut LocalEngine,
    adapters: &[Adapter],
) -> Result<Option<Switches>, CliError> {
    if adapters.is_empty() {
        return Ok(None);
    }
    let mut timed = |set: &[Adapter]| -> Result<f64, CliError> {
        let started = std::time::Instant::now();
        engine
            .set_adapters(set)
            .map_err(crate::pipeline::engine_error)?;
        Ok(started.elapsed().as_secs_f64() * 1000.0)
    };
    let mut first_ms = 0f64;
    for adapter in adapters {
        first_ms = first_ms.max(timed(std::slice::from_ref(adapter))?);
    }
    let mut switch_ms = timed(&[])?;
    for adapter in adapters {
        switch_ms = switch_ms.max(timed(std::slice::from_ref(adapter))?);
    }
    switch_ms = switch_ms.max(timed(adapters)?);
    Ok(Some(Switches {
        first_ms,
        switch_ms,
    }))
}

fn g_round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}
