#!/usr/bin/env bash
# Bytes allocated per predict() call in steady state by the vector class of each benchmark model, on
# JDK 17 and 25, with the output bits (tools/bench/AllocProbe.java; one JVM per model and JDK). Allocation
# does not depend on the machine's load: no timing here.
#
#   tools/bench/alloc_probe.sh
#   WINOGRAD=true MODELS="fashion_cnn go_net" tools/bench/alloc_probe.sh
#
# Environment (defaults in brackets):
#   MODELS    [lenet5 mnist_cnn tiny_resnet fashion_cnn go_net dw_block]: the fixtures' .cnn and weights for
#             lenet5, mnist_cnn and tiny_resnet (compiler/src/test/resources/fixtures), the benchmark's for the
#             others (~/.cache/striate/bench/<model>, written by tools/bench/export_onnx.py); the input is the
#             first image of the benchmark's input.bin when present
#   JDKS      [17 25]; JAVA17 [/usr/lib/jvm/java-17-openjdk-amd64], JAVA25 [/usr/lib/jvm/temurin-25-jdk-amd64]
#   WINOGRAD  true, false, or empty for the class's default (-Dstriate.winograd) []
#   JAR       the striate CLI that compiles the classes [cli/target/striate-cli.jar]
#   WARM, CALLS  warm-up calls and measured calls [20000, 2000; go_net 2000, 200]
#   JAVA_OPTS extra options of the probe JVMs, e.g. -Xbatch []
#   OUT       where the sources, weights and classes go [a new temporary directory]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODELS=${MODELS:-lenet5 mnist_cnn tiny_resnet fashion_cnn go_net dw_block}
JDKS=${JDKS:-17 25}
JAVA17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=${JAR:-$ROOT/cli/target/striate-cli.jar}
BENCH=${XDG_CACHE_HOME:-$HOME/.cache}/striate/bench
OUT=${OUT:-$(mktemp -d -t striate-alloc.XXXXXX)}
mkdir -p "$OUT"
[[ -f $JAR ]] || { echo "no $JAR: build it first (mvn -B -o -q package -DskipTests -pl cli -am)" >&2; exit 1; }

for model in $MODELS; do
    case $model in
        lenet5|mnist_cnn|tiny_resnet) dir=$ROOT/compiler/src/test/resources/fixtures/$model ;;
        *) dir=$BENCH/$model ;;
    esac
    [[ -f $dir/model.cnn ]] || { echo "no $dir/model.cnn (run tools/bench/export_onnx.py $model)" >&2; exit 1; }
    "$JAVA17/bin/java" -jar "$JAR" compile "$dir/model.cnn" -w "$dir/model.weights.json" --vector \
        -c "Alloc_$model" -o "$OUT" > /dev/null
done
# the classes beside their weights blobs (resources next to the class)
"$JAVA17/bin/javac" --release 17 --add-modules jdk.incubator.vector -nowarn -d "$OUT" "$OUT"/*.java \
    2> >(grep -v -e 'incubat' -e '^1 warning' -e '^warning' >&2)

for jdk in $JDKS; do
    home_var=JAVA$jdk
    home=${!home_var:?set JAVA$jdk to the JDK $jdk home}
    for model in $MODELS; do
        # shellcheck disable=SC2206
        opts=(${JAVA_OPTS:-})
        [[ -n ${WINOGRAD:-} ]] && opts+=("-Dstriate.winograd=$WINOGRAD")
        [[ -f $BENCH/$model/input.bin ]] && opts+=("-Dinput=$BENCH/$model/input.bin")
        if [[ $model == go_net ]]; then
            opts+=("-Dwarm=${WARM:-2000}" "-Dcalls=${CALLS:-200}")
        else
            opts+=("-Dwarm=${WARM:-20000}" "-Dcalls=${CALLS:-2000}")
        fi
        "$home/bin/java" --add-modules jdk.incubator.vector -cp "$OUT" "${opts[@]}" \
            "$ROOT/tools/bench/AllocProbe.java" "Alloc_$model" 2> >(grep -v -e '^WARNING' -e 'incubat' -e '^1 warning' >&2)
    done
done
