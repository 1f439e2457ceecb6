"""What the server does once, before it answers anyone: run the page, so that everything every
visit shares is loaded.

``app.py`` hands :func:`preloaded` to ``st.App`` as its lifespan, so under ``streamlit run app.py``
the page has run once in each language before the health check answers, and the first
visitor's check runs warm. ``verifydemo classroom`` calls :func:`preload` itself before it
prints the address; the lifespan then finds everything loaded.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from verifydemo.core.i18n import LANGUAGES, _, language_of_environment, set_language

PAGE = Path(__file__).with_name("page.py")
"""The page script Streamlit runs for every visit."""

_LOADED = threading.Event()
"""Set once :func:`preload` has run in this process."""


def preload() -> float:
    """Run the page once per language in this process, as a first visitor would, and return
    the seconds it took. That imports every section and fills what all sessions share
    (``st.cache_resource``: the models and the port, the demo faces, the reference set, its
    figures and charts), so the first visitor does not wait for them; the runs' own sessions
    are discarded. Raises RuntimeError if the page fails. Runs once per process: later calls
    return 0 at once."""
    if _LOADED.is_set():
        return 0.0
    from streamlit.runtime import Runtime
    from streamlit.testing.v1 import AppTest

    # Outside a page run Streamlit warns once per cached call that there is no session.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    started = time.perf_counter()
    serving = Runtime._instance  # AppTest puts in a stand-in and leaves none behind
    try:
        for language in LANGUAGES:
            page = AppTest.from_file(str(PAGE), default_timeout=600)
            page.query_params["lang"] = language
            page.run()
            if page.exception:
                raise RuntimeError(page.exception[0].message)
    finally:
        Runtime._instance = serving
    _LOADED.set()
    return time.perf_counter() - started


@asynccontextmanager
async def preloaded(app: object) -> AsyncIterator[None]:
    """``st.App``'s lifespan: :func:`preload` in a worker thread before the server serves, and
    one line saying how long it took, in the terminal's language (nothing when the classroom
    launcher has loaded the page already). The thread is gone before the server serves."""
    if not _LOADED.is_set():
        with ThreadPoolExecutor(max_workers=1) as worker:
            seconds = await asyncio.get_running_loop().run_in_executor(worker, preload)
        set_language(language_of_environment())
        print(_("Page loaded in {seconds:.1f} s.", seconds=seconds), flush=True)
    yield
