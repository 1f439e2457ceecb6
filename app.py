"""verifydemo. Start it with `uv run streamlit run app.py`.

Streamlit finds ``app`` below and serves the page in ``src/verifydemo/ui/page.py``. Before the
server answers, its lifespan loads the face models, the reference set and the page's modules
once, so the first visitor's check does not wait for them; its middleware checks every widget
value a browser sends (``ui/startup.APP_OPTIONS``). ``verifydemo classroom`` serves the same app
from ``src/verifydemo/ui/app.py``.
"""

import streamlit as st

from verifydemo.ui.startup import APP_OPTIONS, PAGE

app = st.App(PAGE, **APP_OPTIONS)
