//! `pai doctor`: what pai found on this machine and what is wrong, in plain sentences.
use std::io::Write;

use super::Ctx;
use crate::config::Config;
use crate::error::CliError;
use crate::gguf;
use crate::models::Registry;

/// Check the build, the configuration, the paths and the model files.
#[derive(Debug, clap::Args)]
pub struct Args {}

struct Report {
    problems: usize,
    out: std::io::StdoutLock<'static>,
}

impl Report {
    fn ok(&mut self, line: String) -> std::io::Result<()> {
        writeln!(self.out, "  ok       {line}")
    }

    fn problem(&mut self, line: String) -> std::io::Result<()> {
        self.problems += 1;
        writeln!(self.out, "  PROBLEM  {line}")
    }
}

pub fn run(ctx: &Ctx, _args: &Args) -> Result<(), CliError> {
    let mut r = Report {
        problems: 0,
        out: std::io::stdout().lock(),
    };
    build(&mut r, ctx)?;
    let config = paths_and_config(&mut r, ctx)?;
    models(&mut r, ctx, config.as_ref())?;
    endpoints(&mut r, config.as_ref())?;
    index(&mut r, ctx, config.as_ref())?;
    if r.problems == 0 {
        writeln!(r.out, "pai is ready.")?;
        Ok(())
    } else {
        Err(CliError::user(format!(
            "pai doctor found {} problem(s); see above",
            r.problems
        )))
    }
}

fn build(r: &mut Report, ctx: &Ctx) -> Result<(), CliError> {
    writeln!(r.out, "build")?;
    let features: Vec<&str> = [
        (cfg!(feature = "cuda"), "cuda"),
        (cfg!(feature = "vulkan"), "vulkan"),
        (cfg!(feature = "metal"), "metal"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    let gpu = if features.is_empty() {
        "CPU only (rebuild with --features cuda, vulkan or metal for a GPU)".to_string()
    } else {
        format!("GPU support: {}", features.join(", "))
    };
    r.ok(format!(
        "pai {} for {}, {gpu}",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH
    ))?;
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    r.ok(format!(
        "{cores} cores available; pai uses {cores} threads unless told otherwise"
    ))?;
    match crate::engine::local::backend(ctx.verbose) {
        Ok(backend) if crate::engine::local::GPU_BUILD && !backend.supports_gpu_offload() => {
            r.problem("built with GPU support, but llama.cpp finds no GPU to offload to".into())?
        }
        Ok(backend) => r.ok(format!(
            "llama.cpp starts; GPU offload {}",
            if backend.supports_gpu_offload() {
                "available"
            } else {
                "not available"
            }
        ))?,
        Err(e) => r.problem(e.to_string())?,
    }
    Ok(())
}

fn paths_and_config(r: &mut Report, ctx: &Ctx) -> Result<Option<Config>, CliError> {
    writeln!(r.out, "files")?;
    let p = &ctx.paths;
    let from = if std::env::var_os("PAI_HOME").is_some() {
        " (PAI_HOME)"
    } else {
        ""
    };
    r.ok(format!("config folder {}{from}", p.config_dir.display()))?;
    r.ok(format!("data folder {}{from}", p.data_dir.display()))?;
    let config = match Config::load(&p.config_file()) {
        Ok(c) if p.config_file().exists() => {
            r.ok(format!("{} is valid", p.config_file().display()))?;
            Some(c)
        }
        Ok(c) => {
            r.ok(format!(
                "no {} (defaults apply; `pai config init` writes one)",
                p.config_file().display()
            ))?;
            Some(c)
        }
        Err(e) => {
            r.problem(e.message)?;
            None
        }
    };
    Ok(config)
}

fn models(r: &mut Report, ctx: &Ctx, config: Option<&Config>) -> Result<(), CliError> {
    writeln!(r.out, "models")?;
    let registry = match Registry::open(&ctx.paths.registry_file()) {
        Ok(registry) => registry,
        Err(e) => return r.problem(e.message).map_err(Into::into),
    };
    if registry.models.is_empty() {
        r.problem("no models registered: `pai model add PATH` or `pai model pull URL`".into())?;
    }
    for m in &registry.models {
        match gguf::inspect(&m.path) {
            Ok(info) => r.ok(format!(
                "{}: {} {} {}, {}",
                m.name,
                info.architecture(),
                gguf::human_parameters(info.parameters),
                info.quantization(),
                m.path.display()
            ))?,
            Err(e) => r.problem(format!("{}: {e}", m.name))?,
        }
    }
    let pinned = config.and_then(|c| c.model.clone());
    match (pinned, registry.default_entry()) {
        (Some(spec), _) => r.ok(format!(
            "the model in use is '{spec}' (PAI_MODEL or config.toml)"
        ))?,
        (None, Some(entry)) => r.ok(format!("the default model is {}", entry.name))?,
        (None, None) if !registry.models.is_empty() => {
            r.problem("no default model: `pai model default NAME`".into())?
        }
        (None, None) => {}
    }
    Ok(())
}

/// Each endpoint: reachable, key accepted, model listed. Doctor waits at most 10 s for each.
fn endpoints(r: &mut Report, config: Option<&Config>) -> Result<(), CliError> {
    let Some(endpoints) = config.map(|c| &c.endpoints).filter(|e| !e.is_empty()) else {
        return Ok(());
    };
    writeln!(r.out, "endpoints")?;
    for (name, endpoint) in endpoints {
        let mut quick = endpoint.clone();
        quick.timeout_s = quick.timeout_s.min(10.0);
        let checked =
            crate::engine::remote::RemoteEngine::new(name, &quick).and_then(|e| e.check());
        match checked {
            Ok(line) => r.ok(format!("{name}: {}", crate::render::sanitize_line(&line)))?,
            Err(e) => r.problem(crate::render::sanitize_line(&e.to_string()))?,
        }
    }
    Ok(())
}

/// The sources, and whether the encoder that semantic sources need loads.
fn index(r: &mut Report, ctx: &Ctx, config: Option<&Config>) -> Result<(), CliError> {
    writeln!(r.out, "index")?;
    let manifest = match crate::index::store::Manifest::load(&ctx.paths.index_dir()) {
        Ok(m) => m,
        Err(e) => return r.problem(e.message).map_err(Into::into),
    };
    r.ok(format!(
        "{} sources, {} of them semantic",
        manifest.sources.len(),
        manifest.semantic.len()
    ))?;
    let model = config.and_then(|c| c.index.embed_model.as_deref());
    match crate::index::embedder(&manifest, model) {
        Ok(Some(e)) => r.ok(format!(
            "the sentence encoder loads ({} dimensions)",
            e.dimensions()
        ))?,
        Ok(None) => {}
        Err(e) => r.problem(e.message)?,
    }
    Ok(())
}
