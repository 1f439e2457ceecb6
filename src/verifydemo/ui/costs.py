"""The "What the threshold costs" tab: the four rates at the threshold, the score histogram and
the DET curve, and what the terms mean."""

from __future__ import annotations

import streamlit as st

from verifydemo.core.compare import distance
from verifydemo.core.i18n import _, current_language
from verifydemo.metrics.error_rates import ScoreSet
from verifydemo.ui.present import chart_height, on_screen
from verifydemo.ui.resources import ScenarioScores, reference, scenario_charts
from verifydemo.ui.session import PairOnScreen
from verifydemo.ui.takeaway import chart_downloads, reference_title


def costs_tab(measured: ScenarioScores, threshold: float, pair: PairOnScreen | None) -> None:
    scores = measured.scores
    rates = measured.at(threshold).rates
    people = len(reference().person_ids)
    st.subheader(
        _(
            "At {threshold:.2f}, measured on {people} consented volunteers",
            threshold=threshold,
            people=people,
        )
    )
    st.caption(
        _(
            "Each volunteer's neutral photo plays the ID photo and their smiling photo the live "
            "photo: {genuine:,} genuine pairs (same person) and {impostor:,} impostor pairs (two "
            "different people). Computed by this app from the Face Research Lab London Set (CC BY "
            "4.0).",
            genuine=len(scores.genuine),
            impostor=len(scores.impostor),
        )
    )
    fmr_column, fnmr_column = st.columns(2)
    fmr_column.metric(_("FMR: strangers let through"), f"{rates.fmr.value:.2%}")
    fmr_column.markdown(rates.fmr.describe(_("impostor pairs accepted")))
    fnmr_column.metric(_("FNMR: genuine customers turned away"), f"{rates.fnmr.value:.2%}")
    fnmr_column.markdown(rates.fnmr.describe(_("genuine pairs rejected")))
    st.caption(
        _(
            "Two 95% intervals. Each volunteer appears in about 200 impostor pairs, and one "
            "unusual face can cause many false matches at once, so for impostor pairs *if the "
            "pairs were independent* (the Wilson interval) is too narrow; *if the volunteers were "
            "a different {people} people* redraws the volunteers 1,000 times at random, with "
            "repeats, and recomputes the rate each time (a person-level bootstrap, Bolle, Ratha "
            "and Pankanti 2004). Each volunteer has only one genuine pair, so for genuine pairs "
            "the Wilson interval is the right one.",
            people=len(reference().person_ids),
        )
    )
    if scores.genuine_fta or scores.impostor_fta:
        turned_away = _("genuine attempts turned away")
        let_through = _("impostor attempts accepted")
        st.markdown(
            _(
                "**No face found** in some photos of this scenario (failure to acquire): "
                "{genuine_fta} genuine and {impostor_fta:,} impostor attempts could not be "
                "compared. Counting them as rejections, the system-level rates are FRR "
                "{frr:.2%} ({frr_counts}) and FAR {far:.2%} ({far_counts}).",
                genuine_fta=scores.genuine_fta,
                impostor_fta=scores.impostor_fta,
                frr=rates.frr.value,
                frr_counts=rates.frr.describe(turned_away),
                far=rates.far.value,
                far_counts=rates.far.describe(let_through),
            )
        )
    resolution_notes(scores)

    histogram_column, det_column = st.columns(2)
    pair_distance = distance(pair.id_embedding, pair.live_embedding) if pair else None
    charts = scenario_charts(
        measured.pairs.id_scenario, measured.pairs.live_scenario, current_language()
    )
    histogram, det = charts.at(rates, measured.eer, pair_distance)
    histogram_column.markdown(_("**Distances of all pairs**"))
    histogram_column.vega_lite_chart(on_screen(histogram), width="stretch", height=chart_height())
    title = reference_title(measured, threshold)
    pairs = (measured.scores.genuine, measured.scores.impostor)
    chart_downloads(histogram, "distances", histogram_column, title=title, distances=pairs)
    det_column.markdown(_("**DET curve** (every threshold at once)"))
    det_column.vega_lite_chart(det, width="stretch")
    chart_downloads(det, "det_curve", det_column, title=title)
    st.caption(measured.eer.describe())
    terms_explained()


def resolution_notes(scores: ScoreSet) -> None:
    """What this sample size can and cannot tell."""
    st.info(
        _(
            "With {genuine} genuine pairs, FNMR moves in steps of {step:.1%}; an FMR below 1 in "
            "{impostor:,} cannot be estimated from this set at all. A rate of 0 here only means "
            "no error was seen.",
            genuine=len(scores.genuine),
            step=1 / len(scores.genuine),
            impostor=len(scores.impostor),
        )
    )


def terms_explained() -> None:
    """The glossary expander under the charts."""
    with st.expander(_("What the terms mean (ISO/IEC 2382-37, 19795-1)")):
        st.markdown(
            _(
                "- **Threshold**: the largest distance still declared a match.\n"
                "- **FMR, false match rate**: the share of impostor (non-mated) comparisons "
                "wrongly declared a match: a stranger gets a number in someone else's name.\n"
                "- **FNMR, false non-match rate**: the share of genuine (mated) comparisons "
                "wrongly declared a non-match: the rightful owner is turned away.\n"
                "- **FAR and FRR**: the same at the level of the whole system; they also count "
                "attempts where no usable face was captured (failure to acquire, FTA) or enrolled "
                "(FTE). Here an FTA counts as a rejection.\n"
                "- **EER, equal error rate**: the operating point where FMR and FNMR are equal.\n"
                "- **DET curve** (detection error trade-off): FNMR against FMR at every threshold. "
                "Both axes use a probit scale, which stretches the rates near 0% and 100%: "
                "0.1%, 1% and 10% all sit clearly apart, where on a plain axis the first two "
                "would nearly touch (they are not equally far apart). A curve nearer the lower "
                "left is a better comparator.\n"
                "- **95% interval**: the range of rates that these counts are consistent with. The "
                "Wilson interval assumes every pair is independent; the person-level bootstrap "
                "resamples the volunteers instead, which is honest when people appear in many "
                "pairs.\n"
                "- **误识率 and 拒识率**: you may meet these in Chinese product documents. They "
                "may mean FMR and FNMR, or FAR and FRR: ask which."
            )
        )
