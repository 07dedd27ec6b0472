//! `pai doctor`: what pai found on this machine and what is wrong, in plain sentences; with
//! `--json`, the same checks as one object. It ends with a real generation in a child process
//! (`selftest`), so a build that crashes on this CPU is a failed check, not a surprise later.
use std::io::Write;
use std::path::PathBuf;

use super::selftest::{self, Verdict};
use super::Ctx;
use crate::cli::error::CliError;
use crate::config::Config;
use crate::gguf;
use crate::models::Registry;

/// Check the build, the configuration, the paths, the model files, and that the model in use
/// generates a token on this CPU.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object: every check, and the generation self-test.
    #[arg(long)]
    pub json: bool,
    /// Skip the generation self-test (it loads the model in use once).
    #[arg(long)]
    pub no_generate: bool,
    /// The self-test's child process: generate one token from this model file.
    #[arg(long, hide = true, value_name = "PATH")]
    pub generate_child: Option<PathBuf>,
    /// The first-load child (models::firstload): load this file once, as llama.cpp will.
    #[arg(long, hide = true, value_name = "PATH")]
    pub load_child: Option<PathBuf>,
    /// With --load-child: the model the adapter is loaded on.
    #[arg(long, hide = true, value_name = "PATH", requires = "load_child")]
    pub load_base: Option<PathBuf>,
}

/// One line of the report.
#[derive(serde::Serialize)]
struct Check {
    section: &'static str,
    ok: bool,
    message: String,
}

struct Report {
    json: bool,
    section: &'static str,
    checks: Vec<Check>,
    generation: Option<serde_json::Value>,
    out: std::io::StdoutLock<'static>,
}

impl Report {
    fn section(&mut self, name: &'static str) -> std::io::Result<()> {
        self.section = name;
        if self.json {
            return Ok(());
        }
        writeln!(self.out, "{name}")
    }

    fn ok(&mut self, line: String) -> std::io::Result<()> {
        self.record(true, line)
    }

    fn problem(&mut self, line: String) -> std::io::Result<()> {
        self.record(false, line)
    }

    fn record(&mut self, ok: bool, message: String) -> std::io::Result<()> {
        if !self.json {
            let mark = if ok { "ok      " } else { "PROBLEM " };
            writeln!(self.out, "  {mark} {message}")?;
        }
        self.checks.push(Check {
            section: self.section,
            ok,
            message,
        });
        Ok(())
    }

    fn problems(&self) -> usize {
        self.checks.iter().filter(|c| !c.ok).count()
    }
}

pub fn run(ctx: &Ctx, args: &Args) -> Result<(), CliError> {
    if let Some(path) = &args.generate_child {
        return selftest::child(path, ctx.verbose);
    }
    if let Some(path) = &args.load_child {
        return selftest::load_child(path, args.load_base.as_deref(), ctx.verbose);
    }
    let mut r = Report {
        json: args.json,
        section: "build",
        checks: Vec::new(),
        generation: None,
        out: std::io::stdout().lock(),
    };
    build(&mut r, ctx)?;
    let config = paths_and_config(&mut r, ctx)?;
    models(&mut r, ctx, config.as_ref())?;
    endpoints(&mut r, config.as_ref())?;
    index(&mut r, ctx, config.as_ref())?;
    if !args.no_generate {
        generation(&mut r, ctx, config.as_ref())?;
    }
    let problems = r.problems();
    if r.json {
        let value = serde_json::json!({
            "ready": problems == 0,
            "problems": problems,
            "checks": r.checks,
            "generation": r.generation,
        });
        writeln!(r.out, "{value}")?;
    } else if problems == 0 {
        writeln!(r.out, "pai is ready.")?;
    }
    if problems == 0 {
        Ok(())
    } else {
        Err(CliError::user(format!(
            "pai doctor found {problems} problem(s); see above"
        )))
    }
}

fn build(r: &mut Report, ctx: &Ctx) -> Result<(), CliError> {
    r.section("build")?;
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
    match crate::pipeline::probe::gpu_offload(ctx.verbose) {
        Ok(false) if crate::pipeline::probe::GPU_BUILD => {
            r.problem("built with GPU support, but llama.cpp finds no GPU to offload to".into())?
        }
        Ok(offload) => r.ok(format!(
            "llama.cpp starts; GPU offload {}",
            if offload {
                "available"
            } else {
                "not available"
            }
        ))?,
        Err(e) => r.problem(e.to_string())?,
    }
    r.ok(format!("llama.cpp's CPU code: {}", cpu_line()))?;
    Ok(())
}

/// The CPU backend's compiled features and, in the portable build, the variant it loaded.
fn cpu_line() -> String {
    let features = crate::pipeline::probe::cpu_features().join(" ");
    match crate::pipeline::probe::cpu_variant() {
        Some(variant) => format!("the {variant} variant ({features})"),
        None => format!("built for this CPU ({features})"),
    }
}

/// One token from the model in use, in a child process: a crash there is named, not fatal.
fn generation(r: &mut Report, ctx: &Ctx, config: Option<&Config>) -> Result<(), CliError> {
    r.section("generation")?;
    let Some(config) = config else {
        return r
            .problem("not tested: config.toml does not load".into())
            .map_err(Into::into);
    };
    let chosen =
        match crate::pipeline::choose::choose_model(None, config, &ctx.paths.registry_file()) {
            Ok(chosen) => chosen,
            Err(e) => {
                return r
                    .problem(format!("not tested: {}", e.message))
                    .map_err(Into::into)
            }
        };
    let outcome = selftest::run(&chosen, ctx.verbose)?;
    let features = crate::pipeline::probe::cpu_features();
    let variant = crate::pipeline::probe::cpu_variant();
    let mut value = serde_json::json!({
        "ok": outcome.ok(),
        "model": outcome.model,
        "path": outcome.path,
        "ms": (outcome.ms * 10.0).round() / 10.0,
        "cpu_features": features,
        "cpu_variant": variant,
    });
    let line = match &outcome.verdict {
        Verdict::Generated { token } => {
            value["token"] = serde_json::json!(token);
            format!(
                "{} generated a token in a child process in {:.1} s",
                outcome.model,
                outcome.ms / 1000.0
            )
        }
        Verdict::Crashed { signal } => {
            let name = selftest::signal_name(*signal);
            value["signal"] = serde_json::json!(signal);
            value["signal_name"] = serde_json::json!(name);
            format!(
                "generation crashed: the child process that ran {} ({}) was killed by {name} \
                 (signal {signal}); llama.cpp's CPU code: {}; what to do: {}",
                outcome.model,
                outcome.path.display(),
                cpu_line(),
                selftest::advice(*signal)
            )
        }
        Verdict::Failed { message } => {
            value["error"] = serde_json::json!(message);
            format!("{} could not generate: {message}", outcome.model)
        }
        Verdict::TimedOut => {
            value["error"] = serde_json::json!("timed out");
            format!(
                "{} did not generate a token in {:.0} s; the child process was stopped",
                outcome.model,
                outcome.ms / 1000.0
            )
        }
    };
    r.generation = Some(value);
    if outcome.ok() {
        r.ok(line)?;
    } else {
        r.problem(line)?;
    }
    Ok(())
}

fn paths_and_config(r: &mut Report, ctx: &Ctx) -> Result<Option<Config>, CliError> {
    r.section("files")?;
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
    r.section("models")?;
    let registry = match Registry::open(&ctx.paths.registry_file()) {
        Ok(registry) => registry,
        Err(e) => return r.problem(e.message).map_err(Into::into),
    };
    if registry.models.is_empty() {
        r.problem("no models registered: `pai model add PATH` or `pai model pull URL`".into())?;
    }
    for m in &registry.models {
        // The checks every load makes: the header, then what llama.cpp would assert on.
        match crate::models::registry::check_file(&m.path) {
            Ok(info) => r.ok(format!(
                "{}: {} {} {}, {}",
                m.name,
                info.architecture(),
                gguf::human_parameters(info.parameters),
                info.quantization(),
                m.path.display()
            ))?,
            Err(e) => r.problem(format!("{}: {}", m.name, e.message))?,
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
    r.section("endpoints")?;
    for (name, endpoint) in endpoints {
        match crate::pipeline::probe::endpoint(name, endpoint) {
            Ok(line) => r.ok(format!("{name}: {}", crate::render::sanitize_line(&line)))?,
            Err(why) => r.problem(crate::render::sanitize_line(&why.message))?,
        }
    }
    Ok(())
}

/// The sources, and whether the encoder that semantic sources need loads.
fn index(r: &mut Report, ctx: &Ctx, config: Option<&Config>) -> Result<(), CliError> {
    r.section("index")?;
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
