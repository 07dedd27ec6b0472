//! A Rust reading of a GGUF file's header, done before llama.cpp ever sees the file: the magic,
//! the version, every key and tensor record, and that the file is long enough for every tensor
//! it declares. llama.cpp aborts the process on some malformed files; this check turns them
//! into one clear sentence. It also yields the facts `pai model list` shows.
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

const MAGIC: &[u8; 4] = b"GGUF";
const MAX_DIMS: u32 = 4;
const DEFAULT_ALIGNMENT: u64 = 32;

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

/// A metadata value, kept small: arrays are remembered by length only.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    Array { len: u64 },
}

/// A tensor's name and dimensions as GGUF stores them (ggml's `ne`: `dims[0]` varies fastest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorShape {
    pub name: String,
    pub dims: Vec<u64>,
}

#[derive(Debug, Clone)]
pub struct GgufInfo {
    pub version: u32,
    pub file_size: u64,
    pub tensor_count: u64,
    pub parameters: u64,
    pub metadata: Vec<(String, Value)>,
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

    fn get_int(&self, key: &str) -> Option<i64> {
        match self.get(key) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }

    /// An info made by hand, for tests of what reads one.
    #[cfg(test)]
    pub fn for_tests(metadata: Vec<(String, Value)>, tensors: Vec<TensorShape>) -> Self {
        Self {
            version: 3,
            file_size: 0,
            tensor_count: tensors.len() as u64,
            parameters: 0,
            metadata,
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
    let shown = path.display().to_string();
    let file = File::open(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => GgufError::Missing {
            path: shown.clone(),
        },
        _ => GgufError::Unreadable {
            path: shown.clone(),
            source,
        },
    })?;
    let meta = file.metadata().map_err(|source| GgufError::Unreadable {
        path: shown.clone(),
        source,
    })?;
    if meta.is_dir() {
        return Err(GgufError::NotGguf {
            path: shown,
            why: "it is a folder".into(),
        });
    }
    let mut reader = Reader {
        inner: BufReader::with_capacity(1 << 16, file),
        pos: 0,
        len: meta.len(),
    };
    parse(&mut reader).map_err(|e| e.into_error(shown, meta.len()))
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

    fn string(&mut self) -> Result<String, Fault> {
        let n = self.u64()?;
        if n > self.remaining() {
            return Err(Fault::Truncated(self.pos.saturating_add(n)));
        }
        let mut buf = vec![0u8; n as usize];
        self.inner.read_exact(&mut buf).map_err(Fault::Io)?;
        self.pos += n;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    fn skip_string(&mut self) -> Result<(), Fault> {
        let n = self.u64()?;
        self.skip(n)
    }
}

fn parse(r: &mut Reader) -> Result<GgufInfo, Fault> {
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
    let tensor_count = r.u64()?;
    let kv_count = r.u64()?;
    // Every record takes at least 8 bytes, so a count larger than the file is a lie.
    if tensor_count > r.remaining() / 8 || kv_count > r.remaining() / 8 {
        let least = (tensor_count.saturating_add(kv_count)).saturating_mul(8);
        return Err(Fault::Truncated(r.pos.saturating_add(least)));
    }
    let mut metadata = Vec::with_capacity(kv_count as usize);
    for _ in 0..kv_count {
        let key = r.string()?;
        let value = read_value(r)?;
        metadata.push((key, value));
    }
    let alignment = metadata
        .iter()
        .find(|(k, _)| k == "general.alignment")
        .and_then(|(_, v)| match v {
            Value::Int(a) if *a > 0 && (*a as u64).is_power_of_two() => Some(*a as u64),
            _ => None,
        })
        .unwrap_or(DEFAULT_ALIGNMENT);
    let tensors = read_tensors(r, tensor_count)?;
    let data_start = r.pos.div_ceil(alignment) * alignment;
    let mut needed = data_start;
    let mut parameters = 0u64;
    let mut type_counts = std::collections::HashMap::<u32, u64>::new();
    for t in &tensors {
        let size = t.byte_size()?;
        needed = needed.max(data_start.saturating_add(t.offset).saturating_add(size));
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
        tensors: tensors
            .into_iter()
            .map(|t| TensorShape {
                name: t.name,
                dims: t.dims,
            })
            .collect(),
        dominant_type,
    })
}

fn read_value(r: &mut Reader) -> Result<Value, Fault> {
    let ty = r.u32()?;
    read_typed(r, ty)
}

fn read_typed(r: &mut Reader, ty: u32) -> Result<Value, Fault> {
    Ok(match ty {
        0 => Value::Int(r.bytes::<1>()?[0] as i64),
        1 => Value::Int(r.bytes::<1>()?[0] as i8 as i64),
        2 => Value::Int(u16::from_le_bytes(r.bytes::<2>()?) as i64),
        3 => Value::Int(i16::from_le_bytes(r.bytes::<2>()?) as i64),
        4 => Value::Int(r.u32()? as i64),
        5 => Value::Int(r.u32()? as i32 as i64),
        6 => Value::Float(f32::from_le_bytes(r.bytes::<4>()?) as f64),
        7 => Value::Bool(r.bytes::<1>()?[0] != 0),
        8 => Value::Str(r.string()?),
        9 => {
            let item = r.u32()?;
            let len = r.u64()?;
            skip_array(r, item, len)?;
            Value::Array { len }
        }
        10 => Value::Int(r.u64()? as i64),
        11 => Value::Int(r.u64()? as i64),
        12 => Value::Float(f64::from_le_bytes(r.bytes::<8>()?)),
        other => return Err(Fault::Corrupt(format!("unknown metadata type {other}"))),
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

fn skip_array(r: &mut Reader, item: u32, len: u64) -> Result<(), Fault> {
    if let Some(size) = scalar_size(item) {
        return r.skip(len.saturating_mul(size));
    }
    // Strings and nested arrays take at least 8 bytes each.
    if len > r.remaining() / 8 {
        return Err(Fault::Truncated(
            r.pos.saturating_add(len.saturating_mul(8)),
        ));
    }
    for _ in 0..len {
        match item {
            8 => r.skip_string()?,
            9 => {
                let inner = r.u32()?;
                let n = r.u64()?;
                skip_array(r, inner, n)?;
            }
            other => return Err(Fault::Corrupt(format!("unknown array item type {other}"))),
        }
    }
    Ok(())
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
    let mut tensors = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let name = r.string()?;
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
