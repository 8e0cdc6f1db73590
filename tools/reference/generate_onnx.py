#!/usr/bin/python3
"""Writes the ONNX import fixtures to importer/src/test/resources/onnx/.

Run with Debian's Python (python3-torch, python3-onnx):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/reference/generate_onnx.py

Each case is a small PyTorch model exported with torch.onnx.export (a symbolic batch dimension,
opsets 11, 13 and 17), or, for what the exporter never writes (auto_pad, MatMul+Add, Dropout and
Identity nodes), a graph built with onnx.helper whose reference outputs are computed with PyTorch
functions. Each case directory holds model.onnx and golden.json (two inputs and the reference
outputs). The output directory is deleted and rewritten. See tools/reference/onnx_fixtures.md.
"""

import argparse
import json
import os
import shutil
import sys
import zlib

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

sys.dont_write_bytecode = True

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO, "importer", "src", "test", "resources", "onnx")
OPSETS = (11, 13, 17)


def seed_for(name):
    return zlib.crc32(name.encode("utf-8"))


def sample_inputs(rng, shape):
    """Inputs in [-1, 1) on a 1/128 grid: exact in float32 and short in JSON."""
    return (rng.randint(-128, 128, shape) / 128).astype(np.float32)


def randomize_batchnorm(model, rng):
    """Gives every batch norm non-trivial statistics and affine parameters."""
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            c = m.num_features
            m.running_mean.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, c).astype(np.float32)))
            m.running_var.copy_(torch.from_numpy(rng.uniform(0.5, 2.0, c).astype(np.float32)))
            m.weight.data.copy_(torch.from_numpy(rng.uniform(0.5, 1.5, c).astype(np.float32)))
            m.bias.data.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, c).astype(np.float32)))


# ---- PyTorch models -------------------------------------------------------------------------


class LeNet(nn.Module):
    """A narrow LeNet-5 chain; view(x.size(0), -1) makes the exporter write the Shape subgraph."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 5)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 8, 5)
        self.pool2 = nn.AvgPool2d(2)
        self.fc1 = nn.Linear(8 * 5 * 5, 24)
        self.fc2 = nn.Linear(24, 16)
        self.fc3 = nn.Linear(16, 10)

    def forward(self, x):
        x = self.pool1(F.relu(self.conv1(x)))
        x = self.pool2(torch.tanh(self.conv2(x)))
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        x = torch.sigmoid(self.fc2(x))
        return F.softmax(self.fc3(x), dim=1)


class Residual(nn.Module):
    """Conv-BN (fused by the exporter), a residual Add, a BatchNormalization after it, global pools."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.bn0 = nn.BatchNorm2d(8)
        self.conv = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.bn2 = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 5)
        self.bn3 = nn.BatchNorm1d(5)

    def forward(self, x):
        s = F.relu(self.bn0(self.stem(x)))
        h = self.bn1(self.conv(s))
        y = self.bn2(F.relu(s + h))
        y = F.adaptive_avg_pool2d(y, 1).flatten(1)
        return self.bn3(self.fc(y))


class Branches(nn.Module):
    """Concat of two branches, pools with padding, Pad, LeakyRelu, Elu, global max pool."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(2, 4, 1)
        self.b = nn.Conv2d(2, 6, 3, padding=1, stride=1)
        self.c = nn.Conv2d(10, 6, 3, stride=2)
        self.fc = nn.Linear(6, 4)

    def forward(self, x):
        y = torch.cat([F.leaky_relu(self.a(x), 0.2), F.elu(self.b(x))], dim=1)
        y = F.max_pool2d(y, 3, stride=2, padding=1)
        y = F.avg_pool2d(y, 3, stride=1, padding=1, count_include_pad=False)
        y = F.pad(y, (1, 0, 2, 1))
        y = F.relu(self.c(y))
        y = F.adaptive_max_pool2d(y, 1)
        return self.fc(torch.flatten(y, 1))


class Grouped(nn.Module):
    """Grouped, depthwise (dilated, strided) and pointwise convolutions, then an upsampler."""

    def __init__(self):
        super().__init__()
        self.g = nn.Conv2d(4, 8, 3, padding=1, groups=2)
        self.dw = nn.Conv2d(8, 8, 3, stride=2, padding=2, dilation=2, groups=8)
        self.pw = nn.Conv2d(8, 12, 1)
        self.up = nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1)

    def forward(self, x):
        y = F.relu(self.g(x))
        y = F.relu(self.dw(y))
        y = self.pw(y)
        y = F.pixel_shuffle(y, 2)
        return torch.sigmoid(self.up(y))


class KerasMnistCnn(nn.Module):
    """The Keras MNIST CNN's layers (conv-pool, conv-pool, conv, dense, dense softmax) with a quarter of its
    channels (8/16/16 and dense 32, not 32/64/64 and 64: 8,538 parameters, not 93,322) to keep the fixture
    small (34 KB, not 375 KB); the operators and the shapes' arithmetic are the same."""

    def __init__(self):
        super().__init__()
        self.conv2d_1 = nn.Conv2d(1, 8, 3)
        self.conv2d_2 = nn.Conv2d(8, 16, 3)
        self.conv2d_3 = nn.Conv2d(16, 16, 3)
        self.dense_1 = nn.Linear(144, 32)
        self.dense_2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv2d_1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2d_2(x)), 2)
        x = F.relu(self.conv2d_3(x))
        x = torch.flatten(x, 1)
        x = F.relu(self.dense_1(x))
        return F.softmax(self.dense_2(x), dim=1)


class Pools(nn.Module):
    """AvgPool counting padding (exported as Pad + AveragePool), ceil_mode that changes nothing,
    and a per-pixel softmax over channels (Softmax axis 1 on a map from opset 13; before it the
    exporter writes Transpose, Softmax on the last axis, Transpose back)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 5, 3, padding=1)
        self.avg = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=True)
        self.max = nn.MaxPool2d(2, ceil_mode=True)

    def forward(self, x):
        y = self.max(self.avg(torch.tanh(self.conv(x))))
        return F.softmax(y, dim=1)


class Heads(nn.Module):
    """Classifier heads written without Flatten: x.mean([2, 3]) (ReduceMean) and
    adaptive_avg_pool2d(x, 1).squeeze(-1).squeeze(-1) (GlobalAveragePool + Squeeze)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 6, 3)
        self.a = nn.Linear(6, 3)
        self.b = nn.Linear(6, 3)

    def forward(self, x):
        y = F.relu(self.conv(x))
        return self.a(y.mean([2, 3])) + self.b(F.adaptive_avg_pool2d(y, 1).squeeze(-1).squeeze(-1))


class FashionCnn(nn.Module):
    """The course's 10-layer Fashion-MNIST CNN with its channels divided by 8 (same layers,
    Keras's padding="same" written as its stride-1 symmetric padding, which torch 1.13 exports;
    dropout), to keep the fixture small."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(1, 8, 7, padding=3), nn.Conv2d(8, 16, 3, padding=1),
                                    nn.Conv2d(16, 16, 3, padding=1), nn.Conv2d(16, 32, 3, padding=1),
                                    nn.Conv2d(32, 32, 3, padding=1)])
        self.dense = nn.Sequential(nn.Flatten(), nn.Linear(32 * 3 * 3, 16), nn.ReLU(), nn.Dropout(0.5),
                                   nn.Linear(16, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 10), nn.Softmax(dim=1))

    def forward(self, x):
        c = self.convs
        x = F.max_pool2d(F.relu(c[0](x)), 2)
        x = F.max_pool2d(F.relu(c[2](F.relu(c[1](x)))), 2)
        x = F.max_pool2d(F.relu(c[4](F.relu(c[3](x)))), 2)
        return self.dense(x)


class AlexNetShaped(nn.Module):
    """AlexNet's shape, small and on one channel: an 11x11 stride-4 convolution, overlapping 3/2 max pools, a 5x5 and
    three 3x3 convolutions, dropout between dense layers."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 11, stride=4, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(8, 12, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(12, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2))
        self.classifier = nn.Sequential(nn.Dropout(), nn.Linear(12, 32), nn.ReLU(), nn.Dropout(), nn.Linear(32, 10))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


# name, model class, input shape (no batch), opsets
TORCH_CASES = [
    ("lenet", LeNet, [1, 32, 32], OPSETS),
    ("residual", Residual, [3, 8, 8], OPSETS),
    ("branches", Branches, [2, 9, 9], OPSETS),
    ("grouped", Grouped, [4, 10, 10], OPSETS),
    ("mnist_cnn", KerasMnistCnn, [1, 28, 28], (13,)),
    ("pools", Pools, [3, 8, 8], OPSETS),
    ("heads", Heads, [2, 6, 6], OPSETS),
    ("fashion_cnn", FashionCnn, [1, 28, 28], (13,)),
    ("alexnet_shaped", AlexNetShaped, [1, 63, 63], (17,)),
]


def torch_case(out, name, cls, shape, opset, dynamic=True):
    case = f"{name}_op{opset}" if dynamic else f"{name}_fixed_op{opset}"
    torch.manual_seed(seed_for(name))
    rng = np.random.RandomState(seed_for(name))
    model = cls()
    randomize_batchnorm(model, rng)
    model.eval()
    inputs = sample_inputs(rng, [2] + shape)
    with torch.no_grad():
        outputs = model(torch.from_numpy(inputs)).numpy()
    path = os.path.join(out, case, "model.onnx")
    os.makedirs(os.path.dirname(path))
    torch.onnx.export(model, torch.from_numpy(inputs[:1]), path, opset_version=opset,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}} if dynamic else None)
    onnx.checker.check_model(onnx.load(path))
    write_golden(out, case, shape, inputs, outputs)


# ---- onnx.helper graphs (what torch never writes) --------------------------------------------


def tensor(rng, name, shape):
    return numpy_helper.from_array(rng.uniform(-0.5, 0.5, shape).astype(np.float32), name)


def same_pads(size, k, s, upper):
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    small = total // 2
    assert total % 2 == 1, "the case should have an odd total padding"
    return (small, total - small) if upper else (total - small, small)


def tf_same_case(out, opset):
    """Conv with auto_pad SAME_UPPER then SAME_LOWER, stride 2 (TensorFlow's exports), VALID;
    MaxPool with SAME_UPPER; AveragePool with bottom/right pads not counted (ONNX's default
    count_include_pad=0); then Flatten, MatMul + Add, Dropout, Identity and Softmax on the last axis."""
    case = f"tf_same_op{opset}"
    rng = np.random.RandomState(seed_for("tf_same"))
    w1, b1 = tensor(rng, "w1", [4, 2, 3, 3]), tensor(rng, "b1", [4])
    w2, b2 = tensor(rng, "w2", [6, 4, 4, 4]), tensor(rng, "b2", [6])
    w3 = tensor(rng, "w3", [6, 6, 1, 1])
    wm, bm = tensor(rng, "wm", [6 * 3 * 3, 5]), tensor(rng, "bm", [5])
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv_same_upper",
                         auto_pad="SAME_UPPER", strides=[2, 2]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="maxpool_same", auto_pad="SAME_UPPER",
                         kernel_shape=[2, 2], strides=[1, 1]),
        helper.make_node("AveragePool", ["p1"], ["p2"], name="avgpool_exclude_pad", kernel_shape=[2, 2],
                         pads=[0, 0, 1, 1]),
        helper.make_node("Conv", ["p2", "w2", "b2"], ["c2"], name="conv_same_lower",
                         auto_pad="SAME_LOWER", strides=[2, 2], kernel_shape=[4, 4]),
        helper.make_node("Conv", ["c2", "w3"], ["c3"], name="conv_valid", auto_pad="VALID"),
        helper.make_node("Flatten", ["c3"], ["f"], name="flatten", axis=1),
        helper.make_node("MatMul", ["f", "wm"], ["m"], name="matmul"),
        helper.make_node("Add", ["m", "bm"], ["a"], name="add_bias"),
        helper.make_node("Dropout", ["a"], ["d"], name="dropout"),
        helper.make_node("Identity", ["d"], ["i"], name="identity"),
        helper.make_node("Softmax", ["i"], ["y"], name="softmax", axis=-1),
    ]
    graph = helper.make_graph(nodes, "tf_same",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2, 10, 10])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 5])],
                              [w1, b1, w2, b2, w3, wm, bm])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    onnx.checker.check_model(model)
    inputs = sample_inputs(rng, [2, 2, 10, 10])

    def t(init):
        return torch.from_numpy(numpy_helper.to_array(init).copy())

    x = torch.from_numpy(inputs)
    # odd total padding in both convs, so SAME_UPPER and SAME_LOWER differ
    t1, b1_ = same_pads(10, 3, 2, True)
    x = F.relu(F.conv2d(F.pad(x, (t1, b1_, t1, b1_)), t(w1), t(b1), stride=2))   # 10 -> 5, pads 0 + 1
    x = F.max_pool2d(F.pad(x, (0, 1, 0, 1), value=float("-inf")), 2, stride=1)   # SAME_UPPER: 5 -> 5
    ones = torch.ones_like(x)                                                     # count_include_pad=0
    x = (F.avg_pool2d(F.pad(x, (0, 1, 0, 1)), 2, stride=1, divisor_override=1)
         / F.avg_pool2d(F.pad(ones, (0, 1, 0, 1)), 2, stride=1, divisor_override=1))
    t2, b2_ = same_pads(5, 4, 2, False)
    x = F.conv2d(F.pad(x, (t2, b2_, t2, b2_)), t(w2), t(b2), stride=2)             # 5 -> 3, pads 2 + 1
    x = F.conv2d(x, t(w3))
    x = x.flatten(1) @ t(wm) + t(bm)
    outputs = F.softmax(x, dim=-1).numpy()
    path = os.path.join(out, case, "model.onnx")
    os.makedirs(os.path.dirname(path))
    onnx.save(model, path)
    write_golden(out, case, [2, 10, 10], inputs, outputs)


# The initializers also listed as graph inputs (IR 3's form; they stay constants for Striate). Not the FLOAT16
# weight: ONNX Runtime 1.29 crashes (SIGSEGV in createSession) when a Cast reads an initializer listed as input.
LISTED = ("b1", "cg", "wo", "bo")


def helper_new_case(out, opset):
    """Forms of opset 18+ that torch 1.13 never writes and Striate's exporter does not produce: Pad with an
    `axes` input (from Constant nodes), a FLOAT16 initializer Cast to FLOAT (the form of fp16 models), ReduceMax
    and ReduceMean with `axes` as an input (one from a Constant node, negative axes from an initializer),
    keepdims 0 and 1, Gemm with alpha/beta and B from a Constant node (transB 0), Identity, Gemm with transB 1,
    Softmax on the last axis; the float initializers also listed as graph inputs (IR version 3's form)."""
    case = f"helper_op{opset}"
    rng = np.random.RandomState(seed_for("helper_new"))
    w1 = numpy_helper.from_array(rng.uniform(-0.5, 0.5, [4, 3, 3, 3]).astype(np.float16), "w1_f16")
    b1 = tensor(rng, "b1", [4])
    axes_mean = numpy_helper.from_array(np.array([-1, -2], dtype=np.int64), "axes_mean")
    wg = rng.uniform(-0.5, 0.5, [4, 6]).astype(np.float32)
    cg = tensor(rng, "cg", [6])
    wo, bo = tensor(rng, "wo", [3, 6]), tensor(rng, "bo", [3])
    ints = lambda name, v: helper.make_node(  # noqa: E731
        "Constant", [], [name], name=name + "_const",
        value=numpy_helper.from_array(np.array(v, dtype=np.int64), name + "_value"))
    nodes = [
        ints("pads", [1, 2, 2, 1]),
        ints("pad_axes", [2, 3]),
        helper.make_node("Pad", ["x", "pads", "", "pad_axes"], ["p"], name="pad_hw", mode="constant"),
        helper.make_node("Cast", ["w1_f16"], ["w1"], name="w1_to_float", to=TensorProto.FLOAT),
        helper.make_node("Conv", ["p", "w1", "b1"], ["c"], name="conv", strides=[2, 2], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        ints("max_axes", [2, 3]),
        helper.make_node("ReduceMax", ["r", "max_axes"], ["mx"], name="reduce_max", keepdims=0),
        helper.make_node("ReduceMean", ["r", "axes_mean"], ["mn"], name="reduce_mean", keepdims=1),
        helper.make_node("Flatten", ["mn"], ["mf"], name="flatten"),
        helper.make_node("Add", ["mx", "mf"], ["s"], name="add"),
        helper.make_node("Constant", [], ["wg"], name="wg_const", value=numpy_helper.from_array(wg, "wg_value")),
        helper.make_node("Gemm", ["s", "wg", "cg"], ["g"], name="gemm_alpha_beta", alpha=0.5, beta=2.0),
        helper.make_node("Identity", ["g"], ["gi"], name="identity"),
        helper.make_node("Gemm", ["gi", "wo", "bo"], ["o"], name="gemm_trans_b", transB=1),
        helper.make_node("Softmax", ["o"], ["y"], name="softmax", axis=-1),
    ]
    inits = [w1, b1, axes_mean, cg, wo, bo]
    listed = [i for i in inits if i.name in LISTED]
    graph_inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 8, 8])] + [
        helper.make_tensor_value_info(i.name, i.data_type, list(i.dims)) for i in listed]
    graph = helper.make_graph(nodes, "helper_new", graph_inputs,
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8 if opset == 18 else 10  # the IR versions that opsets 18 and 21 came with
    inputs = sample_inputs(rng, [2, 3, 8, 8])

    def t(init):
        return torch.from_numpy(numpy_helper.to_array(init).astype(np.float32).copy())

    x = F.pad(torch.from_numpy(inputs), (2, 1, 1, 2))                      # left 2, right 1, top 1, bottom 2
    x = F.relu(F.conv2d(x, t(w1), t(b1), stride=2))                        # 11 -> 5
    x = x.amax(dim=(2, 3)) + x.mean(dim=(2, 3))
    x = 0.5 * (x @ torch.from_numpy(wg)) + 2.0 * t(cg)
    x = x @ t(wo).T + t(bo)
    outputs = F.softmax(x, dim=-1).numpy()
    path = os.path.join(out, case, "model.onnx")
    os.makedirs(os.path.dirname(path))
    onnx.save(model, path)
    write_golden(out, case, [3, 8, 8], inputs, outputs)


def write_golden(out, case, shape, inputs, outputs):
    golden = {
        "case": case,
        "input_shape": shape,
        "output_shape": list(outputs.shape[1:]),
        "inputs": [[float(v) for v in s.reshape(-1)] for s in inputs],
        "outputs": [[float(v) for v in s.reshape(-1)] for s in outputs],
        "atol": 1e-5,
        "rtol": 1e-4,
    }
    with open(os.path.join(out, case, "golden.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(golden, f)
        f.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="fixture directory (deleted and rewritten)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    names = []
    for name, cls, shape, opsets in TORCH_CASES:
        for opset in opsets:
            torch_case(args.out, name, cls, shape, opset)
            names.append(f"{name}_op{opset}")
    # a batch fixed to 1 (no dynamic_axes): the exporter folds the flatten's shape to [1, -1]
    torch_case(args.out, "lenet", LeNet, [1, 32, 32], 13, dynamic=False)
    names.append("lenet_fixed_op13")
    for opset in (11, 13):
        tf_same_case(args.out, opset)
        names.append(f"tf_same_op{opset}")
    for opset in (18, 21):  # onnx 1.12's checker stops at opset 17: these are checked by the import tests
        helper_new_case(args.out, opset)
        names.append(f"helper_op{opset}")
    with open(os.path.join(args.out, "cases.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(n + "\n" for n in names))
    for n in names:
        size = os.path.getsize(os.path.join(args.out, n, "model.onnx"))
        print(f"{n:24s} {size:8d} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
