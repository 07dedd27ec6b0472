#!/usr/bin/env bash
# pai's remote engine and the openai client against llama-server, built from the llama.cpp that
# Cargo.lock pins, on SmolLM2: the interoperability check that pai's own server cannot give.
#
# scripts/build-llama-server.sh builds it: the pinned library, with the server's own sources
# from the llama.cpp that PyPI's llama-cpp-python vendors (llama-cpp-sys-2 does not vendor
# them); LLAMA_CPP_SRC builds a whole llama.cpp checkout instead.
#
# Run from the project root after a release build:   scripts/check-llama-server.sh
set -euo pipefail
fail() { echo "check-llama-server: $*" >&2; exit 1; }
[ -f Cargo.lock ] || fail "run this from the project's root"
pai=$PWD/target/release/pai
[ -x "$pai" ] || fail "build first: cargo build --release"
ver=$(grep -A1 '^name = "llama-cpp-sys-2"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
crate=$(ls -d ~/.cargo/registry/src/*/llama-cpp-sys-2-"$ver" 2>/dev/null | tail -1)
[ -n "$crate" ] || fail "no llama-cpp-sys-2 $ver sources in the cargo registry: run cargo fetch"
server=$(scripts/build-llama-server.sh) || fail "llama-server could not be built"

model=${PAI_MODEL_CACHE:-$HOME/.cache/pai-models}/SmolLM2-135M-Instruct.Q4_1.gguf
[ -f "$model" ] || model=$(scripts/fetch-models.sh smollm2)/SmolLM2-135M-Instruct.Q4_1.gguf
home=$(mktemp -d); export PAI_HOME=$home
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$home"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "llama-server-key" >"$home/key"
"$server" -m "$model" --port "$port" -c 2048 --alias smol --api-key llama-server-key >"$home/server.log" 2>&1 &
spid=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/health" >/dev/null || fail "llama-server did not start: $(tail -3 "$home/server.log")"

cfg=$("$pai" config path); mkdir -p "$(dirname "$cfg")"
cat >"$cfg" <<EOF
[endpoints.ls]
url = "http://127.0.0.1:$port/v1"
model = "smol"
api_key_file = "$home/key"
[endpoints.nokey]
url = "http://127.0.0.1:$port/v1"
model = "smol"
EOF
ok() { echo "ok    $*"; }

# The openai client, as against pai serve: list, plain, stream, include_usage exact.
py=$(python3 -c 'import openai' 2>/dev/null && echo python3 || true)
venv=target/tmp/openai-venv/bin/python
[ -z "$py" ] && [ -x "$venv" ] && py=$venv
if [ -n "$py" ]; then
  "$py" - "$port" <<'PY'
import sys, openai
c = openai.OpenAI(base_url=f"http://127.0.0.1:{sys.argv[1]}/v1", api_key="llama-server-key", max_retries=0)
ids = [m.id for m in c.models.list().data]; assert "smol" in ids, ids
msg = [{"role": "user", "content": "Name two colors."}]
r = c.chat.completions.create(model="smol", messages=msg, max_tokens=16, temperature=0)
assert r.choices[0].message.content.strip() and r.usage.completion_tokens > 0
ch = list(c.chat.completions.create(model="smol", messages=msg, max_tokens=16, temperature=0, stream=True, stream_options={"include_usage": True}))
assert any(x.usage for x in ch), "no usage chunk"
ch = list(c.chat.completions.create(model="smol", messages=msg, max_tokens=16, temperature=0, stream=True))
assert not any(x.usage for x in ch), "usage unasked"
PY
  ok "openai client: list, plain, stream, include_usage"
else
  echo "skip  openai client: no Python with openai (run cargo test --release --test it serve once to make target/tmp/openai-venv)"
fi

out=$("$pai" ask --endpoint ls "Name two colors." -n 16 --temp 0 --no-context) || fail "ask --endpoint ls failed"
[ -n "$(echo "$out" | tr -d '[:space:]')" ] || fail "ask --endpoint ls printed nothing"
ok "pai ask --endpoint: $(echo "$out" | head -1)"
window=$("$pai" context --endpoint ls hi --no-context --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["window"])')
ok "the window pai reads from llama-server's model list: $window"
# doctor exits 1 here anyway (no local model is registered); only the endpoint's line counts.
doctor=$("$pai" doctor 2>&1 || true)
grep -q "ls: http://127.0.0.1:$port/v1 answers, takes the key and lists smol" <<<"$doctor" || fail "doctor did not pass endpoint ls"
ok "pai doctor: endpoint ls"
err=$("$pai" ask --endpoint nokey hi -n 2 --no-context 2>&1 >/dev/null) && fail "no key was accepted"
echo "$err" | grep -q "refused the API key (401)" || fail "no key: $err"
ok "no key: $err"

# Killed mid-answer: what arrived stays printed, and the error says it was cut.
"$pai" ask --endpoint ls "Write a very long story about a dragon." -n 2000 --temp 0 --no-context \
  >"$home/cut.out" 2>"$home/cut.err" & apid=$!
for _ in $(seq 200); do [ -s "$home/cut.out" ] && break; sleep 0.05; done
kill -9 $spid; rc=0; wait $apid || rc=$?
[ $rc -eq 1 ] || fail "cut mid-answer: exit $rc"
grep -q "was cut off after" "$home/cut.err" || fail "cut mid-answer: $(cat "$home/cut.err")"
[ -s "$home/cut.out" ] || fail "cut mid-answer: what arrived was not printed"
ok "killed mid-answer: $(cat "$home/cut.err")"
start=$(date +%s.%N)
err=$("$pai" ask --endpoint ls hi -n 2 --no-context 2>&1 >/dev/null) && fail "a dead server answered"
echo "$err" | grep -q "refused the connection" || fail "server down: $err"
ok "server down, in $(python3 -c "print(round($(date +%s.%N)-$start, 2))") s: $err"
echo "llama-server $ver: all cases held"
