#!/usr/bin/env python3
"""A copy of a Q4_1 GGUF in another weight type (every Q4_1 tensor dequantized and, for Q8_0,
quantized again; the metadata copied, the file type set to match): the rewrite benchmark on
weight types whose batches have their own CPU kernels (Q8_0), or whose one-token decode is
bound by memory rather than arithmetic (F16), as bigger models' is. Needs numpy and gguf
(scripts/fetch-models.sh installs both under the model cache's pylib/):

    PYTHONPATH=~/.cache/pai-models/pylib python3 benches/rewrite/requant.py IN.Q4_1.gguf OUT.gguf [q8_0|f16]
"""
import sys, numpy as np
from gguf import GGUFReader, GGUFWriter, GGMLQuantizationType as Q, GGUFValueType as V
from gguf.quants import dequantize, quantize
src, dst = sys.argv[1], sys.argv[2]
kind = sys.argv[3] if len(sys.argv) > 3 else 'q8_0'
# llama.cpp's LLAMA_FTYPE numbers: MOSTLY_F16 is 1, MOSTLY_Q8_0 is 7.
file_type = {'q8_0': 7, 'f16': 1}[kind]
r = GGUFReader(src)
arch = r.fields['general.architecture'].contents()
w = GGUFWriter(dst, arch)
for name, f in r.fields.items():
    if name.startswith('GGUF.') or name == 'general.architecture':
        continue
    t = f.types[0]
    sub = f.types[1] if t == V.ARRAY and len(f.types) > 1 else None
    w.add_key_value(name, file_type if name == 'general.file_type' else f.contents(), t, sub_type=sub)
for t in r.tensors:
    if t.tensor_type == Q.Q4_1:
        data = dequantize(t.data, Q.Q4_1).astype(np.float32)
        if kind == 'f16':
            w.add_tensor(t.name, data.astype(np.float16), raw_dtype=Q.F16)
        else:
            w.add_tensor(t.name, quantize(data, Q.Q8_0), raw_dtype=Q.Q8_0)
    else:
        w.add_tensor(t.name, t.data, raw_dtype=t.tensor_type)
w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
