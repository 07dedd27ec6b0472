#!/usr/bin/env bash
# The portable release build against the native build on this machine: `pai bench` of each on
# the same model, prompt and threads, in turns so that machine drift hits both alike; prints
# each round and the median ratios (release / native) of prompt and generation tokens/s.
# Run from the project root after `cargo build --release` and scripts/release.sh:
#   benches/portable.sh [RELEASE_ARCHIVE] [MODEL.gguf] [THREADS] [ROUNDS]
set -euo pipefail
cache=$(scripts/fetch-models.sh)
archive=${1:-$(ls target/portable/pai-*.tar.gz | head -1)}
model=${2:-$cache/gemma-3-270m-q4_k_m.gguf}
threads=${3:-$(nproc)}
rounds=${4:-5}
native=target/release/pai
home=$(mktemp -d); export PAI_HOME=$home
tar -xzf "$archive" -C "$home"
release=$(ls -d "$home"/pai-*/bin/pai)
prompt=$home/prompt.txt
python3 -c 'print("Summarize: " + "The quick brown fox jumps over the lazy dog. "*50)' >"$prompt"
bench() { "$1" bench --model "$model" --prompt-file "$prompt" --gen 64 --threads "$threads" --json; }

echo "model $(basename "$model"), $threads threads, $rounds rounds; CPU: $(lscpu | sed -n 's/^Model name: *//p')"
"$release" doctor --no-generate 2>/dev/null | grep "CPU code" || true
for i in $(seq "$rounds"); do
  n=$(bench "$native"); r=$(bench "$release")
  python3 - "$n" "$r" <<'PY'
import json, sys
n, r = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"native pp {n['pp_tps']:7.1f} tg {n['tg_tps']:6.1f} | release pp {r['pp_tps']:7.1f} tg {r['tg_tps']:6.1f}"
      f" | ratio pp {r['pp_tps']/n['pp_tps']:.3f} tg {r['tg_tps']/n['tg_tps']:.3f}")
PY
done | tee "$home/rounds.txt"
python3 - "$home/rounds.txt" <<'PY'
import statistics, sys
pp, tg = [], []
for line in open(sys.argv[1]):
    parts = line.split()
    pp.append(float(parts[parts.index("pp", parts.index("ratio")) + 1]))
    tg.append(float(parts[parts.index("tg", parts.index("ratio")) + 1]))
print(f"median release/native: prompt {statistics.median(pp):.3f}, generation {statistics.median(tg):.3f}")
PY
