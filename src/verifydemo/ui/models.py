"""Load the dlib models once per server process, shared by every session's thread."""

import streamlit as st

from verifydemo.faces import load_models


@st.cache_resource(show_spinner="Loading the face model (once per server)...")
def warm_models() -> None:
    load_models()
