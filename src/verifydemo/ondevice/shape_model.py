"""dlib's 5-point landmark model (``shape_predictor_5_face_landmarks.dat``) as a compact binary
the browser reads: parsed from face_recognition_models' own file at run time, never written to
disk.

The model is a cascade of forests of regression trees (Kazemi and Sullivan, 2014; dlib's
``shape_predictor``). Its serialisation (dlib/image_processing/shape_predictor.h): a version, the
mean shape (a column of floats), then per cascade level its trees (splits ``idx1, idx2, thresh``
and leaf vectors), the anchor landmark of each feature pixel and the pixel's offset.

The binary (``pack``) is little-endian: a header of 32-bit unsigned integers ``magic, version,
landmarks, levels, trees per level, depth (splits per tree = 2**depth - 1), pixels per level``,
then float32 arrays: the mean shape, every level's pixel anchors (as float32 integers) and
offsets, every tree's splits (``idx1, idx2, thresh``) and leaves. ``pipeline.mjs`` reads it.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from verifydemo.core.resnet_port import _Reader

MAGIC = 0x56445350  # "PSDV" little-endian
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ShapeModel:
    """The parsed cascade, as arrays."""

    mean_shape: np.ndarray  # (2 * landmarks,) float32, x0 y0 x1 y1 ... in the unit box
    anchors: np.ndarray  # (levels, pixels) int: the landmark each feature pixel hangs from
    deltas: np.ndarray  # (levels, pixels, 2) float32: its offset in mean-shape units
    splits: np.ndarray  # (levels, trees, 2**depth - 1, 3) float32: idx1, idx2, thresh
    leaves: np.ndarray  # (levels, trees, 2**depth, 2 * landmarks) float32

    @property
    def landmarks(self) -> int:
        return len(self.mean_shape) // 2


def _float_column(reader: _Reader) -> np.ndarray:
    """A dlib ``matrix<float,0,1>``: rows and columns (negative in the current format), values."""
    rows, cols = abs(reader.int()), abs(reader.int())
    return np.array([reader.float() for _ in range(rows * cols)], np.float32)


def parse_shape_predictor(data: bytes) -> ShapeModel:
    """Read a dlib ``shape_predictor`` file's bytes."""
    reader = _Reader(data)
    if reader.int() != 1:
        raise ValueError("unknown shape_predictor version")
    mean_shape = _float_column(reader)
    splits, leaves = [], []
    for _level in range(reader.int()):
        level_splits, level_leaves = [], []
        for _tree in range(reader.int()):
            tree_splits = [
                (reader.int(), reader.int(), reader.float()) for _ in range(reader.int())
            ]
            tree_leaves = [_float_column(reader) for _ in range(reader.int())]
            if len(tree_leaves) != len(tree_splits) + 1:
                raise ValueError("a tree whose leaves do not follow its splits")
            level_splits.append(tree_splits)
            level_leaves.append(tree_leaves)
        splits.append(level_splits)
        leaves.append(level_leaves)
    anchors = [[reader.int() for _ in range(reader.int())] for _ in range(reader.int())]
    deltas = [
        [(reader.float(), reader.float()) for _ in range(reader.int())] for _ in range(reader.int())
    ]
    if reader.pos != len(data):
        raise ValueError(f"{len(data) - reader.pos} bytes left over")
    return ShapeModel(
        mean_shape=mean_shape,
        anchors=np.array(anchors, np.int64),
        deltas=np.array(deltas, np.float32),
        splits=np.array(splits, np.float32),
        leaves=np.array(leaves, np.float32),
    )


def pack(model: ShapeModel) -> bytes:
    """The model as the browser's binary (module docstring)."""
    levels, trees, nodes, _ = model.splits.shape
    depth = int(math.log2(nodes + 1))
    if 2**depth - 1 != nodes or model.leaves.shape[2] != nodes + 1:
        raise ValueError("trees are not complete binary trees")
    header = np.array(
        [MAGIC, FORMAT_VERSION, model.landmarks, levels, trees, depth, model.anchors.shape[1]],
        "<u4",
    )
    parts = [
        model.mean_shape,
        model.anchors.astype(np.float32),
        model.deltas,
        model.splits,
        model.leaves,
    ]
    return header.tobytes() + b"".join(np.ascontiguousarray(p, "<f4").tobytes() for p in parts)


def model_path() -> Path:
    """face_recognition_models' 5-point model file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # its pkg_resources import warns
        import face_recognition_models
    return Path(face_recognition_models.pose_predictor_five_point_model_location())


def packed_model() -> bytes:
    """The installed 5-point model, parsed and packed for the browser (in memory)."""
    return pack(parse_shape_predictor(model_path().read_bytes()))
