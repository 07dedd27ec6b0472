#!/usr/bin/env bash
# pai's remote engine against an OpenAI-compatible server it did not write: llama-cpp-python's
# (PyPI `llama-cpp-python[server]`, which compiles its own llama.cpp once into a cached venv,
# about 8 minutes on two cores), on SmolLM2. Until llama-server can be built here
# (scripts/check-llama-server.sh), this is the interoperability check that runs offline.
# Cases: ask (plain and --json), chat, context, edit, a wrong key, the server killed
# mid-answer, the server down. Run from the project root after a release build:
#   scripts/check-llama-cpp-python.sh
set -uo pipefail
fail() { echo "check-llama-cpp-python: $*" >&2; exit 1; }
pai=$PWD/target/release/pai
[ -x "$pai" ] || fail "build first: cargo build --release"
venv=${PAI_CHECK_VENV:-$HOME/.cache/pai-check-llama-cpp-python}
if ! "$venv/bin/python" -c 'import llama_cpp.server' 2>/dev/null; then
  echo "installing llama-cpp-python[server] into $venv (it compiles llama.cpp)…" >&2
  python3 -m venv "$venv" && CMAKE_ARGS="-DGGML_NATIVE=ON" "$venv/bin/pip" install -q "llama-cpp-python[server]" \
    || fail "pip install llama-cpp-python[server] failed"
fi
model=$(scripts/fetch-models.sh smollm2)/SmolLM2-135M-Instruct.Q4_1.gguf
home=$(mktemp -d); export PAI_HOME=$home
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$home"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$venv/bin/python" -m llama_cpp.server --model "$model" --host 127.0.0.1 --port "$port" \
  --n_threads "$(nproc)" --n_ctx 2048 --model_alias smol --api_key right-key >"$home/server.log" 2>&1 &
server=$!
for _ in $(seq 120); do curl -s -o /dev/null "http://127.0.0.1:$port/v1/models" && break; sleep 0.5; done
cfg=$("$pai" config path); mkdir -p "$(dirname "$cfg")"
printf '[endpoints.lcp]\nurl = "http://127.0.0.1:%s/v1"\nmodel = "smol"\napi_key_env = "LCP_KEY"\ntimeout_s = 60\n' "$port" >"$cfg"
printf '[endpoints.wrong]\nurl = "http://127.0.0.1:%s/v1"\nmodel = "smol"\napi_key_env = "WRONG_KEY"\n' "$port" >>"$cfg"
export LCP_KEY=right-key WRONG_KEY=wrong-key
ask() { "$pai" ask --no-context --temp 0 "$@"; }

out=$(ask --endpoint lcp "Name two colors." -n 24) || fail "ask failed"
[ -n "${out// /}" ] || fail "ask printed nothing"
ask --endpoint lcp "Say hi." -n 8 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["answer"] and d["generated_tokens"] > 0' \
  || fail "ask --json lacks the answer or the token count"
chat=$(printf 'Name a fruit.\nAnd another?\n' | "$pai" chat --endpoint lcp -n 16 --temp 0 --no-context) || fail "chat failed"
[ "$(printf '%s\n' "$chat" | grep -c .)" -ge 2 ] || fail "chat did not answer both lines"
"$pai" context --endpoint lcp "hello" --no-context >/dev/null || fail "context failed"
printf 'teh cat\n' | "$pai" edit --endpoint lcp "fix the spelling" -n 16 --temp 0 >/dev/null 2>&1
[ $? -le 1 ] || fail "edit crashed"
err=$(ask --endpoint wrong "hi" -n 4 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && grep -q 401 <<<"$err" || fail "a wrong key gave exit $rc: $err"
(sleep 1; kill -9 "$server") &
"$pai" ask --no-context --endpoint lcp "Write a long story about the sea." -n 400 --temp 0.7 >"$home/cut.txt" 2>"$home/cut.err"; rc=$?
{ wait "$server"; } 2>/dev/null
[ $rc -eq 1 ] && [ -s "$home/cut.txt" ] && grep -q "cut off" "$home/cut.err" \
  || fail "a server killed mid-answer: exit $rc, $(wc -c <"$home/cut.txt") bytes kept, $(cat "$home/cut.err")"
err=$(timeout 30 "$pai" ask --endpoint lcp "hi" -n 4 --no-context 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && grep -q "refused the connection" <<<"$err" || fail "the server down gave exit $rc: $err"
echo "llama-cpp-python: ask, --json, chat, context, edit, wrong key, cut mid-answer and server down held"
