#!/usr/bin/env bash
# pai serve beside pai in process: same model, same machine, alternating rounds (medians).
#  1. Generation speed: `pai bench` (a raw 400-token prompt, 128 tokens generated past end of
#     text) against the same prompt over /v1/completions with ignore_eos, streamed: the
#     server's own tok/s (its `timings`) and the client's (first to last chunk).
#  3. (below) Two clients at once, on a server with --parallel 1 and one with --parallel 2:
#     the wall time, the tokens per second of both together, and the later first token.
#  2. Time to the first token: the server's time to the first content chunk for a chat prompt,
#     against `pai ask --json` for the same prompt (prompt_ms plus one token: the engine's
#     part), and against a whole `pai ask` process's time to its first byte on stdout. Cold:
#     each round's system prompt starts differently, so the server's cache cannot help; warm:
#     the system prompt the previous request had, as real clients send it.
# Run from the project root after a release build:   benches/serve.sh [ROUNDS]
set -euo pipefail
rounds=${1:-5}
pai=$PWD/target/release/pai
model=${PAI_MODEL_CACHE:-$HOME/.cache/pai-models}/SmolLM2-135M-Instruct.Q4_1.gguf
[ -f "$model" ] || model=$(scripts/fetch-models.sh smollm2)/SmolLM2-135M-Instruct.Q4_1.gguf
home=$(mktemp -d); export PAI_HOME=$home
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$home"' EXIT
"$pai" model add "$model" --name smol >/dev/null 2>&1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$pai" serve --port "$port" --threads "$(nproc)" ${SERVE_ARGS:-} 2>"$home/serve.log" &
port2=$((port + 1))
"$pai" serve --port "$port2" --parallel 2 --threads "$(nproc)" ${SERVE_ARGS:-} 2>"$home/serve2.log" &
for p in $port $port2; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$p/health" >/dev/null && break; sleep 0.1; done
done
python3 - "$pai" "$port" "$rounds" <<'PY'
import json, os, statistics, subprocess, sys, time, http.client
# Every side gets every core: pai's default looks at how busy the machine is at the moment it
# starts, which would make this a measurement of that guess.
T = ["--threads", str(os.cpu_count())]
pai, port, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
SYSTEM = open("prompts/system.txt").read().strip()
PROMPT = "Summarize the following notes. " + "The quick brown fox jumps over the lazy dog. " * 40

def stream(path, body):
    """Posts and reads the SSE stream: (seconds to first text, seconds first→last text, last event)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    t0 = time.perf_counter()
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse()
    first = last = None; final = None
    for line in r:
        line = line.decode().strip()
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        ev = json.loads(line[6:])
        ch = ev.get("choices") or [{}]
        text = ch[0].get("text") or (ch[0].get("delta") or {}).get("content")
        if text:
            now = time.perf_counter() - t0
            first = now if first is None else first
            last = now
        if "timings" in ev:
            final = ev
    c.close()
    return first, (last - first), final

def med(xs): return statistics.median(xs)

bench_tg, bench_pp, srv_tg, cli_tg, srv_pp = [], [], [], [], []
for i in range(rounds):
    b = json.loads(subprocess.run([pai, "bench", "--json", "-m", "smol"] + T, capture_output=True, text=True, check=True).stdout)
    bench_tg.append(b["tg_tps"]); bench_pp.append(b["pp_tps"])
    # A different first word each round: the whole prompt is read again, as pai bench does.
    body = {"model": "smol", "prompt": f"{i} " + PROMPT, "max_tokens": 128, "temperature": 0, "repeat_penalty": 1.0,
            "ignore_eos": True, "stream": True}
    first, span, final = stream("/v1/completions", body)
    t = final["timings"]
    srv_tg.append(t["predicted_per_second"]); srv_pp.append(t["prompt_per_second"])
    cli_tg.append((t["predicted_n"] - 1) / span if span > 0 else float("nan"))

ask_engine, ask_proc, srv_ttft, srv_warm = [], [], [], []
for i in range(rounds):
    q = f"Question {i}: in one sentence, why is the sky blue?"
    out = json.loads(subprocess.run([pai, "ask", "--json", "--no-context", "--temp", "0", "-n", "8", "-m", "smol", q] + T,
                                    capture_output=True, text=True, check=True).stdout)
    t = out["timings"]
    ask_engine.append((t["prompt_ms"] + t["generation_ms"] / max(out["generated_tokens"], 1)) / 1000)
    t0 = time.perf_counter()
    p = subprocess.Popen([pai, "ask", "--no-context", "--temp", "0", "-n", "8", "-m", "smol", q] + T,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdout.read(1); ask_proc.append(time.perf_counter() - t0); p.wait()
    # `pai ask --no-context` sends pai's system prompt and the question: send the same.
    # Cold: the system prompt starts differently each round, so nothing comes from the cache.
    cold = [{"role": "system", "content": f"[{i}] " + SYSTEM}, {"role": "user", "content": q}]
    first, _, _ = stream("/v1/chat/completions", {"model": "smol", "messages": cold, "max_tokens": 8, "temperature": 0, "stream": True})
    srv_ttft.append(first)
    # Warm: the same system prompt as the last request, as clients send it: only the question is read.
    warm = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}]
    stream("/v1/chat/completions", {"model": "smol", "messages": warm, "max_tokens": 1, "temperature": 0, "stream": True})
    first, _, _ = stream("/v1/chat/completions", {"model": "smol", "messages": warm[:1] + [{"role": "user", "content": q + " "}], "max_tokens": 8, "temperature": 0, "stream": True})
    srv_warm.append(first)

import threading
def two_at_once(p):
    qs = ["Write a poem about the sea.", "Explain what a CPU does."]
    out = [None, None]
    def one(i):
        c = http.client.HTTPConnection("127.0.0.1", p, timeout=300)
        t0 = time.perf_counter()
        body = {"model": "smol", "messages": [{"role": "user", "content": qs[i]}], "max_tokens": 128,
                "temperature": 0, "repeat_penalty": 1.0, "ignore_eos": True, "stream": True}
        c.request("POST", "/v1/chat/completions", json.dumps(body), {"Content-Type": "application/json"})
        first = None; n = 0
        for line in c.getresponse():
            line = line.decode().strip()
            if line.startswith("data: {") and '"content":"' in line and '"content":""' not in line:
                first = first or time.perf_counter() - t0
                n += 1
        out[i] = (first, n)
    t0 = time.perf_counter()
    ts = [threading.Thread(target=one, args=(i,)) for i in range(2)]
    [t.start() for t in ts]; [t.join() for t in ts]
    wall = time.perf_counter() - t0
    return wall, 256 / wall, max(o[0] for o in out)
par = {1: [], 2: []}
for i in range(rounds):
    for n, p in ((1, port), (2, port + 1)):
        par[n].append(two_at_once(p))

print(f"rounds {rounds}, medians")
print(f"generation tok/s   pai bench {med(bench_tg):.1f}   server (engine) {med(srv_tg):.1f}   server (client-side) {med(cli_tg):.1f}   ratio {med(srv_tg)/med(bench_tg):.3f}")
print(f"prompt tok/s       pai bench {med(bench_pp):.1f}   server {med(srv_pp):.1f}")
for n in (1, 2):
    w = [x[0] for x in par[n]]; t = [x[1] for x in par[n]]; f = [x[2] for x in par[n]]
    print(f"two clients, --parallel {n}: wall {med(w):.2f} s, together {med(t):.1f} tok/s, the later first token {med(f):.3f} s")
print(f"first token (s)    ask engine {med(ask_engine):.3f}   server TTFB cold {med(srv_ttft):.3f} (overhead {med(srv_ttft)-med(ask_engine):+.3f})   warm {med(srv_warm):.3f}   whole ask process {med(ask_proc):.3f}")
PY
