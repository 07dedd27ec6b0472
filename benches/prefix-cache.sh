#!/usr/bin/env bash
# `pai ask` time to first token (whole process, -n 1) with the prompt cache warm against cold,
# on a prompt whose stable prefix (a profile and a role) is over 500 tokens; cold and warm
# alternate, and the medians are printed. Run from the project root after a release build:
#   benches/prefix-cache.sh [MODEL.gguf] [ROUNDS]
set -euo pipefail
cache=$(scripts/fetch-models.sh)
model=${1:-$cache/SmolLM2-135M-Instruct.Q4_1.gguf}
rounds=${2:-5}
pai=${PAI_BIN:-target/release/pai}
home=$(mktemp -d); export PAI_HOME=$home
trap 'rm -rf "$home"' EXIT
"$pai" model add "$model" --name m >/dev/null 2>&1
python3 -c "print('I am a site reliability engineer. ' + ' '.join(f'I look after service {i}, which runs on host web{i} and is backed up nightly to the NAS.' for i in range(30)))" >"$home/profile.md"
mkdir -p "$home/roles"
printf -- '+++\ndescription = "terse ops helper"\n+++\nYou answer operations questions in one short sentence, naming the host.\n' >"$home/roles/ops.md"
printf '[context]\ncell = false\n' >"$home/config.toml"
run() { local t0 t1; t0=$(date +%s.%N); "$pai" ask --role ops -n 1 --temp 0 "which host backs up service 7?" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
echo "model $(basename "$model"), $(nproc) cores: $(lscpu | sed -n 's/^Model name: *//p'); load $(cut -d' ' -f1-3 /proc/loadavg)"
"$pai" -v context --role ops "which host backs up service 7?" 2>&1 >/dev/null | grep "prompt cache" || true
cold=(); warm=()
for i in $(seq "$rounds"); do
  rm -rf "$home/prompt-cache"; cold+=("$(run)")
  warm+=("$(run)")
done
python3 - "${cold[*]}" "${warm[*]}" <<'PY'
import statistics, sys
cold = [float(x) for x in sys.argv[1].split()]; warm = [float(x) for x in sys.argv[2].split()]
c, w = statistics.median(cold), statistics.median(warm)
print(f"cold {c:.2f} s, warm {w:.2f} s (medians of {len(cold)}), warm/cold {w/c:.2f}")
PY
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)"
