"""What an error rate means for a country, for a 1:N search, and for an impostor who retries."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verifydemo.core.compare import accepted
from verifydemo.metrics.error_rates import Rate

DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class NationalScale:
    """Yearly and daily consequences of running the check on every registration."""

    genuine_attempts: float
    impostor_attempts: float
    genuine_rejected_per_year: float
    impostors_accepted_per_year: float

    @property
    def genuine_rejected_per_day(self) -> float:
        return self.genuine_rejected_per_year / DAYS_PER_YEAR

    @property
    def impostors_accepted_per_day(self) -> float:
        return self.impostors_accepted_per_year / DAYS_PER_YEAR


def national_scale(
    registrations_per_year: float, impostor_share: float, far: float, frr: float
) -> NationalScale:
    """Split registrations into genuine and impostor attempts and apply the decision-level
    rates to them: FRR (false rejects, counting photos with no usable face) to the genuine
    attempts, FAR (false accepts) to the impostor ones.

    ``impostor_share`` is the share of attempts made with someone else's ID (0 to 1).
    """
    for name, value in (("impostor share", impostor_share), ("FAR", far), ("FRR", frr)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must lie between 0 and 1, got {value}")
    if registrations_per_year < 0:
        raise ValueError("registrations per year cannot be negative")
    impostor_attempts = registrations_per_year * impostor_share
    genuine_attempts = registrations_per_year - impostor_attempts
    return NationalScale(
        genuine_attempts=genuine_attempts,
        impostor_attempts=impostor_attempts,
        genuine_rejected_per_year=genuine_attempts * frr,
        impostors_accepted_per_year=impostor_attempts * far,
    )


def chance_of_at_least_one_match(fmr: float, comparisons: np.ndarray | float) -> np.ndarray:
    """1 - (1 - FMR)^N: the chance that N independent impostor comparisons give at least one
    false match, as in a 1:N search of N other people or an impostor's N tries; computed
    without losing precision when FMR is tiny and N huge."""
    comparisons = np.asarray(comparisons, dtype=np.float64)
    if fmr >= 1:
        return np.ones_like(comparisons)
    return -np.expm1(comparisons * np.log1p(-fmr))


def search_with_a_false_match(distances: np.ndarray, threshold: float) -> Rate:
    """A 1:N search run on a reference set: each person's live photo (a column of the square
    ``distances``, rows the ID photos) against every other person's ID photo. Returns how many
    people found at least one false match, out of those whose live photo was compared at all:
    the formula 1 - (1 - FMR)^N assumes every comparison independent, and this is the check."""
    distances = np.asarray(distances, dtype=np.float64)
    if distances.ndim != 2 or distances.shape[0] != distances.shape[1]:
        raise ValueError(f"need a square matrix, got shape {distances.shape}")
    others = distances.copy()
    np.fill_diagonal(others, np.nan)
    compared = ~np.isnan(others).all(axis=0)
    found = accepted(others, threshold).any(axis=0)
    return Rate(int((found & compared).sum()), int(compared.sum()))
