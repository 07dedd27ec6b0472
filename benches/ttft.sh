#!/usr/bin/env bash
# Time to the first byte of `pai ask`'s answer when it searches the notes by words, for two
# builds taken in turns (so that drift on the machine hits both alike). Each build indexes the
# retrieval evaluation's notes into its own PAI_HOME (index formats differ between versions),
# then answers the first QUESTIONS questions ROUNDS times. Run from the project root:
#   benches/ttft.sh OLD_PAI NEW_PAI [ROUNDS] [QUESTIONS]
set -euo pipefail
old=$1 new=$2 rounds=${3:-5} questions=${4:-6}
model=$(scripts/fetch-models.sh)/SmolLM2-135M-Instruct.Q4_1.gguf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for build in old new; do
  bin=${!build}
  export PAI_HOME=$work/$build
  "$bin" model add "$model" --name smol >/dev/null 2>&1
  "$bin" index add tests/fixtures/retrieval/corpus >/dev/null 2>&1
done
python3 - "$old" "$new" "$work" "$rounds" "$questions" <<'PY'
import json, os, statistics, subprocess, sys, time
old, new, work, rounds, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
asked = [q["q"] for q in json.load(open("tests/fixtures/retrieval/questions.json"))[:n]]

def first_byte(binary, home, question):
    env = dict(os.environ, PAI_HOME=home)
    start = time.perf_counter()
    p = subprocess.Popen([binary, "ask", question, "--temp", "0", "-n", "4", "--threads", "2"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    p.stdout.read(1)
    took = time.perf_counter() - start
    p.wait()
    return took

times = {"old": [], "new": []}
for _ in range(rounds):
    for q in asked:
        for build, binary in (("old", old), ("new", new)):
            times[build].append(first_byte(binary, f"{work}/{build}", q))
o, m = statistics.median(times["old"]), statistics.median(times["new"])
print(f"{len(times['old'])} asks each: median time to the first byte {o*1000:.0f} ms before, "
      f"{m*1000:.0f} ms after ({(m-o)*1000:+.0f} ms)")
PY
