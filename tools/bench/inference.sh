#!/usr/bin/env bash
# Batch-1 inference latency, side by side on the same weights: Striate's generated predict, ONNX
# Runtime Java (on the ONNX export) and PyTorch, for lenet5, mnist_cnn and tiny_resnet.
#
#   tools/bench/inference.sh [OUTER=3] [ROUNDS=20]
#
# 1. /usr/bin/python3 tools/bench/export_onnx.py   (fixture weights -> ~/.cache/striate/onnx, checked
#    against golden.json)
# 2. OUTER times, alternating: the Java harness VersusOrt (Striate and ORT alternating in 100 ms
#    rounds in one JVM, ROUNDS rounds per model, outputs checked equal within 1e-4), then
#    torch_predict.py (ROUNDS rounds of 100 ms per model, OPENBLAS_NUM_THREADS=1, glibc malloc
#    thresholds raised).
# 3. One table: medians over the OUTER runs of each run's median µs per prediction, and ratios.
# Builds benchmarks/target/benchmarks.jar (-Pbench) if it is missing. Run from anywhere.
set -euo pipefail
OUTER=${1:-3}
ROUNDS=${2:-20}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
JAR=benchmarks/target/benchmarks.jar
PY=/usr/bin/python3
LOG=$(mktemp -t striate-inference.XXXXXX)
trap 'rm -f "$LOG"' EXIT

if [[ ! -f $JAR ]]; then
    mvn -B -q -pl benchmarks -am package -Pbench -DskipTests
fi
$PY tools/bench/export_onnx.py 2>/dev/null

LOAD_BEFORE=$(uptime)
for ((i = 1; i <= OUTER; i++)); do
    echo "== run $i/$OUTER: Striate + ONNX Runtime (one JVM)" >&2
    java -cp "$JAR" dev.striate.bench.VersusOrt --rounds "$ROUNDS" | tee -a "$LOG" >&2
    echo "== run $i/$OUTER: PyTorch" >&2
    OPENBLAS_NUM_THREADS=1 \
    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824 \
        $PY tools/bench/torch_predict.py --rounds "$ROUNDS" | tee -a "$LOG" >&2
done
LOAD_AFTER=$(uptime)

$PY - "$LOG" "$OUTER" "$ROUNDS" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PYEOF'
import re, statistics, sys, datetime
log, outer, rounds, before, after = sys.argv[1:6]
runs = {}
paired = {}
for line in open(log):
    if not line.startswith("RESULT "):
        continue
    kv = dict(re.findall(r"(\w+)=(\S+)", line))
    runs.setdefault((kv["model"], kv["impl"]), []).append(float(kv["median_us"]))
    if "ratio_ort_striate" in kv:
        paired.setdefault(kv["model"], []).append(1 / float(kv["ratio_ort_striate"]))
def load(s):
    return s.split("load average:")[-1].strip()
print(f"date {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; {outer} alternating runs x {rounds} rounds of 100 ms; "
      f"load average before {load(before)}, after {load(after)}")
print("µs per prediction, batch 1, one thread; ratios are Striate time / other time (>1: Striate slower)")
print()
print("| model | Striate µs | ORT µs | PyTorch µs | Striate/ORT | Striate/ORT paired | Striate/PyTorch |")
print("|---|---|---|---|---|---|---|")
for model in ("lenet5", "mnist_cnn", "tiny_resnet"):
    s = statistics.median(runs[(model, "striate")])
    o = statistics.median(runs[(model, "ort")])
    t = statistics.median(runs[(model, "torch")])
    print(f"| {model} | {s:.1f} | {o:.1f} | {t:.1f} | {s / o:.2f}x | {statistics.median(paired[model]):.2f}x | {s / t:.2f}x |")
PYEOF
