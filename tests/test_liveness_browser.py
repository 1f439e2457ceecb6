"""End to end: Chromium's fake camera plays a clip made from a demo face through the page's
liveness recorder, and the page shows the verdict of each challenge it asked for."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from browser import (
    liveness_recording,
    require_chromium,
    streamlit_server,
    write_liveness_camera,
)
from verifydemo.lessons.liveness_clips import EYES_CLOSED
from verifydemo.ui.liveness_capture import FRAMES_PER_SECOND, SECONDS

pytestmark = pytest.mark.browser

EXPECTED = {
    "Blink": "passed",
    "Open your mouth": "passed",
    "Turn your head": "not passed",
    "Nod": "not passed",
}
"""What the fake camera's clip does: it blinks and opens its mouth, but never turns or nods."""


def test_fake_camera_clip_gets_a_verdict_per_challenge(tmp_path, demo_by_id):
    require_chromium()
    camera = tmp_path / "liveness.y4m"
    looped = write_liveness_camera(demo_by_id["001"].id_photo, camera)
    recorded = round(SECONDS * FRAMES_PER_SECOND)
    assert looped + len(EYES_CLOSED) + 2 <= recorded, "each recording holds a whole blink"
    with streamlit_server() as running:
        asked, verdicts, requested = liveness_recording(running.url, camera)
        url = running.url

    assert 2 <= len(asked) <= 3 and set(asked) <= set(EXPECTED), asked
    assert verdicts == [f"{challenge}: {EXPECTED[challenge]}." for challenge in asked]
    origin = urlsplit(url)
    for address in requested:
        # the component's script is a blob: URL the page makes in its own memory
        parts = urlsplit(address.removeprefix("blob:"))
        assert (parts.hostname, parts.port) == (origin.hostname, origin.port), address
