"""Helpers every kind of test shares: image bytes, tools CI must have, and the page."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from verifydemo.core.i18n import current_language, set_language
from verifydemo.ui.startup import PAGE

ROOT = Path(__file__).resolve().parents[2]
PASSED = pytest.StashKey[bool]()
"""Whether a test's own call passed: set on its item (``conftest.pytest_runtest_makereport``)
for fixtures that clean up after a failed test."""


def image_bytes(image: Image.Image | np.ndarray | Path, fmt: str = "JPEG", **options) -> bytes:
    """``image`` (a Pillow image, an RGB array or a file) encoded as ``fmt``, in memory."""
    if isinstance(image, Path):
        with Image.open(image) as opened:
            image = opened.convert("RGB") if fmt == "JPEG" else opened.copy()
    elif isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def write_frames(folder: Path, frames) -> list[str]:
    """``frames`` as numbered PNG files in ``folder`` (made if missing); their paths, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, frame in enumerate(frames):
        path = folder / f"frame_{index:03}.png"
        path.write_bytes(image_bytes(frame, "PNG"))
        paths.append(str(path))
    return paths


def require(present: bool, what: str, install: str) -> None:
    """Skip when ``what`` is missing, except in CI, where .ci/run must have installed it."""
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing in CI; .ci/run installs it ({install})")
    pytest.skip(f"{what} is not installed ({install})")


def new_app(query: dict[str, str] | None = None):
    """The real page through AppTest, opened at ``?query``, after its first run (which loads
    the real model)."""
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_file(str(PAGE), default_timeout=120)
    page.query_params.update(query or {})
    page.run()
    assert not page.exception, page.exception
    return page


def remembered_photos(page, name: str | None = None) -> set[str]:
    """Digests of the photos that the session memo (one ``name``, or all) still holds values of."""
    from verifydemo.ui import keys

    memo = page.session_state[keys.MEMO] if keys.MEMO in page.session_state else {}  # noqa: SIM401 (AppTest's state has no .get)
    names = [name] if name else list(memo)
    return {digest for n in names for sources, _ in memo.get(n, {}) for digest in sources}


def open_tab(page, name: str):
    """The block of the teaching tab ``name`` (``threshold.TABS``), opened first as a click
    would open it (one rerun) unless it is already open: only the open tab runs."""
    from verifydemo.ui import keys
    from verifydemo.ui.threshold import TABS

    index = [tab_name for tab_name, _label, _draw in TABS].index(name)
    if not page.tabs[index].children:
        page.session_state[keys.OPEN_TAB] = name
        page.run()
        assert not page.exception, page.exception
    return page.tabs[index]


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak ``language`` in this thread for a while: AppTest calls the page's ``format_func``s
    here when it sends widget values back, and they translate into this thread's language."""
    spoken = current_language()
    set_language(language)
    try:
        yield
    finally:
        set_language(spoken)
