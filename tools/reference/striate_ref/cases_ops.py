"""Fixtures for single ops: each isolates one layer (or one argument of it)."""

import numpy as np

from striate_ref.fixture import SAMPLES, Case
from striate_ref.layers import L
from striate_ref.model import Model


def camel(name):
    return "".join(p[:1].upper() + p[1:] for p in name.split("_"))


def model(case, comment, shape, input_name="x"):
    """A model named after its case, with one input."""
    return Model(camel(case), comment).input(input_name, shape)


def scaled_normal(scale):
    return lambda rng, shape: (scale * rng.standard_normal((SAMPLES,) + tuple(shape))).astype(np.float32)


def uniform01(rng, shape):
    return rng.uniform(0.0, 1.0, (SAMPLES,) + tuple(shape)).astype(np.float32)


def pixels255(rng, shape):
    return rng.randint(0, 256, (SAMPLES,) + tuple(shape)).astype(np.float32)


def conv_cases():
    def conv(name, comment, shape, *args, **kwargs):
        return Case(name, model(name, comment, shape).stack(L("conv2d", *args, name="conv", **kwargs)))
    return [
        conv("conv2d_basic", "3x3 convolution, stride 1, no padding.", [2, 6, 6], 3, kernel=3),
        conv("conv2d_stride2", "Stride 2 (output floor((7-3)/2)+1 = 3).", [2, 7, 7], 3, kernel=3, stride=2),
        conv("conv2d_padding1", "Zero padding 1 on every side.", [2, 5, 5], 3, kernel=3, padding=1),
        conv("conv2d_same_s1", "padding=same, stride 1, odd kernel: 1 on every side.",
             [2, 5, 6], 3, kernel=3, padding="same"),
        conv("conv2d_same_s1_k4", "padding=same, stride 1, even kernel 4: total 3 = 1 top/left + 2 bottom/right.",
             [2, 5, 6], 3, kernel=4, padding="same"),
        conv("conv2d_same_s2_even", "padding=same, stride 2, even input 8x10, kernel 3: total 1 = 0 top/left + 1 bottom/right.",
             [2, 8, 10], 3, kernel=3, stride=2, padding="same"),
        conv("conv2d_same_s2_odd", "padding=same, stride 2, odd input 7x9, kernel 3: total 2 = 1 + 1.",
             [2, 7, 9], 3, kernel=3, stride=2, padding="same"),
        conv("conv2d_same_s2_odd_k4", "padding=same, stride 2, odd input 7x9, kernel 4: total 3 = 1 top/left + 2 bottom/right.",
             [2, 7, 9], 3, kernel=4, stride=2, padding="same"),
        conv("conv2d_padding_tblr", "Explicit [top, bottom, left, right] = [0, 2, 1, 3] padding.",
             [2, 5, 6], 3, kernel=3, padding=[0, 2, 1, 3]),
        conv("conv2d_dilation2", "Dilation 2 (effective kernel 5) with padding 2.",
             [2, 9, 9], 3, kernel=3, dilation=2, padding=2),
        conv("conv2d_groups2", "Two groups: filters 0-2 see channels 0-1, filters 3-5 see channels 2-3.",
             [4, 6, 6], 6, kernel=3, groups=2, padding=1),
        conv("conv2d_no_bias", "bias=false: the weights file has no conv.bias.", [2, 6, 6], 3, kernel=3, bias=False),
        conv("conv2d_nonsquare", "Kernel [3, 5], stride [2, 1], padding [vertical 1, horizontal 2].",
             [2, 9, 10], 4, kernel=[3, 5], stride=[2, 1], padding=[1, 2]),
        Case("depthwise_conv2d", model("depthwise_conv2d", "Depthwise 3x3 with multiplier 2: conv2d groups=C, "
                                       "output channels 2c and 2c+1 read input channel c.", [3, 6, 6])
             .stack(L("depthwise_conv2d", kernel=3, multiplier=2, padding=1, name="dw"))),
        Case("conv_transpose2d", model("conv_transpose2d", "Transposed conv: stride 2, padding 1, output_padding 1: "
                                       "4x4 -> 8x8.", [3, 4, 4])
             .stack(L("conv_transpose2d", 2, kernel=3, stride=2, padding=1, output_padding=1, name="up"))),
        Case("conv_transpose2d_groups_dilation",
             model("conv_transpose2d_groups_dilation", "Transposed conv with groups 2, dilation 2, stride 2, "
                   "padding 1, output_padding 1: 4x5 -> 10x12.", [4, 4, 5])
             .stack(L("conv_transpose2d", 6, kernel=3, stride=2, padding=1, output_padding=1, dilation=2,
                      groups=2, name="up"))),
    ]


def pool_cases():
    def pool(name, comment, shape, layer):
        return Case(name, model(name, comment, shape).stack(layer))
    return [
        pool("maxpool2", "2x2 max pooling, stride 2; the odd last column is dropped.", [3, 6, 7], L("maxpool", 2)),
        pool("maxpool3_s2_p1", "3x3 max pooling, stride 2, padding 1 (padded cells never win).",
             [2, 9, 8], L("maxpool", 3, stride=2, padding=1)),
        pool("maxpool_same", "2x2 max pooling with padding=same on 7x8: one padded row at the bottom.",
             [2, 7, 8], L("maxpool", 2, padding="same")),
        pool("avgpool_pad_include", "3x3 average pooling, stride 2, padding 1, padded cells counted (default).",
             [2, 7, 7], L("avgpool", 3, stride=2, padding=1)),
        pool("avgpool_pad_exclude", "3x3 average pooling, stride 2, padding 1, count_include_pad=false.",
             [2, 7, 7], L("avgpool", 3, stride=2, padding=1, count_include_pad=False)),
        pool("globalavgpool", "Global average pooling: [C, H, W] -> [C].", [4, 5, 6], L("globalavgpool")),
        pool("globalmaxpool", "Global max pooling: [C, H, W] -> [C].", [4, 5, 6], L("globalmaxpool")),
    ]


def dense_cases():
    return [
        Case("dense", model("dense", "Fully connected 12 -> 5.", [12]).stack(L("dense", 5, name="fc"))),
        Case("flatten_dense", model("flatten_dense", "flatten is channel-major (C, H, W), then dense 60 -> 7.",
                                    [3, 4, 5]).stack(L("flatten"), L("dense", 7, name="fc"))),
        Case("dropout", model("dropout", "Dropout is the identity at inference.", [10])
             .chain(L("dense", 8, name="fc1"), L("dropout", 0.3), L("dense", 4, name="fc2"))),
    ]


def batchnorm_cases():
    return [
        Case("batchnorm_conv", model("batchnorm_conv", "Batch norm (epsilon 1e-3) on a conv feature map.", [3, 5, 5])
             .stack(L("conv2d", 4, kernel=3, padding=1, name="conv"), L("batchnorm", epsilon="1e-3", name="bn"))),
        Case("batchnorm_dense", model("batchnorm_dense", "Batch norm (epsilon 1e-3) after dense: BatchNorm1d.", [10])
             .stack(L("dense", 6, name="fc"), L("batchnorm", epsilon="1e-3", name="bn"))),
        Case("batchnorm_default_eps", model("batchnorm_default_eps", "Batch norm with the default epsilon 1e-5 "
                                            "(some running variances are small, so epsilon matters).", [3, 4, 4])
             .stack(L("batchnorm", name="bn"))),
    ]


def activation_cases():
    wide = scaled_normal(2.5)

    def act(name, comment, shape, *layers):
        return Case(name, model(name, comment, shape).stack(*layers), inputs=wide)
    return [
        act("act_relu", "relu on a feature map.", [3, 4, 5], L("relu")),
        act("act_leaky_relu", "leaky_relu with alpha 0.2.", [3, 4, 5], L("leaky_relu", 0.2)),
        act("act_elu", "elu with alpha 0.7.", [3, 4, 5], L("elu", 0.7)),
        act("act_sigmoid", "sigmoid.", [3, 4, 5], L("sigmoid")),
        act("act_tanh", "tanh.", [3, 4, 5], L("tanh")),
        act("softmax_map", "softmax over channels, per pixel, on a [4, 3, 3] map.", [4, 3, 3], L("softmax")),
        act("softmax_vector", "softmax over a vector of 10.", [10], L("softmax")),
        Case("act_defaults", model("act_defaults", "Default slopes: leaky_relu 0.01 and elu 1.0, side by side.",
                                   [2, 4, 4])
             .assign("a", L("leaky_relu", inputs=["x"]))
             .assign("b", L("elu", inputs=["x"]))
             .assign("y", L("concat", inputs=["a", "b"]))
             .output("y"), inputs=wide),
        Case("fused_activations", model("fused_activations", "activation= on conv2d and dense layers.", [2, 8, 8])
             .stack(L("conv2d", 4, kernel=3, activation="leaky_relu(0.2)", name="c1"),
                    L("conv2d", 4, kernel=3, activation="elu(0.7)", name="c2"),
                    L("flatten"),
                    L("dense", 6, activation="sigmoid", name="fc1"),
                    L("dense", 5, activation="tanh", name="fc2"),
                    L("dense", 3, activation="softmax", name="fc3"))),
    ]


def structure_cases():
    return [
        Case("maxout", model("maxout", "maxout(pieces=2) on a 6-channel conv output: channel j = "
                                       "max(channel 2j, channel 2j+1).", [3, 5, 5])
             .stack(L("conv2d", 6, kernel=3, name="conv"), L("maxout", pieces=2))),
        Case("add_residual", model("add_residual", "A residual connection: relu(x + conv(x)).", [4, 6, 6])
             .assign("a", L("conv2d", 4, kernel=3, padding=1, inputs=["x"], name="conv"))
             .assign("y", L("add", inputs=["x", "a"]), L("relu"))
             .output("y")),
        Case("concat", model("concat", "concat of three values along channels: conv_a (2), x (3), conv_b (4).",
                             [3, 5, 5])
             .assign("a", L("conv2d", 2, kernel=1, inputs=["x"], name="conv_a"))
             .assign("b", L("conv2d", 4, kernel=3, padding=1, inputs=["x"], name="conv_b"))
             .assign("y", L("concat", inputs=["a", "x", "b"]))
             .output("y")),
        Case("pixel_shuffle", model("pixel_shuffle", "pixel_shuffle(2): [8, 3, 4] -> [2, 6, 8].", [8, 3, 4])
             .stack(L("pixel_shuffle", 2))),
        Case("normalize", model("normalize", "Per-channel normalization with the ImageNet mean and std.", [3, 4, 4])
             .stack(L("normalize", mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])), inputs=uniform01),
        Case("normalize_scalar", model("normalize_scalar", "One mean and std for every channel.", [2, 3, 3])
             .stack(L("normalize", 0.5, 0.25)), inputs=uniform01),
        Case("rescale", model("rescale", "rescale(1/255) of 8-bit pixel values.", [1, 5, 5])
             .stack(L("rescale", "1/255")), inputs=pixels255),
        Case("rescale_offset", model("rescale_offset", "rescale(2/255, offset=-1): pixels to [-1, 1].", [3, 4, 4])
             .stack(L("rescale", "2/255", offset=-1)), inputs=pixels255),
    ]


def pad_cases():
    """Added after the model cases: generate.py lists them last, so cases.txt only grows."""
    return [
        Case("pad", model("pad", "pad([1, 0, 2, 3]): zero rows on top, zero columns left and right (F.pad).",
                          [2, 4, 5])
             .stack(L("pad", [1, 0, 2, 3]))),
        Case("pad_conv", model("pad_conv", "pad([0, 1, 0, 1]) then a stride-2 3x3 conv: TensorFlow's stride-2 'same'\n"
                                           "as an explicit pad (MergePad folds it into the conv).", [3, 8, 8])
             .stack(L("pad", [0, 1, 0, 1]), L("conv2d", 4, kernel=3, stride=2, activation="relu", name="conv"))),
    ]


def cases():
    return conv_cases() + pool_cases() + dense_cases() + batchnorm_cases() + activation_cases() + structure_cases()
