#!/usr/bin/python3
"""Writes the Keras test model of Dl4jVictimTest (src/test/resources/keras/).

A Keras 2 Sequential encoder saved in Keras's HDF5 layout (the attributes and groups that
keras.Model.save(..., save_format="h5") writes): Conv2D(6, 3x3, relu, channels_last) on 12x12x1
images, GlobalAveragePooling2D, Dense(10, relu). Keras itself is not needed (Debian has no
TensorFlow): the file is written with h5py from the same layout, the weights are seeded, and the
representations of four test images are computed here with NumPy (the reference DL4J's import must
reproduce) and written beside it.

Run with Debian's python3-h5py:  /usr/bin/python3 scripts/keras-fixture.py
"""
import json
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "keras")
H = W = 12
C_IN, FILTERS, UNITS = 1, 6, 10

rng = np.random.default_rng(7)
kernel = rng.normal(0, 0.5, (3, 3, C_IN, FILTERS)).astype(np.float32)  # Keras: [kh, kw, in, out]
bias = rng.normal(0, 0.1, FILTERS).astype(np.float32)
dense_w = rng.normal(0, 0.5, (FILTERS, UNITS)).astype(np.float32)      # Keras: [in, out]
dense_b = rng.normal(0, 0.1, UNITS).astype(np.float32)


def init(name):
    return {"class_name": name, "config": {"seed": None} if name == "GlorotUniform" else {}}


layers = [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, H, W, C_IN], "dtype": "float32", "sparse": False,
                                            "ragged": False, "name": "images"}},
    {"class_name": "Conv2D", "config": {"name": "conv", "trainable": True, "dtype": "float32", "filters": FILTERS,
                                        "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid",
                                        "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
                                        "activation": "relu", "use_bias": True, "kernel_initializer": init("GlorotUniform"),
                                        "bias_initializer": init("Zeros"), "kernel_regularizer": None,
                                        "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
                                        "bias_constraint": None}},
    {"class_name": "GlobalAveragePooling2D", "config": {"name": "pool", "trainable": True, "dtype": "float32",
                                                        "data_format": "channels_last", "keepdims": False}},
    {"class_name": "Dense", "config": {"name": "representation", "trainable": True, "dtype": "float32", "units": UNITS,
                                       "activation": "relu", "use_bias": True, "kernel_initializer": init("GlorotUniform"),
                                       "bias_initializer": init("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
                                       "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}},
]
config = {"class_name": "Sequential", "config": {"name": "encoder", "layers": layers}}

os.makedirs(OUT, exist_ok=True)
with h5py.File(os.path.join(OUT, "encoder.h5"), "w") as f:
    f.attrs["keras_version"] = b"2.6.0"
    f.attrs["backend"] = b"tensorflow"
    f.attrs["model_config"] = json.dumps(config).encode()
    mw = f.create_group("model_weights")
    mw.attrs["keras_version"] = b"2.6.0"
    mw.attrs["backend"] = b"tensorflow"
    mw.attrs["layer_names"] = np.array([b"conv", b"pool", b"representation"])
    for name, weights in (("conv", {"kernel:0": kernel, "bias:0": bias}), ("pool", {}),
                          ("representation", {"kernel:0": dense_w, "bias:0": dense_b})):
        g = mw.create_group(name)
        g.attrs["weight_names"] = np.array([f"{name}/{w}".encode() for w in weights], dtype="S")
        if weights:
            inner = g.create_group(name)
            for w, v in weights.items():
                inner.create_dataset(w, data=v)

# four test images in [0,1] (NCHW order, as StealBench holds them), and what the encoder gives
n = 4
images = np.array([[(((i * 7 + y * 3 + x * 5) % 11) / 10.0) for y in range(H) for x in range(W)] for i in range(n)],
                  dtype=np.float32).reshape(n, C_IN, H, W)
x = images.transpose(0, 2, 3, 1)  # NHWC, as Keras takes them
conv = np.zeros((n, H - 2, W - 2, FILTERS), dtype=np.float64)
for dy in range(3):
    for dx in range(3):
        conv += np.einsum("nhwc,cf->nhwf", x[:, dy:dy + H - 2, dx:dx + W - 2, :], kernel[dy, dx])
conv = np.maximum(conv + bias, 0)
pooled = conv.mean(axis=(1, 2))
rep = np.maximum(pooled @ dense_w + dense_b, 0)
with open(os.path.join(OUT, "encoder-expected.json"), "w") as f:
    json.dump({"shape": [n, C_IN, H, W], "images": images.reshape(-1).tolist(), "representations": rep.tolist()}, f)
print("wrote", os.path.join(OUT, "encoder.h5"), "and encoder-expected.json;", "representations up to", rep.max())
