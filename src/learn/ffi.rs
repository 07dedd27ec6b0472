//! The only unsafe code of `learn`: llama.cpp's training API (`llama_opt_*`, `ggml_opt_*`),
//! model saving, F32 conversion and GGUF metadata, which `llama-cpp-2` does not wrap. Every
//! raw pointer lives in a type here that frees it on drop; the rest of `learn` sees safe
//! methods only.
//!
//! Facts measured before this was written (and asserted by llama.cpp, so broken settings
//! abort the process rather than fail): context, batch and micro-batch must be equal and a
//! multiple of 256; the model must be loaded without mmap so its weights are writable; the
//! KV cache must be F32; flash attention has no backward pass.
use std::ffi::{c_void, CString};
use std::path::Path;
use std::ptr::NonNull;

use llama_cpp_sys_2 as sys;

#[derive(Debug, thiserror::Error)]
pub enum FfiError {
    #[error("{0} holds a character llama.cpp cannot take in a path")]
    Path(String),
    #[error("llama.cpp could not load {0} for training")]
    Load(String),
    #[error("llama.cpp could not make a training context of {0} tokens")]
    Context(u32),
    #[error("llama.cpp could not convert {from} to {to}")]
    Quantize { from: String, to: String },
    #[error("llama.cpp could not read the GGUF metadata of {0}")]
    Metadata(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

pub(super) fn c_path(path: &Path) -> Result<CString, FfiError> {
    CString::new(path.to_string_lossy().as_bytes())
        .map_err(|_| FfiError::Path(path.display().to_string()))
}

/// Writes a copy of `from` with every tensor in `ftype` (requantizing when the source is
/// already quantized): F32 for training, Q8_0 for the learned result.
pub fn convert(from: &Path, to: &Path, ftype: Ftype, threads: u32) -> Result<(), FfiError> {
    let (c_from, c_to) = (c_path(from)?, c_path(to)?);
    // SAFETY: the default parameters are a plain struct; we change only scalar fields.
    let mut params = unsafe { sys::llama_model_quantize_default_params() };
    params.nthread = threads as i32;
    params.ftype = ftype.raw();
    params.allow_requantize = true;
    // Token embeddings and output at the same type, so the copy is uniformly F32 or Q8_0.
    params.pure_ = true;
    // SAFETY: both paths are valid NUL-terminated strings for the duration of the call, and
    // `params` holds no pointers (imatrix, overrides and pruning are null by default).
    let status = unsafe { sys::llama_model_quantize(c_from.as_ptr(), c_to.as_ptr(), &params) };
    if status != 0 {
        return Err(FfiError::Quantize {
            from: from.display().to_string(),
            to: to.display().to_string(),
        });
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub enum Ftype {
    F32,
    Q8_0,
}

impl Ftype {
    fn raw(self) -> sys::llama_ftype {
        match self {
            Ftype::F32 => sys::LLAMA_FTYPE_ALL_F32,
            Ftype::Q8_0 => sys::LLAMA_FTYPE_MOSTLY_Q8_0,
        }
    }
}

/// A model whose weights live in writable memory (no mmap), for the optimizer to update.
pub struct TrainModel {
    raw: NonNull<sys::llama_model>,
}

impl TrainModel {
    pub fn load(path: &Path) -> Result<Self, FfiError> {
        crate::engine::local::backend(false)
            .map_err(|_| FfiError::Load(path.display().to_string()))?;
        let c = c_path(path)?;
        // SAFETY: default parameters are a plain struct with null pointers.
        let mut params = unsafe { sys::llama_model_default_params() };
        params.load_mode = sys::LLAMA_LOAD_MODE_NONE;
        params.n_gpu_layers = if crate::engine::local::GPU_BUILD {
            -1
        } else {
            0
        };
        // SAFETY: the backend is initialised (above); `c` outlives the call.
        let raw = unsafe { sys::llama_model_load_from_file(c.as_ptr(), params) };
        NonNull::new(raw)
            .map(|raw| Self { raw })
            .ok_or_else(|| FfiError::Load(path.display().to_string()))
    }

    /// Writes the weights as they are now. llama.cpp's saver writes the training window as
    /// the context length and no chat template: `restore_metadata` puts the original back.
    pub fn save(&self, path: &Path) -> Result<(), FfiError> {
        let c = c_path(path)?;
        // SAFETY: `raw` is a live model; `c` outlives the call.
        unsafe { sys::llama_model_save_to_file(self.raw.as_ptr(), c.as_ptr()) };
        if !path.exists() {
            return Err(FfiError::Write {
                path: path.display().to_string(),
                source: std::io::Error::other("llama.cpp wrote nothing"),
            });
        }
        Ok(())
    }
}

impl Drop for TrainModel {
    fn drop(&mut self) {
        // SAFETY: we own the model; any context on it is dropped first (it borrows the model).
        unsafe { sys::llama_model_free(self.raw.as_ptr()) }
    }
}

/// What the optimizer reads at every step; llama.cpp keeps a pointer to it, so it lives in a
/// `Box` owned by the context that uses it.
#[derive(Debug, Clone, Copy)]
struct OptimizerSettings {
    learning_rate: f32,
    weight_decay: f32,
}

unsafe extern "C" fn optimizer_params(userdata: *mut c_void) -> sys::ggml_opt_optimizer_params {
    // SAFETY: llama.cpp hands back the pointer we gave it, to a live boxed settings value.
    let settings = unsafe { *(userdata as *const OptimizerSettings) };
    // SAFETY: the default parameters ignore their argument.
    let mut params = unsafe { sys::ggml_opt_get_default_optimizer_params(std::ptr::null_mut()) };
    params.adamw.alpha = settings.learning_rate;
    params.adamw.wd = settings.weight_decay;
    params.sgd.alpha = settings.learning_rate;
    params.sgd.wd = settings.weight_decay;
    params
}

/// A context set up for training: every weight trainable, AdamW.
pub struct TrainContext<'m> {
    raw: NonNull<sys::llama_context>,
    window: u32,
    _settings: Box<OptimizerSettings>,
    _model: std::marker::PhantomData<&'m TrainModel>,
}

impl<'m> TrainContext<'m> {
    /// `window` tokens per training example, a multiple of 256.
    pub fn new(
        model: &'m TrainModel,
        window: u32,
        threads: u32,
        learning_rate: f32,
    ) -> Result<Self, FfiError> {
        // SAFETY: default parameters are a plain struct with null pointers.
        let mut params = unsafe { sys::llama_context_default_params() };
        params.n_ctx = window;
        params.n_batch = window;
        params.n_ubatch = window;
        params.n_threads = threads as i32;
        params.n_threads_batch = threads as i32;
        params.type_k = sys::GGML_TYPE_F32;
        params.type_v = sys::GGML_TYPE_F32;
        params.flash_attn_type = sys::LLAMA_FLASH_ATTN_TYPE_DISABLED;
        // SAFETY: `model` is live for 'm, which bounds this context.
        let raw = unsafe { sys::llama_init_from_model(model.raw.as_ptr(), params) };
        let raw = NonNull::new(raw).ok_or(FfiError::Context(window))?;
        let settings = Box::new(OptimizerSettings {
            learning_rate,
            weight_decay: 0.0,
        });
        let opt = sys::llama_opt_params {
            n_ctx_train: window,
            param_filter: Some(sys::llama_opt_param_filter_all),
            param_filter_ud: std::ptr::null_mut(),
            get_opt_pars: Some(optimizer_params),
            get_opt_pars_ud: &*settings as *const OptimizerSettings as *mut c_void,
            optimizer_type: sys::GGML_OPT_OPTIMIZER_TYPE_ADAMW,
        };
        // SAFETY: context and model are live; the settings box outlives the context (both
        // are fields of the value returned, dropped together, context first in `Drop`).
        unsafe { sys::llama_opt_init(raw.as_ptr(), model.raw.as_ptr(), opt) };
        Ok(Self {
            raw,
            window,
            _settings: settings,
            _model: std::marker::PhantomData,
        })
    }

    /// One optimizer step on one window: `tokens` are `window + 1` long, the model reads the
    /// first `window` and is taught each next one. Returns the mean loss (nats per token).
    pub fn train_window(&mut self, tokens: &[i32]) -> f64 {
        let n = self.window as usize;
        assert_eq!(
            tokens.len(),
            n + 1,
            "a training window is window + 1 tokens"
        );
        let dataset = Dataset::one_window(tokens, n);
        let result = OptResult::new();
        // SAFETY: context, dataset and result are live; the split of 1 trains on the one
        // window and evaluates none; no callbacks.
        unsafe {
            sys::llama_opt_epoch(
                self.raw.as_ptr(),
                dataset.raw.as_ptr(),
                result.raw.as_ptr(),
                std::ptr::null_mut(),
                1,
                None,
                None,
            )
        };
        result.loss()
    }
}

impl Drop for TrainContext<'_> {
    fn drop(&mut self) {
        // SAFETY: we own the context; nothing else holds it.
        unsafe { sys::llama_free(self.raw.as_ptr()) }
    }
}

/// A `ggml_opt` dataset: inputs and labels (the same tokens moved by one), both I32.
struct Dataset {
    raw: NonNull<sys::ggml_opt_dataset>,
}

impl Dataset {
    fn one_window(tokens: &[i32], n: usize) -> Self {
        // SAFETY: plain constructor; one datapoint of n I32 inputs and n I32 labels.
        let raw = unsafe {
            sys::ggml_opt_dataset_init(
                sys::GGML_TYPE_I32,
                sys::GGML_TYPE_I32,
                n as i64,
                n as i64,
                1,
                1,
            )
        };
        let raw = NonNull::new(raw).expect("ggml_opt_dataset_init returned null");
        // SAFETY: the dataset's data and label tensors are host tensors of exactly n I32
        // values each (ne_datapoint * ndata), allocated by the call above.
        unsafe {
            let data = (*sys::ggml_opt_dataset_data(raw.as_ptr())).data as *mut i32;
            let labels = (*sys::ggml_opt_dataset_labels(raw.as_ptr())).data as *mut i32;
            std::ptr::copy_nonoverlapping(tokens.as_ptr(), data, n);
            std::ptr::copy_nonoverlapping(tokens.as_ptr().add(1), labels, n);
        }
        Self { raw }
    }
}

impl Drop for Dataset {
    fn drop(&mut self) {
        // SAFETY: we own the dataset.
        unsafe { sys::ggml_opt_dataset_free(self.raw.as_ptr()) }
    }
}

struct OptResult {
    raw: NonNull<sys::ggml_opt_result>,
}

impl OptResult {
    fn new() -> Self {
        // SAFETY: plain constructor.
        let raw = unsafe { sys::ggml_opt_result_init() };
        Self {
            raw: NonNull::new(raw).expect("ggml_opt_result_init returned null"),
        }
    }

    fn loss(&self) -> f64 {
        let (mut loss, mut unc) = (0.0f64, 0.0f64);
        // SAFETY: the result is live; both out-pointers are valid f64s.
        unsafe { sys::ggml_opt_result_loss(self.raw.as_ptr(), &mut loss, &mut unc) };
        loss
    }
}

impl Drop for OptResult {
    fn drop(&mut self) {
        // SAFETY: we own the result.
        unsafe { sys::ggml_opt_result_free(self.raw.as_ptr()) }
    }
}

/// A GGUF file's metadata, read without its tensor data.
struct GgufMeta {
    raw: NonNull<sys::gguf_context>,
}

impl GgufMeta {
    fn open(path: &Path) -> Result<Self, FfiError> {
        let c = c_path(path)?;
        let params = sys::gguf_init_params {
            no_alloc: true,
            ctx: std::ptr::null_mut(),
        };
        // SAFETY: `c` outlives the call; no_alloc reads only the header.
        let raw = unsafe { sys::gguf_init_from_file(c.as_ptr(), params) };
        NonNull::new(raw)
            .map(|raw| Self { raw })
            .ok_or_else(|| FfiError::Metadata(path.display().to_string()))
    }
}

impl Drop for GgufMeta {
    fn drop(&mut self) {
        // SAFETY: we own the context.
        unsafe { sys::gguf_free(self.raw.as_ptr()) }
    }
}

/// Writes `to`: the tensors of `trained` (as llama.cpp saved them) under every metadata key
/// of `original` (context length, chat template, tokenizer), marked F32.
pub fn restore_metadata(trained: &Path, original: &Path, to: &Path) -> Result<(), FfiError> {
    let saved = GgufMeta::open(trained)?;
    let source = GgufMeta::open(original)?;
    let file_type = CString::new("general.file_type").expect("no NUL");
    // SAFETY: both contexts are live; set_kv copies every key (strings and arrays are copied,
    // not borrowed), then the file type is set to what the tensors are.
    let (meta, data_offset) = unsafe {
        sys::gguf_set_kv(saved.raw.as_ptr(), source.raw.as_ptr());
        sys::gguf_set_val_u32(
            saved.raw.as_ptr(),
            file_type.as_ptr(),
            sys::LLAMA_FTYPE_ALL_F32,
        );
        let size = sys::gguf_get_meta_size(saved.raw.as_ptr());
        let mut meta = vec![0u8; size];
        sys::gguf_get_meta_data(saved.raw.as_ptr(), meta.as_mut_ptr() as *mut c_void);
        (meta, sys::gguf_get_data_offset(saved.raw.as_ptr()))
    };
    copy_with_header(trained, data_offset as u64, &meta, to)
}

/// `to` = `header` followed by `from`'s bytes from `offset` on (the tensor data, whose
/// offsets are relative to the end of the header, so they stay valid).
fn copy_with_header(from: &Path, offset: u64, header: &[u8], to: &Path) -> Result<(), FfiError> {
    use std::io::{Seek, SeekFrom, Write};
    let write_err = |source| FfiError::Write {
        path: to.display().to_string(),
        source,
    };
    let mut input = std::fs::File::open(from).map_err(write_err)?;
    input.seek(SeekFrom::Start(offset)).map_err(write_err)?;
    let mut output = std::io::BufWriter::new(std::fs::File::create(to).map_err(write_err)?);
    output.write_all(header).map_err(write_err)?;
    std::io::copy(&mut input, &mut output).map_err(write_err)?;
    output.flush().map_err(write_err)?;
    Ok(())
}
