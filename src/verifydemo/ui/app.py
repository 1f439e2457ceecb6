"""The app ``verifydemo classroom`` serves: the same one as the checkout's ``app.py``, inside the
package, so an installed wheel has it. ``streamlit run`` finds ``app`` below; nothing imports
this file."""

import streamlit as st

from verifydemo.ui.startup import APP_OPTIONS, PAGE

app = st.App(PAGE, **APP_OPTIONS)
