#!/usr/bin/python3
"""Exports the benchmarked fixtures (lenet5, mnist_cnn, tiny_resnet) to ONNX for the ONNX Runtime
side of the inference benchmark (benchmarks/.../VersusOrt.java, tools/bench/inference.sh).

Each model is rebuilt in PyTorch from tools/reference/striate_ref, loaded with the fixture's own
weights (model.weights.json + .bin), checked against the fixture's golden.json, and exported at
batch 1 in eval mode to ${XDG_CACHE_HOME:-~/.cache}/striate/onnx/<case>.onnx (outside the repo;
never commit .onnx files). Also checks the ONNX file with onnx.checker.

    /usr/bin/python3 tools/bench/export_onnx.py [--out DIR] [case...]
"""
import argparse
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import onnx  # noqa: E402
import torch  # noqa: E402

import bench_models  # noqa: E402


def default_out():
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "striate", "onnx")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=default_out(), help="directory for <case>.onnx")
    parser.add_argument("cases", nargs="*", default=list(bench_models.MODELS))
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    for case in args.cases:
        net, golden = bench_models.build(case)
        err = bench_models.check_golden(net, golden)
        x = torch.zeros([1] + golden["input_shape"])
        path = os.path.join(args.out, case + ".onnx")
        with torch.no_grad():
            torch.onnx.export(net, x, path, input_names=["input"], output_names=["output"],
                              opset_version=13, do_constant_folding=True)
        onnx.checker.check_model(onnx.load(path))
        print(f"exported {case}: golden max error {err:.3g}, {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
