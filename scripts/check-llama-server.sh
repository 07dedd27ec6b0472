#!/usr/bin/env bash
# pai's remote engine and the openai client against llama-server, built from the llama.cpp that
# Cargo.lock pins, on SmolLM2: the interoperability check that pai's own server cannot give.
#
# llama-cpp-sys-2 vendors llama.cpp without tools/server, so the same commit is fetched: the
# crate's .cargo_vcs_info.json names the llama-cpp-rs commit, whose llama.cpp submodule names
# the llama.cpp commit. The fetched src/ must equal the vendored one. Offline, set
# LLAMA_CPP_SRC to a checkout of that commit (with tools/server).
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
work=${CHECK_DIR:-/tmp/pai-llama-server}/$ver
mkdir -p "$work"

src=${LLAMA_CPP_SRC:-$work/llama.cpp}
if [ ! -f "$src/tools/server/server.cpp" ] && [ -z "${LLAMA_CPP_SRC:-}" ]; then
  rs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["git"]["sha1"])' "$crate/.cargo_vcs_info.json")
  rm -rf "$work/rs" "$src"
  git init -q "$work/rs"
  git -C "$work/rs" fetch -q --depth 1 --filter=blob:none https://github.com/utilityai/llama-cpp-rs "$rs" \
    || fail "cannot fetch llama-cpp-rs $rs from github.com; set LLAMA_CPP_SRC to a llama.cpp checkout"
  cpp=$(git -C "$work/rs" ls-tree FETCH_HEAD llama-cpp-sys-2/llama.cpp | awk '{print $3}')
  [ -n "$cpp" ] || fail "llama-cpp-rs $rs has no llama.cpp submodule where expected"
  git init -q "$src"
  git -C "$src" fetch -q --depth 1 https://github.com/ggml-org/llama.cpp "$cpp" \
    || fail "cannot fetch llama.cpp $cpp from github.com"
  git -C "$src" checkout -q FETCH_HEAD
fi
[ -f "$src/tools/server/server.cpp" ] || fail "$src has no tools/server/server.cpp"
diff -rq "$crate/llama.cpp/src" "$src/src" >/dev/null \
  || fail "$src is not the llama.cpp that llama-cpp-sys-2 $ver vendors (src/ differs)"

server=$work/build/bin/llama-server
if [ ! -x "$server" ]; then
  echo "building llama-server (several minutes)…" >&2
  cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DGGML_NATIVE=ON \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF >"$work/cmake.log" 2>&1 || fail "cmake failed: $work/cmake.log"
  cmake --build "$work/build" -j"$(nproc)" --target llama-server >"$work/build.log" 2>&1 \
    || fail "build failed: tail $work/build.log"
fi

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
"$pai" doctor | grep -q "ls: http://127.0.0.1:$port/v1 answers, takes the key and lists smol" || fail "doctor did not pass endpoint ls"
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
