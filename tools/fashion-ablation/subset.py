#!/usr/bin/env python3
"""Writes a subset of Fashion-MNIST as IDX files for the ablation runs (docs/training.md, "Fashion-MNIST:
ablation"): every K-th training image (K = 4: 15,009 of Striate's 60,036, in the cache's order, so every
class keeps its share) and the whole test set (9,964 images), from the cache `striate data fashion-mnist`
fills, into OUT_DIR under MNIST's file names, for `striate train --data OUT_DIR`.
    python3 tools/fashion-ablation/subset.py OUT_DIR [K]"""
import os
import struct
import sys


def read(folder, name):
    with open(os.path.join(folder, name), "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    header = 16 if magic == 0x803 else 8
    return data[:header], n, data[header:]


def main():
    out = sys.argv[1]
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    cache = os.environ.get("STRIATE_FASHION_MNIST_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "striate", "fashion-mnist")
    os.makedirs(out, exist_ok=True)
    for prefix, step in (("train", k), ("t10k", 1)):
        for kind, size in (("images-idx3-ubyte", 784), ("labels-idx1-ubyte", 1)):
            header, n, body = read(cache, prefix + "-" + kind)
            keep = range(0, n, step)
            rows = b"".join(body[i * size:(i + 1) * size] for i in keep)
            with open(os.path.join(out, prefix + "-" + kind), "wb") as f:
                f.write(header[:4] + struct.pack(">I", len(keep)) + header[8:] + rows)
        print(prefix, len(keep), "images")


if __name__ == "__main__":
    main()
