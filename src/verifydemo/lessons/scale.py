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


@dataclass(frozen=True)
class SearchCheck:
    """A 1:N search run on a reference set, and what the independence formula predicts."""

    found: Rate
    """People whose live photo found at least one false match among the others' ID photos."""
    predicted: float
    """The share 1 - (1 - FMR)^N predicts, averaged over the same searches (N: the ID photos
    each one was compared with)."""
    gallery: int
    """The typical N (the median over the searches)."""


def search_with_a_false_match(distances: np.ndarray, threshold: float, fmr: float) -> SearchCheck:
    """Each person's live photo (a column of the square ``distances``, rows the ID photos)
    searched among every other person's ID photo at ``threshold``: how many find a false match,
    beside what the formula, which assumes every comparison independent, predicts from
    ``fmr``. A NaN (no face) is no comparison; a live photo compared with nothing is left out."""
    distances = np.asarray(distances, dtype=np.float64)
    if distances.ndim != 2 or distances.shape[0] != distances.shape[1]:
        raise ValueError(f"need a square matrix, got shape {distances.shape}")
    others = distances.copy()
    np.fill_diagonal(others, np.nan)
    searched = (~np.isnan(others)).sum(axis=0)
    compared = searched > 0
    found = accepted(others, threshold).any(axis=0) & compared
    return SearchCheck(
        found=Rate(int(found.sum()), int(compared.sum())),
        predicted=float(np.mean(chance_of_at_least_one_match(fmr, searched[compared]))),
        gallery=int(np.median(searched[compared])),
    )
