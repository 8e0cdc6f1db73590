#!/usr/bin/env bash
# Training throughput of the Keras MNIST CNN (batch 64, 2 threads), or with MODEL=fashion of the
# Fashion-MNIST CNN of tools/bench/fashion_cnn.cnn (batch 32, Adam): Striate's training loop
# against PyTorch's, side by side in one run, alternating ROUNDS times; prints each run's median
# images/s, the medians over the rounds, the ratio Striate / PyTorch, and the machine load.
#   [MODEL=mnist|fashion] tools/bench/run.sh [ROUNDS] [BATCHES] [THREADS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-3}"
BATCHES="${2:-400}"
THREADS="${3:-2}"
MODEL="${MODEL:-mnist}"
if [ "$MODEL" = fashion ]; then CNN=tools/bench/fashion_cnn.cnn; BATCH=32; else CNN=examples/mnist/seed_cnn.cnn; BATCH=64; fi
JAR="$ROOT/cli/target/striate-cli.jar"
"$ROOT/striate" --version >/dev/null   # (re)builds the jar when it is missing or older than the sources
cd "$ROOT"
export OPENBLAS_NUM_THREADS=1
export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824

echo "load before: $(uptime)"
echo "$(nproc) cores; $(java -version 2>&1 | head -1); $(/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)')"
s=(); p=()
for round in $(seq "$ROUNDS"); do
  out=$(java --add-modules jdk.incubator.vector -cp "$JAR" tools/bench/TrainThroughput.java "$CNN" "$THREADS" "$BATCH" "$BATCHES")
  echo "$out" | grep -v '^RESULT'
  s+=("$(echo "$out" | awk '/^RESULT/ {print $3}')")
  out=$(/usr/bin/python3 tools/bench/torch_train.py "$THREADS" "$BATCH" "$BATCHES" "$MODEL")
  echo "$out" | grep -v '^RESULT'
  p+=("$(echo "$out" | awk '/^RESULT/ {print $3}')")
done
echo "load after: $(uptime)"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms=$(median "${s[@]}"); mp=$(median "${p[@]}")
echo "striate runs: ${s[*]} images/s; median $ms"
echo "pytorch runs: ${p[*]} images/s; median $mp"
awk -v s="$ms" -v p="$mp" 'BEGIN {printf "ratio striate / pytorch: %.2f\n", s / p}'
