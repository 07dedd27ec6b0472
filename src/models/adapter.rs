//! LoRA adapters, checked in Rust before llama.cpp sees them: the file must say it is a LoRA
//! adapter (`general.type = adapter`, `adapter.type = lora`), be for the base's architecture,
//! and every `X.lora_a` / `X.lora_b` pair must fit the base tensor `X` (ggml's shapes: A is
//! `[n_in, rank]`, B is `[rank, n_out]` for a base `[n_in, n_out]`; the token embedding is
//! stored the other way round, as llama.cpp reads it). What the header says is kept in the
//! registry, so `model list` never opens an adapter.
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::gguf::{GgufInfo, TensorShape};
use crate::render::sanitize_line;

/// A registered adapter, from `pai model add --adapter FILE --name NAME`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AdapterEntry {
    pub name: String,
    pub path: std::path::PathBuf,
    /// The base architecture it was trained for (`llama`, `gemma3`, …).
    pub architecture: String,
    pub rank: u64,
    /// The base tensors it changes, without block numbers: `attn_q`, `ffn_up`, …
    pub targets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
    pub file_size: u64,
}

/// What an adapter's header says about it, before any base is known.
#[derive(Debug, Clone, PartialEq)]
pub struct AdapterFacts {
    pub architecture: String,
    pub rank: u64,
    pub targets: Vec<String>,
    pub alpha: Option<f64>,
}

impl AdapterEntry {
    pub fn new(name: &str, path: &Path, facts: AdapterFacts, file_size: u64) -> Self {
        Self {
            name: name.to_string(),
            path: path.to_path_buf(),
            architecture: facts.architecture,
            rank: facts.rank,
            targets: facts.targets,
            alpha: facts.alpha,
            file_size,
        }
    }
}

/// Why a file is no LoRA adapter, or not one for the model: each reads as the end of a
/// sentence that starts with the file's name.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AdapterError {
    #[error("is a {} file, not a LoRA adapter (its general.type is '{}')", sanitize_line(.0), .0)]
    OtherType(String),
    #[error("is a model, not a LoRA adapter (it has no general.type = adapter)")]
    Model,
    #[error("is an adapter of type '{}', not a LoRA adapter", sanitize_line(.0.as_deref().unwrap_or("none")))]
    NotLora(Option<String>),
    /// `adapter.lora.alpha` as shown, and the name of its GGUF type.
    #[error("is damaged: its adapter.lora.alpha is {value} ({type_label}), and llama.cpp needs a finite f32")]
    Alpha {
        value: String,
        type_label: &'static str,
    },
    #[error("is for the '{}' architecture, and the model is '{}'", sanitize_line(.adapter), sanitize_line(.model))]
    Architecture { adapter: String, model: String },
    #[error("changes the tensor {}, which the model does not have", sanitize_line(.0))]
    NoSuchTensor(String),
    /// The base tensor, its shape, and the shapes of the pair.
    #[error("does not fit the model: {} is {shape} but its adapter pair is {a} and {b}", sanitize_line(.tensor))]
    DoesNotFit {
        tensor: String,
        shape: String,
        a: String,
        b: String,
    },
    #[error("holds the tensor {}, which is no part of a LoRA adapter", sanitize_line(.0))]
    Foreign(String),
    #[error("holds {} without its partner (lora_a and lora_b come in pairs)", sanitize_line(.0))]
    Unpaired(String),
    #[error("holds no lora_a/lora_b tensors")]
    NoPairs,
    #[error("is damaged: the pair for {} has ranks {a} and {b}", sanitize_line(.tensor))]
    Ranks { tensor: String, a: u64, b: u64 },
}

/// `PATH[:SCALE]`: the text after the last ':' is a scale only when it reads as a number, so
/// `C:\adapters\x.gguf` and `name:v2` stay whole.
pub fn parse_spec(text: &str) -> Result<(String, f32), Error> {
    let (spec, scale) = match text.rsplit_once(':') {
        Some((spec, scale)) if !spec.is_empty() => match scale.parse::<f32>() {
            Ok(scale) if scale.is_finite() => (spec, scale),
            Ok(_) => {
                return Err(Error::user(format!(
                    "the scale in '{text}' must be a finite number"
                )))
            }
            Err(_) => (text, 1.0),
        },
        _ => (text, 1.0),
    };
    if spec.is_empty() {
        return Err(Error::user("an adapter needs a path or a name"));
    }
    Ok((spec.to_string(), scale))
}

/// Reads an adapter file and checks it, against `base` when given, as a user-facing error
/// naming the file.
pub fn check_file(path: &Path, base: Option<&GgufInfo>) -> Result<AdapterFacts, Error> {
    let info = super::header::check_file(path)?;
    let shown = sanitize_line(&path.display().to_string());
    let refused = |why: AdapterError| {
        Error::user(format!("{shown} {why}")).hint(
            "an adapter is a LoRA GGUF made for this model, e.g. by llama.cpp's convert_lora_to_gguf.py (docs/roles.md)",
        )
    };
    let facts = facts(&info).map_err(refused)?;
    if let Some(base) = base {
        check_fits(&info, base).map_err(refused)?;
    }
    Ok(facts)
}

/// A matched pair of adapter tensors for one base tensor.
struct Pair<'a> {
    base: String,
    a: &'a TensorShape,
    b: &'a TensorShape,
}

/// Reads what the header says; the reason it is no LoRA adapter otherwise, as the end of a
/// sentence that starts with the file's name.
pub fn facts(info: &GgufInfo) -> Result<AdapterFacts, AdapterError> {
    match info.get_str("general.type") {
        Some("adapter") => {}
        Some(other) => return Err(AdapterError::OtherType(other.to_string())),
        None => return Err(AdapterError::Model),
    }
    match info.get_str("adapter.type") {
        Some("lora") => {}
        other => return Err(AdapterError::NotLora(other.map(str::to_string))),
    }
    let pairs = pairs(info)?;
    let mut ranks = BTreeSet::new();
    let mut targets = BTreeSet::new();
    for pair in &pairs {
        ranks.insert(rank_of(pair)?);
        targets.insert(target_name(&pair.base));
    }
    let rank = ranks.iter().next_back().copied().unwrap_or(0);
    let alpha = alpha(info)?;
    Ok(AdapterFacts {
        architecture: info.architecture().to_string(),
        rank,
        targets: targets.into_iter().collect(),
        alpha,
    })
}

/// `adapter.lora.alpha`, which llama.cpp reads only as an f32 (any other type is an assert
/// in gguf_get_val_f32, not an error).
fn alpha(info: &GgufInfo) -> Result<Option<f64>, AdapterError> {
    const KEY: &str = "adapter.lora.alpha";
    match (info.get(KEY), info.value_type(KEY)) {
        (None, _) => Ok(None),
        (Some(crate::gguf::Value::Float(a)), Some(crate::gguf::T_F32)) if a.is_finite() => {
            Ok(Some(*a))
        }
        (Some(value), ty) => Err(AdapterError::Alpha {
            value: value.shown(),
            type_label: crate::gguf::type_label(ty.unwrap_or(u32::MAX)),
        }),
    }
}

/// Checks the adapter against its base model: the architecture, and every pair's shape
/// against the base tensor it changes. The reason it does not fit otherwise.
pub fn check_fits(adapter: &GgufInfo, base: &GgufInfo) -> Result<(), AdapterError> {
    if adapter.architecture() != base.architecture() {
        return Err(AdapterError::Architecture {
            adapter: adapter.architecture().to_string(),
            model: base.architecture().to_string(),
        });
    }
    let by_name: HashMap<&str, &TensorShape> =
        base.tensors.iter().map(|t| (t.name.as_str(), t)).collect();
    for pair in pairs(adapter)? {
        let Some(target) = by_name.get(pair.base.as_str()) else {
            return Err(AdapterError::NoSuchTensor(pair.base));
        };
        let (n_in, n_out) = (dim(target, 0), dim(target, 1));
        // llama.cpp reads the token embedding's pair flipped (see llm_build_inp_embd).
        let fits = if pair.base == "token_embd.weight" {
            dim(pair.b, 1) == n_in && dim(pair.a, 1) == n_out
        } else {
            dim(pair.a, 0) == n_in && dim(pair.b, 1) == n_out
        };
        if !fits {
            return Err(AdapterError::DoesNotFit {
                shape: shape(target),
                a: shape(pair.a),
                b: shape(pair.b),
                tensor: pair.base,
            });
        }
    }
    Ok(())
}

/// Pairs each `X.lora_a` with its `X.lora_b` through a map, in linear time: an adapter may
/// hold hundreds of thousands of tensors, and a search per tensor would take minutes.
fn pairs(info: &GgufInfo) -> Result<Vec<Pair<'_>>, AdapterError> {
    let b_of: HashMap<&str, &TensorShape> = info
        .tensors
        .iter()
        .filter_map(|t| Some((t.name.strip_suffix(".lora_b")?, t)))
        .collect();
    let a_bases: HashSet<&str> = info
        .tensors
        .iter()
        .filter_map(|t| t.name.strip_suffix(".lora_a"))
        .collect();
    let mut pairs = Vec::new();
    let mut lone = Vec::new();
    for t in &info.tensors {
        if let Some(base) = t.name.strip_suffix(".lora_a") {
            match b_of.get(base) {
                Some(b) => pairs.push(Pair {
                    base: base.to_string(),
                    a: t,
                    b,
                }),
                None => lone.push(t.name.clone()),
            }
        } else if let Some(base) = t.name.strip_suffix(".lora_b") {
            if !a_bases.contains(base) {
                lone.push(t.name.clone());
            }
        } else if !t.name.ends_with("_norm.weight") {
            return Err(AdapterError::Foreign(t.name.clone()));
        }
    }
    if let Some(name) = lone.into_iter().next() {
        return Err(AdapterError::Unpaired(name));
    }
    if pairs.is_empty() {
        return Err(AdapterError::NoPairs);
    }
    Ok(pairs)
}

/// The pair's rank: A's second dimension and B's first must agree.
fn rank_of(pair: &Pair) -> Result<u64, AdapterError> {
    let (a, b) = (dim(pair.a, 1), dim(pair.b, 0));
    let flipped = pair.base == "token_embd.weight";
    let (ra, rb) = if flipped {
        (dim(pair.a, 0), dim(pair.b, 0))
    } else {
        (a, b)
    };
    if ra != rb || (!flipped && pair.a.dims.len() > 2) {
        return Err(AdapterError::Ranks {
            tensor: pair.base.clone(),
            a: ra,
            b: rb,
        });
    }
    Ok(ra)
}

fn dim(t: &TensorShape, i: usize) -> u64 {
    t.dims.get(i).copied().unwrap_or(1)
}

fn shape(t: &TensorShape) -> String {
    let dims: Vec<String> = t.dims.iter().map(u64::to_string).collect();
    format!("[{}]", dims.join(", "))
}

/// `blk.3.attn_q.weight` → `attn_q`; `output.weight` → `output`.
fn target_name(base: &str) -> String {
    let name = base.strip_suffix(".weight").unwrap_or(base);
    let name = match name.strip_prefix("blk.") {
        Some(rest) => rest.split_once('.').map_or(rest, |(_, t)| t),
        None => name,
    };
    sanitize_line(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str, dims: &[u64]) -> TensorShape {
        TensorShape {
            name: name.into(),
            dims: dims.to_vec(),
            ggml_type: 0,
        }
    }

    fn info(kind: Option<&str>, arch: &str, tensors: Vec<TensorShape>) -> GgufInfo {
        let mut metadata = vec![(
            "general.architecture".to_string(),
            crate::gguf::Value::Str(arch.into()),
        )];
        if let Some(kind) = kind {
            metadata.push(("general.type".into(), crate::gguf::Value::Str(kind.into())));
            metadata.push((
                "adapter.type".into(),
                crate::gguf::Value::Str("lora".into()),
            ));
        }
        GgufInfo::for_tests(metadata, tensors)
    }

    fn base() -> GgufInfo {
        info(None, "llama", vec![t("blk.0.attn_q.weight", &[576, 576])])
    }

    #[test]
    fn a_fitting_adapter_is_accepted_with_its_facts() {
        let a = info(
            Some("adapter"),
            "llama",
            vec![
                t("blk.0.attn_q.weight.lora_a", &[576, 8]),
                t("blk.0.attn_q.weight.lora_b", &[8, 576]),
            ],
        );
        let f = facts(&a).unwrap();
        assert_eq!((f.rank, f.targets), (8, vec!["attn_q".to_string()]));
        check_fits(&a, &base()).unwrap();
    }

    #[test]
    fn a_model_is_not_an_adapter() {
        assert!(facts(&base())
            .unwrap_err()
            .to_string()
            .contains("is a model"));
    }

    #[test]
    fn wrong_shapes_ranks_and_architectures_are_refused() {
        let wide = info(
            Some("adapter"),
            "llama",
            vec![
                t("blk.0.attn_q.weight.lora_a", &[960, 8]),
                t("blk.0.attn_q.weight.lora_b", &[8, 960]),
            ],
        );
        assert!(check_fits(&wide, &base())
            .unwrap_err()
            .to_string()
            .contains("does not fit"));
        let ranks = info(
            Some("adapter"),
            "llama",
            vec![
                t("blk.0.attn_q.weight.lora_a", &[576, 8]),
                t("blk.0.attn_q.weight.lora_b", &[4, 576]),
            ],
        );
        assert!(facts(&ranks)
            .unwrap_err()
            .to_string()
            .contains("ranks 8 and 4"));
        let other = info(
            Some("adapter"),
            "gemma3",
            vec![
                t("blk.0.attn_q.weight.lora_a", &[576, 8]),
                t("blk.0.attn_q.weight.lora_b", &[8, 576]),
            ],
        );
        assert!(check_fits(&other, &base())
            .unwrap_err()
            .to_string()
            .contains("'gemma3'"));
        let missing = info(
            Some("adapter"),
            "llama",
            vec![
                t("blk.9.attn_q.weight.lora_a", &[576, 8]),
                t("blk.9.attn_q.weight.lora_b", &[8, 576]),
            ],
        );
        assert!(check_fits(&missing, &base())
            .unwrap_err()
            .to_string()
            .contains("does not have"));
    }
}
