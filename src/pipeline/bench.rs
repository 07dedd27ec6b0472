//! `pai bench`'s measurement, the way a bare llama.h loop measures: the raw prompt (no
//! template) read in one pass, then greedy generation of a fixed number of tokens that does
//! not stop at end-of-generation tokens; and, with adapters, how long switching takes.
use std::path::Path;

use super::{choose, Weights};
use crate::config::Config;
use crate::engine::local::{EngineSettings, LocalEngine};
use crate::engine::{Adapter, GenerateParams, Generation, Sampling, Sink};
use crate::error::Error;

/// What to measure.
pub struct Spec<'a> {
    pub model: Option<&'a str>,
    pub prompt: &'a str,
    /// Tokens to generate.
    pub gen: u32,
    pub threads: Option<u32>,
    pub gpu_layers: Option<u32>,
    pub lora: &'a [(String, f32)],
    /// Also generate with prompt-lookup drafts, after the plain run: both stop at the end
    /// of the answer, so that their outputs can be compared.
    pub speculate: bool,
}

pub struct Measured {
    pub model: String,
    pub threads: u32,
    pub load_ms: f64,
    pub generation: Generation,
    pub switches: Option<Switches>,
    /// With `Spec::speculation`: the run with drafts.
    pub speculative: Option<Speculative>,
    /// pai was built with a GPU backend.
    pub gpu_build: bool,
}

/// The run with drafts, beside the plain one.
pub struct Speculative {
    pub generation: Generation,
    /// Whether its text is the plain run's, as greedy decoding promises.
    pub same_output: bool,
    /// Where the texts part, in characters, when they do.
    pub first_difference: Option<usize>,
}

/// The slowest adapter switch of each kind, in ms.
pub struct Switches {
    /// To an adapter whose file is read now.
    pub first_ms: f64,
    /// To an adapter loaded before, after a switch to none; and to all of them at once.
    pub switch_ms: f64,
}

pub fn measure(
    config_file: &Path,
    registry_file: &Path,
    spec: &Spec,
    verbose: bool,
) -> Result<Measured, Error> {
    let config = Config::load(config_file)?;
    let chosen = choose::choose_model(spec.model, &config, registry_file)?;
    let adapters = choose::adapters(spec.lora, &chosen, registry_file)?;
    let gpu_layers = spec.gpu_layers.or(config.gpu_layers);
    let loaded = choose::load(&chosen, gpu_layers, Weights::All, verbose)?;
    let tokens = if spec.speculate {
        loaded.model.tokenize_markup(spec.prompt)
    } else {
        loaded.model.tokenize_plain(spec.prompt, true)
    };
    if tokens.is_empty() {
        return Err(Error::user("the prompt file is empty"));
    }
    let threads = spec
        .threads
        .or(config.threads)
        .unwrap_or_else(crate::engine::local::default_threads);
    let needed = tokens.len() as u32 + spec.gen + 1;
    let trained = loaded.model.trained_context().max(16);
    if needed > trained {
        return Err(Error::user(format!(
            "{} prompt tokens and {} generated do not fit the model's {trained}-token context",
            tokens.len(),
            spec.gen
        )));
    }
    let settings = EngineSettings {
        window: needed,
        threads,
        keep_context: true,
    };
    let mut engine = LocalEngine::new(&loaded.model, chosen.name.clone(), settings);
    let mut params = GenerateParams {
        tools: Default::default(),
        sampling: Sampling::greedy(),
        max_tokens: spec.gen,
        stop: Vec::new(),
        stop_at_end_of_text: spec.speculate,
        grammar: None,
        adapters: Vec::new(),
        speculation: None,
        cache_prefix: None,
    };
    let cancel = crate::cancel::interrupt_token();
    let mut plain = Collect::default();
    let generation = engine
        .generate_tokens(&tokens, &params, &cancel, &mut plain)
        .map_err(super::engine_error)?;
    let speculative = if spec.speculate {
        params.speculation = Some(super::settings::speculation(&config.speculation));
        // A context of its own: the same prompt read afresh, as the plain run read it (a
        // reused cache can part from a fresh one at a near tie).
        let mut fresh = LocalEngine::new(&loaded.model, chosen.name.clone(), settings);
        Some(with_drafts(&mut fresh, &tokens, &params, &plain.0)?)
    } else {
        None
    };
    let switches = time_switches(&mut engine, &adapters)?;
    Ok(Measured {
        model: chosen.name.clone(),
        threads,
        load_ms: loaded.load_ms,
        generation,
        switches,
        speculative,
        gpu_build: crate::engine::local::GPU_BUILD,
    })
}

/// Switches to each adapter (its file read), to none, to each again (already loaded), then
/// to all together, timing each switch. None when there are no adapters.
fn time_switches(
    engine: &mut LocalEngine,
    adapters: &[Adapter],
) -> Result<Option<Switches>, Error> {
    if adapters.is_empty() {
        return Ok(None);
    }
    let mut timed = |set: &[Adapter]| -> Result<f64, Error> {
        let started = std::time::Instant::now();
        engine.set_adapters(set).map_err(super::engine_error)?;
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

/// The run with drafts, compared with the plain run's text.
fn with_drafts(
    engine: &mut LocalEngine,
    tokens: &[llama_cpp_2::token::LlamaToken],
    params: &GenerateParams,
    plain: &str,
) -> Result<Speculative, Error> {
    let mut drafted = Collect::default();
    let cancel = crate::cancel::interrupt_token();
    let generation = engine
        .generate_tokens(tokens, params, &cancel, &mut drafted)
        .map_err(super::engine_error)?;
    Ok(Speculative {
        generation,
        same_output: drafted.0 == plain,
        first_difference: drafted
            .0
            .chars()
            .zip(plain.chars())
            .position(|(a, b)| a != b),
    })
}

/// The answer's text, to compare the two runs.
#[derive(Default)]
struct Collect(String);

impl Sink for Collect {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        self.0.push_str(text);
        Ok(true)
    }
}
