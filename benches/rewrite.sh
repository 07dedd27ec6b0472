#!/usr/bin/env bash
# The rewrite benchmark (issue 26): generated tokens per second of `pai bench --spec`
# (prompt-lookup drafts) against the bare llama.h loop (../shared/tools/rawllama) on the same
# model, prompt and threads, greedy to the end of the answer, over the selections of
# benches/rewrite/set.tsv (code and prose from this repository and its fixtures, each with an
# edit instruction). For each selection the three runs alternate in order; the figures are
# medians over the set, for the tuning half (odd rows) and the held-out half (even rows).
# Then free chat (no copying) with drafts off, pai against rawllama, to show it unchanged.
# PAI_BASE=another/pai runs that binary's `bench --spec` too, in the same turn of each row
# (before/after figures under the same load). Run from the project root after a release build:
#   benches/rewrite.sh [MODEL.gguf] [THREADS] [RAWLLAMA]
# RAWLLAMA: a rawllama binary; on CPUs with AMX build it with
#   CFLAGS/CXXFLAGS="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16" (default: build.sh's).
set -euo pipefail
cache=$(scripts/fetch-models.sh)
model=${1:-$cache/SmolLM2-135M-Instruct.Q4_1.gguf}
threads=${2:-$(nproc)}
raw=${3:-$(bash ../shared/tools/rawllama/build.sh)}
gen=${GEN:-512}
pai=${PAI_BIN:-target/release/pai}
base=${PAI_BASE:-}
home=$(mktemp -d); export PAI_HOME=$home
trap 'rm -rf "$home"' EXIT
echo "model $(basename "$model"), $threads threads, at most $gen tokens, $(nproc) cores: $(lscpu | sed -n 's/^Model name: *//p')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 benches/rewrite/prompts.py benches/rewrite/set.tsv "$home/prompts"
for prompt in "$home"/prompts/*.txt; do
  name=$(basename "$prompt" .txt)
  # Alternate which runs first, so that drift hits both alike.
  if (( 10#${name%%-*} % 2 )); then
    r=$("$raw" "$model" "$prompt" "$gen" "$threads")
    p=$("$pai" bench --spec --model "$model" --prompt-file "$prompt" --gen "$gen" --threads "$threads" --json)
  else
    p=$("$pai" bench --spec --model "$model" --prompt-file "$prompt" --gen "$gen" --threads "$threads" --json)
    r=$("$raw" "$model" "$prompt" "$gen" "$threads")
  fi
  b=""
  if [ -n "$base" ]; then
    b=$("$base" bench --spec --model "$model" --prompt-file "$prompt" --gen "$gen" --threads "$threads" --json)
  fi
  echo "$name	$r	$p	$b"
done | python3 benches/rewrite/report.py
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
