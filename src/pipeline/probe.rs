//! What `pai doctor` asks of the engine, so the command line needs none of it: the build's GPU
//! and CPU facts, one greedy token from a model (its self-test child), and one load of a file
//! as llama.cpp will load it (the first-load child of `models::firstload`).
use std::path::Path;

use super::{choose, ChosenModel, Weights};
use crate::engine::local::{EngineSettings, LoadOptions, LocalEngine, LocalModel};
use crate::engine::{Adapter, GenerateParams, Sampling, Sink};
use crate::error::Error;

/// Whether this binary was built with a GPU backend.
pub const GPU_BUILD: bool = crate::engine::local::GPU_BUILD;

/// Whether llama.cpp starts, and then whether it finds a GPU to offload to.
pub fn gpu_offload(verbose: bool) -> Result<bool, crate::engine::EngineError> {
    crate::engine::local::backend(verbose).map(|backend| backend.supports_gpu_offload())
}

/// The CPU features llama.cpp's CPU code was compiled with.
pub fn cpu_features() -> Vec<String> {
    crate::engine::cpu::build_features()
}

/// The portable build's CPU variant in use; None in a source build.
pub fn cpu_variant() -> Option<String> {
    crate::engine::cpu::loaded_variant()
}

/// Loads the model at `path`, calls `after_load`, and generates one token greedily.
pub fn one_token(path: &Path, after_load: impl FnOnce(), verbose: bool) -> Result<String, Error> {
    let chosen = ChosenModel {
        name: path.display().to_string(),
        path: path.to_path_buf(),
        lora: Vec::new(),
    };
    let loaded = choose::load(&chosen, None, Weights::All, verbose)?;
    after_load();
    let tokens = loaded.model.tokenize_plain("The sky is", true);
    if tokens.is_empty() {
        return Err(Error::user(
            "the model's tokenizer gives no tokens for a sentence",
        ));
    }
    let settings = EngineSettings {
        window: tokens.len() as u32 + 2,
        threads: crate::engine::local::default_threads(),
        keep_context: false,
    };
    let mut engine = LocalEngine::new(&loaded.model, chosen.name, settings);
    let params = GenerateParams {
        tools: Default::default(),
        sampling: Sampling::greedy(),
        max_tokens: 1,
        stop: Vec::new(),
        stop_at_end_of_text: false,
        grammar: None,
        adapters: Vec::new(),
        speculation: None,
        cache_prefix: None,
    };
    let mut text = Collect(String::new());
    let cancel = crate::cancel::CancelToken::new();
    let g = engine
        .generate_tokens(&tokens, &params, &cancel, &mut text)
        .map_err(super::engine_error)?;
    if g.generated_tokens == 0 {
        return Err(Error::user("the model generated no token"));
    }
    Ok(text.0)
}

/// Loads `path` as llama.cpp will: a model, or an adapter set on a context of `base`.
pub fn load_once(path: &Path, base: Option<&Path>, verbose: bool) -> Result<(), Error> {
    let options = LoadOptions {
        gpu_layers: None,
        vocab_only: false,
        verbose,
    };
    let load = |path: &Path| LocalModel::load(path, &options).map_err(super::engine_error);
    let Some(base) = base else {
        return load(path).map(drop);
    };
    let model = load(base)?;
    let settings = EngineSettings {
        window: 64,
        threads: 1,
        keep_context: false,
    };
    let adapter = Adapter {
        path: path.to_path_buf(),
        scale: 1.0,
    };
    let mut engine = LocalEngine::new(&model, "first load", settings);
    engine.set_adapters(&[adapter]).map_err(super::engine_error)
}

/// Keeps the generated text.
struct Collect(String);

impl Sink for Collect {
    fn piece(&mut self, text: &str) -> std::io::Result<bool> {
        self.0.push_str(text);
        Ok(true)
    }
}

/// An endpoint's check (reachable, key accepted, model listed), waiting at most 10 s: the
/// line to show, or what is wrong.
pub fn endpoint(name: &str, endpoint: &crate::config::EndpointConfig) -> Result<String, Error> {
    let mut quick = endpoint.clone();
    quick.timeout_s = quick.timeout_s.min(10.0);
    crate::engine::remote::RemoteEngine::new(name, &quick)
        .and_then(|e| e.check())
        .map_err(|e| Error::new(crate::error::Kind::Unavailable, e.to_string()))
}
