//! A Rust reading of a GGUF file's header, done before llama.cpp ever sees the file: the magic,
//! the version, every key and tensor record, and that the file is long enough for every tensor
//! it declares. llama.cpp aborts the process on some malformed files; this check turns them
//! into one clear sentence. It also yields the facts `pai model list` shows.
//!
//! The files come from the internet, so the reading is bounded by construction: no recursion
//! on file data, no allocation sized by a count before the bytes behind it are known to exist,
//! every length checked against what is left of the file (and a cap) before it is read, and
//! nothing but a regular file opened.
use std::fs::File;
use std::path::Path;

mod ggml_types;
mod read;

pub use ggml_types::tensor_type_label;
use ggml_types::{file_type_name, type_name};
use read::{parse, Reader};

const MAGIC: &[u8; 4] = b"GGUF";
/// How much of a path, key or value an error message shows.
const SHOWN_PATH: usize = 200;
const SHOWN_NAME: usize = 80;
const TOKENS_KEY: &str = "tokenizer.ggml.tokens";
pub const T_U32: u32 = 4;
pub const T_F32: u32 = 6;
const T_STRING: u32 = 8;
const T_ARRAY: u32 = 9;

#[derive(Debug, thiserror::Error)]
pub enum GgufError {
    #[error("{path} does not exist")]
    Missing { path: String },
    #[error("cannot read {path}: {source}")]
    Unreadable {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a GGUF model file ({why})")]
    NotGguf { path: String, why: String },
    #[error(
        "{path} is a GGUF file of version {version}, which pai cannot read (versions 2 and 3)"
    )]
    Version { path: String, version: u32 },
    #[error("{path} is damaged: {why}")]
    Corrupt { path: String, why: String },
    #[error("{path} is truncated: its header and tensors need at least {needed} bytes but the file has {actual}")]
    Truncated {
        path: String,
        needed: u64,
        actual: u64,
    },
}

/// A metadata value, kept small: arrays are remembered by item type and length only.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    Array { item: u32, len: u64 },
}

impl Value {
    /// The value as an error message shows it: short, on one line.
    pub fn shown(&self) -> String {
        match self {
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Str(s) => format!("'{}'", crate::render::clip(s, SHOWN_NAME)),
            Value::Array { item, len } => format!("an array of {len} {}", type_label(*item)),
        }
    }
}

/// GGUF's name for a metadata type, as llama.cpp's messages say it.
pub fn type_label(ty: u32) -> &'static str {
    match ty {
        0 => "u8",
        1 => "i8",
        2 => "u16",
        3 => "i16",
        T_U32 => "u32",
        5 => "i32",
        T_F32 => "f32",
        7 => "bool",
        T_STRING => "string",
        T_ARRAY => "array",
        10 => "u64",
        11 => "i64",
        12 => "f64",
        _ => "unknown type",
    }
}

/// What a vocabulary (`tokenizer.ggml.tokens`) holds, read without keeping its texts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocab {
    pub tokens: u64,
    /// Tokens whose text is empty.
    pub empty: u64,
    /// The first token whose text an earlier one has (llama.cpp's vocabulary asserts the
    /// texts are unique): its index and text.
    pub duplicate: Option<(u64, String)>,
    /// Bitmap of the bytes with a token of their own, `<0x0A>` or the byte itself: what
    /// SentencePiece's byte fallback looks up (and throws on when one is missing).
    byte_tokens: [u64; 4],
}

impl Vocab {
    fn note_byte_token(&mut self, text: &[u8]) {
        let byte = match text {
            [b] => Some(*b),
            [b'<', b'0', b'x', hi, lo, b'>'] => {
                let hex = |c: u8| (c as char).to_digit(16).filter(|_| !c.is_ascii_lowercase());
                hex(*hi).zip(hex(*lo)).map(|(h, l)| (h * 16 + l) as u8)
            }
            _ => None,
        };
        if let Some(b) = byte {
            self.byte_tokens[b as usize / 64] |= 1 << (b % 64);
        }
    }

    /// The first byte without a token of its own, if any.
    pub fn missing_byte(&self) -> Option<u8> {
        (0..=255u8).find(|b| self.byte_tokens[*b as usize / 64] & (1 << (b % 64)) == 0)
    }
}

/// A tensor's name and dimensions as GGUF stores them (ggml's `ne`: `dims[0]` varies fastest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorShape {
    pub name: String,
    pub dims: Vec<u64>,
    /// ggml's type number: 0 is F32.
    pub ggml_type: u32,
}

#[derive(Debug, Clone)]
pub struct GgufInfo {
    pub version: u32,
    pub file_size: u64,
    pub tensor_count: u64,
    pub parameters: u64,
    pub metadata: Vec<(String, Value)>,
    /// Each metadata value's GGUF type, in the order of `metadata`: llama.cpp reads some keys
    /// as one type only.
    types: Vec<u32>,
    /// What the vocabulary holds, when the file has one.
    pub vocab: Option<Vocab>,
    /// Every tensor's name and shape, for checking a LoRA adapter against its base.
    pub tensors: Vec<TensorShape>,
    /// The most common tensor type, for files whose header does not name a quantization.
    dominant_type: Option<u32>,
}

impl GgufInfo {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.metadata.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// The GGUF type `key` is stored as.
    pub fn value_type(&self, key: &str) -> Option<u32> {
        let at = self.metadata.iter().position(|(k, _)| k == key)?;
        self.types.get(at).copied()
    }

    pub fn get_int(&self, key: &str) -> Option<i64> {
        match self.get(key) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }

    /// An info made by hand, for tests of what reads one.
    #[cfg(test)]
    pub fn for_tests(metadata: Vec<(String, Value)>, tensors: Vec<TensorShape>) -> Self {
        let types = metadata
            .iter()
            .map(|(_, v)| match v {
                Value::Int(_) => T_U32,
                Value::Float(_) => T_F32,
                Value::Bool(_) => 7,
                Value::Str(_) => T_STRING,
                Value::Array { .. } => T_ARRAY,
            })
            .collect();
        Self {
            version: 3,
            file_size: 0,
            tensor_count: tensors.len() as u64,
            parameters: 0,
            metadata,
            types,
            vocab: None,
            tensors,
            dominant_type: None,
        }
    }

    pub fn architecture(&self) -> &str {
        self.get_str("general.architecture").unwrap_or("unknown")
    }

    pub fn name(&self) -> Option<&str> {
        self.get_str("general.name")
    }

    pub fn context_length(&self) -> Option<u64> {
        let key = format!("{}.context_length", self.architecture());
        self.get_int(&key).and_then(|n| u64::try_from(n).ok())
    }

    pub fn chat_template(&self) -> Option<&str> {
        self.get_str("tokenizer.chat_template")
    }

    pub fn quantization(&self) -> String {
        if let Some(ftype) = self.get_int("general.file_type") {
            if let Some(name) = file_type_name(ftype) {
                return name.to_string();
            }
        }
        match self.dominant_type.and_then(type_name) {
            Some(name) => name.to_string(),
            None => "unknown".to_string(),
        }
    }
}

/// Reads and checks the header of the GGUF file at `path`.
pub fn inspect(path: &Path) -> Result<GgufInfo, GgufError> {
    let shown = crate::render::clip(&path.display().to_string(), SHOWN_PATH);
    let file = open_regular(path, &shown)?;
    let meta = file.metadata().map_err(|source| GgufError::Unreadable {
        path: shown.clone(),
        source,
    })?;
    let mut reader = Reader::new(file, meta.len());
    parse(&mut reader).map_err(|e| e.into_error(shown, meta.len()))
}

/// Opens `path` only when it is a regular file: opening a FIFO named `x.gguf` would block
/// until something writes to it, and a device never ends. The file is opened non-blocking and
/// looked at again, in case it was swapped between the two looks.
fn open_regular(path: &Path, shown: &str) -> Result<File, GgufError> {
    let unreadable = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::NotFound => GgufError::Missing {
            path: shown.to_string(),
        },
        _ => GgufError::Unreadable {
            path: shown.to_string(),
            source,
        },
    };
    let not_regular = |meta: &std::fs::Metadata| GgufError::NotGguf {
        path: shown.to_string(),
        why: if meta.is_dir() {
            "it is a folder".into()
        } else {
            "it is not a regular file (a pipe, socket or device)".into()
        },
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok(file)
}

/// "135M", "1.2B": how people say parameter counts.
pub fn human_parameters(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 => format!("{:.1}B", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{}M", (n as f64 / 1e6).round()),
        n => format!("{}K", (n as f64 / 1e3).round()),
    }
}

#[cfg(test)]
mod tests;
