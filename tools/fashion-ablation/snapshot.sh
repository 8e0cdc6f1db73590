#!/usr/bin/env bash
# Reproduces the snapshot-ensemble table of docs/training.md ("Snapshot ensemble vs single model", issue 13):
#   tools/fashion-ablation/snapshot.sh [OUT_DIR] [all|train|snapshots|single|evaluate]
# train (= snapshots, then single): FullSnapshots of snapshot.cnn, EPOCHS (15) epochs as 3 cosine cycles (snapshots after
# epochs 5, 10, 15), and the single model, ablation.cnn's Full for the same epochs with the cosine schedule (seed 0 both).
# evaluate: striate evaluate of each snapshot, of the single model, and of the ensembles of the last 2 and
# 3 snapshots (evaluate --ensemble: the class compile --ensemble ships, averaging the probabilities).
# OUT_DIR defaults to /tmp/striate-snapshots; STRIATE and THREADS as in run.sh. EPOCHS (default 15, a multiple of
# 3) sets both runs' length: the snapshot run then has 3 cycles of EPOCHS/3 epochs, the single model one cosine
# decay over EPOCHS (EPOCHS=45: the longer comparison of docs/training.md).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STRIATE="${STRIATE:-$ROOT/striate}"
THREADS="${THREADS:-2}"
EPOCHS="${EPOCHS:-15}"
(( EPOCHS % 3 == 0 )) || { echo "EPOCHS must be a multiple of 3 (3 cycles)" >&2; exit 2; }
CYCLE=$(( EPOCHS / 3 ))
OUT="${1:-/tmp/striate-snapshots}"
WHAT="${2:-all}"
SNAP="$HERE/snapshot.cnn"
mkdir -p "$OUT"

train() { # NAME, then the train arguments
  local name="$1"
  shift
  local start
  start="$(date +%s)"
  echo "$name: load $(cut -d' ' -f1 /proc/loadavg)" >"$OUT/$name.out"
  $STRIATE train "$@" --data fashion-mnist --threads "$THREADS" --progress summary --no-checkpoint --force \
      -o "$OUT/$name.weights.json" --log "$OUT/$name.csv" >>"$OUT/$name.out" 2>&1
  echo "$name: $(( $(date +%s) - start )) s, load $(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/$name.out"
}

accuracy() { # the accuracy line of striate evaluate's report
  grep -m1 '^accuracy ' | sed -E 's/^accuracy ([^,]*), loss ([0-9.]+).*/\1 | \2/'
}

if [[ "$WHAT" == train || "$WHAT" == all || "$WHAT" == snapshots ]]; then
  train snapshots "$SNAP" --epochs "$EPOCHS"
fi
if [[ "$WHAT" == train || "$WHAT" == all || "$WHAT" == single ]]; then
  train single "$HERE/ablation.cnn" --model Full --epochs "$EPOCHS"
fi
if [[ "$WHAT" == evaluate || "$WHAT" == all ]]; then
  echo '| model | test accuracy | test loss |'
  echo '|---|---|---|'
  for k in 1 2 3; do
    echo "| snapshot $k (epoch $((CYCLE * k))) | $($STRIATE evaluate "$SNAP" --data fashion-mnist --threads "$THREADS" \
        --weights "$OUT/snapshots.snapshot-$k.weights.json" | accuracy) |"
  done
  for first in 2 1; do
    members="" models=""
    for k in $(seq "$first" 3); do
      members="$members${members:+,}$OUT/snapshots.snapshot-$k.weights.json"
      [[ $k -gt $first ]] && models="$models${models:+,}$SNAP"
    done
    echo "| ensemble of snapshots $first-3 | $($STRIATE evaluate "$SNAP" --data fashion-mnist --threads "$THREADS" \
        --ensemble Snapshots --more-models "$models" --member-weights "$members" | accuracy) |"
  done
  echo "| single model, cosine, $EPOCHS epochs | $($STRIATE evaluate "$HERE/ablation.cnn" --model Full \
      --data fashion-mnist --threads "$THREADS" --weights "$OUT/single.weights.json" | accuracy) |"
fi
