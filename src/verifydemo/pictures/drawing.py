"""Pictures for the result: the compared face boxed, and the face crop the model saw."""

from __future__ import annotations

import cv2
import numpy as np

from verifydemo.core.faces import FaceBox

BOX_COLOUR = (0, 200, 255)
CROP_SIDE = 160


def draw_box(rgb: np.ndarray, box: FaceBox) -> np.ndarray:
    """A copy of ``rgb`` with ``box`` outlined, the line width scaled to the image."""
    boxed = rgb.copy()
    thickness = max(2, round(max(rgb.shape[:2]) / 200))
    cv2.rectangle(
        boxed, (box.left, box.top), (box.right - 1, box.bottom - 1), BOX_COLOUR, thickness
    )
    return boxed


def crop_face(
    rgb: np.ndarray, box: FaceBox, side: int = CROP_SIDE, margin: float = 0.25
) -> np.ndarray:
    """A square crop around ``box`` with some margin, resized to ``side`` pixels."""
    height, width = rgb.shape[:2]
    centre_x, centre_y = (box.left + box.right) / 2, (box.top + box.bottom) / 2
    half = max(box.width, box.height) * (1 + margin) / 2
    left, right = max(0, round(centre_x - half)), min(width, round(centre_x + half))
    top, bottom = max(0, round(centre_y - half)), min(height, round(centre_y + half))
    crop = rgb[top:bottom, left:right]
    return cv2.resize(crop, (side, side), interpolation=cv2.INTER_AREA)


def thumbnail(rgb: np.ndarray, max_side: int) -> np.ndarray:
    """``rgb`` scaled down so its longest side is at most ``max_side``."""
    scale = max_side / max(rgb.shape[:2])
    if scale >= 1:
        return rgb
    size = (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


def letterbox(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    """``rgb`` scaled to fit ``width`` x ``height`` on a grey canvas, as a webcam frame."""
    scale = min(width / rgb.shape[1], height / rgb.shape[0])
    resized = cv2.resize(
        rgb,
        (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale)),
        interpolation=cv2.INTER_AREA,
    )
    canvas = np.full((height, width, 3), 128, dtype=np.uint8)
    top, left = (height - resized.shape[0]) // 2, (width - resized.shape[1]) // 2
    canvas[top : top + resized.shape[0], left : left + resized.shape[1]] = resized
    return canvas
