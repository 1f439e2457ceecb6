"""The figures the docs quote, written by the app from its shipped data: ``verifydemo report``.

:data:`DOCUMENT` holds each block between ``<!-- report:NAME -->`` and ``<!-- /report -->``;
``verifydemo report --write docs/methods.md`` rewrites them, and a test compares them with
:func:`blocks`, so a figure in the docs is always one the app computes.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter

from verifydemo.core.compare import DEFAULT_THRESHOLD
from verifydemo.datasets.attacks import load_attack_outcomes
from verifydemo.datasets.reference import load_reference
from verifydemo.lessons.liveness import CHALLENGES
from verifydemo.lessons.liveness_clips import attack_rates, worst_attack
from verifydemo.metrics.error_rates import error_rates, significant

DOCUMENT = "docs/methods.md"
"""The document, relative to the checkout, that holds the blocks."""
BLOCK = re.compile(r"<!-- report:(?P<name>[a-z_]+) -->\n(?P<body>.*?)<!-- /report -->", re.S)
WIDTH = 96
ATTACK_WORDS = {"printed": "still print", "turned": "turned print", "synthesised": "fake video"}
"""The docs' short name of each attack in ``lessons.liveness_clips.ATTACKS``."""


def blocks() -> dict[str, str]:
    """Each named block of the docs, as Markdown lines ending in a newline."""
    return {"reference": reference_block(), "liveness": liveness_block()}


def reference_block() -> str:
    """The reference set's impostor FMR at the default threshold, as the methods quote it."""
    rates = error_rates(load_reference().pair_scores().score_set(), DEFAULT_THRESHOLD)
    fmr = rates.fmr
    sentence = (
        f"This app's own measurement, on 102 volunteers of the London Set ({fmr.trials:,} pairs "
        f"of different people), wrongly matched {fmr.value:.2%} of those pairs ({fmr.errors:,} "
        f"of {fmr.trials:,}, roughly 1 in {round(fmr.trials / fmr.errors):,}) at its default "
        f"threshold of {DEFAULT_THRESHOLD}."
    )
    return textwrap.fill(sentence, WIDTH) + "\n"


def liveness_block() -> str:
    """What each built-in attack did on the 24 demo volunteers, per challenge and under the
    page's decision (APCER per attack type, the worst as the headline)."""
    verdicts = load_attack_outcomes()
    people = len(verdicts)
    accepted: Counter[tuple[str, str]] = Counter()
    seen: Counter[tuple[str, str]] = Counter()
    caught = 0
    for by_attack in verdicts.values():
        for attack, by_challenge in by_attack.items():
            for challenge, verdict in by_challenge.items():
                accepted[attack, challenge] += bool(verdict["accepted"])
                seen[attack, challenge] += bool(verdict["action_seen"])
        turn = by_attack["turned"]["turn"]
        caught += bool(turn["action_seen"] and turn["flat_photo"])
    still = sum(accepted["printed", challenge] for challenge in CHALLENGES)
    turns = seen["turned", "turn"]
    lines = [
        textwrap.fill(
            f"Made from each of the {people} demo faces, the still print passed {still} of "
            f"{people * len(CHALLENGES)} challenges; the turned print read as a head turn for "
            f"{turns} of them and the flat-photo check caught {caught} of those {turns}; the "
            f"fake video passed the blink challenge for {accepted['synthesised', 'blink']} and "
            f"the mouth challenge for {accepted['synthesised', 'mouth']}.",
            WIDTH,
        ),
        "",
        "| attack | APCER of the page's decision | 95% interval (resampling the volunteers) |",
        "|---|---|---|",
    ]
    rates = attack_rates(verdicts)
    for rate in rates:
        low, high = rate.interval
        lines.append(
            f"| {ATTACK_WORDS[rate.attack]} | {significant(rate.apcer)} | "
            f"{significant(low)} to {significant(high)} |"
        )
    worst = worst_attack(rates)
    lines += [
        "",
        textwrap.fill(
            f"Headline (ISO/IEC 30107-3 reports the worst attack type): APCER "
            f"{significant(worst.apcer)}, the {ATTACK_WORDS[worst.attack]}.",
            WIDTH,
        ),
    ]
    return "\n".join(lines) + "\n"


def in_document(text: str) -> dict[str, str]:
    """The blocks a document holds, by name."""
    return {match["name"]: match["body"] for match in BLOCK.finditer(text)}


def rewritten(text: str) -> str:
    """``text`` with every block replaced by the app's current figures."""
    current = blocks()
    return BLOCK.sub(
        lambda match: f"<!-- report:{match['name']} -->\n{current[match['name']]}<!-- /report -->",
        text,
    )
