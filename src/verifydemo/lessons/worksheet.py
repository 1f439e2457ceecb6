"""A one-page printable worksheet whose questions use the numbers on the page: the threshold,
the scenario, the reference set's rates there, the check on screen and the class's results."""

from __future__ import annotations

import html
from dataclasses import dataclass

from verifydemo.core.compare import accepted
from verifydemo.core.i18n import _, current_language, n_
from verifydemo.lessons.clerk import ClassEyes
from verifydemo.metrics.error_rates import EqualErrorRate, ErrorRates, Rate, significant

PRINT_CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: "Noto Sans", "Noto Sans CJK SC", "PingFang SC", sans-serif;
       font-size: 11pt; line-height: 1.32; max-width: 180mm; margin: 0 auto; color: #111; }
h1 { font-size: 16pt; margin: 0 0 2mm 0; }
p.meta { color: #444; margin: 0 0 4mm 0; font-size: 10pt; }
ol { padding-left: 6mm; margin: 0; }
li { margin-bottom: 2.5mm; break-inside: avoid; }
.answer { border-bottom: 1px solid #999; height: 6mm; }
footer { margin-top: 4mm; font-size: 8.5pt; color: #555; }
@media print { body { max-width: none; } }
"""


@dataclass(frozen=True)
class WorksheetFigures:
    """The numbers on screen the questions quote."""

    threshold: float
    id_scenario: str
    live_scenario: str
    rates: ErrorRates
    eer: EqualErrorRate
    pair_distance: float | None = None
    class_fmr: Rate | None = None
    class_fnmr: Rate | None = None
    clerk: ClassEyes | None = None
    """The class's round of "be the clerk" (None: no student added one)."""


def _clerk_question(eyes: ClassEyes | None, threshold: float) -> str:
    """The "be the clerk" question: the class's eyes beside the machine on the same pairs when
    the class added rounds, else the student's own."""
    if eyes is None:
        return _(
            "Be the clerk: how many strangers did you let through, and how many genuine "
            "customers did you turn away? The machine on the same pairs? Which errors did "
            "people make that the machine did not, and the other way round?"
        )
    question = n_(
        "Be the clerk: your class let through {fmr_errors} of {fmr_trials} strangers and "
        "turned away {fnmr_errors} of {fnmr_trials} genuine customers ({count} student); "
        "the machine at {threshold:.2f}, on the same pairs, {machine_fmr} of {strangers} and "
        "{machine_fnmr} of {genuine}. Where were eyes better, and where the machine?",
        "Be the clerk: your class let through {fmr_errors} of {fmr_trials} strangers and "
        "turned away {fnmr_errors} of {fnmr_trials} genuine customers ({count} students); "
        "the machine at {threshold:.2f}, on the same pairs, {machine_fmr} of {strangers} and "
        "{machine_fnmr} of {genuine}. Where were eyes better, and where the machine?",
        len(eyes.right),
        fmr_errors=eyes.fmr.errors,
        fmr_trials=eyes.fmr.trials,
        fnmr_errors=eyes.fnmr.errors,
        fnmr_trials=eyes.fnmr.trials,
        threshold=threshold,
        machine_fmr=eyes.machine.strangers_accepted,
        strangers=eyes.machine.strangers,
        machine_fnmr=eyes.machine.genuine_rejected,
        genuine=eyes.machine.genuine,
    )
    if eyes.followed_wrong is None or not eyes.followed_wrong.trials:
        return question
    return (
        question
        + " "
        + _(
            "With its advice, the class followed a wrong label {errors} of {trials} times: why?",
            errors=eyes.followed_wrong.errors,
            trials=eyes.followed_wrong.trials,
        )
    )


def worksheet_html(figures: WorksheetFigures) -> str:
    """The worksheet as one HTML page in the current language, ready to print on one A4 sheet."""
    fmr, fnmr, threshold = figures.rates.fmr, figures.rates.fnmr, figures.threshold
    questions = [
        _(
            "At threshold {threshold:.2f}, {errors:,} of {trials:,} impostor pairs were accepted "
            "(FMR {rate:.2%}, 95% interval {low} to {high}). If 1,000 people tried to sign up "
            "with someone else's ID card, about how many would be given a number?",
            threshold=threshold,
            errors=fmr.errors,
            trials=fmr.trials,
            rate=fmr.value,
            low=significant(fmr.leading_interval[0]),
            high=significant(fmr.leading_interval[1]),
        ),
        _(
            "{errors:,} of {trials:,} genuine pairs were rejected (FNMR {rate:.2%}). Who are "
            "these people, and what could happen to them at the counter?",
            errors=fnmr.errors,
            trials=fnmr.trials,
            rate=fnmr.value,
        )
        if fnmr.errors
        else _(
            "None of the {trials:,} genuine pairs was rejected here. Who might still be turned "
            "away at a real counter, with an ID photo taken years ago?",
            trials=fnmr.trials,
        ),
        _(
            "Lower the threshold below {threshold:.2f}. Which rate goes up and which goes down? "
            "Why can the two not both reach 0?",
            threshold=threshold,
        ),
        _(
            "These rates are for the ID photo captured as “{id_scenario}” and the live photo as "
            "“{live_scenario}”. Choose the chip photo for the ID photo: what changes, and why?",
            id_scenario=_(figures.id_scenario),
            live_scenario=_(figures.live_scenario),
        ),
    ]
    if figures.pair_distance is not None:
        verdict = _("a match") if accepted(figures.pair_distance, threshold) else _("no match")
        questions.append(
            _(
                "The check on screen gave a distance of {distance:.3f}, which is {verdict} at "
                "{threshold:.2f}. How much would the threshold have to move to change that?",
                distance=figures.pair_distance,
                verdict=verdict,
                threshold=threshold,
            )
        )
    if figures.class_fmr is not None and figures.class_fnmr is not None:
        questions.append(
            _(
                "Your class: {fmr_errors} of {fmr_trials} neighbour's-photo checks accepted and "
                "{fnmr_errors} of {fnmr_trials} own-photo checks rejected at {threshold:.2f}. "
                "Compare them with the reference set. Why are the class's intervals wider?",
                fmr_errors=figures.class_fmr.errors,
                fmr_trials=figures.class_fmr.trials,
                fnmr_errors=figures.class_fnmr.errors,
                fnmr_trials=figures.class_fnmr.trials,
                threshold=threshold,
            )
        )
    questions.append(_clerk_question(figures.clerk, threshold))
    questions.append(
        _(
            "The operators' own thresholds and error rates are not public. What would you want "
            "to know about them before trusting the check?"
        )
    )
    items = "\n".join(
        f'<li>{html.escape(question)}<div class="answer"></div><div class="answer"></div></li>'
        for question in questions
    )
    title = _("Worksheet: how an ID-to-face check fails")
    meta = _(
        "Name: ____________________   Threshold {threshold:.2f} · reference set: 102 "
        "volunteers of the Face Research Lab London Set (CC BY 4.0)",
        threshold=threshold,
    )
    footer = _(
        "Numbers measured by verifydemo on consented volunteers; this is not the operators' "
        "system, whose rates are not public."
    )
    language = "zh-CN" if current_language() == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{PRINT_CSS}</style></head><body>"
        f'<h1>{html.escape(title)}</h1><p class="meta">{html.escape(meta)}</p>'
        f"<ol>{items}</ol><footer>{html.escape(footer)}</footer></body></html>\n"
    )
