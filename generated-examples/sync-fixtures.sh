#!/usr/bin/env bash
# Copies the example models, their weights and PyTorch goldens from the compiler's reference
# fixtures (compiler/src/test/resources/fixtures/<case>/) into this module, renaming
# model.* to <case>.* so that each model keeps its weights beside it.
set -euo pipefail
cd "$(dirname "$0")"
fixtures=../compiler/src/test/resources/fixtures
models=src/main/striate/dev/striate/examples
golden=src/test/resources/golden
mkdir -p "$models" "$golden"
for c in sobel lenet5 mnist_cnn tiny_resnet; do
  sed "s|^// Fixture $c: .*|// Example $c: a copy of the reference fixture $c (sync-fixtures.sh); goldens in $golden/$c.json.|" \
    "$fixtures/$c/model.cnn" > "$models/$c.cnn"
  sed "s|\"data\": \"model.weights.bin\"|\"data\": \"$c.weights.bin\"|" \
    "$fixtures/$c/model.weights.json" > "$models/$c.weights.json"
  cp "$fixtures/$c/model.weights.bin" "$models/$c.weights.bin"
  cp "$fixtures/$c/golden.json" "$golden/$c.json"
done
