"""The "Class experiment" tab: students add their own check's distance to a pool of numbers,
and everyone sees the class's error rates beside the reference set's.

The distance is the one the server computed for this session's check; the browser sends only
a button press and the declared kind of trial. The pool is ``lessons.class_pool.POOL``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from verifydemo.core.compare import distance
from verifydemo.core.i18n import N_, _, current_language, n_
from verifydemo.lessons.class_pool import (
    GENUINE,
    IMPOSTOR,
    POOL,
    ClassRates,
    PoolBusy,
    PoolFull,
    StudentLimit,
    beat_count,
    best_separation,
    class_bpcer,
    class_rates,
    distances_of,
)
from verifydemo.lessons.worksheet import WorksheetFigures, worksheet_html
from verifydemo.metrics.error_rates import ScoreSet
from verifydemo.pictures.charts import distance_marks, filled, score_distributions_template
from verifydemo.tools import classroom
from verifydemo.ui import keys
from verifydemo.ui.choices import offered
from verifydemo.ui.classroom import on_teachers_screen
from verifydemo.ui.clerk_rounds import round_eyes, session_round
from verifydemo.ui.language import page_language
from verifydemo.ui.present import chart_height, folded, kept, on_screen
from verifydemo.ui.resources import ScenarioScores, scenario_charts
from verifydemo.ui.session import PairOnScreen
from verifydemo.ui.tab_strip import show_tab
from verifydemo.ui.takeaway import (
    chart_downloads,
    download_name,
    reference_title,
)

BOARD_REFRESH_SECONDS = 4
"""How often an open class tab redraws the board: new entries reach every screen within this."""
CLASS_RESULTS = "class-results"
"""The class tab's anchor: the link under the check's "add" button leads to it."""
TEACHER_DOOR = "teacher"
"""``?teacher`` in the address: the teacher's panel, for a teacher on a device other than the
room's computer (the code still decides; a student who adds it gains nothing)."""

KIND_LABELS = {
    GENUINE: N_("me against my own ID photo"),
    IMPOSTOR: N_("me against my neighbour's ID photo"),
}


WHAT_ADDING_STORES = N_(
    "Optional. Adding your result puts three things into a list held in the memory of "
    "the computer running this page: the distance of your check, as the server computed "
    "it, whether it was your own ID photo or your neighbour's, and whether it was a "
    "“Beat the check” try. No photo, no face numbers, no name. So that one device "
    "cannot flood the list, the server also counts how many results each device added, "
    "under a scrambled form of its network address that is never shown or stored. All "
    "of it is gone when the server stops, and the teacher can clear it."
)


def add_under_the_check(pair: PairOnScreen, threshold: float) -> None:
    """In classroom mode, right under the check (on a phone, within its first screens): add
    this check's result to the class, with what adding stores one click away."""
    if classroom.current() is None:
        return
    with st.container(key=keys.CLASS_ADD, border=True):
        add_controls(pair, threshold)
        if st.session_state.get(keys.OPEN_TAB) == "class":
            link = _("See the class results")
            st.markdown(f"[{link} ↓](#{CLASS_RESULTS})")
        with st.expander(_("What adding your result stores")):
            st.markdown(_(WHAT_ADDING_STORES))


def class_tab(measured: ScenarioScores, threshold: float, pair: PairOnScreen | None) -> None:
    folded("class_title").subheader(_("The class experiment"), anchor=CLASS_RESULTS)
    st.caption(_(WHAT_ADDING_STORES))
    if classroom.current() is None:
        add_controls(pair, threshold)
    else:
        st.info(_("In this classroom you add your result right under the check (step 3)."))
    class_board(measured, threshold, pair)
    _teacher_controls()


@st.fragment(run_every=BOARD_REFRESH_SECONDS)
def class_board(measured: ScenarioScores, threshold: float, pair: PairOnScreen | None) -> None:
    """The class's results, redrawn every few seconds while the tab is open, so every screen
    shows new entries and a clear without anyone pressing anything."""
    page_language()
    entries = POOL.entries()
    genuine, impostor = distances_of(entries, GENUINE), distances_of(entries, IMPOSTOR)
    rates = class_rates(genuine, impostor, threshold)
    folded("class_refresh").button(_("Refresh the class results"), key=keys.POOL_REFRESH)
    if not entries and not POOL.liveness_entries():
        st.info(
            _(
                "No results in the class pool yet. They appear here by themselves, every few "
                "seconds, as students add them."
            )
        )
    st.markdown(pool_line(genuine, impostor))
    _class_rates(rates, genuine, impostor, threshold)
    _histograms(measured, genuine, impostor, threshold)
    with folded("class_more"):  # the projector shows the counts, rates and histograms
        _beat_the_check(entries, threshold)
        _class_liveness()
        _worksheet(measured, threshold, pair, rates)


def pool_line(genuine: np.ndarray, impostor: np.ndarray) -> str:
    """How many results the class pool holds, of each kind (own-photo ``genuine`` distances,
    neighbour's-photo ``impostor`` ones)."""
    own = n_("{count} own-photo check", "{count} own-photo checks", len(genuine))
    neighbours = n_(
        "{count} neighbour's-photo check", "{count} neighbour's-photo checks", len(impostor)
    )
    return _(
        "**Results in the class pool: {total}** ({own}, {neighbours}).",
        total=len(genuine) + len(impostor),
        own=own,
        neighbours=neighbours,
    )


def rates_lines(rates: ClassRates) -> tuple[str | None, str | None]:
    """The class's FMR and FNMR in words with their counts (None: no result of that kind)."""
    return (
        rates.fmr.describe(_("neighbour's-photo checks accepted")) if rates.fmr.trials else None,
        rates.fnmr.describe(_("own-photo checks rejected")) if rates.fnmr.trials else None,
    )


def add_controls(pair: PairOnScreen | None, threshold: float) -> None:
    """What the check was, the Beat-the-check flag and the add button, with what is left."""
    if pair is None:
        st.info(_("Run a check above first; then you can add its result to the class."))
        return
    if not pair.own_live_photo:
        st.info(
            _(
                "The class's results are your own face's: take the live photo with the webcam "
                "(or upload one), then add the check."
            )
        )
        return
    offered(keys.POOL_KIND, KIND_LABELS)
    st.radio(
        _("What did you just check?"),
        list(KIND_LABELS),
        format_func=lambda kind: _(KIND_LABELS[kind]),
        key=keys.POOL_KIND,
        horizontal=True,
    )
    st.checkbox(
        _(
            "This was a “Beat the check” try: I tried to make my own check fail (expression, "
            "glasses, angle, light) or to pass as my neighbour"
        ),
        key=keys.POOL_BEAT,
    )
    own_distance = distance(pair.id_embedding, pair.live_embedding)
    kind, beat_round = _declared()
    left = POOL.allowance(student_key(), kind, beat_round)
    st.button(
        _("Add my result to the class"),
        key=keys.POOL_ADD,
        disabled=left == 0,
        on_click=_add_to_pool,
        args=(own_distance,),
    )
    if (message := st.session_state.pop(keys.POOL_MESSAGE, None)) is not None:
        st.success(message)
    st.caption(
        n_(
            "You can add {count} more result of this kind from this device.",
            "You can add {count} more results of this kind from this device.",
            left,
        )
    )


def student_key() -> str:
    """Who is adding, as far as the server can tell without asking: the device's network
    address in a classroom. On the computer running the app (no address) every tab is one
    student, the person at the desk. Neither "Forget my photos" nor a reload changes it."""
    address = st.context.ip_address
    return address if isinstance(address, str) else "this computer"


def _declared() -> tuple[str, bool]:
    """The kind of trial and the "Beat the check" flag the student chose (a made-up kind from a
    crafted message counts as their own photo)."""
    kind = st.session_state.get(keys.POOL_KIND, GENUINE)
    return (kind if kind in KIND_LABELS else GENUINE), bool(st.session_state.get(keys.POOL_BEAT))


def _add_to_pool(own_distance: float) -> None:
    """The button's action: the distance is the one this server computed for the session's
    check when it drew the button (kept on the server with the callback); the pool counts the
    student's entries itself, whatever the browser shows."""
    kind, beat_round = _declared()
    try:
        POOL.add(kind, own_distance, beat_round, student=student_key())
    except PoolFull:
        st.session_state[keys.POOL_MESSAGE] = _("The class pool is full.")
    except StudentLimit:
        st.session_state[keys.POOL_MESSAGE] = _("You have added your results of this kind already.")
    except PoolBusy:
        st.session_state[keys.POOL_MESSAGE] = _(
            "Many results arrived in the last minute: try again in a few seconds."
        )
    except ValueError:
        st.session_state[keys.POOL_MESSAGE] = _(
            "This distance is not one two faces give, so it was not added."
        )
    else:
        st.session_state[keys.POOL_MESSAGE] = _(
            "Added: distance {distance:.3f}.", distance=own_distance
        )
        if classroom.current() is not None:  # added under the check: the board, one tap away
            show_tab("class")


def _class_rates(rates: ClassRates, genuine, impostor, threshold: float) -> None:
    fmr, fnmr = rates.fmr, rates.fnmr
    fmr_column, fnmr_column = st.columns(2)
    fmr_column.metric(
        _("Class FMR at {threshold:.2f}", threshold=threshold),
        f"{fmr.value:.0%}" if fmr.trials else "-",
    )
    fnmr_column.metric(
        _("Class FNMR at {threshold:.2f}", threshold=threshold),
        f"{fnmr.value:.0%}" if fnmr.trials else "-",
    )
    fmr_line, fnmr_line = rates_lines(rates)
    if fmr_line is not None:
        fmr_column.markdown(fmr_line)
    if fnmr_line is not None:
        fnmr_column.markdown(fnmr_line)
    st.caption(
        _(
            "95% Wilson intervals, counting each result as one person's; with a class of 30 they "
            "are wide. A student who added several results counts more than once."
        )
    )
    separation = best_separation(genuine, impostor)
    if separation is None:
        st.markdown(_("The threshold that separates this class needs both kinds of result."))
    elif separation.mistakes == 0:
        st.markdown(
            _(
                "Any threshold from {low:.3f} up to (not including) {high:.3f} would have "
                "separated this class: every own-photo check accepted, every neighbour's-photo "
                "check rejected.",
                low=separation.low,
                high=separation.high,
            )
        )
    else:
        st.markdown(
            _(
                "No threshold separates this class. The fewest mistakes, {mistakes}, come with a "
                "threshold from {low:.3f} up to (not including) {high:.3f}.",
                mistakes=separation.mistakes,
                low=separation.low,
                high=separation.high,
            )
        )


def _histograms(measured: ScenarioScores, genuine, impostor, threshold: float) -> None:
    marks = distance_marks(threshold, None)
    class_column, reference_column = st.columns(2)
    class_column.markdown(_("**This class**"))
    if len(genuine) or len(impostor):
        class_chart = filled(
            score_distributions_template(ScoreSet.from_distances(genuine, impostor)), marks=marks
        )
        class_column.vega_lite_chart(on_screen(class_chart), width="stretch", height=chart_height())
        own = n_("{count} own-photo check", "{count} own-photo checks", len(genuine))
        neighbours = n_(
            "{count} neighbour's-photo check", "{count} neighbour's-photo checks", len(impostor)
        )
        title = _(
            "This class at threshold {threshold:.2f}: {own}, {neighbours}",
            threshold=threshold,
            own=own,
            neighbours=neighbours,
        )
        chart_downloads(
            class_chart, "class_distances", class_column, title=title, distances=(genuine, impostor)
        )
    else:
        with class_column:
            kept("class_empty").caption(
                _("No histogram yet: it is drawn from the class's results, and there are none.")
            )
    reference_column.markdown(_("**The reference set (102 volunteers)**"))
    charts = scenario_charts(
        measured.pairs.id_scenario, measured.pairs.live_scenario, current_language()
    )
    reference_chart = filled(charts.histogram, marks=marks)
    reference_column.vega_lite_chart(
        on_screen(reference_chart), width="stretch", height=chart_height()
    )
    chart_downloads(
        reference_chart,
        "reference_distances",
        reference_column,
        title=reference_title(measured, threshold),
        distances=(measured.scores.genuine, measured.scores.impostor),
    )


def _beat_the_check(entries, threshold: float) -> None:
    count = beat_count(entries, threshold)
    st.markdown(_("**Beat the check** at {threshold:.2f}", threshold=threshold))
    st.markdown(
        _(
            "Own-photo checks made to fail: {failed} of {tries}. Neighbour's-photo checks made "
            "to pass: {passed} of {other}.",
            failed=count.own_failed,
            tries=count.own_tries,
            passed=count.neighbour_passed,
            other=count.neighbour_tries,
        )
    )


def _class_liveness() -> None:
    """The class's BPCER from the liveness attempts students added (one each)."""
    attempts = POOL.liveness_entries()
    st.markdown(_("**Liveness, live students**"))
    if not attempts:
        st.markdown(
            _(
                "No liveness attempt added yet. After your own attempt in the liveness step, "
                "add its outcome there: which challenges, and whether each passed."
            )
        )
        return
    st.markdown(
        class_bpcer(attempts).describe(
            _(
                "live students' attempts rejected (BPCER, the share of live people wrongly "
                "rejected as attacks)"
            )
        )
    )


def worksheet_figures(
    measured: ScenarioScores, threshold: float, pair: PairOnScreen | None, rates: ClassRates
) -> WorksheetFigures:
    """The numbers on screen now that the worksheet quotes: the reference set's, the check's,
    the class's checks and the class's eyes on this session's round of "be the clerk" (the
    teacher's round in a classroom)."""
    return WorksheetFigures(
        threshold=threshold,
        id_scenario=measured.pairs.id_scenario,
        live_scenario=measured.pairs.live_scenario,
        rates=measured.at(threshold).rates,
        eer=measured.eer,
        pair_distance=distance(pair.id_embedding, pair.live_embedding) if pair else None,
        class_fmr=rates.fmr if rates.fmr.trials else None,
        class_fnmr=rates.fnmr if rates.fnmr.trials else None,
        clerk=round_eyes(session_round(), threshold),
    )


def _worksheet(
    measured: ScenarioScores, threshold: float, pair: PairOnScreen | None, rates: ClassRates
) -> None:
    """The printable worksheet for the numbers on screen now."""
    figures = worksheet_figures(measured, threshold, pair, rates)
    st.download_button(
        _("Printable worksheet for these numbers (HTML, one page)"),
        data=worksheet_html(figures),
        file_name=download_name("verifydemo-worksheet", "html"),
        mime="text/html",
        key=keys.WORKSHEET,
        on_click="ignore",
    )


def _teacher_controls() -> None:
    """The teacher's panel: on the teacher's screen only (``classroom.on_teachers_screen``), or
    in a tab opened with ``?teacher`` in its address, where a teacher on another device types
    the code; never on a student's device otherwise."""
    room = classroom.current()
    if room is None or not (on_teachers_screen(room) or TEACHER_DOOR in st.query_params):
        return
    with st.expander(_("For the teacher"), expanded=bool(st.session_state.get(keys.TEACHER_CODE))):
        st.text_input(_("Teacher code"), type="password", key=keys.TEACHER_CODE)
        st.button(_("Clear the class results"), key=keys.POOL_CLEAR, on_click=_clear_pool)
        count_column, button_column = st.columns([1, 2], vertical_alignment="bottom")
        count_column.number_input(
            _("Results to remove"), min_value=1, max_value=50, value=1, key=keys.POOL_REMOVE_COUNT
        )
        button_column.button(
            _("Remove the most recent results"), key=keys.POOL_REMOVE, on_click=_remove_results
        )
        if (outcome := st.session_state.pop(keys.TEACHER_MESSAGE, None)) is not None:
            done, message = outcome
            (st.success if done else st.error)(message)


def _clear_pool() -> None:
    """The clear button's action, run before the page is drawn, so the board is empty at once."""
    room = classroom.current()
    if room is not None and room.is_teacher_code(st.session_state.get(keys.TEACHER_CODE, "")):
        POOL.clear()
        st.session_state[keys.TEACHER_MESSAGE] = (True, _("The class pool is cleared."))
    else:
        st.session_state[keys.TEACHER_MESSAGE] = (
            False,
            _("Wrong teacher code: nothing was cleared."),
        )


def _remove_results() -> None:
    """The remove button's action, before the page is drawn."""
    room = classroom.current()
    if room is None or not room.is_teacher_code(st.session_state.get(keys.TEACHER_CODE, "")):
        st.session_state[keys.TEACHER_MESSAGE] = (
            False,
            _("Wrong teacher code: nothing was removed."),
        )
        return
    count = st.session_state.get(keys.POOL_REMOVE_COUNT, 1)
    removed = POOL.remove_last(int(count) if isinstance(count, int | float) else 1)
    st.session_state[keys.TEACHER_MESSAGE] = (
        True,
        n_("Removed {count} result.", "Removed {count} results.", removed),
    )
