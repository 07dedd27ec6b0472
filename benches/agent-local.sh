#!/usr/bin/env bash
# The local agent's success rate on search/read/answer tasks over tests/fixtures/agent, per
# model (SmolLM2-135M with its template, gemma-3-270m without). Two halves, fixed before any
# tuning: "tune" holds the five tasks of tests/it/agent.rs's local test (the issue's figure),
# "held" six new ones written beside them and never used to tune. A task succeeds when the run
# answers and called each planned tool with an ok outcome (the test's rule); "fact" counts the
# answers that also hold the expected fact.
# Run from the project root after a release build:
#   benches/agent-local.sh [tune|held|all] [PAI_BINARY]
set -euo pipefail
half=${1:-all}
pai=${2:-$PWD/target/release/pai}
fixtures=$PWD/tests/fixtures/agent
cache=$(scripts/fetch-models.sh smollm2)
home=$(mktemp -d); export PAI_HOME=$home HOME=$home
trap 'rm -rf "$home"' EXIT
cp -r "$fixtures/repo" "$home/work"; cp -r "$fixtures/notes" "$home/notes"
"$pai" model add "$cache/SmolLM2-135M-Instruct.Q4_1.gguf" --name smol >/dev/null 2>&1
"$pai" model add "$cache/gemma-3-270m-q4_k_m.gguf" --name gemma >/dev/null 2>&1
"$pai" index add "$home/notes" >/dev/null 2>&1
# half | task | planned tools | fact
tasks='tune|what is this repository for|read|office server
tune|which port does wireguard use|search|51820
tune|who has tuesday to thursday|read|Jon
tune|how long are nginx logs kept|search read|14
tune|read two files at once|read|1.4.2
held|when are the wireguard keys rotated|search|quarter
held|what time do the nginx logs rotate|search|03:00
held|who looks after the backups on Monday|read|Priya
held|where does the backup script copy /srv to|read|nas
held|what version is this project|read|1.4.2
held|where is the wireguard peer list kept|search|wg0.conf'
for model in smol gemma; do
  ok=0; fact=0; n=0
  while IFS='|' read -r h task planned want; do
    [ "$half" = all ] || [ "$half" = "$h" ] || continue
    n=$((n + 1))
    run=$("$pai" agent --tier local --model "$model" --json --seed 1 -n 96 --max-steps 4 \
      -C "$home/work" "$task" 2>/dev/null || true)
    used=$(jq -r '[.steps[] | select(.kind == "tool" and .outcome == "ok") | .name] | join(" ")' <<<"$run" 2>/dev/null || echo)
    ended=$(jq -r .ended <<<"$run" 2>/dev/null || echo failed)
    answer=$(jq -r .answer <<<"$run" 2>/dev/null || echo)
    good=$([ "$ended" = answered ] && echo 1 || echo 0)
    for p in $planned; do [[ " $used " == *" $p "* ]] || good=0; done
    hit=$([ "$good" = 1 ] && grep -qiF -- "$want" <<<"$answer" && echo 1 || echo 0)
    ok=$((ok + good)); fact=$((fact + hit))
    printf '%s\t%s\t%s\tok=%s fact=%s tools=[%s] ended=%s answer=%.80s\n' \
      "$model" "$h" "$task" "$good" "$hit" "$used" "$ended" "$(tr '\n' ' ' <<<"$answer")" >&2
  done <<<"$tasks"
  echo "$model $half: $ok of $n succeeded, $fact of $n with the fact"
done
