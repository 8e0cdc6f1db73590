#!/usr/bin/env bash
# Regenerates the README's training-curves and confusion-matrix pictures (docs/pictures/lenet5-*.png)
# from a short MNIST run of the bundled LeNet-5: 3 epochs with a 10% validation split, seed 1, into a
# temporary folder (the committed example weights are not touched), then `striate show history` and
# `striate evaluate --plot`. Needs MNIST (./striate data mnist). About 10 minutes on 2 cores (measured:
# 612 s of training at a load average of 29; validation accuracy 97.92%, test accuracy 98.10%).
# Usage: tools/report/readme-pictures.sh [STRIATE_COMMAND]   (default: ./striate)
set -euo pipefail
cd "$(dirname "$0")/../.."
striate=${1:-./striate}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$striate train examples/mnist/lenet5.cnn --data mnist --epochs 3 --validation 0.1 --seed 1 \
  --out "$tmp/lenet5.weights.json" --log "$tmp/train.csv" --no-checkpoint --progress summary --no-test
$striate show history "$tmp/train.csv" -o docs/pictures/lenet5-curves.png
$striate evaluate examples/mnist/lenet5.cnn --weights "$tmp/lenet5.weights.json" --data mnist \
  --plot docs/pictures/lenet5-confusion.png
