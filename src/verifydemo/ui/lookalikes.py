"""Lookalikes: the volunteers the model finds closest to the ID photo on screen."""

from __future__ import annotations

import streamlit as st

from verifydemo.core.compare import accepted
from verifydemo.core.i18n import _
from verifydemo.lessons.lookalikes import closest_people, count_passing
from verifydemo.ui.resources import ScenarioScores, demo_by_id, demo_photo_bytes, reference
from verifydemo.ui.session import PairOnScreen

SHOWN = 5


def lookalikes_tab(measured: ScenarioScores, threshold: float, pair: PairOnScreen | None) -> None:
    st.markdown(
        _(
            "An impostor does not need to look like anyone to the eye, only to the model. Here "
            "the ID photo on screen is compared with the live photos of every other volunteer in "
            "the reference set (studio capture). At scale this is what goes wrong in a search: a "
            "user of dlib reported that searching 30 million faces at 0.6 returned about 15,000 "
            "faces each time, and dlib's author replied that this is what to expect "
            "(davisking/dlib #1944)."
        )
    )
    if pair is None:
        st.info(_("Run a check above first."))
        return
    data = reference()
    live = data.embeddings_for("live", "studio")
    exclude = pair.id_person.person.person_id if pair.id_person else None
    passing, strangers = count_passing(pair.id_embedding, live, data.person_ids, threshold, exclude)
    st.metric(
        _("Other volunteers accepted as this ID photo at {threshold:.2f}", threshold=threshold),
        _("{passing} of {strangers}", passing=passing, strangers=strangers),
    )
    closest = closest_people(pair.id_embedding, live, data.person_ids, exclude, SHOWN)
    if pair.id_person is None:
        st.caption(
            _(
                "Your own photo is never shown beside anyone. These are the volunteers whose "
                "live photos the model puts closest to it, as numbers only."
            )
        )
        st.table(
            {
                _("volunteer"): [_volunteer(person.person_id) for person in closest],
                _("distance"): [f"{person.distance:.3f}" for person in closest],
                _("accepted at {threshold:.2f}", threshold=threshold): [
                    _("yes") if accepted(person.distance, threshold) else _("no")
                    for person in closest
                ],
            }
        )
        return
    st.caption(
        _(
            "Volunteers of the London Set, nearest first. Photos are shown only for the demo "
            "faces; the others are listed by number."
        )
    )
    for column, person in zip(st.columns(SHOWN), closest, strict=False):
        demo = demo_by_id(person.person_id)
        if demo is not None:
            column.image(demo_photo_bytes(str(demo.live_photo)), width="stretch")
        column.markdown(_card(person.person_id, person.distance, threshold))


def _volunteer(person_id: str) -> str:
    return _("London Set #{person_id}", person_id=person_id)


def _card(person_id: str, distance: float, threshold: float) -> str:
    volunteer = _volunteer(person_id)
    if accepted(distance, threshold):
        return _(
            "{volunteer}  \ndistance {distance:.3f}  \naccepted",
            volunteer=volunteer,
            distance=distance,
        )
    return _(
        "{volunteer}  \ndistance {distance:.3f}  \nnot accepted",
        volunteer=volunteer,
        distance=distance,
    )
