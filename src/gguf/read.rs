//! The header's records as the file lays them out, read with every length and count checked
//! against what is left of the file before anything is allocated: the parsing proper, which
//! `inspect` wraps with the opening of the file and the path its errors name.
use std::fs::File;
use std::io::{BufReader, Read};

use super::ggml_types::type_layout;
use super::{
    type_label, GgufError, GgufInfo, TensorShape, Value, Vocab, MAGIC, SHOWN_NAME, TOKENS_KEY,
    T_ARRAY, T_STRING, T_U32,
};

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

/// Why parsing stopped, before the path is attached.
pub(super) enum Fault {
    NotGguf(String),
    Version(u32),
    Corrupt(String),
    Truncated(u64),
    Io(std::io::Error),
}

impl Fault {
    pub(super) fn into_error(self, path: String, actual: u64) -> GgufError {
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

pub(super) struct Reader {
    inner: BufReader<File>,
    pos: u64,
    len: u64,
}

impl Reader {
    /// Reads `file`, which is `len` bytes long, from its start.
    pub(super) fn new(file: File, len: u64) -> Self {
        Self {
            inner: BufReader::with_capacity(1 << 16, file),
            pos: 0,
            len,
        }
    }

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

pub(super) fn parse(r: &mut Reader) -> Result<GgufInfo, Fault> {
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
