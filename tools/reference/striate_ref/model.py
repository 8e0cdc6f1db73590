"""A Striate model written from Python: it prints itself as .cnn source and builds the same
network in PyTorch, so the fixture's text and its numbers come from one description."""

import copy
from collections import OrderedDict
from dataclasses import dataclass

import torch

from striate_ref import torch_ops


@dataclass
class Statement:
    """One statement: 'input', 'chain' (target may be None), 'output' or 'labels'."""

    kind: str
    target: str = None
    layers: tuple = ()
    shape: tuple = ()
    labels: tuple = ()


class Model:
    """Statements of one `model NAME { ... }` block, in source order."""

    def __init__(self, name, comment):
        self.name = name
        self.comment = comment
        self.statements = []

    def input(self, name, shape):
        self.statements.append(Statement("input", target=name, shape=tuple(shape)))
        return self

    def stack(self, *layers):
        """Stack statements: each layer on its own line, reading the previous value."""
        for layer in layers:
            self.statements.append(Statement("chain", layers=(layer,)))
        return self

    def chain(self, *layers):
        """One unnamed statement `a -> b -> c`."""
        self.statements.append(Statement("chain", layers=tuple(layers)))
        return self

    def assign(self, target, *layers):
        """`target = a -> b -> c`."""
        self.statements.append(Statement("chain", target=target, layers=tuple(layers)))
        return self

    def output(self, name):
        self.statements.append(Statement("output", target=name))
        return self

    def labels(self, labels):
        self.statements.append(Statement("labels", labels=tuple(labels)))
        return self

    @property
    def input_shape(self):
        return next(s.shape for s in self.statements if s.kind == "input")

    def text(self):
        """The model as .cnn source."""
        lines = [f"// {line}" if line else "//" for line in self.comment.splitlines()]
        lines.append(f"model {self.name} {{")
        for s in self.statements:
            if s.kind == "input":
                lines.append(f"    input {s.target}: [{', '.join(str(d) for d in s.shape)}]")
            elif s.kind == "output":
                lines.append(f"    output {s.target}")
            elif s.kind == "labels":
                lines.append("    labels [" + ", ".join(f'"{x}"' for x in s.labels) + "]")
            else:
                body = " -> ".join(layer.text() for layer in s.layers)
                lines.append(f"    {s.target} = {body}" if s.target else f"    {body}")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def build(self):
        """The PyTorch program (float32, eval mode) for this model."""
        counters, kinds_named = {}, {}
        env, shapes, steps = {}, {}, []
        modules = OrderedDict()
        prev, output = None, None
        for s in self.statements:
            if s.kind == "input":
                env[s.target] = s.target
                shapes[s.target] = s.shape
                prev = s.target
            elif s.kind == "output":
                output = env[s.target]
            elif s.kind == "chain":
                cur = prev
                for i, layer in enumerate(s.layers):
                    name = _layer_name(layer, counters, kinds_named)
                    if name in modules or name in shapes:
                        raise ValueError(f"{self.name}: duplicate layer name {name}")
                    refs = [env[n] for n in layer.inputs] if (i == 0 and layer.inputs) else [cur]
                    if i > 0 and layer.inputs:
                        raise ValueError(f"{self.name}: only a chain's first layer names inputs")
                    module, fn = torch_ops.build(layer.op, layer.bind(), [shapes[r] for r in refs])
                    if module is not None:
                        modules[name] = module.eval()
                    with torch.no_grad():
                        probe = fn(module, [torch.zeros((1,) + shapes[r]) for r in refs])
                    shapes[name] = tuple(probe.shape[1:])
                    steps.append((name, fn, refs))
                    cur = name
                if s.target:
                    env[s.target] = cur
                prev = cur
        inputs = [s.target for s in self.statements if s.kind == "input"]
        if len(inputs) != 1:
            raise ValueError(f"{self.name}: fixtures have exactly one input")
        return Program(inputs[0], modules, steps, output or prev, shapes)


def _layer_name(layer, counters, kinds_named):
    """Explicit name, or the Keras-like default `<op>_<n>` counted per op keyword."""
    counters[layer.op] = counters.get(layer.op, 0) + 1
    explicit = layer.name is not None
    if kinds_named.setdefault(layer.op, explicit) != explicit:
        raise ValueError(f"fixtures must not mix explicit and default names for {layer.op}")
    return layer.name if explicit else f"{layer.op}_{counters[layer.op]}"


class Program:
    """The built network: parameter modules keyed by layer name (source order) and the steps."""

    def __init__(self, input_name, modules, steps, output, shapes):
        self.input_name = input_name
        self.modules = modules
        self.steps = steps
        self.output = output
        self.shapes = shapes
        for m in modules.values():
            m.eval()

    @property
    def output_shape(self):
        return self.shapes[self.output]

    def named_tensors(self):
        """(key, tensor) for every weight, in file order: layers in source order, each layer's
        state_dict order (num_batches_tracked is not a weight)."""
        for layer, m in self.modules.items():
            for param, t in m.state_dict().items():
                if param != "num_batches_tracked":
                    yield f"{layer}.{param}", t

    def run(self, x):
        """Outputs for a batch x (the input's dtype decides the precision)."""
        modules = self.modules if x.dtype == torch.float32 else self._double()
        values = {self.input_name: x}
        with torch.no_grad():
            for name, fn, refs in self.steps:
                values[name] = fn(modules.get(name), [values[r] for r in refs])
        return values[self.output]

    def _double(self):
        out = OrderedDict()
        for k, m in self.modules.items():
            out[k] = copy.deepcopy(m).double().eval()
        return out
