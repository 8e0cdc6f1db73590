#!/usr/bin/python3
"""Prepares the inference benchmark's data (tools/bench/inference.sh) in the benchmark cache,
${XDG_CACHE_HOME:-~/.cache}/striate/bench/<case>/ (outside the repository; never commit it):

    model.weights.json, model.weights.bin   benchmark models only: seeded random weights in our
                                            format (fixtures keep theirs in the repository)
    input.bin    BATCH images, float32 little-endian, uniform [0, 1), RandomState(INPUT_SEED)
    output.bin   PyTorch's outputs for them (eval mode, one thread), float32 little-endian
    b1.onnx      ONNX export at batch 1 (opset 13, eval mode), checked with onnx.checker
    b64.onnx     the same at batch BATCH
    meta.json    shapes, batch, versions and a stamp of everything the files depend on

Every network is rebuilt from its striate_ref description with the weights read back from the
manifest and blob; fixtures are checked against their golden.json, benchmark models' committed
.cnn against their description. A case whose stamp is unchanged is skipped (--force redoes it).
The Java harness checks Striate's and ONNX Runtime's outputs against output.bin before timing.

    /usr/bin/python3 tools/bench/export_onnx.py [--force] [case...]
"""
import argparse
import hashlib
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import onnx  # noqa: E402
import torch  # noqa: E402

import bench_models  # noqa: E402

TOLERANCE = 1e-4    # the harness's check (BenchData.TOLERANCE): |got - y| <= TOLERANCE * (|y| + max |y|)


def stamp(case):
    """Hash of what the case's files are made from: these scripts, the model's source, the
    fixture weights, the batch, the seed and the PyTorch version."""
    h = hashlib.sha256()
    paths = [os.path.abspath(__file__), bench_models.__file__, bench_models.cnn_path(case)]
    if case in bench_models.FIXTURE_MODELS:
        paths.append(os.path.join(bench_models.weights_dir(case), "model.weights.bin"))
    for p in paths:
        with open(p, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    h.update(f"{bench_models.BATCH} {bench_models.INPUT_SEED} {torch.__version__}".encode())
    return h.hexdigest()


def check_discriminative(case, y):
    """The Java harness accepts an output within TOLERANCE * (|y| + max |y|) of PyTorch's (max
    over the image's outputs). That check only means something if the outputs vary by much more:
    across one image's outputs and between images (a wrong implementation returning a constant,
    or another image's result, must fail). Refuses outputs that vary by less than 5 x the largest
    tolerance of their scale; returns both variations relative to the scale."""
    flat = y.reshape(y.shape[0], -1)
    scale = abs(flat).max(axis=1)
    within = float(((flat.max(axis=1) - flat.min(axis=1)) / scale).min())
    between = float((abs(flat[1:] - flat[:1]).max(axis=1) / scale[1:]).min())
    if min(within, between) < 5 * 2 * TOLERANCE:
        raise SystemExit(f"{case}: outputs vary too little for the {TOLERANCE} check to mean anything "
                         f"(within an image {within:.3g}, between images {between:.3g})")
    return within, between


def export(net, x, path):
    with torch.no_grad():
        torch.onnx.export(net, x, path, input_names=["input"], output_names=["output"],
                          opset_version=13, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def prepare(case, force):
    d = bench_models.cache_dir(case)
    meta_path = os.path.join(d, "meta.json")
    s = stamp(case)
    if not force and os.path.isfile(meta_path):
        with open(meta_path, encoding="utf-8") as f:
            if json.load(f).get("stamp") == s:
                print(f"{case}: up to date in {d}")
                return
    bench_models.check_source(case)
    os.makedirs(d, exist_ok=True)
    if case in bench_models.BENCH_MODELS:
        bench_models.write_random_weights(case)
    net = bench_models.build(case)
    golden_err = bench_models.check_golden(case, net)
    x = bench_models.bench_input(case)
    with torch.no_grad():
        y = net(torch.from_numpy(x)).numpy()
    within, between = check_discriminative(case, y)
    x.astype("<f4").tofile(os.path.join(d, "input.bin"))
    y.astype("<f4").tofile(os.path.join(d, "output.bin"))
    export(net, torch.from_numpy(x[:1]), os.path.join(d, "b1.onnx"))
    export(net, torch.from_numpy(x), os.path.join(d, f"b{bench_models.BATCH}.onnx"))
    meta = {"case": case, "batch": bench_models.BATCH, "input_shape": bench_models.input_shape(case),
            "output_shape": list(y.shape[1:]), "input_seed": bench_models.INPUT_SEED,
            "torch": torch.__version__, "onnx_opset": 13, "stamp": s}
    with open(meta_path, "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    golden = "no golden file" if golden_err is None else f"golden.json max error {golden_err:.3g}"
    print(f"{case}: written to {d} ({golden}; outputs vary by >= {within:.3g} within an image, "
          f">= {between:.3g} between images, relative to their largest)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rewrite even if the stamp is unchanged")
    parser.add_argument("cases", nargs="*", default=list(bench_models.MODELS))
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    for case in args.cases:
        prepare(case, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
