"""What the benchmark measures with, below the page so that the page's own timings
(``ui/page_timings.py``) can use it too: webcam-like frames, crafted liveness recordings, one
call's seconds and a process's memory."""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np

from verifydemo.core.decode import decode_image, encode_jpeg
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import face_from_bytes, find_face, load_models
from verifydemo.datasets.demo_faces import DemoFace, load_demo_faces
from verifydemo.pictures.drawing import letterbox

FRAME_WIDTH, FRAME_HEIGHT = 640, 480


def webcam_frames(demo: list[DemoFace]) -> list[bytes]:
    """Each demo live photo as a 640 x 480 webcam JPEG, as the browser sends it."""
    return [
        encode_jpeg(
            letterbox(decode_image(face.live_photo.read_bytes()), FRAME_WIDTH, FRAME_HEIGHT)
        )
        for face in demo
    ]


MIXED_FRAME_SIZES = ((640, 480), (1280, 720))
MIXED_FACE_WIDTHS = (80, 120, 180, 260, 350, 450)
"""Webcam-like frames: a student 40 cm from a laptop fills 450 px, one across a desk 80 px."""


def mixed_webcam_frames(demo: list[DemoFace]) -> list[bytes]:
    """Each demo live photo scaled so its face is 80 to 450 px wide and placed in a 640 x 480
    or 1280 x 720 frame on a shaded background, as JPEG: the faces a class's webcams see."""
    frames = []
    for index, face in enumerate(demo):
        rgb = decode_image(face.live_photo.read_bytes())
        box = find_face(rgb).box
        width, height = MIXED_FRAME_SIZES[index % len(MIXED_FRAME_SIZES)]
        scale = MIXED_FACE_WIDTHS[index % len(MIXED_FACE_WIDTHS)] / box.width
        scaled = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        centre_x = round((box.left + box.right) / 2 * scale)
        centre_y = round((box.top + box.bottom) / 2 * scale)
        shade = np.linspace(60, 170, width, dtype=np.float32)[None, :, None]
        frame = np.broadcast_to(shade, (height, width, 3)).astype(np.uint8).copy()
        left, top = width // 2 - centre_x, height // 2 - centre_y
        source_left, source_top = max(0, -left), max(0, -top)
        target_left, target_top = max(0, left), max(0, top)
        columns = min(scaled.shape[1] - source_left, width - target_left)
        rows = min(scaled.shape[0] - source_top, height - target_top)
        frame[target_top : target_top + rows, target_left : target_left + columns] = scaled[
            source_top : source_top + rows, source_left : source_left + columns
        ]
        frames.append(encode_jpeg(frame))
    return frames


def timed(function: Callable[..., object], *args: object) -> float:
    """Wall-clock seconds of one call of ``function(*args)``."""
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


@dataclass(frozen=True)
class RecordingCost:
    """``copies`` copies of one crafted liveness recording of ``frames`` frames, checked at once
    in threads: the slowest one's seconds, the resident memory (kB) before and its peak during,
    and whether the page refused the recording before decoding it."""

    frames: int
    copies: int
    seconds: float
    resident_kb: int
    peak_kb: int
    refused: bool
    visitor_check: float | None = None
    """Seconds of another visitor's check (a webcam frame's face and embedding) started while
    the copies were being measured; None when they were refused at once."""


CRAFTED_FRAME = (1280, 960)
"""The crafted frames of issue #22: grey JPEGs of the largest size the page accepts."""


def crafted_recording(frames_per_challenge: int, challenges: tuple[str, ...]) -> str:
    """The recorder's message for ``challenges`` with that many grey 1280 x 960 frames each: no
    face anywhere, so every frame goes through the full face detector."""
    frame = encode_jpeg(np.full((CRAFTED_FRAME[1], CRAFTED_FRAME[0], 3), 128, np.uint8), 85)
    image = "data:image/jpeg;base64," + base64.b64encode(frame).decode()
    frames = [
        {"challenge": c, "image": image} for c in challenges for _ in range(frames_per_challenge)
    ]
    return json.dumps({"attempt": "bench", "frames": frames})


def recording_costs(
    check: Callable[[str, tuple[str, ...]], object],
    accepted_per_challenge: int,
    copies_at_once: tuple[int, ...],
) -> list[RecordingCost]:
    """Time and peak memory (Linux) of ``check`` (the page's reading and measuring of a
    recording) on issue #22's crafted recording (120 frames over 3 challenges) and on the
    largest one the page accepts (``accepted_per_challenge`` frames per challenge), 1 and 8 at
    once in threads. Run it in a fresh process, so that the memory is this work's alone."""
    challenges = ("blink", "mouth", "turn")

    def checked(text: str) -> tuple[float, bool]:
        """Seconds of one check, and whether the page refused the recording."""
        started = time.perf_counter()
        try:
            check(text, challenges)
        except UnusableInput:
            return time.perf_counter() - started, True
        return time.perf_counter() - started, False

    load_models()
    frame = webcam_frames(load_demo_faces())[0]
    costs = []
    for per_challenge in (40, accepted_per_challenge):
        text = crafted_recording(per_challenge, challenges)
        for copies in copies_at_once:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")  # the peak (VmHWM) starts again from the resident memory
            resident = memory_kb(os.getpid())[0]
            with ThreadPoolExecutor(copies) as pool:
                running = pool.map(checked, [text] * copies)
                time.sleep(1.0)
                visitor = timed(face_from_bytes, frame)
                results = list(running)
            costs.append(
                RecordingCost(
                    frames=per_challenge * len(challenges),
                    copies=copies,
                    seconds=max(seconds for seconds, _refused in results),
                    resident_kb=resident,
                    peak_kb=memory_kb(os.getpid())[1],
                    refused=all(refused for _seconds, refused in results),
                    visitor_check=None
                    if all(refused for _seconds, refused in results)
                    else visitor,
                )
            )
    return costs


def recording_of(
    frame: np.ndarray, challenges: tuple[str, ...], per_challenge: int, quality: int
) -> str:
    """The recorder's message for ``challenges``: ``frame`` shifted a pixel a frame, as JPEG at
    ``quality``, ``per_challenge`` frames each."""
    frames = [
        {
            "challenge": challenge,
            "image": "data:image/jpeg;base64,"
            + base64.b64encode(encode_jpeg(np.roll(frame, shift, axis=1), quality)).decode(),
        }
        for challenge in challenges
        for shift in range(per_challenge)
    ]
    return json.dumps({"attempt": "bench", "frames": frames})


def memory_kb(pid: int) -> tuple[int, int]:
    """Resident and peak resident memory of a process, in kB (Linux)."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.split()[0] if value.split() else "0"
    return int(fields["VmRSS"]), int(fields["VmHWM"])
