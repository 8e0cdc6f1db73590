#!/usr/bin/python3
"""An independent witness for the goldens: recomputes the outputs of many fixtures from their
files alone (model.weights.bin, golden.json's inputs) with naive float64 numpy loops written
from docs/language.md rather than from PyTorch, and compares them with golden.json's outputs
at the fixture's tolerance. Also checks that a wrong batch-norm epsilon would be caught.

    /usr/bin/python3 tools/reference/crosscheck_numpy.py [DIR]
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DIR = os.path.join(os.path.dirname(os.path.dirname(HERE)), "compiler", "src", "test", "resources", "fixtures")


def load(root, case):
    """(weights by name as float64, input samples, golden output samples, atol, rtol)."""
    d = os.path.join(root, case)
    with open(os.path.join(d, "golden.json")) as f:
        g = json.load(f)
    with open(os.path.join(d, "model.weights.json")) as f:
        m = json.load(f)
    with open(os.path.join(d, "model.weights.bin"), "rb") as f:
        blob = f.read()
    w = {t["name"]: np.frombuffer(blob[t["offset"]:t["offset"] + t["length"]], "<f4")
         .reshape(t["shape"]).astype(np.float64) for t in m["tensors"]}
    xs = [np.array(r, np.float64).reshape(g["input_shape"]) for r in g["inputs"]]
    ys = [np.array(r, np.float64).reshape(g["output_shape"]) for r in g["outputs"]]
    return w, xs, ys, g["atol"], g["rtol"]


def conv(x, weight, bias, stride, pad, dilation=(1, 1), groups=1):
    """Cross-correlation; pad is (top, bottom, left, right)."""
    t, b, l, r = pad
    x = np.pad(x, ((0, 0), (t, b), (l, r)))
    _, h, w = x.shape
    filters, cg, kh, kw = weight.shape
    oh = (h - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (w - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((filters, oh, ow))
    per_group = filters // groups
    for f in range(filters):
        first = (f // per_group) * cg
        for i in range(oh):
            for j in range(ow):
                s = 0.0
                for c in range(cg):
                    for a in range(kh):
                        for e in range(kw):
                            s += weight[f, c, a, e] * x[first + c, i * stride[0] + a * dilation[0],
                                                        j * stride[1] + e * dilation[1]]
                out[f, i, j] = s + (bias[f] if bias is not None else 0.0)
    return out


def same(n, k, s):
    """Keras 'same' padding along one axis as (before, after)."""
    total = max((-(-n // s) - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def conv_transpose(x, weight, bias, stride, pad, output_pad, dilation, groups):
    """Scatter each input cell through the kernel, then crop the padding."""
    c_in, h, w = x.shape
    _, per_group, kh, kw = weight.shape
    full = np.zeros((per_group * groups, (h - 1) * stride + dilation * (kh - 1) + 1 + output_pad,
                     (w - 1) * stride + dilation * (kw - 1) + 1 + output_pad))
    for c in range(c_in):
        g = c // (c_in // groups)
        for i in range(h):
            for j in range(w):
                for f in range(per_group):
                    for a in range(kh):
                        for e in range(kw):
                            full[g * per_group + f, i * stride + a * dilation, j * stride + e * dilation] += \
                                x[c, i, j] * weight[c, f, a, e]
    return full[:, pad:full.shape[1] - pad, pad:full.shape[2] - pad] + bias[:, None, None]


def avgpool(x, k, s, p, count_include_pad):
    c, h, w = x.shape
    oh, ow = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    out = np.zeros((c, oh, ow))
    for ch in range(c):
        for i in range(oh):
            for j in range(ow):
                cells = [x[ch, r, q] for r in range(i * s - p, i * s - p + k) for q in range(j * s - p, j * s - p + k)
                         if 0 <= r < h and 0 <= q < w]
                out[ch, i, j] = sum(cells) / (k * k if count_include_pad else len(cells))
    return out


def maxpool2_same_7x8(x):
    x = np.pad(x, ((0, 0), (0, 1), (0, 0)), constant_values=-np.inf)
    c, h, w = x.shape
    return x.reshape(c, h // 2, 2, w // 2, 2).max(axis=(2, 4))


def pixel_shuffle(x, r):
    c, h, w = x.shape
    out = np.zeros((c // (r * r), h * r, w * r))
    for k in range(c):
        for i in range(h):
            for j in range(w):
                out[k // (r * r), i * r + (k % (r * r)) // r, j * r + k % r] = x[k, i, j]
    return out


def batchnorm(x, w, layer, eps):
    sh = (-1,) + (1,) * (x.ndim - 1)
    p = {k: w[f"{layer}.{k}"].reshape(sh) for k in ("weight", "bias", "running_mean", "running_var")}
    return (x - p["running_mean"]) / np.sqrt(p["running_var"] + eps) * p["weight"] + p["bias"]


def f32(values):
    return np.asarray(values, np.float32).astype(np.float64)


def checks():
    """(case, function of (weights, input) -> output) for every case this script knows."""
    def cw(w):
        return w["conv.weight"], w["conv.bias"]
    return [
        ("conv2d_same_s1_k4", lambda w, x: conv(x, *cw(w), (1, 1), same(5, 4, 1) + same(6, 4, 1))),
        ("conv2d_same_s2_even", lambda w, x: conv(x, *cw(w), (2, 2), same(8, 3, 2) + same(10, 3, 2))),
        ("conv2d_same_s2_odd_k4", lambda w, x: conv(x, *cw(w), (2, 2), same(7, 4, 2) + same(9, 4, 2))),
        ("conv2d_padding_tblr", lambda w, x: conv(x, *cw(w), (1, 1), (0, 2, 1, 3))),
        ("conv2d_nonsquare", lambda w, x: conv(x, *cw(w), (2, 1), (1, 1, 2, 2))),
        ("conv2d_dilation2", lambda w, x: conv(x, *cw(w), (1, 1), (2, 2, 2, 2), (2, 2))),
        ("conv2d_groups2", lambda w, x: conv(x, *cw(w), (1, 1), (1, 1, 1, 1), groups=2)),
        ("depthwise_conv2d", lambda w, x: conv(x, w["dw.weight"], w["dw.bias"], (1, 1), (1, 1, 1, 1), groups=3)),
        ("course_example", lambda w, x: conv(x, w["conv.weight"], None, (1, 1), (0, 0, 0, 0))),
        ("sobel", lambda w, x: conv(x, w["sobel.weight"], None, (1, 1), (1, 1, 1, 1))),
        ("conv_transpose2d", lambda w, x: conv_transpose(x, w["up.weight"], w["up.bias"], 2, 1, 1, 1, 1)),
        ("conv_transpose2d_groups_dilation",
         lambda w, x: conv_transpose(x, w["up.weight"], w["up.bias"], 2, 1, 1, 2, 2)),
        ("avgpool_pad_include", lambda w, x: avgpool(x, 3, 2, 1, True)),
        ("avgpool_pad_exclude", lambda w, x: avgpool(x, 3, 2, 1, False)),
        ("maxpool_same", lambda w, x: maxpool2_same_7x8(x)),
        ("globalavgpool", lambda w, x: x.mean(axis=(1, 2))),
        ("globalmaxpool", lambda w, x: x.max(axis=(1, 2))),
        ("maxout", lambda w, x: (lambda y: np.maximum(y[0::2], y[1::2]))(conv(x, *cw(w), (1, 1), (0, 0, 0, 0)))),
        ("pixel_shuffle", lambda w, x: pixel_shuffle(x, 2)),
        ("dense", lambda w, x: w["fc.weight"] @ x + w["fc.bias"]),
        ("flatten_dense", lambda w, x: w["fc.weight"] @ x.reshape(-1) + w["fc.bias"]),
        ("batchnorm_conv", lambda w, x: batchnorm(conv(x, *cw(w), (1, 1), (1, 1, 1, 1)), w, "bn", f32(1e-3))),
        ("batchnorm_dense", lambda w, x: batchnorm(w["fc.weight"] @ x + w["fc.bias"], w, "bn", f32(1e-3))),
        ("batchnorm_default_eps", lambda w, x: batchnorm(x, w, "bn", f32(1e-5))),
        ("normalize", lambda w, x: (x - f32([0.485, 0.456, 0.406])[:, None, None]) / f32([0.229, 0.224, 0.225])[:, None, None]),
        ("rescale", lambda w, x: x * f32(1 / 255)),
        ("rescale_offset", lambda w, x: x * f32(2 / 255) - 1),
        ("act_elu", lambda w, x: np.where(x > 0, x, f32(0.7) * (np.exp(x) - 1))),
        ("act_defaults", lambda w, x: np.concatenate([np.where(x > 0, x, f32(0.01) * x), np.where(x > 0, x, np.exp(x) - 1)])),
        ("softmax_map", lambda w, x: np.exp(x) / np.exp(x).sum(axis=0)),
        ("pad", lambda w, x: np.pad(x, ((0, 0), (1, 0), (2, 3)))),
        ("pad_conv", lambda w, x: np.maximum(conv(np.pad(x, ((0, 0), (0, 1), (0, 1))), *cw(w), (2, 2), (0, 0, 0, 0)), 0)),
    ]


def wrong_epsilon_checks():
    """Variants that must disagree with the goldens: epsilon matters in the batch norm cases."""
    return [
        ("batchnorm_dense", lambda w, x: batchnorm(w["fc.weight"] @ x + w["fc.bias"], w, "bn", 1e-5)),
        ("batchnorm_default_eps", lambda w, x: batchnorm(x, w, "bn", 1e-3)),
    ]


def agrees(root, case, f):
    try:
        w, xs, ys, atol, rtol = load(root, case)
    except (OSError, ValueError, KeyError) as e:   # run check_fixtures.py for the details
        print(f"{case}: unreadable fixture ({e})", file=sys.stderr)
        return None
    for x, y in zip(xs, ys):
        z = f(w, x)
        if z.shape != y.shape or not np.all(np.abs(z - y) <= atol + rtol * np.abs(y)):
            return False
    return True


def main(argv):
    root = argv[0] if argv else DEFAULT_DIR
    failures = [f"{case}: numpy and golden.json disagree" for case, f in checks() if not agrees(root, case, f)]
    failures += [f"{case}: a wrong epsilon still matches" for case, f in wrong_epsilon_checks()
                 if agrees(root, case, f) is not False]
    _, _, ys, _, _ = load(root, "course_example")
    if list(ys[0][0, 0]) != [3, -1, -3, -1]:
        failures.append("course_example: filter 1's first output row is not the slide's 3, -1, -3, -1")
    for msg in failures:
        print(msg, file=sys.stderr)
    print(f"{len(checks())} fixtures recomputed with numpy, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
