"""verifydemo. Start it with `uv run streamlit run app.py`.

Streamlit finds ``app`` below and serves the page in ``src/verifydemo/ui/page.py``. Before the
server answers, ``preloaded`` loads the face models, the reference set and the page's modules
once, so the first visitor's check does not wait for them.
"""

import streamlit as st

from verifydemo.ui.startup import PAGE, preloaded

app = st.App(PAGE, lifespan=preloaded)
