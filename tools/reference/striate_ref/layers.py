"""Layer calls of the Striate language: how a call is written in a .cnn file and what its
arguments mean (docs/language.md, "Layers")."""

import re
from dataclasses import dataclass, field
from fractions import Fraction

# Each op keyword with its arguments in positional order and their defaults (None: required).
# "stride" of the pools defaults to the window size; that is resolved in bind().
SIGNATURES = {
    "conv2d": (("filters", None), ("kernel", None), ("stride", 1), ("padding", 0), ("dilation", 1),
               ("groups", 1), ("bias", True), ("activation", "linear")),
    "depthwise_conv2d": (("kernel", None), ("multiplier", 1), ("stride", 1), ("padding", 0),
                         ("dilation", 1), ("bias", True), ("activation", "linear")),
    "conv_transpose2d": (("filters", None), ("kernel", None), ("stride", 1), ("padding", 0),
                         ("output_padding", 0), ("dilation", 1), ("groups", 1), ("bias", True),
                         ("activation", "linear")),
    "maxpool": (("size", None), ("stride", None), ("padding", 0)),
    "avgpool": (("size", None), ("stride", None), ("padding", 0), ("count_include_pad", True)),
    "globalavgpool": (),
    "globalmaxpool": (),
    "dense": (("units", None), ("bias", True), ("activation", "linear")),
    "flatten": (),
    "dropout": (("rate", 0.5),),
    "batchnorm": (("epsilon", 1e-5), ("momentum", 0.1)),
    "relu": (),
    "sigmoid": (),
    "tanh": (),
    "softmax": (),
    "linear": (),
    "leaky_relu": (("alpha", 0.01),),
    "elu": (("alpha", 1.0),),
    "maxout": (("pieces", None),),
    "add": (),
    "concat": (),
    "pixel_shuffle": (("factor", None),),
    "normalize": (("mean", None), ("std", None)),
    "rescale": (("scale", None), ("offset", 0)),
    "pad": (("padding", None),),
    "untied_bias": (),
}

_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


@dataclass
class Layer:
    """One layer call as written: op keyword, explicit input names, positional and keyword
    arguments (values are Python ints, floats, bools, lists, or raw source text such as
    'same', 'relu', 'leaky_relu(0.2)', '1/255', '1e-3'), and an optional explicit name."""

    op: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    inputs: tuple = ()
    name: str = None

    def text(self):
        """The call as it appears in the .cnn source."""
        parts = list(self.inputs) + [fmt(a) for a in self.args]
        parts += [f"{k}={fmt(v)}" for k, v in self.kwargs.items()]
        if self.name is not None:
            parts.append(f'name="{self.name}"')
        return f"{self.op}({', '.join(parts)})" if parts else self.op

    def bind(self):
        """The semantic value of every argument, defaults filled in."""
        if self.op not in SIGNATURES:
            raise ValueError(f"unknown op {self.op}")
        sig = SIGNATURES[self.op]
        names = [n for n, _ in sig]
        if len(self.args) > len(sig):
            raise ValueError(f"{self.op}: too many positional arguments")
        bound = dict(zip(names, self.args))
        for k, v in self.kwargs.items():
            if k not in names or k in bound:
                raise ValueError(f"{self.op}: bad or repeated argument {k}")
            bound[k] = v
        for n, default in sig:
            if n not in bound:
                if default is None and n != "stride":
                    raise ValueError(f"{self.op}: missing {n}")
                bound[n] = default
        if self.op in ("maxpool", "avgpool") and bound["stride"] is None:
            bound["stride"] = bound["size"]
        return {k: value(v) for k, v in bound.items()}


def L(op, *args, inputs=(), name=None, **kwargs):
    """Shorthand for a Layer: L("conv2d", 16, kernel=3, name="c1")."""
    return Layer(op, tuple(args), dict(kwargs), tuple(inputs), name)


def fmt(v):
    """Source text of an argument value."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(fmt(x) for x in v) + "]"
    if isinstance(v, str):
        return v
    raise TypeError(f"cannot write {v!r}")


def value(v):
    """Semantic value of an argument: numbers (also '1/255', '1e-3' text) become int/float,
    lists recursively, identifiers and calls stay text."""
    if isinstance(v, (list, tuple)):
        return [value(x) for x in v]
    if isinstance(v, str):
        parts = v.split("/")
        if all(_NUMBER.fullmatch(p.strip()) for p in parts) and len(parts) <= 2:
            f = Fraction(parts[0].strip())
            if len(parts) == 2:
                f /= Fraction(parts[1].strip())
            return float(f)
    return v


def pair(v):
    """An int-or-[h, w] argument as (h, w)."""
    if isinstance(v, list):
        if len(v) != 2:
            raise ValueError(f"expected [h, w], got {v}")
        return int(v[0]), int(v[1])
    return int(v), int(v)


def activation_spec(v):
    """'relu', 'leaky_relu(0.2)', 'elu' ... as (kind, alpha or None)."""
    m = re.fullmatch(r"(\w+)(?:\((.*)\))?", v.strip())
    if not m:
        raise ValueError(f"bad activation {v}")
    kind, arg = m.group(1), m.group(2)
    defaults = {"leaky_relu": 0.01, "elu": 1.0}
    alpha = value(arg) if arg else defaults.get(kind)
    return kind, alpha
