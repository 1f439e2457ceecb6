"""The page's language: ``?lang=`` in the address, else the browser's locale, then the
visitor's own choice, which lasts for the session."""

from __future__ import annotations

import streamlit as st

from verifydemo.core.i18n import LANGUAGES, _, language_of_locale, set_language
from verifydemo.ui import keys


def page_language() -> str:
    """Set the language of this run (each page run and each fragment run calls it first) and
    return it."""
    if keys.LANGUAGE not in st.session_state:
        asked = st.query_params.get("lang")
        st.session_state[keys.LANGUAGE] = (
            asked if asked in LANGUAGES else language_of_locale(st.context.locale)
        )
    return set_language(st.session_state[keys.LANGUAGE])


def language_selector() -> None:
    """A choice of language; the address follows it, so a shared link opens in it."""
    st.radio(
        _("Language"),
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        horizontal=True,
        key=keys.LANGUAGE,
        on_change=_follow_in_address,
    )


def _follow_in_address() -> None:
    st.query_params["lang"] = st.session_state[keys.LANGUAGE]
    set_language(st.session_state[keys.LANGUAGE])
