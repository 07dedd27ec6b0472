//! What llama.cpp asserts about a model, checked in Rust first. llama.cpp reads a model it
//! has checked the format of, and then trusts it: a vocabulary with two equal texts, a layer
//! count of 0, a NaN epsilon or a quantized norm weight ends the process with an assert (or a
//! C++ exception that Rust cannot catch), not with an error. Each rule here mirrors one such
//! place in llama.cpp (src/llama-vocab.cpp, src/llama-model.cpp), so that such a file gets one
//! sentence instead.
use crate::gguf::{GgufInfo, Value};

/// Why llama.cpp would stop on a model: the end of a sentence that starts with the file's name.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unloadable(pub String);

/// llama.cpp's LLAMA_MAX_LAYERS and LLAMA_MAX_EXPERTS (src/llama-hparams.h).
const MAX_LAYERS: i64 = 512;
const MAX_EXPERTS: i64 = 1024;

/// Checks a model (not an adapter) against what llama.cpp asserts; the reason it would take
/// pai down otherwise, as the end of a sentence that starts with the file's name.
pub fn check(info: &GgufInfo) -> Result<(), Unloadable> {
    check_vocabulary(info)?;
    check_layers(info)?;
    check_experts(info)?;
    check_epsilons(info)?;
    check_norms(info)
}

/// The tokenizer types this build of llama.cpp knows (llama_vocab::impl::load), with the
/// largest token id it uses by default: the vocabulary must hold it, or printing the model's
/// special tokens throws std::out_of_range.
fn tokenizer_default_max_id(model: &str) -> Option<u64> {
    Some(match model {
        "llama" | "t5" => 2,
        "bert" => 103,
        "gpt2" | "hybriddna" | "whitespace" => 11,
        "plamo2" => 3,
        "rwkv" | "gemma4" => 0,
        _ => return None,
    })
}

fn check_vocabulary(info: &GgufInfo) -> Result<(), Unloadable> {
    let model = match info.get("tokenizer.ggml.model") {
        Some(Value::Str(model)) => model.as_str(),
        Some(other) => {
            return Err(Unloadable(format!(
                "is damaged: its tokenizer.ggml.model is {}, not a tokenizer's name",
                other.shown()
            )))
        }
        None => {
            return Err(Unloadable(
                "names no tokenizer (it has no tokenizer.ggml.model)".into(),
            ))
        }
    };
    if matches!(model, "none" | "no_vocab") {
        return Err(Unloadable(format!(
            "has no vocabulary (its tokenizer.ggml.model is '{model}'), so no text can be read into it"
        )));
    }
    let Some(max_default_id) = tokenizer_default_max_id(model) else {
        return Err(Unloadable(format!(
            "uses the tokenizer '{}', which this build of llama.cpp does not know",
            crate::render::clip(model, 80)
        )));
    };
    let Some(vocab) = &info.vocab else {
        return Err(Unloadable(
            "has no vocabulary (tokenizer.ggml.tokens is missing or not a list of texts)".into(),
        ));
    };
    if vocab.tokens <= max_default_id {
        return Err(Unloadable(format!(
            "has {} tokens in its vocabulary, too few for the '{model}' tokenizer",
            vocab.tokens
        )));
    }
    if vocab.tokens > i32::MAX as u64 {
        return Err(Unloadable(format!(
            "has {} tokens, more than llama.cpp can number",
            vocab.tokens
        )));
    }
    if vocab.empty == vocab.tokens {
        return Err(Unloadable(
            "has a vocabulary whose every token is empty, so no text becomes tokens".into(),
        ));
    }
    if let Some((index, text)) = &vocab.duplicate {
        return Err(Unloadable(format!(
            "is damaged: token {index} of its vocabulary has the text '{text}', which an earlier token already has"
        )));
    }
    check_tokenizer_fits(info, model, vocab)
}

/// A tokenizer that does not fit its vocabulary throws from inside llama.cpp on the first
/// text it cannot find a token for.
fn check_tokenizer_fits(
    info: &GgufInfo,
    model: &str,
    vocab: &crate::gguf::Vocab,
) -> Result<(), Unloadable> {
    // SentencePiece falls back to one token per byte (<0x0A>) for text it has no piece for,
    // and llama.cpp looks those up with .at().
    if model == "llama" {
        if let Some(byte) = vocab.missing_byte() {
            return Err(Unloadable(format!(
                "uses the 'llama' (SentencePiece) tokenizer, but its vocabulary has no token for the byte <0x{byte:02X}>, which that tokenizer needs"
            )));
        }
    }
    let arch = info.architecture();
    let own = |prefix: &str| arch.starts_with(prefix);
    let mismatch = match model {
        "rwkv" => !own("rwkv"),
        "plamo2" => !own("plamo"),
        _ => false,
    };
    if mismatch {
        return Err(Unloadable(format!(
            "uses the '{model}' tokenizer, which does not fit its '{}' architecture",
            crate::render::clip(arch, 80)
        )));
    }
    Ok(())
}

/// A count from `ARCH.key`, when the file has it as an integer.
fn arch_int(info: &GgufInfo, key: &str) -> Option<(String, i64)> {
    let key = format!("{}.{key}", info.architecture());
    let value = info.get_int(&key)?;
    Some((crate::render::clip(&key, 120), value))
}

fn check_layers(info: &GgufInfo) -> Result<(), Unloadable> {
    let Some((key, layers)) = arch_int(info, "block_count") else {
        return Ok(());
    };
    if !(1..=MAX_LAYERS).contains(&layers) {
        return Err(Unloadable(format!(
            "is damaged: its {key} is {layers}, and llama.cpp needs 1 to {MAX_LAYERS} layers"
        )));
    }
    if let Some((next_key, next)) = arch_int(info, "nextn_predict_layers") {
        if !(0..=layers).contains(&next) {
            return Err(Unloadable(format!(
                "is damaged: its {next_key} is {next}, more than its {layers} layers"
            )));
        }
    }
    Ok(())
}

/// The expert counts of a mixture-of-experts model, as llama.cpp asserts them
/// (llama_model::load_hparams).
fn check_experts(info: &GgufInfo) -> Result<(), Unloadable> {
    let count = |key| arch_int(info, key).map_or(0, |(_, n)| n);
    let experts = count("expert_count");
    let used = count("expert_used_count");
    let groups = count("expert_group_count");
    let groups_used = count("expert_group_used_count");
    let fits = if experts == 0 {
        used == 0 && groups == 0
    } else {
        (1..=experts).contains(&used)
            && (0..experts).contains(&groups)
            && (groups <= 1 || (experts % groups == 0 && (1..groups).contains(&groups_used)))
    };
    if !(0..=MAX_EXPERTS).contains(&experts) || !fits {
        return Err(Unloadable(format!(
            "is damaged: its expert counts do not fit together (expert_count {experts}, expert_used_count {used}, expert_group_count {groups}; llama.cpp allows up to {MAX_EXPERTS} experts)"
        )));
    }
    Ok(())
}

/// Normalization epsilons: a NaN or a negative one makes llama.cpp assert in its norm kernels.
fn check_epsilons(info: &GgufInfo) -> Result<(), Unloadable> {
    for (key, value) in &info.metadata {
        if !key.ends_with("_epsilon") && !key.ends_with("_eps") {
            continue;
        }
        if let Value::Float(eps) = value {
            if !eps.is_finite() || *eps < 0.0 {
                return Err(Unloadable(format!(
                    "is damaged: its {} is {eps}, and a normalization epsilon must be a finite number of at least 0",
                    crate::render::clip(key, 120)
                )));
            }
        }
    }
    Ok(())
}

/// Norm weights multiply activations elementwise, which ggml does only with F32 weights.
fn check_norms(info: &GgufInfo) -> Result<(), Unloadable> {
    let quantized = info
        .tensors
        .iter()
        .find(|t| t.name.ends_with("_norm.weight") && t.ggml_type != 0);
    match quantized {
        Some(t) => Err(Unloadable(format!(
            "is damaged: its norm weight {} is stored as {}, and llama.cpp needs F32 there",
            crate::render::clip(&t.name, 80),
            crate::gguf::tensor_type_label(t.ggml_type)
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gguf::TensorShape;

    fn model(extra: Vec<(&str, Value)>) -> GgufInfo {
        let mut metadata = vec![
            (
                "general.architecture".to_string(),
                Value::Str("llama".into()),
            ),
            ("llama.block_count".to_string(), Value::Int(2)),
        ];
        metadata.extend(extra.into_iter().map(|(k, v)| (k.to_string(), v)));
        let norm = TensorShape {
            name: "blk.0.attn_norm.weight".into(),
            dims: vec![64],
            ggml_type: 0,
        };
        GgufInfo::for_tests(metadata, vec![norm])
    }

    #[test]
    fn a_model_without_a_vocabulary_is_refused() {
        let none = model(vec![("tokenizer.ggml.model", Value::Str("none".into()))]);
        assert!(check(&none).unwrap_err().0.contains("has no vocabulary"));
        let odd = model(vec![("tokenizer.ggml.model", Value::Str("klingon".into()))]);
        assert!(check(&odd).unwrap_err().0.contains("does not know"));
        assert!(check(&model(vec![]))
            .unwrap_err()
            .0
            .contains("names no tokenizer"));
    }

    #[test]
    fn layer_expert_and_epsilon_counts_are_checked() {
        let mut zero = model(vec![]);
        zero.metadata[1].1 = Value::Int(0);
        assert!(check_layers(&zero).unwrap_err().0.contains("1 to 512"));
        zero.metadata[1].1 = Value::Int(u32::MAX as i64);
        assert!(check_layers(&zero).is_err());
        let experts = model(vec![("llama.expert_count", Value::Int(1 << 31))]);
        assert!(check_experts(&experts)
            .unwrap_err()
            .0
            .contains("expert counts"));
        let moe = model(vec![
            ("llama.expert_count", Value::Int(8)),
            ("llama.expert_used_count", Value::Int(2)),
        ]);
        assert!(check_experts(&moe).is_ok());
        let nan = model(vec![(
            "llama.attention.layer_norm_rms_epsilon",
            Value::Float(f64::NAN),
        )]);
        assert!(check_epsilons(&nan).unwrap_err().0.contains("NaN"));
    }

    #[test]
    fn a_quantized_norm_weight_is_refused() {
        let mut info = model(vec![]);
        assert!(check_norms(&info).is_ok());
        info.tensors[0].ggml_type = 2;
        assert!(check_norms(&info).unwrap_err().0.contains("Q4_0"));
    }
}
