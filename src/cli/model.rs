//! `pai model …`: the registry of GGUF files. `list` reads only the registry, so it is instant.
use std::io::Write;
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use super::Ctx;
use crate::cli::error::CliError;
use crate::config::{Config, EndpointConfig};
use crate::gguf::human_parameters;
use crate::models::adapter::AdapterEntry;
use crate::models::registry::{check_file, check_name, name_from_path};
use crate::models::{pull, ModelEntry, Registry};

/// Manage the registry of GGUF models.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add(AddArgs),
    List(ListArgs),
    Info(NameArg),
    Default(NameArg),
    Rm(NameArg),
    Pull(PullArgs),
    Search(super::catalog::SearchArgs),
}

/// Register a GGUF file that is already on disk (it is not copied): a model, or with
/// --adapter a LoRA adapter for `--lora NAME`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("file").required(true).args(["path", "adapter"])))]
pub struct AddArgs {
    /// The model's .gguf file.
    pub path: Option<PathBuf>,
    /// A LoRA adapter's .gguf file instead of a model (checked against a model when used).
    #[arg(long, value_name = "FILE")]
    pub adapter: Option<PathBuf>,
    /// The name to use with --model or --lora (default: the file name without .gguf).
    #[arg(long)]
    pub name: Option<String>,
}

/// List the registered models with what their headers say.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// A registered model's name.
#[derive(Debug, clap::Args)]
pub struct NameArg {
    /// The model's name, as `pai model list` shows it.
    pub name: String,
}

/// Download a GGUF file over HTTP(S), resuming an interrupted download, and register it: a
/// name from the catalog (`pai model search`) or a URL.
#[derive(Debug, clap::Args)]
pub struct PullArgs {
    /// A name from `pai model search`, or the URL of a .gguf file.
    #[arg(value_name = "NAME|URL")]
    pub url: String,
    /// Refuse the file unless its sha256 is this (64 hex digits).
    #[arg(long, value_name = "HEX")]
    pub sha256: Option<String>,
    /// The name to use with --model (default: the file name without .gguf).
    #[arg(long)]
    pub name: Option<String>,
}

pub fn run(ctx: &Ctx, command: &Command) -> Result<(), CliError> {
    let file = ctx.paths.registry_file();
    match command {
        Command::Add(args) => add(&file, args),
        Command::List(args) => list(&Registry::open(&file)?, &endpoints(ctx), args.json),
        Command::Info(args) => info(&Registry::open(&file)?, &args.name),
        Command::Default(args) => set_default(ctx, &args.name),
        Command::Rm(args) => remove(ctx, &args.name),
        Command::Pull(args) => pull_model(ctx, args),
        Command::Search(args) => super::catalog::search(ctx, args),
    }
}

fn add(file: &std::path::Path, args: &AddArgs) -> Result<(), CliError> {
    let model = match (&args.path, &args.adapter) {
        (Some(path), _) => path,
        (None, Some(adapter)) => return add_adapter(file, adapter, args.name.as_deref()),
        (None, None) => return Err(CliError::user("name a model file, or --adapter FILE")),
    };
    let info = check_file(model)?;
    let path = std::fs::canonicalize(model)?;
    let name = args.name.clone().unwrap_or_else(|| name_from_path(&path));
    check_name(&name)?;
    let mut registry = Registry::open(file)?;
    if registry.adapter(&name).is_some() {
        return Err(taken(&name, "an adapter"));
    }
    registry.insert(ModelEntry::from_header(&name, &path, &info));
    registry.save()?;
    let default = registry.default.as_deref() == Some(name.as_str());
    eprintln!(
        "pai: added {name} ({}, {} parameters, {}){}",
        info.architecture(),
        human_parameters(info.parameters),
        info.quantization(),
        if default { ", the default model" } else { "" }
    );
    Ok(())
}

/// `model add --adapter FILE`: the header checked and its facts kept; which model it fits is
/// checked each time it is used.
fn add_adapter(file: &std::path::Path, adapter: &Path, name: Option<&str>) -> Result<(), CliError> {
    let facts = crate::models::adapter::check_file(adapter, None)?;
    let size = std::fs::metadata(adapter)?.len();
    let path = std::fs::canonicalize(adapter)?;
    let name = name.map_or_else(|| name_from_path(&path), str::to_string);
    check_name(&name)?;
    let mut registry = Registry::open(file)?;
    if registry.get(&name).is_some() {
        return Err(taken(&name, "a model"));
    }
    let entry = AdapterEntry::new(&name, &path, facts, size);
    eprintln!(
        "pai: added the LoRA adapter {name} (for {}, rank {}, on {}, {})",
        crate::render::sanitize_line(&entry.architecture),
        entry.rank,
        entry.targets.join(" "),
        human_size(size)
    );
    registry.insert_adapter(entry);
    Ok(registry.save()?)
}

fn taken(name: &str, by: &str) -> CliError {
    CliError::user(format!("the name '{name}' is already {by}'s"))
        .hint("choose another with --name, or remove the other with `pai model rm NAME`")
}

/// The endpoints in config.toml; a broken config.toml costs the list of endpoints, not the
/// list of models (and no server is asked anything).
fn endpoints(ctx: &Ctx) -> BTreeMap<String, EndpointConfig> {
    match Config::load(&ctx.paths.config_file()) {
        Ok(c) => c.endpoints,
        Err(e) => {
            eprintln!(
                "pai: endpoints not listed: {}",
                crate::render::sanitize_line(&e.message)
            );
            BTreeMap::new()
        }
    }
}

fn list(
    registry: &Registry,
    endpoints: &BTreeMap<String, EndpointConfig>,
    json: bool,
) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    if json {
        let mut entries: Vec<serde_json::Value> = registry
            .models
            .iter()
            .map(|m| {
                let mut v = serde_json::to_value(m).unwrap_or_default();
                v["default"] = (registry.default.as_deref() == Some(m.name.as_str())).into();
                v["kind"] = "local".into();
                v
            })
            .collect();
        entries.extend(registry.adapters.iter().map(|a| {
            let mut v = serde_json::to_value(a).unwrap_or_default();
            v["kind"] = "adapter".into();
            v
        }));
        entries.extend(endpoints.iter().map(|(name, e)| {
            serde_json::json!({
                "kind": "endpoint",
                "name": name,
                "url": e.url,
                "model": e.model,
                "window": e.window,
                "timeout_s": e.timeout_s,
            })
        }));
        writeln!(out, "{}", serde_json::Value::Array(entries))?;
        return Ok(());
    }
    if !endpoints.is_empty() {
        list_endpoints(&mut out, endpoints)?;
    }
    if registry.models.is_empty() {
        eprintln!(
            "pai: no models registered; add one with `pai model add PATH` or `pai model pull URL`"
        );
    } else {
        list_models(&mut out, registry)?;
    }
    if !registry.adapters.is_empty() {
        list_adapters(&mut out, &registry.adapters)?;
    }
    Ok(())
}

fn list_models(out: &mut impl Write, registry: &Registry) -> Result<(), CliError> {
    writeln!(
        out,
        "  {:<28} {:<10} {:>7} {:<8} {:>8} {:>9} TEMPLATE",
        "NAME", "ARCH", "PARAMS", "QUANT", "CONTEXT", "SIZE"
    )?;
    for m in &registry.models {
        let mark = if registry.default.as_deref() == Some(m.name.as_str()) {
            "*"
        } else {
            " "
        };
        writeln!(
            out,
            "{mark} {:<28} {:<10} {:>7} {:<8} {:>8} {:>9} {}",
            m.name,
            m.architecture,
            human_parameters(m.parameters),
            m.quantization,
            m.context_length
                .map(|c| c.to_string())
                .unwrap_or_else(|| "?".into()),
            human_size(m.file_size),
            if m.chat_template { "yes" } else { "no" }
        )?;
    }
    Ok(())
}

/// Adapters last, in a table of their own: they are no models to run on their own.
fn list_adapters(out: &mut impl Write, adapters: &[AdapterEntry]) -> Result<(), CliError> {
    writeln!(out)?;
    writeln!(
        out,
        "  {:<28} {:<10} {:>7} {:<24} {:>9}",
        "ADAPTER (--lora)", "FOR ARCH", "RANK", "TARGETS", "SIZE"
    )?;
    for a in adapters {
        writeln!(
            out,
            "  {:<28} {:<10} {:>7} {:<24} {:>9}",
            a.name,
            crate::render::sanitize_line(&a.architecture),
            a.rank,
            a.targets.join(","),
            human_size(a.file_size)
        )?;
    }
    Ok(())
}

/// Endpoints first: they are few, and a table of models may follow.
fn list_endpoints(
    out: &mut impl Write,
    endpoints: &BTreeMap<String, EndpointConfig>,
) -> Result<(), CliError> {
    writeln!(out, "  {:<28} {:<30} URL", "ENDPOINT (--endpoint)", "MODEL")?;
    for (name, e) in endpoints {
        writeln!(
            out,
            "  {:<28} {:<30} {}",
            crate::render::sanitize_line(name),
            crate::render::sanitize_line(&e.model),
            crate::render::sanitize_line(&e.url)
        )?;
    }
    writeln!(out)?;
    Ok(())
}

fn info(registry: &Registry, name: &str) -> Result<(), CliError> {
    let entry = registry.get(name).ok_or_else(|| unknown(registry, name))?;
    let header = check_file(&entry.path)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "name:          {}", entry.name)?;
    writeln!(out, "path:          {}", entry.path.display())?;
    if let Some(n) = header.name() {
        writeln!(out, "model:         {}", crate::render::sanitize_line(n))?;
    }
    writeln!(out, "architecture:  {}", header.architecture())?;
    writeln!(
        out,
        "parameters:    {} ({})",
        human_parameters(header.parameters),
        header.parameters
    )?;
    writeln!(out, "quantization:  {}", header.quantization())?;
    let ctx = header
        .context_length()
        .map(|c| c.to_string())
        .unwrap_or_else(|| "unknown".into());
    writeln!(out, "context:       {ctx} tokens (trained)")?;
    writeln!(
        out,
        "file size:     {} ({} bytes)",
        human_size(header.file_size),
        header.file_size
    )?;
    writeln!(
        out,
        "gguf:          version {}, {} tensors",
        header.version, header.tensor_count
    )?;
    let template = if header.chat_template().is_some() {
        "yes"
    } else {
        "no (prompts are sent as plain text)"
    };
    writeln!(out, "chat template: {template}")?;
    if let Some(sum) = &entry.sha256 {
        writeln!(out, "sha256:        {sum}")?;
    }
    writeln!(
        out,
        "default:       {}",
        if registry.default.as_deref() == Some(name) {
            "yes"
        } else {
            "no"
        }
    )?;
    Ok(())
}

fn set_default(ctx: &Ctx, name: &str) -> Result<(), CliError> {
    let mut registry = Registry::open(&ctx.paths.registry_file())?;
    if registry.get(name).is_none() {
        return Err(unknown(&registry, name));
    }
    registry.default = Some(name.to_string());
    registry.save()?;
    eprintln!("pai: {name} is the default model");
    let config = crate::config::Config::load(&ctx.paths.config_file())?;
    if let Some(pinned) = config.model.filter(|m| m != name) {
        eprintln!(
            "pai: note: PAI_MODEL or config.toml names '{pinned}', which still takes precedence"
        );
    }
    Ok(())
}

fn remove(ctx: &Ctx, name: &str) -> Result<(), CliError> {
    let mut registry = Registry::open(&ctx.paths.registry_file())?;
    if let Some(adapter) = registry.remove_adapter(name) {
        registry.save()?;
        eprintln!(
            "pai: removed the adapter {name}; the file {} is left where it is",
            adapter.path.display()
        );
        return Ok(());
    }
    let entry = registry
        .remove(name)
        .ok_or_else(|| unknown(&registry, name))?;
    registry.save()?;
    // Only files pai downloaded into its own folder are pai's to delete.
    if entry.downloaded && entry.path.starts_with(ctx.paths.models_dir()) {
        std::fs::remove_file(&entry.path).ok();
        eprintln!("pai: removed {name} and deleted {}", entry.path.display());
    } else {
        eprintln!(
            "pai: removed {name}; the file {} is left where it is",
            entry.path.display()
        );
    }
    Ok(())
}

fn pull_model(ctx: &Ctx, args: &PullArgs) -> Result<(), CliError> {
    if let Some(sum) = &args.sha256 {
        if sum.len() != 64 || !sum.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(CliError::user("--sha256 takes 64 hexadecimal digits"));
        }
    }
    if let Some(name) = &args.name {
        check_name(name)?;
    }
    let (url, sha256, catalog_name) = if args.url.contains("://") {
        (args.url.clone(), args.sha256.clone(), None)
    } else {
        let found = super::catalog::resolve(ctx, &args.url)?;
        let sha256 = args.sha256.clone().or(found.sha256);
        (found.url, sha256, Some(found.name))
    };
    let cancel = crate::cancel::interrupt_token();
    let mut progress = PullProgress::Waiting;
    let download = pull::fetch(
        &url,
        &ctx.paths.models_dir(),
        sha256.as_deref(),
        &cancel,
        &mut progress,
    )?;
    let info = match check_file(&download.path) {
        Ok(info) => info,
        Err(e) => {
            // Not a model after all: leave nothing registered and nothing half-named.
            std::fs::remove_file(&download.path).ok();
            return Err(e.into());
        }
    };
    let name = args
        .name
        .clone()
        .or(catalog_name)
        .unwrap_or_else(|| name_from_path(&download.path));
    check_name(&name)?;
    let mut registry = Registry::open(&ctx.paths.registry_file())?;
    let mut entry = ModelEntry::from_header(&name, &download.path, &info);
    entry.downloaded = true;
    entry.sha256 = Some(download.sha256);
    registry.insert(entry);
    registry.save()?;
    eprintln!(
        "pai: pulled {name} ({}, {})",
        info.architecture(),
        human_size(info.file_size)
    );
    Ok(())
}

/// A download's progress: a bar on a terminal; elsewhere (a log, a test) a line on stderr at
/// every quarter.
enum PullProgress {
    /// No byte has arrived yet.
    Waiting,
    Bar(indicatif::ProgressBar),
    Lines {
        total: Option<u64>,
        next: u64,
    },
}

impl pull::Progress for PullProgress {
    fn begin(&mut self, total: Option<u64>, start: u64) {
        use std::io::IsTerminal;
        if std::io::stderr().is_terminal() {
            *self = PullProgress::Bar(progress_bar(total, start));
        } else {
            *self = PullProgress::Lines { total, next: 0 };
            self.advance(start);
        }
    }

    fn advance(&mut self, received: u64) {
        match self {
            PullProgress::Waiting => {}
            PullProgress::Bar(bar) => bar.set_position(received),
            PullProgress::Lines { total, next } => {
                if received < *next {
                    return;
                }
                let step = total.map_or(16 << 20, |t| (t / 4).max(1));
                *next = (received / step + 1) * step;
                let of = total.map(|t| format!(" of {:.1} MB", t as f64 / 1e6));
                eprintln!(
                    "pai: downloaded {:.1} MB{}",
                    received as f64 / 1e6,
                    of.unwrap_or_default()
                );
            }
        }
    }

    fn abandon(&mut self) {
        if let PullProgress::Bar(bar) = self {
            bar.abandon();
        }
    }

    fn finish(&mut self) {
        if let PullProgress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

fn progress_bar(total: Option<u64>, start: u64) -> indicatif::ProgressBar {
    let bar = match total {
        Some(total) => indicatif::ProgressBar::new(total),
        None => indicatif::ProgressBar::new_spinner(),
    };
    let style = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_position(start);
    bar
}

fn unknown(registry: &Registry, name: &str) -> CliError {
    CliError::user(format!(
        "there is no model named '{}' (registered: {})",
        crate::render::sanitize_line(name),
        registry.names()
    ))
    .hint("see `pai model list`")
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.0} {}", UNITS[unit])
}
