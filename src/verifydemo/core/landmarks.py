"""dlib's 68 facial landmarks: the points the liveness checks and the morph lab work from.

The 68-point model ships in ``face_recognition_models``; it was trained on the iBUG 300-W data
set, whose licence excludes commercial use (fine for teaching; README and ETHICS say so).
Points follow the iBUG numbering: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, lips 48-67.
"""

from __future__ import annotations

import numpy as np

from verifydemo.core.decode import ensure_rgb_uint8
from verifydemo.core.faces import DLIB_LOCK, FaceBox, load_models

LANDMARK_COUNT = 68
RIGHT_EYE = slice(36, 42)
"""The subject's right eye (on the left of an unmirrored photo)."""
LEFT_EYE = slice(42, 48)
OUTER_LIPS = slice(48, 60)
INNER_LIPS = slice(60, 68)


def landmarks68(rgb: np.ndarray, box: FaceBox) -> np.ndarray:
    """The 68 landmarks of the face in ``box`` as a (68, 2) float64 array of (x, y) pixels."""
    import dlib

    face_recognition = load_models()
    rgb = ensure_rgb_uint8(rgb)
    rectangle = dlib.rectangle(box.left, box.top, box.right, box.bottom)
    with DLIB_LOCK:
        shape = face_recognition.api.pose_predictor_68_point(rgb, rectangle)
    return np.array([(point.x, point.y) for point in shape.parts()], dtype=np.float64)


def eye_centres(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The centres of the subject's right and left eyes, from 68 landmarks."""
    return points[RIGHT_EYE].mean(axis=0), points[LEFT_EYE].mean(axis=0)


def eye_distance(points: np.ndarray) -> float:
    """Pixels between the eye centres: the scale that landmark distances are measured in."""
    right, left = eye_centres(points)
    return float(np.linalg.norm(left - right))
