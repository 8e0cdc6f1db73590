#!/usr/bin/python3
"""Validates a fixture tree with numpy alone: files present, weights manifests that follow
docs/weights.md (offsets, lengths, sha256 of the bytes, finite float32 values, the blob tiled
exactly), golden.json shapes and float32-exact numbers, and names that agree with model.cnn.

    /usr/bin/python3 tools/reference/check_fixtures.py [DIR] [--regenerate]

--regenerate also runs generate.py into a temporary directory (needs PyTorch) and requires
the committed tree to be byte-identical to it. Exit status 0 when every check passes.
"""

import argparse
import contextlib
import filecmp
import hashlib
import io
import json
import math
import os
import re
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DIR = os.path.join(os.path.dirname(os.path.dirname(HERE)), "compiler", "src", "test", "resources", "fixtures")
FILES = {"model.cnn", "model.weights.json", "model.weights.bin", "golden.json"}
GOLDEN_KEYS = {"case", "input_shape", "output_shape", "inputs", "outputs", "atol", "rtol"}
TENSOR_KEYS = {"name", "shape", "dtype", "offset", "length", "sha256"}
PARAMS = {"weight", "bias", "running_mean", "running_var"}
SAMPLES = 2


def check_case(d, name):
    """Problems found in one fixture directory, as messages."""
    problems = []
    present = set(os.listdir(d))
    if present != FILES:
        return [f"{name}: files {sorted(present)}, expected {sorted(FILES)}"]
    with open(os.path.join(d, "model.cnn"), encoding="utf-8") as f:
        source = f.read()
    with open(os.path.join(d, "model.weights.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    with open(os.path.join(d, "model.weights.bin"), "rb") as f:
        blob = f.read()
    with open(os.path.join(d, "golden.json"), encoding="utf-8") as f:
        golden = json.load(f)
    models = re.findall(r"^\s*model\s+(\w+)\s*\{", source, re.M)
    if len(models) != 1:
        problems.append(f"{name}: model.cnn holds {len(models)} models, expected 1")
    problems += check_manifest(name, manifest, blob, models[0] if models else None, source)
    problems += check_golden(name, golden, source)
    return problems


def check_manifest(name, manifest, blob, model, source):
    problems = []
    for key, want in (("format", "striate-weights"), ("version", 1), ("model", model), ("data", "model.weights.bin")):
        if manifest.get(key) != want:
            problems.append(f"{name}: manifest {key} is {manifest.get(key)!r}, expected {want!r}")
    end, seen = 0, set()
    for t in manifest.get("tensors", []):
        tname = t.get("name")
        where = f"{name}: {tname}"
        if set(t) != TENSOR_KEYS:
            problems.append(f"{where}: fields {sorted(t)}, expected {sorted(TENSOR_KEYS)}")
            continue
        if tname in seen:
            problems.append(f"{where}: listed twice")
        seen.add(tname)
        layer, _, param = tname.rpartition(".")
        if param not in PARAMS:
            problems.append(f"{where}: parameter {param!r} is not one of {sorted(PARAMS)}")
        if not layer_in_source(layer, source):
            problems.append(f"{where}: no layer named {layer!r} in model.cnn")
        if t["dtype"] != "float32":
            problems.append(f"{where}: dtype {t['dtype']}")
        count = int(np.prod(t["shape"], dtype=np.int64))
        if t["length"] != 4 * count:
            problems.append(f"{where}: length {t['length']} for shape {t['shape']}")
        if t["offset"] != end:
            problems.append(f"{where}: offset {t['offset']}, expected {end} (tensors tile the blob in order)")
        data = blob[t["offset"]:t["offset"] + t["length"]]
        end = t["offset"] + t["length"]
        if len(data) != t["length"]:
            problems.append(f"{where}: truncated blob")
            continue
        if hashlib.sha256(data).hexdigest() != t["sha256"] or not re.fullmatch(r"[0-9a-f]{64}", t["sha256"]):
            problems.append(f"{where}: sha256 mismatch")
        values = np.frombuffer(data, dtype="<f4")
        if not np.all(np.isfinite(values)):
            problems.append(f"{where}: NaN or infinite values")
        if count > 1 and np.all(values == values[0]):
            problems.append(f"{where}: all values equal ({values[0]}), a trivial tensor")
    if end != len(blob):
        problems.append(f"{name}: blob has {len(blob)} bytes, tensors cover {end}")
    return problems


def layer_in_source(layer, source):
    """An explicit name="layer", or a default name op_n with at least n calls of op."""
    if f'name="{layer}"' in source:
        return True
    m = re.fullmatch(r"(\w+)_(\d+)", layer)
    if not m:
        return False
    calls = re.findall(r"(?<![\w\"])" + re.escape(m.group(1)) + r"(?![\w\"])", strip_comments(source))
    return len(calls) >= int(m.group(2))


def strip_comments(source):
    return re.sub(r"/\*.*?\*/", "", re.sub(r"//[^\n]*", "", source), flags=re.S)


def check_golden(name, g, source):
    problems = []
    if set(g) != GOLDEN_KEYS:
        return [f"{name}: golden keys {sorted(g)}, expected {sorted(GOLDEN_KEYS)}"]
    if g["case"] != name:
        problems.append(f"{name}: golden case is {g['case']!r}")
    inputs = re.findall(r"^\s*input\s+\w+\s*:\s*\[([^\]]*)\]", strip_comments(source), re.M)
    declared = [int(v) for v in inputs[0].split(",")] if len(inputs) == 1 else None
    if declared != g["input_shape"]:
        problems.append(f"{name}: model.cnn input {declared}, golden input_shape {g['input_shape']}")
    for key, shape in (("inputs", g["input_shape"]), ("outputs", g["output_shape"])):
        rows = g[key]
        if len(rows) != SAMPLES:
            problems.append(f"{name}: {len(rows)} {key}, expected {SAMPLES}")
        size = int(np.prod(shape, dtype=np.int64))
        for i, row in enumerate(rows):
            if len(row) != size:
                problems.append(f"{name}: {key}[{i}] has {len(row)} values, shape {shape} needs {size}")
            if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in row):
                problems.append(f"{name}: {key}[{i}] holds a non-finite or non-number value")
            elif any(float(np.float32(v)) != v for v in row):
                problems.append(f"{name}: {key}[{i}] holds a value that is not a float32")
    if not (0 < g["atol"] < 1e-2 and 0 < g["rtol"] < 1e-2):
        problems.append(f"{name}: tolerances atol={g['atol']} rtol={g['rtol']}")
    return problems


def check_tree(root):
    problems = []
    cases_file = os.path.join(root, "cases.txt")
    listed = open(cases_file, encoding="utf-8").read().split() if os.path.exists(cases_file) else []
    dirs = sorted(e for e in os.listdir(root) if os.path.isdir(os.path.join(root, e)))
    if sorted(listed) != dirs:
        problems.append(f"cases.txt lists {sorted(set(listed) ^ set(dirs))} differently from the directories")
    if set(os.listdir(root)) - set(dirs) != {"cases.txt"}:
        problems.append(f"unexpected files in {root}: {sorted(set(os.listdir(root)) - set(dirs) - {'cases.txt'})}")
    for name in dirs:
        problems += check_case(os.path.join(root, name), name)
    return problems, dirs


def compare_with_generator(root):
    """Problems if a fresh run of generate.py differs from root in any byte."""
    sys.path.insert(0, HERE)
    import generate
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "fixtures")
        with contextlib.redirect_stdout(io.StringIO()):
            generate.main(["--out", out])
        cmp = filecmp.dircmp(root, out)
        return list(_differences(cmp, ""))


def _differences(cmp, prefix):
    for f in cmp.left_only + cmp.right_only + cmp.funny_files:
        yield f"regenerated tree differs: {prefix}{f} on one side only"
    _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
    for f in mismatch + errors:
        yield f"regenerated tree differs: {prefix}{f}"
    for sub, c in sorted(cmp.subdirs.items()):
        yield from _differences(c, f"{prefix}{sub}/")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", default=DEFAULT_DIR)
    parser.add_argument("--regenerate", action="store_true", help="also require generate.py to reproduce the tree")
    args = parser.parse_args(argv)
    problems, dirs = check_tree(args.dir)
    if args.regenerate:
        problems += compare_with_generator(args.dir)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(dirs)} fixtures checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    sys.exit(main())
