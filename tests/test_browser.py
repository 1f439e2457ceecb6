"""End to end: the real server, Debian's Chromium, a fake camera fed from a demo face."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from browser import require_chromium, streamlit_server, webcam_check, write_y4m
from verifydemo.compare import compare
from verifydemo.decode import decode_image
from verifydemo.faces import find_face

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    require_chromium()
    with streamlit_server() as url:
        yield url


def test_webcam_check_in_a_real_browser(server, tmp_path, demo_by_id, embedded_demo_faces):

    camera_frame = write_y4m(
        decode_image(demo_by_id["001"].live_photo.read_bytes()), tmp_path / "cam.y4m"
    )
    expected = compare(embedded_demo_faces["001"][0].embedding, find_face(camera_frame).embedding)
    text, requested = webcam_check(server, tmp_path / "cam.y4m")

    assert text.startswith("Match: the phone number is issued")
    shown = float(re.search(r"distance (\d\.\d+)", text).group(1))
    assert shown == pytest.approx(expected.distance, abs=0.05)
    assert shown <= 0.6
    origin = urlsplit(server)
    for url in requested:
        parts = urlsplit(url)
        assert (parts.hostname, parts.port) == (origin.hostname, origin.port), url
