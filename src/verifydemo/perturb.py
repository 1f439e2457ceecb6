"""Named, deterministic degradations of a photo, made with OpenCV.

Each takes and returns a C-contiguous uint8 RGB array and never changes its input. They model
what happens between a studio portrait and a shop-counter webcam: dim light and sensor noise,
focus, compression, the ID card chip's tiny photo, masks and glasses, a tilted head.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

from verifydemo.decode import ensure_rgb_uint8
from verifydemo.faces import FaceBox

CHIP_WIDTH, CHIP_HEIGHT = 102, 126
"""The second-generation ID card's chip photo decodes to 102 x 126 pixels."""

CHIP_BYTES = 1024
"""The chip's photo field holds 1,024 compressed bytes."""

CHIP_FACE_SHARE = 0.55
"""Width of the face box as a share of the chip photo's width, as in a passport-style portrait."""


def low_light(rgb: np.ndarray, strength: float, seed: int = 0) -> np.ndarray:
    """Darken by up to 90% and add the sensor noise a webcam adds in the dark.

    ``strength`` runs from 0 (unchanged) to 1 (a tenth of the light, noise sigma 20).
    """
    strength = float(np.clip(strength, 0.0, 1.0))
    if strength == 0:
        return rgb.copy()
    gain = 1.0 - 0.9 * strength
    noise = np.random.default_rng(seed).normal(0.0, 20.0 * strength, rgb.shape)
    return _to_uint8(rgb.astype(np.float32) * gain + noise)


def blur(rgb: np.ndarray, sigma: float) -> np.ndarray:
    """Out of focus: a Gaussian blur of ``sigma`` pixels."""
    if sigma <= 0:
        return rgb.copy()
    return np.ascontiguousarray(cv2.GaussianBlur(rgb, (0, 0), sigmaX=float(sigma)))


def jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    """Compress and decompress at JPEG ``quality`` (1 to 100)."""
    return _jpeg_round_trip(rgb, int(np.clip(quality, 1, 100)))[0]


def resolution(rgb: np.ndarray, width: int) -> np.ndarray:
    """The image shrunk to ``width`` pixels wide, keeping its shape: detail gone for good."""
    width = int(np.clip(width, 8, rgb.shape[1]))
    height = max(8, round(rgb.shape[0] * width / rgb.shape[1]))
    return np.ascontiguousarray(cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA))


def chip_photo(rgb: np.ndarray, face: FaceBox) -> np.ndarray:
    """The ID card chip's photo: a portrait crop around ``face`` at 102 x 126 pixels, compressed
    to fit 1,024 bytes. The chip's own wavelet codec is not public; JPEG 2000 stands in for it."""
    crop_width = face.width / CHIP_FACE_SHARE
    crop_height = crop_width * CHIP_HEIGHT / CHIP_WIDTH
    centre_x = (face.left + face.right) / 2
    centre_y = (face.top + face.bottom) / 2 - 0.05 * crop_height
    source = np.float32(
        [
            [centre_x - crop_width / 2, centre_y - crop_height / 2],
            [centre_x + crop_width / 2, centre_y - crop_height / 2],
            [centre_x - crop_width / 2, centre_y + crop_height / 2],
        ]
    )
    target = np.float32([[0, 0], [CHIP_WIDTH, 0], [0, CHIP_HEIGHT]])
    small = cv2.warpAffine(
        cv2.GaussianBlur(rgb, (0, 0), sigmaX=max(0.5, crop_width / CHIP_WIDTH / 2)),
        cv2.getAffineTransform(source, target),
        (CHIP_WIDTH, CHIP_HEIGHT),
        flags=cv2.INTER_AREA,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return _jpeg2000_within(small, CHIP_BYTES)


def occlude(rgb: np.ndarray, face: FaceBox, kind: str) -> np.ndarray:
    """Cover part of the face: ``"mask"`` over mouth and nose, ``"glasses"`` a dark band."""
    covered = rgb.copy()
    if kind == "mask":
        top = face.top + round(0.45 * face.height)
        bottom = face.bottom + round(0.12 * face.height)
        left, right = face.left - round(0.05 * face.width), face.right + round(0.05 * face.width)
        colour = (170, 200, 225)
    elif kind == "glasses":
        top = face.top + round(0.12 * face.height)
        bottom = face.top + round(0.38 * face.height)
        left, right = face.left, face.right
        colour = (15, 15, 20)
    else:
        raise ValueError(f"unknown occlusion {kind!r}; use 'mask' or 'glasses'")
    cv2.rectangle(covered, (left, top), (right, bottom), colour, thickness=-1)
    return covered


def rotate(rgb: np.ndarray, degrees: float) -> np.ndarray:
    """Tilt the head in the image plane by ``degrees`` (counter-clockwise), filling the edges."""
    height, width = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), float(degrees), 1.0)
    return np.ascontiguousarray(
        cv2.warpAffine(rgb, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
    )


def mirror(rgb: np.ndarray) -> np.ndarray:
    """Left-right flip, as a selfie camera shows you."""
    return np.ascontiguousarray(rgb[:, ::-1])


def _jpeg_round_trip(rgb: np.ndarray, quality: int) -> tuple[np.ndarray, int]:
    bgr = cv2.cvtColor(ensure_rgb_uint8(rgb), cv2.COLOR_RGB2BGR)
    ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    decoded = cv2.imdecode(encoded, cv2.IMREAD_COLOR)
    return np.ascontiguousarray(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB)), int(encoded.size)


def _jpeg2000_within(rgb: np.ndarray, max_bytes: int) -> np.ndarray:
    """Compress with JPEG 2000 at the lowest ratio whose file fits ``max_bytes``; decompress."""
    ratio = rgb.size / max_bytes
    while True:
        buffer = io.BytesIO()
        Image.fromarray(rgb).save(
            buffer, format="JPEG2000", quality_mode="rates", quality_layers=[ratio]
        )
        if buffer.tell() <= max_bytes:
            return ensure_rgb_uint8(np.asarray(Image.open(buffer).convert("RGB")))
        ratio += 0.5


def _to_uint8(pixels: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8))
