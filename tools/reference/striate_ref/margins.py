"""Distances to the kinks of a training-mode forward pass, compared with float32 rounding error.

A correct float32 implementation sums in its own order, so each computed value may differ from
PyTorch's by about the rounding error. Where a value sits that close to a kink (a relu, leaky_relu
or elu input near 0, or two nearly equal candidates of a max), the implementation may take the
other branch and get a different gradient. This module measures, for every kinked op, the
smallest distance to its kink (in float64) and the largest float32 error of the values it reads
(float32 run minus float64 run), and reports the ops where the distance is below MARGIN times
the error."""

import copy

import torch
import torch.nn.functional as F

from striate_ref import torch_ops
from striate_ref.layers import activation_spec, pair
from striate_ref.model import _layer_name

MARGIN = 25.0
KINKED = {"relu", "leaky_relu", "elu"}
PARAMETERIZED = {"conv2d", "depthwise_conv2d", "conv_transpose2d", "dense"}


def layers_by_name(model):
    """Layer name -> Layer, named exactly as Model.build names them."""
    counters, kinds_named, out = {}, {}, {}
    for s in model.statements:
        for layer in s.layers:
            out[_layer_name(layer, counters, kinds_named)] = layer
    return out


def _kink_values(layer, module, xs, shapes):
    """The values whose distance to a kink matters for this step, as (distance tensor) or None."""
    b = layer.bind()
    if layer.op in KINKED:
        return xs[0].abs()
    if layer.op in PARAMETERIZED and activation_spec(b["activation"])[0] in KINKED:
        linear = dict(b, activation="linear")
        _, fn = torch_ops.build(layer.op, linear, shapes)
        return fn(module, xs).abs()
    if layer.op == "maxpool":
        x = xs[0]
        _, h, w = shapes[0]
        kernel, stride = pair(b["size"]), pair(b["stride"])
        t, bt, lf, r = torch_ops.explicit_padding(b["padding"], h, w, kernel, stride, (1, 1))
        x = F.pad(x, (lf, r, t, bt), value=float("-inf"))
        n, c = x.shape[:2]
        cols = F.unfold(x.reshape(n * c, 1, *x.shape[2:]), kernel, stride=stride)  # [n*c, kh*kw, L]
        return _gaps(cols, 1)
    if layer.op == "maxout":
        x = xs[0]
        p = b["pieces"]
        return _gaps(x.reshape(x.shape[0], x.shape[1] // p, p, -1), 2)
    if layer.op == "globalmaxpool":
        x = xs[0]
        return _gaps(x.reshape(x.shape[0], x.shape[1], -1), 2)
    return None


def _gaps(t, dim):
    """Largest minus second largest along dim. Exact ties at 0 (relu clamps pooled together) are
    ignored: any implementation gets them bit for bit, and the clamped relus behind them pass no
    gradient whichever one wins."""
    top = t.topk(2, dim=dim).values
    gap = top.select(dim, 0) - top.select(dim, 1)
    zero_tie = (top.select(dim, 0) == 0) & (top.select(dim, 1) == 0)
    return torch.where(zero_tie, torch.full_like(gap, float("inf")), gap)


def _forward(program, x, layers):
    """Training-mode forward on copies of the modules: (step name -> inputs, kink distances)."""
    modules = {k: copy.deepcopy(m).to(x.dtype).train() for k, m in program.modules.items()}
    values, seen = {program.input_name: x}, {}
    with torch.no_grad():
        for name, fn, refs in program.steps:
            xs = [values[r] for r in refs]
            dist = _kink_values(layers[name], modules.get(name), xs, [program.shapes[r] for r in refs])
            if dist is not None:
                seen[name] = (xs, dist)
            values[name] = fn(modules.get(name), xs)
    return seen


def problems(program, model, x):
    """Kinked ops whose smallest distance to a kink is below MARGIN times float32's error."""
    layers = layers_by_name(model)
    s32 = _forward(program, x, layers)
    s64 = _forward(program, x.double(), layers)
    out = []
    for name, (xs64, dist) in s64.items():
        xs32 = s32[name][0]
        err = max(float((a.double() - b).abs().max()) for a, b in zip(xs32, xs64))
        if layers[name].op in PARAMETERIZED:   # its pre-activation adds the layer's own rounding
            err = max(err, float((s32[name][1].double() - dist).abs().max()))
        nearest = float(dist.min())
        if not nearest > MARGIN * err:
            out.append(f"{name}: a value {nearest:.3g} from a kink, float32 error {err:.3g}")
    return out
