"""The benchmark runs end to end and reports every figure; the app agrees with the naive pipeline.

No timing is asserted: speed is reported by ``verifydemo bench``, not tested.
"""

from __future__ import annotations

import re

import pytest

from browser import require_chromium
from commands import run_cli
from verifydemo.core.compare import DEFAULT_THRESHOLD
from verifydemo.core.parallel import parallel_map
from verifydemo.entry.bench import app_distance, naive_distance
from verifydemo.tools.measuring import webcam_frames

DISTANCE_GAP = 0.02
"""Largest gap allowed between the app's and the naive pipeline's distance. The app finds the
face on a 640 px copy without upsampling, so its box (and the 5 landmarks) can shift by a
pixel or two; the benchmark reports the measured gap (about 0.016 at most)."""


def _both_distances(pair: tuple[bytes, object]) -> tuple[float, float]:
    frame, id_embedding = pair
    return app_distance(frame, id_embedding), naive_distance(frame, id_embedding)


@pytest.mark.slow
def test_app_pipeline_decides_like_naive_face_recognition(demo_faces, embedded_demo_faces):
    """Each webcam-like frame against its own ID photo and the next person's, both pipelines
    on every core (``parallel_map``)."""
    frames = webcam_frames(demo_faces)
    pairs = [
        (frame, embedded_demo_faces[other.person.person_id][0].embedding)
        for index, (face, frame) in enumerate(zip(demo_faces, frames, strict=True))
        for other in (face, demo_faces[(index + 1) % len(demo_faces)])
    ]
    for ours, theirs in parallel_map(_both_distances, pairs):
        assert (ours <= DEFAULT_THRESHOLD) == (theirs <= DEFAULT_THRESHOLD)
        assert ours == pytest.approx(theirs, abs=DISTANCE_GAP)


@pytest.mark.browser
@pytest.mark.slow
def test_bench_prints_every_figure_and_ends_with_the_ratio():
    """``verifydemo bench --quick`` through ``cli.main`` in this process (its servers, browsers
    and workers are processes of their own either way): every figure of the full run, each
    computed once from the smallest inputs."""
    require_chromium()
    result = run_cli("bench", "--quick")
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout
    for figure in (
        "app pipeline",
        "naive face_recognition",
        "floor: one embedding",
        "port / dlib",
        "whole page rerun (AppTest)",
        "figures at a new threshold",
        "new pair of volunteers",
        "blend slider moved",
        "per tracked frame",
        "3-second clip, 30 frames",
        "480 x 360 frames",
        "recorder / 640 x 480",
        "1 process ",
        "photos/s  (speed-up",
        "evaluate (demo photos, each embedded once), port:",
        "app cold start to first verdict",
        "server memory, 1 session",
        "server memory, 2 sessions",
        "server memory, 2 sessions each holding",
        "classroom launcher cold start to first verdict",
        "classroom load: 6 sessions opened over 3 s",
        "2 at once",
    ):
        assert figure in output, figure
    last = output.strip().splitlines()[-1]
    assert re.fullmatch(r"verdict ratio vs naive: \d+\.\d\d", last), last
