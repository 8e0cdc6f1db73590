#!/usr/bin/env bash
# Reproduces the Fashion-MNIST ablation table of docs/training.md ("Fashion-MNIST: ablation", issue 13):
# trains each model of ablation.cnn (same recipe, seed and epochs; one part of the standard recipe added to
# the baseline or removed from the full recipe per model) and prints one table row per run.
#   tools/fashion-ablation/run.sh [OUT_DIR] [MODEL:SEED ...]
# OUT_DIR (default /tmp/striate-ablation) receives each run's weights, CSV log and output; the weights
# are not part of the repository. Without MODEL:SEED pairs every model runs with seed 0, and Base and
# Full also with seed 1. The data (DATA, default OUT_DIR/quarter) is the table's: every 4th training image
# of Fashion-MNIST (15,009) and the whole test split (9,964), written there by subset.py from the cache
# of `striate data fashion-mnist` when missing; DATA=fashion-mnist trains on the whole training set.
# STRIATE (default: ./striate of this checkout) is the command line to run, e.g.
# STRIATE="java -jar /tmp/striate-cli.jar"; THREADS (default 2) its --threads; EPOCHS, when set,
# overrides the train blocks' 10 epochs (for a quick check).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STRIATE="${STRIATE:-$ROOT/striate}"
THREADS="${THREADS:-2}"
EXTRA=()
[[ -n "${EPOCHS:-}" ]] && EXTRA=(--epochs "$EPOCHS")
OUT="${1:-/tmp/striate-ablation}"
shift || true
RUNS=("$@")
if [[ ${#RUNS[@]} -eq 0 ]]; then
  RUNS=(Base:0 Full:0 PlusBn:0 PlusDropout:0 PlusL2:0 PlusAug:0 PlusL1:0
        FullNoBn:0 FullNoDropout:0 FullNoL2:0 FullNoAug:0 Base:1 Full:1)
fi
mkdir -p "$OUT"
DATA="${DATA:-$OUT/quarter}"
if [[ "$DATA" == "$OUT/quarter" && ! -f "$DATA/t10k-labels-idx1-ubyte" ]]; then
  python3 "$HERE/subset.py" "$DATA" 4 >/dev/null
fi
printf '| model | seed | test accuracy | test loss | training loss | training accuracy | time (s) | load average |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for run in "${RUNS[@]}"; do
  model="${run%%:*}"
  seed="${run##*:}"
  name="$OUT/$model-s$seed"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  start="$(date +%s)"
  $STRIATE train "$HERE/ablation.cnn" --model "$model" --data "$DATA" --seed "$seed" \
      --threads "$THREADS" "${EXTRA[@]}" --progress summary --no-checkpoint --force \
      -o "$name.weights.json" --log "$name.csv" >"$name.out" 2>&1
  secs=$(( $(date +%s) - start ))
  load="$load-$(cut -d' ' -f1 /proc/loadavg)"
  # the last epoch's summary line and the test line, as striate train prints them
  test="$(grep '^test ' "$name.out" | sed -E 's/.*accuracy ([0-9.]+%).*/\1/')"
  testloss="$(grep '^test ' "$name.out" | sed -E 's/.*, loss ([0-9.]+).*/\1/')"
  last="$(grep -E '^epoch [0-9]+/[0-9]+' "$name.out" | tail -1)"
  loss="$(sed -E 's/.* loss ([0-9.]+).*/\1/' <<<"$last")"
  acc="$(sed -E 's/.* acc(uracy)? ([0-9.]+%).*/\2/' <<<"$last")"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$model" "$seed" "$test" "$testloss" "$loss" "$acc" "$secs" "$load"
done
