"""The meaning of each Striate op in PyTorch: a module holding its parameters (or None) and a
function applying it to a batch. PyTorch's own layers and padding are used wherever they can
express the op; asymmetric padding (Keras 'same', [t, b, l, r]) goes through F.pad first."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from striate_ref.layers import activation_spec, pair


def activation(spec):
    """The function for an activation written as 'relu', 'leaky_relu(0.2)', ..."""
    kind, alpha = activation_spec(spec)
    table = {
        "linear": lambda x: x,
        "relu": torch.relu,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "softmax": lambda x: F.softmax(x, dim=1),
        "leaky_relu": lambda x: F.leaky_relu(x, negative_slope=float(np.float32(alpha))),
        "elu": lambda x: F.elu(x, alpha=float(np.float32(alpha))),
    }
    if kind not in table:
        raise ValueError(f"unknown activation {spec}")
    return table[kind]


def same_total(size, kernel, stride, dilation):
    """Keras/TensorFlow 'same': total padding along one axis."""
    out = -(-size // stride)
    return max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0)


def explicit_padding(p, h, w, kernel, stride, dilation):
    """Padding argument as (top, bottom, left, right) for an h x w input."""
    if p == "same":
        th = same_total(h, kernel[0], stride[0], dilation[0])
        tw = same_total(w, kernel[1], stride[1], dilation[1])
        return th // 2, th - th // 2, tw // 2, tw - tw // 2
    if p == "valid":
        return 0, 0, 0, 0
    if isinstance(p, list):
        if len(p) == 2:
            return p[0], p[0], p[1], p[1]
        if len(p) == 4:
            return tuple(p)
        raise ValueError(f"bad padding {p}")
    return p, p, p, p


def _symmetric(pad):
    t, b, l, r = pad
    return t == b and l == r


def _conv(b, shapes, depthwise):
    c, h, w = shapes[0]
    kernel, stride, dilation = pair(b["kernel"]), pair(b["stride"]), pair(b["dilation"])
    if depthwise:
        filters, groups = c * b["multiplier"], c
    else:
        filters, groups = b["filters"], b["groups"]
    pad = explicit_padding(b["padding"], h, w, kernel, stride, dilation)
    sym = _symmetric(pad)
    m = nn.Conv2d(c, filters, kernel, stride, padding=(pad[0], pad[2]) if sym else 0,
                  dilation=dilation, groups=groups, bias=b["bias"])
    act = activation(b["activation"])
    if sym:
        return m, lambda m, xs: act(m(xs[0]))
    return m, lambda m, xs: act(m(F.pad(xs[0], (pad[2], pad[3], pad[0], pad[1]))))


def _conv_transpose(b, shapes):
    c = shapes[0][0]
    m = nn.ConvTranspose2d(c, b["filters"], pair(b["kernel"]), pair(b["stride"]),
                           padding=pair(b["padding"]), output_padding=pair(b["output_padding"]),
                           groups=b["groups"], bias=b["bias"], dilation=pair(b["dilation"]))
    act = activation(b["activation"])
    return m, lambda m, xs: act(m(xs[0]))


def _pool(b, shapes, is_max):
    _, h, w = shapes[0]
    kernel, stride = pair(b["size"]), pair(b["stride"])
    pad = explicit_padding(b["padding"], h, w, kernel, stride, (1, 1))
    native = _symmetric(pad) and pad[0] <= kernel[0] // 2 and pad[2] <= kernel[1] // 2
    if is_max:
        if native:
            return None, lambda m, xs: F.max_pool2d(xs[0], kernel, stride, (pad[0], pad[2]))
        return None, lambda m, xs: F.max_pool2d(
            F.pad(xs[0], (pad[2], pad[3], pad[0], pad[1]), value=float("-inf")), kernel, stride)
    cip = b["count_include_pad"]
    if native:
        return None, lambda m, xs: F.avg_pool2d(xs[0], kernel, stride, (pad[0], pad[2]),
                                                count_include_pad=cip)

    def generic(m, xs):
        x = xs[0]
        lrtb = (pad[2], pad[3], pad[0], pad[1])
        total = F.avg_pool2d(F.pad(x, lrtb), kernel, stride) * (kernel[0] * kernel[1])
        if cip:
            return total / (kernel[0] * kernel[1])
        count = F.avg_pool2d(F.pad(torch.ones_like(x), lrtb), kernel, stride) * (kernel[0] * kernel[1])
        return total / count
    return None, generic


def _batchnorm(b, shapes):
    shape = shapes[0]
    eps, momentum = float(np.float32(b["epsilon"])), b["momentum"]
    cls = nn.BatchNorm2d if len(shape) == 3 else nn.BatchNorm1d
    return cls(shape[0], eps=eps, momentum=momentum), lambda m, xs: m(xs[0])


def _per_channel(values, x):
    """A float32 constant (one value or one per channel) shaped to broadcast over x."""
    v = torch.tensor(np.asarray(values if isinstance(values, list) else [values], dtype=np.float32))
    return v.to(x.dtype).reshape([1, -1] + [1] * (x.dim() - 2))


def _maxout(b, shapes):
    p = b["pieces"]

    def fn(m, xs):
        x = xs[0]
        return x.reshape(x.shape[0], x.shape[1] // p, p, *x.shape[2:]).amax(dim=2)
    return None, fn


class UntiedBias(nn.Module):
    """A learned bias of the input's whole shape (one per channel and position)."""

    def __init__(self, shape):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(tuple(shape)))


def build(op, b, shapes):
    """(module or None, fn(module, [inputs]) -> output) for op with bound arguments b, given
    the input shapes (without batch)."""
    if op in ("conv2d", "depthwise_conv2d"):
        return _conv(b, shapes, op == "depthwise_conv2d")
    if op == "conv_transpose2d":
        return _conv_transpose(b, shapes)
    if op in ("maxpool", "avgpool"):
        return _pool(b, shapes, op == "maxpool")
    if op == "batchnorm":
        return _batchnorm(b, shapes)
    if op == "dense":
        m = nn.Linear(shapes[0][0], b["units"], bias=b["bias"])
        act = activation(b["activation"])
        return m, lambda m, xs: act(m(xs[0]))
    if op == "maxout":
        return _maxout(b, shapes)
    if op == "pixel_shuffle":
        r = b["factor"]
        return None, lambda m, xs: F.pixel_shuffle(xs[0], r)
    if op == "untied_bias":
        return UntiedBias(shapes[0]), lambda m, xs: xs[0] + m.bias
    if op == "pad":
        if isinstance(b["padding"], str):
            raise ValueError(f"pad takes explicit amounts, not {b['padding']}")
        t, bottom, left, right = explicit_padding(b["padding"], 0, 0, None, None, None)
        return None, lambda m, xs: F.pad(xs[0], (left, right, t, bottom))
    simple = {
        "globalavgpool": lambda m, xs: xs[0].mean(dim=(2, 3)),
        "globalmaxpool": lambda m, xs: xs[0].amax(dim=(2, 3)),
        "flatten": lambda m, xs: xs[0].reshape(xs[0].shape[0], -1),
        "dropout": lambda m, xs: F.dropout(xs[0], p=b["rate"], training=False),
        "add": lambda m, xs: _sum(xs),
        "concat": lambda m, xs: torch.cat(xs, dim=1),
        "normalize": lambda m, xs: (xs[0] - _per_channel(b["mean"], xs[0])) / _per_channel(b["std"], xs[0]),
        "rescale": lambda m, xs: xs[0] * float(np.float32(b["scale"])) + float(np.float32(b["offset"])),
    }
    if op in simple:
        return None, simple[op]
    if op in ("relu", "sigmoid", "tanh", "softmax", "linear", "leaky_relu", "elu"):
        spec = op if b.get("alpha") is None else f"{op}({b['alpha']!r})"
        act = activation(spec)
        return None, lambda m, xs: act(xs[0])
    raise ValueError(f"no PyTorch meaning for op {op}")


def _sum(xs):
    out = xs[0]
    for x in xs[1:]:
        out = out + x
    return out
