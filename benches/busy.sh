#!/usr/bin/env bash
# pai beside busy processes: whole-process `pai ask` time with the default thread count
# against each explicit count, under the same load, in alternating runs (medians); and the bare
# llama.h loop (../shared/tools/rawllama) at 1 and all threads under that load for reference.
# Loads: none; one memory-bound process per core (dd copying 32 MB blocks, as a compiler
# touches memory); and, with BUILD=1, a real parallel build (llama.cpp's cmake build, -j cores).
# Run from the project root after a release build:
#   benches/busy.sh [ROUNDS]      BUILD=1 benches/busy.sh 3      BUILD=1 ONLY=build benches/busy.sh
set -euo pipefail
rounds=${1:-5}
pai=$PWD/target/release/pai
cache=$(scripts/fetch-models.sh smollm2)
model=$cache/SmolLM2-135M-Instruct.Q4_1.gguf
home=$(mktemp -d); export PAI_HOME=$home
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$home"' EXIT
"$pai" model add "$model" --name smol >/dev/null 2>&1
python3 -c 'print("Summarize: " + "The quick brown fox jumps over the lazy dog. "*40)' >"$home/p.txt"
raw=$(bash ../shared/tools/rawllama/build.sh 2>/dev/null || true)
cores=$(nproc)

ask() { # seconds for one whole `pai ask`
  /usr/bin/time -f %e "$pai" ask -f "$home/p.txt" summarize --no-context --temp 0 \
    --max-tokens 48 --model smol "$@" 2>&1 >/dev/null | tail -1
}
rawtime() {
  [ -n "$raw" ] || { echo nan; return; }
  /usr/bin/time -f %e "$raw" "$model" "$home/p.txt" 48 "$1" 2>&1 >/dev/null | tail -1
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # label
  local d=() t1=() tn=() r1=() rn=()
  for _ in $(seq "$rounds"); do
    d+=("$(ask)"); t1+=("$(ask --threads 1)"); tn+=("$(ask --threads "$cores")")
    r1+=("$(rawtime 1)"); rn+=("$(rawtime "$cores")")
  done
  local md m1 mn; md=$(median "${d[@]}"); m1=$(median "${t1[@]}"); mn=$(median "${tn[@]}")
  python3 - "$1" "$md" "$m1" "$mn" "$(median "${r1[@]}")" "$(median "${rn[@]}")" "$cores" <<'PY'
import sys
label, d, t1, tn, r1, rn, cores = sys.argv[1], *map(float, sys.argv[2:7]), sys.argv[7]
best = min(t1, tn)
print(f"{label:>10}: default {d:.2f} s | --threads 1 {t1:.2f} s | --threads {cores} {tn:.2f} s"
      f" | default / best {d / best:.2f} | rawllama 1: {r1:.2f} s, {cores}: {rn:.2f} s")
PY
}

if [ "${ONLY:-}" != build ]; then
measure idle
hogs=(); for _ in $(seq "$cores"); do dd if=/dev/zero of=/dev/null bs=32M count=1000000000 2>/dev/null & hogs+=($!); done
measure "$cores dd"
kill "${hogs[@]}" 2>/dev/null; wait "${hogs[@]}" 2>/dev/null || true
fi
if [ "${BUILD:-0}" = 1 ]; then
  src=$(ls -d ~/.cargo/registry/src/*/llama-cpp-sys-2-*/llama.cpp | sort -V | tail -1)
  b=$(mktemp -d); cp -r "$src" "$b/src"
  # llama-cpp-sys-2 vendors only the library: build just that, as the reference loop does.
  cmake -S "$b/src" -B "$b/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_TOOLS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_COMMON=OFF >/dev/null 2>&1
  # Its own process group, so that stopping it stops every compiler it started.
  setsid bash -c "while true; do cmake --build '$b/build' -j $cores --target llama >/dev/null 2>&1; rm -rf '$b/build/ggml' '$b/build/src'; done" & builder=$!
  sleep 5
  measure build
  kill -- -"$builder" 2>/dev/null || true; sleep 1; rm -rf "$b" 2>/dev/null || true
fi
