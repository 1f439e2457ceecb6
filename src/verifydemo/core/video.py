"""A short video file decoded in memory into RGB frames (PyAV), never written to disk."""

from __future__ import annotations

import io

import numpy as np

from verifydemo.core.errors import UnusableInput

MAX_VIDEO_FRAMES = 300
"""The most frames a clip may have (30 s at 10 fps, 10 s at 30 fps): a liveness clip is a few
seconds, and each frame costs the analysis about 10 ms."""

MAX_VIDEO_SIDE = 1280
"""Frames are scaled down to at most this many pixels on their longer side as they are decoded,
so a long 4K clip cannot fill the memory (300 frames of 1280 x 720 take about 800 MB)."""


def decode_video(data: bytes, max_frames: int = MAX_VIDEO_FRAMES) -> tuple[np.ndarray, ...]:
    """The frames of the first video stream in ``data``, in order, as uint8 RGB arrays no
    larger than :data:`MAX_VIDEO_SIDE`.

    Raises :class:`UnusableInput` with a one-line reason for bytes that are not a video, for a
    file without a video stream, and for more than ``max_frames`` frames.
    """
    import av

    if not data:
        raise UnusableInput("The file is empty.")
    frames = []
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.video:
                raise UnusableInput("The file has no video in it.")
            for frame in container.decode(video=0):
                if len(frames) == max_frames:
                    raise UnusableInput(
                        "The video has more than {count} frames; use a clip of a few seconds.",
                        count=max_frames,
                    )
                scale = min(1.0, MAX_VIDEO_SIDE / max(frame.width, frame.height, 1))
                frames.append(
                    frame.reformat(
                        width=max(2, round(frame.width * scale)),
                        height=max(2, round(frame.height * scale)),
                        format="rgb24",
                    ).to_ndarray()
                )
    except av.FFmpegError as error:
        raise UnusableInput(
            "The file is not a readable video ({reason}).", reason=error.strerror or error
        ) from None
    return tuple(frames)
