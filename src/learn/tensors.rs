//! A GGUF file's tensors in memory, and GGUF files written from matrices, through ggml's gguf
//! API (which `llama-cpp-2` does not wrap). `adapter` uses it to take the difference between
//! the weights before and after training and to write that difference as a LoRA adapter; the
//! unsafe calls live here, next to `ffi`'s, behind safe methods.
use std::ffi::{CStr, CString};
use std::path::Path;
use std::ptr::NonNull;

use llama_cpp_sys_2 as sys;

use super::ffi::{c_path, FfiError};

/// Every tensor of a GGUF file, loaded into one ggml context, with the file's metadata.
pub struct Tensors {
    gguf: NonNull<sys::gguf_context>,
    ctx: NonNull<sys::ggml_context>,
}

/// A two-dimensional tensor's name and shape in ggml's order: `inputs` (ne0) numbers per row,
/// `outputs` (ne1) rows; the matrix that multiplies an input vector is `outputs × inputs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub name: String,
    pub inputs: usize,
    pub outputs: usize,
}

impl Tensors {
    pub fn load(path: &Path) -> Result<Self, FfiError> {
        let c = c_path(path)?;
        let mut ctx: *mut sys::ggml_context = std::ptr::null_mut();
        let params = sys::gguf_init_params {
            no_alloc: false,
            ctx: &mut ctx,
        };
        // SAFETY: `c` outlives the call; with no_alloc false, gguf allocates a ggml context for
        // the tensor data and hands it back through `ctx`, which we then own.
        let raw = unsafe { sys::gguf_init_from_file(c.as_ptr(), params) };
        match (NonNull::new(raw), NonNull::new(ctx)) {
            (Some(gguf), Some(ctx)) => Ok(Self { gguf, ctx }),
            (gguf, ctx) => {
                // SAFETY: whichever was made is freed once; the other is null.
                unsafe {
                    if let Some(g) = gguf {
                        sys::gguf_free(g.as_ptr());
                    }
                    if let Some(c) = ctx {
                        sys::ggml_free(c.as_ptr());
                    }
                }
                Err(FfiError::Metadata(path.display().to_string()))
            }
        }
    }

    /// A string value of the metadata.
    pub fn text(&self, key: &str) -> Option<String> {
        let key = CString::new(key).ok()?;
        // SAFETY: the context is live; the key id is checked before the value is read, and
        // the value is copied before the context can go.
        unsafe {
            let id = sys::gguf_find_key(self.gguf.as_ptr(), key.as_ptr());
            if id < 0 || sys::gguf_get_kv_type(self.gguf.as_ptr(), id) != sys::GGUF_TYPE_STRING {
                return None;
            }
            let value = sys::gguf_get_val_str(self.gguf.as_ptr(), id);
            Some(CStr::from_ptr(value).to_string_lossy().into_owned())
        }
    }

    /// A float value of the metadata.
    pub fn number(&self, key: &str) -> Option<f32> {
        let key = CString::new(key).ok()?;
        // SAFETY: as in `text`.
        unsafe {
            let id = sys::gguf_find_key(self.gguf.as_ptr(), key.as_ptr());
            if id < 0 || sys::gguf_get_kv_type(self.gguf.as_ptr(), id) != sys::GGUF_TYPE_FLOAT32 {
                return None;
            }
            Some(sys::gguf_get_val_f32(self.gguf.as_ptr(), id))
        }
    }

    /// Every two-dimensional F32 or F16 tensor, in file order.
    pub fn matrices(&self) -> Vec<Shape> {
        self.names()
            .into_iter()
            .filter_map(|name| {
                let t = self.tensor(&name)?;
                let two_d = t.ne[1] > 1 && t.ne[2] == 1 && t.ne[3] == 1;
                let float = t.type_ == sys::GGML_TYPE_F32 || t.type_ == sys::GGML_TYPE_F16;
                (two_d && float).then(|| Shape {
                    inputs: t.ne[0] as usize,
                    outputs: t.ne[1] as usize,
                    name,
                })
            })
            .collect()
    }

    /// A tensor's numbers as F32 (F16 is widened), or None when it is absent or quantized.
    pub fn values(&self, name: &str) -> Option<Vec<f32>> {
        let t = self.tensor(name)?;
        let n = t.ne.iter().product::<i64>() as usize;
        let mut out = vec![0f32; n];
        // SAFETY: `t.data` holds `n` elements of `t.type_` (ggml allocated them for this
        // tensor); `out` has room for `n` floats.
        unsafe {
            match t.type_ {
                sys::GGML_TYPE_F32 => {
                    std::ptr::copy_nonoverlapping(t.data as *const f32, out.as_mut_ptr(), n)
                }
                sys::GGML_TYPE_F16 => {
                    sys::ggml_fp16_to_fp32_row(t.data as *const u16, out.as_mut_ptr(), n as i64)
                }
                _ => return None,
            }
        }
        Some(out)
    }

    /// The numbers of an F32 tensor, to change in place.
    pub fn values_mut(&mut self, name: &str) -> Option<&mut [f32]> {
        let t = self.tensor(name)?;
        if t.type_ != sys::GGML_TYPE_F32 {
            return None;
        }
        let n = t.ne.iter().product::<i64>() as usize;
        // SAFETY: the data is `n` F32 values owned by our ggml context, borrowed mutably
        // through `&mut self` for no longer than `self` lives.
        Some(unsafe { std::slice::from_raw_parts_mut(t.data as *mut f32, n) })
    }

    /// Writes every tensor, as it is now, under this file's metadata.
    pub fn save(&self, path: &Path) -> Result<(), FfiError> {
        let out = Writer::new(Some(self))?;
        for name in self.names() {
            if let Some(t) = self.tensor(&name) {
                // SAFETY: `t` is a live tensor of ours; gguf copies its header and keeps its
                // data pointer, which outlives the write below.
                unsafe { sys::gguf_add_tensor(out.gguf.as_ptr(), t) };
            }
        }
        out.write(path)
    }

    fn names(&self) -> Vec<String> {
        // SAFETY: the context is live; each name is copied.
        unsafe {
            let n = sys::gguf_get_n_tensors(self.gguf.as_ptr());
            (0..n)
                .map(|i| {
                    let name = sys::gguf_get_tensor_name(self.gguf.as_ptr(), i);
                    CStr::from_ptr(name).to_string_lossy().into_owned()
                })
                .collect()
        }
    }

    fn tensor(&self, name: &str) -> Option<&sys::ggml_tensor> {
        let c = CString::new(name).ok()?;
        // SAFETY: the tensor, when found, belongs to our context and lives as long as `self`.
        unsafe { sys::ggml_get_tensor(self.ctx.as_ptr(), c.as_ptr()).as_ref() }
    }
}

impl Drop for Tensors {
    fn drop(&mut self) {
        // SAFETY: we own both; nothing borrows them once `self` goes.
        unsafe {
            sys::gguf_free(self.gguf.as_ptr());
            sys::ggml_free(self.ctx.as_ptr());
        }
    }
}

/// A GGUF file being put together: metadata, then F16 matrices whose numbers it owns until
/// it is written.
pub struct Writer {
    gguf: NonNull<sys::gguf_context>,
    /// Tensor headers only (no data): gguf copies a header when a tensor is added.
    headers: NonNull<sys::ggml_context>,
    data: Vec<Vec<u16>>,
}

impl Writer {
    /// An empty file, with `like`'s metadata when given.
    pub fn new(like: Option<&Tensors>) -> Result<Self, FfiError> {
        let params = sys::ggml_init_params {
            // Room for the headers of every tensor an adapter of a large model has.
            mem_size: 4096 * unsafe { sys::ggml_tensor_overhead() },
            mem_buffer: std::ptr::null_mut(),
            no_alloc: true,
        };
        // SAFETY: plain constructors; each result is checked for null and then owned.
        let (gguf, headers) = unsafe { (sys::gguf_init_empty(), sys::ggml_init(params)) };
        let (Some(gguf), Some(headers)) = (NonNull::new(gguf), NonNull::new(headers)) else {
            return Err(FfiError::Metadata("a new GGUF file".into()));
        };
        if let Some(like) = like {
            // SAFETY: both live; every key is copied.
            unsafe { sys::gguf_set_kv(gguf.as_ptr(), like.gguf.as_ptr()) };
        }
        Ok(Self {
            gguf,
            headers,
            data: Vec::new(),
        })
    }

    pub fn set_text(&mut self, key: &str, value: &str) {
        let (k, v) = (cstring(key), cstring(value));
        // SAFETY: both strings outlive the call; gguf copies them.
        unsafe { sys::gguf_set_val_str(self.gguf.as_ptr(), k.as_ptr(), v.as_ptr()) }
    }

    /// Adds `values` (`outputs` rows of `inputs` numbers) as an F16 matrix named `name`.
    pub fn add_matrix(&mut self, name: &str, inputs: usize, outputs: usize, values: &[f32]) {
        assert_eq!(
            values.len(),
            inputs * outputs,
            "a matrix's size fits its shape"
        );
        let mut half = vec![0u16; values.len()];
        let c = cstring(name);
        // SAFETY: `half` has room for every value; the header context has room for 4096
        // headers (an adapter has two per matrix); the data pointer handed to gguf is `half`'s
        // heap buffer, which `self.data` keeps (unmoved) until the file is written.
        unsafe {
            sys::ggml_fp32_to_fp16_row(values.as_ptr(), half.as_mut_ptr(), values.len() as i64);
            let t = sys::ggml_new_tensor_2d(
                self.headers.as_ptr(),
                sys::GGML_TYPE_F16,
                inputs as i64,
                outputs as i64,
            );
            sys::ggml_set_name(t, c.as_ptr());
            sys::gguf_add_tensor(self.gguf.as_ptr(), t);
            sys::gguf_set_tensor_data(self.gguf.as_ptr(), c.as_ptr(), half.as_ptr().cast());
        }
        self.data.push(half);
    }

    /// Writes the file through a temporary one, so a failure leaves nothing half-written.
    pub fn write(self, path: &Path) -> Result<(), FfiError> {
        let tmp = path.with_extension("gguf.tmp");
        let c = c_path(&tmp)?;
        // SAFETY: the context and every data pointer it holds are live.
        let ok = unsafe { sys::gguf_write_to_file(self.gguf.as_ptr(), c.as_ptr(), false) };
        let failed = |why: &str| FfiError::Write {
            path: path.display().to_string(),
            source: std::io::Error::other(why.to_string()),
        };
        if !ok {
            let _ = std::fs::remove_file(&tmp);
            return Err(failed("ggml could not write the file"));
        }
        std::fs::rename(&tmp, path).map_err(|source| FfiError::Write {
            path: path.display().to_string(),
            source,
        })
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // SAFETY: we own both.
        unsafe {
            sys::gguf_free(self.gguf.as_ptr());
            sys::ggml_free(self.headers.as_ptr());
        }
    }
}

fn cstring(text: &str) -> CString {
    CString::new(text.replace('\0', "")).expect("NULs were removed")
}
