#!/usr/bin/python3
"""Writes the optimizer and learning-rate schedule fixtures to runtime/src/test/resources/optim/.

Run with Debian's Python (it has python3-torch):  /usr/bin/python3 tools/reference/optim_fixtures.py
Each optimizer file holds cases: PyTorch hyper-parameters, two parameter tensors (flattened),
three gradients per parameter and the parameters after each of the three `opt.step()` calls.
`schedules.json` holds the learning rate PyTorch's schedulers give for each epoch.
The output is byte-identical on every run (seeded generators, one thread, sorted keys).
"""

import argparse
import json
import os
import sys
import warnings

import torch

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO, "runtime", "src", "test", "resources", "optim")
GRAD_SCALES = [1.0, 2.0, 0.1]   # the last step is small, so AMSGrad's max differs from Adam
SHAPES = [(2, 3), (4,)]

# name -> (optimizer, PyTorch keyword arguments, l1 coefficient added to the gradient by hand)
OPTIMIZER_CASES = {
    "sgd": [
        ("sgd_plain", dict(lr=0.1), 0.0),
        ("sgd_momentum", dict(lr=0.1, momentum=0.9), 0.0),
        ("sgd_dampening", dict(lr=0.05, momentum=0.8, dampening=0.5), 0.0),
        ("sgd_nesterov", dict(lr=0.1, momentum=0.9, nesterov=True), 0.0),
        ("sgd_weight_decay", dict(lr=0.1, momentum=0.9, weight_decay=0.01), 0.0),
        ("sgd_l1", dict(lr=0.1), 0.01),
        ("sgd_l1_l2_momentum", dict(lr=0.1, momentum=0.5, weight_decay=0.02), 0.03),
    ],
    "adagrad": [
        ("adagrad_default", dict(), 0.0),
        ("adagrad_lr_decay", dict(lr=0.1, lr_decay=0.1, initial_accumulator_value=0.5, eps=1e-6), 0.0),
        ("adagrad_weight_decay", dict(lr=0.1, weight_decay=0.05), 0.0),
        ("adagrad_l1", dict(lr=0.1), 0.02),
    ],
    "rmsprop": [
        ("rmsprop_default", dict(), 0.0),
        ("rmsprop_keras_lr", dict(lr=0.001), 0.0),
        ("rmsprop_alpha", dict(lr=0.01, alpha=0.9, eps=1e-6), 0.0),
        ("rmsprop_momentum", dict(lr=0.01, momentum=0.9), 0.0),
        ("rmsprop_centered", dict(lr=0.01, centered=True), 0.0),
        ("rmsprop_centered_momentum_wd", dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.1), 0.0),
        ("rmsprop_l1", dict(lr=0.01), 0.05),
    ],
    "adam": [
        ("adam_default", dict(), 0.0),
        ("adam_amsgrad", dict(lr=0.01, amsgrad=True), 0.0),
        ("adam_betas_eps_wd", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), 0.0),
        ("adam_l1", dict(lr=0.01), 0.02),
        ("adam_amsgrad_l1_l2", dict(lr=0.01, amsgrad=True, weight_decay=0.05), 0.01),
    ],
}
OPTIMIZERS = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad,
              "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam}


def floats(t):
    """A tensor's values as a flat list of Python floats (exact float32 values)."""
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def optimizer_case(kind, name, kwargs, l1, seed):
    gen = torch.Generator().manual_seed(seed)
    params = [torch.randn(s, generator=gen) for s in SHAPES]
    params[0][0, 1] = 0.0   # sign(0) = 0 for the L1 term
    params = [torch.nn.Parameter(p) for p in params]
    grads = [[torch.randn(s, generator=gen) * scale for s in SHAPES] for scale in GRAD_SCALES]
    initial = [floats(p) for p in params]
    opt = OPTIMIZERS[kind](params, **kwargs, foreach=False)
    after = []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = g.add(torch.sign(p.detach()), alpha=l1) if l1 != 0 else g.clone()
        opt.step()
        after.append([floats(p) for p in params])
    hyper = {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()}
    return {"name": name, "optimizer": kind, "hyper": hyper, "l1": l1, "params": initial,
            "grads": [[floats(g) for g in step] for step in grads], "after": after}


# name -> (kind, arguments, warm-up epochs, warm-up start factor, epochs)
SCHEDULE_CASES = [
    ("step", "step", dict(lr=0.1, step_size=3, gamma=0.5), 0, 0, 20),
    ("step_default_gamma", "step", dict(lr=1.0, step_size=5), 0, 0, 20),
    ("cosine", "cosine", dict(lr=0.1, T_max=10, eta_min=0.001), 0, 0, 25),
    ("cosine_default", "cosine", dict(lr=0.05, T_max=20), 0, 0, 20),
    ("linear_up", "linear", dict(lr=0.1, start_factor=0.25, end_factor=1.0, total_iters=4), 0, 0, 20),
    ("linear_down", "linear", dict(lr=0.1, start_factor=1.0, end_factor=0.1, total_iters=8), 0, 0, 20),
    ("linear_default", "linear", dict(lr=0.3), 0, 0, 20),
    ("warmup_cosine", "cosine", dict(lr=0.1, T_max=15, eta_min=0.0), 5, 0.1, 20),
    ("warmup_step", "step", dict(lr=0.01, step_size=4, gamma=0.5), 3, 0.2, 20),
    ("warmup_linear", "linear", dict(lr=0.1, start_factor=1.0, end_factor=0.05, total_iters=10), 2, 0.5, 20),
]


def make_scheduler(kind, opt, args):
    args = {k: v for k, v in args.items() if k != "lr"}
    if kind == "step":
        return torch.optim.lr_scheduler.StepLR(opt, **args)
    if kind == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, **args)
    return torch.optim.lr_scheduler.LinearLR(opt, **args)


def schedule_case(name, kind, args, warmup, start, epochs):
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=args["lr"])
    if warmup:
        first = torch.optim.lr_scheduler.LinearLR(opt, start_factor=start, end_factor=1.0, total_iters=warmup)
        sched = torch.optim.lr_scheduler.SequentialLR(
            opt, [first, make_scheduler(kind, opt, args)], milestones=[warmup])
    else:
        sched = make_scheduler(kind, opt, args)
    lrs = []
    for _ in range(epochs):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return {"name": name, "kind": kind, "args": args, "warmup_epochs": warmup,
            "warmup_start_factor": start, "lrs": lrs}


def write(path, obj):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(obj, indent=1, sort_keys=True))
        f.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    os.makedirs(args.out, exist_ok=True)
    seed = 1000
    for kind, cases in OPTIMIZER_CASES.items():
        out = []
        for name, kwargs, l1 in cases:
            seed += 1
            out.append(optimizer_case(kind, name, kwargs, l1, seed))
        write(os.path.join(args.out, kind + ".json"),
              {"generator": "tools/reference/optim_fixtures.py", "torch": torch.__version__, "cases": out})
    write(os.path.join(args.out, "schedules.json"),
          {"generator": "tools/reference/optim_fixtures.py", "torch": torch.__version__,
           "cases": [schedule_case(*c) for c in SCHEDULE_CASES]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
