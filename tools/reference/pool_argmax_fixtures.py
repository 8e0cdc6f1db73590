#!/usr/bin/python3
"""Writes compiler/src/test/resources/pool-argmax/cases.json: which input cell PyTorch's max pools
route each output's gradient to, on inputs full of ties and NaNs.

Run with Debian's Python (it has python3-torch):  /usr/bin/python3 tools/reference/pool_argmax_fixtures.py
Each case: a max pool (F.max_pool2d, or F.adaptive_max_pool2d(x, 1) for the global max pool), a
batch of n samples of shape [c, h, w] whose values are small integers (so windows tie) with some
NaNs (null in the JSON), and PyTorch's indices (return_indices=True) as positions in the sample
(channel * h * w + index in the plane). PyTorch picks the first maximum in window order, never a
padded cell, and the last NaN when the window holds one. The output is byte-identical on every run.
"""

import json
import os

import torch
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "compiler", "src", "test", "resources", "pool-argmax", "cases.json")

# name, shape [c, h, w], kernel, stride, padding (None: global max pool), value range, NaN rate
CASES = [
    ("maxpool 2x2 unrolled", [2, 6, 6], 2, 2, 0, (-2, 2), 0.08),
    ("maxpool 3x3 stride 1 unrolled", [2, 6, 6], 3, 1, 0, (-2, 2), 0.06),
    ("maxpool 3x3 stride 2 padding 1, negative values", [2, 7, 7], 3, 2, 1, (-4, -1), 0.06),
    ("maxpool 6x6 looped", [1, 12, 12], 6, 6, 0, (-3, 1), 0.02),
    ("globalmaxpool", [3, 4, 4], None, None, None, (-2, 2), 0.05),
]
N = 2


def main():
    gen = torch.Generator().manual_seed(16)
    cases = []
    for name, shape, k, s, p, (lo, hi), nan_rate in CASES:
        x = torch.randint(lo, hi + 1, [N] + shape, generator=gen).float()
        x[torch.rand([N] + shape, generator=gen) < nan_rate] = float("nan")
        if k is None:
            _, idx = F.adaptive_max_pool2d(x, 1, return_indices=True)
        else:
            _, idx = F.max_pool2d(x, k, stride=s, padding=p, return_indices=True)
        plane = shape[1] * shape[2]
        channel = torch.arange(shape[0]).view(1, shape[0], 1, 1) * plane
        cases.append({
            "name": name, "shape": shape, "kernel": k, "stride": s, "padding": p, "n": N,
            "x": [None if v != v else int(v) for v in x.reshape(-1).tolist()],
            "argmax": (idx + channel).reshape(N, -1).tolist(),
        })
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
