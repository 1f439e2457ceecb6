"""Malformed and hostile files get a clear one-line message everywhere, and never a crash."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from hostile_inputs import hostile_files
from support import ROOT, image_bytes, new_app
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import face_from_bytes
from verifydemo.core.parallel import parallel_map
from verifydemo.entry import cli
from verifydemo.ui import keys

CORPUS = hostile_files(ROOT / "demo_faces" / "001_id.jpg")


def test_corpus_is_large_and_varied():
    assert len(CORPUS) >= 25
    assert len({hashlib.sha256(item.data).digest() for item in CORPUS}) >= 25


@pytest.mark.parametrize("item", CORPUS, ids=lambda item: item.name)
def test_library_gives_a_one_line_reason_or_a_face(item):
    if item.expect is None:
        _, face = face_from_bytes(item.data)
        assert face.face_count == 1
        return
    with pytest.raises(UnusableInput) as caught:
        face_from_bytes(item.data)
    message = str(caught.value)
    assert item.expect in message and "\n" not in message


@pytest.mark.parametrize("item", CORPUS, ids=lambda item: item.name)
def test_cli_exits_two_with_one_line(item, tmp_path, capsys, demo_by_id):
    path = tmp_path / "upload.bin"
    path.write_bytes(item.data)
    code = cli.main(["verify", str(path), str(demo_by_id["001"].live_photo)])
    captured = capsys.readouterr()
    if item.expect is None:
        assert code == 0, captured.err
        return
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and item.expect in lines[0]


@pytest.mark.slow
def test_app_shows_one_message_per_bad_upload_and_keeps_working():
    app = new_app()
    app.radio(key=keys.LIVE_SOURCE).set_value("upload").run()
    for item in CORPUS:
        app.file_uploader(key=f"{keys.LIVE_UPLOAD}_0").set_value(
            (item.name, item.data, "image/jpeg")
        ).run()
        assert not app.exception, item.name
        errors = [error.value for error in app.error]
        if item.expect is None:
            assert errors == [], (item.name, errors)
            assert [alert for alert in app.success if "**Match**" in alert.value], item.name
        else:
            assert len(errors) == 1 and item.expect in errors[0] and "\n" not in errors[0], (
                item.name,
                errors,
            )
        rendered = " ".join(element.value for element in [*app.markdown, *app.text, *app.caption])
        assert item.name not in rendered, "file names are never shown"
    app.radio(key=keys.LIVE_SOURCE).set_value("same_person").run()
    assert [alert for alert in app.success if "**Match**" in alert.value]


def _face_or_reason(data: bytes) -> str | None:
    """None when ``data`` gives a face; else the one-line reason it was refused with."""
    try:
        face_from_bytes(data)
    except UnusableInput as error:
        return str(error)
    return None


@pytest.mark.slow
def test_seeded_mutations_of_a_real_jpeg_never_crash(demo_by_id):
    """A few hundred damaged versions of a real photo: each gives a face or UnusableInput (any
    other exception fails the test). They are read on every core (``parallel_map``)."""

    from PIL import Image

    with Image.open(demo_by_id["043"].live_photo) as photo:
        original = image_bytes(photo.resize((200, 200)), quality=85)
    rng = np.random.default_rng(2019)
    mutations = []
    for _ in range(300):
        data = bytearray(original)
        kind = rng.integers(0, 4)
        if kind == 0:
            for position in rng.integers(0, len(data), rng.integers(1, 20)):
                data[position] = rng.integers(0, 256)
        elif kind == 1:
            data = data[: rng.integers(0, len(data))]
        elif kind == 2:
            position = rng.integers(0, len(data))
            data[position:position] = rng.bytes(int(rng.integers(1, 200)))
        else:
            start = rng.integers(0, len(data))
            del data[start : start + rng.integers(1, 500)]
        mutations.append(bytes(data))
    outcomes = {"face": 0, "refused": 0}
    for reason in parallel_map(_face_or_reason, mutations):
        if reason is None:
            outcomes["face"] += 1
        else:
            assert "\n" not in reason
            outcomes["refused"] += 1
    assert outcomes["face"] > 0 and outcomes["refused"] > 0
