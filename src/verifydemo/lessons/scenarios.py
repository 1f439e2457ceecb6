"""Capture scenarios that mirror the SIM-card check, for the shipped reference set.

An ID-side scenario turns the published neutral photo into what the ID check compares against;
a live-side scenario turns the published smiling photo into what the shop's camera might see; an
attack scenario turns the neutral photo into what an impostor holds up to the camera.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from verifydemo.core.faces import FaceBox
from verifydemo.core.i18n import N_
from verifydemo.lessons import perturb

DIM_STRENGTH = 0.7
BLUR_SIGMA = 3.0
# The descriptions below spell these two out: they are translated as written, without values.


@dataclass(frozen=True)
class Scenario:
    """One way a photo is captured. ``apply`` takes the studio photo, its face box and a seed.
    ``name`` is an id (a key of the reference set); people see ``_(name)`` and
    ``_(description)``."""

    name: str
    side: str
    description: str
    apply: Callable[[np.ndarray, FaceBox, int], np.ndarray]


def _as_published(rgb: np.ndarray, face: FaceBox, seed: int) -> np.ndarray:
    return rgb


ID_SCENARIOS = (
    Scenario(N_("studio"), "id", N_("the studio photo as published (600 px)"), _as_published),
    Scenario(
        N_("chip"),
        "id",
        N_(
            "simulated ID card chip photo: 102 x 126 pixels in 1,024 bytes (JPEG 2000 standing "
            "in for the card's own codec, which is not public)"
        ),
        lambda rgb, face, seed: perturb.chip_photo(rgb, face),
    ),
)
LIVE_SCENARIOS = (
    Scenario(N_("studio"), "live", N_("the studio photo as published (600 px)"), _as_published),
    Scenario(
        N_("dim"),
        "live",
        N_("low light with sensor noise (strength 0.7)"),
        lambda rgb, face, seed: perturb.low_light(rgb, DIM_STRENGTH, seed),
    ),
    Scenario(
        N_("blur"),
        "live",
        N_(
            "out of focus (Gaussian blur: each pixel mixed with its neighbours within about "
            "3 px, the blur's sigma)"
        ),
        lambda rgb, face, seed: perturb.blur(rgb, BLUR_SIGMA),
    ),
)
ATTACK_SCENARIOS = (
    Scenario(
        N_("printed"),
        "attack",
        N_("the ID photo printed and held up to a webcam (simulated presentation attack)"),
        lambda rgb, face, seed: perturb.photo_of_photo(rgb, seed),
    ),
)
"""Made from the ID (neutral) photo, compared with the same person's studio ID photo."""
SCENARIOS = ID_SCENARIOS + LIVE_SCENARIOS + ATTACK_SCENARIOS


def source_side(chosen: Scenario) -> str:
    """Which published photo a scenario starts from: the live (smiling) one or the ID one."""
    return "live" if chosen.side == "live" else "id"


def seed_for(person_id: str, chosen: Scenario) -> int:
    """A fixed seed per person and scenario, so every rebuild adds the same noise."""
    return int(person_id) * 100 + SCENARIOS.index(chosen)
