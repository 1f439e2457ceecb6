"""Named, deterministic degradations of a photo, made with OpenCV.

Each takes and returns a C-contiguous uint8 RGB array and never changes its input. They model
what happens between a studio portrait and a shop-counter webcam: dim light and sensor noise,
focus, compression, the ID card chip's tiny photo, masks and glasses, a tilted head, and a
printed photo held up to the camera.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

from verifydemo.core.decode import ensure_rgb_uint8
from verifydemo.core.faces import FaceBox

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
    return _jpeg_round_trip(rgb, int(np.clip(quality, 1, 100)))


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
    with Image.open(io.BytesIO(jpeg2000_within(small, CHIP_BYTES))) as decoded:
        return ensure_rgb_uint8(np.asarray(decoded.convert("RGB")))


def rotate(rgb: np.ndarray, degrees: float) -> np.ndarray:
    """Tilt the head in the image plane by ``degrees`` (counter-clockwise), filling the edges."""
    height, width = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), float(degrees), 1.0)
    return np.ascontiguousarray(
        cv2.warpAffine(rgb, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
    )


def mirror(rgb: np.ndarray) -> np.ndarray:
    """Left-right flip, as a selfie camera shows you."""
    return np.ascontiguousarray(rgb[:, ::-1])


def _jpeg_round_trip(rgb: np.ndarray, quality: int) -> np.ndarray:
    bgr = cv2.cvtColor(ensure_rgb_uint8(rgb), cv2.COLOR_RGB2BGR)
    ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    decoded = cv2.imdecode(encoded, cv2.IMREAD_COLOR)
    return np.ascontiguousarray(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB))


def jpeg2000_within(rgb: np.ndarray, max_bytes: int) -> bytes:
    """JPEG 2000 bytes of ``rgb`` at the lowest compression ratio that fits ``max_bytes``."""
    ratio = rgb.size / max_bytes
    while True:
        buffer = io.BytesIO()
        Image.fromarray(rgb).save(
            buffer, format="JPEG2000", quality_mode="rates", quality_layers=[ratio]
        )
        if buffer.tell() <= max_bytes:
            return buffer.getvalue()
        ratio += 0.5


def _to_uint8(pixels: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8))


def mask_over_mouth(rgb: np.ndarray, face: FaceBox, height_share: float) -> np.ndarray:
    """A surgical-style mask from below the chin up to ``height_share`` of the face (0 to 1:
    1 reaches the eyes)."""
    height_share = float(np.clip(height_share, 0.0, 1.0))
    if height_share == 0:
        return rgb.copy()
    covered = rgb.copy()
    bottom = face.bottom + round(0.12 * face.height)
    top = bottom - round(height_share * 0.8 * face.height)
    left, right = face.left - round(0.05 * face.width), face.right + round(0.05 * face.width)
    cv2.rectangle(covered, (left, top), (right, bottom), (170, 200, 225), thickness=-1)
    return covered


def dark_glasses(rgb: np.ndarray, face: FaceBox, opacity: float) -> np.ndarray:
    """A band of dark glasses over the eyes, ``opacity`` 0 (clear) to 1 (black)."""
    opacity = float(np.clip(opacity, 0.0, 1.0))
    covered = rgb.copy()
    top = face.top + round(0.12 * face.height)
    bottom = face.top + round(0.40 * face.height)
    band = covered[max(0, top) : bottom, max(0, face.left) : face.right].astype(np.float32)
    covered[max(0, top) : bottom, max(0, face.left) : face.right] = _to_uint8(
        band * (1 - opacity) + 15 * opacity
    )
    return covered


def print_texture(height: int, width: int, depth: float) -> np.ndarray:
    """A print's faint moire, ``(height, width)`` factors: ``1 - depth`` where a fixed pattern
    of ink dots falls, 1 elsewhere (the same pattern for the same size)."""
    rows, columns = np.mgrid[0:height, 0:width]
    return 1 - depth * (np.sin(rows * 1.9 + columns * 0.35) * np.sin(columns * 1.7) > 0.3)


def photo_of_photo(photo: np.ndarray, seed: int = 0) -> np.ndarray:
    """A 640 x 480 webcam frame of ``photo`` printed and held up to the camera.

    The print is tilted (perspective), has paper margins, a print texture with moire, a glare
    spot, and the frame gets blur, sensor noise and JPEG compression.
    """
    rng = np.random.default_rng(seed)
    frame_width, frame_height = 640, 480
    print_height = 380
    print_width = round(photo.shape[1] * print_height / photo.shape[0])
    printed = cv2.resize(photo, (print_width, print_height), interpolation=cv2.INTER_AREA)
    printed = cv2.copyMakeBorder(
        printed, 14, 14, 14, 14, cv2.BORDER_CONSTANT, value=(245, 245, 240)
    )
    printed = printed.astype(np.float32) * print_texture(*printed.shape[:2], depth=0.06)[..., None]

    height, width = printed.shape[:2]
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    jitter = rng.uniform(-1, 1, (4, 2)) * 8
    left = (frame_width - width * 0.85) / 2
    top = (frame_height - height * 0.95) / 2
    tilted = np.float32(
        [
            [left + 18, top + 6],
            [left + width * 0.85 - 4, top + 20],
            [left + width * 0.85 - 12, top + height * 0.95 - 10],
            [left + 4, top + height * 0.95],
        ]
    ) + jitter.astype(np.float32)
    matrix = cv2.getPerspectiveTransform(corners, tilted)
    room = np.linspace(70, 140, frame_width, dtype=np.float32)[None, :, None]
    room = np.broadcast_to(room, (frame_height, frame_width, 3)).copy()
    warped = cv2.warpPerspective(printed, matrix, (frame_width, frame_height))
    inside = cv2.warpPerspective(
        np.ones((height, width), np.float32), matrix, (frame_width, frame_height)
    )
    frame = room * (1 - inside[..., None]) + warped * inside[..., None]

    glare_y, glare_x = np.mgrid[0:frame_height, 0:frame_width]
    centre_x, centre_y = left + width * 0.65, top + height * 0.25
    glare = np.exp(-(((glare_x - centre_x) / 70) ** 2 + ((glare_y - centre_y) / 45) ** 2))
    frame = frame + 110 * (glare * inside)[..., None]

    frame = cv2.GaussianBlur(frame, (0, 0), sigmaX=0.8)
    frame = frame + rng.normal(0, 4, frame.shape)
    return jpeg(_to_uint8(frame), 75)
