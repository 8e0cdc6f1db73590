#!/usr/bin/python3
"""Validates the gradient fixture tree with numpy alone: files present, weights manifests as
check_fixtures.py checks them, grad.json keys, shapes and float32-exact numbers, parameter
gradients and buffers that match the manifest's tensors, and an independent numpy recomputation
(naive loops, float64) of the simple cases listed in crosscheck_grads.py.

    /usr/bin/python3 tools/reference/check_grad_fixtures.py [DIR] [--regenerate]

--regenerate also runs generate_grads.py into a temporary directory (needs PyTorch) and
requires the committed tree to be byte-identical to it. Exit status 0 when every check passes.
"""

import argparse
import contextlib
import filecmp
import io
import json
import math
import os
import re
import sys
import tempfile

import numpy as np

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from check_fixtures import _differences, check_manifest, strip_comments  # noqa: E402
import crosscheck_grads  # noqa: E402

DEFAULT_DIR = os.path.join(os.path.dirname(os.path.dirname(HERE)), "compiler", "src", "test", "resources",
                           "grad-fixtures")
FILES = {"model.cnn", "model.weights.json", "model.weights.bin", "grad.json"}
REQUIRED = ["case", "batch", "input_shape", "output_shape", "inputs", "output_grad", "outputs", "input_grad",
            "param_grads", "atol", "rtol"]
BUFFERS = ("running_mean", "running_var")


def load(d):
    with open(os.path.join(d, "model.cnn"), encoding="utf-8") as f:
        source = f.read()
    with open(os.path.join(d, "model.weights.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    with open(os.path.join(d, "model.weights.bin"), "rb") as f:
        blob = f.read()
    with open(os.path.join(d, "grad.json"), encoding="utf-8") as f:
        g = json.load(f)
    return source, manifest, blob, g


def weights(manifest, blob):
    """name -> float64 array in the manifest's shape."""
    return {t["name"]: np.frombuffer(blob[t["offset"]:t["offset"] + t["length"]], dtype="<f4")
            .astype(np.float64).reshape(t["shape"]) for t in manifest["tensors"]}


def check_case(d, name):
    present = set(os.listdir(d))
    if present != FILES:
        return [f"{name}: files {sorted(present)}, expected {sorted(FILES)}"]
    source, manifest, blob, g = load(d)
    models = re.findall(r"^\s*model\s+(\w+)\s*\{", source, re.M)
    if len(models) != 1:
        return [f"{name}: model.cnn holds {len(models)} models, expected 1"]
    problems = check_manifest(name, manifest, blob, models[0], source)
    problems += check_grad(name, g, manifest, source)
    if not problems and name in crosscheck_grads.CASES:
        problems += crosscheck_grads.check(name, source, weights(manifest, blob), g)
    return problems


def check_grad(name, g, manifest, source):
    problems = []
    tensors = [t for t in manifest.get("tensors", [])]
    params = [t for t in tensors if not t["name"].endswith(BUFFERS)]
    buffers = [t for t in tensors if t["name"].endswith(BUFFERS)]
    expected = REQUIRED + (["buffers_after"] if buffers else [])
    if sorted(g) != sorted(expected):
        return [f"{name}: grad.json keys {sorted(g)}, expected {sorted(expected)}"]
    if g["case"] != name:
        problems.append(f"{name}: case is {g['case']!r}")
    if g["batch"] not in (3, 4):
        problems.append(f"{name}: batch {g['batch']}, expected 3 or 4")
    inputs = re.findall(r"^\s*input\s+\w+\s*:\s*\[([^\]]*)\]", strip_comments(source), re.M)
    declared = [int(v) for v in inputs[0].split(",")] if len(inputs) == 1 else None
    if declared != g["input_shape"]:
        problems.append(f"{name}: model.cnn input {declared}, input_shape {g['input_shape']}")
    for key, shape in (("inputs", g["input_shape"]), ("input_grad", g["input_shape"]),
                       ("outputs", g["output_shape"]), ("output_grad", g["output_shape"])):
        if len(g[key]) != g["batch"]:
            problems.append(f"{name}: {len(g[key])} rows of {key}, expected {g['batch']}")
        for i, row in enumerate(g[key]):
            problems += check_floats(f"{name}: {key}[{i}]", row, int(np.prod(shape)))
    for key, want in (("param_grads", params), ("buffers_after", buffers)):
        table = g.get(key, {})
        if list(table) != [t["name"] for t in want]:
            problems.append(f"{name}: {key} keys {list(table)}, expected {[t['name'] for t in want]}")
            continue
        for t in want:
            problems += check_floats(f"{name}: {key}.{t['name']}", table[t["name"]], int(np.prod(t["shape"])))
    if g["atol"] != 1e-4 or g["rtol"] != 1e-3:
        problems.append(f"{name}: tolerances atol={g['atol']} rtol={g['rtol']}")
    return problems


def check_floats(where, row, size):
    if len(row) != size:
        return [f"{where}: {len(row)} values, expected {size}"]
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in row):
        return [f"{where}: a non-finite or non-number value"]
    if any(float(np.float32(v)) != v for v in row):
        return [f"{where}: a value that is not a float32"]
    if size > 1 and all(v == row[0] for v in row):
        return [f"{where}: all values equal ({row[0]})"]
    return []


def check_tree(root):
    problems = []
    cases_file = os.path.join(root, "cases.txt")
    listed = open(cases_file, encoding="utf-8").read().split() if os.path.exists(cases_file) else []
    dirs = sorted(e for e in os.listdir(root) if os.path.isdir(os.path.join(root, e)))
    if sorted(listed) != dirs:
        problems.append(f"cases.txt lists {sorted(set(listed) ^ set(dirs))} differently from the directories")
    if set(os.listdir(root)) - set(dirs) != {"cases.txt"}:
        problems.append(f"unexpected files in {root}: {sorted(set(os.listdir(root)) - set(dirs) - {'cases.txt'})}")
    checked = 0
    for name in dirs:
        problems += check_case(os.path.join(root, name), name)
        checked += name in crosscheck_grads.CASES
    return problems, dirs, checked


def compare_with_generator(root):
    import generate_grads
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "grad-fixtures")
        with contextlib.redirect_stdout(io.StringIO()):
            generate_grads.main(["--out", out])
        return list(_differences(filecmp.dircmp(root, out), ""))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", default=DEFAULT_DIR)
    parser.add_argument("--regenerate", action="store_true", help="also require generate_grads.py to reproduce the tree")
    args = parser.parse_args(argv)
    problems, dirs, checked = check_tree(args.dir)
    if args.regenerate:
        problems += compare_with_generator(args.dir)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(dirs)} gradient fixtures checked ({checked} recomputed with numpy), {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
