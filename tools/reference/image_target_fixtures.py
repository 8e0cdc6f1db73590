#!/usr/bin/python3
"""Writes cli/src/test/resources/image-targets/autoencoder.json: PyTorch's gradients for
image-to-image training (train block `target = image(scale=S)`), checked by ImageTargetGradTest.

Run with Debian's Python (it has python3-torch):  /usr/bin/python3 tools/reference/image_target_fixtures.py
A tiny conv / transposed-conv autoencoder on 1x6x6 images (the model text is in the file), seeded
float32 weights, a batch of 5 images of integer pixels 0..255. The target of each image is the
image times `scale` (1/255); the model rescales its input itself. For each loss the file holds the
mean loss and d(mean loss)/d(parameter), computed in float64 from the float32 values:
- binary_crossentropy: F.binary_cross_entropy_with_logits on the values before the final sigmoid
  (Striate fuses the sigmoid into the loss), mean over all 5*36 pixels;
- mse: F.mse_loss(sigmoid(z), target), mean over all pixels.
The output is byte-identical on every run (seeded generator, sorted keys).
"""

import json
import os

import torch
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "cli", "src", "test", "resources", "image-targets", "autoencoder.json")

MODEL = """model Ae {
    input image: [1, 6, 6]
    rescale(1/255)
    conv2d(3, kernel=3, stride=2, padding=1, activation=relu, name="enc")
    conv_transpose2d(1, kernel=3, stride=2, padding=1, output_padding=1, activation=sigmoid, name="dec")
}
"""


def floats(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def main():
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(13)
    params = {
        "enc.weight": (torch.rand(3, 1, 3, 3, generator=gen) * 2 - 1) * 0.6,
        "enc.bias": (torch.rand(3, generator=gen) * 2 - 1) * 0.1,
        "dec.weight": (torch.rand(3, 1, 3, 3, generator=gen) * 2 - 1) * 0.6,
        "dec.bias": (torch.rand(1, generator=gen) * 2 - 1) * 0.1,
    }
    params = {k: v.float() for k, v in params.items()}
    pixels = torch.randint(0, 256, (5, 1, 6, 6), generator=gen)
    scale = 1.0 / 255
    cases = {}
    for loss in ("binary_crossentropy", "mse"):
        p = {k: v.double().requires_grad_(True) for k, v in params.items()}
        x = pixels.double() * torch.tensor(1 / 255, dtype=torch.float32).double()
        h = F.relu(F.conv2d(x, p["enc.weight"], p["enc.bias"], stride=2, padding=1))
        z = F.conv_transpose2d(h, p["dec.weight"], p["dec.bias"], stride=2, padding=1, output_padding=1)
        target = pixels.double() * torch.tensor(scale, dtype=torch.float32).double()
        if loss == "binary_crossentropy":
            value = F.binary_cross_entropy_with_logits(z, target)
        else:
            value = F.mse_loss(torch.sigmoid(z), target)
        value.backward()
        cases[loss] = {"loss": float(value), "grads": {k: floats(v.grad) for k, v in p.items()}}
    fixture = {
        "generator": "tools/reference/image_target_fixtures.py",
        "torch": torch.__version__,
        "model": MODEL,
        "scale": "1/255",
        "shapes": {k: list(v.shape) for k, v in params.items()},
        "weights": {k: floats(v) for k, v in params.items()},
        "pixels": [int(v) for v in pixels.reshape(-1).tolist()],
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, sort_keys=True, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
