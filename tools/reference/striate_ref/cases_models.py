"""Fixtures for whole models and the course's hand-checkable examples."""

import numpy as np
import torch

from striate_ref.cases_ops import model, uniform01
from striate_ref.fixture import SAMPLES, Case
from striate_ref.layers import L

DIGITS = [str(d) for d in range(10)]

COURSE_IMAGE = np.array([[int(c) for c in row] for row in
                         ["100001", "010010", "001100", "100010", "010010", "001010"]], dtype=np.float32)
COURSE_FILTERS = np.array([[[1, -1, -1], [-1, 1, -1], [-1, -1, 1]],
                           [[-1, 1, -1], [-1, 1, -1], [-1, 1, -1]]], dtype=np.float32)
SOBEL = np.array([[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],     # Gx
                  [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]],   # Gy
                 dtype=np.float32)


def _set_conv(layer, kernels):
    def apply(program):
        program.modules[layer].weight.data.copy_(torch.from_numpy(kernels[:, None, :, :]))
    return apply


def course_example():
    m = model("course_example", "The course's worked example: a 6x6 binary image convolved with filter 1\n"
              "(diagonal) and filter 2 (vertical line), stride 1, no bias. Sample 1 is the slide's image\n"
              "(filter 1's first output row is 3, -1, -3, -1); sample 2 is its transpose.", [1, 6, 6])
    m.stack(L("conv2d", 2, kernel=3, bias=False, name="conv"))
    inputs = np.stack([COURSE_IMAGE, COURSE_IMAGE.T])[:, None, :, :]
    return Case("course_example", m, inputs=lambda rng, shape: inputs.copy(),
                weights=_set_conv("conv", COURSE_FILTERS))


def sobel():
    m = model("sobel", "Sobel edge filters Gx and Gy (cross-correlation, as PyTorch), padding 1, no bias,\n"
              "on small integer images.", [1, 6, 6])
    m.stack(L("conv2d", 2, kernel=3, padding=1, bias=False, name="sobel"))
    return Case("sobel", m, inputs=lambda rng, shape: rng.randint(0, 10, (SAMPLES,) + tuple(shape)).astype(np.float32),
                weights=_set_conv("sobel", SOBEL))


def lenet5():
    m = model("lenet5", "LeNet-5 (LeCun 1998, classic form): input [1, 32, 32]; conv 6 k5 tanh, avgpool 2,\n"
              "conv 16 k5 tanh, avgpool 2, dense 120 tanh (c5), dense 84 tanh (f6), dense 10 softmax (out). 61,706 parameters.",
              [1, 32, 32], input_name="image")
    m.stack(L("conv2d", 6, kernel=5, activation="tanh", name="c1"),
            L("avgpool", 2),
            L("conv2d", 16, kernel=5, activation="tanh", name="c3"),
            L("avgpool", 2),
            L("flatten"),
            L("dense", 120, activation="tanh", name="c5"),
            L("dense", 84, activation="tanh", name="f6"),
            L("dense", 10, activation="softmax", name="out"))
    m.labels(DIGITS)
    return Case("lenet5", m, inputs=uniform01)


def mnist_cnn():
    m = model("mnist_cnn", "The Keras MNIST CNN: 93,322 parameters. Layers keep their default names\n"
              "(conv2d_1..3, dense_1..2), so this fixture also checks default naming.",
              [1, 28, 28], input_name="image")
    m.stack(L("conv2d", 32, kernel=3, activation="relu"),
            L("maxpool", 2),
            L("conv2d", 64, kernel=3, activation="relu"),
            L("maxpool", 2),
            L("conv2d", 64, kernel=3, activation="relu"),
            L("flatten"),
            L("dense", 64, activation="relu"),
            L("dense", 10, activation="softmax"))
    m.labels(DIGITS)
    return Case("mnist_cnn", m, inputs=uniform01)


def tiny_resnet():
    m = model("tiny_resnet", "A small residual net with batch norm: an identity block, then a stride-2 block\n"
              "(padding=same on 16x16 pads 0 top/left, 1 bottom/right) with a 1x1 projection shortcut.",
              [3, 16, 16])
    m.assign("stem", L("conv2d", 8, kernel=3, padding="same", inputs=["x"], name="stem_conv"),
             L("batchnorm", name="stem_bn"), L("relu"))
    m.assign("h", L("conv2d", 8, kernel=3, padding="same", inputs=["stem"], name="block1_conv1"),
             L("batchnorm", name="block1_bn1"), L("relu"))
    m.assign("h", L("conv2d", 8, kernel=3, padding="same", inputs=["h"], name="block1_conv2"),
             L("batchnorm", name="block1_bn2"))
    m.assign("b1", L("add", inputs=["stem", "h"]), L("relu"))
    m.assign("d", L("conv2d", 16, kernel=3, stride=2, padding="same", inputs=["b1"], name="block2_conv1"),
             L("batchnorm", name="block2_bn1"), L("relu"),
             L("conv2d", 16, kernel=3, padding="same", name="block2_conv2"),
             L("batchnorm", name="block2_bn2"))
    m.assign("p", L("conv2d", 16, kernel=1, stride=2, inputs=["b1"], name="block2_proj"),
             L("batchnorm", name="block2_proj_bn"))
    m.assign("y", L("add", inputs=["d", "p"]), L("relu"), L("globalavgpool"),
             L("dense", 10, name="fc"), L("softmax"))
    m.output("y")
    return Case("tiny_resnet", m)


def depthwise_separable():
    m = model("depthwise_separable", "A depthwise-separable block (MobileNet): depthwise 3x3 + batch norm + relu,\n"
              "pointwise 1x1 + batch norm + relu.", [4, 8, 8])
    m.stack(L("depthwise_conv2d", kernel=3, padding=1, name="dw"),
            L("batchnorm", name="dw_bn"),
            L("relu"),
            L("conv2d", 8, kernel=1, name="pw"),
            L("batchnorm", name="pw_bn"),
            L("relu"))
    return Case("depthwise_separable", m)


def winograd_cnn():
    m = model("winograd_cnn", "Two 3x3 convolutions the vector variant runs as Winograd F(2x2,3x3): 13x13 (49 tiles of\n"
              "2x2, the last row and column cropped), 64 -> 128 and 128 -> 64 (fused with its pool): 8,192\n"
              "channel pairs, the narrowest taken with 49 tiles; multiples of 16 channels.", [3, 13, 13])
    m.stack(L("conv2d", 64, kernel=3, padding=1, activation="relu", name="stem"),
            L("conv2d", 128, kernel=3, padding=1, activation="relu", name="wide"),
            L("conv2d", 64, kernel=3, padding=1, activation="relu", name="narrow"),
            L("maxpool", 2),
            L("globalavgpool"),
            L("dense", 10, name="fc"))
    return Case("winograd_cnn", m)


def cases():
    return [course_example(), sobel(), lenet5(), mnist_cnn(), tiny_resnet(), depthwise_separable(), winograd_cnn()]
