"""Where dlib's HOG detector would put its box, from YuNet's box: the browser finds faces with
YuNet (small and fast in WebAssembly) but dlib's landmark cascade must start from dlib's box,
so each side of dlib's box is taken as YuNet's centre plus a fixed mix of its width and height,
a least-squares fit on the demo faces (:func:`fit_box_map`, held by a test).

:func:`yunet_faces` runs the vendored YuNet with OpenCV's DNN module and decodes it exactly as
``pipeline.mjs`` does, so the fit can be made and checked without a browser.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import cv2
import numpy as np

from verifydemo.ondevice.vendored import VENDOR

DETECTOR_FILE = "yunet_s_640_640.onnx"
DETECTOR_SIZE = 640
"""YuNet's input: the image letterboxed (scaled, top-left, black below and right) to a square."""
DETECTOR_SCORE = 0.6
DETECTOR_NMS = 0.3
STRIDES = (8, 16, 32)

BOX_MAP = {
    "left": (-0.1957, -0.2474),
    "top": (-0.2125, -0.1827),
    "right": (0.2728, 0.1929),
    "bottom": (0.2548, 0.2578),
}
"""Each side of dlib's box as YuNet's centre (x for left and right, y for top and bottom) plus
``kw * width + kh * height``: :func:`fit_box_map` on the 48 demo photos."""


@functools.cache
def _detector() -> cv2.dnn.Net:
    return cv2.dnn.readNetFromONNX(str(VENDOR / DETECTOR_FILE))


def yunet_faces(rgb: np.ndarray) -> list[tuple[float, float, float, float, float]]:
    """The faces YuNet finds in an RGB image, as ``(x, y, w, h, score)`` in its pixels, best
    first after non-maximum suppression (``pipeline.mjs``'s ``yunetFaces``)."""
    height, width = rgb.shape[:2]
    scale = DETECTOR_SIZE / max(width, height)
    size = (round(width * scale), round(height * scale))
    canvas = np.zeros((DETECTOR_SIZE, DETECTOR_SIZE, 3), np.uint8)
    canvas[: size[1], : size[0]] = cv2.resize(rgb, size, interpolation=cv2.INTER_LINEAR)
    blob = canvas[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32)
    net = _detector()
    names = [f"{kind}_{stride}" for kind in ("cls", "obj", "bbox", "kps") for stride in STRIDES]
    net.setInput(blob)
    outputs = dict(zip(names, net.forward(names), strict=True))
    found = []
    for stride in STRIDES:
        cls = np.clip(outputs[f"cls_{stride}"].reshape(-1), 0, 1)
        obj = np.clip(outputs[f"obj_{stride}"].reshape(-1), 0, 1)
        bbox = outputs[f"bbox_{stride}"].reshape(-1, 4)
        scores = np.sqrt(cls * obj)
        cols = DETECTOR_SIZE // stride
        for index in np.flatnonzero(scores >= DETECTOR_SCORE):
            row, col = divmod(int(index), cols)
            dx, dy, dw, dh = (float(value) for value in bbox[index])
            cx, cy = (col + dx) * stride, (row + dy) * stride
            w, h = float(np.exp(dw)) * stride, float(np.exp(dh)) * stride
            x, y = cx - w / 2, cy - h / 2
            found.append((x / scale, y / scale, w / scale, h / scale, float(scores[index])))
    found.sort(key=lambda face: -face[4])
    kept: list[tuple[float, float, float, float, float]] = []
    for face in found:
        if all(_overlap(face, other) <= DETECTOR_NMS for other in kept):
            kept.append(face)
    return kept


def _overlap(a: Sequence[float], b: Sequence[float]) -> float:
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / (a[2] * a[3] + b[2] * b[3] - w * h)


def fit_box_map(
    yunet_boxes: Sequence[Sequence[float]], dlib_boxes: Sequence[Sequence[int]]
) -> dict[str, tuple[float, float]]:
    """Least-squares ``(kw, kh)`` per side from YuNet's ``(x, y, w, h)`` boxes and dlib's
    ``(left, top, right, bottom)`` boxes of the same faces."""
    yunet = np.asarray(yunet_boxes, np.float64)[:, :4]
    dlib_sides = np.asarray(dlib_boxes, np.float64)
    x, y, w, h = yunet.T
    centres = {"left": x + w / 2, "top": y + h / 2, "right": x + w / 2, "bottom": y + h / 2}
    features = np.stack([w, h], axis=1)
    fitted = {}
    for column, side in enumerate(("left", "top", "right", "bottom")):
        target = dlib_sides[:, column] - centres[side]
        solution, *_ = np.linalg.lstsq(features, target, rcond=None)
        fitted[side] = (round(float(solution[0]), 4), round(float(solution[1]), 4))
    return fitted


def mapped_box(face: Sequence[float], box_map: dict[str, Sequence[float]] = BOX_MAP) -> tuple:
    """dlib's ``(left, top, right, bottom)`` from YuNet's ``(x, y, w, h)`` (``dlibBox``)."""
    x, y, w, h = face[:4]
    cx, cy = x + w / 2, y + h / 2

    def side(centre: float, name: str) -> int:
        kw, kh = box_map[name]
        return int(np.floor(centre + kw * w + kh * h + 0.5))

    return side(cx, "left"), side(cy, "top"), side(cx, "right"), side(cy, "bottom")
