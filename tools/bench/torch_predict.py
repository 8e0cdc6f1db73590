#!/usr/bin/python3
"""Batch-1 eval latency of the benchmarked fixtures in PyTorch: the PyTorch column of
tools/bench/inference.sh. Same models and weights as export_onnx.py (rebuilt from
tools/reference/striate_ref, fixture weights, checked against golden.json), same input as the
Java harness (java.util.Random(42) floats). One thread, torch.no_grad(), warm-up, then ROUNDS
rounds of ~ROUND_MS each; prints one machine-readable line per model:

    RESULT impl=torch model=<case> median_us=<median of the per-round µs per prediction> rounds=<n>

Run as the project's rule says:
    OPENBLAS_NUM_THREADS=1 GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824 \
        /usr/bin/python3 tools/bench/torch_predict.py [--rounds N] [--round-ms MS] [case...]
"""
import argparse
import os
import statistics
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import bench_models  # noqa: E402


def per_op_us(net, x, round_s):
    """Microseconds per prediction over one round of about round_s seconds."""
    ops = 0
    start = time.perf_counter()
    while True:
        net(x)
        ops += 1
        now = time.perf_counter()
        if now - start >= round_s:
            return (now - start) * 1e6 / ops


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5, help="warm-up rounds, not counted")
    parser.add_argument("--round-ms", type=float, default=100.0)
    parser.add_argument("cases", nargs="*", default=list(bench_models.MODELS))
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    for var in ("OPENBLAS_NUM_THREADS", "GLIBC_TUNABLES"):
        if var not in os.environ:
            print(f"warning: {var} is not set (see the docstring)", file=sys.stderr)
    for case in args.cases:
        net, golden = bench_models.build(case)
        bench_models.check_golden(net, golden)
        x = bench_models.bench_input(golden["input_shape"])
        times = []
        with torch.no_grad():
            for r in range(args.warmup + args.rounds):
                t = per_op_us(net, x, args.round_ms / 1e3)
                if r >= args.warmup:
                    times.append(t)
        print(f"RESULT impl=torch model={case} median_us={statistics.median(times):.2f} rounds={len(times)}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
