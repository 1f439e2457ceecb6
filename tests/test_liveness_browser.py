"""End to end: Chromium's fake camera plays a clip made from a demo face through the page's
liveness recorder, and the page shows the verdict of each challenge it asked for."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from browser import liveness_recording, require_chromium, streamlit_server, write_y4m_clip
from verifydemo.core.decode import decode_image
from verifydemo.lessons.liveness_clips import EYES_CLOSED, MOUTH_OPEN, synthesised_clip
from verifydemo.ui.liveness_capture import FRAMES_PER_SECOND, SECONDS

pytestmark = pytest.mark.browser

EXPECTED = {
    "Blink": "passed",
    "Open your mouth": "passed",
    "Turn your head": "not passed",
    "Nod": "not passed",
}
"""What the fake camera's clip does: it blinks and opens its mouth, but never turns or nods."""


def blinking_loop(id_photo) -> list:
    """A loop of about 2 s from the synthesised clip: open eyes, a blink, the mouth opening.

    Every 3-second recording of it, wherever it starts in the loop, holds a whole blink (open,
    closed, open) and both a closed and an open mouth."""
    clip = synthesised_clip(id_photo)
    first, last = EYES_CLOSED[0] - 5, MOUTH_OPEN[-1] + 1
    return list(clip[first : last + 1])


def test_fake_camera_clip_gets_a_verdict_per_challenge(tmp_path, demo_by_id):
    require_chromium()
    camera = tmp_path / "liveness.y4m"
    loop = blinking_loop(decode_image(demo_by_id["030"].id_photo.read_bytes()))
    recorded = round(SECONDS * FRAMES_PER_SECOND)
    assert len(loop) + len(EYES_CLOSED) + 2 <= recorded, "each recording holds a whole blink"
    write_y4m_clip(loop, camera)
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
