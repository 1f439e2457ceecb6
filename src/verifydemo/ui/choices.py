"""Choices the browser sends back are checked against what the page offered: a crafted
message's made-up value resets the widget to its default with a one-line notice, instead of
failing the run.

A crafted value of the wrong type (an array for a radio, a single number for a slider, NaN for
a whole-number input) fails inside Streamlit's own reading of the message, before the page
runs, and breaks only that session: the server keeps serving the others."""

from __future__ import annotations

from collections.abc import Collection

import streamlit as st

from verifydemo.core.i18n import _


def offered(key: str, options: Collection[object]) -> None:
    """Before a radio, select box or tab bar is drawn: drop its value if the page never offered
    it, so the widget starts from its default."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
        st.toast(_("A choice this page does not offer was reset."))
