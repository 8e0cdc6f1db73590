#!/usr/bin/env bash
# Regenerates the README's pictures (docs/images/show-*.png) with `striate show`, from the bundled
# Sobel example and the Keras MNIST CNN (examples/mnist/seed_cnn.cnn with its trained weights) on
# MNIST test digits. Needs MNIST in the cache (./striate data mnist). The pictures show MNIST
# digits: like the weights, they are CC BY-SA 3.0 (examples/mnist/WEIGHTS-LICENSE.md).
#   tools/viz/pictures.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT=docs/images
MNIST="${STRIATE_MNIST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/striate/mnist}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
java tools/viz/MnistDigit.java "$MNIST" 0 "$TMP/digit.png"   # test digit 0: a 7

./striate show filters examples/sobel/sobel.cnn -o "$OUT/show-filters-sobel.png"
./striate show maps examples/sobel/sobel.cnn "$TMP/digit.png" -o "$OUT/show-maps-sobel.png"
./striate show filters examples/mnist/seed_cnn.cnn --layer conv2d_1 -o "$OUT/show-filters-seed-cnn.png"
./striate show maps examples/mnist/seed_cnn.cnn "$TMP/digit.png" --layers conv2d_1 -o "$OUT/show-maps-seed-cnn.png"
./striate show saliency examples/mnist/seed_cnn.cnn "$TMP/digit.png" -o "$OUT/show-saliency-seed-cnn.png"
./striate show activations examples/mnist/seed_cnn.cnn --data mnist --layer conv2d_2 --maps 1,2,3 --top 6 \
    --rule guided -o "$OUT/show-activations-seed-cnn.png"
