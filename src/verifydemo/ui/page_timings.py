"""The page's own timings, for ``verifydemo bench``, each run in a fresh process so that the
benchmark never imports Streamlit or the page and the memory measured is this work's alone.

``python -m verifydemo.ui.page_timings MEASUREMENT [JSON]`` prints one JSON line:

- ``recordings COPIES``: :func:`~verifydemo.tools.measuring.recording_costs` through the page's
  ``read_clip`` and ``measure_recording``, at each number of copies in ``COPIES``;
- ``send``: a three-challenge recording of a face at 640 x 480 (the baseline) and at the
  recorder's own frame size: ``[width, height, characters, median seconds]`` each;
- ``reruns VALUES``: seconds of the whole page's rerun (AppTest) after the threshold slider
  moves to each value;
- ``cold``: one first run of the page (AppTest), for a machine without Chromium.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import sys
import time

import cv2

from verifydemo.core.decode import decode_image
from verifydemo.core.faces import load_models
from verifydemo.datasets.demo_faces import load_demo_faces
from verifydemo.tools.measuring import recording_costs, recording_of, webcam_frames
from verifydemo.ui import liveness, liveness_capture

CHALLENGES = ("blink", "mouth", "turn")


def recordings(copies: list[int]) -> list[dict]:
    """Time and peak memory of the page's reading and measuring of crafted recordings."""
    costs = recording_costs(
        lambda text, challenges: liveness.measure_recording(
            liveness_capture.read_clip(text, "bench", challenges)
        ),
        liveness_capture.FRAMES_PER_CHALLENGE,
        tuple(copies),
    )
    return [dataclasses.asdict(cost) for cost in costs]


def send_and_measure() -> list[list[float]]:
    """The message's size and the median of three readings and measurings, per frame size."""
    load_models()
    frame = decode_image(webcam_frames(load_demo_faces())[0])
    results = []
    for width, height in ((640, 480), (liveness_capture.WIDTH, liveness_capture.HEIGHT)):
        sized = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
        text = recording_of(
            sized,
            CHALLENGES,
            liveness_capture.FRAMES_PER_CHALLENGE,
            round(100 * liveness_capture.JPEG_QUALITY),
        )
        seconds = []
        for _ in range(3):
            started = time.perf_counter()
            liveness.measure_recording(liveness_capture.read_clip(text, "bench", CHALLENGES))
            seconds.append(time.perf_counter() - started)
        results.append([width, height, len(text), statistics.median(seconds)])
    return results


def reruns(values: list[float]) -> list[float]:
    """Seconds of each rerun after the slider moves to each of ``values`` (one move first,
    so that the page's caches are warm)."""
    from streamlit.testing.v1 import AppTest

    from verifydemo.ui.startup import PAGE

    page = AppTest.from_file(str(PAGE), default_timeout=120)
    page.run()
    page.slider(key="threshold").set_value(0.55).run()
    seconds = []
    for value in values:
        started = time.perf_counter()
        page.slider(key="threshold").set_value(value).run()
        seconds.append(time.perf_counter() - started)
    return seconds


def cold() -> float:
    """Seconds of the page's first run in this process."""
    from streamlit.testing.v1 import AppTest

    from verifydemo.ui.startup import PAGE

    started = time.perf_counter()
    AppTest.from_file(str(PAGE), default_timeout=300).run()
    return time.perf_counter() - started


def main(arguments: list[str]) -> None:
    measurement, *rest = arguments
    values = json.loads(rest[0]) if rest else None
    result = {
        "recordings": lambda: recordings(values),
        "send": send_and_measure,
        "reruns": lambda: reruns(values),
        "cold": cold,
    }[measurement]()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
