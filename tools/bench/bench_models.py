"""The inference benchmark's models in PyTorch, shared by export_onnx.py and torch_worker.py.

Two kinds:
- the fixtures lenet5, mnist_cnn and tiny_resnet: rebuilt from their reference descriptions in
  tools/reference/striate_ref, weights read back from the fixture's own files
  (compiler/src/test/resources/fixtures/<case>/model.weights.json + .bin) and checked against
  its golden.json;
- the benchmark models fashion_cnn, go_net and dw_block: written in the Striate language in
  benchmarks/src/main/resources/dev/striate/bench/<case>.cnn, described here once more with
  striate_ref (the committed .cnn must equal the description's text, comments aside, so the two
  cannot drift), with seeded random weights that export_onnx.py writes in our manifest format to
  the benchmark cache (never committed).

The weights are always read back from the manifest and blob (docs/weights.md: offsets into the
float32 blob), so every side of the benchmark runs the same numbers.
"""

import json
import os
import sys
import zlib

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(REPO, "compiler", "src", "test", "resources", "fixtures")
RESOURCES = os.path.join(REPO, "benchmarks", "src", "main", "resources", "dev", "striate", "bench")
sys.path.insert(0, os.path.join(REPO, "tools", "reference"))
sys.dont_write_bytecode = True

from striate_ref import cases_models, fixture  # noqa: E402
from striate_ref.layers import L  # noqa: E402
from striate_ref.model import Model  # noqa: E402

FIXTURE_MODELS = ("lenet5", "mnist_cnn", "tiny_resnet")
BENCH_MODELS = ("fashion_cnn", "go_net", "dw_block")
MODELS = FIXTURE_MODELS + BENCH_MODELS
BATCH = 64          # images in the batch-throughput input (and in input.bin / output.bin)
INPUT_SEED = 42     # numpy RandomState seed of the benchmark input, uniform [0, 1)


def fashion_cnn():
    """The 10-layer Fashion-MNIST CNN of the course: 1,413,834 parameters."""
    m = Model("FashionCnn", "").input("image", [1, 28, 28])
    m.stack(L("conv2d", 64, kernel=7, padding="same", activation="relu"),
            L("maxpool", 2),
            L("conv2d", 128, kernel=3, padding="same", activation="relu"),
            L("conv2d", 128, kernel=3, padding="same", activation="relu"),
            L("maxpool", 2),
            L("conv2d", 256, kernel=3, padding="same", activation="relu"),
            L("conv2d", 256, kernel=3, padding="same", activation="relu"),
            L("maxpool", 2),
            L("flatten"),
            L("dense", 128, activation="relu"),
            L("dropout", 0.5),
            L("dense", 64, activation="relu"),
            L("dropout", 0.5),
            L("dense", 10, activation="softmax"))
    return m


def go_net():
    """A 12-layer 19x19 Go-board policy net, 192 channels. The language has no untied
    (per-position) bias, so the head is a 1x1 convolution to one plane (one shared bias),
    flatten and softmax over the 361 points."""
    m = Model("GoNet", "").input("board", [48, 19, 19])
    m.stack(L("conv2d", 192, kernel=5, padding="same", activation="relu"))
    for _ in range(10):
        m.stack(L("conv2d", 192, kernel=3, padding="same", activation="relu"))
    m.stack(L("conv2d", 1, kernel=1), L("flatten"), L("softmax"))
    return m


def dw_block():
    """A MobileNet depthwise-separable block at 56x56 with 32 channels."""
    m = Model("DwBlock", "").input("x", [32, 56, 56])
    m.stack(L("depthwise_conv2d", kernel=3, padding="same"),
            L("batchnorm"),
            L("relu"),
            L("conv2d", 64, kernel=1),
            L("batchnorm"),
            L("relu"))
    return m


def description(case):
    """The striate_ref Model of a case."""
    if case in FIXTURE_MODELS:
        return getattr(cases_models, case)().model
    if case in BENCH_MODELS:
        return globals()[case]()
    raise SystemExit(f"unknown model {case}; known: {', '.join(MODELS)}")


def cnn_path(case):
    """The committed .cnn source the Java side compiles."""
    if case in FIXTURE_MODELS:
        return os.path.join(FIXTURES, case, "model.cnn")
    return os.path.join(RESOURCES, case + ".cnn")


def check_source(case):
    """Refuses a committed .cnn whose statements differ from the description's (comments and
    blank lines aside)."""
    def body(text):
        return [line.rstrip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("//")]
    with open(cnn_path(case), encoding="utf-8") as f:
        committed = body(f.read())
    want = body(description(case).text())
    if committed != want:
        raise SystemExit(f"{cnn_path(case)} differs from bench_models.{case}():\n" + "\n".join(want))


def cache_root():
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "striate", "bench")


def cache_dir(case):
    return os.path.join(cache_root(), case)


def weights_dir(case):
    """Where the case's model.weights.json/.bin are: the fixture, or the benchmark cache."""
    return os.path.join(FIXTURES, case) if case in FIXTURE_MODELS else cache_dir(case)


def write_random_weights(case):
    """Draws the benchmark model's weights and writes them in our format to the cache: the
    fixtures' seeded draw (striate_ref.fixture.random_weights, seeded by the case name), then
    convolution and dense weights scaled to He uniform (+-sqrt(6 / fan_in)) and biases to
    +-0.1, so that the signal neither dies nor explodes through the Go net's twelve ReLU layers
    and the outputs differ clearly between images (export_onnx.py checks that they do)."""
    program = description(case).build()
    fixture.random_weights(program, np.random.RandomState(zlib.crc32(case.encode("utf-8"))))
    with torch.no_grad():
        for m in program.modules.values():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                m.weight.mul_(2 ** 0.5)
                if m.bias is not None:
                    m.bias.mul_(0.2)
    d = cache_dir(case)
    os.makedirs(d, exist_ok=True)
    return fixture.write_model_files(d, case, description(case), program, script="../bench/export_onnx.py")


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
    """Copies every tensor of case_dir's model.weights.json/.bin into the program."""
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
    """The case's network in eval mode with its weights read from weights_dir(case)."""
    program = description(case).build()
    with torch.no_grad():
        load_weights(program, weights_dir(case))
    return Net(program).eval()


def input_shape(case):
    return list(description(case).input_shape)


def check_golden(case, net):
    """For a fixture: largest |error| against golden.json's outputs; raises if beyond
    atol + rtol*|y|. Benchmark models have no golden file: returns None."""
    if case not in FIXTURE_MODELS:
        return None
    with open(os.path.join(FIXTURES, case, "golden.json"), encoding="utf-8") as f:
        golden = json.load(f)
    shape = [len(golden["inputs"])] + golden["input_shape"]
    x = torch.tensor(golden["inputs"], dtype=torch.float32).reshape(shape)
    want = torch.tensor(golden["outputs"], dtype=torch.float32)
    with torch.no_grad():
        got = net(x).reshape(want.shape)
    err = (got - want).abs()
    if not bool((err <= golden["atol"] + golden["rtol"] * want.abs()).all()):
        raise SystemExit(f"{case}: PyTorch output differs from golden.json (max {err.max().item():.3g})")
    return err.max().item()


def bench_input(case):
    """The benchmark input: BATCH images, uniform [0, 1), numpy RandomState(INPUT_SEED)."""
    shape = [BATCH] + input_shape(case)
    return np.random.RandomState(INPUT_SEED).uniform(0.0, 1.0, shape).astype(np.float32)


def read_floats(path, shape):
    """A little-endian float32 file as an array of the given shape."""
    return np.fromfile(path, dtype="<f4").reshape(shape)
