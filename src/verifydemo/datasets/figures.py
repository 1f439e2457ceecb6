"""The figures the shipped data gives, pinned, so that a library upgrade that moves one is seen.

``data/figures.json`` holds every figure the page derives from the data without a bootstrap: the
match counts at every slider step, the EER and the presets of every scenario pair, the printed
photo attack's passes, the morphs' MMPMR counts and the liveness APCER of each built-in attack.
``verifydemo build-reference`` rewrites it
and prints what moved, so an upgrade is a reviewed diff, not a surprise.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from verifydemo.core.compare import accepted
from verifydemo.datasets.attacks import Verdicts
from verifydemo.datasets.morphs import MorphSet
from verifydemo.datasets.reference import ReferenceSet
from verifydemo.lessons.liveness_clips import attack_rates
from verifydemo.lessons.scenarios import ATTACK_SCENARIOS, ID_SCENARIOS, LIVE_SCENARIOS
from verifydemo.metrics.error_rates import accepted_counts, equal_error_rate
from verifydemo.metrics.presets import presets, slider_steps

FIGURES_FILE = Path(__file__).resolve().parent / "data" / "figures.json"


def shipped_figures(reference: ReferenceSet, morphs: MorphSet, verdicts: Verdicts) -> dict:
    """Every threshold-step figure of the data: counts, EERs (6 decimals) and presets per
    scenario pair, attack passes and morphs passing as both contributors; and the APCER of the
    page's liveness decision per built-in attack (6 decimals)."""
    thresholds = slider_steps()
    pairs = {}
    for id_scenario in ID_SCENARIOS:
        for live_scenario in LIVE_SCENARIOS:
            scores = reference.pair_scores(id_scenario.name, live_scenario.name).score_set()
            genuine, impostor = accepted_counts(scores, thresholds)
            pairs[f"{id_scenario.name}/{live_scenario.name}"] = {
                "genuine_matches": genuine.tolist(),
                "impostor_matches": impostor.tolist(),
                "eer": round(equal_error_rate(scores).rate, 6),
                "presets": {preset.name: preset.threshold for preset in presets(scores)},
            }
    attacks = {
        attack.name: accepted_counts(reference.attack_scores(attack.name).score_set(), thresholds)[
            0
        ].tolist()
        for attack in ATTACK_SCENARIOS
    }
    worst = morphs.scores(reference).worst()
    return {
        "thresholds": thresholds.tolist(),
        "pairs": pairs,
        "attack_passes": attacks,
        "morphs_passing_as_both": [int(accepted(worst, t).sum()) for t in thresholds],
        "morphs_without_face": morphs.no_face,
        "liveness_apcer": {rate.attack: round(rate.apcer, 6) for rate in attack_rates(verdicts)},
    }


def moved_figures(before: dict, after: dict) -> list[str]:
    """One line per figure that differs between two ``shipped_figures`` results: a count at a
    slider step, an EER, a preset."""
    steps = after["thresholds"]

    def walk(name: str, old: object, new: object) -> list[str]:
        if isinstance(old, dict) and isinstance(new, dict):
            return [
                line
                for key in sorted(old.keys() | new.keys())
                for line in walk(f"{name} {key}".strip(), old.get(key), new.get(key))
            ]
        if isinstance(old, list) and isinstance(new, list) and len(old) == len(new) == len(steps):
            return [
                f"{name} at {step:.2f}: {a} -> {b}"
                for step, a, b in zip(steps, old, new, strict=True)
                if a != b
            ]
        return [] if old == new else [f"{name}: {old} -> {new}"]

    return walk("", before, after)


def embedding_moves(before: ReferenceSet, after: ReferenceSet) -> dict[str, float]:
    """The largest distance between a person's old and new embedding, per scenario."""
    return {
        key: largest_move(
            before.embeddings_for(*key.split("/")), after.embeddings_for(*key.split("/"))
        )
        for key in after.scenario_keys
    }


def largest_move(before: np.ndarray, after: np.ndarray) -> float:
    """The largest distance between matching rows of two ``(n, 128)`` embedding arrays; inf
    when a face was found in one and not the other (NaN rows, failures to acquire)."""
    missing_before, missing_after = np.isnan(before).any(axis=1), np.isnan(after).any(axis=1)
    if (missing_before != missing_after).any():
        return float("inf")
    found = ~missing_after
    gaps = np.linalg.norm(before[found].astype(np.float64) - after[found], axis=1)
    return float(gaps.max(initial=0.0))


def read_figures(path: Path = FIGURES_FILE) -> dict:
    """The pinned figures."""
    return json.loads(path.read_text())


def write_figures(figures: dict, path: Path = FIGURES_FILE) -> None:
    """Pin ``figures`` as sorted JSON, one value per line, so a rebuild's diff reads well."""
    path.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
