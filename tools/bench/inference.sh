#!/usr/bin/env bash
# The inference table (issue 16, "Measuring"): Striate's generated class (every variant this
# compiler builds), ONNX Runtime Java and PyTorch, on the same weights and inputs, alternating in
# one run, on JDK 17 and JDK 25; prints Markdown for benchmarks/README.md.
#
#   tools/bench/inference.sh              # full run
#   QUICK=1 tools/bench/inference.sh      # smoke test: few short rounds, three small models
#
# Steps (see benchmarks/README.md, "The inference table"):
# 1. builds benchmarks/target/benchmarks.jar (-Pbench) if it is missing or older than the sources;
# 2. /usr/bin/python3 tools/bench/export_onnx.py: weights, inputs, PyTorch outputs and ONNX exports
#    in ${XDG_CACHE_HOME:-~/.cache}/striate/bench (skipped per model when up to date);
# 3. per JDK: tools/bench/FmaPeak.java (one core's FMA peak), then COMPILE_REPS fresh JVMs per
#    model and variant timing .cnn -> loaded class, then dev.striate.bench.InferenceTable (checks
#    every implementation against PyTorch's outputs, traces the first calls, then alternating
#    rounds at batch 1, batch 64 on 1 thread and batch 64 on 2 threads, PyTorch in lock-step);
# 4. tools/bench/table.py formats the log.
#
# Environment (defaults in brackets):
#   MODELS       models to run [lenet5 mnist_cnn tiny_resnet fashion_cnn go_net dw_block;
#                QUICK: lenet5 tiny_resnet dw_block]
#   JDKS         [17 25]; JAVA17 [/usr/lib/jvm/java-17-openjdk-amd64], JAVA25
#                [/usr/lib/jvm/temurin-25-jdk-amd64]: JDK homes
#   VARIANTS     auto (scalar, plus vector if the compiler has it), scalar, or scalar,vector (fails
#                if the compiler lacks the vector variant) [auto]
#   PYTHON       Python with torch, or "none" to leave PyTorch out [/usr/bin/python3]
#   ROUNDS, MIN_ROUNDS, CAP_S, WARMUP, WARMUP_S, ROUND_MS, TRACE_CALLS, TRACE_S: the harness's
#                options (InferenceTable) [20, 3, 60, 5, 5, 100, 20000, 15; QUICK: 3, 2, 3, 1, 1, 50, 200, 2]
#   CONFIGS      which rounds to run, of b1,b64t1,b64t2 [all three] (the names stay b64t1/b64t2
#                whatever the batch; the export writes 64 images)
#   COMPILE_REPS fresh-JVM compile timings per model, variant and JDK [3; QUICK: 1]
#   JVM_OPTS     extra options for every JVM of the Java side (the FMA probe, the compile timings, the
#                harness), split on spaces; e.g. JVM_OPTS=-XX:UseAVX=2 runs Striate as on an AVX2 machine
#                (256-bit vectors, 16 registers). ONNX Runtime's native kernels still pick the CPU's own
#                instruction set (MLAS reads cpuid), so their ratios are then a lower bound for Striate;
#                PyTorch follows ATEN_CPU_CAPABILITY=avx2 and ONEDNN_MAX_CPU_ISA=AVX2 from the environment []
#   LOG          where the raw log goes [benchmarks/target/inference-<UTC time>.log]; the table is
#                also written beside it as .md
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

QUICK=${QUICK:-0}
if [[ $QUICK == 1 ]]; then
    : "${MODELS:=lenet5 tiny_resnet dw_block}" "${ROUNDS:=3}" "${MIN_ROUNDS:=2}" "${CAP_S:=3}" "${WARMUP:=1}"
    : "${WARMUP_S:=1}" "${ROUND_MS:=50}" "${TRACE_CALLS:=200}" "${TRACE_S:=2}" "${COMPILE_REPS:=1}"
fi
MODELS=${MODELS:-lenet5 mnist_cnn tiny_resnet fashion_cnn go_net dw_block}
JDKS=${JDKS:-17 25}
JAVA17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
VARIANTS=${VARIANTS:-auto}
PYTHON=${PYTHON:-/usr/bin/python3}
COMPILE_REPS=${COMPILE_REPS:-3}
JAR=benchmarks/target/benchmarks.jar
mkdir -p benchmarks/target
LOG=${LOG:-benchmarks/target/inference-$(date -u +%Y%m%dT%H%M%SZ).log}
: > "$LOG"
# The formatter needs only the standard library; any python3 will do.
FORMAT_PY=$PYTHON
[[ $PYTHON == none ]] && FORMAT_PY=python3

# 1. The jar, rebuilt when a source is newer.
if [[ ! -f $JAR ]] || [[ -n $(find pom.xml */pom.xml grammar/src runtime/src/main compiler/src/main benchmarks/src \
        -newer "$JAR" -type f 2>/dev/null | head -1) ]]; then
    echo "== building $JAR" >&2
    { nice mvn -B -q -o -Dstyle.color=never -pl benchmarks -am package -Pbench -DskipTests \
        || nice mvn -B -q -Dstyle.color=never -pl benchmarks -am package -Pbench -DskipTests; } >&2
fi

# 2. Weights, inputs, PyTorch outputs, ONNX exports (needs PyTorch even when PYTHON=none).
EXPORT_PY=$PYTHON
[[ $PYTHON == none ]] && EXPORT_PY=/usr/bin/python3
EXPORT_ERR=$(mktemp -t striate-export.XXXXXX)
trap 'rm -f "$EXPORT_ERR"' EXIT
# shellcheck disable=SC2086
if ! OPENBLAS_NUM_THREADS=1 $EXPORT_PY tools/bench/export_onnx.py $MODELS 2> "$EXPORT_ERR" >&2; then
    cat "$EXPORT_ERR" >&2   # PyTorch's export warnings are only shown when the export fails
    exit 1
fi

java_home() {
    case $1 in
        17) echo "$JAVA17" ;;
        25) echo "$JAVA25" ;;
        *) local v="JAVA$1"; echo "${!v:?set JAVA$1 to the JDK $1 home}" ;;
    esac
}
jvm() {  # jvm JDK args...: the harness JVM (the vector variant needs the incubator module)
    local home
    home=$(java_home "$1")
    shift
    local extra=()
    [[ $("$home/bin/java" -version 2>&1 | head -1) =~ \"(1[0-9]|2[0-3])\. ]] || extra+=(--enable-native-access=ALL-UNNAMED)
    # shellcheck disable=SC2206
    local opts=(${JVM_OPTS:-})
    "$home/bin/java" --add-modules jdk.incubator.vector "${opts[@]}" "${extra[@]}" -Xmx4g -Xss4m \
        -Dstriate.bench.variants="$VARIANTS" -cp "$JAR" "$@" 2> >(grep -v -e '^WARNING' -e 'incubat' >&2)
}

{
    echo "HOST date $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "HOST command $( [[ $QUICK == 1 ]] && echo 'QUICK=1 ')$( [[ -n ${JVM_OPTS:-} ]] && echo "JVM_OPTS=\"$JVM_OPTS\" ")tools/bench/inference.sh"
    echo "HOST cpu $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "HOST cores $(nproc)"
    echo "HOST simd $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -x -e avx2 -e avx512f -e fma -e avx512_bf16 -e avx512vl | sort | paste -sd ' ')"
    echo "LOAD before $(uptime | sed 's/.*load average: //')"
} >> "$LOG"

# 3. Per JDK: peak probe, cold compile times, the alternating rounds.
HARNESS_OPTS=()
for opt in ROUNDS:rounds MIN_ROUNDS:min-rounds CAP_S:cap-s WARMUP:warmup WARMUP_S:warmup-s ROUND_MS:round-ms \
           TRACE_CALLS:trace-calls TRACE_S:trace-s CONFIGS:configs; do
    var=${opt%%:*}
    [[ -n ${!var:-} ]] && HARNESS_OPTS+=("--${opt#*:}" "${!var}")
done
for jdk in $JDKS; do
    home=$(java_home "$jdk")
    echo "== JDK $jdk: FMA peak" >&2
    # shellcheck disable=SC2086
    "$home/bin/java" --add-modules jdk.incubator.vector ${JVM_OPTS:-} tools/bench/FmaPeak.java 2>/dev/null | tee -a "$LOG" >&2
    variant_list=$(jvm "$jdk" dev.striate.bench.InferenceTable --variants)   # fails if VARIANTS asks too much
    read -r -a variants <<< "$variant_list"
    echo "== JDK $jdk: .cnn to loaded class, fresh JVMs (${variants[*]})" >&2
    for model in $MODELS; do
        for variant in "${variants[@]}"; do
            for ((i = 0; i < COMPILE_REPS; i++)); do
                jvm "$jdk" dev.striate.bench.InferenceTable --compile-time "$model" "$variant" | tee -a "$LOG" >&2
            done
        done
    done
    echo "== JDK $jdk: alternating rounds" >&2
    echo "LOAD before-$jdk $(uptime | sed 's/.*load average: //')" >> "$LOG"
    # shellcheck disable=SC2086
    jvm "$jdk" dev.striate.bench.InferenceTable --python "$PYTHON" "${HARNESS_OPTS[@]}" $MODELS | tee -a "$LOG" >&2
    echo "LOAD after-$jdk $(uptime | sed 's/.*load average: //')" >> "$LOG"
done
echo "LOAD after $(uptime | sed 's/.*load average: //')" >> "$LOG"

# 4. The table.
$FORMAT_PY tools/bench/table.py "$LOG" | tee "${LOG%.log}.md"
echo "(raw log: $LOG; table: ${LOG%.log}.md)" >&2
