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
use std::io::{BufReader, Read};
use std::path::Path;

const MAGIC: &[u8; 4] = b"GGUF";
/// How much of a path, key or value an error message shows.
const SHOWN_PATH: usize = 200;
const SHOWN_NAME: usize = 80;
const MAX_DIMS: u32 = 4;
const DEFAULT_ALIGNMENT: u64 = 32;
/// Where ggml's CPU code wants every tensor's data to start (TENSOR_ALIGNMENT).
const TENSOR_ALIGNMENT: u64 = 32;
/// Key and tensor names are short identifiers; llama.cpp keeps tensor names to 64 bytes.
const MAX_KEY: u64 = 64 << 10;
/// A metadata string kept in memory; the longest real ones, chat templates, are a few KiB.
const MAX_STRING: u64 = 16 << 20;
/// A token's text; real ones are at most a few hundred bytes.
const MAX_TOKEN: u64 = 1 << 20;
/// Keys or tensors in one file: the largest models hold a few thousand tensors.
const MAX_RECORDS: u64 = 1 << 20;
/// What a count from the file may reserve up front; past it, vectors grow as records are read.
const PREALLOCATE: u64 = 4096;
/// The least bytes a key takes: its length, a type and a one-byte value.
const KV_MIN_BYTES: u64 = 8 + 4 + 1;
/// The least bytes a tensor record takes: name length, dimension count, one dimension, type
/// and offset.
const TENSOR_MIN_BYTES: u64 = 8 + 4 + 8 + 4 + 8;
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
    let mut reader = Reader {
        inner: BufReader::with_capacity(1 << 16, file),
        pos: 0,
        len: meta.len(),
    };
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

/// Why parsing stopped, before the path is attached.
enum Fault {
    NotGguf(String),
    Version(u32),
    Corrupt(String),
    Truncated(u64),
    Io(std::io::Error),
}

impl Fault {
    fn into_error(self, path: String, actual: u64) -> GgufError {
        match self {
            Fault::NotGguf(why) => GgufError::NotGguf { path, why },
            Fault::Version(version) => GgufError::Version { path, version },
            Fault::Corrupt(why) => GgufError::Corrupt { path, why },
            Fault::Truncated(needed) => GgufError::Truncated {
                path,
                needed,
                actual,
            },
            Fault::Io(source) => GgufError::Unreadable { path, source },
        }
    }
}

struct Reader {
    inner: BufReader<File>,
    pos: u64,
    len: u64,
}

impl Reader {
    fn remaining(&self) -> u64 {
        self.len.saturating_sub(self.pos)
    }

    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], Fault> {
        if self.remaining() < N as u64 {
            return Err(Fault::Truncated(self.pos + N as u64));
        }
        let mut buf = [0u8; N];
        self.inner.read_exact(&mut buf).map_err(Fault::Io)?;
        self.pos += N as u64;
        Ok(buf)
    }

    fn u32(&mut self) -> Result<u32, Fault> {
        self.bytes::<4>().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, Fault> {
        self.bytes::<8>().map(u64::from_le_bytes)
    }

    fn skip(&mut self, n: u64) -> Result<(), Fault> {
        if self.remaining() < n {
            return Err(Fault::Truncated(self.pos.saturating_add(n)));
        }
        let offset =
            i64::try_from(n).map_err(|_| Fault::Corrupt("a length is too large".into()))?;
        self.inner.seek_relative(offset).map_err(Fault::Io)?;
        self.pos += n;
        Ok(())
    }

    /// Reads a length-prefixed string into `buf`. The length is checked against what is left
    /// of the file and against `cap` before a byte is allocated; `what` names it in the error.
    fn string_into(
        &mut self,
        buf: &mut Vec<u8>,
        cap: u64,
        what: impl FnOnce() -> String,
    ) -> Result<(), Fault> {
        let n = self.u64()?;
        if n > self.remaining() {
            return Err(Fault::Truncated(self.pos.saturating_add(n)));
        }
        if n > cap {
            return Err(Fault::Corrupt(format!(
                "{} is {n} bytes long, more than the {cap} pai accepts",
                what()
            )));
        }
        buf.clear();
        buf.resize(n as usize, 0);
        self.inner.read_exact(buf).map_err(Fault::Io)?;
        self.pos += n;
        Ok(())
    }

    fn string(&mut self, cap: u64, what: impl FnOnce() -> String) -> Result<String, Fault> {
        let mut buf = Vec::new();
        self.string_into(&mut buf, cap, what)?;
        // Valid UTF-8 (nearly always) becomes the String without a second copy.
        Ok(String::from_utf8(buf)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    fn skip_string(&mut self) -> Result<(), Fault> {
        let n = self.u64()?;
        self.skip(n)
    }
}

/// A key or tensor name as an error shows it: one line, and short.
fn shown(name: &str) -> String {
    crate::render::clip(name, SHOWN_NAME)
}

fn parse(r: &mut Reader) -> Result<GgufInfo, Fault> {
    let version = read_preamble(r)?;
    let tensor_count = r.u64()?;
    let kv_count = r.u64()?;
    check_counts(r, tensor_count, kv_count)?;
    let (metadata, types, vocab) = read_metadata(r, kv_count)?;
    let alignment = alignment(&metadata, &types)?;
    let tensors = read_tensors(r, tensor_count)?;
    let data_start = r.pos.div_ceil(alignment) * alignment;
    // Like llama.cpp, a file without tensors needs no padding after its header.
    let mut needed = if tensors.is_empty() {
        r.pos
    } else {
        data_start
    };
    let mut parameters = 0u64;
    let mut type_counts = std::collections::HashMap::<u32, u64>::new();
    for t in &tensors {
        let size = t.byte_size()?;
        let start = data_start.saturating_add(t.offset);
        // llama.cpp maps the file and computes on the tensors where they lie; its CPU code
        // asserts that each starts on a 32-byte boundary.
        if !start.is_multiple_of(TENSOR_ALIGNMENT) {
            return Err(Fault::Corrupt(format!(
                "the data of tensor {} starts at byte {start}, not on the 32-byte boundary llama.cpp needs (general.alignment is {alignment})",
                shown(&t.name)
            )));
        }
        needed = needed.max(start.saturating_add(size));
        parameters = parameters.saturating_add(t.elements);
        *type_counts.entry(t.ggml_type).or_default() += t.elements;
    }
    if needed > r.len {
        return Err(Fault::Truncated(needed));
    }
    let dominant_type = type_counts
        .into_iter()
        .filter(|(ty, _)| !matches!(ty, 0 | 1 | 30)) // float tensors say little about quantization
        .max_by_key(|(_, n)| *n)
        .map(|(ty, _)| ty);
    Ok(GgufInfo {
        version,
        file_size: r.len,
        tensor_count,
        parameters,
        metadata,
        types,
        vocab,
        tensors: tensors
            .into_iter()
            .map(|t| TensorShape {
                name: t.name,
                dims: t.dims,
                ggml_type: t.ggml_type,
            })
            .collect(),
        dominant_type,
    })
}

fn read_preamble(r: &mut Reader) -> Result<u32, Fault> {
    if r.len < 4 {
        return Err(Fault::NotGguf(format!("it is only {} bytes long", r.len)));
    }
    if &r.bytes::<4>()? != MAGIC {
        return Err(Fault::NotGguf(
            "it does not start with the GGUF magic".into(),
        ));
    }
    let version = r.u32()?;
    if !(2..=3).contains(&version) {
        return Err(Fault::Version(version));
    }
    Ok(version)
}

/// Every record takes a least size, so counts the rest of the file cannot hold are a lie; and
/// past a hard cap no real model goes, whatever the file's size.
fn check_counts(r: &Reader, tensor_count: u64, kv_count: u64) -> Result<(), Fault> {
    let least = tensor_count
        .saturating_mul(TENSOR_MIN_BYTES)
        .saturating_add(kv_count.saturating_mul(KV_MIN_BYTES));
    if least > r.remaining() {
        return Err(Fault::Truncated(r.pos.saturating_add(least)));
    }
    for (count, what) in [(tensor_count, "tensors"), (kv_count, "metadata keys")] {
        if count > MAX_RECORDS {
            return Err(Fault::Corrupt(format!(
                "it declares {count} {what}, more than the {MAX_RECORDS} pai accepts"
            )));
        }
    }
    Ok(())
}

type Metadata = (Vec<(String, Value)>, Vec<u32>, Option<Vocab>);

fn read_metadata(r: &mut Reader, kv_count: u64) -> Result<Metadata, Fault> {
    // Grown as records are read: the count is only a claim until the bytes are there.
    let mut metadata = Vec::with_capacity(kv_count.min(PREALLOCATE) as usize);
    let mut types = Vec::with_capacity(kv_count.min(PREALLOCATE) as usize);
    let mut vocab = None;
    let mut seen = std::collections::HashSet::new();
    for i in 0..kv_count {
        let key = r.string(MAX_KEY, || format!("the name of metadata key {i}"))?;
        if key.is_empty() {
            return Err(Fault::Corrupt(format!(
                "metadata key {i} has an empty name"
            )));
        }
        if !seen.insert(hash_of(key.as_bytes())) && metadata.iter().any(|(k, _)| *k == key) {
            return Err(Fault::Corrupt(format!(
                "the metadata key {} appears twice",
                shown(&key)
            )));
        }
        let ty = r.u32()?;
        let value = if key == TOKENS_KEY && ty == T_ARRAY {
            let (value, facts) = read_vocab(r)?;
            vocab = facts;
            value
        } else {
            read_typed(r, ty, &key)?
        };
        metadata.push((key, value));
        types.push(ty);
    }
    Ok((metadata, types, vocab))
}

/// `general.alignment`, which llama.cpp reads only as a u32 power of two.
fn alignment(metadata: &[(String, Value)], types: &[u32]) -> Result<u64, Fault> {
    let Some(at) = metadata.iter().position(|(k, _)| k == "general.alignment") else {
        return Ok(DEFAULT_ALIGNMENT);
    };
    match (&metadata[at].1, types[at]) {
        (Value::Int(a), T_U32) if *a > 0 && (*a as u64).is_power_of_two() => Ok(*a as u64),
        (value, ty) => Err(Fault::Corrupt(format!(
            "its general.alignment is {} ({}), and llama.cpp needs a power of two stored as a u32",
            value.shown(),
            type_label(ty)
        ))),
    }
}

fn read_typed(r: &mut Reader, ty: u32, key: &str) -> Result<Value, Fault> {
    Ok(match ty {
        0 => Value::Int(r.bytes::<1>()?[0] as i64),
        1 => Value::Int(r.bytes::<1>()?[0] as i8 as i64),
        2 => Value::Int(u16::from_le_bytes(r.bytes::<2>()?) as i64),
        3 => Value::Int(i16::from_le_bytes(r.bytes::<2>()?) as i64),
        4 => Value::Int(r.u32()? as i64),
        5 => Value::Int(r.u32()? as i32 as i64),
        6 => Value::Float(f32::from_le_bytes(r.bytes::<4>()?) as f64),
        7 => Value::Bool(r.bytes::<1>()?[0] != 0),
        T_STRING => Value::Str(r.string(MAX_STRING, || format!("the value of {}", shown(key)))?),
        T_ARRAY => {
            let item = r.u32()?;
            let len = r.u64()?;
            skip_array(r, item, len, key)?;
            Value::Array { item, len }
        }
        10 => Value::Int(r.u64()? as i64),
        11 => Value::Int(r.u64()? as i64),
        12 => Value::Float(f64::from_le_bytes(r.bytes::<8>()?)),
        other => {
            return Err(Fault::Corrupt(format!(
                "the metadata key {} has the unknown type {other}",
                shown(key)
            )))
        }
    })
}

fn scalar_size(ty: u32) -> Option<u64> {
    match ty {
        0 | 1 | 7 => Some(1),
        2 | 3 => Some(2),
        4..=6 => Some(4),
        10..=12 => Some(8),
        _ => None,
    }
}

/// Skips an array's items without keeping them. No recursion: llama.cpp cannot read an array
/// of arrays at all, so one is refused here, however deep it goes.
fn skip_array(r: &mut Reader, item: u32, len: u64, key: &str) -> Result<(), Fault> {
    if let Some(size) = scalar_size(item) {
        return r.skip(len.saturating_mul(size));
    }
    match item {
        T_STRING => {
            // Strings take at least 8 bytes each.
            if len > r.remaining() / 8 {
                return Err(Fault::Truncated(
                    r.pos.saturating_add(len.saturating_mul(8)),
                ));
            }
            (0..len).try_for_each(|_| r.skip_string())
        }
        T_ARRAY => Err(Fault::Corrupt(format!(
            "the metadata key {} holds an array of arrays, which llama.cpp cannot read",
            shown(key)
        ))),
        other => Err(Fault::Corrupt(format!(
            "the metadata key {} holds items of the unknown type {other}",
            shown(key)
        ))),
    }
}

/// Reads the vocabulary's token texts one at a time into one buffer, keeping only what the
/// checks need: a 64-bit hash of each text (about 2 MB for 262k tokens), the empty ones, and
/// which bytes have a token of their own.
fn read_vocab(r: &mut Reader) -> Result<(Value, Option<Vocab>), Fault> {
    let item = r.u32()?;
    let len = r.u64()?;
    if item != T_STRING {
        skip_array(r, item, len, TOKENS_KEY)?;
        return Ok((Value::Array { item, len }, None));
    }
    if len > r.remaining() / 8 {
        return Err(Fault::Truncated(
            r.pos.saturating_add(len.saturating_mul(8)),
        ));
    }
    let mut vocab = Vocab {
        tokens: len,
        ..Vocab::default()
    };
    let mut seen = std::collections::HashSet::with_capacity(len.min(PREALLOCATE) as usize);
    let mut text = Vec::new();
    for i in 0..len {
        r.string_into(&mut text, MAX_TOKEN, || {
            format!("token {i} of the vocabulary")
        })?;
        if text.is_empty() {
            // llama.cpp renames an empty token so, and the new name must be unique as well.
            vocab.empty += 1;
            text.extend_from_slice(format!("[EMPTY_{i}]").as_bytes());
        }
        vocab.note_byte_token(&text);
        if !seen.insert(hash_of(&text)) && vocab.duplicate.is_none() {
            vocab.duplicate = Some((i, shown(&String::from_utf8_lossy(&text))));
        }
    }
    Ok((Value::Array { item, len }, Some(vocab)))
}

fn hash_of(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

struct TensorRecord {
    name: String,
    dims: Vec<u64>,
    elements: u64,
    ggml_type: u32,
    offset: u64,
}

impl TensorRecord {
    fn byte_size(&self) -> Result<u64, Fault> {
        let (block, bytes) = type_layout(self.ggml_type).ok_or_else(|| {
            Fault::Corrupt(format!(
                "tensor {} has type {}, unknown to this build of pai",
                self.name, self.ggml_type
            ))
        })?;
        if !self.elements.is_multiple_of(block) {
            return Err(Fault::Corrupt(format!(
                "tensor {} has {} elements, not a whole number of blocks",
                self.name, self.elements
            )));
        }
        Ok(self.elements / block * bytes)
    }
}

fn read_tensors(r: &mut Reader, count: u64) -> Result<Vec<TensorRecord>, Fault> {
    let mut tensors = Vec::with_capacity(count.min(PREALLOCATE) as usize);
    for i in 0..count {
        let name = r.string(MAX_KEY, || format!("the name of tensor {i}"))?;
        let n_dims = r.u32()?;
        if n_dims == 0 || n_dims > MAX_DIMS {
            return Err(Fault::Corrupt(format!(
                "tensor {name} has {n_dims} dimensions"
            )));
        }
        let mut elements = 1u64;
        let mut dims = Vec::with_capacity(n_dims as usize);
        for _ in 0..n_dims {
            let dim = r.u64()?;
            elements = elements
                .checked_mul(dim)
                .ok_or_else(|| Fault::Corrupt(format!("tensor {name} is impossibly large")))?;
            dims.push(dim);
        }
        let ggml_type = r.u32()?;
        let offset = r.u64()?;
        tensors.push(TensorRecord {
            name,
            dims,
            elements,
            ggml_type,
            offset,
        });
    }
    Ok(tensors)
}

/// Elements per block and bytes per block of each ggml tensor type (ggml.c's type traits).
fn type_layout(ty: u32) -> Option<(u64, u64)> {
    Some(match ty {
        0 => (1, 4),      // F32
        1 => (1, 2),      // F16
        2 => (32, 18),    // Q4_0
        3 => (32, 20),    // Q4_1
        6 => (32, 22),    // Q5_0
        7 => (32, 24),    // Q5_1
        8 => (32, 34),    // Q8_0
        9 => (32, 36),    // Q8_1
        10 => (256, 84),  // Q2_K
        11 => (256, 110), // Q3_K
        12 => (256, 144), // Q4_K
        13 => (256, 176), // Q5_K
        14 => (256, 210), // Q6_K
        15 => (256, 292), // Q8_K
        16 => (256, 66),  // IQ2_XXS
        17 => (256, 74),  // IQ2_XS
        18 => (256, 98),  // IQ3_XXS
        19 => (256, 50),  // IQ1_S
        20 => (32, 18),   // IQ4_NL
        21 => (256, 110), // IQ3_S
        22 => (256, 82),  // IQ2_S
        23 => (256, 136), // IQ4_XS
        24 => (1, 1),     // I8
        25 => (1, 2),     // I16
        26 => (1, 4),     // I32
        27 => (1, 8),     // I64
        28 => (1, 8),     // F64
        29 => (256, 56),  // IQ1_M
        30 => (1, 2),     // BF16
        34 => (256, 54),  // TQ1_0
        35 => (256, 66),  // TQ2_0
        39 => (32, 17),   // MXFP4
        _ => return None,
    })
}

/// A tensor type as messages show it: `Q4_0`, or its number when pai has no name for it.
pub fn tensor_type_label(ty: u32) -> String {
    type_name(ty).map_or_else(|| format!("ggml type {ty}"), str::to_string)
}

fn type_name(ty: u32) -> Option<&'static str> {
    Some(match ty {
        0 => "F32",
        1 => "F16",
        2 => "Q4_0",
        3 => "Q4_1",
        6 => "Q5_0",
        7 => "Q5_1",
        8 => "Q8_0",
        10 => "Q2_K",
        11 => "Q3_K",
        12 => "Q4_K",
        13 => "Q5_K",
        14 => "Q6_K",
        20 => "IQ4_NL",
        23 => "IQ4_XS",
        30 => "BF16",
        39 => "MXFP4",
        _ => return None,
    })
}

/// llama.cpp's `llama_ftype` names, as `general.file_type` stores them.
fn file_type_name(ftype: i64) -> Option<&'static str> {
    Some(match ftype {
        0 => "F32",
        1 => "F16",
        2 => "Q4_0",
        3 => "Q4_1",
        7 => "Q8_0",
        8 => "Q5_0",
        9 => "Q5_1",
        10 => "Q2_K",
        11 => "Q3_K_S",
        12 => "Q3_K_M",
        13 => "Q3_K_L",
        14 => "Q4_K_S",
        15 => "Q4_K_M",
        16 => "Q5_K_S",
        17 => "Q5_K_M",
        18 => "Q6_K",
        19 => "IQ2_XXS",
        20 => "IQ2_XS",
        21 => "Q2_K_S",
        22 => "IQ3_XS",
        23 => "IQ3_XXS",
        24 => "IQ1_S",
        25 => "IQ4_NL",
        26 => "IQ3_S",
        27 => "IQ3_M",
        28 => "IQ2_S",
        29 => "IQ2_M",
        30 => "IQ4_XS",
        31 => "IQ1_M",
        32 => "BF16",
        36 => "TQ1_0",
        37 => "TQ2_0",
        38 => "MXFP4_MOE",
        _ => return None,
    })
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
mod tests {
    use super::*;
    use std::io::Write;

    fn gguf_bytes(tensor_bytes: usize) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&1u64.to_le_bytes()); // tensors
        b.extend_from_slice(&1u64.to_le_bytes()); // keys
        let key = b"general.architecture";
        b.extend_from_slice(&(key.len() as u64).to_le_bytes());
        b.extend_from_slice(key);
        b.extend_from_slice(&8u32.to_le_bytes());
        b.extend_from_slice(&5u64.to_le_bytes());
        b.extend_from_slice(b"llama");
        let name = b"w";
        b.extend_from_slice(&(name.len() as u64).to_le_bytes());
        b.extend_from_slice(name);
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&64u64.to_le_bytes()); // 64 F32 elements = 256 bytes
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&0u64.to_le_bytes());
        while b.len() % 32 != 0 {
            b.push(0);
        }
        b.extend(std::iter::repeat_n(0u8, tensor_bytes));
        b
    }

    fn write(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn a_complete_file_is_read() {
        let f = write(&gguf_bytes(256));
        let info = inspect(f.path()).unwrap();
        assert_eq!(info.architecture(), "llama");
        assert_eq!(info.parameters, 64);
        assert_eq!(info.quantization(), "unknown");
    }

    #[test]
    fn missing_tensor_bytes_are_found() {
        let f = write(&gguf_bytes(255));
        assert!(matches!(
            inspect(f.path()),
            Err(GgufError::Truncated { .. })
        ));
    }

    #[test]
    fn every_prefix_of_the_header_is_rejected_without_panicking() {
        let full = gguf_bytes(256);
        for n in 0..full.len() - 256 {
            let f = write(&full[..n]);
            assert!(inspect(f.path()).is_err(), "prefix of {n} bytes accepted");
        }
    }

    /// A header with `keys` (raw records: name, type, value bytes) and no tensors.
    fn header(keys: &[(&[u8], u32, Vec<u8>)]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&0u64.to_le_bytes());
        b.extend_from_slice(&(keys.len() as u64).to_le_bytes());
        for (key, ty, value) in keys {
            b.extend_from_slice(&(key.len() as u64).to_le_bytes());
            b.extend_from_slice(key);
            b.extend_from_slice(&ty.to_le_bytes());
            b.extend_from_slice(value);
        }
        b
    }

    fn strings(texts: &[&str]) -> Vec<u8> {
        let mut b = T_STRING.to_le_bytes().to_vec();
        b.extend_from_slice(&(texts.len() as u64).to_le_bytes());
        for t in texts {
            b.extend_from_slice(&(t.len() as u64).to_le_bytes());
            b.extend_from_slice(t.as_bytes());
        }
        b
    }

    #[test]
    fn arrays_nested_a_hundred_thousand_deep_are_refused_without_recursion() {
        let mut value = Vec::new();
        for _ in 0..100_000 {
            value.extend_from_slice(&T_ARRAY.to_le_bytes());
            value.extend_from_slice(&1u64.to_le_bytes());
        }
        value.extend_from_slice(&4u32.to_le_bytes());
        value.extend_from_slice(&0u64.to_le_bytes());
        let f = write(&header(&[(b"deep", T_ARRAY, value)]));
        let err = inspect(f.path()).unwrap_err().to_string();
        assert!(err.contains("array of arrays"), "{err}");
    }

    #[test]
    fn counts_the_file_cannot_hold_reserve_nothing() {
        // A 64 GiB sparse file whose tensor count would pass a "8 bytes a record" test: a
        // vector reserved from it would ask for tens of gigabytes.
        let mut b = gguf_bytes(0);
        let len = 64u64 << 30;
        b[8..16].copy_from_slice(&(len / 33).to_le_bytes());
        let f = write(&b);
        f.as_file().set_len(len).unwrap();
        let started = std::time::Instant::now();
        assert!(inspect(f.path()).is_err());
        assert!(started.elapsed().as_secs() < 5);
        b[8..16].copy_from_slice(&(len / 8).to_le_bytes());
        let f = write(&b);
        f.as_file().set_len(len).unwrap();
        assert!(matches!(
            inspect(f.path()),
            Err(GgufError::Truncated { .. })
        ));
    }

    #[test]
    fn a_key_as_long_as_the_file_is_refused_before_reading_it() {
        let mut b = header(&[]);
        b[16..24].copy_from_slice(&1u64.to_le_bytes());
        b.extend_from_slice(&(1u64 << 30).to_le_bytes());
        let f = write(&b);
        f.as_file()
            .set_len(b.len() as u64 + (1 << 30) + 16)
            .unwrap();
        let err = inspect(f.path()).unwrap_err().to_string();
        assert!(
            err.contains("the name of metadata key 0 is 1073741824 bytes long"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.gguf");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(inspect(&fifo).map(|_| ())));
        let got = rx.recv_timeout(std::time::Duration::from_secs(5));
        let err = got.expect("inspect blocked on a FIFO").unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn the_vocabulary_is_summed_up_without_keeping_it() {
        let tokens = strings(&["a", "", "<0x0A>", "b", "a"]);
        let f = write(&header(&[(TOKENS_KEY.as_bytes(), T_ARRAY, tokens)]));
        let vocab = inspect(f.path()).unwrap().vocab.unwrap();
        assert_eq!((vocab.tokens, vocab.empty), (5, 1));
        assert_eq!(vocab.duplicate, Some((4, "a".to_string())));
        assert_eq!(vocab.missing_byte(), Some(0));
        // llama.cpp names an empty token 3 "[EMPTY_3]", so that text taken by another clashes.
        let tokens = strings(&["[EMPTY_1]", ""]);
        let f = write(&header(&[(TOKENS_KEY.as_bytes(), T_ARRAY, tokens)]));
        assert!(inspect(f.path())
            .unwrap()
            .vocab
            .unwrap()
            .duplicate
            .is_some());
    }

    #[test]
    fn alignment_must_be_a_u32_power_of_two_and_tensors_32_byte_aligned() {
        for (ty, value) in [
            (T_U32, 3u32.to_le_bytes().to_vec()),
            (10, 32u64.to_le_bytes().to_vec()),
        ] {
            let f = write(&header(&[(b"general.alignment", ty, value)]));
            let err = inspect(f.path()).unwrap_err().to_string();
            assert!(err.contains("general.alignment"), "{err}");
        }
        // gguf_bytes' header is 102 bytes, padded to 128; with an alignment key of 33 bytes
        // and an alignment of 1, its data would start at byte 135.
        let mut b = gguf_bytes(256);
        assert_eq!(b.len(), 128 + 256);
        b.drain(102..128);
        b[16..24].copy_from_slice(&2u64.to_le_bytes());
        let mut key = Vec::new();
        key.extend_from_slice(&17u64.to_le_bytes());
        key.extend_from_slice(b"general.alignment");
        key.extend_from_slice(&T_U32.to_le_bytes());
        key.extend_from_slice(&1u32.to_le_bytes());
        b.splice(24..24, key);
        let f = write(&b);
        let err = inspect(f.path()).unwrap_err().to_string();
        assert!(err.contains("32-byte boundary"), "{err}");
    }

    #[test]
    fn text_is_not_gguf() {
        let f = write(b"not a model\n");
        assert!(matches!(inspect(f.path()), Err(GgufError::NotGguf { .. })));
    }

    #[test]
    fn a_huge_declared_string_is_rejected_before_allocating() {
        let mut b = gguf_bytes(256);
        // the key length of the first metadata entry
        b[24..32].copy_from_slice(&u64::MAX.to_le_bytes());
        let f = write(&b);
        assert!(inspect(f.path()).is_err());
    }
}
