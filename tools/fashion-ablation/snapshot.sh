#!/usr/bin/env bash
# Reproduces the snapshot-ensemble table of docs/training.md ("Snapshot ensemble vs single model", issue 13):
#   tools/fashion-ablation/snapshot.sh [OUT_DIR] [all|train|snapshots|single|evaluate]
# train (= snapshots, then single): FullSnapshots of snapshot.cnn, 15 epochs as 3 cosine cycles (snapshots after epochs 5, 10, 15),
# and the single model, ablation.cnn's Full for the same 15 epochs with the cosine schedule (seed 0 both).
# evaluate: striate evaluate of each snapshot, of the single model, and of the ensembles of the last 2 and
# 3 snapshots (evaluate --ensemble: the class compile --ensemble ships, averaging the probabilities).
# OUT_DIR defaults to /tmp/striate-snapshots; STRIATE and THREADS as in run.sh.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STRIATE="${STRIATE:-$ROOT/striate}"
THREADS="${THREADS:-2}"
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
  train snapshots "$SNAP"
fi
if [[ "$WHAT" == train || "$WHAT" == all || "$WHAT" == single ]]; then
  train single "$HERE/ablation.cnn" --model Full --epochs 15
fi
if [[ "$WHAT" == evaluate || "$WHAT" == all ]]; then
  echo '| model | test accuracy | test loss |'
  echo '|---|---|---|'
  for k in 1 2 3; do
    echo "| snapshot $k (epoch $((5 * k))) | $($STRIATE evaluate "$SNAP" --data fashion-mnist --threads "$THREADS" \
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
  echo "| single model, cosine, 15 epochs | $($STRIATE evaluate "$HERE/ablation.cnn" --model Full \
      --data fashion-mnist --threads "$THREADS" --weights "$OUT/single.weights.json" | accuracy) |"
fi
