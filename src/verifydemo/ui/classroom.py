"""Classroom mode (``verifydemo classroom``): the room's address as a QR code for the projector.

Under ``streamlit run app.py`` there is no classroom, and nothing here shows.
"""

from __future__ import annotations

import streamlit as st

from verifydemo.core.i18n import _
from verifydemo.tools import classroom


@st.cache_resource
def _qr_png(url: str) -> bytes:
    """The room's QR code, drawn once per server (the address is public to the room)."""
    return classroom.qr_png(url)


def join_panel() -> None:
    """The address and a large QR code, folded away until the teacher opens it."""
    room = classroom.current()
    if room is None:
        return
    with st.expander(_("Join from your own phone or laptop: QR code for the projector")):
        st.image(_qr_png(room.url), width=520)
        st.text(room.url)
        st.caption(
            _(
                "Your browser will warn that the connection is not private: the certificate was "
                "made just now by the teacher's computer. Choose Advanced, then Proceed. Your "
                "photos go only to that computer, encrypted on the way."
            )
        )
