#!/usr/bin/python3
"""Writes the loss fixtures to runtime/src/test/resources/loss/.

Run with Debian's Python (it has python3-torch):  /usr/bin/python3 tools/reference/loss_fixtures.py
One file per loss. Each case holds float32 logits (n x k, flattened), its targets, PyTorch's mean
loss (reduction='mean', computed in float64 from the float32 values) and the gradient of that
loss with respect to the logits. Extreme logits (+-80, +-1000) check the stable forms.
The output is byte-identical on every run (seeded generators, one thread, sorted keys).

- softmax_cross_entropy.json: F.cross_entropy; "labels" (class indices) or "dense" targets
  (one-hot or soft probabilities, as PyTorch's probability targets); mean over the n samples.
- sigmoid_binary_cross_entropy.json: F.binary_cross_entropy_with_logits; "dense" 0/1 or soft
  targets, or "labels" (0/1) when k = 1; mean over all n*k elements.
- mean_squared_error.json: F.mse_loss; "dense" targets, or "labels" (compared with their
  one-hot encoding); mean over all n*k elements.
"""

import argparse
import json
import os
import sys

import torch
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO, "runtime", "src", "test", "resources", "loss")


def floats(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def logits(gen, n, k, kind):
    if kind == "normal":
        return torch.randn(n, k, generator=gen) * 2
    if kind == "extreme80":
        z = torch.randn(n, k, generator=gen)
        z[:, 0] = 80.0
        z[0, 1] = -80.0
        z[-1, -1] = 79.5
        return z
    if kind == "extreme1000":
        z = torch.randn(n, k, generator=gen) * 3
        z[0, :] = -1000.0
        z[0, k - 1] = 1000.0
        z[1, 0] = 1000.0
        z[-1, :] = torch.linspace(-1000, 1000, k)
        return z
    if kind == "tiny":
        return torch.randn(n, k, generator=gen) * 1e-4
    raise ValueError(kind)


def case(name, loss_fn, z32, labels=None, dense=None):
    """PyTorch's mean loss and d loss / d logits, in float64 from the float32 inputs."""
    z = z32.double().requires_grad_(True)
    target = labels if labels is not None else dense.double()
    loss = loss_fn(z, target)
    loss.backward()
    out = {"name": name, "n": z32.shape[0], "k": z32.shape[1], "logits": floats(z32),
           "loss": loss.item(), "grad": floats(z.grad)}
    if labels is not None:
        out["labels"] = [int(v) for v in labels.tolist()]
    else:
        out["dense"] = floats(dense)
    return out


def one_hot(labels, k):
    return F.one_hot(labels, k).float()


def softmax_cases(gen):
    out = []
    for n, k, kind in [(5, 4, "normal"), (8, 10, "normal"), (1, 3, "normal"), (4, 6, "extreme80"),
                       (4, 5, "extreme1000"), (6, 10, "tiny"), (3, 2, "normal")]:
        z = logits(gen, n, k, kind)
        labels = torch.randint(0, k, (n,), generator=gen)
        if kind.startswith("extreme"):
            labels[0] = 0 if kind == "extreme80" else k - 1   # a confident, correct sample
            labels[1] = 2 % k                                  # a confident, wrong sample
        out.append(case(f"sparse_{n}x{k}_{kind}", F.cross_entropy, z, labels=labels))
        out.append(case(f"onehot_{n}x{k}_{kind}", F.cross_entropy, z, dense=one_hot(labels, k)))
        soft = torch.softmax(torch.randn(n, k, generator=gen), dim=1)
        out.append(case(f"soft_{n}x{k}_{kind}", F.cross_entropy, z, dense=soft))
    return out


def bce_cases(gen):
    out = []
    for n, k, kind in [(5, 3, "normal"), (8, 1, "normal"), (4, 6, "extreme80"), (4, 5, "extreme1000"),
                       (6, 2, "tiny")]:
        z = logits(gen, n, k, kind)
        hard = torch.randint(0, 2, (n, k), generator=gen).float()
        out.append(case(f"hard_{n}x{k}_{kind}", F.binary_cross_entropy_with_logits, z, dense=hard))
        soft = torch.rand(n, k, generator=gen)
        out.append(case(f"soft_{n}x{k}_{kind}", F.binary_cross_entropy_with_logits, z, dense=soft))
        if k == 1:
            out.append(case(f"labels_{n}x{k}_{kind}", lambda a, t: F.binary_cross_entropy_with_logits(
                a, t.double().reshape(-1, 1)), z, labels=hard.reshape(-1).long()))
    return out


def mse_cases(gen):
    out = []
    for n, k, kind in [(5, 3, "normal"), (7, 1, "normal"), (4, 6, "extreme80"), (3, 4, "extreme1000")]:
        z = logits(gen, n, k, kind)
        dense = torch.randn(n, k, generator=gen) * 3
        out.append(case(f"dense_{n}x{k}_{kind}", F.mse_loss, z, dense=dense))
    z = logits(gen, 5, 4, "normal")
    labels = torch.randint(0, 4, (5,), generator=gen)
    out.append(case("labels_5x4_normal", lambda a, t: F.mse_loss(a, F.one_hot(t, 4).double()), z, labels=labels))
    return out


def write(path, cases):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps({"generator": "tools/reference/loss_fixtures.py", "torch": torch.__version__,
                            "cases": cases}, indent=1, sort_keys=True))
        f.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    for name, make, seed in [("softmax_cross_entropy", softmax_cases, 2001),
                             ("sigmoid_binary_cross_entropy", bce_cases, 2002),
                             ("mean_squared_error", mse_cases, 2003)]:
        write(os.path.join(args.out, name + ".json"), make(torch.Generator().manual_seed(seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
