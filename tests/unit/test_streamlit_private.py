"""The parts of Streamlit the page uses without a public API are still there: after an upgrade
this fails with the name of what moved (``ui/streamlit_private.py``)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import streamlit
from starlette.formparsers import MultiPartParser
from streamlit.runtime import Runtime
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.scriptrunner import ScriptRunContext

from support import ROOT
from verifydemo.ui import streamlit_private


def test_the_runtime_methods_the_page_calls_exist():
    for owner, name in [
        (Runtime, "is_active_session"),
        (Runtime, "clear_user_info_for_session"),
        (Runtime, "media_file_mgr"),
        (MediaFileManager, "clear_session_refs"),
        (MediaFileManager, "remove_orphaned_files"),
    ]:
        assert hasattr(owner, name), f"Streamlit's {owner.__name__}.{name} is gone"
    assert "session_id" in ScriptRunContext.__dataclass_fields__
    assert isinstance(MultiPartParser.spool_max_size, int)
    assert streamlit_private.NO_SESSION_LOGGER in logging.Logger.manager.loggerDict


def test_the_test_ids_the_projector_css_relies_on_are_in_streamlits_frontend():
    bundle = "".join(
        path.read_text(errors="replace")
        for path in (Path(streamlit.__file__).parent / "static").rglob("*.js")
    )
    quoted = set(re.findall(r"[`\"'](st[A-Za-z]+)[`\"']", bundle))
    missing = [test_id for test_id in streamlit_private.TEST_IDS if test_id not in quoted]
    assert missing == []


def test_no_other_test_id_is_used():
    used = {
        test_id
        for path in (ROOT / "src" / "verifydemo").rglob("*.py")
        if path.parent.name != "entry"  # the benchmark's browser selectors, not the page's CSS
        for test_id in re.findall(r"data-testid=[\"'](\w+)", path.read_text())
    }
    assert used <= set(streamlit_private.TEST_IDS)
