#!/usr/bin/env python3
"""Writes Keras model files (Keras 3 `.keras` and legacy Keras 2 `.h5`) with PyTorch golden outputs.

TensorFlow/Keras is not installable here, so the files are written with h5py, zipfile and json in
the layouts Keras itself writes (read from keras-team/keras: keras/src/saving/saving_lib.py and
keras/src/legacy/saving/legacy_h5_format.py; checked against a Keras 3.15-written .keras file):

- Keras 3 `.keras`: a zip (stored, not deflated) of `metadata.json` ({"keras_version",
  "date_saved"}), `config.json` (serialize_keras_object of the model: {"module", "class_name",
  "config": {"name", "layers": [...]}, ...}) and `model.weights.h5`, in which each layer's
  variables are datasets `layers/<snake_case(class name)>[_N]/vars/<i>` (the counter per class
  name, in the order of model.layers; InputLayer counted only in Functional models), `i` in the
  order trainable then non-trainable variables, each `vars` group carrying a `name` attribute
  with the layer's name, and the model's own `vars` group at the root.
- Keras 2 `.h5` (model.save("m.h5")): root attributes `keras_version`, `backend` and
  `model_config` (JSON, bytes); group `model_weights` with attributes `layer_names`, `backend`,
  `keras_version`; one group per layer (by name) with attribute `weight_names`
  (`<layer>/kernel:0`, ...) and one dataset per weight at that (nested) path.
- Keras 3 `.h5` (Keras 3's legacy writer): the same layout with Keras-2-style config and weight names
  without `:0` (`<layer>/kernel`), plus `top_level_model_weights` (write_keras3_h5).
- tf.keras 2.13-2.15 `.keras`: like Keras 3's archive, but the layers' variables sit under
  `_layer_checkpoint_dependencies/<key>/vars/<i>` with tf.keras's numbering (write_tf_keras; read from
  keras-team/keras's keras/src/saving/saving_lib.py at the 2.13 line and engine/functional.py).

The golden outputs are computed in PyTorch on the channels-last tensors, reproducing Keras's
semantics (NHWC activations, Flatten in H, W, C order, Dense as x @ kernel, TensorFlow's SAME
padding with the odd pixel at the bottom/right, average pooling over valid cells only). Inputs and
outputs are stored in Striate's order (inputs C, H, W; outputs are vectors).
Fixtures go to importer/src/test/resources/keras/<case>/: model.keras or model.h5, golden.json.
"""

import io
import json
import math
import os
import shutil
import sys
import zipfile

import h5py
import numpy as np
import torch
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "importer", "src", "test", "resources", "keras")


def snake(name):
    import re
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


# ---- the models: (class, name, config, inputs); weights drawn per layer in Keras's order ----------

def init(ini="GlorotUniform"):
    return {"module": "keras.initializers", "class_name": ini, "config": {"seed": None}, "registered_name": None}


def conv_cfg(filters, k, strides=1, padding="valid", dilation=1, groups=1, activation="linear", use_bias=True):
    pair = lambda v: [v, v] if isinstance(v, int) else list(v)  # noqa: E731
    return {"filters": filters, "kernel_size": pair(k), "strides": pair(strides), "padding": padding,
            "data_format": "channels_last", "dilation_rate": pair(dilation), "groups": groups,
            "activation": activation, "use_bias": use_bias, "kernel_initializer": init(),
            "bias_initializer": init("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}


def sequential_cnn(input_shape, filters, units, classes):
    """The Keras MNIST CNN's layers: two Conv2D, a max pool, Dropout, Flatten, Dense, Dropout, Dense softmax
    (two layers of each repeated class, so the storage keys' numbering is exercised)."""
    return input_shape, [
        ("Conv2D", "conv2d", conv_cfg(filters[0], 3, activation="relu"), None),
        ("Conv2D", "conv2d_1", conv_cfg(filters[1], 3, activation="relu"), None),
        ("MaxPooling2D", "max_pooling2d", {"pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
                                           "data_format": "channels_last"}, None),
        ("Dropout", "dropout", {"rate": 0.25, "seed": None, "noise_shape": None}, None),
        ("Flatten", "flatten", {"data_format": "channels_last"}, None),
        ("Dense", "dense", {"units": units, "activation": "relu", "use_bias": True}, None),
        ("Dropout", "dropout_1", {"rate": 0.5, "seed": None, "noise_shape": None}, None),
        ("Dense", "dense_1", {"units": classes, "activation": "softmax", "use_bias": True}, None),
    ]


def mnist_cnn():
    return sequential_cnn((28, 28, 1), (4, 8), 16, 10)


def small_cnn():
    """A smaller one for the tf.keras 2.13 layout."""
    return sequential_cnn((8, 8, 2), (4, 4), 8, 3)


def small_bn():
    """A small Sequential CNN with BatchNormalization (trainable then non-trainable variables) and two Dense layers."""
    return (6, 6, 3), [
        ("Conv2D", "conv2d", conv_cfg(4, 3, use_bias=False), None),
        ("BatchNormalization", "batch_normalization", bn_cfg(), None),
        ("ReLU", "re_lu", {"max_value": None, "negative_slope": 0.0, "threshold": 0.0}, None),
        ("Flatten", "flatten", {"data_format": "channels_last"}, None),
        ("Dense", "dense", {"units": 6, "activation": "tanh", "use_bias": True}, None),
        ("Dense", "dense_1", {"units": 2, "activation": "linear", "use_bias": True}, None),
    ]


def bn_cfg(eps=1e-3):
    return {"axis": -1, "momentum": 0.99, "epsilon": eps, "center": True, "scale": True}


def residual():
    """Functional: Rescaling, BatchNormalization, ReLU, depthwise, Add, stride-2 SAME, Concatenate, transposed."""
    return (12, 12, 3), [
        ("Rescaling", "scale_in", {"scale": 0.5, "offset": -0.25}, ["input_layer"]),
        ("Conv2D", "stem", conv_cfg(8, 3, padding="same", use_bias=False), ["scale_in"]),
        ("BatchNormalization", "stem_bn", bn_cfg(), ["stem"]),
        ("ReLU", "stem_relu", {"max_value": None, "negative_slope": 0.0, "threshold": 0.0}, ["stem_bn"]),
        ("DepthwiseConv2D", "dw", {"kernel_size": [3, 3], "strides": [1, 1], "padding": "same",
                                   "data_format": "channels_last", "dilation_rate": [1, 1], "depth_multiplier": 1,
                                   "activation": "linear", "use_bias": True}, ["stem_relu"]),
        ("BatchNormalization", "dw_bn", bn_cfg(1e-2), ["dw"]),
        ("Conv2D", "pw", conv_cfg(8, 1), ["dw_bn"]),
        ("Add", "add", {}, ["stem_relu", "pw"]),
        ("Conv2D", "down", conv_cfg(6, 3, strides=2, padding="same", activation="relu"), ["add"]),
        ("MaxPooling2D", "pool", {"pool_size": [3, 3], "padding": "same", "strides": [2, 2],
                                  "data_format": "channels_last"}, ["add"]),
        ("Concatenate", "concat", {"axis": -1}, ["down", "pool"]),
        ("Conv2DTranspose", "up", dict(conv_cfg(4, 4, strides=2, padding="same"), output_padding=None),
         ["concat"]),
        ("GlobalAveragePooling2D", "gap", {"data_format": "channels_last", "keepdims": False}, ["up"]),
        ("Dense", "head", {"units": 5, "activation": "linear", "use_bias": True}, ["gap"]),
        ("Activation", "probs", {"activation": "softmax"}, ["head"]),
    ]


def zoo():
    """Functional (Keras 2 .h5): ZeroPadding2D, dilation, separable, transposed, groups, avg SAME, ELU, LeakyReLU."""
    return (10, 10, 2), [
        ("ZeroPadding2D", "zero_padding2d", {"padding": [[1, 0], [2, 1]], "data_format": "channels_last"},
         ["input_1"]),
        ("Conv2D", "conv_dil", conv_cfg(6, 3, dilation=2, activation="elu"), ["zero_padding2d"]),
        ("LeakyReLU", "leaky", {"alpha": 0.2}, ["conv_dil"]),
        ("SeparableConv2D", "sep", dict(conv_cfg(8, 3, padding="same"), depth_multiplier=2), ["leaky"]),
        ("Conv2DTranspose", "up", dict(conv_cfg(4, 2, strides=2), output_padding=None), ["sep"]),
        ("Conv2D", "grouped", conv_cfg(4, 3, strides=2, groups=2, activation="tanh"), ["up"]),
        ("AveragePooling2D", "avg", {"pool_size": [3, 3], "padding": "same", "strides": [2, 2],
                                     "data_format": "channels_last"}, ["grouped"]),
        ("ELU", "elu", {"alpha": 0.5}, ["avg"]),
        ("GlobalMaxPooling2D", "gmp", {"data_format": "channels_last", "keepdims": False}, ["elu"]),
        ("Dense", "from_max", {"units": 6, "activation": "sigmoid", "use_bias": True}, ["gmp"]),
        ("Flatten", "flat", {"data_format": "channels_last"}, ["elu"]),
        ("Dense", "from_flat", {"units": 6, "activation": "linear", "use_bias": False}, ["flat"]),
        ("Add", "sum", {}, ["from_max", "from_flat"]),
        ("BatchNormalization", "vec_bn", bn_cfg(), ["sum"]),
        ("Dense", "out", {"units": 3, "activation": "linear", "use_bias": True}, ["vec_bn"]),
        ("Softmax", "softmax", {"axis": -1}, ["out"]),
    ]


# ---- channels-last forward pass in PyTorch (Keras's semantics) --------------------------------------

def same_pads(size, k, s, d=1):
    out = -(-size // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - size, 0)
    return total // 2, total - total // 2


def nchw(x):
    return x.permute(0, 3, 1, 2)


def nhwc(x):
    return x.permute(0, 2, 3, 1)


def act(x, name):
    return {"linear": lambda v: v, "relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "elu": F.elu,
            "softmax": lambda v: torch.softmax(v, dim=-1)}[name](x)


def padded(x, cfg, k, fill=0.0):
    """x NHWC; returns NCHW with TensorFlow's SAME padding for window k (or none for VALID)."""
    s, d = cfg.get("strides", [1, 1]), cfg.get("dilation_rate", [1, 1])
    y = nchw(x)
    if cfg["padding"] == "same":
        t, b = same_pads(x.shape[1], k[0], s[0], d[0])
        left, r = same_pads(x.shape[2], k[1], s[1], d[1])
        y = F.pad(y, (left, r, t, b), value=fill)
    return y


def forward(cls, cfg, w, xs):
    x = xs[0]
    if cls == "Conv2D":
        k = w[0]
        y = F.conv2d(padded(x, cfg, k.shape[:2]), k.permute(3, 2, 0, 1), w[1] if cfg["use_bias"] else None,
                     stride=cfg["strides"], dilation=cfg["dilation_rate"], groups=cfg["groups"])
        return act(nhwc(y), cfg["activation"])
    if cls == "DepthwiseConv2D" or cls == "SeparableConv2D":
        dk = w[0]
        c, m = dk.shape[2], dk.shape[3]
        y = F.conv2d(padded(x, cfg, dk.shape[:2]), dk.reshape(dk.shape[0], dk.shape[1], c * m).permute(2, 0, 1)
                     .unsqueeze(1), None, stride=cfg["strides"], dilation=cfg["dilation_rate"], groups=c)
        if cls == "SeparableConv2D":
            y = F.conv2d(y, w[1].permute(3, 2, 0, 1))
        if cfg["use_bias"]:
            y = y + w[-1].view(1, -1, 1, 1)
        return act(nhwc(y), cfg["activation"])
    if cls == "Conv2DTranspose":
        k = w[0]  # (kh, kw, out, in)
        y = F.conv_transpose2d(nchw(x), k.permute(3, 2, 0, 1), w[1] if cfg["use_bias"] else None,
                               stride=cfg["strides"], dilation=cfg["dilation_rate"])
        if cfg["padding"] == "same":  # TensorFlow crops (K - S) // 2 at the top/left, the rest at the bottom/right
            oh, ow = x.shape[1] * cfg["strides"][0], x.shape[2] * cfg["strides"][1]
            t, left = (y.shape[2] - oh) // 2, (y.shape[3] - ow) // 2
            y = y[:, :, t:t + oh, left:left + ow]
        return act(nhwc(y), cfg["activation"])
    if cls in ("MaxPooling2D", "AveragePooling2D"):
        k, s = cfg["pool_size"], cfg["strides"]
        if cls == "MaxPooling2D":
            return nhwc(F.max_pool2d(padded(x, cfg, k, -math.inf), k, s))
        total = F.avg_pool2d(padded(x, cfg, k), k, s)
        count = F.avg_pool2d(padded(torch.ones_like(x), cfg, k), k, s)
        return nhwc(total / count)
    if cls == "GlobalAveragePooling2D":
        return x.mean(dim=(1, 2))
    if cls == "GlobalMaxPooling2D":
        return x.amax(dim=(1, 2))
    if cls == "Flatten":
        return x.reshape(x.shape[0], -1)
    if cls == "Dense":
        y = x @ w[0]
        return act(y + w[1] if cfg["use_bias"] else y, cfg["activation"])
    if cls == "BatchNormalization":
        g, b, mean, var = w
        return (x - mean) / torch.sqrt(var + cfg["epsilon"]) * g + b
    if cls == "Dropout":
        return x
    if cls == "Rescaling":
        return x * cfg["scale"] + cfg["offset"]
    if cls == "ReLU":
        return F.relu(x)
    if cls == "LeakyReLU":
        return F.leaky_relu(x, cfg.get("alpha", cfg.get("negative_slope", 0.3)))
    if cls == "ELU":
        return F.elu(x, cfg["alpha"])
    if cls == "Activation":
        return act(x, cfg["activation"])
    if cls == "Softmax":
        return torch.softmax(x, dim=-1)
    if cls == "ZeroPadding2D":
        (t, b), (left, r) = cfg["padding"]
        return F.pad(x, (0, 0, left, r, t, b))
    if cls == "Add":
        return xs[0] + xs[1]
    if cls == "Concatenate":
        return torch.cat(xs, dim=-1)
    raise ValueError(cls)


# ---- weights in Keras's layouts ---------------------------------------------------------------------

def make_weights(cls, cfg, in_shape, gen):
    """Keras's variables for a layer (trainable first, then non-trainable), as (short name, array)."""
    def rnd(*shape, scale=0.3):
        return (torch.rand(*shape, generator=gen) * 2 - 1) * scale

    c = in_shape[-1]
    if cls == "Conv2D":
        k = cfg["kernel_size"]
        w = [("kernel", rnd(k[0], k[1], c // cfg["groups"], cfg["filters"]))]
        return w + ([("bias", rnd(cfg["filters"], scale=0.1))] if cfg["use_bias"] else [])
    if cls == "DepthwiseConv2D":
        k, m = cfg["kernel_size"], cfg["depth_multiplier"]
        return [("depthwise_kernel", rnd(k[0], k[1], c, m)), ("bias", rnd(c * m, scale=0.1))]
    if cls == "SeparableConv2D":
        k, m = cfg["kernel_size"], cfg["depth_multiplier"]
        return [("depthwise_kernel", rnd(k[0], k[1], c, m)), ("pointwise_kernel", rnd(1, 1, c * m, cfg["filters"])),
                ("bias", rnd(cfg["filters"], scale=0.1))]
    if cls == "Conv2DTranspose":
        k = cfg["kernel_size"]
        return [("kernel", rnd(k[0], k[1], cfg["filters"], c)), ("bias", rnd(cfg["filters"], scale=0.1))]
    if cls == "Dense":
        w = [("kernel", rnd(c, cfg["units"]))]
        return w + ([("bias", rnd(cfg["units"], scale=0.1))] if cfg["use_bias"] else [])
    if cls == "BatchNormalization":
        return [("gamma", 1 + rnd(c, scale=0.2)), ("beta", rnd(c, scale=0.2)), ("moving_mean", rnd(c, scale=0.2)),
                ("moving_variance", 0.5 + torch.rand(c, generator=gen))]
    return []


def run(input_shape, layers, functional, input_name, seed):
    gen = torch.Generator().manual_seed(seed)
    xs = torch.rand(2, *input_shape, generator=gen)
    values = {input_name: xs}
    weights = {}
    prev = input_name
    for cls, name, cfg, inputs in layers:
        ins = [values[i] for i in (inputs if functional else [prev])]
        w = make_weights(cls, cfg, tuple(ins[0].shape[1:]), gen)
        weights[name] = w
        values[name] = forward(cls, cfg, [a for _, a in w], ins)
        prev = name
    return xs, values[prev], weights


def container_key(cls, used):
    """saving_lib._save_container_state's name for the next object of class `cls` (counter per class in `used`)."""
    key = snake(cls)
    if key in used:
        used[key] += 1
        return f"{key}_{used[key]}"
    used[key] = 0
    return key


# ---- Keras 3 .keras -----------------------------------------------------------------------------------

POLICY = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def keras3_layer(cls, name, cfg, shape=None):
    module = "keras.layers"
    full = dict({"name": name, "trainable": True, "dtype": POLICY}, **cfg)
    entry = {"module": module, "class_name": cls, "config": full, "registered_name": None}
    if shape is not None:
        entry["build_config"] = {"input_shape": shape}
    return entry


def tensor_ref(name, shape):
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32",
                                                         "keras_history": [name, 0, 0]}}


def write_keras3(path, input_shape, layers, weights, functional, shapes):
    batch_shape = [None, *input_shape]
    input_name = "input_layer"
    in_layer = {"module": "keras.layers", "class_name": "InputLayer",
                "config": {"batch_shape": batch_shape, "dtype": "float32", "sparse": False, "ragged": False,
                           "name": input_name}, "registered_name": None}
    if functional:
        cfg_layers = [dict(in_layer, name=input_name, inbound_nodes=[])]
        for cls, name, cfg, inputs in layers:
            e = keras3_layer(cls, name, cfg, shapes[inputs[0]] if len(inputs) == 1 else [shapes[i] for i in inputs])
            refs = [tensor_ref(i, shapes[i]) for i in inputs]
            e["name"] = name
            e["inbound_nodes"] = [{"args": [refs] if cls in ("Add", "Concatenate") else refs, "kwargs": {}}]
            cfg_layers.append(e)
        model = {"module": "keras.src.models.functional", "class_name": "Functional",
                 "config": {"name": "functional", "trainable": True, "layers": cfg_layers,
                            "input_layers": [input_name, 0, 0], "output_layers": [layers[-1][1], 0, 0]},
                 "registered_name": "Functional", "build_config": {"input_shape": None}}
    else:
        cfg_layers = [in_layer]
        prev = input_name
        for cls, name, cfg, _ in layers:
            cfg_layers.append(keras3_layer(cls, name, cfg, shapes[prev]))
            prev = name
        model = {"module": "keras", "class_name": "Sequential",
                 "config": {"name": "sequential", "trainable": True, "dtype": POLICY, "layers": cfg_layers},
                 "registered_name": None, "build_config": {"input_shape": batch_shape}}
    model["compile_config"] = {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}

    h5 = io.BytesIO()
    with h5py.File(h5, "w") as f:
        used = {}
        order = ([("InputLayer", input_name)] if functional else []) + [(c, n) for c, n, _, _ in layers]
        for cls, name in order:
            key = container_key(cls, used)
            group = f.create_group(f"layers/{key}").create_group("vars")
            group.attrs["name"] = name
            for i, (_, value) in enumerate(weights.get(name, [])):
                group[str(i)] = value.numpy().astype(np.float32)
        f.create_group("vars").attrs["name"] = model["config"]["name"]
    write_archive(path, "3.15.0", model, h5)


def write_archive(path, version, model, h5):
    with zipfile.ZipFile(path, "w") as zf:  # stored, as Keras writes it; a fixed date for repeatable fixtures
        for name, data in (("metadata.json", json.dumps({"keras_version": version,
                                                         "date_saved": "2026-12-02@12:00:00"})),
                           ("config.json", json.dumps(model)), ("model.weights.h5", h5.getvalue())):
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 12, 2, 12, 0, 0)), data)


# ---- Keras 2 .h5 --------------------------------------------------------------------------------------

def keras2_layer(cls, name, cfg):
    return {"class_name": cls, "config": dict({"name": name, "trainable": True, "dtype": "float32"}, **cfg)}


def write_keras2(path, input_shape, layers, weights, functional, input_name):
    batch_shape = [None, *input_shape]
    in_layer = {"class_name": "InputLayer", "config": {"batch_input_shape": batch_shape, "dtype": "float32",
                                                       "sparse": False, "ragged": False, "name": input_name}}
    if functional:
        cfg_layers = [dict(in_layer, name=input_name, inbound_nodes=[])]
        for cls, name, cfg, inputs in layers:
            e = keras2_layer(cls, name, cfg)
            e["name"] = name
            e["inbound_nodes"] = [[[i, 0, 0, {}] for i in inputs]]
            cfg_layers.append(e)
        model = {"class_name": "Functional", "config": {"name": "model", "layers": cfg_layers,
                                                        "input_layers": [[input_name, 0, 0]],
                                                        "output_layers": [[layers[-1][1], 0, 0]]}}
    else:
        cfg_layers = [in_layer] + [keras2_layer(c, n, cfg) for c, n, cfg, _ in layers]
        model = {"class_name": "Sequential", "config": {"name": "sequential", "layers": cfg_layers}}
    names = ([input_name] if functional else []) + [n for _, n, _, _ in layers]
    write_h5(path, model, names, weights, "2.15.0", ":0")


def write_h5(path, model, names, weights, version, suffix, top_level=False):
    """legacy_h5_format's save_model_to_hdf5: root attributes, model_weights/<layer>/ with weight_names
    (`<layer>/<variable><suffix>`), the layers in sorted order, Keras 3's top_level_model_weights group."""
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = version
        f.attrs["model_config"] = json.dumps(model).encode("utf8")
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.asarray([n.encode("utf8") for n in names])
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = version.encode("utf8")
        for name in sorted(names):
            lg = g.create_group(name)
            ws = weights.get(name, [])
            wn = [f"{name}/{short}{suffix}".encode("utf8") for short, _ in ws]
            lg.attrs["weight_names"] = np.asarray(wn)  # as Keras's save_attributes_to_hdf5_group: [] is float64
            for n, (_, value) in zip(wn, ws):
                ds = lg.create_dataset(n.decode(), value.shape, dtype="<f4")
                ds[...] = value.numpy()
        if top_level:
            g.create_group("top_level_model_weights").attrs["weight_names"] = np.asarray([])


# ---- Keras 3's legacy .h5 writer (model.save("m.h5") in Keras 3) ---------------------------------------

def write_keras3_h5(path, input_shape, layers, weights):
    """Keras 3's legacy_h5_format.save_model_to_hdf5 for a Sequential model.

    Differences from Keras 2's files: the model_config is written with use_legacy_config=True (Keras 2 style
    {"class_name", "config"} entries, the InputLayer with `batch_shape`), the weight names are the variables'
    `path` (`<layer>/<variable>`, no `:0` suffix, so each dataset sits in a subgroup named after the layer inside
    the layer's group), and a `top_level_model_weights` group (empty weight_names) follows the layers.
    """
    batch_shape = [None, *input_shape]
    in_layer = {"class_name": "InputLayer", "config": {"batch_shape": batch_shape, "dtype": "float32",
                                                       "sparse": False, "name": "input_layer"}}
    cfg_layers = [in_layer] + [keras2_layer(c, n, cfg) for c, n, cfg, _ in layers]
    model = {"class_name": "Sequential", "config": {"name": "sequential", "trainable": True, "dtype": "float32",
                                                    "layers": cfg_layers}}
    write_h5(path, model, [n for _, n, _, _ in layers], weights, "3.15.0", "", top_level=True)


# ---- tf.keras 2.13-2.15 .keras (saving_lib with the layers reached through _layer_checkpoint_dependencies) ----

def write_tf_keras(path, input_shape, layers, weights):
    """tf.keras 2.13-2.15's saving_lib for a Sequential model.

    config.json is serialize_keras_object of the model (module/class_name/config/registered_name, layer dtypes as
    strings, the InputLayer with `batch_input_shape`). The weights file is walked over dir(model) in sorted
    order, so the layers are reached first through the `_layer_checkpoint_dependencies` OrderedDict
    (`layer_with_weights-k` then `layer-i` for each layer of model.layers, which excludes a Sequential's
    InputLayer): _save_container_state names every value by snake_case(class) with a per-class counter and
    skips the values already saved, so a layer with variables also uses up the next number (conv2d, conv2d_2,
    ...) while a layer without keeps one (dropout, dropout_1). Each layer's `vars` group holds datasets 0..n-1
    (trainable then non-trainable); the model's own `vars` group is at the root.
    """
    batch_shape = [None, *input_shape]
    in_layer = {"module": "keras.layers", "class_name": "InputLayer",
                "config": {"batch_input_shape": batch_shape, "dtype": "float32", "sparse": False, "ragged": False,
                           "name": "conv2d_input"}, "registered_name": None}
    cfg_layers = [in_layer] + [{"module": "keras.layers", "class_name": c,
                                "config": dict({"name": n, "trainable": True, "dtype": "float32"}, **cfg),
                                "registered_name": None} for c, n, cfg, _ in layers]
    model = {"module": "keras", "class_name": "Sequential",
             "config": {"name": "sequential", "layers": cfg_layers}, "registered_name": None,
             "build_config": {"input_shape": batch_shape},
             "compile_config": {"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}}
    h5 = io.BytesIO()
    with h5py.File(h5, "w") as f:
        f.create_group("vars")
        values = []
        for cls, name, _, _ in layers:
            if weights.get(name):
                values.append((cls, name))  # layer_with_weights-k
            values.append((cls, name))  # layer-i
        used, saved = {}, set()
        for cls, name in values:
            key = container_key(cls, used)
            if name in saved:
                continue
            saved.add(name)
            group = f.create_group(f"_layer_checkpoint_dependencies/{key}").create_group("vars")
            for i, (_, value) in enumerate(weights.get(name, [])):
                group[str(i)] = value.numpy().astype(np.float32)
    write_archive(path, "2.13.1", model, h5)


# ---- cases --------------------------------------------------------------------------------------------

CASES = [  # (case, builder, functional, format, seed)
    ("mnist_cnn_keras3", mnist_cnn, False, "keras", 1),
    ("mnist_cnn_keras2", mnist_cnn, False, "h5", 2),
    ("residual_keras3", residual, True, "keras", 3),
    ("zoo_keras2", zoo, True, "h5", 4),
    ("small_bn_keras3_h5", small_bn, False, "h5k3", 5),
    ("small_cnn_tf_keras213", small_cnn, False, "tfkeras", 6),
]


def main():
    torch.manual_seed(0)
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    for case, builder, functional, fmt, seed in CASES:
        input_shape, layers = builder()
        input_name = "input_layer" if fmt == "keras" else "input_1"
        if functional and fmt == "h5":
            layers = [(c, n, cfg, [input_name if i == "input_1" else i for i in ins]) for c, n, cfg, ins in layers]
        xs, ys, weights = run(input_shape, layers, functional, input_name, seed)
        shapes = shapes_of(input_shape, layers, functional, input_name, weights)
        d = os.path.join(OUT, case)
        os.makedirs(d)
        if fmt == "h5k3":
            write_keras3_h5(os.path.join(d, "model.h5"), input_shape, layers, weights)
        elif fmt == "tfkeras":
            write_tf_keras(os.path.join(d, "model.keras"), input_shape, layers, weights)
        elif fmt == "keras":
            write_keras3(os.path.join(d, "model.keras"), input_shape, layers, weights, functional, shapes)
        else:
            write_keras2(os.path.join(d, "model.h5"), input_shape, layers, weights, functional, input_name)
        inputs = nchw(xs) if xs.dim() == 4 else xs
        with open(os.path.join(d, "golden.json"), "w") as f:
            json.dump({"atol": 1e-5, "rtol": 1e-4, "inputs": inputs.reshape(2, -1).tolist(),
                       "outputs": ys.reshape(2, -1).tolist()}, f)
        print(case, tuple(ys.shape))
    with open(os.path.join(OUT, "cases.txt"), "w") as f:
        f.write("".join(c[0] + "\n" for c in CASES))


def shapes_of(input_shape, layers, functional, input_name, weights):
    values = {input_name: torch.zeros(1, *input_shape)}
    prev = input_name
    for cls, name, cfg, inputs in layers:
        ins = [values[i] for i in (inputs if functional else [prev])]
        values[name] = forward(cls, cfg, [a for _, a in weights.get(name, [])], ins)
        prev = name
    return {k: [None, *v.shape[1:]] for k, v in values.items()}


if __name__ == "__main__":
    sys.exit(main())
