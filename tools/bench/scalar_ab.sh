#!/usr/bin/env bash
# The scalar class of this checkout against the scalar class of an older compiler revision, per
# model and per conv layer, alternating in one JVM (tools/bench/ScalarAB.java): prints the median
# time per prediction of each and the median of the per-round ratios new/old, on each JDK. Meant
# for changes of the scalar back end on a shared machine: the ratio is what to read, the absolute
# times move with the load (printed before and after).
#
#   tools/bench/scalar_ab.sh                 # against d16109f (before the blocked conv product)
#   OLD=HEAD~3 MODELS="go_net" LAYERS=0 JDKS=25 tools/bench/scalar_ab.sh
#
# Steps: builds the old revision's CLI jar (git archive + mvn package -DskipTests, once, in
# $WORK) and this checkout's (./striate builds it when stale); compiles every model with both
# (striate compile --package ab --class M, then javac --release 11, java.base only); runs
# ScalarAB, which first checks that both builds agree with each other (and, for the benchmark
# models, with PyTorch's outputs in ~/.cache/striate/bench, which tools/bench/export_onnx.py
# writes).
#
# Environment (defaults in brackets):
#   OLD      the old revision [d16109f]
#   MODELS   benchmark models (the .cnn and weights from ~/.cache/striate/bench or, for the fixture
#            models, compiler/src/test/resources/fixtures; inputs and PyTorch's outputs from the
#            cache) [lenet5 mnist_cnn tiny_resnet fashion_cnn go_net dw_block; "" for none]
#   LAYERS   1: also single conv layers with the shapes of the big models' layers (weights from
#            striate init, random inputs) [1]
#   JDKS     [17 25]; JAVA17 [/usr/lib/jvm/java-17-openjdk-amd64], JAVA25 [/usr/lib/jvm/temurin-25-jdk-amd64]
#   ROUNDS   alternating rounds per model [20]; ROUND_MS: each build's time per round [200]
#   WORK     scratch directory [/tmp/striate-scalar-ab]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

OLD=${OLD:-d16109f}
MODELS=${MODELS-lenet5 mnist_cnn tiny_resnet fashion_cnn go_net dw_block}
LAYERS=${LAYERS:-1}
JDKS=${JDKS:-17 25}
JAVA17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
ROUNDS=${ROUNDS:-20}
ROUND_MS=${ROUND_MS:-200}
WORK=${WORK:-/tmp/striate-scalar-ab}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/striate/bench
JAVAC=$JAVA17/bin/javac

# 1. The two compilers.
OLD_SHA=$(git rev-parse --short "$OLD")
OLD_SRC=$WORK/old-$OLD_SHA
OLD_JAR=$OLD_SRC/cli/target/striate-cli.jar
if [[ ! -f $OLD_JAR ]]; then
    echo "building the CLI of $OLD_SHA in $OLD_SRC ..." >&2
    rm -rf "$OLD_SRC" && mkdir -p "$OLD_SRC"
    git archive "$OLD_SHA" | tar -x -C "$OLD_SRC"
    (cd "$OLD_SRC" && mvn -B -q -o -pl cli -am package -DskipTests)
fi
./striate --help > /dev/null
NEW_JAR=$ROOT/cli/target/striate-cli.jar

# 2. Models: the benchmark models, then single layers (name, then the .cnn body).
declare -a CASES=()
for m in $MODELS; do
    [[ -f $CACHE/$m/input.bin ]] || { echo "no $CACHE/$m (run tools/bench/export_onnx.py)" >&2; exit 1; }
    CASES+=("$m")
done
layer() {  # name input-shape conv-args
    local dir=$WORK/layers/$1
    mkdir -p "$dir"
    printf 'model L {\n    input x: [%s]\n    conv2d(%s)\n}\n' "$2" "$3" > "$dir/model.cnn"
    [[ -f $dir/model.weights.json ]] || java -jar "$NEW_JAR" init "$dir/model.cnn" --out "$dir/model.weights.json" > /dev/null
    CASES+=("layer:$1")
}
if [[ $LAYERS == 1 ]]; then
    layer go_5x5_48_192 "48, 19, 19" "192, kernel=5, padding=same, activation=relu"
    layer go_3x3_192_192 "192, 19, 19" "192, kernel=3, padding=same, activation=relu"
    layer fashion_7x7_1_64 "1, 28, 28" "64, kernel=7, padding=same, activation=relu"
    layer fashion_3x3_64_128 "64, 14, 14" "128, kernel=3, padding=same, activation=relu"
    layer fashion_3x3_128_128 "128, 14, 14" "128, kernel=3, padding=same, activation=relu"
    layer fashion_3x3_128_256 "128, 7, 7" "256, kernel=3, padding=same, activation=relu"
    layer fashion_3x3_256_256 "256, 7, 7" "256, kernel=3, padding=same, activation=relu"
    layer mnist_3x3_32_64 "32, 26, 26" "64, kernel=3, activation=relu"
fi

build() {  # jar case-dir out-dir
    rm -rf "$3" && mkdir -p "$3"
    java -jar "$1" compile "$2/model.cnn" --weights "$2/model.weights.json" --package ab --class M --out "$3" > /dev/null
    "$JAVAC" --release 11 -nowarn -d "$3" $(find "$3" -name '*.java')
}

echo "# scalar A/B: old $OLD_SHA, new $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- compiler/src/main || echo '+changes')"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in "${CASES[@]}"; do
    if [[ $c == layer:* ]]; then
        name=${c#layer:}
        dir=$WORK/layers/$name
        data=()
    else
        name=$c
        dir=$CACHE/$name
        [[ -f $dir/model.cnn ]] || dir=$ROOT/compiler/src/test/resources/fixtures/$name
        data=("$CACHE/$name/input.bin" "$CACHE/$name/output.bin")
    fi
    build "$OLD_JAR" "$dir" "$WORK/build/$name/old"
    build "$NEW_JAR" "$dir" "$WORK/build/$name/new"
    for jdk in $JDKS; do
        java_home=JAVA$jdk
        printf 'JDK %-3s %-22s ' "$jdk" "$name"
        nice "${!java_home}/bin/java" tools/bench/ScalarAB.java "$WORK/build/$name/old" "$WORK/build/$name/new" ab.M \
            "${data[@]}" "$ROUNDS" "$ROUND_MS" | sed 's/^ab.M *//'
    done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
