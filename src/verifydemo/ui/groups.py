"""The "Group differences" tab: false matches within and across self-reported groups, with
intervals that resample people, and the group-by-group map NIST draws."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from verifydemo.core.i18n import _
from verifydemo.datasets.london_set import group_label
from verifydemo.metrics.error_rates import significant
from verifydemo.metrics.groups import GroupRates
from verifydemo.pictures.charts import group_fmr_chart, group_pairs_chart
from verifydemo.ui.present import folded, in_present_view, kept, on_screen
from verifydemo.ui.resources import ScenarioScores, ThresholdFigures
from verifydemo.ui.session import PairOnScreen
from verifydemo.ui.takeaway import chart_downloads

SMALL_GROUP = 10


def groups_tab(measured: ScenarioScores, threshold: float, pair: PairOnScreen | None) -> None:
    """The FMR within and across groups, each group's FMR, the table, the group-by-group map
    and what large studies found. In the projector view the two rates sit beside each group's
    FMR, on one screen; the rest is folded (the teacher says it, or opens the normal view)."""
    figures = measured.at(threshold)
    folded("groups_intro").markdown(
        _(
            "Impostor pairs are split by the volunteers' self-reported gender and ethnicity. The "
            "figures describe **the model's errors on these photos**, not the people in them. "
            "Pairs of two people of the same sex and ethnicity are harder, because such people "
            "look more alike; the fairness question NIST asks is how much the false match rate "
            "differs from group to group at one threshold."
        )
    )
    same, cross = figures.same_group, figures.cross_group
    projected = in_present_view()
    if projected:  # the two rates stacked beside the chart
        rates_column, chart_column = st.columns([1, 2])
        left = right = rates_column
    else:
        left, right = st.columns(2)
    left.metric(_("FMR, impostor pairs from the same group"), f"{same.value:.2%}")
    left.markdown(same.describe(_("pairs accepted")))
    right.metric(_("FMR, impostor pairs from different groups"), f"{cross.value:.2%}")
    right.markdown(cross.describe(_("pairs accepted")))
    if projected:  # the counts and intervals above are folded there: the counts in one line
        kept("groups_counts").caption(
            _(
                "Accepted: {same_errors:,} of {same_trials:,} same-group pairs, {cross_errors:,} "
                "of {cross_trials:,} cross-group. Groups under {small_group} people: counts "
                "only, no interval.",
                same_errors=same.errors,
                same_trials=same.trials,
                cross_errors=cross.errors,
                cross_trials=cross.trials,
                small_group=SMALL_GROUP,
            )
        )

    measurable = [result for result in figures.groups if result.same_group_fmr is not None]
    too_small = [result for result in figures.groups if result.same_group_fmr is None]
    rows = []
    for result in measurable:
        rate = result.same_group_fmr
        low, high = rate.leading_interval if result.people >= SMALL_GROUP else (None, None)
        rows.append(
            {
                "group": group_label(result.group),
                "people": result.people,
                "pairs": rate.trials,
                "accepted": rate.errors,
                "fmr": rate.value,
                "low": low,
                "high": high,
                "no face found": result.failures_to_acquire,
            }
        )
    table = pd.DataFrame(rows)
    folded("groups_chart_text").markdown(
        _(
            "**FMR inside each group at {threshold:.2f}**. For groups of {small_group} people or "
            "more, the bar is the 95% interval when the group's volunteers are redrawn; smaller "
            "groups show only their counts: so few people cannot estimate a group's rate, only "
            "show that the model confuses some of these faces.",
            threshold=threshold,
            small_group=SMALL_GROUP,
        )
    )
    if not projected:
        chart_column = st.container()
    fmr_chart = group_fmr_chart(rows)
    chart_column.vega_lite_chart(on_screen(fmr_chart), width="stretch", height=fmr_chart["height"])
    chart_downloads(fmr_chart, "group_fmr", chart_column)
    with folded("groups_more"):
        _group_details(figures, table, too_small, threshold)


def _group_details(
    figures: ThresholdFigures, table: pd.DataFrame, too_small: list[GroupRates], threshold: float
) -> None:
    """The table of groups, the groups too small to measure, the group-by-group map and what
    large studies found."""
    st.dataframe(
        table.assign(
            fmr=table["fmr"].map(lambda value: f"{value:.1%}"),
            **{
                "95% interval": [
                    _("too few people to estimate")
                    if low is None or low != low
                    else _("{low} to {high}", low=significant(low), high=significant(high))
                    for low, high in zip(table["low"], table["high"], strict=True)
                ]
            },
        )
        .drop(columns=["low", "high"])
        .rename(columns=_column_names()),
        hide_index=True,
        width="stretch",
    )
    if too_small:
        st.caption(
            _(
                "Too small to measure (fewer than 2 people, so no impostor pair inside the "
                "group): {groups}.",
                groups=", ".join(
                    f"{group_label(result.group)} ({result.people})" for result in too_small
                ),
            )
        )
    small = table[table["people"] < SMALL_GROUP]
    if len(small):
        st.warning(
            _(
                "{small} of these {total} groups have fewer than {small_group} people "
                "({fewest} to {most}), so at most {pairs} impostor pairs each: one person with an "
                "unusual photo can move a group's rate a lot, which is why they get no interval. "
                "Read these as a prompt to ask questions, not as a measurement of any group.",
                small=len(small),
                total=len(table),
                small_group=SMALL_GROUP,
                fewest=small["people"].min(),
                most=small["people"].max(),
                pairs=small["pairs"].max(),
            )
        )

    st.markdown(
        _(
            "**Group by group at {threshold:.2f}**: each cell is the FMR of impostor pairs whose "
            "ID photo comes from the row's group and live photo from the column's (accepted / "
            "pairs in the cell; darker is more false matches, on a log scale). NIST's report "
            "cards ask this question of every algorithm.",
            threshold=threshold,
        )
    )
    cells = [
        {
            "id_group": group_label(cell.id_group),
            "live_group": group_label(cell.live_group),
            "accepted": cell.fmr.errors,
            "pairs": cell.fmr.trials,
            "fmr": cell.fmr.value if cell.fmr.trials else 0.0,
        }
        for cell in figures.group_pairs
    ]
    pairs_chart = group_pairs_chart(cells)
    st.vega_lite_chart(pairs_chart, width="stretch")
    chart_downloads(pairs_chart, "group_pairs")
    st.markdown(
        _(
            "**What large studies found.** NIST tested 189 algorithms on 18.27 million images of "
            "8.49 million people (NISTIR 8280, December 2019). Most showed demographic "
            "differentials: in 1:1 matching, false positives for Asian and African American "
            "faces were often 10 to 100 times those for white faces, depending on the algorithm; "
            "some algorithms developed in Asia showed no such Asian/white gap; false positives "
            "were 2 to 5 times higher for women; differentials were larger in false positives "
            "than in false negatives. The face_recognition project's own README warns that this "
            "model's accuracy may vary between ethnic groups, and one report in its issue "
            "tracker says it fails on Chinese faces, which its maintainer agreed is a limitation "
            "(ageitgey/face_recognition #612)."
        )
    )


def _column_names() -> dict[str, str]:
    """The table's columns as the reader sees them; the data keeps its English keys."""
    return {
        "group": _("group"),
        "people": _("people"),
        "pairs": _("pairs"),
        "accepted": _("accepted"),
        "fmr": _("fmr"),
        "no face found": _("no face found"),
        "95% interval": _("95% interval"),
    }
