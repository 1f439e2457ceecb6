"""The "National scale" tab: what the measured decision rates would mean for a country's
registrations, what a deliberate impostor gains, and why 1:N is not 1:1."""

from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from verifydemo.core.i18n import _, big_number, n_
from verifydemo.lessons.scale import (
    NationalScale,
    SearchCheck,
    chance_of_at_least_one_match,
    national_scale,
    search_with_a_false_match,
)
from verifydemo.pictures.charts import search_chart
from verifydemo.ui import keys
from verifydemo.ui.present import folded, in_present_view, kept, on_screen
from verifydemo.ui.resources import ScenarioScores
from verifydemo.ui.session import PairOnScreen
from verifydemo.ui.takeaway import chart_downloads

DEFAULT_REGISTRATIONS = 37_250_000
"""China's net growth in mobile subscriptions in 2025 (MIIT bulletin): a lower bound."""
LARGEST_GALLERY = 30_000_000
"""The 30-million-face search a dlib user reported (davisking/dlib #1944)."""
MAX_TRIES = 10


PRESENT_SEARCH_HEIGHT = 270
"""Pixels of the 1:N chart in the projector view, beside the year's figures."""


def scale_tab(measured: ScenarioScores, threshold: float, pair: PairOnScreen | None) -> None:
    """The year's wrong rejections and accepted impostors, a deliberate impostor's tries, and
    1:1 against 1:N. In the projector view the registrations and the share of impostors, the
    year's figures and the 1:N chart share one screen; the rest is folded (the teacher says
    it, or opens the normal view)."""
    figures = measured.at(threshold)
    rates = figures.rates
    projected = in_present_view()
    folded("scale_intro").markdown(
        _(
            "China had 1.827 billion mobile subscriptions (SIMs, not people) at the end of 2025, "
            "37.25 million more than a year before (MIIT's 2025 statistics bulletin, published "
            "28 January 2026, as reported in the Chinese press). Net growth is only a lower "
            "bound on new registrations; the true yearly number is not published, so set your "
            "own. **This app is not the operators' system**: their error rates are not public, "
            "so these are this app's rates applied to China's numbers, as an illustration."
        )
    )
    inputs = st.columns(2) + folded("scale_rates").columns(2) if projected else st.columns(4)
    registrations = inputs[0].number_input(
        _("Registrations per year"),
        min_value=0,
        value=DEFAULT_REGISTRATIONS,
        step=1_000_000,
        key=keys.SCALE_REGISTRATIONS,
    )
    inputs[0].caption(_("{count} a year", count=big_number(registrations)))
    impostor_percent = inputs[1].number_input(
        _("Your guess: attempts made with someone else's ID (%)"),
        min_value=0.0,
        max_value=100.0,
        value=1.0,
        step=0.1,
        help=_("No published figure exists: this share is yours to choose."),
        key=keys.SCALE_IMPOSTOR_SHARE,
    )
    use_measured = inputs[2].toggle(
        _("Use the rates measured at {threshold:.2f}", threshold=threshold),
        value=True,
        key=keys.SCALE_USE_MEASURED,
    )
    share = impostor_percent / 100
    if use_measured:
        far, frr = rates.far.value, rates.frr.value
        inputs[3].markdown(_("FAR {far:.2%}  \nFRR {frr:.2%}", far=far, frr=frr))
        (far_low, far_high), (frr_low, frr_high) = (
            rates.far.leading_interval,
            rates.frr.leading_interval,
        )
        low = national_scale(registrations, share, far_low, frr_low)
        high = national_scale(registrations, share, far_high, frr_high)
    else:
        far = _percent_input(inputs[3], _("FAR (%)"), keys.SCALE_FAR) / 100
        frr = _percent_input(inputs[3], _("FRR (%)"), keys.SCALE_FRR) / 100
        low = high = None
    far_described = rates.far.describe(_("impostor attempts accepted"))
    frr_described = rates.frr.describe(_("genuine attempts rejected"))
    st.caption(
        _(
            "The measured rates are this app's decision-level rates at {threshold:.2f} for the "
            "chosen scenario, which count photos where no face was found as rejections: FAR "
            "{far}; FRR {frr}. The ranges below run from the lower of the two intervals' low "
            "ends to the higher of their high ends. They cover only the chance of having drawn "
            "these volunteers: the impostors here are random strangers from a mostly white "
            "London photo set, not the people who register in China. Switch the measured rates "
            "off to type your own.",
            threshold=threshold,
            far=far_described,
            frr=frr_described,
        )
    )
    estimate = national_scale(registrations, share, far, frr)
    if projected:  # the year's figures stacked beside the 1:N chart
        figures_column, search_column = st.columns([2, 3])
        rejected = accepted = figures_column
    else:
        rejected, accepted = st.columns(2)
        search_column = None
    rejected.metric(
        _("Genuine customers wrongly rejected per year"),
        big_number(estimate.genuine_rejected_per_year),
    )
    _year_range(rejected, low, high, "genuine_rejected_per_year", projected)
    day = _per_day(estimate, low, high, "genuine_rejected_per_day")
    if projected:  # the year's figures only: the day's are said aloud
        rejected = folded("scale_rejected_day")
    rejected.markdown(
        _("about **{central} a day** (between {low} and {high}), each turned away", **day)
        if "low" in day
        else _("about **{central} a day**, each turned away", **day)
    )
    accepted.metric(
        _("Impostors accepted per year"), big_number(estimate.impostors_accepted_per_year)
    )
    _year_range(accepted, low, high, "impostors_accepted_per_year", projected)
    day = _per_day(estimate, low, high, "impostors_accepted_per_day")
    if projected:
        accepted = folded("scale_accepted_day")
    accepted.markdown(
        _(
            "about **{central} a day** (between {low} and {high}), each given a number in "
            "someone else's name",
            **day,
        )
        if "low" in day
        else _("about **{central} a day**, each given a number in someone else's name", **day)
    )

    with folded("scale_impostor"):
        deliberate_impostor(figures.rates.fmr, figures.same_group)
    one_to_n(
        rates.fmr.value,
        search_with_a_false_match(measured.pairs.distances, threshold, rates.fmr.value),
        search_column,
    )


def deliberate_impostor(fmr, same_group_fmr) -> None:
    """What an impostor gains by choosing a lookalike and trying again."""
    st.subheader(_("A deliberate impostor"))
    st.markdown(
        _(
            "A determined impostor need not borrow a stranger's ID card at random. They could "
            "pick someone who looks like them, of the same sex and ethnicity (the same-group FMR "
            "in *Group differences*), and if the check refused them they could try again, "
            "perhaps in another shop. With k tries, the chance that at least one is accepted is "
            "1 - (1 - FMR)^k, if every try were independent."
        )
    )
    st.caption(
        _(
            "Both figures lean one way. The formula treats every try as independent, but the "
            "same face against the same ID photo mostly passes or fails every time, so it "
            "overstates what retrying adds. And the same-group FMR is for a random card of "
            "someone of the same sex and ethnicity, not the closest lookalike an impostor would "
            "choose, so it understates what choosing adds (see *Lookalikes*)."
        )
    )
    tries = st.slider(_("Tries"), 1, MAX_TRIES, 3, key=keys.SCALE_TRIES)
    who_column, rate_column = _("who they borrow the ID card from"), _("FMR per try")
    after_column = n_("after {count} try", "after {count} tries", tries)
    rows = {who_column: [], rate_column: [], after_column: []}
    for who, rate in (
        (_("a random stranger"), fmr),
        (_("a lookalike (same group)"), same_group_fmr),
    ):
        low, high = (float(chance_of_at_least_one_match(p, tries)) for p in rate.leading_interval)
        central = float(chance_of_at_least_one_match(rate.value, tries))
        rows[who_column].append(who)
        rows[rate_column].append(f"{rate.value:.2%}")
        rows[after_column].append(
            _(
                "{central:.1%} (between {low:.1%} and {high:.1%})",
                central=central,
                low=low,
                high=high,
            )
        )
    st.table(rows)


def one_to_n(fmr: float, check: SearchCheck, chart_spot: DeltaGenerator | None = None) -> None:
    """Why a search of a whole gallery is not a 1:1 check, and how far the formula's
    independence holds in the reference set (``check``: its own searches). The chart goes in
    ``chart_spot`` if given (the projector's column beside the year's figures), the words
    around it are then folded."""
    words = folded("scale_search") if chart_spot is not None else st
    words.subheader(_("1:1 is not 1:N"))
    words.markdown(
        _(
            "A 1:1 check compares one face with one ID photo. A 1:N search compares one face "
            "with everyone in a gallery, and every comparison is another chance of a false "
            "match: the chance of at least one is 1 - (1 - FMR)^N. With FMR 0.1%, that is "
            "already about 18% for 200 people and 86% for 2,000 (J. Daugman, Cambridge)."
        )
    )
    words.markdown(
        _(
            "The formula assumes that every comparison is independent. They are not: a face "
            "that resembles one ID photo tends to resemble others. The reference set can check "
            "it: searching each volunteer's live photo among the other {others} volunteers' ID "
            "photos, the formula predicts that {predicted:.0%} find at least one false match; "
            "{found} of {searches} did ({share:.0%}).",
            others=check.gallery,
            predicted=check.predicted,
            found=check.found.errors,
            searches=check.found.trials,
            share=check.found.value,
        )
    )
    sizes = np.unique(np.logspace(0, np.log10(LARGEST_GALLERY), 200).round())
    marks = {
        big_number(200): 200.0,
        big_number(2000): 2000.0,
        _("a city, 10 million"): 1e7,
        _("30 million (dlib #1944)"): float(LARGEST_GALLERY),
    }
    search = search_chart(sizes, chance_of_at_least_one_match(fmr, sizes), marks)
    if chart_spot is None:
        st.vega_lite_chart(search, width="stretch")
        chart_downloads(search, "one_to_many")
    else:
        chart_spot.vega_lite_chart(on_screen(search), width="stretch", height=PRESENT_SEARCH_HEIGHT)
        chart_downloads(search, "one_to_many", chart_spot)
        words = folded("scale_search_after")
    at_200, at_2000, at_all = chance_of_at_least_one_match(
        fmr, np.array([200, 2000, LARGEST_GALLERY])
    )
    words.markdown(
        _(
            "At FMR {fmr:.2%}: **{at_200:.1%}** for 200 people, **{at_2000:.1%}** for 2,000, "
            "**{at_all:.1%}** for 30 million. A user of dlib reported searching 30 million "
            "faces at 0.6 and getting back about 15,000 each time, often with the right face not "
            "the closest; dlib's author replied that this is what to expect of this model "
            "(davisking/dlib #1944, December 2019).",
            fmr=fmr,
            at_200=at_200,
            at_2000=at_2000,
            at_all=at_all,
        )
    )


def _percent_input(column, label: str, key: str) -> float:
    return column.number_input(label, 0.0, 100.0, value=1.0, step=0.01, format="%.4f", key=key)


def _year_range(
    column: DeltaGenerator,
    low: NationalScale | None,
    high: NationalScale | None,
    field: str,
    projected: bool,
) -> None:
    """On the projector, the year's range under its figure (the day's lines, which carry the
    range in the normal view, are folded there)."""
    if not projected or low is None or high is None:
        return
    with column, kept(field):
        st.markdown(
            _(
                "between {low} and {high} a year",
                low=big_number(getattr(low, field)),
                high=big_number(getattr(high, field)),
            )
        )


def _per_day(
    estimate: NationalScale, low: NationalScale | None, high: NationalScale | None, field: str
) -> dict[str, str]:
    """The day's figure, and its range when there is one, written as the reader counts."""
    central = {"central": big_number(getattr(estimate, field))}
    if low is None or high is None:
        return central
    return {
        **central,
        "low": big_number(getattr(low, field)),
        "high": big_number(getattr(high, field)),
    }
