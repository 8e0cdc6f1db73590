"""The Keras MNIST CNN trained in PyTorch with the recipe of examples/mnist/seed_cnn.cnn
(RMSprop lr 0.001, batch 64, 5 epochs, softmax cross-entropy, pixels / 255): the reference
for `striate train`'s test accuracy. Reads the IDX files that `striate data mnist` caches.

    OPENBLAS_NUM_THREADS=1 GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824 \
        /usr/bin/python3 tools/bench/torch_mnist.py [--seed N] [--init torch|he] [--epochs N]

--init he draws the weights as Striate's `striate init` does (He uniform before ReLU, Glorot
uniform for the last layer, zero biases) instead of PyTorch's default initialization.
"""
import argparse
import math
import os
import struct
import time

import torch
from torch import nn


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


def striate_init(net):
    layers = [m for m in net if isinstance(m, (nn.Conv2d, nn.Linear))]
    for i, m in enumerate(layers):
        fan_in = m.weight[0].numel()
        fan_out = m.weight.shape[0] * (m.weight[0, 0].numel() if m.weight.dim() == 4 else 1)
        bound = math.sqrt(6 / fan_in) if i < len(layers) - 1 else math.sqrt(6 / (fan_in + fan_out))
        nn.init.uniform_(m.weight, -bound, bound)
        nn.init.zeros_(m.bias)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--init", choices=["torch", "he"], default="torch")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    d = os.environ.get("STRIATE_MNIST_DIR", os.path.expanduser("~/.cache/striate/mnist"))
    x = idx(os.path.join(d, "train-images-idx3-ubyte")).unsqueeze(1)
    y = idx(os.path.join(d, "train-labels-idx1-ubyte")).long()
    tx = idx(os.path.join(d, "t10k-images-idx3-ubyte")).unsqueeze(1)
    ty = idx(os.path.join(d, "t10k-labels-idx1-ubyte")).long()
    net = model()
    if a.init == "he":
        striate_init(net)
    opt = torch.optim.RMSprop(net.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    start = time.time()
    for epoch in range(a.epochs):
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
        net.eval()
        with torch.no_grad():
            pred = torch.cat([net(tx[b:b + 1000].float() / 255.0).argmax(1) for b in range(0, len(tx), 1000)])
        acc = (pred == ty).float().mean().item()
        print("epoch %d loss %.4f test %.2f%% (%.0fs)" % (epoch + 1, total / len(x), 100 * acc, time.time() - start),
              flush=True)
    print("RESULT seed %d init %s test accuracy %.2f%%" % (a.seed, a.init, 100 * acc))


if __name__ == "__main__":
    main()
