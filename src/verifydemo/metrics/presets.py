"""The threshold buttons: the library default, the EER and two FMR targets, on the slider's
steps (0.20 to 1.00 by 0.01)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from verifydemo.core.compare import DEFAULT_THRESHOLD
from verifydemo.metrics.error_rates import (
    ScoreSet,
    equal_error_rate,
    error_rates,
    threshold_for_fmr,
)

SLIDER_MIN, SLIDER_MAX, SLIDER_STEP = 0.2, 1.0, 0.01
FMR_TARGETS = (0.01, 0.001)


@dataclass(frozen=True)
class Preset:
    """A threshold button: ``name`` for its widget key, and the FMR it meets for an FMR preset.
    Its label is written where it is shown, in the visitor's language."""

    name: str
    threshold: float
    fmr_target: float | None = None


def slider_steps() -> np.ndarray:
    """Every threshold the slider can show, as two-decimal floats."""
    count = round((SLIDER_MAX - SLIDER_MIN) / SLIDER_STEP) + 1
    return np.round(SLIDER_MIN + SLIDER_STEP * np.arange(count), 2)


def presets(scores: ScoreSet) -> tuple[Preset, ...]:
    """The buttons for ``scores``: the default, the EER on the nearest step (rounded down when
    no threshold separates the two kinds of pair), and for each FMR target the highest step
    whose measured FMR meets it."""
    eer = equal_error_rate(scores)
    found = [
        Preset("library", DEFAULT_THRESHOLD),
        Preset("eer", on_slider(eer.threshold, round_down=not eer.separated)),
    ]
    for target in FMR_TARGETS:
        threshold = on_slider(threshold_for_fmr(scores, target))
        while threshold > SLIDER_MIN and error_rates(scores, threshold).fmr.value > target:
            threshold = round(threshold - SLIDER_STEP, 2)
        found.append(Preset(f"fmr_{target:.1%}", threshold, target))
    return tuple(found)


def by_threshold(found: tuple[Preset, ...]) -> tuple[tuple[Preset, ...], ...]:
    """``found`` grouped by threshold, in order of first appearance: one button per distinct
    threshold (at studio/studio the library default and FMR 1% are both 0.60)."""
    groups: dict[float, list[Preset]] = {}
    for preset in found:
        groups.setdefault(preset.threshold, []).append(preset)
    return tuple(tuple(group) for group in groups.values())


def on_slider(threshold: float, round_down: bool = True) -> float:
    """A threshold the slider can show, inside its range: two decimals, rounded down so that an
    FMR target is still met, or to the nearest step (the middle of a gap between the genuine
    and impostor distances stays inside it)."""
    steps = math.floor(threshold * 100 + 1e-9) if round_down else round(threshold * 100)
    return float(np.clip(steps / 100, SLIDER_MIN, SLIDER_MAX))
