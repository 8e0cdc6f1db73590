#!/usr/bin/env bash
# The Spark throughput figures of docs/spark.md ("Measured"): runs the spark module's
# SparkThroughput main (test sources) with the module's test class path and the JVM flags Spark
# needs on JDK 17+ (spark.jvm.flags of spark/pom.xml). Scoring the 10,000 MNIST test images
# (single JVM predictBatch vs Spark local[1] and local[2]) and training (single JVM vs Spark
# local[2], both exchanges), alternating, ROUNDS times.
#   tools/bench/spark-throughput.sh [ROUNDS] [train [IMAGES]]
# Needs `mvn -B install -DskipTests` first (the spark module's test classes and generated models).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT/spark"
[ -d target/test-classes ] || { echo "run 'mvn -B install -DskipTests' first" >&2; exit 2; }
CP_FILE=target/throughput.classpath
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
FLAGS=$(sed -n '/<spark.jvm.flags>/,/<\/spark.jvm.flags>/p' pom.xml | sed 's/<[^>]*>//g' | tr -s ' \n' ' ')
echo "load before: $(cat /proc/loadavg)"
echo "$(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); $(java -version 2>&1 | head -1)"
# shellcheck disable=SC2086
java --add-modules jdk.incubator.vector $FLAGS -Xmx2g -Dstriate.examples="$ROOT/examples" \
    -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" dev.striate.spark.SparkThroughput "$@"
echo "load after: $(cat /proc/loadavg)"
