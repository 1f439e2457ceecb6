"""A short video file decoded into RGB frames by OpenCV's own FFmpeg, frame by frame."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

from verifydemo.core.errors import UnusableInput

QUIET_FFMPEG = {"OPENCV_FFMPEG_LOGLEVEL": "-8"}
"""FFmpeg (inside OpenCV) prints its complaints about a bad file to stderr; the CLI says one
line of its own instead. OpenCV reads this when it opens its first video."""

MAX_VIDEO_FRAMES = 300
"""The most frames a clip may have (30 s at 10 fps, 10 s at 30 fps): a liveness clip is a few
seconds, and each frame costs the analysis about 10 ms."""

MAX_VIDEO_SIDE = 1280
"""Frames are scaled down to at most this many pixels on their longer side as they are decoded,
so a long 4K clip cannot fill the memory (300 frames of 1280 x 720 take about 800 MB)."""


def decode_video(path: Path, max_frames: int = MAX_VIDEO_FRAMES) -> tuple[np.ndarray, ...]:
    """The frames of the video file at ``path``, in order, as uint8 RGB arrays no larger than
    :data:`MAX_VIDEO_SIDE`.

    Raises :class:`UnusableInput` with a one-line reason for an empty file, a file OpenCV
    cannot read a frame from, and for more than ``max_frames`` frames (counted as they are
    decoded, so a long clip stops there)."""
    if path.stat().st_size == 0:
        raise UnusableInput("The file is empty.")
    os.environ.update(QUIET_FFMPEG)
    capture = cv2.VideoCapture(str(path))
    frames = []
    try:
        while True:
            read, bgr = capture.read()
            if not read:
                break
            if len(frames) == max_frames:
                raise UnusableInput(
                    "The video has more than {count} frames; use a clip of a few seconds.",
                    count=max_frames,
                )
            scale = min(1.0, MAX_VIDEO_SIDE / max(bgr.shape[:2]))
            if scale < 1.0:
                bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            frames.append(np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))
    finally:
        capture.release()
    if not frames:
        raise UnusableInput("The file is not a video OpenCV can read.")
    return tuple(frames)
