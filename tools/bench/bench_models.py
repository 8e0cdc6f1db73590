"""The benchmarked fixtures (lenet5, mnist_cnn, tiny_resnet) rebuilt in PyTorch from the
reference descriptions in tools/reference/striate_ref, with the weights read back from the
fixture's own files (docs/weights.md: manifest offsets into the float32 blob), not redrawn.
Shared by export_onnx.py and torch_predict.py."""

import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(REPO, "compiler", "src", "test", "resources", "fixtures")
sys.path.insert(0, os.path.join(REPO, "tools", "reference"))
sys.dont_write_bytecode = True

from striate_ref import cases_models  # noqa: E402

MODELS = ("lenet5", "mnist_cnn", "tiny_resnet")


class Net(nn.Module):
    """A striate_ref Program as a module: its parameter modules registered (so .eval() and
    tracing see them) and its steps run in order."""

    def __init__(self, program):
        super().__init__()
        self.program = program
        self.layers = nn.ModuleDict(program.modules)

    def forward(self, x):
        values = {self.program.input_name: x}
        for name, fn, refs in self.program.steps:
            values[name] = fn(self.layers[name] if name in self.layers else None, [values[r] for r in refs])
        return values[self.program.output]


def load_weights(program, case_dir):
    """Copies every tensor of the fixture's model.weights.json/.bin into the program."""
    with open(os.path.join(case_dir, "model.weights.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    with open(os.path.join(case_dir, manifest["data"]), "rb") as f:
        blob = f.read()
    entries = {e["name"]: e for e in manifest["tensors"]}
    keys = [k for k, _ in program.named_tensors()]
    if sorted(keys) != sorted(entries):
        raise SystemExit(f"{case_dir}: manifest tensors {sorted(entries)} != model tensors {sorted(keys)}")
    for key, t in program.named_tensors():
        e = entries[key]
        if e["dtype"] != "float32" or list(t.shape) != e["shape"]:
            raise SystemExit(f"{case_dir}: tensor {key}: {e['dtype']} {e['shape']} vs {list(t.shape)}")
        data = np.frombuffer(blob, dtype="<f4", count=e["length"] // 4, offset=e["offset"])
        t.copy_(torch.from_numpy(data.reshape(e["shape"]).astype(np.float32)))


def build(case):
    """(net in eval mode, golden dict) for a fixture name, weights from the fixture files."""
    factory = getattr(cases_models, case)
    program = factory().model.build()
    case_dir = os.path.join(FIXTURES, case)
    with torch.no_grad():
        load_weights(program, case_dir)
    with open(os.path.join(case_dir, "golden.json"), encoding="utf-8") as f:
        golden = json.load(f)
    return Net(program).eval(), golden


def check_golden(net, golden):
    """Largest |error| against golden.json's outputs; raises if beyond atol + rtol*|y|."""
    shape = [len(golden["inputs"])] + golden["input_shape"]
    x = torch.tensor(golden["inputs"], dtype=torch.float32).reshape(shape)
    want = torch.tensor(golden["outputs"], dtype=torch.float32)
    with torch.no_grad():
        got = net(x).reshape(want.shape)
    err = (got - want).abs()
    if not bool((err <= golden["atol"] + golden["rtol"] * want.abs()).all()):
        raise SystemExit(f"{golden['case']}: PyTorch output differs from golden.json (max {err.max().item():.3g})")
    return err.max().item()


def bench_input(shape):
    """The benchmark input: the same uniform [0, 1) values the Java harness makes (Random(42))."""
    return torch.from_numpy(java_random_floats(42, int(np.prod(shape))).reshape([1] + list(shape)))


def java_random_floats(seed, n):
    """java.util.Random(seed).nextFloat() n times (the 48-bit LCG), so Python and Java share one input."""
    mult, mask = 0x5DEECE66D, (1 << 48) - 1
    s = (seed ^ mult) & mask
    out = np.empty(n, dtype=np.float32)
    for i in range(n):
        s = (s * mult + 0xB) & mask
        out[i] = (s >> (48 - 24)) / float(1 << 24)
    return out
