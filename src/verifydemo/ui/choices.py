"""Choices the browser sends back are checked against what the page offered: a crafted
message's made-up value resets the widget to its default with a one-line notice, instead of
failing the run."""

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
