#!/usr/bin/python3
"""Recomputes simple gradient fixtures with naive numpy (float64) code, independent of PyTorch:
training-mode outputs, the input gradient, the parameter gradients (summed over the batch) and
batch norm's running statistics. check_grad_fixtures.py calls check() for every case in CASES.

    /usr/bin/python3 tools/reference/crosscheck_grads.py [DIR]
"""

import os
import re
import sys

import numpy as np

SCALE = 0.5   # fraction of the fixture tolerance the numpy result must meet


# --- ops: each forward returns (y, backward), backward(dy) -> (dx, {param: grad}) ---

def dense(w, b):
    def fwd(x):
        y = x @ w.T + (b if b is not None else 0)
        return y, lambda g: (g @ w, {"weight": g.T @ x, **({"bias": g.sum(0)} if b is not None else {})})
    return fwd


def conv(w, b, stride, pad):
    def fwd(x):
        xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
        n, _, h, wd = xp.shape
        o, _, k, _ = w.shape
        oh, ow = (h - k) // stride + 1, (wd - k) // stride + 1
        y = np.zeros((n, o, oh, ow))
        for i in range(oh):
            for j in range(ow):
                patch = xp[:, :, i * stride:i * stride + k, j * stride:j * stride + k]
                y[:, :, i, j] = np.einsum("nchw,ochw->no", patch, w) + (b if b is not None else 0)

        def bwd(g):
            dxp, dw = np.zeros_like(xp), np.zeros_like(w)
            for i in range(oh):
                for j in range(ow):
                    sl = (slice(None), slice(None), slice(i * stride, i * stride + k), slice(j * stride, j * stride + k))
                    dw += np.einsum("no,nchw->ochw", g[:, :, i, j], xp[sl])
                    dxp[sl] += np.einsum("no,ochw->nchw", g[:, :, i, j], w)
            grads = {"weight": dw, **({"bias": g.sum((0, 2, 3))} if b is not None else {})}
            return dxp[:, :, pad:dxp.shape[2] - pad, pad:dxp.shape[3] - pad], grads
        return y, bwd
    return fwd


def batchnorm(gamma, beta, rm, rv, eps, momentum, buffers):
    """Training mode: batch statistics (biased variance) normalize; the running variance is
    updated with the unbiased one. buffers receives running_mean and running_var."""
    def fwd(x):
        axes = (0,) if x.ndim == 2 else (0, 2, 3)
        shape = (1, -1) + (1,) * (x.ndim - 2)
        m = x.size // x.shape[1]
        mean, var = x.mean(axes), x.var(axes)
        buffers["running_mean"] = (1 - momentum) * rm + momentum * mean
        buffers["running_var"] = (1 - momentum) * rv + momentum * var * m / (m - 1)
        inv = 1 / np.sqrt(var + eps)
        xhat = (x - mean.reshape(shape)) * inv.reshape(shape)
        y = gamma.reshape(shape) * xhat + beta.reshape(shape)

        def bwd(g):
            dxhat = g * gamma.reshape(shape)
            dx = (inv.reshape(shape) / m) * (m * dxhat - dxhat.sum(axes).reshape(shape)
                                              - xhat * (dxhat * xhat).sum(axes).reshape(shape))
            return dx, {"weight": (g * xhat).sum(axes), "bias": g.sum(axes)}
        return y, bwd
    return fwd


def elementwise(f, df):
    def fwd(x):
        return f(x), lambda g: (g * df(x), {})
    return fwd


def softmax_channels(x):
    e = np.exp(x - x.max(1, keepdims=True))
    y = e / e.sum(1, keepdims=True)
    return y, lambda g: (y * (g - (g * y).sum(1, keepdims=True)), {})


def global_pool(is_max):
    def fwd(x):
        if not is_max:
            return x.mean((2, 3)), lambda g: (np.broadcast_to(g[:, :, None, None] / (x.shape[2] * x.shape[3]),
                                                              x.shape).copy(), {})
        flat = x.reshape(x.shape[0], x.shape[1], -1)
        idx = flat.argmax(2)

        def bwd(g):
            dx = np.zeros_like(flat)
            np.put_along_axis(dx, idx[:, :, None], g[:, :, None], 2)
            return dx.reshape(x.shape), {}
        return np.take_along_axis(flat, idx[:, :, None], 2)[:, :, 0], bwd
    return fwd


def maxpool2(x):
    n, c, h, w = x.shape
    oh, ow = h // 2, w // 2
    win = x[:, :, :oh * 2, :ow * 2].reshape(n, c, oh, 2, ow, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, oh, ow, 4)
    idx = win.argmax(4)

    def bwd(g):
        dwin = np.zeros_like(win)
        np.put_along_axis(dwin, idx[..., None], g[..., None], 4)
        dx = np.zeros_like(x)
        dx[:, :, :oh * 2, :ow * 2] = dwin.reshape(n, c, oh, ow, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, oh * 2, ow * 2)
        return dx, {}
    return np.take_along_axis(win, idx[..., None], 4)[..., 0], bwd


def flatten(x):
    return x.reshape(x.shape[0], -1), lambda g: (g.reshape(x.shape), {})


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


ACTIVATIONS = {
    "act_relu": (lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(float)),
    "act_leaky_relu": (lambda x: np.where(x > 0, x, 0.2 * x), lambda x: np.where(x > 0, 1.0, 0.2)),
    "act_elu": (lambda x: np.where(x > 0, x, 0.7 * np.expm1(x)), lambda x: np.where(x > 0, 1.0, 0.7 * np.exp(x))),
    "act_sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "act_tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
}


def layers(name, source, w, buffers):
    """(layer name or None, op) in order for a case: the model each case is known to hold."""
    def bn_args():
        args = re.search(r"batchnorm\(([^)]*)\)", source).group(1)
        eps = re.search(r"epsilon=([\d.e-]+)", args)
        mom = re.search(r"momentum=([\d.e-]+)", args)
        return (float(np.float32(float(eps.group(1)))) if eps else float(np.float32(1e-5)),
                float(mom.group(1)) if mom else 0.1)

    def bn(layer):
        eps, mom = bn_args()
        return (layer, batchnorm(w[f"{layer}.weight"], w[f"{layer}.bias"], w[f"{layer}.running_mean"],
                                 w[f"{layer}.running_var"], eps, mom, buffers))

    def cv(stride, pad):
        return ("conv", conv(w["conv.weight"], w.get("conv.bias"), stride, pad))
    table = {
        "dense": lambda: [("fc", dense(w["fc.weight"], w["fc.bias"]))],
        "flatten_dense": lambda: [(None, flatten), ("fc", dense(w["fc.weight"], w["fc.bias"]))],
        "conv2d_basic": lambda: [cv(1, 0)],
        "conv2d_stride2": lambda: [cv(2, 0)],
        "conv2d_padding1": lambda: [cv(1, 1)],
        "conv2d_no_bias": lambda: [cv(1, 0)],
        "batchnorm_dense": lambda: [("fc", dense(w["fc.weight"], None)), bn("bn")],
        "batchnorm_dense_momentum": lambda: [("fc", dense(w["fc.weight"], None)), bn("bn")],
        "batchnorm_conv": lambda: [cv(1, 1), bn("bn")],
        "batchnorm_conv_momentum": lambda: [cv(1, 1), bn("bn")],
        "batchnorm_input": lambda: [bn("bn")],
        "softmax_vector": lambda: [(None, softmax_channels)],
        "softmax_map": lambda: [(None, softmax_channels)],
        "globalavgpool": lambda: [(None, global_pool(False))],
        "globalmaxpool": lambda: [(None, global_pool(True))],
        "maxpool2": lambda: [(None, maxpool2)],
    }
    if name in ACTIVATIONS:
        return [(None, elementwise(*ACTIVATIONS[name]))]
    return table[name]()


CASES = sorted(["dense", "flatten_dense", "conv2d_basic", "conv2d_stride2", "conv2d_padding1", "conv2d_no_bias",
                "batchnorm_dense", "batchnorm_dense_momentum", "batchnorm_conv", "batchnorm_conv_momentum",
                "batchnorm_input", "softmax_vector", "softmax_map", "globalavgpool", "globalmaxpool", "maxpool2"]
               + list(ACTIVATIONS))


def check(name, source, w, g):
    """Problems where the numpy recomputation disagrees with the fixture."""
    n = g["batch"]
    x = np.array(g["inputs"], dtype=np.float64).reshape([n] + g["input_shape"])
    buffers, tape = {}, []
    for layer, op in layers(name, source, w, buffers):
        x, back = op(x)
        tape.append((layer, back))
    dy = np.array(g["output_grad"], dtype=np.float64).reshape(x.shape)
    grads = {}
    for layer, back in reversed(tape):
        dy, pg = back(dy)
        grads.update({f"{layer}.{k}": v for k, v in pg.items()})
    got = {"outputs": x, "input_grad": dy}
    got.update({f"param_grads.{k}": v for k, v in grads.items()})
    bn_layer = next((k.rsplit(".", 1)[0] for k in w if k.endswith("running_mean")), None)
    got.update({f"buffers_after.{bn_layer}.{k}": v for k, v in buffers.items()})
    want = {"outputs": g["outputs"], "input_grad": g["input_grad"]}
    want.update({f"param_grads.{k}": v for k, v in g["param_grads"].items()})
    want.update({f"buffers_after.{k}": v for k, v in g.get("buffers_after", {}).items()})
    problems = []
    if sorted(got) != sorted(want):
        return [f"{name}: numpy computes {sorted(got)}, fixture has {sorted(want)}"]
    for k, v in want.items():
        v = np.asarray(v, dtype=np.float64).reshape(-1)
        err = np.abs(got[k].reshape(-1) - v) - SCALE * (g["atol"] + g["rtol"] * np.abs(v))
        if err.max() > 0:
            problems.append(f"{name}: numpy disagrees on {k} (worst excess {err.max():.3g})")
    return problems


def main(argv=None):
    import check_grad_fixtures
    root = (argv or sys.argv[1:] or [check_grad_fixtures.DEFAULT_DIR])[0]
    problems = []
    for name in CASES:
        source, manifest, blob, g = check_grad_fixtures.load(os.path.join(root, name))
        problems += check(name, source, check_grad_fixtures.weights(manifest, blob), g)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(CASES)} cases recomputed with numpy, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
