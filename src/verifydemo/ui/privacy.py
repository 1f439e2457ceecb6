"""The privacy note and the "Forget my photos" button."""

from __future__ import annotations

import streamlit as st

from verifydemo.core.i18n import _
from verifydemo.ui import keys
from verifydemo.ui.session import forget_photos
from verifydemo.ui.streamlit_private import keep_uploads_up_to

MULTIPART_OVERHEAD = 1024 * 1024


def keep_uploads_in_memory() -> None:
    """Keep every upload the server accepts in memory, never spooled to disk. Called from
    ``page.py``, so it is in force from the first page view."""
    keep_uploads_up_to(st.get_option("server.maxUploadSize") * 1024 * 1024 + MULTIPART_OVERHEAD)


def privacy_panel() -> None:
    st.subheader(_("Your photos"))
    st.markdown(
        _(
            "Photos you take or upload go only from this browser to the computer running the "
            "app, and stay in this session's memory there. Nothing is written to disk, logged, "
            "shared with other visitors or sent anywhere else. Closing the tab drops them within "
            "a minute."
        )
    )
    if st.button(_("Forget my photos"), key=keys.FORGET, on_click=forget_photos):
        st.toast(_("Your photos and their 128 numbers are gone from this session."))


def ethics_summary() -> None:
    """ETHICS.md in a few lines, for the sidebar."""
    with st.expander(_("What this app is for, and what it must never be used for")):
        st.markdown(
            _(
                "- **For**: letting a class see how a 1:1 face check works and how it fails.\n"
                "- **Never** for checking anyone's identity for real, searching for or naming "
                "a person, or judging anyone from their face.\n"
                "- **Never** try the printed-photo attack, or any attack shown here, on a real "
                "system: only against this app.\n"
                "- The demo faces are consented volunteers of the Face Research Lab London "
                "Set, never suspects or matches for anyone in the room.\n"
                "- This is not the operators' system: their vendors, thresholds and error "
                "rates are not public.\n\n"
                "The whole text is in ETHICS.md, beside the app."
            )
        )
