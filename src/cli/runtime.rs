//! What the commands that run a model share: the generation flags, choosing the model from
//! flag, environment, config and registry, and loading it after its header checks out.
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::Config;
use crate::engine::local::{LoadOptions, LocalModel};
use crate::engine::Sampling;
use crate::error::CliError;
use crate::models::registry::check_file;
use crate::models::Registry;

/// Flags for the model and how it runs; unset ones come from config.toml.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ModelArgs {
    /// The model: a name from `pai model list` or a path to a GGUF file [env: PAI_MODEL].
    #[arg(short, long, value_name = "NAME|PATH")]
    pub model: Option<String>,
    /// Context window in tokens (default: what the request needs, up to the model's trained length).
    #[arg(long, value_name = "N")]
    pub ctx: Option<u32>,
    /// Threads for prompt processing and generation (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Layers to offload to the GPU (default: all on a GPU build, else 0).
    #[arg(long, value_name = "N")]
    pub gpu_layers: Option<u32>,
}

/// Sampling flags; unset ones come from config.toml.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SamplingArgs {
    /// The most tokens to generate.
    #[arg(short = 'n', long, value_name = "N")]
    pub max_tokens: Option<u32>,
    /// Temperature; 0 always picks the most likely token.
    #[arg(long, value_name = "T")]
    pub temp: Option<f32>,
    /// Keep only the K most likely tokens (0: off).
    #[arg(long, value_name = "K")]
    pub top_k: Option<i32>,
    /// Keep the most likely tokens up to probability P (1: off).
    #[arg(long, value_name = "P")]
    pub top_p: Option<f32>,
    /// Drop tokens less likely than P times the most likely one (0: off).
    #[arg(long, value_name = "P")]
    pub min_p: Option<f32>,
    /// Penalty for repeating recent tokens (1: off).
    #[arg(long, value_name = "X")]
    pub repeat_penalty: Option<f32>,
    /// Seed for sampling; the same seed and input give the same answer.
    #[arg(long, value_name = "S")]
    pub seed: Option<u32>,
    /// Stop when the model writes this text, which is not printed (repeatable).
    #[arg(long, value_name = "STR")]
    pub stop: Vec<String>,
}

impl SamplingArgs {
    pub fn resolve(&self, config: &Config) -> Result<(Sampling, u32), CliError> {
        let c = &config.sampling;
        let sampling = Sampling {
            temp: self.temp.unwrap_or(c.temp),
            top_k: self.top_k.unwrap_or(c.top_k),
            top_p: self.top_p.unwrap_or(c.top_p),
            min_p: self.min_p.unwrap_or(c.min_p),
            repeat_penalty: self.repeat_penalty.unwrap_or(c.repeat_penalty),
            seed: self.seed.or(c.seed).unwrap_or_else(random_seed),
        };
        let checks = [
            (
                sampling.temp.is_finite() && sampling.temp >= 0.0,
                "--temp must be 0 or more",
            ),
            (
                (0.0..=1.0).contains(&sampling.top_p),
                "--top-p must be between 0 and 1",
            ),
            (
                (0.0..=1.0).contains(&sampling.min_p),
                "--min-p must be between 0 and 1",
            ),
            (
                sampling.repeat_penalty.is_finite() && sampling.repeat_penalty > 0.0,
                "--repeat-penalty must be more than 0",
            ),
        ];
        if let Some((_, why)) = checks.iter().find(|(ok, _)| !ok) {
            return Err(CliError::user(*why));
        }
        Ok((sampling, self.max_tokens.unwrap_or(c.max_tokens)))
    }
}

fn random_seed() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    nanos ^ std::process::id().rotate_left(16)
}

/// A model chosen for a run: its display name and file.
pub struct ChosenModel {
    pub name: String,
    pub path: PathBuf,
}

/// Flag first, then PAI_MODEL or config.toml (Config::load merges those), then the registry's default.
pub fn choose_model(
    flag: Option<&str>,
    config: &Config,
    registry_file: &Path,
) -> Result<ChosenModel, CliError> {
    let spec = flag.or(config.model.as_deref());
    let registry = Registry::open(registry_file)?;
    let Some(spec) = spec else {
        return match registry.default_entry() {
            Some(entry) => Ok(ChosenModel {
                name: entry.name.clone(),
                path: entry.path.clone(),
            }),
            None => Err(no_default_model(&registry)),
        };
    };
    if let Some(entry) = registry.get(spec) {
        return Ok(ChosenModel {
            name: entry.name.clone(),
            path: entry.path.clone(),
        });
    }
    let path = PathBuf::from(spec);
    if looks_like_path(spec) || path.exists() {
        return Ok(ChosenModel {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| spec.to_string()),
            path,
        });
    }
    Err(CliError::user(format!(
        "there is no model named '{spec}' (registered: {})",
        registry.names()
    ))
    .hint("register a file with `pai model add PATH --name NAME`, or pass a path to a .gguf file"))
}

fn looks_like_path(spec: &str) -> bool {
    spec.contains('/') || spec.contains('\\') || spec.ends_with(".gguf")
}

fn no_default_model(registry: &Registry) -> CliError {
    let err = CliError::user("no model is chosen and there is no default model");
    if registry.models.is_empty() {
        err.hint("fetch the default model with `scripts/fetch-models.sh` (see the README), then `pai model add PATH`")
            .hint("or download one with `pai model pull URL`")
    } else {
        err.hint(format!(
            "pick one of {} with `pai model default NAME`, or pass --model",
            registry.names()
        ))
    }
}

pub struct Loaded {
    pub model: LocalModel,
    pub load_ms: f64,
    /// From the GGUF header, which a vocabulary-only load does not read into the model.
    pub trained_context: u32,
}

/// How much of the model a command needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// Everything, to generate.
    All,
    /// The tokenizer and template only, to count tokens.
    VocabOnly,
}

/// Checks the file's header in Rust, then hands it to llama.cpp.
pub fn load(
    chosen: &ChosenModel,
    gpu_layers: Option<u32>,
    weights: Weights,
    verbose: bool,
) -> Result<Loaded, CliError> {
    let header = check_file(&chosen.path)?;
    let started = Instant::now();
    let options = LoadOptions {
        gpu_layers,
        vocab_only: weights == Weights::VocabOnly,
        verbose,
    };
    let model = LocalModel::load(&chosen.path, &options).map_err(|e| {
        CliError::user(e.to_string()).hint("run `pai doctor` to check the model files")
    })?;
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let trained_context = header
        .context_length()
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or_else(|| model.trained_context());
    Ok(Loaded {
        model,
        load_ms,
        trained_context,
    })
}

/// Threads: the flag, config.toml, then every core llama.cpp may use.
pub fn threads(flag: Option<u32>, config: &Config) -> u32 {
    flag.or(config.threads).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get() as u32)
            .unwrap_or(4)
    })
}
