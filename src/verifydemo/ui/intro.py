"""The opening text: what the check is and where it comes from."""

import streamlit as st


def intro() -> None:
    st.title("verifydemo: how an ID-to-face check works, and how it fails")
    st.markdown(
        "Since 1 December 2019, mobile operators in China must compare the face of anyone "
        "signing up for a new phone number with the photo on their identity document, and "
        "issue the number only on a match (MIIT notice on real-name registration, reported "
        "September 2019). This page runs that kind of **1:1 check** on this computer: it turns "
        "each face into 128 numbers, measures the distance between them, and decides at a "
        "threshold."
    )
