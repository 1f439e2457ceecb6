"""Shared fixtures: the real demo faces shipped in ``demo_faces/``."""

from __future__ import annotations

import pytest

from support import new_app
from verifydemo.core.decode import decode_image
from verifydemo.core.faces import FaceResult, find_face
from verifydemo.datasets.demo_faces import DemoFace, load_demo_faces


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
