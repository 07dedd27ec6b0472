//! Which model runs: the flag, then PAI_MODEL or config.toml, then the registry's default;
//! and loading it once its header checks out in Rust.
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::{Config, EndpointConfig};
use crate::engine::local::{LoadOptions, LocalModel};
use crate::engine::remote::RemoteEngine;
use crate::engine::Adapter;
use crate::error::Error;
use crate::models::adapter;
use crate::models::registry::check_file;
use crate::models::Registry;
use crate::router::Tier;

/// A model chosen for a run: its display name and file.
#[derive(Debug, Clone)]
pub struct ChosenModel {
    pub name: String,
    pub path: PathBuf,
    /// Adapters the registered entry always applies (a `pai learn` result).
    pub lora: Vec<PathBuf>,
}

impl ChosenModel {
    /// The entry's own adapters at full scale (checked when they were registered).
    pub fn own_adapters(&self) -> Vec<Adapter> {
        self.lora
            .iter()
            .map(|path| Adapter {
                path: path.clone(),
                scale: 1.0,
            })
            .collect()
    }

    fn of(entry: &crate::models::registry::ModelEntry) -> Self {
        Self {
            name: entry.name.clone(),
            path: entry.path.clone(),
            lora: entry.lora.clone(),
        }
    }
}

/// What answers: a local model, or a named OpenAI-compatible endpoint from config.toml.
#[derive(Debug, Clone)]
pub enum Target {
    Local(ChosenModel),
    Remote {
        name: String,
        endpoint: EndpointConfig,
        /// The router's tier it stands for, for the audit log.
        tier: Tier,
        /// Why it answers: `--tier medium`, `--endpoint NAME`.
        reason: String,
        /// Asked for as a tier (`--tier`, a role's tier), not by endpoint name: the router's
        /// rules for an explicit tier apply to each request (its budget, secrets that cannot
        /// be taken out), as they do for `ask --tier`.
        by_tier: bool,
    },
}

impl Target {
    /// How the target is shown: the model's name, or `endpoint (model)`.
    pub fn label(&self) -> String {
        match self {
            Target::Local(chosen) => chosen.name.clone(),
            Target::Remote {
                name,
                endpoint,
                tier,
                ..
            } => format!("{name} ({}, {tier} tier)", endpoint.model),
        }
    }
}

/// `--endpoint NAME` or `--tier medium|large` when given, else the local model as
/// [`choose_model`] picks it.
pub fn choose_target(
    endpoint: Option<&str>,
    tier: Option<Tier>,
    model: Option<&str>,
    config: &Config,
    registry_file: &Path,
) -> Result<Target, Error> {
    let (name, tier, reason) = match (endpoint, tier) {
        (Some(name), _) => (
            name,
            crate::router::outbound::Outbound::tier_of(name, config),
            format!("--endpoint {name}"),
        ),
        (None, Some(tier)) if tier != Tier::Local => {
            let name = crate::router::policy::endpoint_of(tier, config).ok_or_else(|| {
                Error::user(format!(
                    "--tier {tier} is not configured under [tiers] in config.toml"
                ))
                .hint("name an [endpoints.NAME] table as `medium = \"NAME\"` under [tiers] (docs/serve.md)")
            })?;
            (name, tier, format!("--tier {tier}"))
        }
        _ => return choose_model(model, config, registry_file).map(Target::Local),
    };
    Ok(Target::Remote {
        name: name.to_string(),
        endpoint: endpoint_config(name, config)?.clone(),
        tier,
        reason,
        by_tier: endpoint.is_none(),
    })
}

/// The `[endpoints.NAME]` table, or an error listing the configured names.
pub fn endpoint_config<'c>(name: &str, config: &'c Config) -> Result<&'c EndpointConfig, Error> {
    config.endpoints.get(name).ok_or_else(|| {
        let known: Vec<&str> = config.endpoints.keys().map(String::as_str).collect();
        let listed = if known.is_empty() {
            "none is configured".to_string()
        } else {
            format!("configured: {}", known.join(", "))
        };
        Error::user(format!("there is no endpoint named '{name}' ({listed})")).hint(format!(
            "add an [endpoints.{name}] table with url and model to config.toml (`pai config path`); docs/serve.md has recipes"
        ))
    })
}

/// The engine for a named endpoint; its API key is read now.
pub fn remote_engine(name: &str, endpoint: &EndpointConfig) -> Result<RemoteEngine, Error> {
    RemoteEngine::new(name, endpoint).map_err(|e| {
        Error::user(e.to_string()).hint(format!(
            "see [endpoints.{name}] in config.toml (`pai config path`)"
        ))
    })
}

/// Flag first, then PAI_MODEL or config.toml (Config::load merges those), then the registry's default.
pub fn choose_model(
    flag: Option<&str>,
    config: &Config,
    registry_file: &Path,
) -> Result<ChosenModel, Error> {
    let spec = flag.or(config.model.as_deref());
    let registry = Registry::open(registry_file)?;
    let Some(spec) = spec else {
        return match registry.default_entry() {
            Some(entry) => Ok(ChosenModel::of(entry)),
            None => Err(no_default_model(&registry)),
        };
    };
    if let Some(entry) = registry.get(spec) {
        return Ok(ChosenModel::of(entry));
    }
    let path = PathBuf::from(spec);
    if looks_like_path(spec) || path.exists() {
        return Ok(ChosenModel {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| spec.to_string()),
            path,
            lora: Vec::new(),
        });
    }
    Err(Error::user(format!(
        "there is no model named '{}' (registered: {})",
        crate::render::clip(spec, 200),
        registry.names()
    ))
    .hint("register a file with `pai model add PATH --name NAME`, or pass a path to a .gguf file"))
}

fn looks_like_path(spec: &str) -> bool {
    spec.contains('/') || spec.contains('\\') || spec.ends_with(".gguf")
}

fn no_default_model(registry: &Registry) -> Error {
    let err = Error::user("no model is chosen and there is no default model");
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

/// The chosen model's own adapters, then the ones asked for, each a registered name or a
/// path, checked in Rust against the model's header before llama.cpp reads them. Reads
/// nothing when there are none.
pub fn adapters(
    specs: &[(String, f32)],
    model: &ChosenModel,
    registry_file: &Path,
) -> Result<Vec<Adapter>, Error> {
    let own = model
        .lora
        .iter()
        .map(|p| (p.to_string_lossy().into_owned(), 1.0));
    let specs: Vec<(String, f32)> = own.chain(specs.iter().cloned()).collect();
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let registry = Registry::open(registry_file)?;
    let base = check_file(&model.path)?;
    specs
        .iter()
        .map(|(spec, scale)| {
            let path = match registry.adapter(spec) {
                Some(entry) => entry.path.clone(),
                None if Path::new(spec).exists() || looks_like_path(spec) => PathBuf::from(spec),
                None => return Err(no_adapter(spec, &registry)),
            };
            if !scale.is_finite() {
                return Err(Error::user(format!(
                    "the scale of the adapter {} must be a number",
                    crate::render::sanitize_line(spec)
                )));
            }
            adapter::check_file(&path, Some(&base))?;
            crate::models::firstload::ensure(&path, Some(&model.path))
                .map_err(|e| Error::user(e.to_string()).hint(crate::models::firstload::HINT))?;
            Ok(Adapter {
                path,
                scale: *scale,
            })
        })
        .collect()
}

fn no_adapter(spec: &str, registry: &Registry) -> Error {
    let names: Vec<&str> = registry.adapters.iter().map(|a| a.name.as_str()).collect();
    let listed = if names.is_empty() {
        "none is registered".to_string()
    } else {
        format!("registered: {}", names.join(", "))
    };
    Error::user(format!(
        "there is no adapter named '{}' and no such file ({listed})",
        crate::render::clip(spec, 200)
    ))
    .hint("register one with `pai model add --adapter FILE --name NAME`, or pass a path")
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
) -> Result<Loaded, Error> {
    let header = check_file(&chosen.path)?;
    let started = Instant::now();
    let options = LoadOptions {
        gpu_layers,
        vocab_only: weights == Weights::VocabOnly,
        verbose,
    };
    let model = LocalModel::load(&chosen.path, &options).map_err(super::engine_error)?;
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
