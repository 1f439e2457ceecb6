"""The opening text: what the check is, where it comes from, and what this app is not."""

import streamlit as st

from verifydemo.core.i18n import _

INTRO_TEXT = "intro_text"


def intro() -> None:
    """The title, then the text in a box that a phone's layout moves below the steps."""
    st.title(_("verifydemo: how an ID-to-face check works, and how it fails"))
    with st.container(key=INTRO_TEXT):
        _intro_text()


def _intro_text() -> None:
    st.markdown(
        _(
            "Since 1 December 2019, mobile operators in China must compare the face of a person "
            "signing up for a phone number in a shop or service point with their identity document "
            "(“portrait comparison”, 人像比对), and issue the number only when the two agree. The "
            "rule comes from a notice of the General Office of the Ministry of Industry and "
            "Information Technology (MIIT), 《关于进一步做好电话用户实名登记管理有关工作的通知》 "
            "(announced 27 September and 2 December 2019). Its three stated aims: that the person "
            "and the ID card agree at sign-up, that SIM cards are not resold, and that no number "
            "is opened in someone's name without their knowledge."
        )
    )
    st.markdown(
        _(
            "This page runs that kind of **1:1 check** on this computer: it turns each face into "
            "128 numbers with dlib's face model, measures the distance between them, and decides "
            "at a threshold. **It is not the operators' system**: their vendors, models, "
            "thresholds and error rates are not public. The rates below are this app's own "
            "measurements, on consented volunteers. For a sense of scale only: a third-party "
            "scrape of NIST's FRVT 1:1 leaderboard (about October 2020, "
            "martinsbruveris/nist-frvt-analysis) lists the best algorithms missing 0.25% to 0.64% "
            "of genuine pairs while accepting 1 impostor in 100,000 to 1 in a million, on NIST's "
            "own visa, mugshot and border photos, not these. That is not a like-for-like "
            "comparison, and those rates were measured at false match rates far below anything "
            "the 10,302 impostor pairs here can show."
        )
    )
