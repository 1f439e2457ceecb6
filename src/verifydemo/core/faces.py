"""Find the face to compare and turn it into dlib's 128 numbers.

Detection runs on a copy scaled to ``DETECT_SIDE`` pixels (fast, and small ID photos get
enlarged so the HOG detector can see them); the embedding is computed on the original pixels:
dlib's five landmarks align a 150 x 150 chip, and dlib's ResNet turns it into 128 numbers, run
by default through its port to OpenCV's DNN module (``core/resnet_port.py``, the same numbers
to about 1e-6, several times faster). ``VERIFYDEMO_EMBEDDER=dlib`` runs dlib's own code
instead; if the port cannot load, dlib's own code runs and :func:`embedder_notice` says why.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import threading
import warnings
from dataclasses import dataclass
from types import ModuleType

import cv2
import numpy as np
from PIL import ImageFile

from verifydemo.core.decode import decode_image, ensure_rgb_uint8
from verifydemo.core.errors import UnusableInput
from verifydemo.core.i18n import Message, _
from verifydemo.core.resnet_port import CHIP_SIZE, PortedNetwork, load_port

DETECT_SIDE = 640
"""Longest side of the copy the detector sees."""

MIN_FACE_PX = 40
"""Faces narrower than this in the original image carry too little detail to compare."""

NUM_JITTERS = 1
"""face_recognition's default. The comments of dlib's python_examples/face_recognition.py give
99.13% on LFW without jitter; the dlib-models README gives 99.38%."""

EMBEDDING_SIZE = 128

EMBEDDER_VARIABLE = "VERIFYDEMO_EMBEDDER"
EMBEDDERS = ("port", "dlib")
"""The port of dlib's ResNet to OpenCV (the default), or dlib's own code."""
CHIP_PADDING = 0.25
"""face_recognition's padding around the aligned face chip."""

DLIB_LOCK = threading.Lock()
"""dlib's networks keep per-call buffers, so one call at a time per process."""


@dataclass(frozen=True)
class FaceBox:
    """A face rectangle in pixel coordinates of the original image (right and bottom exclusive)."""

    top: int
    right: int
    bottom: int
    left: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def area(self) -> int:
        return self.width * self.height

    def as_css(self) -> tuple[int, int, int, int]:
        """The ``(top, right, bottom, left)`` order face_recognition uses."""
        return (self.top, self.right, self.bottom, self.left)


@dataclass(frozen=True)
class FaceResult:
    """The face chosen for comparison in one image."""

    box: FaceBox
    embedding: np.ndarray
    face_count: int

    @property
    def face_size(self) -> int:
        """Width of the face box in pixels."""
        return self.box.width


@functools.cache
def load_models() -> ModuleType:
    """Import face_recognition (which loads the dlib models) once per process.

    face_recognition calls ``quit()`` when its model package is missing, so check first
    and raise an ordinary error instead.
    """
    if importlib.util.find_spec("face_recognition_models") is None:
        raise RuntimeError("face_recognition_models is not installed; run `uv sync`.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            import pkg_resources  # noqa: F401  (face_recognition_models needs it)
    except ImportError as error:
        raise RuntimeError(
            "face_recognition_models needs setuptools<81 (pkg_resources)."
        ) from error
    truncated_setting = ImageFile.LOAD_TRUNCATED_IMAGES
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import face_recognition
    # face_recognition switches on Pillow's silent padding of truncated files; undo that.
    ImageFile.LOAD_TRUNCATED_IMAGES = truncated_setting
    return face_recognition


def detect_faces(rgb: np.ndarray) -> list[FaceBox]:
    """All faces the HOG detector finds, in original-image coordinates, largest first."""
    rgb = ensure_rgb_uint8(rgb)
    return detect_scaled(rgb, DETECT_SIDE / max(rgb.shape[:2]))


def detect_scaled(
    rgb: np.ndarray, scale: float, region: FaceBox | None = None, upsample: bool = True
) -> list[FaceBox]:
    """All faces the HOG detector finds in ``region`` of ``rgb`` (all of it by default; what
    lies outside the image is ignored) seen on a copy ``scale`` times its size, in ``rgb``'s
    coordinates, largest first.

    The scale sets the smallest face found (the detector's window is 80 pixels) and the cost;
    with ``upsample`` the detector looks again at twice the size when it found nothing."""
    rgb = ensure_rgb_uint8(rgb)
    height, width = rgb.shape[:2]
    top, left = (0, 0) if region is None else (max(0, region.top), max(0, region.left))
    seen = rgb if region is None else rgb[top : region.bottom, left : region.right]
    size = (max(1, round(seen.shape[1] * scale)), max(1, round(seen.shape[0] * scale)))
    small = (
        ensure_rgb_uint8(seen)
        if size == (seen.shape[1], seen.shape[0])
        else cv2.resize(seen, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    )
    face_recognition = load_models()
    with DLIB_LOCK:
        locations = face_recognition.face_locations(small, number_of_times_to_upsample=0)
        if not locations and upsample:
            locations = face_recognition.face_locations(small, number_of_times_to_upsample=1)
    boxes = [
        FaceBox(
            top=max(0, round(top + box_top / scale)),
            right=min(width, round(left + box_right / scale)),
            bottom=min(height, round(top + box_bottom / scale)),
            left=max(0, round(left + box_left / scale)),
        )
        for box_top, box_right, box_bottom, box_left in locations
    ]
    return sorted(boxes, key=lambda box: box.area, reverse=True)


def requested_embedder() -> str:
    """``port`` unless ``VERIFYDEMO_EMBEDDER`` asks for ``dlib``."""
    return "dlib" if os.environ.get(EMBEDDER_VARIABLE, "").strip().lower() == "dlib" else "port"


@functools.cache
def _ported() -> PortedNetwork | Message | str:
    """The ported network, or the one-line reason it could not be loaded (a :class:`Message`,
    translated where it is shown: the cache serves every language)."""
    try:
        return load_port()
    except RuntimeError as error:
        return error.args[0] if error.args else ""


def ported_network() -> PortedNetwork | None:
    """The port of dlib's ResNet, loaded once per process, or None if it cannot load."""
    ported = _ported()
    return ported if isinstance(ported, PortedNetwork) else None


def embedder_in_use() -> str:
    """``port`` when the port computes this process's embeddings, else ``dlib`` (asked for, or
    the port could not load): what a shipped file's provenance records."""
    return "port" if requested_embedder() == "port" and ported_network() is not None else "dlib"


def embedder_notice() -> str | None:
    """A one-line notice when the port was asked for but dlib's own code runs instead."""
    ported = _ported() if requested_embedder() == "port" else None
    if ported is not None and not isinstance(ported, PortedNetwork):
        return _(
            "The fast face network could not be loaded ({reason}); dlib's own, slower code "
            "computes the same numbers instead.",
            reason=ported,
        )
    return None


def face_chip(rgb: np.ndarray, box: FaceBox) -> np.ndarray:
    """The 150 x 150 chip dlib's ResNet sees: the face aligned on its five landmarks."""
    import dlib

    face_recognition = load_models()
    rgb = ensure_rgb_uint8(rgb)
    rectangle = dlib.rectangle(box.left, box.top, box.right, box.bottom)
    with DLIB_LOCK:
        landmarks = face_recognition.api.pose_predictor_5_point(rgb, rectangle)
        return np.asarray(dlib.get_face_chip(rgb, landmarks, CHIP_SIZE, CHIP_PADDING))


def embed_face(
    rgb: np.ndarray,
    box: FaceBox,
    num_jitters: int = NUM_JITTERS,
    embedder: str | None = None,
) -> np.ndarray:
    """The 128-number embedding of the face in ``box``, as float64, from ``embedder`` (the
    port unless ``VERIFYDEMO_EMBEDDER`` or the argument says ``dlib``; jitter needs dlib)."""
    port = ported_network() if (embedder or requested_embedder()) == "port" else None
    if port is not None and num_jitters == 1:
        return port.embed_chips(face_chip(rgb, box)[None])[0]
    face_recognition = load_models()
    with DLIB_LOCK:
        (embedding,) = face_recognition.face_encodings(
            ensure_rgb_uint8(rgb), [box.as_css()], num_jitters=num_jitters
        )
    return np.asarray(embedding, dtype=np.float64)


def find_face(rgb: np.ndarray, min_face_px: int = MIN_FACE_PX) -> FaceResult:
    """Choose the largest face in ``rgb`` and embed it.

    Raises :class:`UnusableInput` when there is no face or the face is too small.
    """
    boxes = detect_faces(rgb)
    if not boxes:
        raise UnusableInput(
            "No face found: face the camera, with your whole face in good, even light."
        )
    largest = boxes[0]
    if largest.width < min_face_px:
        raise UnusableInput(
            "The face is only {width} pixels wide (at least {needed} needed): "
            "move closer or use a larger photo.",
            width=largest.width,
            needed=min_face_px,
        )
    return FaceResult(box=largest, embedding=embed_face(rgb, largest), face_count=len(boxes))


def face_from_bytes(data: bytes) -> tuple[np.ndarray, FaceResult]:
    """Decode an image file and find its face: the whole path from upload to 128 numbers."""
    rgb = decode_image(data)
    return rgb, find_face(rgb)
