"""What the server does once, before it answers anyone: load what every visit shares.

Both app files (the checkout's ``app.py`` and the packaged ``ui/app.py``, which
``verifydemo classroom`` serves) hand :data:`APP_OPTIONS` to ``st.App``: :func:`preloaded` as
its lifespan, so the face models, the network's port, the reference set, the default scenario's
figures and charts (in every language), the gallery's thumbnails, the faces of the first demo
pair and the page's own modules are ready before the health check answers, and the first
visitor's check runs warm; and the widget-value check (``widget_values.py``) as its middleware.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.middleware import Middleware

from verifydemo.core.compare import DEFAULT_THRESHOLD, compare
from verifydemo.core.i18n import (
    LANGUAGES,
    _,
    current_language,
    language_of_environment,
    set_language,
)
from verifydemo.lessons.scenarios import ID_SCENARIOS, LIVE_SCENARIOS
from verifydemo.ui.ondevice_routes import ROUTES as ONDEVICE_ROUTES
from verifydemo.ui.streamlit_private import quiet_no_session_warnings
from verifydemo.ui.widget_values import WidgetValueGuard

PAGE = Path(__file__).with_name("page.py")
"""The page script Streamlit runs for every visit."""

NOT_SECTIONS = {"page", "startup", "app", "load_client", "page_timings"}
"""Modules of this package that the page does not import: the script itself, this module, the
packaged app file that serves it, the benchmark's browserless client and its timings of the
page."""

_LOADED = threading.Event()
"""Set once :func:`preload` has run in this process."""


def preload() -> float:
    """Import the page's sections and fill the caches every session shares (``resources.py``)
    for the page as a visitor first sees it; returns the seconds it took. Runs once per process:
    later calls return 0 at once.

    It calls the cached functions rather than running the page through Streamlit's AppTest,
    which makes a temporary folder (and Python's tempfile a probe file) as it is imported: the
    server must write nothing to disk."""
    if _LOADED.is_set():
        return 0.0
    from verifydemo.pictures.charts import distance_scale
    from verifydemo.ui import resources, result

    started = time.perf_counter()
    quiet_no_session_warnings()
    for module in pkgutil.iter_modules([str(PAGE.parent)]):
        if module.name not in NOT_SECTIONS:
            importlib.import_module(f"verifydemo.ui.{module.name}")
    resources.warm_models()
    faces = resources.demo_faces()
    for face in faces:
        resources.demo_thumbnail(str(face.id_photo))
    _, id_face = resources.demo_face(str(faces[0].id_photo))
    _, live_face = resources.demo_face(str(faces[0].live_photo))
    id_scenario, live_scenario = ID_SCENARIOS[0].name, LIVE_SCENARIOS[0].name
    resources.scenario_scores(id_scenario, live_scenario).at(DEFAULT_THRESHOLD)
    spoken = current_language()
    for language in LANGUAGES:
        set_language(language)
        resources.scenario_charts(id_scenario, live_scenario, language)
        # The first pair's charts: Altair checks a chart's first spec against its schema slowly.
        result.embeddings_chart(id_face.embedding, live_face.embedding).to_dict()
        distance_scale(compare(id_face.embedding, live_face.embedding, DEFAULT_THRESHOLD))
    set_language(spoken)
    # The first element of Streamlit's first run calls inspect.stack() (to tell a REPL from a
    # script); its first call reads the path of every loaded module (0.1 s or more here).
    inspect.stack()
    _LOADED.set()
    return time.perf_counter() - started


@asynccontextmanager
async def preloaded(app: object) -> AsyncIterator[None]:
    """``st.App``'s lifespan: :func:`preload` in a worker thread before the server serves, and
    one line saying how long it took, in the terminal's language."""
    seconds = await asyncio.to_thread(preload)
    set_language(language_of_environment())
    print(_("Page loaded in {seconds:.1f} s.", seconds=seconds), flush=True)
    yield


APP_OPTIONS = {
    "lifespan": preloaded,
    "middleware": [Middleware(WidgetValueGuard)],
    "routes": ONDEVICE_ROUTES,
}
"""What ``st.App`` is given besides the page, in both app files; ``routes`` serve the on-device
check's files (``ondevice_routes.py``), built on first request, not before the server answers."""
