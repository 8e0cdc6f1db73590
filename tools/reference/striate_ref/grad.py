"""One gradient fixture: seeded weights, a batch of inputs and a fixed upstream gradient, one
training-mode forward and backward pass in PyTorch, checks that the numbers are trustworthy,
and the files (model files as the forward fixtures, plus grad.json). See grad_fixtures.md."""

import copy
import json
import os
import zlib
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
import torch

from striate_ref import margins
from striate_ref.fixture import random_weights, write_model_files, write_text
from striate_ref.model import Model

ATOL, RTOL = 1e-4, 1e-3
PERTURBATION = 1e-5      # relative size of the kink probe (see _check_no_kink_nearby)
PROBES = 4
MAX_SALT = 100


@dataclass
class GradCase:
    """A gradient fixture: directory name, model, batch size and how its inputs are drawn
    ((rng, shape, n) -> float32 array [n, *shape]; standard normal when None)."""

    name: str
    model: Model
    batch: int = 4
    inputs: Optional[Callable] = None

    def seed(self, salt):
        key = self.name if salt == 0 else f"{self.name}#{salt}"
        return zlib.crc32(("grad/" + key).encode("utf-8"))


@dataclass
class Result:
    """Everything one training-mode pass gives, as numpy arrays (param_grads and buffers keyed
    'layer.param' in file order)."""

    outputs: np.ndarray
    input_grad: np.ndarray
    param_grads: dict
    buffers_after: dict


def train_pass(program, x, output_grad, perturb=None):
    """Forward in training mode and backward of sum(out * output_grad), on copies of the modules
    (the program keeps its initial weights and running statistics). x's dtype sets the precision.
    perturb(tensor) -> tensor, when given, is applied to x and to every parameter first."""
    modules = {k: copy.deepcopy(m).to(x.dtype).train() for k, m in program.modules.items()}
    if perturb is not None:
        with torch.no_grad():
            for m in modules.values():
                for p in m.parameters():
                    p.copy_(perturb(p))
            x = perturb(x)
    x = x.clone().requires_grad_(True)
    values = {program.input_name: x}
    for name, fn, refs in program.steps:
        values[name] = fn(modules.get(name), [values[r] for r in refs])
    out = values[program.output]
    (out * output_grad.to(x.dtype)).sum().backward()
    grads, buffers = {}, {}
    for layer, m in modules.items():
        for pname, p in m.named_parameters():
            grads[f"{layer}.{pname}"] = p.grad.detach().numpy().copy()
        for bname, b in m.named_buffers():
            if bname != "num_batches_tracked":
                buffers[f"{layer}.{bname}"] = b.detach().numpy().copy()
    return Result(out.detach().numpy().copy(), x.grad.detach().numpy().copy(), grads, buffers)


def tensors(r):
    """(key, array) for every checked quantity of a result."""
    yield "outputs", r.outputs
    yield "input_grad", r.input_grad
    for k, v in r.param_grads.items():
        yield "param_grads." + k, v
    for k, v in r.buffers_after.items():
        yield "buffers_after." + k, v


def _far(got, want, scale=0.25):
    """Largest excess of |got - want| over scale * tolerance (> 0 means outside)."""
    err = np.abs(got.astype(np.float64) - want.astype(np.float64))
    return float(np.max(err - scale * (ATOL + RTOL * np.abs(want)), initial=-1.0))


def compare(a, b, scale=0.25):
    """Keys whose arrays in result a are not within scale * tolerance of result b."""
    bt = dict(tensors(b))
    return [k for k, v in tensors(a) if _far(v, bt[k], scale) > 0]


def attempt(case, salt):
    """(program, inputs, output_grad, float32 result, problems) for one draw of weights and data."""
    rng = np.random.RandomState(case.seed(salt))
    program = case.model.build()
    random_weights(program, rng)
    shape = program.shapes[program.input_name]
    n = case.batch
    inputs = (case.inputs or normal)(rng, shape, n)
    assert inputs.dtype == np.float32 and inputs.shape == (n,) + tuple(shape), case.name
    output_grad = rng.standard_normal((n,) + tuple(program.output_shape)).astype(np.float32)
    x, g = torch.from_numpy(inputs), torch.from_numpy(output_grad)
    r32 = train_pass(program, x, g)
    r64 = train_pass(program, x.double(), g)
    problems = [f"float32 {k} too far from float64" for k in compare(r32, r64)]
    problems += [f"kink margin: {p}" for p in margins.problems(program, case.model, x)]
    problems += _check_no_kink_nearby(program, x, g, r64, rng)
    problems += _check_nontrivial(program, r32)
    return program, inputs, output_grad, r32, problems


def _check_no_kink_nearby(program, x, g, r64, rng):
    """relu, leaky_relu, elu, max pooling and maxout have kinks: a value within rounding error of
    a kink (or two nearly equal maxima) lets a correct float32 implementation pick the other side
    and get a different gradient. Each probe nudges every parameter and the input by a random
    relative PERTURBATION (far more than float32 rounding) both ways, in float64; the second
    difference f(+) + f(-) - 2 f(0) is tiny for smooth functions and of the size of the jump
    when a kink lies in between. It must stay within a quarter of the tolerance."""
    problems = []
    for _ in range(PROBES):
        seed = int(rng.randint(0, 2**31 - 1))
        moved = []
        for sign in (1.0, -1.0):
            def perturb(t, gen=torch.Generator().manual_seed(seed), sign=sign):
                noise = torch.randn(t.shape, generator=gen, dtype=torch.float64)
                return t * (1 + sign * PERTURBATION * noise)
            moved.append(dict(tensors(train_pass(program, x.double(), g, perturb))))
        for k, v in tensors(r64):
            second = moved[0][k] + moved[1][k] - 2 * v
            if _far(v + second, v) > 0:
                problems.append(f"{k} jumps under a {PERTURBATION} relative nudge (a kink or tie nearby)")
    return sorted(set(problems))


def _check_nontrivial(program, r):
    """Every parameter gradient and the input gradient must be far from zero, and batch norm must
    move its running statistics, so that no number can pass by accident."""
    problems = []
    for k, v in [("input_grad", r.input_grad)] + list(r.param_grads.items()):
        if np.max(np.abs(v)) < 20 * ATOL:
            problems.append(f"{k} is nearly zero")
    initial = {k: t.numpy() for k, t in program.named_tensors()}
    for k, v in r.buffers_after.items():
        if np.max(np.abs(v - initial[k])) < 20 * ATOL:
            problems.append(f"{k} does not move")
    return problems


def generate(case):
    """The first draw (salt 0, 1, ...) that passes every check."""
    reasons = []
    for salt in range(MAX_SALT):
        program, inputs, output_grad, r, problems = attempt(case, salt)
        if not problems:
            return program, inputs, output_grad, r, salt
        reasons = problems
    raise AssertionError(f"{case.name}: no valid draw: {reasons[:5]}")


def normal(rng, shape, n):
    return rng.standard_normal((n,) + tuple(shape)).astype(np.float32)


def write(case, root):
    """Writes the model files and grad.json for case; returns (weight bytes, salt)."""
    program, inputs, output_grad, r, salt = generate(case)
    d = os.path.join(root, case.name)
    os.makedirs(d)
    size = write_model_files(d, case.name, case.model, program, script="generate_grads.py")
    write_text(os.path.join(d, "grad.json"), grad_json(case, program, inputs, output_grad, r))
    return size, salt


def _floats(a):
    return json.dumps(np.asarray(a).reshape(-1).astype(np.float32).tolist())


def grad_json(case, program, inputs, output_grad, r):
    """grad.json text: one sample or one tensor per line; float32 values written exactly."""
    def rows(a):
        return "[\n" + ",\n".join("    " + _floats(s) for s in a) + "\n  ]"

    def table(d):
        if not d:
            return "{}"
        return "{\n" + ",\n".join(f"    {json.dumps(k)}: {_floats(v)}" for k, v in d.items()) + "\n  }"
    parts = [
        f'"case": {json.dumps(case.name)}',
        f'"batch": {case.batch}',
        f'"input_shape": {json.dumps(list(program.shapes[program.input_name]))}',
        f'"output_shape": {json.dumps(list(program.output_shape))}',
        f'"inputs": {rows(inputs)}',
        f'"output_grad": {rows(output_grad)}',
        f'"outputs": {rows(r.outputs)}',
        f'"input_grad": {rows(r.input_grad)}',
        f'"param_grads": {table(r.param_grads)}',
    ]
    if r.buffers_after:
        parts.append(f'"buffers_after": {table(r.buffers_after)}')
    parts += [f'"atol": {json.dumps(ATOL)}', f'"rtol": {json.dumps(RTOL)}']
    return "{\n" + ",\n".join("  " + p for p in parts) + "\n}\n"
