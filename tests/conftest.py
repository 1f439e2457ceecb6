"""Shared fixtures: the real demo faces shipped in ``demo_faces/``, the page through AppTest,
and for the browser tests one real Streamlit server and each module's Chromium."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest

from support import PASSED, new_app
from verifydemo.core.decode import decode_image
from verifydemo.core.faces import FaceResult, find_face
from verifydemo.datasets.demo_faces import DemoFace, load_demo_faces


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[PASSED] = report.passed
    return report


@pytest.fixture(scope="session")
def demo_faces() -> list[DemoFace]:
    return load_demo_faces()


@pytest.fixture(scope="session")
def demo_by_id(demo_faces: list[DemoFace]) -> dict[str, DemoFace]:
    return {face.person.person_id: face for face in demo_faces}


@pytest.fixture(scope="session")
def embedded_demo_faces(demo_faces: list[DemoFace]) -> dict[str, tuple[FaceResult, FaceResult]]:
    """Each demo person's (ID photo, live photo) face results, computed once per test run."""
    return {
        face.person.person_id: (
            find_face(decode_image(face.id_photo.read_bytes())),
            find_face(decode_image(face.live_photo.read_bytes())),
        )
        for face in demo_faces
    }


@pytest.fixture(scope="session")
def reference():
    from verifydemo.datasets.reference import load_reference

    return load_reference()


@pytest.fixture
def app():
    """The real page through AppTest, after its first run (which loads the real model)."""
    return new_app()


@pytest.fixture(scope="session")
def page_server():
    """One real ``streamlit run`` of the page (the packaged app, as ``verifydemo classroom``
    serves it), started when a test first asks for it and shared by every test that only
    visits it: each visit is a session of its own. A test that traces, times or ends a server's
    life, or needs no other visitor on it, starts its own (``browser.streamlit_server``)."""
    from browser import streamlit_server

    with streamlit_server() as running:
        yield running


@pytest.fixture(scope="module")
def module_chromium() -> Iterator[object]:
    """The module's Chromiums (``browser.Chromiums``). Module-scoped, not session-scoped: while
    Playwright's sync API runs, this thread can start no other Playwright and no asyncio loop,
    which other modules do."""
    from playwright.sync_api import sync_playwright

    from browser import Chromiums, require_chromium

    require_chromium()
    with sync_playwright() as playwright:
        chromiums = Chromiums(playwright)
        try:
            yield chromiums
        finally:
            chromiums.close()


@pytest.fixture
def chromium(module_chromium):
    """The module's Chromiums, with every window this test opened closed after it."""
    yield module_chromium
    module_chromium.close_windows()


@pytest.fixture(scope="session")
def demo_matrix(demo_faces, embedded_demo_faces):
    """Ids, groups and the machine's ID-to-live distances of the demo volunteers."""
    people = [face.person.person_id for face in demo_faces]
    matrix = np.array(
        [
            [
                math.dist(embedded_demo_faces[a][0].embedding, embedded_demo_faces[b][1].embedding)
                for b in people
            ]
            for a in people
        ]
    )
    return people, [face.person.group for face in demo_faces], matrix
