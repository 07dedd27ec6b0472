#!/usr/bin/env bash
# Four clients at once: aggregate generation speed of `pai serve --parallel 4` against
# llama-server `--parallel 4` (scripts/build-llama-server.sh) on the same model, threads and
# context, in alternating rounds; each client asks for 128 tokens past end of text (ignore_eos),
# and the figure is all completion tokens over the wall time of the four. Medians.
# Run from the project root after a release build:   benches/parallel.sh [ROUNDS] [CLIENTS]
set -euo pipefail
rounds=${1:-3}; clients=${2:-4}; threads=${THREADS:-$(nproc)}
pai=$PWD/target/release/pai
server=$(scripts/build-llama-server.sh)
model=$(scripts/fetch-models.sh smollm2)/SmolLM2-135M-Instruct.Q4_1.gguf
home=$(mktemp -d); export PAI_HOME=$home
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$home"' EXIT
"$pai" model add "$model" --name smol >/dev/null 2>&1
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
p1=$(free_port); p2=$(free_port)
ctx=$((clients * 1024))
# pai's --ctx is per sequence; llama-server's -c is shared by its slots.
"$pai" serve --port "$p1" --model smol --parallel "$clients" --threads "$threads" --ctx 1024 2>"$home/pai.log" &
"$server" -m "$model" --port "$p2" -np "$clients" -t "$threads" -tb "$threads" -c "$ctx" --alias smol 2>"$home/ls.log" >&2 &
for p in "$p1" "$p2"; do
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$p/health" >/dev/null && break; sleep 0.5; done
done
burst() { # port -> aggregate tok/s of $clients concurrent requests
  python3 - "$1" "$clients" <<'PY'
import json, sys, threading, time, urllib.request
port, n = sys.argv[1], int(sys.argv[2])
body = lambda i: json.dumps({"model": "smol", "max_tokens": 128, "temperature": 0, "ignore_eos": True,
    "messages": [{"role": "user", "content": f"Client {i}: tell me about the sea."}]}).encode()
tokens = [0] * n
def one(i):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", body(i),
                                 {"Content-Type": "application/json"})
    tokens[i] = json.load(urllib.request.urlopen(req, timeout=300))["usage"]["completion_tokens"]
start = time.time()
ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
[t.start() for t in ts]; [t.join() for t in ts]
print(round(sum(tokens) / (time.time() - start), 1))
PY
}
burst "$p1" >/dev/null; burst "$p2" >/dev/null   # warm both
a=(); b=()
for _ in $(seq "$rounds"); do a+=("$(burst "$p1")"); b+=("$(burst "$p2")"); done
python3 - "${a[*]}" "${b[*]}" "$clients" "$threads" <<'PY'
import statistics, sys
a = [float(x) for x in sys.argv[1].split()]; b = [float(x) for x in sys.argv[2].split()]
ma, mb = statistics.median(a), statistics.median(b)
print(f"{sys.argv[3]} clients, {sys.argv[4]} threads: pai serve {ma:.1f} tok/s {a}, llama-server {mb:.1f} tok/s {b}, ratio {ma / mb:.2f}")
PY
