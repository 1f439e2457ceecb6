"""The paced lesson on every screen: in classroom mode the teacher moves the class from stage to
stage (``lessons/pace.py``); each student's page checks every few seconds and follows, showing
the stage's steps and opening its tab, and a student can still look back at earlier stages.

On the projector (the projector view), a short panel shows the class's results for the stage
the class is at, redrawn every few seconds as students add theirs.

Without classroom mode, or before the teacher starts a paced lesson, nothing here shows and the
page keeps its whole order for one person at a desk.
"""

from __future__ import annotations

import streamlit as st

from verifydemo.core.i18n import _, n_
from verifydemo.lessons.class_pool import (
    GENUINE,
    IMPOSTOR,
    POOL,
    class_bpcer,
    class_rates,
    distances_of,
)
from verifydemo.lessons.clerk import ClassEyes
from verifydemo.lessons.pace import PACE, STAGES
from verifydemo.tools import classroom
from verifydemo.ui import keys
from verifydemo.ui.choices import offered
from verifydemo.ui.class_experiment import BOARD_REFRESH_SECONDS, pool_line, rates_lines
from verifydemo.ui.classroom import on_teachers_screen
from verifydemo.ui.clerk_rounds import round_eyes
from verifydemo.ui.language import page_language
from verifydemo.ui.present import STEPS, in_present_view
from verifydemo.ui.threshold import current_threshold

FOLLOW_SECONDS = 3
"""How often a student's page asks which stage the class is at: well within the 10 s a class
waits for its phones."""
STAGE_NAMES = [stage.name for stage in STAGES]
STAGE_RESULTS = "pace_results"
"""The key of the projector's panel of the class's results for the stage."""
RESULTS_CSS = f"""
.st-key-{STAGE_RESULTS} {{ gap: 0.1rem; padding: 0.1rem 0.5rem; }}
"""
"""The panel tight around its lines, which keep the projector's body type (the back row reads
them), so the stage's own step still starts high on the screen."""


def follow_pace() -> None:
    """Before any widget is drawn: when the class has moved to a new stage since this page last
    looked, show that stage and open its tab (on the teacher's screen, the projector's step)."""
    room = classroom.current()
    stage = PACE.stage if room is not None else None
    if stage == st.session_state.get(keys.PACE_SEEN):
        return
    st.session_state[keys.PACE_SEEN] = stage
    if stage is None:
        return
    st.session_state[keys.PACE_LOOK] = STAGE_NAMES[stage]
    if STAGES[stage].tab is not None:
        st.session_state[keys.OPEN_TAB] = STAGES[stage].tab
        st.session_state.pop(keys.TAB_BAR, None)
    step_names = [name for name, _title in STEPS]
    st.session_state[keys.PRESENT_STEP] = step_names.index(STAGES[stage].steps[0])


def lesson_panel() -> None:
    """The teacher's stage controls, or a student's stage line, look-back choice and the
    few-seconds check that follows the teacher; on the projector, the class's results for the
    stage."""
    room = classroom.current()
    if room is None:
        return
    if on_teachers_screen(room):
        _teachers_controls()
    else:
        if (stage := st.session_state.get(keys.PACE_SEEN)) is not None:
            _students_view(stage)
        _follow()
    if in_present_view():
        stage_results()


def _teachers_controls() -> None:
    stage = PACE.stage
    with st.container(key=keys.PACE_PANEL, border=True):
        if stage is None:
            st.markdown(
                _(
                    "**Paced lesson**: move every student's phone through the lesson, stage by "
                    "stage."
                )
            )
        else:
            st.markdown(_stage_line(stage))
        back, forward, pairs, end = st.columns(4)
        back.button(
            _("Previous stage"),
            key=keys.PACE_BACK,
            disabled=not stage,
            on_click=PACE.move_to,
            args=((stage or 0) - 1,),
        )
        forward.button(
            _("Start the paced lesson") if stage is None else _("Next stage"),
            key=keys.PACE_NEXT,
            disabled=stage == len(STAGES) - 1,
            on_click=PACE.move_to,
            args=(0 if stage is None else stage + 1,),
        )
        pairs.button(
            _("New clerk pairs for the class"), key=keys.PACE_NEW_PAIRS, on_click=_new_pairs
        )
        end.button(
            _("End the paced lesson"),
            key=keys.PACE_END,
            disabled=stage is None,
            on_click=PACE.move_to,
            args=(None,),
        )


def _new_pairs() -> None:
    PACE.new_clerk_round()


def _students_view(stage: int) -> None:
    """The stage line, a choice of this or an earlier stage, and the style that shows only the
    chosen stage's steps."""
    reachable = STAGE_NAMES[: stage + 1]
    offered(keys.PACE_LOOK, reachable)
    with st.container(key=keys.PACE_PANEL, border=True):
        st.markdown(_stage_line(stage))
        looked = st.selectbox(
            _("Look back at a stage"),
            reachable,
            format_func=lambda name: _(STAGES[STAGE_NAMES.index(name)].title),
            key=keys.PACE_LOOK,
        )
    shown = STAGES[STAGE_NAMES.index(looked or reachable[-1])].steps
    hidden = [name for name, _title in STEPS if name not in shown and name != "tabs"]
    st.html(
        "<style>"
        + "".join(f".st-key-step_{name} {{ display: none; }}" for name in hidden)
        + "</style>"
    )


def _stage_line(stage: int) -> str:
    return _(
        "**Stage {number} of {total}: {title}**",
        number=stage + 1,
        total=len(STAGES),
        title=_(STAGES[stage].title),
    )


@st.fragment(run_every=FOLLOW_SECONDS)
def _follow() -> None:
    """Every few seconds: if the teacher moved the class, run the whole page again so it
    follows (``follow_pace`` does the moving)."""
    page_language()
    if PACE.stage != st.session_state.get(keys.PACE_SEEN):
        st.rerun(scope="app")


@st.fragment(run_every=BOARD_REFRESH_SECONDS)
def stage_results() -> None:
    """On the projector: the class's results for the stage the class is at (nothing before
    the teacher starts a paced lesson, or at a stage with no class results)."""
    page_language()
    stage = PACE.stage
    if stage is None:
        return
    lines = results_lines(STAGES[stage].name, current_threshold())
    if not lines:
        return
    st.html(f"<style>{RESULTS_CSS}</style>")
    with st.container(key=STAGE_RESULTS, border=True):
        for line in lines:
            st.markdown(line)


def results_lines(stage: str, threshold: float) -> list[str]:
    """The class's results for ``stage`` in a few short lines, each count with its sample: the
    clerk round beside the machine, the checks added, or the liveness attempts (none at a stage
    that has none)."""
    if stage in ("clerk", "machine"):
        return _clerk_lines(round_eyes(PACE.clerk_round, threshold), threshold, stage)
    if stage in ("own_face", "threshold"):  # the projector may be on another step than the tab
        entries = POOL.entries()
        genuine, impostor = distances_of(entries, GENUINE), distances_of(entries, IMPOSTOR)
        rates = class_rates(genuine, impostor, threshold)
        return [
            pool_line(genuine, impostor),
            *(line for line in rates_lines(rates) if line is not None),
        ]
    if stage == "liveness":
        attempts = POOL.liveness_entries()
        if not attempts:
            return [_("**Liveness, live students**: no attempt added yet.")]
        return [
            _(
                "**Liveness, live students**: {rejected} of {attempts} attempts rejected (BPCER).",
                rejected=class_bpcer(attempts).errors,
                attempts=len(attempts),
            )
        ]
    return []


def _clerk_lines(eyes: ClassEyes | None, threshold: float, stage: str) -> list[str]:
    """The class's clerk round in two short lines; at the machine stage, the wrong labels
    followed too."""
    if eyes is None:
        return [
            _(
                "**The class's eyes, round {seed}**: no counts added yet.",
                seed=PACE.clerk_round,
            )
        ]
    lines = [
        n_(
            "**The class's eyes, round {seed}** ({count} student): let through {fmr_errors} of "
            "{fmr_trials} strangers, turned away {fnmr_errors} of {fnmr_trials} genuine "
            "customers.",
            "**The class's eyes, round {seed}** ({count} students): let through {fmr_errors} of "
            "{fmr_trials} strangers, turned away {fnmr_errors} of {fnmr_trials} genuine "
            "customers.",
            eyes.fmr.people,
            seed=PACE.clerk_round,
            fmr_errors=eyes.fmr.errors,
            fmr_trials=eyes.fmr.trials,
            fnmr_errors=eyes.fnmr.errors,
            fnmr_trials=eyes.fnmr.trials,
        ),
        _(
            "**The machine** at {threshold:.2f}, on the same pairs: let through {accepted} of "
            "{strangers} strangers, turned away {rejected} of {genuine} genuine customers.",
            threshold=threshold,
            accepted=eyes.machine.strangers_accepted,
            strangers=eyes.machine.strangers,
            rejected=eyes.machine.genuine_rejected,
            genuine=eyes.machine.genuine,
        ),
    ]
    if stage == "machine" and eyes.followed_wrong is not None:
        lines.append(
            n_(
                "With the machine's advice ({count} student), the class followed a wrong label "
                "{errors} of {trials} times.",
                "With the machine's advice ({count} students), the class followed a wrong "
                "label {errors} of {trials} times.",
                eyes.followed_wrong.people,
                errors=eyes.followed_wrong.errors,
                trials=eyes.followed_wrong.trials,
            )
        )
    return lines
