"""The morph lab: one ID photo blended from two demo volunteers, which both of them can pass with.

Morphs are made only from the consented demo volunteers, never from an uploaded or webcam
photo, and the lab offers no download (ETHICS.md). The morph images are public, consented data
too, so they are cached per (volunteer, volunteer, alpha) for every session; nothing of a
visitor's reaches these caches (their arguments are plain names and numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from verifydemo.core.compare import accepted, distance
from verifydemo.core.decode import decode_image, encode_jpeg
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import find_face
from verifydemo.core.i18n import _
from verifydemo.datasets.london_set import group_label
from verifydemo.datasets.morphs import MorphSet, load_morphs
from verifydemo.lessons.lookalikes import closest_people, count_passing
from verifydemo.lessons.morph import (
    MORPH_ALPHA,
    LookalikePair,
    MorphCheck,
    MorphGeometry,
    QuizItem,
    align_face,
    check_morph,
    lookalike_pairs,
    morph,
    prepare_morph,
    quiz_items,
)
from verifydemo.metrics.error_rates import Rate, significant
from verifydemo.metrics.morphs import MorphRates, MorphScores, morph_rates
from verifydemo.pictures.morph import MORPH_CHART_SIZE, morph_chart
from verifydemo.ui import keys
from verifydemo.ui.choices import offered
from verifydemo.ui.present import folded, in_present_view, kept, on_screen
from verifydemo.ui.resources import (
    ScenarioScores,
    demo_by_id,
    demo_faces,
    demo_photo_bytes,
    reference,
    scenario_scores,
)
from verifydemo.ui.session import PairOnScreen

SUGGESTIONS = 4
SEARCH_SHOWN = 5
SEARCH_MOST = 12
"""The search's table lists every volunteer the morph matches, with the closest others up to
``SEARCH_SHOWN`` rows, and never more than ``SEARCH_MOST`` rows (a high threshold matches
dozens)."""
PRESENT_MORPH_CHART_HEIGHT = 250
"""Pixels of the two-distance chart in the projector view, beside the photos."""
PRESENT_PHOTO_WIDTH = 110
"""Pixels of each of the three photos in the projector view, so the verdict fits under them."""
QUIZ_SIZE = 6
PRESET_NAMES = ("library", "fmr_1.0%", "fmr_0.1%")
"""The presets the MMPMR table is shown at: 0.6, FMR 1% and FMR 0.1% of the studio scenario."""


@dataclass(frozen=True, eq=False)
class MorphOnScreen:
    """A morph of two demo volunteers at one alpha as JPEG bytes (encoded once, not on every
    rerun), and its 128 numbers (None: no face found)."""

    jpeg: bytes
    embedding: np.ndarray | None


@st.cache_resource(max_entries=8, show_spinner=False)
def demo_geometry(first_id: str, second_id: str) -> MorphGeometry:
    """Two demo volunteers' ID photos aligned, with landmarks and triangles, once per pair
    (the last few pairs only: each holds two full-size pictures, about 1.7 MB)."""
    first, second = demo_by_id(first_id), demo_by_id(second_id)
    return prepare_morph(_photo(str(first.id_photo)), _photo(str(second.id_photo)))


@st.cache_resource(max_entries=256, show_spinner=False)
def demo_morph(first_id: str, second_id: str, alpha: float) -> MorphOnScreen:
    """The morph of two demo volunteers' ID photos at ``alpha``, and its embedding."""
    image = morph(demo_geometry(first_id, second_id), alpha)
    try:
        embedding = find_face(image).embedding
    except UnusableInput:
        embedding = None
    return MorphOnScreen(encode_jpeg(image, quality=92), embedding)


@st.cache_resource(max_entries=32, show_spinner=False)
def aligned_demo_photo(person_id: str) -> bytes:
    """A demo volunteer's own ID photo in the morphs' frame, as JPEG bytes."""
    return encode_jpeg(align_face(_photo(str(demo_by_id(person_id).id_photo))).image, quality=92)


@st.cache_resource
def shipped_morphs() -> MorphSet:
    """The shipped morph embeddings (no images): public, consented data, read-only."""
    return load_morphs()


@st.cache_resource
def shipped_morph_scores() -> MorphScores:
    return shipped_morphs().scores(reference())


@st.cache_resource(max_entries=200)
def shipped_morph_rates(threshold: float) -> MorphRates:
    """MMPMR and the same pairs' impostor FMR at ``threshold``, once per threshold."""
    return morph_rates(shipped_morph_scores(), threshold)


def _photo(path: str) -> np.ndarray:
    return decode_image(demo_photo_bytes(path))


def morph_tab(measured: ScenarioScores, threshold: float, pair: PairOnScreen | None) -> None:
    """The lab; ``pair`` (the visitor's check) is never used: morphs come from demo faces. In
    the projector view the two volunteers, the blend, the three photos, the chart and the
    verdict share one screen; the search, the rates, the quiz and the sources are folded (the
    teacher opens the normal view for them)."""
    folded("morph_intro").markdown(
        _(
            "An ID photo can itself be the attack. A **morph** blends two people's faces into "
            "one photo; if it is accepted when the document is issued, both people can pass a "
            "1:1 check against that document (Ferrara, Franco and Maltoni, IJCB 2014). For a "
            "phone number this would be one card, two users."
        )
    )
    st.caption(
        _(
            "Morphs here are made only from the consented demo volunteers, never from an "
            "uploaded or webcam photo, and cannot be downloaded (ETHICS.md says why)."
        )
    )
    projected = in_present_view()
    made = _morph_builder(threshold, projected)
    with folded("morph_more"):
        if made is not None:
            _search(*made, threshold)
        _rates_table(threshold)
        _quiz(threshold)
        _sources()


def _morph_builder(threshold: float, projected: bool) -> tuple[np.ndarray, str, str] | None:
    """The volunteers, the blend, the three photos, the chart and the verdict; returns the
    morph's embedding and the two volunteers (None: no morph to search with)."""
    with folded("morph_pairs"):
        st.subheader(_("Make a morph of two volunteers"))
        people = [face.person.person_id for face in demo_faces()]
        closest = _suggestions(people)
    offered(keys.MORPH_FIRST, people)
    offered(keys.MORPH_SECOND, people)
    st.session_state.setdefault(keys.MORPH_FIRST, closest.first)
    st.session_state.setdefault(keys.MORPH_SECOND, closest.second)
    if projected:  # the volunteers and the blend in one row
        first_column, second_column, blend_column = st.columns(3)
    else:
        first_column, second_column = st.columns(2)
        blend_column = st
    first_id = first_column.selectbox(
        _("Volunteer A"), people, key=keys.MORPH_FIRST, format_func=_volunteer_with_group
    )
    second_id = second_column.selectbox(
        _("Volunteer B"), people, key=keys.MORPH_SECOND, format_func=_volunteer_with_group
    )
    alpha = blend_column.slider(
        _("Blend: 0 is all A, 1 is all B"),
        min_value=0.0,
        max_value=1.0,
        value=MORPH_ALPHA,
        step=0.05,
        key=keys.MORPH_ALPHA,
    )
    if first_id == second_id:
        st.warning(_("Pick two different volunteers: a morph needs two people."))
        return None
    with st.spinner(_("Making the morph and measuring it...")):
        made = demo_morph(first_id, second_id, float(alpha))
        first_photo, second_photo = aligned_demo_photo(first_id), aligned_demo_photo(second_id)
    if projected:  # the photos with the verdict under them, the chart and the distances
        photos_column, chart_column, distances_column = st.columns([3, 3, 2])
        pictures = photos_column.columns(3)
    else:
        pictures = st.columns(3)
    width: int | str = PRESENT_PHOTO_WIDTH if projected else "content"
    pictures[0].image(
        first_photo, caption=_("A: {volunteer}", volunteer=_volunteer(first_id)), width=width
    )
    pictures[1].image(made.jpeg, caption=_("Morph at blend {alpha:.2f}", alpha=alpha), width=width)
    pictures[2].image(
        second_photo, caption=_("B: {volunteer}", volunteer=_volunteer(second_id)), width=width
    )
    if made.embedding is None:
        st.warning(_("No face was found in this morph, so this check cannot accept it."))
        return None
    data = reference()
    live = data.embeddings_for("live", "studio")
    ids = data.embeddings_for("id", "studio")
    row = {str(person_id): index for index, person_id in enumerate(data.person_ids)}
    first_live, second_live = live[row[first_id]], live[row[second_id]]
    check = check_morph(made.embedding, first_live, second_live, threshold)
    photos = [
        _point("first", _("A's own ID photo"), ids[row[first_id]], first_live, second_live),
        _point("second", _("B's own ID photo"), ids[row[second_id]], first_live, second_live),
        _point("morph", _("morph"), made.embedding, first_live, second_live),
    ]
    chart = morph_chart(photos, threshold)
    if projected:
        chart_column.vega_lite_chart(
            on_screen(chart), width="stretch", height=PRESENT_MORPH_CHART_HEIGHT
        )
        _verdict(check, distances_column, photos_column)
    else:
        chart_column, verdict_column = st.columns([3, 2])
        chart_column.vega_lite_chart(chart, width=MORPH_CHART_SIZE + 80)
        _verdict(check, verdict_column, verdict_column)
    return made.embedding, first_id, second_id


def _point(kind: str, what: str, embedding: np.ndarray, first_live, second_live) -> dict:
    """A chart row: one photo's distances to A's and B's live photos."""
    return {
        "kind": kind,
        "what": what,
        "to_first": distance(embedding, first_live),
        "to_second": distance(embedding, second_live),
    }


def _verdict(check: MorphCheck, distances: DeltaGenerator, meaning: DeltaGenerator) -> None:
    """The distances (in ``distances``) and what they mean (in ``meaning``), as coloured text:
    alerts are kept for the 1:1 decision and for errors."""
    distances.metric(_("Distance to A's live photo"), f"{check.to_first:.3f}")
    distances.metric(_("Distance to B's live photo"), f"{check.to_second:.3f}")
    values = {"threshold": check.threshold}
    if check.passes_as_both:
        text, colour = (
            _("At threshold {threshold:.2f} this one photo passes as **both** people.", **values),
            "red",
        )
    elif check.passes_first:
        text, colour = _("At threshold {threshold:.2f} it passes as **A**.", **values), "orange"
    elif check.passes_second:
        text, colour = _("At threshold {threshold:.2f} it passes as **B**.", **values), "orange"
    else:
        text, colour = (
            _("At threshold {threshold:.2f} it passes as neither person.", **values),
            "green",
        )
    with meaning:  # kept in the projector view, which folds plain text: the verdict shows
        kept("morph_verdict").markdown(f":{colour}-background[{text}]")


def _suggestions(people: list[str]) -> LookalikePair:
    """Buttons for the closest same-group pairs of demo volunteers; returns the closest."""
    data = reference()
    row = {str(person_id): index for index, person_id in enumerate(data.person_ids)}
    rows = [row[person_id] for person_id in people]
    pairs = lookalike_pairs(
        data.person_ids[rows],
        data.groups[rows],
        data.embeddings_for("id", "studio")[rows],
        SUGGESTIONS,
    )
    st.caption(
        _(
            "Lookalike pairs among the demo volunteers (same self-reported gender and "
            "ethnicity, closest ID photos): the pairs a morpher would pick."
        )
    )
    for index, (column, pair) in enumerate(zip(st.columns(len(pairs)), pairs, strict=True)):
        column.button(
            _("#{first} + #{second}", first=pair.first, second=pair.second),
            key=keys.morph_suggestion(index),
            on_click=_pick_pair,
            args=(pair.first, pair.second),
            width="stretch",
        )
    return pairs[0]


def _pick_pair(first_id: str, second_id: str) -> None:
    st.session_state[keys.MORPH_FIRST] = first_id
    st.session_state[keys.MORPH_SECOND] = second_id


def _search(embedding: np.ndarray, first_id: str, second_id: str, threshold: float) -> None:
    st.subheader(_("A 1:N search may catch it"))
    data = reference()
    live = data.embeddings_for("live", "studio")
    passing, searched = count_passing(embedding, live, data.person_ids, threshold)
    shown = min(max(passing, SEARCH_SHOWN), SEARCH_MOST)
    st.markdown(
        _(
            'A 1:1 check asks only "is this the card holder?". A de-duplication search at '
            "issuance compares the new ID photo with everyone already enrolled. Here the morph "
            "is searched against the live photos of all {searched} volunteers in the reference "
            "set: at {threshold:.2f} it matches {passing} of them.",
            searched=searched,
            threshold=threshold,
            passing=passing,
        )
        + " "
        + _("The table lists the {count} closest.", count=shown)
    )
    closest = closest_people(embedding, live, data.person_ids, None, shown)
    contributors = {first_id, second_id}
    st.table(
        {
            _("volunteer"): [_volunteer(person.person_id) for person in closest],
            _("distance"): [f"{person.distance:.3f}" for person in closest],
            _("accepted at {threshold:.2f}", threshold=threshold): [
                _("yes") if accepted(person.distance, threshold) else _("no") for person in closest
            ],
            _("in the morph"): [
                _("yes") if person.person_id in contributors else _("no") for person in closest
            ],
        }
    )
    st.caption(
        _(
            "One photo that matches two different enrolled people is a reason for a second "
            "look at issuance, not proof of anything."
        )
    )


def _rates_table(threshold: float) -> None:
    st.subheader(_("How often morphs pass as both"))
    morphs = shipped_morphs()
    presets = {
        preset.name: preset.threshold
        for preset in scenario_scores("studio", "studio").presets
        if preset.name in PRESET_NAMES
    }
    labels = {
        "library": _("library default"),
        "fmr_1.0%": _("FMR 1%"),
        "fmr_0.1%": _("FMR 0.1%"),
    }
    rows = [(labels[name], value) for name, value in presets.items()]
    rows.append((_("this slider"), threshold))
    rates = [shipped_morph_rates(float(value)) for _label, value in rows]
    st.markdown(
        _(
            "{morphs} morphs (blend {alpha:.1f}) of the ID photos of pairs of volunteers of the "
            "same self-reported gender and ethnicity, drawn at random (seed {seed}) from the "
            "102 volunteers of the reference set; only their 128 numbers are shipped. **MMPMR** "
            "(mated morph presentation match rate, Scherhag et al., BIOSIG 2017) is the share of "
            "morphs that match the live photos of **both** people. Beside it, the plain "
            "impostor FMR of the same pairs: one person's own ID photo against the other's live "
            "photo, both ways.",
            morphs=len(morphs.embeddings),
            alpha=morphs.alpha,
            seed=morphs.seed,
        )
    )
    st.table(
        {
            _("threshold"): [f"{label} ({value:.2f})" for label, value in rows],
            _("morphs passing as both (MMPMR)"): [_rate_cell(r.mmpmr) for r in rates],
            _("MMPMR 95% interval"): [_range(r.mmpmr) for r in rates],
            _("impostor pairs accepted (FMR)"): [_rate_cell(r.impostor_fmr) for r in rates],
            _("FMR 95% interval"): [_range(r.impostor_fmr) for r in rates],
        }
    )
    people = rates[0].mmpmr.people
    st.caption(
        _(
            "Intervals resample the {people} volunteers in the pairs, since each appears in "
            "several morphs: the middle 95% of the rates over 1,000 resamples. Morphs in which "
            "no face was found count as not passing ({missing} of {morphs}).",
            people=people,
            missing=rates[0].no_face,
            morphs=len(morphs.embeddings),
        )
    )


def _rate_cell(rate: Rate) -> str:
    return _(
        "{errors} of {trials} ({share})",
        errors=rate.errors,
        trials=rate.trials,
        share=significant(rate.value),
    )


def _range(rate: Rate) -> str:
    low, high = rate.leading_interval
    return _("{low} to {high}", low=significant(low), high=significant(high))


def _quiz(threshold: float) -> None:
    st.subheader(_("Spot the morph"))
    st.markdown(
        _(
            "Six ID photos of demo volunteers, all in the same frame. Some are morphs of two "
            "volunteers, the rest are one volunteer's own photo. Guess each one, then reveal."
        )
    )
    if not st.session_state.get(keys.MORPH_QUIZ_ON, False):
        st.button(
            _("Start the quiz"),
            key=keys.MORPH_QUIZ_START,
            on_click=_set_flag,
            args=(keys.MORPH_QUIZ_ON, True),
        )
        return
    faces = demo_faces()
    items = quiz_items(
        np.array([face.person.person_id for face in faces]),
        np.array([face.person.group for face in faces]),
        QUIZ_SIZE,
    )
    options = (_("one person"), _("a morph"))
    revealed = st.session_state.get(keys.MORPH_REVEALED, False)
    columns = st.columns(3)
    right = 0
    for index, item in enumerate(items):
        with columns[index % 3]:
            with st.spinner(_("Preparing the quiz...")):
                image = (
                    demo_morph(item.first, item.second, MORPH_ALPHA).jpeg
                    if item.is_morph
                    else aligned_demo_photo(item.first)
                )
            st.image(image, caption=_("Photo {number}", number=index + 1))
            offered(keys.morph_guess(index), [*options, None])
            guess = st.radio(
                _("Photo {number} is", number=index + 1),
                options,
                index=None,
                key=keys.morph_guess(index),
                horizontal=True,
            )
            if revealed:
                truth = options[1] if item.is_morph else options[0]
                right += guess == truth
                st.markdown(_reveal(item, threshold))
    if not revealed:
        st.button(
            _("Reveal the answers"),
            key=keys.MORPH_REVEAL,
            on_click=_set_flag,
            args=(keys.MORPH_REVEALED, True),
        )
        return
    st.info(
        _(
            "You got {right} of {total} right.",
            right=right,
            total=len(items),
        )
    )


def _set_flag(name: str, value: bool) -> None:
    st.session_state[name] = value


def _reveal(item: QuizItem, threshold: float) -> str:
    if not item.is_morph:
        return _("**One person**: {volunteer}.", volunteer=_volunteer(item.first))
    made = demo_morph(item.first, item.second, MORPH_ALPHA)
    if made.embedding is None:
        return _(
            "**A morph** of {first} and {second}.",
            first=_volunteer(item.first),
            second=_volunteer(item.second),
        )
    data = reference()
    live = data.embeddings_for("live", "studio")
    row = {str(person_id): index for index, person_id in enumerate(data.person_ids)}
    check = check_morph(made.embedding, live[row[item.first]], live[row[item.second]], threshold)
    if check.passes_as_both:
        return _(
            "**A morph** of {first} and {second}: at {threshold:.2f} it passes as both.",
            first=_volunteer(item.first),
            second=_volunteer(item.second),
            threshold=threshold,
        )
    return _(
        "**A morph** of {first} and {second}: at {threshold:.2f} it does not pass as both.",
        first=_volunteer(item.first),
        second=_volunteer(item.second),
        threshold=threshold,
    )


def _sources() -> None:
    st.markdown(
        _(
            "**People are not good at spotting morphs either.** In one study, people who were "
            "not warned about morphs often accepted a 50/50 morph as a match of the person in "
            "front of them; brief training helped (Robertson, Kramer and Burton, PLoS ONE 2017)."
        )
    )
    st.markdown(
        _(
            "**Why issuance controls matter.** In 2018 the Peng! art collective obtained a "
            "genuine German passport with a photo morphed from an activist and Federica "
            "Mogherini (press reports). Since 1 May 2025, German ID documents take only digital "
            "photos sent by certified photographers or taken at the office (heise online, "
            "2025). NIST's FATE MORPH evaluation measures how often morphs fool face "
            "recognition algorithms."
        )
    )


def _volunteer(person_id: str) -> str:
    return _("London Set #{person_id}", person_id=person_id)


def _volunteer_with_group(person_id: str) -> str:
    demo = demo_by_id(person_id)
    return _(
        "#{person_id} ({group})",
        person_id=person_id,
        group=group_label(demo.person.group) if demo else "",
    )
