#!/usr/bin/python3
"""The PyTorch side of tools/bench/inference.sh: a worker process that the Java harness
(dev.striate.bench.InferenceTable) drives one line at a time over stdin/stdout, so that its
rounds alternate with Striate's and ONNX Runtime's in the same run, never overlapping.

Same networks and weights as the Java side (bench_models.build: the manifest and blob), same
input (the benchmark cache's input.bin, written by export_onnx.py); eager mode, eval,
torch.no_grad(). Run with OPENBLAS_NUM_THREADS=1 and
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824
(the harness sets both). Commands, one per line; every answer is one line, "ok ..." or "error ...":

    load MODEL                      build the net, check it against output.bin -> ok MAX_ABS_DIFF
    trace MODEL CALLS MAX_MS        a freshly built net's first calls at batch 1 -> ok NS NS ...
    round MODEL BATCH THREADS MS    torch.set_num_threads(THREADS); calls on the first BATCH images
                                    until MS milliseconds have passed (at least one call)
                                    -> ok NS_PER_CALL CALLS
    quit
"""
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import bench_models  # noqa: E402

TOLERANCE = 1e-4    # |torch - y| <= TOLERANCE * (|y| + max |y| of the image), y from output.bin


class Loaded:
    def __init__(self, case):
        d = bench_models.cache_dir(case)
        shape = bench_models.input_shape(case)
        self.net = bench_models.build(case)
        self.x = torch.from_numpy(bench_models.read_floats(os.path.join(d, "input.bin"),
                                                           [bench_models.BATCH] + shape))
        with torch.no_grad():
            got = self.net(self.x)
        want = torch.from_numpy(bench_models.read_floats(os.path.join(d, "output.bin"), list(got.shape)))
        err = (got - want).abs()
        scale = want.reshape(want.shape[0], -1).abs().amax(dim=1).reshape([-1] + [1] * (want.dim() - 1))
        if not bool((err <= TOLERANCE * (want.abs() + scale)).all()):
            raise ValueError(f"{case}: PyTorch differs from output.bin by {err.max().item():.3g}")
        self.max_diff = err.max().item()


def run(loaded, batch, threads, min_ms):
    torch.set_num_threads(threads)
    x = loaded.x[:batch]
    calls = 0
    start = time.perf_counter_ns()
    with torch.no_grad():
        while True:
            loaded.net(x)
            calls += 1
            now = time.perf_counter_ns()
            if now - start >= min_ms * 1e6:
                break
    torch.set_num_threads(1)
    return (now - start) / calls, calls


def trace(case, calls, max_ms):
    net = bench_models.build(case)
    x = bench_models.bench_input(case)[:1]
    x = torch.from_numpy(x)
    times = []
    deadline = time.perf_counter_ns() + max_ms * 1e6
    with torch.no_grad():
        while len(times) < calls and time.perf_counter_ns() < deadline:
            start = time.perf_counter_ns()
            net(x)
            times.append(time.perf_counter_ns() - start)
    return times


def main():
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    models = {}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            if words[0] == "quit":
                break
            if words[0] == "load":
                models[words[1]] = Loaded(words[1])
                answer = f"ok {models[words[1]].max_diff:.3g}"
            elif words[0] == "trace":
                answer = "ok " + " ".join(str(t) for t in trace(words[1], int(words[2]), float(words[3])))
            elif words[0] == "round":
                ns, calls = run(models[words[1]], int(words[2]), int(words[3]), float(words[4]))
                answer = f"ok {ns:.1f} {calls}"
            else:
                answer = f"error unknown command {words[0]}"
        except Exception as e:  # noqa: BLE001 - reported to the harness, which stops
            answer = f"error {type(e).__name__}: {e}".replace("\n", " ")
        print(answer, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
