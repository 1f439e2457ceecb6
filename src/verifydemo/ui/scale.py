"""National scale: what the measured rates mean for a country's registrations, and for 1:N."""

from __future__ import annotations

import numpy as np
import streamlit as st

from verifydemo.charts import search_chart
from verifydemo.error_rates import error_rates
from verifydemo.scale import chance_of_false_match_in_search, national_scale
from verifydemo.ui.reference_data import ScenarioScores

DEFAULT_REGISTRATIONS = 46_000_000
"""China's net growth in mobile subscriptions in 2024 (MIIT statistics): a lower bound."""
POPULATION_GALLERY = 1_400_000_000


def scale_tab(measured: ScenarioScores, threshold: float) -> None:
    rates = error_rates(measured.scores, threshold)
    st.markdown(
        "China had 1.79 billion mobile subscriptions at the end of 2024, 46 million more than a "
        "year before (MIIT statistics, as reported in the Chinese press). Net growth is only a "
        "lower bound on new registrations; the true yearly number is not published, so set "
        "your own."
    )
    inputs = st.columns(4)
    registrations = inputs[0].number_input(
        "Registrations per year",
        min_value=0,
        value=DEFAULT_REGISTRATIONS,
        step=1_000_000,
        key="scale_registrations",
    )
    impostor_percent = inputs[1].number_input(
        "Attempts with someone else's ID (%)",
        min_value=0.0,
        max_value=100.0,
        value=1.0,
        step=0.1,
        key="scale_impostor_share",
    )
    use_measured = inputs[2].toggle(
        f"Use the rates measured at {threshold:.2f}", value=True, key="scale_use_measured"
    )
    if use_measured:
        fmr, fnmr = rates.fmr.value, rates.fnmr.value
        inputs[3].markdown(f"FMR {fmr:.3%}  \nFNMR {fnmr:.3%}")
    else:
        fmr = (
            inputs[3].number_input(
                "FMR (%)", 0.0, 100.0, value=1.0, step=0.01, format="%.4f", key="scale_fmr"
            )
            / 100
        )
        fnmr = (
            inputs[3].number_input(
                "FNMR (%)", 0.0, 100.0, value=1.0, step=0.01, format="%.4f", key="scale_fnmr"
            )
            / 100
        )
    st.caption(
        f"The measured rates are this app's at threshold {threshold:.2f}: "
        f"{rates.fmr.errors} of {rates.fmr.trials:,} impostor and {rates.fnmr.errors} of "
        f"{rates.fnmr.trials} genuine pairs. Switch them off to type your own."
    )
    estimate = national_scale(registrations, impostor_percent / 100, fmr, fnmr)
    rejected, accepted = st.columns(2)
    rejected.metric(
        "Genuine customers wrongly rejected per year", f"{estimate.genuine_rejected_per_year:,.0f}"
    )
    rejected.markdown(
        f"about **{estimate.genuine_rejected_per_day:,.0f} a day**, sent to a manual check"
    )
    accepted.metric("Impostors accepted per year", f"{estimate.impostors_accepted_per_year:,.0f}")
    accepted.markdown(
        f"about **{estimate.impostors_accepted_per_day:,.0f} a day**, "
        "each given a number in someone else's name"
    )
    if fnmr == 0:
        st.caption(
            "An FNMR of 0 measured on about a hundred genuine pairs only means it is probably "
            "under 3%: try 0.5% or 1% to see what a small rate does at this scale."
        )

    st.subheader("1:1 is not 1:N")
    st.markdown(
        "A 1:1 check compares one face with one ID photo. A 1:N search compares one face with "
        "everyone in a gallery, and every comparison is another chance of a false match: the "
        "chance of at least one is 1 - (1 - FMR)^N. With FMR 0.1%, that is already about 18% "
        "for 200 people and 86% for 2,000 (J. Daugman, Cambridge)."
    )
    sizes = np.unique(np.logspace(0, np.log10(POPULATION_GALLERY), 200).round())
    marks = {
        "200": 200.0,
        "2,000": 2000.0,
        "a city, 10 million": 1e7,
        "1.4 billion": float(POPULATION_GALLERY),
    }
    st.vega_lite_chart(
        search_chart(sizes, chance_of_false_match_in_search(fmr, sizes), marks), width="stretch"
    )
    at_200, at_2000, at_all = chance_of_false_match_in_search(
        fmr, np.array([200, 2000, POPULATION_GALLERY])
    )
    st.markdown(
        f"At FMR {fmr:.4%}: **{at_200:.1%}** for 200 people, **{at_2000:.1%}** for 2,000, "
        f"**{at_all:.1%}** for 1.4 billion. dlib's author reports that a search of 30 million "
        "faces at 0.6 returned about 15,000 faces, the true match not the closest "
        "(davisking/dlib #1944)."
    )
