"""The example MNIST models trained in PyTorch with the recipes of their train blocks: the
reference for `striate train`'s test accuracy. `--model keras` (default) is
examples/mnist/seed_cnn.cnn (RMSprop lr 0.001, cosine schedule per epoch, batch 64, 5 epochs);
`--model lenet5` is examples/mnist/lenet5.cnn (Adam lr 0.001, cosine schedule, batch 64, 12 epochs;
without the train block's shift augmentation, which this script does not do). `--model fashion` is
examples/fashion/fashion_cnn.cnn on the Fashion-MNIST split that `striate data fashion-mnist` caches
(Adam lr 0.001, constant rate, batch 64, 10 epochs, dropout 0.5). Both use softmax
cross-entropy on pixels / 255. `--schedule constant` keeps the rate fixed. Reads the IDX files
that `striate data mnist` caches.

    OPENBLAS_NUM_THREADS=1 GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824 \
        /usr/bin/python3 tools/bench/torch_mnist.py [--model keras|lenet5] [--seed N] [--init torch|he] \
        [--schedule constant|cosine]

--init he draws the weights as Striate's `striate init` does (He uniform before ReLU, Glorot
uniform otherwise, zero biases) instead of PyTorch's default initialization; --init glorot draws
every kernel Glorot uniform (Keras' default), biases zero. `--optimizer keras-rmsprop` is Keras'
RMSprop (rho 0.9, epsilon 1e-7 inside the square root: w -= lr g / sqrt(v + eps)), the formula of
`rmsprop(lr=0.001, rho=0.9, eps=1e-7, keras=true)`; with --init glorot and --schedule constant it is
examples/mnist/keras_recipe.cnn.
"""
import argparse
import math
import os
import struct
import time

import torch
from torch import nn

from torch_train import fashion


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(),
        nn.Flatten(),
        nn.Linear(576, 64), nn.ReLU(),
        nn.Linear(64, 10))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.Tanh(),
        nn.Linear(120, 84), nn.Tanh(),
        nn.Linear(84, 10))


def striate_init(net):
    layers = list(net)
    for i, m in enumerate(layers):
        if not isinstance(m, (nn.Conv2d, nn.Linear)):
            continue
        relu = i + 1 < len(layers) and isinstance(layers[i + 1], nn.ReLU)
        fan_in = m.weight[0].numel()
        fan_out = m.weight.shape[0] * (m.weight[0, 0].numel() if m.weight.dim() == 4 else 1)
        bound = math.sqrt(6 / fan_in) if relu else math.sqrt(6 / (fan_in + fan_out))
        nn.init.uniform_(m.weight, -bound, bound)
        nn.init.zeros_(m.bias)


def glorot_init(net):
    for m in net:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


class KerasRMSprop(torch.optim.Optimizer):
    """Keras' RMSprop without momentum: v = rho v + (1 - rho) g^2; w -= lr g / sqrt(v + eps)."""

    def __init__(self, params, lr=0.001, rho=0.9, eps=1e-7):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                v = self.state[p].setdefault("v", torch.zeros_like(p))
                v.mul_(group["rho"]).addcmul_(p.grad, p.grad, value=1 - group["rho"])
                p.addcdiv_(p.grad, (v + group["eps"]).sqrt(), value=-group["lr"])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--init", choices=["torch", "he", "glorot"], default="torch")
    p.add_argument("--optimizer", choices=["default", "keras-rmsprop"], default="default")
    p.add_argument("--model", choices=["keras", "lenet5", "fashion"], default="keras")
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--schedule", choices=["constant", "cosine"], default=None,
                   help="learning-rate schedule per epoch (default: the model's train block)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    if a.model == "fashion":
        d = os.environ.get("STRIATE_FASHION_MNIST_DIR", os.path.expanduser("~/.cache/striate/fashion-mnist"))
    else:
        d = os.environ.get("STRIATE_MNIST_DIR", os.path.expanduser("~/.cache/striate/mnist"))
    x = idx(os.path.join(d, "train-images-idx3-ubyte")).unsqueeze(1)
    y = idx(os.path.join(d, "train-labels-idx1-ubyte")).long()
    tx = idx(os.path.join(d, "t10k-images-idx3-ubyte")).unsqueeze(1)
    ty = idx(os.path.join(d, "t10k-labels-idx1-ubyte")).long()
    net = {"keras": model, "lenet5": lenet5, "fashion": fashion}[a.model]()
    if a.init == "he":
        striate_init(net)
    elif a.init == "glorot":
        glorot_init(net)
    epochs = a.epochs or {"keras": 5, "lenet5": 12, "fashion": 10}[a.model]
    if a.optimizer == "keras-rmsprop":
        opt = KerasRMSprop(net.parameters(), lr=0.001)
    elif a.model == "keras":
        opt = torch.optim.RMSprop(net.parameters(), lr=0.001)
    else:
        opt = torch.optim.Adam(net.parameters(), lr=0.001)
    # the MNIST train blocks decay the rate with a cosine; the Fashion CNN's keeps it constant
    schedule = a.schedule or ("constant" if a.model == "fashion" else "cosine")
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs) if schedule == "cosine" else None
    loss_fn = nn.CrossEntropyLoss()
    start = time.time()
    for epoch in range(epochs):
        net.train()
        order = torch.randperm(len(x))
        total = 0.0
        for b in range(0, len(x), 64):
            i = order[b:b + 64]
            opt.zero_grad()
            loss = loss_fn(net(x[i].float() / 255.0), y[i])
            loss.backward()
            opt.step()
            total += loss.item() * len(i)
        if sched is not None:
            sched.step()
        net.eval()
        with torch.no_grad():
            pred = torch.cat([net(tx[b:b + 1000].float() / 255.0).argmax(1) for b in range(0, len(tx), 1000)])
        acc = (pred == ty).float().mean().item()
        print("epoch %d loss %.4f test %.2f%% (%.0fs)" % (epoch + 1, total / len(x), 100 * acc, time.time() - start),
              flush=True)
    print("RESULT %s seed %d init %s optimizer %s schedule %s test accuracy %.2f%%"
          % (a.model, a.seed, a.init, a.optimizer, schedule, 100 * acc))


if __name__ == "__main__":
    main()
