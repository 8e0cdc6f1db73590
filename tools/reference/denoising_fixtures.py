#!/usr/bin/python3
"""Writes cli/src/test/resources/image-targets/denoising.json: PyTorch's Adam trajectory of the
denoising autoencoder (examples/autoencoder/mnist_denoising.cnn) trained with MSE on a noisy input /
clean target pair, checked by DenoisingReferenceTest.

Run with Debian's Python (it has python3-torch):  /usr/bin/python3 tools/reference/denoising_fixtures.py
The network is the example's (two stride-2 conv2d, two conv_transpose2d, ReLU, a final sigmoid),
its weights drawn the way `striate init` draws them (He uniform before a ReLU, Glorot uniform for
the last layer, zero biases: the start from which the MSE run collapsed to a black output) from a
seeded generator. The batch holds 8 synthetic 28x28 stroke images (integer pixels 0..255, about
MNIST's mean brightness); the model's input is each image plus Gaussian noise of std 64 clamped to
0..255 and rounded, the target the clean image / 255. The script runs STEPS full-batch steps
of Adam(lr=1e-3) on F.mse_loss(sigmoid(z), target) in float64 from the float32 values and stores
the loss and mean output before every step and the weights after the last one. float32 arrays are
stored as base64 of their little-endian bytes, pixels as base64 of one byte each. Byte-identical
on every run.
"""

import base64
import json
import os

import torch
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "cli", "src", "test", "resources", "image-targets", "denoising.json")
STEPS = 40
BATCH = 8
NAMES = ["conv2d_1", "conv2d_2", "conv_transpose2d_1", "conv_transpose2d_2"]


def b64(t):
    return base64.b64encode(t.detach().float().contiguous().numpy().astype("<f4").tobytes()).decode("ascii")


def pixels(t):
    return base64.b64encode(bytes(int(v) for v in t.reshape(-1).tolist())).decode("ascii")


def strokes(gen):
    """BATCH images of 2-3 thick random line segments, integer pixels 0..255."""
    ys, xs = torch.meshgrid(torch.arange(28.0), torch.arange(28.0), indexing="ij")
    images = torch.zeros(BATCH, 1, 28, 28)
    for i in range(BATCH):
        for _ in range(2 + int(torch.randint(0, 2, (1,), generator=gen))):
            p, q = torch.rand(2, generator=gen) * 16 + 6, torch.rand(2, generator=gen) * 16 + 6
            d = q - p
            t = (((xs - p[0]) * d[0] + (ys - p[1]) * d[1]) / float(d.dot(d) + 1e-9)).clamp(0, 1)
            dist = ((xs - p[0] - t * d[0]) ** 2 + (ys - p[1] - t * d[1]) ** 2).sqrt()
            images[i, 0] = torch.maximum(images[i, 0], (2.2 - dist).clamp(0, 1))
    return (images * 255).round()


def forward(p, x):
    h = F.relu(F.conv2d(x, p["conv2d_1.weight"], p["conv2d_1.bias"], stride=2, padding=1))
    h = F.relu(F.conv2d(h, p["conv2d_2.weight"], p["conv2d_2.bias"], stride=2, padding=1))
    h = F.relu(F.conv_transpose2d(h, p["conv_transpose2d_1.weight"], p["conv_transpose2d_1.bias"],
                                  stride=2, padding=1, output_padding=1))
    return F.conv_transpose2d(h, p["conv_transpose2d_2.weight"], p["conv_transpose2d_2.bias"],
                              stride=2, padding=1, output_padding=1)


def main():
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(13)
    shapes = {"conv2d_1": (16, 1), "conv2d_2": (32, 16), "conv_transpose2d_1": (32, 16),
              "conv_transpose2d_2": (16, 1)}
    params = {}
    for name in NAMES:
        d0, d1 = shapes[name]
        fan_in, fan_out = d1 * 9, d0 * 9  # PyTorch's fans (shape[1], shape[0] times the kernel)
        bound = (6 / fan_in) ** 0.5 if name != "conv_transpose2d_2" else (6 / (fan_in + fan_out)) ** 0.5
        params[name + ".weight"] = ((torch.rand(d0, d1, 3, 3, generator=gen) * 2 - 1) * bound).float()
        params[name + ".bias"] = torch.zeros(d1 if name.startswith("conv_t") else d0)
    clean = strokes(gen)
    noisy = (clean + 64 * torch.randn(clean.shape, generator=gen)).clamp(0, 255).round()
    initial = {k: b64(v) for k, v in params.items()}

    p = {k: v.double().requires_grad_(True) for k, v in params.items()}
    opt = torch.optim.Adam(list(p.values()), lr=1e-3)
    x = noisy.double() * torch.tensor(1 / 255, dtype=torch.float32).double()
    target = clean.double() * torch.tensor(1 / 255, dtype=torch.float32).double()
    losses, means = [], []
    for _ in range(STEPS):
        y = torch.sigmoid(forward(p, x))
        loss = F.mse_loss(y, target)
        losses.append(float(loss))
        means.append(float(y.mean()))
        opt.zero_grad()
        loss.backward()
        opt.step()
    fixture = {
        "generator": "tools/reference/denoising_fixtures.py",
        "torch": torch.__version__,
        "steps": STEPS,
        "batch": BATCH,
        "lr": 1e-3,
        "shapes": {k: list(v.shape) for k, v in params.items()},
        "weights": initial,
        "clean": pixels(clean),
        "noisy": pixels(noisy),
        "losses": losses,
        "mean_outputs": means,
        "final": {k: b64(v) for k, v in p.items()},
        "black_loss": float(target.pow(2).mean()),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, sort_keys=True, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
