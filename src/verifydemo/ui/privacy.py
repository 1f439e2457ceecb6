"""The privacy note and the "Forget my photos" button."""

from __future__ import annotations

import streamlit as st

from verifydemo.ui.session import forget_photos


def privacy_panel() -> None:
    st.subheader("Your photos")
    st.markdown(
        "Photos you take or upload stay in this browser session's memory on the computer "
        "running the app. Nothing is written to disk, logged, shared with other visitors or "
        "sent over the network. Closing the tab drops them within two minutes."
    )
    if st.button("Forget my photos", key="forget", on_click=forget_photos):
        st.toast("Your photos and their 128 numbers are gone from this session.")
