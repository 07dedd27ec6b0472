//! One request, one answer: what `ask`, `commit`, `hook`, `edit`, `explain` and `shell` hand
//! the pipeline. A named endpoint answers directly; otherwise the router plans across its
//! tiers ([`super::tiers`]) and the tier it picks answers.
use super::answer::{self, fit_and_generate};
use super::request::{Ask, Env, Outcome, Parts};
use super::{choose, tiers, Budget};
use crate::context::Request;
use crate::engine::{Engine, Sink};
use crate::error::Error;

/// Runs `request` through the whole pipeline into `sink`: settings, model, context, the
/// router's plan, then the tier it picks.
pub fn generate(
    env: &Env,
    ask: &Ask,
    mut request: Request,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    if let Some(name) = ask.overrides.endpoint.as_deref() {
        if ask.grammar.is_some() {
            return Err(Error::user(format!(
                "structured output (--json-schema, --grammar) runs on the local model, not on endpoint '{name}'"
            ))
            .hint("leave out --endpoint"));
        }
        if !ask.overrides.lora.is_empty() {
            return Err(Error::user(format!(
                "LoRA adapters (--lora) apply to the local model, not to endpoint '{name}'"
            ))
            .hint("leave out --endpoint"));
        }
        return generate_remote(env, ask, name, request, sink);
    }
    let (config, mut settings) = answer::resolve(env, ask)?;
    let chosen = answer::local_model(env, ask, &config)?;
    settings.adapters = choose::adapters(&settings.lora, &chosen, &env.paths.registry_file())?;
    settings.prompt_cache = answer::prompt_cache(env, &config);
    answer::gather_for(env, ask, &config, &mut request);
    let plan = tiers::plan(env, ask, &config, &request)?;
    let parts = Parts {
        config,
        settings,
        chosen,
    };
    tiers::run(env, ask, plan, &parts, request, sink)
}

/// [`generate`] on a named endpoint: the same context and fitting, counted by estimate
/// against the window the server declares (or config.toml's `window`).
fn generate_remote(
    env: &Env,
    ask: &Ask,
    name: &str,
    mut request: Request,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    let (config, settings, mut engine) = answer::prepare_remote(env, ask, name)?;
    answer::gather_for(env, ask, &config, &mut request);
    let budget = Budget::new(settings.ctx, engine.window(), settings.max_tokens, false);
    let url = crate::render::sanitize_line(engine.remote().url());
    let (assembled, generation) = fit_and_generate(
        env,
        ask,
        &mut engine,
        &request,
        (&budget, &config, &settings),
        sink,
        |assembled| {
            // What leaves the machine is said, never silent.
            if !assembled.sources.is_empty() || assembled.kept.profile.is_some() {
                env.report.note(&format!(
                    "sending your profile and {} excerpts from your notes to endpoint '{name}' ({url}), secrets taken out",
                    assembled.sources.len()
                ));
            }
        },
    )?;
    if env.report.verbose() {
        env.report.note(&format!(
            "endpoint '{name}': {} prompt tokens, {} generated in {:.0} ms after {:.0} ms, stopped by {:?}",
            generation.prompt_tokens,
            generation.generated_tokens,
            generation.generation_ms,
            generation.prompt_ms,
            generation.stop_reason
        ));
    }
    Ok(Outcome {
        model_name: format!("{name} ({})", engine.remote().model()),
        load_ms: 0.0,
        generation,
        sources: assembled.sources,
        n_ctx: budget.window,
        route: None,
    })
}
