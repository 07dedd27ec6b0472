#!/usr/bin/env python3
"""Converts a sentence-transformers BERT model (config.json, vocab.txt, model.safetensors) into
a GGUF file that llama.cpp runs as an embedding model (architecture "bert", mean pooling).

    bert-to-gguf.py MODEL_DIR OUT.gguf

Needs numpy and the `gguf` package (both on PyPI); reads safetensors by hand so that neither
torch nor transformers is needed. Follows llama.cpp's own BERT conversion: WordPiece vocabulary
written with the phantom-space convention, pooler dropped, 2-D weights in f16.
"""
import json
import struct
import sys
from pathlib import Path

import gguf
import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
SPECIAL = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}


def read_safetensors(path):
    data = path.read_bytes()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_len])
    base = 8 + header_len
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(data[base + start : base + end], dtype=DTYPES[info["dtype"]])
        yield name, array.reshape(info["shape"])


def phantom(token):
    # llama.cpp's WordPiece tokenizer marks word starts with U+2581 instead of marking
    # continuations with "##".
    if token.startswith("[") and token.endswith("]"):
        return token
    if token.startswith("##"):
        return token[2:]
    return "\u2581" + token


def write_vocab(writer, model_dir, config):
    tokens = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    index = {t: i for i, t in enumerate(tokens)}
    writer.add_tokenizer_model("bert")
    writer.add_tokenizer_pre("default")
    writer.add_token_list([phantom(t) for t in tokens])
    writer.add_token_types(
        [gguf.TokenType.CONTROL if t in SPECIAL else gguf.TokenType.NORMAL for t in tokens]
    )
    writer.add_token_type_count(config.get("type_vocab_size", 2))
    writer.add_bos_token_id(index["[CLS]"])
    writer.add_eos_token_id(index["[SEP]"])
    writer.add_sep_token_id(index["[SEP]"])
    writer.add_unk_token_id(index["[UNK]"])
    writer.add_pad_token_id(index["[PAD]"])
    writer.add_mask_token_id(index["[MASK]"])


def write_tensors(writer, model_dir, n_layers):
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.BERT, n_layers)
    for name, array in read_safetensors(model_dir / "model.safetensors"):
        name = name.removeprefix("bert.")
        if name in ("embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias"):
            continue
        mapped = names.get_name(name, try_suffixes=(".weight", ".bias"))
        if mapped is None:
            sys.exit(f"bert-to-gguf: no GGUF name for tensor {name}")
        # llama.cpp adds the token-type row to f32 activations directly: it must be f32 too.
        small = array.ndim < 2 or mapped.startswith("token_types")
        dtype = np.float32 if small else np.float16
        writer.add_tensor(mapped, array.astype(dtype))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bert-to-gguf.py MODEL_DIR OUT.gguf")
    model_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    config = json.loads((model_dir / "config.json").read_text())
    writer = gguf.GGUFWriter(str(out), "bert")
    writer.add_name(config.get("_name_or_path", model_dir.name).rsplit("/", 1)[-1])
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_head_count(config["num_attention_heads"])
    writer.add_layer_norm_eps(config["layer_norm_eps"])
    writer.add_causal_attention(False)
    writer.add_pooling_type(gguf.PoolingType.MEAN)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    write_vocab(writer, model_dir, config)
    write_tensors(writer, model_dir, config["num_hidden_layers"])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    main()
