#!/usr/bin/env python3
"""A Q8_0 copy of a Q4_1 GGUF (every Q4_1 tensor dequantized and quantized again; the
metadata copied, file type set to Q8_0): the rewrite benchmark on a weight type whose batches
have their own CPU kernels. Needs numpy and gguf (scripts/fetch-models.sh installs both under
the model cache's pylib/):

    PYTHONPATH=~/.cache/pai-models/pylib python3 benches/rewrite/q8_0.py IN.Q4_1.gguf OUT.Q8_0.gguf
"""
import sys, numpy as np
from gguf import GGUFReader, GGUFWriter, GGMLQuantizationType as Q, GGUFValueType as V
from gguf.quants import dequantize, quantize
src, dst = sys.argv[1], sys.argv[2]
r = GGUFReader(src)
arch = r.fields['general.architecture'].contents()
w = GGUFWriter(dst, arch)
for name, f in r.fields.items():
    if name.startswith('GGUF.') or name == 'general.architecture':
        continue
    t = f.types[0]
    sub = f.types[1] if t == V.ARRAY and len(f.types) > 1 else None
    w.add_key_value(name, 7 if name == 'general.file_type' else f.contents(), t, sub_type=sub)
for t in r.tensors:
    if t.tensor_type == Q.Q4_1:
        data = dequantize(t.data, Q.Q4_1).astype(np.float32)
        q = quantize(data, Q.Q8_0)
        w.add_tensor(t.name, q, raw_dtype=Q.Q8_0)
    else:
        w.add_tensor(t.name, t.data, raw_dtype=t.tensor_type)
w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
