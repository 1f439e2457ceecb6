"""A closed tab's session, with its photos, pictures and downloads, shut down within a minute
whatever else the server is doing.

Streamlit keeps a disconnected session for ``server.disconnectedSessionTTL`` seconds so that a
tab can reconnect, but it drops an expired one only when another session disconnects, and never
shuts it down: its pictures stay served. So every page run registers its session here, and one
watcher thread per server closes each session that has had no open tab for ``GRACE_SECONDS``,
through Streamlit's thread-safe ``Runtime.clear_user_info_for_session``: that marks it as not
resumable and shuts it down on the server's event loop, which releases its media, uploads and
state; the watcher's next checks then delete its downloads. ``disconnectedSessionTTL``
(config.toml) is longer than the grace, so the session is still stored, and closable, when the
watcher comes.
"""

from __future__ import annotations

import gc
import threading
import time

from verifydemo.ui.streamlit_private import (
    close_session,
    has_open_tab,
    release_orphaned_media,
    session_id,
)

GRACE_SECONDS = 30.0
"""How long a session may have no open tab (a phone's screen locked, a dropped connection)
before it is closed."""
CHECK_EVERY_SECONDS = 5.0
PROMISED_SECONDS = 60
"""What the page promises: a closed tab's data is gone within this (the grace plus three
checks, with room to spare)."""

_lock = threading.Lock()
_last_open: dict[str, float] = {}
"""Session id -> the last time the watcher saw it with an open tab (monotonic seconds)."""
_watcher: threading.Thread | None = None


def watch_this_session() -> None:
    """Register the running page's session, and start the watcher once per server."""
    session = session_id()
    if session is None:
        return
    global _watcher
    with _lock:
        _last_open.setdefault(session, time.monotonic())
        if _watcher is None:
            _watcher = threading.Thread(target=_watch, name="verifydemo-closed-tabs", daemon=True)
            _watcher.start()


def watched_sessions() -> int:
    """How many sessions the watcher still holds (for tests and the benchmark)."""
    with _lock:
        return len(_last_open)


def close_expired(now: float) -> list[str]:
    """Close every registered session that has had no open tab for ``GRACE_SECONDS`` at
    ``now``; return their ids."""
    closed = []
    with _lock:
        for session_id, last_open in list(_last_open.items()):
            if has_open_tab(session_id):
                _last_open[session_id] = now
            elif now - last_open >= GRACE_SECONDS:
                del _last_open[session_id]
                closed.append(session_id)
    for session_id in closed:
        close_session(session_id)
    return closed


def _watch() -> None:
    """Every few seconds: close expired sessions, then release the files no session refers to.
    Streamlit deletes an unreferenced download only on the second release after it lost its
    last session (the first marks it), so a closed tab's downloads go two checks later."""
    global _watcher
    closed_last_time = False
    while True:
        time.sleep(CHECK_EVERY_SECONDS)
        try:
            if closed_last_time:
                # The sessions closed last time have been shut down on the event loop since.
                # Their objects refer to each other, and an idle server allocates too little
                # to start Python's cycle collector: without this their photos stay in memory.
                gc.collect()
            closed_last_time = bool(close_expired(time.monotonic()))
            release_orphaned_media()
        except RuntimeError:  # the server has stopped (or a test's runtime has gone)
            with _lock:
                _watcher = None
                _last_open.clear()
            return
