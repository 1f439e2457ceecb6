"""Find the face to compare and turn it into dlib's 128 numbers.

Detection runs on a copy scaled to ``DETECT_SIDE`` pixels (fast, and small ID photos get
enlarged so the HOG detector can see them); the embedding is computed on the original pixels.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
import warnings
from dataclasses import dataclass
from types import ModuleType

import cv2
import numpy as np
from PIL import ImageFile

from verifydemo.core.decode import decode_image, ensure_rgb_uint8
from verifydemo.core.errors import UnusableInput
from verifydemo.core.i18n import _

DETECT_SIDE = 640
"""Longest side of the copy the detector sees."""

MIN_FACE_PX = 40
"""Faces narrower than this in the original image carry too little detail to compare."""

NUM_JITTERS = 1
"""face_recognition's default. The comments of dlib's python_examples/face_recognition.py give
99.13% on LFW without jitter; the dlib-models README gives 99.38%."""

EMBEDDING_SIZE = 128

_DLIB_LOCK = threading.Lock()
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
    height, width = rgb.shape[:2]
    scale = DETECT_SIDE / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = (
        rgb
        if size == (width, height)
        else cv2.resize(rgb, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    )
    face_recognition = load_models()
    with _DLIB_LOCK:
        locations = face_recognition.face_locations(small, number_of_times_to_upsample=0)
        if not locations:
            locations = face_recognition.face_locations(small, number_of_times_to_upsample=1)
    boxes = [
        FaceBox(
            top=max(0, round(top / scale)),
            right=min(width, round(right / scale)),
            bottom=min(height, round(bottom / scale)),
            left=max(0, round(left / scale)),
        )
        for top, right, bottom, left in locations
    ]
    return sorted(boxes, key=lambda box: box.area, reverse=True)


def embed_face(rgb: np.ndarray, box: FaceBox, num_jitters: int = NUM_JITTERS) -> np.ndarray:
    """dlib's 128-number embedding of the face in ``box``, as float64."""
    face_recognition = load_models()
    with _DLIB_LOCK:
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
            _("No face found: face the camera, with your whole face in good, even light.")
        )
    largest = boxes[0]
    if largest.width < min_face_px:
        raise UnusableInput(
            _(
                "The face is only {width} pixels wide (at least {needed} needed): "
                "move closer or use a larger photo.",
                width=largest.width,
                needed=min_face_px,
            )
        )
    return FaceResult(box=largest, embedding=embed_face(rgb, largest), face_count=len(boxes))


def face_from_bytes(data: bytes) -> tuple[np.ndarray, FaceResult]:
    """Decode an image file and find its face: the whole path from upload to 128 numbers."""
    rgb = decode_image(data)
    return rgb, find_face(rgb)
