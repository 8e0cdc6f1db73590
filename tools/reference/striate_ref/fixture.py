"""One fixture: seeded weights and inputs for a case, PyTorch's outputs, checks that the golden
numbers are trustworthy, and the files written in the formats of docs/weights.md."""

import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
import torch
import torch.nn as nn

from striate_ref.model import Model

ATOL, RTOL = 1e-5, 1e-4
SAMPLES = 2


@dataclass
class Case:
    """A fixture: its directory name, the model, how its inputs are drawn and (optionally)
    fixed weights that replace the random ones."""

    name: str
    model: Model
    inputs: Optional[Callable] = None   # (rng, shape) -> float32 array [SAMPLES, *shape]
    weights: Optional[Callable] = None  # (program) -> None, sets tensors in place

    def seed(self):
        return zlib.crc32(self.name.encode("utf-8"))


def random_weights(program, rng):
    """Fills every tensor with seeded, non-trivial values (see fixtures.md)."""
    for layer, m in program.modules.items():
        for param, t in m.state_dict().items():
            if param == "num_batches_tracked":
                continue
            shape = tuple(t.shape)
            if param == "weight" and isinstance(m, (nn.Conv2d, nn.Linear, nn.ConvTranspose2d)):
                a = np.sqrt(3.0 / _fan_in(m))
                v = rng.uniform(-a, a, shape)
            elif param == "weight":            # batch norm scale
                v = rng.uniform(0.5, 1.5, shape)
            elif param == "running_var":
                v = rng.uniform(0.01, 2.0, shape)
            else:                              # biases, batch norm shift and mean
                v = rng.uniform(-0.5, 0.5, shape)
            t.copy_(torch.from_numpy(v.astype(np.float32)))


def _fan_in(m):
    if isinstance(m, nn.Linear):
        return m.in_features
    kh, kw = m.kernel_size
    if isinstance(m, nn.ConvTranspose2d):
        sh, sw = m.stride
        return max(m.in_channels // m.groups * kh * kw / (sh * sw), 1.0)
    return m.in_channels // m.groups * kh * kw


def normal_inputs(rng, shape):
    return rng.standard_normal((SAMPLES,) + tuple(shape)).astype(np.float32)


def generate(case):
    """Everything a fixture holds, as (program, inputs, outputs); raises if a check fails."""
    rng = np.random.RandomState(case.seed())
    program = case.model.build()
    random_weights(program, rng)
    if case.weights:
        case.weights(program)
    shape = program.shapes[program.input_name]
    inputs = (case.inputs or normal_inputs)(rng, shape)
    assert inputs.dtype == np.float32 and inputs.shape == (SAMPLES,) + tuple(shape), case.name
    x = torch.from_numpy(inputs)
    outputs = program.run(x)
    _check_precision(case.name, outputs, program.run(x.double()))
    _check_every_tensor_matters(case.name, program, x, outputs)
    return program, inputs, outputs.numpy()


def _check_precision(name, out32, out64):
    """The float32 golden must sit well inside the tolerance of the exact (float64) result,
    so that any correct float32 implementation passes."""
    err = (out32.double() - out64).abs()
    allowed = 0.25 * (ATOL + RTOL * out64.abs())
    if not bool((err <= allowed).all()):
        raise AssertionError(f"{name}: float32 output too far from float64 "
                             f"(max error {err.max().item():.3g})")


def _check_every_tensor_matters(name, program, x, outputs):
    """Changing any one weight tensor must change the output beyond the tolerance."""
    for key, t in program.named_tensors():
        saved = t.clone()
        t.mul_(1.25).add_(0.05)
        changed = program.run(x)
        t.copy_(saved)
        if not bool(((changed - outputs).abs() > ATOL + RTOL * outputs.abs()).any()):
            raise AssertionError(f"{name}: tensor {key} does not affect the output")


def write(case, root):
    """Writes model.cnn, model.weights.json, model.weights.bin and golden.json for case."""
    program, inputs, outputs = generate(case)
    d = os.path.join(root, case.name)
    os.makedirs(d)
    size = write_model_files(d, case.name, case.model, program)
    write_text(os.path.join(d, "golden.json"), golden_json(case.name, program, inputs, outputs))
    return size


def write_model_files(d, name, model, program, script="generate.py"):
    """Writes model.cnn, model.weights.json and model.weights.bin into directory d; returns the
    blob size in bytes."""
    header = f"// Fixture {name}: written by tools/reference/{script}, do not edit.\n"
    write_text(os.path.join(d, "model.cnn"), header + model.text())
    blob, entries = bytearray(), []
    for key, t in program.named_tensors():
        data = t.numpy().astype("<f4").tobytes()
        entries.append({"name": key, "shape": list(t.shape), "dtype": "float32", "offset": len(blob),
                        "length": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        blob += data
    with open(os.path.join(d, "model.weights.bin"), "wb") as f:
        f.write(bytes(blob))
    tensors = ",\n".join("    " + json.dumps(e) for e in entries)
    manifest = ("{\n"
                '  "format": "striate-weights",\n'
                '  "version": 1,\n'
                f'  "model": {json.dumps(model.name)},\n'
                '  "data": "model.weights.bin",\n'
                + ('  "tensors": [\n' + tensors + "\n  ]\n" if entries else '  "tensors": []\n')
                + "}\n")
    write_text(os.path.join(d, "model.weights.json"), manifest)
    return len(blob)


def golden_json(name, program, inputs, outputs):
    """golden.json text: one sample per line; each float32 written as the shortest decimal
    that reads back as the same double (hence as the same float32)."""
    def rows(a):
        return ",\n".join("    " + json.dumps(s.reshape(-1).astype(np.float32).tolist()) for s in a)
    return ("{\n"
            f'  "case": {json.dumps(name)},\n'
            f'  "input_shape": {json.dumps(list(program.shapes[program.input_name]))},\n'
            f'  "output_shape": {json.dumps(list(program.output_shape))},\n'
            f'  "inputs": [\n{rows(inputs)}\n  ],\n'
            f'  "outputs": [\n{rows(outputs)}\n  ],\n'
            f'  "atol": {json.dumps(ATOL)},\n'
            f'  "rtol": {json.dumps(RTOL)}\n'
            "}\n")


def write_text(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
