//! The steps of one answer that every one-shot path shares ([`super::oneshot`] runs them in
//! order, [`super::tiers`] across the router's tiers): settings resolved, the model chosen and
//! loaded, what pai knows gathered, the request fitted to the window, then generation into the
//! front end's sink. Nothing here prints: what the user should know goes to the front end's
//! [`super::report::Report`].
use super::request::{Ask, Env, Gather, Outcome, Prepared};
use super::{choose, gather, Budget, ChosenModel, Settings, Weights};
use crate::cancel::CancelToken;
use crate::config::Config;
use crate::context::Request;
use crate::engine::local::LocalEngine;
use crate::engine::prefix_cache::{CachePrefix, PrefixCache, PrefixUse};
use crate::engine::{Engine, Generation, Sink};
use crate::error::Error;
use crate::router::outbound::{AuditTo, CallLabel, Outbound};

/// Resolves the settings, chooses the model and loads it. `request`, when given, is completed
/// with what pai knows (profile, cell, excerpts) between choosing and loading, so that a missing
/// model is reported before the index is searched.
pub fn prepare(env: &Env, ask: &Ask, request: Option<&mut Request>) -> Result<Prepared, Error> {
    let (config, mut settings) = resolve(env, ask)?;
    let chosen = local_model(env, ask, &config)?;
    settings.adapters = choose::adapters(&settings.lora, &chosen, &env.paths.registry_file())?;
    settings.prompt_cache = prompt_cache(env, &config);
    if let (Some(spec), Some(request)) = (&ask.gather, request) {
        gather_into(env, spec, &config, request);
    }
    let loaded = choose::load(
        &chosen,
        settings.gpu_layers,
        Weights::All,
        env.report.verbose(),
    )?;
    Ok(Prepared {
        config,
        chosen,
        loaded,
        settings,
    })
}

/// Where the prompt cache lives and its bound, when config.toml leaves it on.
pub fn prompt_cache(env: &Env, config: &Config) -> Option<PrefixCache> {
    config.prompt_cache.enabled.then(|| PrefixCache {
        dir: env.paths.prompt_cache_dir(),
        max_bytes: config.prompt_cache.max_mb.saturating_mul(1 << 20),
    })
}

/// The messages every prompt like `request`'s begins with: the system message without the
/// moment (system prompt, role, profile), whose keys and values the prompt cache keeps.
pub fn stable_messages(request: &Request) -> Vec<crate::message::Message> {
    let head = Request {
        system: request.system.clone(),
        profile: request.profile.clone(),
        ..Request::default()
    };
    head.messages()
        .into_iter()
        .filter(|m| m.role == crate::message::Role::System)
        .collect()
}

/// The local model the request names, or the default one.
pub fn local_model(env: &Env, ask: &Ask, config: &Config) -> Result<ChosenModel, Error> {
    choose::choose_model(
        ask.overrides.model.as_deref(),
        config,
        &env.paths.registry_file(),
    )
}

/// What the request asks to gather, gathered into it; nothing when it asks for nothing.
pub fn gather_for(env: &Env, ask: &Ask, config: &Config, request: &mut Request) {
    if let Some(spec) = &ask.gather {
        gather_into(env, spec, config, request);
    }
}

/// config.toml and the settings for this front end's flags and defaults.
pub fn resolve(env: &Env, ask: &Ask) -> Result<(Config, Settings), Error> {
    let config = Config::load(&env.paths.config_file())?;
    let mut overrides = ask.overrides.clone();
    overrides.grammar = ask.grammar.clone();
    let settings = Settings::resolve(&overrides, ask.defaults, &config)?;
    Ok((config, settings))
}

/// Gathers profile, cell, memories and excerpts, telling the front end what went wrong.
pub fn gather_into(env: &Env, spec: &Gather, config: &Config, request: &mut Request) {
    let started = std::time::Instant::now();
    let notes = gather::gather(
        env.paths,
        config,
        request,
        spec.excerpts,
        &spec.scope,
        env.encoder,
    );
    for note in notes {
        env.report.note(&note);
    }
    if env.report.verbose() {
        env.report.note(&format!(
            "context gathered in {:.1} ms (profile, cell, {} memories, {} excerpts)",
            started.elapsed().as_secs_f64() * 1000.0,
            request.memories.len(),
            request.excerpts.len()
        ));
    }
}

/// Fits the request to the window, telling the front end what had to go.
pub fn fit(
    env: &Env,
    request: &Request,
    count: &dyn crate::engine::TokenCount,
    budget: &Budget,
    config: &Config,
) -> Result<crate::context::Assembled, Error> {
    let assembled = super::fit(request, count, budget, &config.context)?;
    for cut in &assembled.cuts {
        env.report.note(&format!(
            "to fit the {}-token context window, {}",
            budget.window,
            crate::render::sanitize_line(cut)
        ));
    }
    Ok(assembled)
}

/// The loaded local model answers `request`.
pub fn generate_local(
    env: &Env,
    ask: &Ask,
    prepared: &Prepared,
    engine: &mut LocalEngine,
    request: &Request,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    let model = &prepared.loaded.model;
    let (assembled, generation) = fit_and_generate(
        env,
        ask,
        engine,
        request,
        (&prepared.budget(), &prepared.config, &prepared.settings),
        sink,
        |assembled| {
            if env.report.verbose() {
                let tokens = model.chat_tokens(&assembled.messages);
                env.report.note(&format!(
                    "the prompt is {} tokens, {} of them control tokens (the template's markup)",
                    tokens.len(),
                    model.control_tokens(&tokens)
                ));
            }
        },
    )?;
    let mut outcome = outcome(env, prepared, engine.n_ctx(), generation);
    outcome.sources = assembled.sources;
    Ok(outcome)
}

/// What every generation from a request shares, local or remote: fit the request to the
/// budget, show the sources when asked, let `before` look at the prompt, then generate with
/// Ctrl-C cancelling.
pub(super) fn fit_and_generate(
    env: &Env,
    ask: &Ask,
    engine: &mut dyn Engine,
    request: &Request,
    (budget, config, settings): (&Budget, &Config, &Settings),
    sink: &mut dyn Sink,
    before: impl FnOnce(&crate::context::Assembled),
) -> Result<(crate::context::Assembled, Generation), Error> {
    let started = std::time::Instant::now();
    let assembled = fit(env, request, &*engine, budget, config)?;
    if env.report.verbose() {
        env.report.note(&format!(
            "context fitted to the window in {:.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        ));
    }
    if ask.show_sources {
        env.report.sources(&assembled.sources);
    }
    before(&assembled);
    let cancel = crate::cancel::interrupt_token();
    let mut params = settings.params();
    // A model loaded once for many requests (the commit evaluation) takes each one's grammar.
    if ask.grammar.is_some() {
        params.grammar.clone_from(&ask.grammar);
    }
    params.cache_prefix = settings.prompt_cache.clone().map(|cache| CachePrefix {
        cache,
        stable: stable_messages(&assembled.kept),
    });
    let generation = engine
        .generate(&assembled.messages, &params, &cancel, sink)
        .map_err(super::engine_error)?;
    Ok((assembled, generation))
}

/// The settings and the engine of a named endpoint: `prepare` for `--endpoint NAME`. The
/// engine is the outbound guard: secrets out, audit row in.
pub fn prepare_remote(
    env: &Env,
    ask: &Ask,
    name: &str,
) -> Result<(Config, Settings, Outbound), Error> {
    let (config, settings) = resolve(env, ask)?;
    let endpoint = choose::endpoint_config(name, &config)?;
    let remote = choose::remote_engine(name, endpoint)?;
    let label = CallLabel::new(
        ask.front,
        Outbound::tier_of(name, &config),
        &format!("--endpoint {name}"),
    );
    let audit = AuditTo::new(env.paths.database_file(), &config, ask.front);
    let engine = Outbound::new(remote, endpoint, &audit, label);
    Ok((config, settings, engine))
}

/// Generates from prompt tokens the front end made itself (plain continuation, fill-in-the-middle).
pub fn run_tokens(
    env: &Env,
    prepared: &Prepared,
    tokens: &[llama_cpp_2::token::LlamaToken],
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    let mut engine = prepared.engine();
    let cancel: CancelToken = crate::cancel::interrupt_token();
    let generation = engine
        .generate_tokens(tokens, &prepared.settings.params(), &cancel, sink)
        .map_err(super::engine_error)?;
    Ok(outcome(env, prepared, engine.n_ctx(), generation))
}

fn outcome(env: &Env, prepared: &Prepared, n_ctx: u32, g: Generation) -> Outcome {
    if env.report.verbose() {
        env.report.note(&format!(
            "{} prompt tokens at {:.1} tok/s, {} generated at {:.1} tok/s, stopped by {:?}",
            g.prompt_tokens,
            g.prompt_tps(),
            g.generated_tokens,
            g.generation_tps(),
            g.stop_reason
        ));
        if let Some(note) = prefix_note(g.prefix) {
            env.report.note(&note);
        }
    }
    Outcome {
        model_name: prepared.chosen.name.clone(),
        load_ms: prepared.loaded.load_ms,
        generation: g,
        sources: Vec::new(),
        n_ctx,
        route: None,
    }
}

/// What `-v` says of the prompt cache, when it was asked.
pub fn prefix_note(prefix: PrefixUse) -> Option<String> {
    Some(match prefix {
        PrefixUse::NotUsed => return None,
        PrefixUse::InContext(n) => format!("the prompt's first {n} tokens were already read"),
        PrefixUse::Loaded(n) => format!("the prompt's first {n} tokens came from the prompt cache"),
        PrefixUse::Decoded(n, true) => {
            format!("the prompt's first {n} tokens were read and saved in the prompt cache")
        }
        PrefixUse::Decoded(n, false) => format!(
            "the prompt's first {n} tokens were read; the prompt cache could not keep them \
             (full disk, a folder that cannot be written, or [prompt_cache] max_mb too small)"
        ),
    })
}
