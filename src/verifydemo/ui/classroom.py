"""Classroom mode (``verifydemo classroom``): the room's address as a QR code for the projector.

The panel is open and large on the teacher's screen (the browser on the computer running the
room, or any tab where the teacher code was typed) and absent from students' devices. Under
``streamlit run app.py`` there is no classroom, and nothing here shows.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from verifydemo.core.i18n import _
from verifydemo.tools import classroom
from verifydemo.ui import keys

JOIN_PANEL = "join_panel"
"""The QR panel's box (a phone's layout hides it: nobody projects from a phone)."""
PROJECTOR_QR = 180
"""Pixels of the QR code in the projector view: on a 2.5 m wide screen about 35 cm, which a
phone reads from several metres, and small enough to leave the first step its room."""


@st.cache_resource
def _qr_png(url: str) -> bytes:
    """The room's QR code, drawn once per server (the address is public to the room)."""
    return classroom.qr_png(url)


def is_teachers(room: classroom.Classroom, address: str | None, typed_code: str) -> bool:
    """Whether a tab connected from ``address`` is the teacher's: on the computer running the
    room (Streamlit gives no address for the computer itself, and the room's own address is
    the same computer), or one where the teacher code was typed."""
    on_the_rooms_computer = address is None or address == urlsplit(room.url).hostname
    return on_the_rooms_computer or room.is_teacher_code(typed_code)


def on_teachers_screen(room: classroom.Classroom) -> bool:
    """Whether this tab is the teacher's (:func:`is_teachers`)."""
    typed = st.session_state.get(keys.TEACHER_CODE, "")
    address = st.context.ip_address
    return is_teachers(
        room, address if isinstance(address, str) else None, typed if isinstance(typed, str) else ""
    )


def join_panel() -> None:
    """The address and a large QR code, open on the teacher's screen; nothing on a student's."""
    room = classroom.current()
    if room is None or not on_teachers_screen(room):
        return
    if st.session_state.get(keys.PRESENT_VIEW):
        _compact_join_panel(room.url)
        return
    label = _("Join from your own phone or laptop: QR code for the projector")
    with st.container(key=JOIN_PANEL), st.expander(label, expanded=True):
        st.image(_qr_png(room.url), width=520)
        st.text(room.url)
        st.caption(
            _(
                "Your browser will warn that the connection is not private: the certificate was "
                "made just now by the teacher's computer. Choose Advanced, then Proceed. Your "
                "photos go only to that computer, encrypted on the way."
            )
        )


def _compact_join_panel(url: str) -> None:
    """The projector's version: the code and the address side by side, one short row (the
    projector view shows it on its first step only)."""
    with st.container(key=JOIN_PANEL, horizontal=True, vertical_alignment="center", gap="medium"):
        st.image(_qr_png(url), width=PROJECTOR_QR)
        st.markdown(
            _("**Join from your own phone or laptop**: scan the code, or type  \n{url}", url=url)
        )
