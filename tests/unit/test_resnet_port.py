"""The port of dlib's face network to OpenCV: the same 128 numbers, the same decisions."""

from __future__ import annotations

import numpy as np
import pytest

from verifydemo.core import faces
from verifydemo.core.decode import decode_image
from verifydemo.core.resnet_port import load_port, parse_network, read_dat

PARITY = 1e-4
"""Largest Euclidean gap allowed between the port's and dlib's embedding of the same chip."""


@pytest.fixture(scope="module")
def port():
    network = faces.ported_network()
    assert network is not None, faces.embedder_notice()
    return network


@pytest.fixture(scope="module")
def chips_and_dlib(demo_faces):
    """Every demo photo's 150 x 150 chip, and dlib's own embedding of it."""
    face_recognition = faces.load_models()
    chips, expected = [], []
    for face in demo_faces:
        for path in (face.id_photo, face.live_photo):
            rgb = decode_image(path.read_bytes())
            chip = faces.face_chip(rgb, faces.detect_faces(rgb)[0])
            chips.append(chip)
            expected.append(face_recognition.api.face_encoder.compute_face_descriptor(chip))
    return np.stack(chips), np.asarray(expected, dtype=np.float64)


def test_port_matches_dlib_on_every_demo_photo(port, chips_and_dlib):
    chips, expected = chips_and_dlib
    assert len(chips) == 48
    gaps = np.linalg.norm(port.embed_chips(chips) - expected, axis=1)
    assert gaps.max() < PARITY, gaps.max()


def test_one_chip_at_a_time_gives_the_batch_numbers(port, chips_and_dlib):
    chips, _ = chips_and_dlib
    batch = port.embed_chips(chips[:4])
    one_by_one = np.stack([port.embed_chips(chip[None])[0] for chip in chips[:4]])
    assert np.abs(batch - one_by_one).max() < 1e-5


def test_find_face_with_either_embedder_gives_the_same_numbers(demo_by_id):
    rgb = decode_image(demo_by_id["042"].id_photo.read_bytes())
    box = faces.detect_faces(rgb)[0]
    ported = faces.embed_face(rgb, box, embedder="port")
    own = faces.embed_face(rgb, box, embedder="dlib")
    assert np.linalg.norm(ported - own) < PARITY


def test_decisions_on_the_shipped_reference_are_unchanged(
    reference, demo_faces, embedded_demo_faces, port
):
    """The shipped reference (built with dlib's own code) against fresh port embeddings (each
    ID photo's ``find_face``, computed once per test run by the ``embedded_demo_faces``
    fixture)."""
    index = {str(person_id): row for row, person_id in enumerate(reference.person_ids)}
    for face in demo_faces:
        row = index[face.person.person_id]
        fresh = embedded_demo_faces[face.person.person_id][0].embedding
        shipped = reference.embeddings_for("id", "studio")[row]
        assert np.linalg.norm(fresh - shipped) < 1e-3
        live = reference.embeddings_for("live", "studio").astype(np.float64)
        distances_fresh = np.linalg.norm(live - fresh, axis=1)
        distances_shipped = np.linalg.norm(live - shipped, axis=1)
        assert ((distances_fresh <= 0.6) == (distances_shipped <= 0.6)).all()


def test_a_damaged_model_file_is_refused_with_a_reason():
    import face_recognition_models

    with open(face_recognition_models.face_recognition_model_location(), "rb") as handle:
        data = handle.read()
    parse_network(*read_dat(data))
    with pytest.raises(ValueError, match="ends early"):
        read_dat(data[: len(data) // 2])


def test_dlib_is_used_when_asked(monkeypatch, demo_by_id):
    monkeypatch.setenv(faces.EMBEDDER_VARIABLE, "dlib")
    assert faces.requested_embedder() == "dlib"
    assert faces.embedder_notice() is None
    rgb = decode_image(demo_by_id["001"].id_photo.read_bytes())
    calls = []
    real = faces.ported_network
    monkeypatch.setattr(faces, "ported_network", lambda: calls.append(1) or real())
    faces.find_face(rgb)
    assert calls == [], "dlib's own code ran: the port was not consulted"


def test_load_port_reports_a_missing_onnx_in_one_line(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def without_onnx(name, *args, **kwargs):
        if name == "onnx" or name.startswith("onnx."):
            raise ImportError("No module named 'onnx'", name="onnx")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_onnx)
    with pytest.raises(RuntimeError) as error:
        load_port()
    assert "onnx" in str(error.value) and "\n" not in str(error.value)


def test_a_port_that_cannot_load_falls_back_to_dlib_with_a_notice(monkeypatch, demo_by_id):
    def broken() -> None:
        raise RuntimeError("the ResNet port needs onnx, which is not installed")

    monkeypatch.setattr(faces, "load_port", broken)
    faces._ported.cache_clear()
    try:
        notice = faces.embedder_notice()
        assert notice is not None and "onnx" in notice and "\n" not in notice
        rgb = decode_image(demo_by_id["001"].id_photo.read_bytes())
        box = faces.detect_faces(rgb)[0]
        fallback = faces.embed_face(rgb, box)
    finally:
        monkeypatch.undo()
        faces._ported.cache_clear()
    assert np.linalg.norm(fallback - faces.embed_face(rgb, box, embedder="dlib")) == 0.0
