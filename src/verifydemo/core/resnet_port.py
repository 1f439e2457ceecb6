"""dlib's face-recognition ResNet run by OpenCV's DNN module instead of dlib's own CPU code.

``load_port`` reads the weights at load time from face_recognition_models' file (dlib's own
serialisation), assembles the same network as an ONNX graph in memory and hands the bytes to
``cv2.dnn.readNetFromONNX``; no converted model is shipped or written to disk. For the same
150x150 chip from ``dlib.get_face_chip`` the embedding matches dlib's
``compute_face_descriptor`` (``num_jitters=1``) to float32 rounding.

The network is dlib's ``anet_type`` (examples/dnn_face_recognition_ex.cpp): a 7x7 stem, 14
residual units and a 128-wide linear head. Where a down-sampling unit's two branches differ in
size, dlib adds them with the smaller one zero-padded (``tt::add``); the graph does the same.
"""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import cv2
import numpy as np

from verifydemo.core.i18n import Message

CHIP_SIZE = 150
EMBEDDING_SIZE = 128


@dataclass(frozen=True)
class Conv:
    """A convolution with the affine (frozen batch norm) after it folded in."""

    weights: np.ndarray  # (out, in, rows, cols), float32
    bias: np.ndarray  # (out,), float32
    stride: int
    padding: int


@dataclass(frozen=True)
class Unit:
    """One residual unit: relu(conv2(relu(conv1(x))) + shortcut(x))."""

    conv1: Conv
    conv2: Conv
    down: bool  # the shortcut is a 2x2/2 average pool of x, else x itself


@dataclass(frozen=True)
class Network:
    """Everything the port needs from the .dat file."""

    mean_rgb: tuple[float, float, float]
    stem: Conv
    stem_pool: tuple[int, int]  # max pool (size, stride)
    units: tuple[Unit, ...]
    head: np.ndarray  # (in, 128) float32, no bias


# ----------------------------------------------------------------------------- .dat reader


class _Reader:
    """A cursor over dlib's serialisation (dlib/serialize.h, dlib/cuda/tensor.h)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, size: int) -> bytes:
        if self.pos + size > len(self.data):
            raise ValueError("file ends early")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def int(self) -> int:
        """An integer: a control byte (size in the low 4 bits, 0x80 = negative), then bytes."""
        control = self.take(1)[0]
        value = int.from_bytes(self.take(control & 0x0F), "little")
        return -value if control & 0x80 else value

    def float(self) -> float:
        """A float_details: mantissa and exponent, both as integers."""
        mantissa, exponent = self.int(), self.int()
        return math.ldexp(mantissa, exponent) if exponent < 32000 else math.nan

    def bool(self) -> bool:
        return self.take(1) == b"1"

    def str(self) -> str:
        return self.take(self.int()).decode("ascii")

    def tensor(self) -> np.ndarray:
        """A tensor (version 2): four dimensions, then little-endian float32 values."""
        if self.int() != 2:
            raise ValueError(f"unknown tensor version at byte {self.pos}")
        shape = tuple(self.int() for _ in range(4))
        return np.frombuffer(self.take(4 * math.prod(shape)), "<f4").reshape(shape)

    def alias(self) -> tuple[int, ...]:
        """An alias_tensor: only the shape of a slice of a layer's parameters."""
        if self.int() != 1:
            raise ValueError(f"unknown alias_tensor version at byte {self.pos}")
        return tuple(self.int() for _ in range(4))


def _skip(read: Callable[[], object], times: int) -> None:
    for _time in range(times):
        read()


def _read_layer(reader: _Reader) -> tuple:
    """One layer's details as ``(kind, ...)``; only the kinds this network uses."""
    name = reader.str()
    kind = name.rstrip("_0123456789")
    if name in ("con_4", "con_5", "con_6"):
        params = reader.tensor().ravel()
        num_filters, rows, cols, stride_y, stride_x, pad_y, pad_x = (reader.int() for _ in range(7))
        filters, _biases = reader.alias(), reader.alias()
        _skip(reader.float, 4)  # learning-rate and weight-decay multipliers
        use_bias = reader.bool() if name != "con_4" else True
        if name == "con_6":
            reader.bool()  # use_relu (fused relu), only set by dlib's inference fusing
        if (stride_y, pad_y) != (stride_x, pad_x) or rows != cols:
            raise ValueError("non-square convolution")
        size = math.prod(filters)
        weights = params[:size].reshape(filters)
        bias = params[size : size + num_filters] if use_bias else np.zeros(num_filters, "f4")
        return ("con", weights, bias, stride_y, pad_y)
    if name in ("affine_", "affine_2"):
        params = reader.tensor().ravel()
        gamma_size = math.prod(reader.alias())
        reader.alias()
        if reader.int() != 0:
            raise ValueError("affine layer not in convolution mode")
        if name == "affine_2" and reader.bool():
            raise ValueError("disabled affine layer")
        return ("affine", params[:gamma_size], params[gamma_size : 2 * gamma_size])
    if name in ("relu_", "relu_2"):
        if name == "relu_2" and reader.bool():
            raise ValueError("disabled relu layer")
        return ("relu",)
    if name in ("max_pool_2", "avg_pool_2"):
        rows, cols, stride_y, stride_x, pad_y, pad_x = (reader.int() for _ in range(6))
        if (rows, stride_y, pad_y) != (cols, stride_x, pad_x):
            raise ValueError("non-square pooling")
        return (kind, rows, stride_y, pad_y)
    if name == "add_prev_":
        return ("add_prev",)
    if name in ("fc_2", "fc_3"):
        num_outputs, num_inputs = reader.int(), reader.int()
        params = reader.tensor().ravel()
        reader.alias(), reader.alias()
        if reader.int() != 1:
            raise ValueError("fc layer with a bias (expected fc_no_bias)")
        _skip(reader.float, 4)
        if name == "fc_3":
            reader.bool()
        return ("fc", params[: num_inputs * num_outputs].reshape(num_inputs, num_outputs))
    raise ValueError(f"unsupported layer {name!r}")


def _skip_layer_state(reader: _Reader, version: int) -> None:
    """Skip the training state dlib's add_layer stores after each layer (dlib/dnn/core.h)."""
    _skip(reader.bool, 3)
    _skip(reader.tensor, 3)
    if version == 3:
        reader.int()  # sample expansion factor, only on the layer over the input


def read_dat(data: bytes) -> tuple[tuple[float, float, float], list[tuple]]:
    """The input layer's mean colour and the layers from input to output, from a .dat file."""
    reader = _Reader(data)
    if reader.int() != 1 or reader.str() != "loss_metric_2":
        raise ValueError("not a dlib metric-learning network")
    reader.float(), reader.float()  # margin and distance threshold, training only
    versions = []  # outermost first: 2 = layer, 1 = tag or skip (nothing stored), 3 = first
    while not versions or versions[-1] != 3:
        versions.append(reader.int())
        if versions[-1] not in (1, 2, 3):
            raise ValueError(f"unknown layer version {versions[-1]}")
    if reader.str() != "input_rgb_image_sized":
        raise ValueError("unexpected input layer")
    mean_rgb = (reader.float(), reader.float(), reader.float())
    if (reader.int(), reader.int()) != (CHIP_SIZE, CHIP_SIZE):
        raise ValueError("unexpected input size")
    layers = []
    for version in reversed(versions):
        if version == 1:
            continue
        layers.append(_read_layer(reader))
        _skip_layer_state(reader, version)
    if reader.pos != len(data):
        raise ValueError(f"{len(data) - reader.pos} bytes left over")
    return mean_rgb, layers


def _fold(con: tuple, affine: tuple) -> Conv:
    """Fold ``gamma * conv(x) + beta`` into one convolution."""
    (_, weights, bias, stride, padding), (_, gamma, beta) = con, affine
    return Conv(
        weights=(weights * gamma[:, None, None, None]).astype(np.float32),
        bias=(bias * gamma + beta).astype(np.float32),
        stride=stride,
        padding=padding,
    )


def _expect(kinds: list[str], index: int, *names: str) -> None:
    if kinds[index : index + len(names)] != list(names):
        raise ValueError(f"expected {' '.join(names)} at layer {index}, found {kinds[index:]}")


def parse_network(mean_rgb: tuple[float, float, float], layers: list[tuple]) -> Network:
    """Check the layer list against anet_type's shape and return its parts."""
    kinds = [layer[0] for layer in layers]
    _expect(kinds, 0, "con", "affine", "relu", "max_pool")
    units, i = [], 4
    while kinds[i : i + 1] == ["con"]:
        _expect(kinds, i, "con", "affine", "relu", "con", "affine")
        down = kinds[i + 5 : i + 6] == ["avg_pool"]
        if down and layers[i + 5][1:] != (2, 2, 0):
            raise ValueError(f"unexpected shortcut pool at layer {i + 5}")
        _expect(kinds, i + 5 + down, "add_prev", "relu")
        units.append(Unit(_fold(*layers[i : i + 2]), _fold(*layers[i + 3 : i + 5]), down))
        i += 7 + down
    _expect(kinds, i, "avg_pool", "fc")
    if len(layers) != i + 2 or layers[i][1:] != (0, 1, 0) or layers[3][3] != 0:
        raise ValueError("unexpected pooling or trailing layers")
    return Network(
        mean_rgb=mean_rgb,
        stem=_fold(*layers[0:2]),
        stem_pool=layers[3][1:3],
        units=tuple(units),
        head=np.ascontiguousarray(layers[-1][1], dtype=np.float32),
    )


# ----------------------------------------------------------------------------- ONNX graph


def to_onnx(net: Network) -> bytes:
    """The network as ONNX model bytes: (n, 3, 150, 150) normalised chips -> (n, 128)."""
    from onnx import TensorProto, helper, numpy_helper

    nodes, weights, names = [], [], count()

    def const(array: np.ndarray) -> str:
        name = f"w{next(names)}"
        weights.append(numpy_helper.from_array(array, name))
        return name

    def op(kind: str, *inputs: str, **attributes: object) -> str:
        name = f"t{next(names)}"
        nodes.append(helper.make_node(kind, list(inputs), [name], **attributes))
        return name

    def conv(x: str, size: int, layer: Conv) -> tuple[str, int]:
        kernel = layer.weights.shape[2]
        y = op(
            "Conv",
            x,
            const(layer.weights),
            const(layer.bias),
            kernel_shape=[kernel] * 2,  # optional in ONNX, required by OpenCV 4.8
            strides=[layer.stride] * 2,
            pads=[layer.padding] * 4,
        )
        return y, (size + 2 * layer.padding - kernel) // layer.stride + 1

    def pad(x: str, channels: int, size: int, to_channels: int, to_size: int) -> str:
        """Zero-pad channels at the end and rows/columns at the bottom/right, as dlib's add."""
        if (channels, size) == (to_channels, to_size):
            return x
        amounts = [0, 0, 0, 0, 0, to_channels - channels, to_size - size, to_size - size]
        return op("Pad", x, const(np.array(amounts, np.int64)))

    x, size = conv("chips", CHIP_SIZE, net.stem)
    pool, stride = net.stem_pool
    x = op("MaxPool", op("Relu", x), kernel_shape=[pool] * 2, strides=[stride] * 2)
    size, channels = (size - pool) // stride + 1, net.stem.weights.shape[0]
    for unit in net.units:
        y, y_size = conv(x, size, unit.conv1)
        y, y_size = conv(op("Relu", y), y_size, unit.conv2)
        if unit.down:
            x, size = op("AveragePool", x, kernel_shape=[2, 2], strides=[2, 2]), size // 2
        y_channels = unit.conv2.weights.shape[0]
        out_channels, out_size = max(channels, y_channels), max(size, y_size)
        x = op(
            "Relu",
            op(
                "Add",
                pad(y, y_channels, y_size, out_channels, out_size),
                pad(x, channels, size, out_channels, out_size),
            ),
        )
        channels, size = out_channels, out_size
    x = op("Flatten", op("GlobalAveragePool", x))
    nodes.append(helper.make_node("MatMul", [x, const(net.head)], ["embeddings"]))
    graph = helper.make_graph(
        nodes,
        "dlib_face_recognition_resnet_model_v1",
        [helper.make_tensor_value_info("chips", TensorProto.FLOAT, ["n", 3, CHIP_SIZE, CHIP_SIZE])],
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["n", EMBEDDING_SIZE])],
        weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model.SerializeToString()


# ----------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class PortedNetwork:
    """dlib's face-recognition network, loaded into cv2.dnn."""

    net: cv2.dnn.Net
    mean_rgb: np.ndarray  # (3,) float32, subtracted before dividing by 256 as dlib does
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def embed_chips(self, chips: np.ndarray) -> np.ndarray:
        """(n, 128) float64 embeddings of (n, 150, 150, 3) uint8 RGB chips from get_face_chip."""
        chips = np.asarray(chips)
        if chips.dtype != np.uint8 or chips.shape[1:] != (CHIP_SIZE, CHIP_SIZE, 3):
            raise ValueError(f"expected (n, {CHIP_SIZE}, {CHIP_SIZE}, 3) uint8 chips")
        if len(chips) == 0:
            return np.empty((0, EMBEDDING_SIZE))
        blob = (chips.astype(np.float32) - self.mean_rgb) / np.float32(256)
        with self.lock:  # a cv2.dnn.Net runs one forward pass at a time
            self.net.setInput(np.ascontiguousarray(blob.transpose(0, 3, 1, 2)))
            return self.net.forward().astype(np.float64)


def load_port() -> PortedNetwork:
    """Read face_recognition_models' .dat and build it in cv2.dnn.

    Raises RuntimeError with a one-line reason when that cannot be done.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # its pkg_resources import warns
            import face_recognition_models
        path = Path(face_recognition_models.face_recognition_model_location())
        network = parse_network(*read_dat(path.read_bytes()))
        net = cv2.dnn.readNetFromONNX(np.frombuffer(to_onnx(network), np.uint8))
    except ImportError as error:
        raise RuntimeError(
            Message(
                "the network's port needs {package}, which is not installed", package=error.name
            )
        ) from error
    except (OSError, ValueError, cv2.error) as error:
        raise RuntimeError(
            Message(
                "dlib's network file cannot be ported: {reason}",
                reason=" ".join(str(error).split()),
            )
        ) from error
    return PortedNetwork(net=net, mean_rgb=np.array(network.mean_rgb, np.float32))
