"""The gradient fixture cases. Most reuse a forward fixture's model (same .cnn text, so the two
trees describe the same networks); batch norm and the residual net are written here, with
bias=false on every conv or dense layer that feeds a batch norm (in training mode such a bias
has a zero gradient, which would test nothing)."""

import numpy as np

from striate_ref import cases_models, cases_ops
from striate_ref.cases_ops import model
from striate_ref.grad import GradCase
from striate_ref.layers import L

FORWARD_OPS = [
    "conv2d_basic", "conv2d_stride2", "conv2d_padding1", "conv2d_same_s1", "conv2d_same_s1_k4",
    "conv2d_same_s2_even", "conv2d_same_s2_odd", "conv2d_same_s2_odd_k4", "conv2d_padding_tblr",
    "conv2d_dilation2", "conv2d_groups2", "conv2d_no_bias", "conv2d_nonsquare", "depthwise_conv2d",
    "conv_transpose2d", "conv_transpose2d_groups_dilation",
    "maxpool2", "maxpool3_s2_p1", "maxpool_same", "avgpool_pad_include", "avgpool_pad_exclude",
    "globalavgpool", "globalmaxpool",
    "dense", "flatten_dense",
]
FORWARD_ACTIVATIONS = [
    "act_relu", "act_leaky_relu", "act_elu", "act_sigmoid", "act_tanh", "softmax_map", "softmax_vector",
    "act_defaults", "fused_activations",
]
FORWARD_STRUCTURE = ["maxout", "add_residual", "concat", "pixel_shuffle"]
FORWARD_INPUT_OPS = ["normalize", "normalize_scalar"]
FORWARD_PIXEL_OPS = ["rescale", "rescale_offset"]


def wide(rng, shape, n):
    return (2.5 * rng.standard_normal((n,) + tuple(shape))).astype(np.float32)


def uniform01(rng, shape, n):
    return rng.uniform(0.0, 1.0, (n,) + tuple(shape)).astype(np.float32)


def pixels255(rng, shape, n):
    return rng.randint(0, 256, (n,) + tuple(shape)).astype(np.float32)


def _forward_models():
    return {c.name: c.model for c in cases_ops.cases() + cases_models.cases() + cases_ops.pad_cases()}


def batchnorm_cases():
    def bn(name, comment, shape, *layers):
        return GradCase(name, model(name, comment, shape).stack(*layers))
    return [
        bn("batchnorm_conv", "Batch norm in training mode (epsilon 1e-3, momentum 0.1) on a conv feature map.",
           [3, 5, 5], L("conv2d", 4, kernel=3, padding=1, bias=False, name="conv"),
           L("batchnorm", epsilon="1e-3", name="bn")),
        bn("batchnorm_conv_momentum", "Batch norm in training mode, epsilon 1e-3, momentum 0.3, on a conv map.",
           [3, 5, 5], L("conv2d", 4, kernel=3, padding=1, bias=False, name="conv"),
           L("batchnorm", epsilon="1e-3", momentum=0.3, name="bn")),
        bn("batchnorm_dense", "Batch norm in training mode (epsilon 1e-3) after dense: BatchNorm1d over the batch.",
           [10], L("dense", 6, bias=False, name="fc"), L("batchnorm", epsilon="1e-3", name="bn")),
        bn("batchnorm_dense_momentum", "Batch norm in training mode after dense, epsilon 1e-3, momentum 0.05.",
           [10], L("dense", 6, bias=False, name="fc"), L("batchnorm", epsilon="1e-3", momentum=0.05, name="bn")),
        bn("batchnorm_input", "Batch norm in training mode directly on the input (default epsilon and momentum).",
           [3, 4, 4], L("batchnorm", name="bn")),
    ]


def resnet_bn():
    m = model("resnet_bn", "A small residual net with batch norm in training mode: a stem, an identity block,\n"
              "then a stride-2 block (padding=same on 12x12 pads 0 top/left, 1 bottom/right) with a\n"
              "1x1 projection shortcut; global average pooling, dense, softmax.", [3, 12, 12])
    m.assign("stem", L("conv2d", 6, kernel=3, padding="same", bias=False, inputs=["x"], name="stem_conv"),
             L("batchnorm", name="stem_bn"), L("relu"))
    m.assign("h", L("conv2d", 6, kernel=3, padding="same", bias=False, inputs=["stem"], name="block1_conv1"),
             L("batchnorm", name="block1_bn1"), L("relu"))
    m.assign("h", L("conv2d", 6, kernel=3, padding="same", bias=False, inputs=["h"], name="block1_conv2"),
             L("batchnorm", epsilon="1e-3", momentum=0.2, name="block1_bn2"))
    m.assign("b1", L("add", inputs=["stem", "h"]), L("relu"))
    m.assign("d", L("conv2d", 8, kernel=3, stride=2, padding="same", bias=False, inputs=["b1"], name="block2_conv1"),
             L("batchnorm", name="block2_bn1"), L("relu"),
             L("conv2d", 8, kernel=3, padding="same", bias=False, name="block2_conv2"),
             L("batchnorm", name="block2_bn2"))
    m.assign("p", L("conv2d", 8, kernel=1, stride=2, bias=False, inputs=["b1"], name="block2_proj"),
             L("batchnorm", name="block2_proj_bn"))
    m.assign("y", L("add", inputs=["d", "p"]), L("relu"), L("globalavgpool"),
             L("dense", 10, name="fc"), L("softmax"))
    m.output("y")
    return GradCase("resnet_bn", m, batch=3)


def depthwise_separable():
    m = model("depthwise_separable", "A depthwise-separable block (MobileNet) in training mode: depthwise 3x3 +\n"
              "batch norm + relu, pointwise 1x1 + batch norm + relu.", [4, 6, 6])
    m.stack(L("depthwise_conv2d", kernel=3, padding=1, bias=False, name="dw"),
            L("batchnorm", name="dw_bn"),
            L("relu"),
            L("conv2d", 8, kernel=1, bias=False, name="pw"),
            L("batchnorm", name="pw_bn"),
            L("relu"))
    return GradCase("depthwise_separable", m)


def alphago_small():
    m = model("alphago_small", "The AlphaGo policy net's structure at a small size: conv 5x5 pad 2 + relu,\n"
              "two conv 3x3 pad 1 + relu, a 1x1 conv to one channel without bias, an untied bias\n"
              "(one per position), flatten, softmax over the 25 positions.", [4, 5, 5])
    m.stack(L("conv2d", 6, kernel=5, padding=2, activation="relu", name="conv1"),
            L("conv2d", 6, kernel=3, padding=1, activation="relu", name="conv2"),
            L("conv2d", 6, kernel=3, padding=1, activation="relu", name="conv3"),
            L("conv2d", 1, kernel=1, bias=False, name="policy"),
            L("untied_bias", name="position_bias"),
            L("flatten"),
            L("softmax"))
    return GradCase("alphago_small", m)


def winograd_train():
    m = model("winograd_train", "A 3x3 convolution the generated trainer runs as Winograd F(2x2,3x3) (64 -> 64 channels,\n"
              "padding 1, a 9x9 map: 25 tiles of 2x2, the last row and column cropped) in its forward pass,\n"
              "weight gradient and input gradient (64 x 64 x 9 weights: the fixture is large, so only 2 samples).", [64, 9, 9])
    m.stack(L("conv2d", 64, kernel=3, padding=1, activation="relu", name="wino"),
            L("globalavgpool"),
            L("dense", 3, name="fc"))
    return GradCase("winograd_train", m, batch=2)


def cases():
    fwd = _forward_models()
    out = [GradCase(n, fwd[n]) for n in FORWARD_OPS]
    out += batchnorm_cases()
    out += [GradCase(n, fwd[n], inputs=wide) for n in FORWARD_ACTIVATIONS]
    out += [GradCase(n, fwd[n]) for n in FORWARD_STRUCTURE]
    out += [GradCase(n, fwd[n], inputs=uniform01) for n in FORWARD_INPUT_OPS]
    out += [GradCase(n, fwd[n], inputs=pixels255) for n in FORWARD_PIXEL_OPS]
    out += [GradCase("mnist_cnn", fwd["mnist_cnn"], batch=3, inputs=uniform01), resnet_bn(), depthwise_separable()]
    out += [GradCase("pad_conv", fwd["pad_conv"]), alphago_small(), winograd_train()]
    return out
