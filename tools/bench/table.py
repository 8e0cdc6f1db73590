#!/usr/bin/python3
"""Formats the log of tools/bench/inference.sh as the Markdown tables of benchmarks/README.md.

Reads the key=value lines the script collected: HOST and LOAD (the script), PEAK
(tools/bench/FmaPeak.java), META, MODEL, COMPILE, WARMUP, TIME and RATIO
(dev.striate.bench.InferenceTable). Standard library only.

    python3 tools/bench/table.py LOG > table.md
"""
import math
import re
import statistics
import sys
from collections import defaultdict

NAMES = {"scalar": "Striate scalar", "vector": "Striate vector", "ort": "ORT", "torch": "PyTorch"}


def parse(path):
    records = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(HOST|LOAD|PEAK|META|MODEL|COMPILE|WARMUP|TIME|RATIO) (.*)$", line.rstrip("\n"))
            if not m:
                continue
            if m.group(1) in ("HOST", "LOAD"):
                key, _, value = m.group(2).partition(" ")
                records[m.group(1)].append({"key": key, "value": value})
            else:
                records[m.group(1)].append(dict(re.findall(r"(\w+)=(\S+)", m.group(2))))
    return records


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def fmt_time(ns):
    """µs with three significant digits (ms above 10 ms)."""
    us = ns / 1e3
    if us >= 10_000:
        return f"{us / 1e3:,.0f} ms" if us >= 100_000 else f"{us / 1e3:,.1f} ms"
    return f"{us:,.0f}" if us >= 100 else f"{us:.1f}" if us >= 10 else f"{us:.2f}"


def fmt_rate(images_per_s):
    return f"{images_per_s:,.0f}" if images_per_s >= 100 else f"{images_per_s:.1f}" if images_per_s >= 10 \
        else f"{images_per_s:.2f}"


def main(argv):
    r = parse(argv[1])
    host = {h["key"]: h["value"] for h in r["HOST"]}
    loads = {h["key"]: h["value"] for h in r["LOAD"]}
    peaks = [p for p in r["PEAK"] if p.get("preferred") == "true"]
    peak = max((float(p["gflops"]) for p in peaks), default=float("nan"))
    metas = {m["jdk"]: m for m in r["META"]}
    jdks = list(metas)
    models = list(dict.fromkeys(m["model"] for m in r["MODEL"]))
    flops = {m["model"]: int(m["flops"]) for m in r["MODEL"]}
    params = {m["model"]: int(m["params"]) for m in r["MODEL"]}
    times = {(t["jdk"], t["model"], t["config"], t["impl"]): t for t in r["TIME"]}
    ratios = {(t["jdk"], t["model"], t["config"], t["impl"], t["ref"]): t for t in r["RATIO"]}
    configs = list(dict.fromkeys(t["config"] for t in r["TIME"]))
    out = []
    p = out.append

    p(f"Measured {host.get('date', '?')} with `{host.get('command', 'tools/bench/inference.sh')}`.")
    p("")
    p(f"- CPU: {host.get('cpu', '?')}, {host.get('cores', '?')} cores; SIMD: {host.get('simd', '?')}.")
    peak_text = "; ".join(f"JDK {q['jdk']} {float(q['gflops']):.1f} GFLOP/s ({q['species']}, median of runs "
                          f"{float(q['median_gflops']):.1f})" for q in peaks)
    p(f"- FMA peak of one core (`tools/bench/FmaPeak.java`, best run): {peak_text or 'not measured'}. "
      f"\"% peak\" = model FLOPs x images / time / (threads x {peak:.1f} GFLOP/s), "
      "FLOPs from `striate summary` (a multiply-add counts 2).")
    p(f"- Load average before: {loads.get('before', '?')}; after: {loads.get('after', '?')}.")
    for jdk in jdks:
        m = metas[jdk]
        p(f"- JDK {jdk}: `{m['vm']}`; ONNX Runtime Java {m['ort']}; Striate variants: {m['variants']}"
          + ("" if m.get("vector_available") == "true" else " (this compiler has no vector variant)")
          + ("" if m.get("torch") == "true" else "; PyTorch not measured") + ".")
    if metas:
        p(f"- Harness options: `{next(iter(metas.values()))['options']}`.")
    p("- Each cell: median over alternating rounds [p10-p90 over the rounds]. Ratios: median of the per-round "
      "ratios of Striate's time to the other's in the same round (below 1: Striate faster). Batch-64, 2 threads: "
      "Striate calls `predictBatch(inputs, outputs, executor, 2)` (the calling thread and one helper task on a "
      "one-thread pool; batch 64, 1 thread: `predictBatch(inputs, outputs)`); ORT uses 2 intra-op threads; "
      "PyTorch `torch.set_num_threads(2)`.")
    p("")

    for jdk in jdks:
        impls = [i for i in ("scalar", "vector", "ort", "torch") if any(k[0] == jdk and k[3] == i for k in times)]
        striate = [i for i in impls if i in ("scalar", "vector")]
        refs = [i for i in ("ort", "torch") if i in impls]
        for config in configs:
            rows = [(mo, times.get((jdk, mo, config, impls[0]))) for mo in models]
            rows = [(mo, t) for mo, t in rows if t]
            if not rows:
                continue
            batch, threads = int(rows[0][1]["batch"]), int(rows[0][1]["threads"])
            per_image = batch == 1
            unit = "µs" if per_image else "images/s"
            p(f"### JDK {jdk}, batch {batch}, {threads} thread{'s' if threads > 1 else ''}"
              + (" (latency)" if per_image else " (throughput)"))
            p("")
            head = ["model", "MFLOP"] + [f"{NAMES[i]} {unit}" for i in impls]
            head += [f"{NAMES[s]} / {NAMES[ref]}" for s in striate for ref in refs]
            if "vector" in striate:
                head.append("vector / scalar")
            head += [f"% peak {NAMES[i]}" for i in impls]
            p("| " + " | ".join(head) + " |")
            p("|" + "---|" * len(head))
            geo = defaultdict(list)
            for mo, _ in rows:
                mflop = flops[mo] / 1e6
                cells = [mo, f"{mflop:,.1f}" if mflop >= 10 else f"{mflop:.2f}"]
                for i in impls:
                    t = times.get((jdk, mo, config, i))
                    if not t:
                        cells.append("")
                    elif per_image:
                        cells.append(f"{fmt_time(float(t['median_ns']))} [{fmt_time(float(t['p10_ns']))}-"
                                     f"{fmt_time(float(t['p90_ns']))}]")
                    else:
                        cells.append(f"{fmt_rate(batch * 1e9 / float(t['median_ns']))} "
                                     f"[{fmt_rate(batch * 1e9 / float(t['p90_ns']))}-"
                                     f"{fmt_rate(batch * 1e9 / float(t['p10_ns']))}]")
                pairs = [(s, ref) for s in striate for ref in refs]
                if "vector" in striate:
                    pairs.append(("vector", "scalar"))
                for s, ref in pairs:
                    q = ratios.get((jdk, mo, config, s, ref))
                    if q:
                        geo[(s, ref)].append(float(q["median"]))
                        cells.append(f"{float(q['median']):.2f}x [{float(q['p10']):.2f}-{float(q['p90']):.2f}]")
                    else:
                        cells.append("")
                for i in impls:
                    t = times.get((jdk, mo, config, i))
                    gflops = flops[mo] * batch / float(t["median_ns"]) if t else float("nan")
                    cells.append(f"{100 * gflops / (threads * peak):.1f}%" if t else "")
                p("| " + " | ".join(cells) + " |")
            if len(rows) > 1:
                cells = ["geometric mean", ""] + [""] * len(impls)
                pairs = [(s, ref) for s in striate for ref in refs] + ([("vector", "scalar")] if "vector" in striate else [])
                cells += [f"{geomean(geo[pr]):.2f}x" if geo[pr] else "" for pr in pairs]
                cells += [""] * len(impls)
                p("| " + " | ".join(cells) + " |")
            p("")
            p(f"_JDK {jdk} run: load average before {loads.get('before-' + jdk, '?')}, after "
              f"{loads.get('after-' + jdk, '?')}; {host.get('cpu', '?')}, {host.get('simd', '?')}._")
            p("")

    if r["WARMUP"]:
        p("### Calls to full speed (batch 1)")
        p("")
        p("Each implementation's first calls, timed one by one on an instance never called before (after the class "
          "was compiled and loaded in that JVM; PyTorch: a freshly built module in the warm worker). \"calls\": "
          "the first call from which the median of the next 10 is within 10% of the steady median of the rounds; "
          "the time is the sum of the calls before it. `>N`: not reached within the traced calls.")
        p("")
        impls = list(dict.fromkeys(w["impl"] for w in r["WARMUP"]))
        head = ["JDK", "model"] + [NAMES.get(i, i) for i in impls]
        p("| " + " | ".join(head) + " |")
        p("|" + "---|" * len(head))
        warm = {(w["jdk"], w["model"], w["impl"]): w for w in r["WARMUP"]}
        for jdk in jdks:
            for mo in models:
                cells = [jdk, mo]
                for i in impls:
                    w = warm.get((jdk, mo, i))
                    cells.append(f"{w['calls']} calls, {w['to_full_ms']} ms (first call {float(w['first_ms']):.2f} ms)"
                                 if w else "")
                p("| " + " | ".join(cells) + " |")
        p("")

    cold = [c for c in r["COMPILE"] if c["mode"] == "cold"]
    if cold:
        p("### `.cnn` to loaded class (fresh JVM)")
        p("")
        p("One fresh JVM per measurement (`InferenceTable --compile-time`): parse + bind weights + passes, "
          "generate and write the source and weights, javac (in-process `javax.tools`), class load + `load()`; "
          "medians over the repetitions, ms.")
        p("")
        p("| JDK | model | variant | params | frontend | generate | javac | load | total |")
        p("|---|---|---|---|---|---|---|---|---|")
        groups = defaultdict(list)
        for c in cold:
            groups[(c["jdk"], c["model"], c["variant"])].append(c)
        for (jdk, mo, v), cs in groups.items():
            med = {k: statistics.median(float(c[k]) for c in cs)
                   for k in ("frontend_ms", "generate_ms", "javac_ms", "load_ms", "total_ms")}
            p(f"| {jdk} | {mo} | {v} | {params.get(mo, 0):,} | {med['frontend_ms']:.0f} | {med['generate_ms']:.0f} | "
              f"{med['javac_ms']:.0f} | {med['load_ms']:.0f} | {med['total_ms']:.0f} |")
        p("")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
