"""Reads `NAME<TAB>rawllama line<TAB>pai bench --spec JSON[<TAB>the same from PAI_BASE]` lines and prints each selection
and the medians of each half: bare loop tokens/s, pai plain and speculative tokens/s, the
speed-up of speculation over the bare loop, and drafted/accepted tokens."""
import json
import statistics
import sys

rows = []
for line in sys.stdin:
    name, raw, pai, base = (line.rstrip("\n").split("\t") + [""])[:4]
    r = raw.split(); r = dict(zip(r[::2], r[1::2])); p = json.loads(pai)
    row = dict(name=name, raw_tps=float(r["tg_tps"]), raw_tokens=int(r["tg_tokens"]),
               plain_tps=p["tg_tps"], plain_tokens=p["gen_tokens"], spec_tps=p["spec_tg_tps"],
               spec_tokens=p["spec_gen_tokens"], drafted=p["drafted"], accepted=p["accepted"],
               same=p["same_output"])
    row["speedup"] = row["spec_tps"] / row["raw_tps"] if row["raw_tps"] else 0.0
    if base:
        b = json.loads(base)
        row.update(base_spec_tps=b["spec_tg_tps"], base_drafted=b["drafted"],
                   base_accepted=b["accepted"], base_same=b["same_output"])
        row["base_speedup"] = row["base_spec_tps"] / row["raw_tps"] if row["raw_tps"] else 0.0
    rows.append(row)
    print(f"{name}  raw {row['raw_tps']:6.1f} ({row['raw_tokens']:4d} tok)  "
          f"pai {row['plain_tps']:6.1f} ({row['plain_tokens']:4d})  "
          f"spec {row['spec_tps']:6.1f} ({row['spec_tokens']:4d})  x{row['speedup']:.2f}  "
          f"drafted {row['drafted']} accepted {row['accepted']}  same {row['same']}"
          + (f"  | base spec {row['base_spec_tps']:6.1f} x{row['base_speedup']:.2f} "
             f"drafted {row['base_drafted']} accepted {row['base_accepted']} "
             f"same {row['base_same']}" if base else ""), flush=True)

for half in ("tune", "held", ""):
    part = [r for r in rows if half in r["name"]]
    if not part:
        continue
    med = lambda k: statistics.median(r[k] for r in part)
    same = sum(r["same"] and r["spec_tokens"] == r["raw_tokens"] for r in part)
    print(f"median {half or 'all'} ({len(part)}): raw {med('raw_tps'):.1f} tok/s, "
          f"pai plain {med('plain_tps'):.1f}, speculative {med('spec_tps'):.1f}, "
          f"speed-up over the bare loop x{med('speedup'):.2f}; "
          f"accepted/drafted {sum(r['accepted'] for r in part)}/{sum(r['drafted'] for r in part)}; "
          f"same output and length as the bare loop: {same}/{len(part)}")
    if "base_spec_tps" in part[0]:
        bsame = sum(r["base_same"] for r in part)
        print(f"  base binary: speculative {med('base_spec_tps'):.1f} tok/s, "
              f"x{med('base_speedup'):.2f} over the bare loop; accepted/drafted "
              f"{sum(r['base_accepted'] for r in part)}/{sum(r['base_drafted'] for r in part)}; "
              f"same output as its plain run: {bsame}/{len(part)}")
