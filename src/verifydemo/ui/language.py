"""The page's language: ``?lang=`` in the address, else the browser's locale, then the
visitor's own choice, which lasts for the session."""

from __future__ import annotations

import streamlit as st

from verifydemo.core.i18n import LANGUAGES, _, language_of_locale, set_language
from verifydemo.ui import keys
from verifydemo.ui.choices import offered


def page_language() -> str:
    """Set the language of this run (each page run and each fragment run calls it first) and
    return it."""
    offered(keys.LANGUAGE, LANGUAGES)
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
    if st.session_state.get(keys.LANGUAGE) not in LANGUAGES:
        return
    st.query_params["lang"] = st.session_state[keys.LANGUAGE]
    set_language(st.session_state[keys.LANGUAGE])
    _redraw_choices()


def _redraw_choices() -> None:
    """Hand every radio and select box its value again, so the browser redraws it in the new
    language. Their values are language-neutral option names shown through a translating
    ``format_func``, but Streamlit's browser side keeps and sends back the formatted label it
    was last given (the ``string_value`` that ``widget_values.py`` reads): without this it would
    match none of the new labels and show nothing chosen, while the server still held the
    choice."""
    for key, value in list(st.session_state.items()):
        if isinstance(value, str) and key != keys.LANGUAGE:
            st.session_state[key] = value
