//! LoRA adapters on a loaded model, through llama.cpp's adapter API. llama-cpp-2 sets one
//! adapter per context, never frees one, and does not tie one to its model; so pai loads,
//! sets (several at once, with scales) and frees adapters here, with the raw pointers of the
//! patched crate (vendor/README.md).
//!
//! Ownership: an [`Adapters`] cache lives inside `LocalModel`, declared before the llama.cpp
//! model, so it is freed first; contexts borrow the `LocalModel`, so none is alive when an
//! adapter is freed. An adapter is loaded once per model and path; switching the set on a
//! context is a pointer swap, and the base model is never loaded again.
use std::cell::RefCell;
use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::ptr::NonNull;

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_sys_2::llama_adapter_lora;

use super::{Adapter, EngineError};

/// One adapter file loaded on the model. Never handed out: only [`Adapters`] holds it.
struct Loaded {
    path: PathBuf,
    raw: NonNull<llama_adapter_lora>,
}

impl Drop for Loaded {
    fn drop(&mut self) {
        // SAFETY: `raw` came from `llama_adapter_lora_init` and is freed once, here. The model
        // is still alive (see the module comment) and no context uses the adapter any more.
        unsafe { llama_cpp_sys_2::llama_adapter_lora_free(self.raw.as_ptr()) }
    }
}

/// The adapters loaded on one model, by path; freed with the model, never before it.
#[derive(Default)]
pub(super) struct Adapters {
    loaded: RefCell<Vec<Loaded>>,
}

impl Adapters {
    /// Sets exactly `wanted` on `ctx` (an empty list clears it), loading files not yet loaded
    /// on `model`. The same file named twice counts once, with the scales added.
    ///
    /// `model` must be the model these adapters belong to, and `ctx` a context on it: both are
    /// the `LocalModel`'s own, which is the only caller.
    pub(super) fn apply(
        &self,
        model: &LlamaModel,
        ctx: &mut LlamaContext<'_>,
        wanted: &[Adapter],
    ) -> Result<(), EngineError> {
        let mut pointers: Vec<*mut llama_adapter_lora> = Vec::with_capacity(wanted.len());
        let mut scales: Vec<f32> = Vec::with_capacity(wanted.len());
        for adapter in wanted {
            let raw = self.get_or_load(model, &adapter.path)?;
            match pointers.iter().position(|&p| p == raw) {
                Some(at) => scales[at] += adapter.scale,
                None => {
                    pointers.push(raw);
                    scales.push(adapter.scale);
                }
            }
        }
        let (adapters, scales_ptr) = if pointers.is_empty() {
            (std::ptr::null_mut(), std::ptr::null_mut())
        } else {
            (pointers.as_mut_ptr(), scales.as_mut_ptr())
        };
        // SAFETY: the context is alive (borrowed mutably), the arrays hold `pointers.len()`
        // entries, and every adapter pointer stays valid until the model is dropped, after
        // every context on it. llama.cpp copies the pointers and scales into its own map.
        let status = unsafe {
            llama_cpp_sys_2::llama_set_adapters_lora(
                ctx.as_raw(),
                adapters,
                pointers.len(),
                scales_ptr,
            )
        };
        if status != 0 {
            return Err(EngineError::Adapter {
                path: wanted
                    .first()
                    .map(|a| a.path.display().to_string())
                    .unwrap_or_default(),
                why: format!("llama.cpp refused the adapter set (status {status})"),
            });
        }
        Ok(())
    }

    fn get_or_load(
        &self,
        model: &LlamaModel,
        path: &Path,
    ) -> Result<*mut llama_adapter_lora, EngineError> {
        let mut loaded = self.loaded.borrow_mut();
        if let Some(found) = loaded.iter().find(|l| l.path == path) {
            return Ok(found.raw.as_ptr());
        }
        let shown = path.display().to_string();
        let failed = |why: &str| EngineError::Adapter {
            path: shown.clone(),
            why: why.to_string(),
        };
        let c_path = path
            .to_str()
            .and_then(|p| CString::new(p).ok())
            .ok_or_else(|| failed("the path is not valid UTF-8 or holds a NUL"))?;
        // SAFETY: the model pointer is alive for this call; llama.cpp reads the file (checked
        // in Rust beforehand) and registers the adapter with the model, which this thread owns.
        let raw =
            unsafe { llama_cpp_sys_2::llama_adapter_lora_init(model.as_raw(), c_path.as_ptr()) };
        let raw = NonNull::new(raw)
            .ok_or_else(|| failed("llama.cpp could not load it (run with --verbose to see why)"))?;
        loaded.push(Loaded {
            path: path.to_path_buf(),
            raw,
        });
        Ok(raw.as_ptr())
    }

    /// How many adapter files are loaded, for tests and reports.
    pub(super) fn count(&self) -> usize {
        self.loaded.borrow().len()
    }
}
