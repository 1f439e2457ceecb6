"""Every part of Streamlit (and of Starlette under it) that the page uses without a public API,
each with the reason it is needed. ``tests/unit/test_streamlit_private.py`` fails, naming the part,
when an upgrade removes or renames one; ``pyproject.toml`` bounds Streamlit to releases that
passed it.
"""

from __future__ import annotations

import logging

from starlette.formparsers import MultiPartParser
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

NO_SESSION_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"
"""Warns once per cached call made outside a page run (the preload makes many)."""

TEST_IDS = (
    "stSidebar",
    "stExpandSidebarButton",
    "stHeader",
    "stCaptionContainer",
    "stHorizontalBlock",
    "stTabs",
    "stColumn",
    "stElementContainer",
    "stVerticalBlock",
    "stImage",
    "stImageCaption",
    "stText",
    "stAlert",
    "stMarkdown",
    "stVegaLiteChart",
    "stWidgetLabel",
    "stMetricValue",
    "stLayoutWrapper",
    "stExpander",
    "stFullScreenFrame",
)
"""The ``data-testid`` attributes the projector view's and the phone's CSS hide or reshape
(``present.py``, ``phone.py``):
Streamlit offers no other hook for its own chrome (the sidebar, the header, the tab strip)."""


def session_id() -> str | None:
    """The running page's session, for the closed-tab watcher (``closed_tabs.py``): no public
    API names a session. None outside a page run on a server."""
    context = get_script_run_ctx()
    return context.session_id if context is not None and runtime.exists() else None


def has_open_tab(session: str) -> bool:
    """Whether a browser tab is connected to ``session`` now."""
    return runtime.get_instance().is_active_session(session)


def close_session(session: str) -> None:
    """Shut ``session`` down now, from any thread: Streamlit keeps a closed tab's session for a
    reconnect and never shuts it down by itself (``closed_tabs.py``)."""
    runtime.get_instance().clear_user_info_for_session(session)


def release_orphaned_media() -> None:
    """Stop serving the pictures and downloads no session refers to any more; a download goes
    on the second call after it lost its last session (the first marks it)."""
    runtime.get_instance().media_file_mgr.remove_orphaned_files()


def forget_this_sessions_media() -> None:
    """Stop serving every picture and download this session was shown, now ("Forget my
    photos"): Streamlit drops them only after a later full run."""
    media = runtime.get_instance().media_file_mgr
    media.clear_session_refs()
    media.remove_orphaned_files()


def keep_uploads_up_to(limit: int) -> None:
    """Keep uploads of up to ``limit`` bytes in memory: Starlette's multipart parser spools an
    upload over 1 MiB to an unnamed temporary file on disk."""
    if MultiPartParser.spool_max_size < limit:
        MultiPartParser.spool_max_size = limit


def quiet_no_session_warnings() -> None:
    """Silence the warning each cached call makes outside a page run (the preload's)."""
    logging.getLogger(NO_SESSION_LOGGER).setLevel(logging.ERROR)
