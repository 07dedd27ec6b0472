#!/usr/bin/env bash
# The agent's step speed on the local model. For each later model step of a `pai agent` run,
# its time to first token (reading the prompt: `engine.prompt_ms` in --json) against a cold
# start on the same prompt length (`pai bench` reading a fresh prompt of that many tokens in a
# new process, scaled to the exact count); the issue asks for at most 0.3. Then pai's own time
# per step, model and tools aside (`own_ms` of the run over its model steps; the issue asks
# for at most 20 ms). Run from the project root after a release build:
#   benches/agent-steps.sh [ROUNDS] [MODEL_FILE]     (TASK="..." to change the task)
set -euo pipefail
rounds=${1:-2}
pai=$PWD/target/release/pai
cache=$(scripts/fetch-models.sh smollm2)
model=${2:-$cache/SmolLM2-135M-Instruct.Q4_1.gguf}
fixtures=$PWD/tests/fixtures/agent
home=$(mktemp -d); export PAI_HOME=$home HOME=$home
trap 'rm -rf "$home"' EXIT
cp -r "$fixtures/repo" "$home/work"; cp -r "$fixtures/notes" "$home/notes"
"$pai" model add "$model" --name m >/dev/null 2>&1
"$pai" index add "$home/notes" >/dev/null 2>&1
sentence="The quick brown fox jumps over the lazy dog. "
cold() { # tokens -> "prompt_tokens prompt_ms" of a cold read of about that many tokens
  local reps=$(( $1 / 10 + 1 ))
  python3 -c "print('$sentence' * $reps)" >"$home/cold.txt"
  "$pai" bench --model m --prompt-file "$home/cold.txt" --gen 1 --json 2>/dev/null |
    jq -r '"\(.prompt_tokens) \(.prompt_tokens / .pp_tps * 1000)"'
}
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), load: $(uptime | sed 's/.*load average: //')"
for r in $(seq "$rounds"); do
  run=$("$pai" agent --tier local --model m --json --seed 1 -n 48 --max-steps 4 \
    -C "$home/work" "${TASK:-which port does wireguard use}" 2>/dev/null)
  steps=$(jq '[.steps[] | select(.kind == "model")] | length' <<<"$run")
  jq -r '.steps[] | select(.kind == "model" and .engine != null) |
    "\(.step) \(.engine.prompt_tokens) \(.engine.reused_tokens) \(.engine.prompt_ms)"' <<<"$run" |
  while read -r step tokens reused ms; do
    read -r ctokens cms < <(cold "$tokens")
    cold_ms=$(python3 -c "print(round($cms * $tokens / $ctokens, 1))")
    ratio=$(python3 -c "print(round($ms / $cold_ms, 3))")
    printf 'round %s step %s: %s prompt tokens, %s reused, first token after %.1f ms; cold %s ms; ratio %s\n' \
      "$r" "$step" "$tokens" "$reused" "$ms" "$cold_ms" "$ratio"
  done
  # pai's own part of each later model step: its time less reading the prompt and generating
  # (fitting, the template, tokenizing, the grammar, parsing). The first step also loads the
  # model and llguidance's vocabulary once, so it is left out here and counted in own_ms.
  jq -r '.steps[] | select(.kind == "model" and .engine != null and .step > 1) |
    "step \(.step): pai own \(.ms - .engine.prompt_ms - .engine.generation_ms | . * 10 | floor / 10) ms"' <<<"$run" |
    sed "s/^/round $r /"
  jq -r --argjson n "$steps" '"\(.steps | length) steps, \($n) of them the model'"'"'s: pai own \(.own_ms | floor) ms in the whole loop (audit rows and one-time set-up included), \(.own_ms / $n * 10 | floor / 10) ms per model step"' <<<"$run" |
    sed "s/^/round $r: /"
done
echo "load after: $(uptime | sed 's/.*load average: //')"
