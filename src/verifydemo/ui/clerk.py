"""The "be the clerk" step: a round of demo pairs judged by eye, one at a time, then the visitor's
own error counts beside the machine's decisions on the very same pairs.

The round's answers live in this session's state only (which pair, "same" or "different", how
sure); nothing here is a visitor's photo. One fragment: answering a pair reruns only this step.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import streamlit as st

from verifydemo.core.i18n import N_, _, n_
from verifydemo.lessons.class_pool import CLERK, POOL, ClerkEntry, PoolRefused
from verifydemo.lessons.clerk import (
    ROUND_PAIRS,
    ClassEyes,
    ClerkPair,
    Following,
    following,
    machine_decisions,
    score,
)
from verifydemo.pictures.clerk import spread_chart
from verifydemo.tools import classroom
from verifydemo.ui import keys
from verifydemo.ui.choices import offered
from verifydemo.ui.class_experiment import BOARD_REFRESH_SECONDS, student_key
from verifydemo.ui.clerk_rounds import (
    FIRST_ROUND,
    advised_pairs,
    chip_demo_photo,
    embedding_spinner,
    round_entries,
    round_eyes,
    round_pairs,
    session_round,
)
from verifydemo.ui.language import page_language
from verifydemo.ui.present import on_screen
from verifydemo.ui.resources import demo_by_id, demo_photo_bytes
from verifydemo.ui.takeaway import chart_downloads
from verifydemo.ui.threshold import current_threshold

CONFIDENCE = {
    "sure": N_("sure"),
    "fairly_sure": N_("fairly sure"),
    "guessing": N_("guessing"),
}
"""How sure the clerk was, if they say: a language-neutral name and its words."""


TIME_LIMITS = {
    "none": (None, N_("no time limit")),
    "ten": (10, N_("10 seconds a pair")),
    "five": (5, N_("5 seconds a pair")),
}
"""Optional time per pair, as a queue at a counter allows: a name, its seconds and its words."""


@dataclass(frozen=True)
class Answer:
    """One pair's answer: "same person" or not, how sure (None: not said), the machine's label
    shown beside the pair in round two (None in round one), and whether it came after the
    time limit."""

    same_person: bool
    confidence: str | None
    label: bool | None = None
    late: bool = False

    @property
    def lets_through(self) -> bool:
        """The clerk's decision: a late answer turns the customer away, as a clerk who cannot
        decide in time would."""
        return self.same_person and not self.late


@st.fragment
def clerk_step() -> None:
    """The two rounds: an introduction and a start button, then one pair at a time, then the
    results; round two shows the machine's label before each answer."""
    page_language()
    st.header(_("Be the clerk"))
    st.markdown(
        _(
            "Before any machine, a person compared the photo on a card with the face in front "
            "of them. Try it: {count} pairs of demo volunteers, an ID photo beside a live photo. "
            "Is it the same person? Then see how the machine did on the very same pairs.",
            count=ROUND_PAIRS,
        )
    )
    seed, threshold = _round_seed(), current_threshold()
    if st.session_state.get(keys.CLERK_ON, False):
        _rounds(seed, threshold)
    else:
        offered(keys.CLERK_TIME_LIMIT, list(TIME_LIMITS))
        st.radio(
            _("Time for each pair"),
            list(TIME_LIMITS),
            format_func=lambda name: _(TIME_LIMITS[name][1]),
            horizontal=True,
            key=keys.CLERK_TIME_LIMIT,
        )
        st.button(_("Start the round"), key=keys.CLERK_START, on_click=_start)
    st.caption(_("Round {seed}: everyone on round {seed} sees the same pairs.", seed=seed))
    if classroom.current() is not None or POOL.clerk_entries():
        class_eyes_board(seed, threshold)


def _rounds(seed: int, threshold: float) -> None:
    """The round's next pair, or its results and round two."""
    answers: list[Answer] = st.session_state.setdefault(keys.CLERK_ANSWERS, [])
    with embedding_spinner():
        pairs, distances = round_pairs(seed)
    if len(answers) < len(pairs):
        _ask(pairs[len(answers)], len(answers), len(pairs), keys.CLERK_ANSWERS)
    elif not st.session_state.get(keys.CLERK_ADVISED_ON, False):
        _results(pairs, distances, answers, threshold)
        _sources()
        _add_to_class(seed, pairs, answers)
        start, again = st.columns(2)
        start.button(
            _("Round two: with the machine's advice"),
            key=keys.CLERK_ADVISED_START,
            on_click=_set,
            args=(keys.CLERK_ADVISED_ON, True),
        )
        if classroom.current() is None:  # in a classroom the teacher draws the class's pairs
            again.button(_("New pairs"), key=keys.CLERK_NEW, on_click=_new_round)
    else:
        _advised_round(seed, threshold)


def _round_seed() -> int:
    """This session's round (``clerk_rounds.session_round``); a round other than the one this
    session last showed (the teacher drew new pairs for the class) starts afresh."""
    seed = session_round()
    if st.session_state.get(keys.CLERK_ROUND) != seed:
        st.session_state[keys.CLERK_ROUND] = seed
        st.session_state[keys.CLERK_SHOWN_AT] = {}
        st.session_state[keys.CLERK_ANSWERS] = []
        st.session_state[keys.CLERK_ADVISED_ON] = False
        st.session_state[keys.CLERK_ADVISED_ANSWERS] = []
    return seed


def _advised_round(seed: int, threshold: float) -> None:
    answers: list[Answer] = st.session_state.setdefault(keys.CLERK_ADVISED_ANSWERS, [])
    with st.spinner(_("Making the chip photos of the demo volunteers (once per server)...")):
        pairs, distances = advised_pairs(seed)
    if len(answers) < len(pairs):
        if not answers:
            st.markdown(
                _(
                    "Round two: new pairs, and this time the ID photo is the small one stored "
                    "on the card's chip, as the check reads it. Above each pair you see the "
                    "machine's real decision at threshold {threshold:.2f}. It is not always "
                    "right. You decide.",
                    threshold=threshold,
                )
            )
        index = len(answers)
        label = machine_decisions([distances[index]], threshold)[0]
        _ask(pairs[index], index, len(pairs), keys.CLERK_ADVISED_ANSWERS, label)
        return
    _results(pairs, distances, answers, threshold)
    advised = following(
        pairs, [answer.lets_through for answer in answers], [answer.label for answer in answers]
    )
    st.markdown(
        _(
            "Where the machine's label was right, you followed it on **{followed_right} of "
            "{right}** pairs; where it was wrong, on **{followed_wrong} of {wrong}**.",
            followed_right=advised.followed_right,
            right=advised.right,
            followed_wrong=advised.followed_wrong,
            wrong=advised.wrong,
        )
    )
    st.caption(
        _(
            "In a study of 376 volunteers rating face pairs, an identity decision shown as a "
            "label shifted their own judgements, whether the label was said to come from a "
            "computer or a person, while their ability to tell faces apart was unchanged "
            "(Howard, Rabbitt and Sirotin 2020, PLOS ONE)."
        )
    )
    _add_to_class(seed, pairs, answers, advised)
    if classroom.current() is None:
        st.button(_("New pairs"), key=keys.CLERK_NEW, on_click=_new_round)


def _add_to_class(
    seed: int,
    pairs: tuple[ClerkPair, ...],
    answers: list[Answer],
    advised: Following | None = None,
) -> None:
    """A button that adds this round's counts (computed here from this session's answers;
    numbers only) to the class pool: one entry per device for each round and kind."""
    yours = score(pairs, [answer.lets_through for answer in answers])
    entry = ClerkEntry(
        round_seed=seed,
        advised=advised is not None,
        strangers_accepted=yours.strangers_accepted,
        strangers=yours.strangers,
        genuine_rejected=yours.genuine_rejected,
        genuine=yours.genuine,
        **(asdict(advised) if advised is not None else {}),
    )
    if (refused := st.session_state.pop(keys.CLERK_REFUSED, None)) is not None:
        st.warning(refused)
    if POOL.allowance(student_key(), f"{CLERK}-{seed}", entry.advised) == 0:
        st.caption(_("Your counts for this round are in the class results: no answer per photo."))
        return
    st.button(
        _("Add my counts to the class results"),
        key=keys.CLERK_ADD,
        on_click=_add_entry,
        args=(entry, len(pairs)),
    )


def _add_entry(entry: ClerkEntry, pairs: int) -> None:
    """The button's action, before the page is drawn: the counts were computed on the server
    when it drew the button (kept with the callback), whatever the browser sends."""
    try:
        POOL.add_clerk(entry, pairs, student=student_key())
    except PoolRefused:
        st.session_state[keys.CLERK_REFUSED] = _("The class results take no more rounds just now.")


@st.fragment(run_every=BOARD_REFRESH_SECONDS)
def class_eyes_board(seed: int, threshold: float) -> None:
    """The class's eyes beside the machine on the same pairs, and the spread of students'
    errors as a chart, redrawn every few seconds."""
    page_language()
    st.markdown(_("**The class's eyes, round {seed}**", seed=seed))
    eyes = round_eyes(seed, threshold)
    if eyes is None:
        st.caption(_("No counts from the class for this round yet."))
        return
    for line in eyes_lines(eyes, threshold):
        st.markdown(line)
    first = [entry for entry in round_entries(seed) if not entry.advised]
    chart = spread_chart(first, eyes.machine, threshold)
    st.vega_lite_chart(on_screen(chart), width="stretch", height=chart["height"])
    chart_downloads(chart, "clerk_spread")


def eyes_lines(eyes: ClassEyes, threshold: float) -> list[str]:
    """The class's eyes in words: its errors beside the machine's on the same pairs, with the
    students' intervals, and how often it followed a wrong label when one was added."""
    strangers, genuine = _("strangers"), _("genuine customers")
    lines = [
        _(
            "The class let through {fmr}. It turned away {fnmr}. The machine, at threshold "
            "{threshold:.2f} on the same pairs, let through {machine_accepted} of {strangers} "
            "strangers and turned away {machine_rejected} of {genuine} genuine customers.",
            fmr=eyes.fmr.describe(strangers, students=True),
            fnmr=eyes.fnmr.describe(genuine, students=True),
            threshold=threshold,
            machine_accepted=eyes.machine.strangers_accepted,
            strangers=eyes.machine.strangers,
            machine_rejected=eyes.machine.genuine_rejected,
            genuine=eyes.machine.genuine,
        )
    ]
    if eyes.followed_wrong is not None:
        followed = _("wrong labels followed")
        lines.append(
            _(
                "With the machine's advice, the class followed a wrong label: {wrong}.",
                wrong=eyes.followed_wrong.describe(followed, students=True),
            )
        )
    return lines


def _set(key: str, value: object) -> None:
    st.session_state[key] = value


def _start() -> None:
    chosen = st.session_state.get(keys.CLERK_TIME_LIMIT)
    if chosen in TIME_LIMITS:  # the choice is not drawn during the round: keep its seconds
        st.session_state[keys.CLERK_SECONDS] = TIME_LIMITS[chosen][0]
    st.session_state[keys.CLERK_SHOWN_AT] = {}
    st.session_state[keys.CLERK_ON] = True
    st.session_state[keys.CLERK_ANSWERS] = []
    st.session_state[keys.CLERK_ADVISED_ON] = False
    st.session_state[keys.CLERK_ADVISED_ANSWERS] = []


def _new_round() -> None:
    st.session_state[keys.CLERK_ROUND] = st.session_state.get(keys.CLERK_ROUND, FIRST_ROUND) + 1
    _start()


def _answer(answers_key: str, same_person: bool, label: bool | None) -> None:
    confidence = st.session_state.get(keys.CLERK_CONFIDENCE)
    answers = st.session_state.setdefault(answers_key, [])
    shown = st.session_state.get(keys.CLERK_SHOWN_AT, {}).get((answers_key, len(answers)))
    seconds = _time_limit()
    late = seconds is not None and shown is not None and time.monotonic() - shown > seconds
    answers.append(
        Answer(same_person, confidence if confidence in CONFIDENCE else None, label, late)
    )
    st.session_state[keys.CLERK_CONFIDENCE] = None


def _time_limit() -> int | None:
    """The seconds per pair chosen when the round started (None: no limit)."""
    return st.session_state.get(keys.CLERK_SECONDS)


def _countdown(seconds: int, index: int) -> None:
    """A bar that empties in ``seconds`` (pure CSS: no script, nothing sent)."""
    st.html(
        f"<style>@keyframes clerk-time-{index} {{ from {{ width: 100%; }} to {{ width: 0; }} }}"
        f"</style><div style='height: 8px; background: #eee; border-radius: 4px'>"
        f"<div style='height: 8px; background: #c0392b; border-radius: 4px; "
        f"animation: clerk-time-{index} {seconds}s linear forwards'></div></div>"
    )


def _ask(
    pair: ClerkPair, index: int, total: int, answers_key: str, label: bool | None = None
) -> None:
    st.subheader(_("Pair {number} of {total}", number=index + 1, total=total))
    st.session_state.setdefault(keys.CLERK_SHOWN_AT, {}).setdefault(
        (answers_key, index), time.monotonic()
    )
    if (seconds := _time_limit()) is not None:
        _countdown(seconds, index)
    if label is not None:
        said = _("same person") if label else _("different people")
        st.info(_("The machine says: **{decision}**.", decision=said))
    _side_by_side(pair, width=170, chip=label is not None)
    offered(keys.CLERK_CONFIDENCE, [*CONFIDENCE, None])
    st.radio(
        _("How sure are you? (optional)"),
        list(CONFIDENCE),
        index=None,
        format_func=lambda name: _(CONFIDENCE[name]),
        horizontal=True,
        key=keys.CLERK_CONFIDENCE,
    )
    same, different = st.columns(2)
    same.button(
        _("Same person"),
        key=keys.CLERK_SAME,
        on_click=_answer,
        args=(answers_key, True, label),
        width="stretch",
    )
    different.button(
        _("Different people"),
        key=keys.CLERK_DIFFERENT,
        on_click=_answer,
        args=(answers_key, False, label),
        width="stretch",
    )


def _side_by_side(pair: ClerkPair, width: int, chip: bool = False) -> None:
    """The pair's two photos in one row, on a phone too (a list of images wraps; columns
    would stack); ``chip``: the ID photo as the card's chip holds it."""
    id_photo = (
        chip_demo_photo(pair.id_person)[0]
        if chip
        else demo_photo_bytes(str(demo_by_id(pair.id_person).id_photo))
    )
    st.image(
        [id_photo, demo_photo_bytes(str(demo_by_id(pair.live_person).live_photo))],
        caption=[_("ID photo (chip)") if chip else _("ID photo"), _("Live photo")],
        width=width,
    )


def _results(
    pairs: tuple[ClerkPair, ...],
    distances: tuple[float, ...],
    answers: list[Answer],
    threshold: float,
) -> None:
    yours = score(pairs, [answer.lets_through for answer in answers])
    machine = machine_decisions(distances, threshold)
    machines = score(pairs, machine)
    st.subheader(_("Your eyes and the machine, on the same {count} pairs", count=len(pairs)))
    you_column, machine_column = st.columns(2)
    you_column.markdown(
        _(
            "**You** let through **{accepted} of {strangers}** strangers (FMR) and turned away "
            "**{rejected} of {genuine}** genuine customers (FNMR).",
            accepted=yours.strangers_accepted,
            strangers=yours.strangers,
            rejected=yours.genuine_rejected,
            genuine=yours.genuine,
        )
    )
    machine_column.markdown(
        _(
            "**The machine**, at threshold {threshold:.2f}, let through **{accepted} of "
            "{strangers}** strangers and turned away **{rejected} of {genuine}** genuine "
            "customers.",
            threshold=threshold,
            accepted=machines.strangers_accepted,
            strangers=machines.strangers,
            rejected=machines.genuine_rejected,
            genuine=machines.genuine,
        )
    )
    lookalikes = [i for i, pair in enumerate(pairs) if pair.kind == "lookalike"]
    st.caption(
        _(
            "{lookalikes} of the strangers were lookalikes: the volunteer of the same group "
            "whom the machine finds closest, the stranger a fraudster would pick. You let "
            "through {yours} of them, the machine {machines}. With so few pairs, one answer "
            "moves a rate a lot: a class's answers together say more.",
            lookalikes=len(lookalikes),
            yours=sum(answers[i].lets_through for i in lookalikes),
            machines=sum(machine[i] for i in lookalikes),
        )
    )
    _confidence_summary(pairs, answers)
    if late := sum(answer.late for answer in answers):
        st.caption(
            n_(
                "{count} answer came after the time limit and counted as turning the "
                "customer away.",
                "{count} answers came after the time limit and counted as turning the "
                "customer away.",
                late,
            )
        )
    disagreed = [i for i in range(len(pairs)) if answers[i].lets_through != machine[i]]
    if disagreed:
        st.markdown(_("**Where you and the machine disagreed**"))
        for i in disagreed:
            _side_by_side(pairs[i], width=90, chip=answers[i].label is not None)
            st.caption(_disagreement(pairs[i], answers[i], machine[i], distances[i]))
    else:
        st.markdown(_("You and the machine agreed on every pair."))


def _sources() -> None:
    st.caption(
        _(
            "People are worse at this than they think. Supermarket cashiers checking photo "
            "credit cards accepted more than half of the fraudulent ones, as the authors "
            "reported their field study (Kemp, Towell and Pike 1997, Applied Cognitive "
            "Psychology). Passport-issuing officers accepted 14% of fraudulent photos and were "
            "no more accurate than students, with very large differences between people "
            "(White et al. 2014, PLOS ONE)."
        )
    )


def _confidence_summary(pairs: tuple[ClerkPair, ...], answers: list[Answer]) -> None:
    sure = [
        answer.lets_through == pair.genuine
        for pair, answer in zip(pairs, answers, strict=True)
        if answer.confidence == "sure"
    ]
    if sure:
        st.caption(
            _(
                "When you said you were sure, you were right {right} of {count} times.",
                right=sum(sure),
                count=len(sure),
            )
        )


def _disagreement(pair: ClerkPair, answer: Answer, machine: bool, gap: float) -> str:
    said = (
        _("too late (turned away)")
        if answer.late
        else _("same person")
        if answer.same_person
        else _("different people")
    )
    decided = _("same person") if machine else _("different people")
    truth = _("the same person") if pair.genuine else _("two different people")
    return _(
        "You said {said}; the machine said {decided} (distance {distance:.3f}). It was {truth}.",
        said=said,
        decided=decided,
        distance=gap,
        truth=truth,
    )
