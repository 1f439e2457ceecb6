"""dlib's face network for the browser: the port's ONNX graph (``core/resnet_port.to_onnx``),
built from face_recognition_models' own file at run time, with its weights stored as float16
(half the download) and cast back to float32 inside the graph, so onnxruntime-web computes in
float32 as the server does. Nothing is written to disk."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from verifydemo.core.resnet_port import Network, parse_network, read_dat, to_onnx


def network_path() -> Path:
    """face_recognition_models' face-network file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # its pkg_resources import warns
        import face_recognition_models
    return Path(face_recognition_models.face_recognition_model_location())


def load_network() -> Network:
    """The installed network, read as the server's port reads it."""
    return parse_network(*read_dat(network_path().read_bytes()))


def half_precision(model_bytes: bytes, smallest: int = 16) -> bytes:
    """``model_bytes`` with every float32 weight of at least ``smallest`` values stored as
    float16 and a Cast to float32 in front of its users."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load_from_string(model_bytes)
    graph = model.graph
    casts, kept = [], []
    for tensor in graph.initializer:
        array = numpy_helper.to_array(tensor)
        if array.dtype != np.float32 or array.size < smallest:
            kept.append(tensor)
            continue
        half = numpy_helper.from_array(array.astype(np.float16), f"{tensor.name}_f16")
        kept.append(half)
        casts.append(helper.make_node("Cast", [half.name], [tensor.name], to=TensorProto.FLOAT))
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)
    return model.SerializeToString()


def network_onnx(half: bool = True) -> bytes:
    """The face network as ONNX bytes, (n, 3, 150, 150) normalised chips to (n, 128); float16
    weights unless ``half`` is False. The input is ``(chip - mean_rgb) / 256`` (``mean_rgb``)."""
    model_bytes = to_onnx(load_network())
    return half_precision(model_bytes) if half else model_bytes


def mean_rgb() -> tuple[float, float, float]:
    """The colour the network subtracts from each chip pixel before dividing by 256."""
    return load_network().mean_rgb
