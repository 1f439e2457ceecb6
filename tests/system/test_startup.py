"""What the server loads once, before it answers: `streamlit run app.py` and the classroom."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys

import numpy as np
import pytest

from browser import streamlit_server
from support import ROOT
from verifydemo.core.decode import decode_image
from verifydemo.core.faces import find_face
from verifydemo.entry.live_server import APP
from verifydemo.ui import resources
from verifydemo.ui.startup import APP_OPTIONS, NOT_SECTIONS, PAGE, preloaded
from verifydemo.ui.widget_values import WidgetValueGuard


def test_both_app_files_hand_the_page_the_preload_and_the_guard_to_streamlit():
    """The checkout's ``app.py`` and the packaged one (``verifydemo classroom``) are one app."""
    for path in (ROOT / "app.py", APP):
        tree = ast.parse(path.read_text())
        (call,) = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
        assert ast.unparse(call) == "st.App(PAGE, **APP_OPTIONS)", path
    assert APP_OPTIONS["lifespan"] is preloaded
    assert [layer.cls for layer in APP_OPTIONS["middleware"]] == [WidgetValueGuard]
    assert PAGE.exists()


@pytest.mark.slow
def test_preload_imports_every_section_once_and_never_runs_the_page():
    script = (
        "import sys; from verifydemo.ui.startup import preload; preload(); "
        "print(preload() == 0.0); "
        "print(' '.join(m for m in sys.modules "
        "if m.startswith(('verifydemo.ui.', 'streamlit.testing'))))"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    once, loaded = finished.stdout.splitlines()[-2:]
    sections = {module.name for module in pkgutil.iter_modules([str(PAGE.parent)])}
    assert sections >= NOT_SECTIONS
    assert once == "True"
    assert set(loaded.split()) >= {f"verifydemo.ui.{name}" for name in sections - NOT_SECTIONS}
    assert "verifydemo.ui.page" not in loaded.split()
    assert not any(name.startswith("streamlit.testing") for name in loaded.split())


def test_gallery_thumbnails_are_small_copies_of_the_demo_photos(demo_faces):
    face = demo_faces[0]
    original = decode_image(face.id_photo.read_bytes())
    small = decode_image(resources.demo_thumbnail(str(face.id_photo)))
    assert max(small.shape[:2]) == resources.THUMBNAIL_SIDE
    assert small.shape[0] / small.shape[1] == pytest.approx(
        original.shape[0] / original.shape[1], abs=0.01
    )
    assert len(resources.demo_thumbnail(str(face.id_photo))) < face.id_photo.stat().st_size / 3
    step = original.shape[0] // small.shape[0]
    coarse = original[step // 2 :: step, step // 2 :: step][: small.shape[0], : small.shape[1]]
    assert np.abs(coarse.astype(int) - small.astype(int)).mean() < 12


@pytest.mark.slow
def test_streamlit_run_app_py_loads_the_page_before_it_answers():
    with streamlit_server(app=ROOT / "app.py") as server:
        answered = server.output()
    assert "Page loaded in" in answered


def test_a_demo_photos_face_is_found_once_and_shared_read_only(demo_faces):
    path = str(demo_faces[0].id_photo)
    rgb, face = resources.demo_face(path)
    assert resources.demo_face(path)[1] is face
    with pytest.raises(ValueError, match="read-only"):
        rgb[0, 0] = 0
    with pytest.raises(ValueError, match="read-only"):
        face.embedding[0] = 0
    found = find_face(decode_image(demo_faces[0].id_photo.read_bytes()))
    assert np.array_equal(face.embedding, found.embedding) and face.box == found.box
