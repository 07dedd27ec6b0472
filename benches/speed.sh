#!/usr/bin/env bash
# pai's inference speed against a bare llama.h loop (../shared/tools/rawllama) on the same
# model, prompt and threads, measured in turns so that machine drift hits both alike; then the
# start-up time of commands that need no model. Run from the project root after a release build:
#   benches/speed.sh [MODEL.gguf] [THREADS] [ROUNDS]
set -euo pipefail
cache=$(scripts/fetch-models.sh)
model=${1:-$cache/gemma-3-270m-q4_k_m.gguf}
threads=${2:-$(nproc)}
rounds=${3:-3}
pai=target/release/pai
raw=$(bash ../shared/tools/rawllama/build.sh)
home=$(mktemp -d); export PAI_HOME=$home
prompt=$home/prompt.txt
python3 -c 'print("Summarize: " + "The quick brown fox jumps over the lazy dog. "*50)' >"$prompt"

echo "model $(basename "$model"), $threads threads, $rounds rounds"
for i in $(seq "$rounds"); do
  r=$("$raw" "$model" "$prompt" 64 "$threads")
  p=$("$pai" bench --model "$model" --prompt-file "$prompt" --gen 64 --threads "$threads" --json)
  python3 - "$r" "$p" <<'PY'
import json, sys
raw = sys.argv[1].split(); r = dict(zip(raw[::2], raw[1::2])); p = json.loads(sys.argv[2])
print(f"raw pp {float(r['pp_tps']):7.1f} tg {float(r['tg_tps']):6.1f} | pai pp {p['pp_tps']:7.1f} tg {p['tg_tps']:6.1f}"
      f" | ratio pp {p['pp_tps']/float(r['pp_tps']):.3f} tg {p['tg_tps']/float(r['tg_tps']):.3f}")
PY
done
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 "$pai --help" "$pai model list" "$pai config show" 2>/dev/null | grep -E "Benchmark|Time"
fi
rm -rf "$home"
