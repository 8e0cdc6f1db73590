#!/usr/bin/env python3
"""Writes PyTorch state_dicts as safetensors fixtures, with .cnn models and PyTorch golden outputs.

The safetensors package is not installed here (no Debian package), so the file format is written
with plain struct and json, as the format's specification and the reference implementation
(huggingface/safetensors, safetensors/src/tensor.rs) lay it out: an unsigned 64-bit little-endian
header length N, N bytes of JSON header ({name: {"dtype", "shape", "data_offsets": [begin, end]}},
plus "__metadata__": {"format": "pt"} as safetensors.torch.save_file writes it), padded with spaces
to a multiple of 8, then each tensor's bytes, little-endian, contiguous, in the order the reference
implementation writes them (by dtype alignment, largest first, then by name).

For F16 and BF16 files the golden outputs come from the same PyTorch model with its weights
rounded to that type and back to float32 (what Striate reads, exactly), run in float32.
Fixtures go to importer/src/test/resources/safetensors/<case>/: model.cnn, weights.safetensors,
maps.txt (the --map arguments, one a line, possibly none) and golden.json.
"""

import argparse
import json
import os
import shutil
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

sys.dont_write_bytecode = True
import generate_onnx  # noqa: E402  (the same seeds and batch-norm statistics as the ONNX fixtures)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO, "importer", "src", "test", "resources", "safetensors")

# dtype name -> (torch type, width); the order of the reference implementation's Dtype enum
# decides the layout order (larger alignment first), which the widths reproduce here.
DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2), "I64": (torch.int64, 8)}


def tensor_bytes(t, dtype):
    t = t.detach().contiguous().to(DTYPES[dtype][0])
    if dtype == "BF16":
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    if dtype == "I64":
        return t.numpy().astype("<i8").tobytes()
    if dtype == "F16":
        return t.numpy().astype("<f2").tobytes()
    return t.numpy().astype("<f4").tobytes()


def write_safetensors(path, state, float_dtype):
    """state: name -> tensor; float tensors are written as float_dtype, integer ones as I64."""
    items = []
    for name, t in state.items():
        dtype = float_dtype if t.is_floating_point() else "I64"
        items.append((name, dtype, list(t.shape), tensor_bytes(t, dtype)))
    items.sort(key=lambda it: (-DTYPES[it[1]][1], it[0]))
    header = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, dtype, shape, data in items:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, _, _, data in items:
            f.write(data)


class LeNet(nn.Module):
    """LeNet-5 as nn.Sequential: PyTorch names features.0, classifier.4..., the .cnn default names."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                                        nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


LENET_CNN = """model LeNet {
    input image: [1, 32, 32]
    conv2d(6, kernel=5) -> relu -> maxpool(2)
    conv2d(16, kernel=5) -> relu -> maxpool(2)
    flatten
    dense(120) -> relu
    dense(84) -> relu
    dense(10)
}
"""


class BnNet(nn.Module):
    """Two batch norms of 8 channels (alike: they need --map), a bias-free conv, a batch norm on a vector."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(8 * 5 * 5, 12)
        self.bn3 = nn.BatchNorm1d(12)
        self.head = nn.Linear(12, 4)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = self.pool(torch.relu(self.bn2(self.conv2(x))))
        x = torch.relu(self.bn3(self.fc(torch.flatten(x, 1))))
        return self.head(x)


BN_CNN = """model BnNet {
    input x: [2, 10, 10]
    conv2d(8, kernel=3, padding=1, name="conv1") -> batchnorm(name="norm_a") -> relu
    conv2d(8, kernel=3, padding=1, bias=false, name="conv2") -> batchnorm(name="norm_b") -> relu
    maxpool(2)
    flatten
    dense(12, name="fc") -> batchnorm(name="bn3") -> relu
    dense(4, name="head")
}
"""

# case, model class, .cnn, input shape, float dtype, --map arguments
CASES = [
    ("lenet_f32", LeNet, LENET_CNN, [1, 32, 32], "F32", []),
    ("lenet_f16", LeNet, LENET_CNN, [1, 32, 32], "F16", []),
    ("lenet_bf16", LeNet, LENET_CNN, [1, 32, 32], "BF16", []),
    ("bn_f32", BnNet, BN_CNN, [2, 10, 10], "F32", ["bn1=norm_a", "bn2=norm_b"]),
    ("bn_bf16", BnNet, BN_CNN, [2, 10, 10], "BF16", ["bn1=norm_a", "bn2=norm_b"]),
]


def randomize_batchnorm(model, rng):
    """generate_onnx's statistics and affine parameters, and a batch counter (which the import ignores)."""
    generate_onnx.randomize_batchnorm(model, rng)
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.num_batches_tracked.fill_(int(rng.randint(1, 1000)))


def make_case(out, case, cls, cnn, shape, dtype, maps):
    name = case.split("_")[0]
    torch.manual_seed(generate_onnx.seed_for(name))
    rng = np.random.RandomState(generate_onnx.seed_for(name))
    model = cls()
    with torch.no_grad():
        randomize_batchnorm(model, rng)
        if dtype != "F32":
            # what Striate reads: the weights rounded to dtype, exactly widened back to float32
            for t in model.state_dict().values():
                if t.is_floating_point():
                    t.copy_(t.to(DTYPES[dtype][0]).to(torch.float32))
    model.eval()
    d = os.path.join(out, case)
    os.makedirs(d)
    write_safetensors(os.path.join(d, "weights.safetensors"), model.state_dict(), dtype)
    with open(os.path.join(d, "model.cnn"), "w", encoding="utf-8", newline="\n") as f:
        f.write(f"// Fixture {case}: written by tools/reference/generate_safetensors.py, do not edit.\n" + cnn)
    with open(os.path.join(d, "maps.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(m + "\n" for m in maps))
    inputs = generate_onnx.sample_inputs(rng, [2] + shape)
    with torch.no_grad():
        outputs = model(torch.from_numpy(inputs)).numpy()
    generate_onnx.write_golden(out, case, shape, inputs, outputs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="fixture directory (deleted and rewritten)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    for case in CASES:
        make_case(args.out, *case)
    with open(os.path.join(args.out, "cases.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(c[0] + "\n" for c in CASES))
    for c in CASES:
        size = os.path.getsize(os.path.join(args.out, c[0], "weights.safetensors"))
        print(f"{c[0]:12s} {size:8d} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
