"""Error rates of a comparator from its genuine and impostor distances.

Vocabulary from ISO/IEC 2382-37 and 19795-1. A comparison is a *match* when its distance is at
or below the threshold. FMR is the share of impostor (non-mated) comparisons wrongly declared a
match; FNMR the share of genuine (mated) comparisons wrongly declared a non-match. FAR and FRR
are the system-level rates: they also count attempts where no face was found (failure to
acquire, FTA), which can never be accepted, so an FTA is a false reject for a genuine attempt
and a (correct) reject for an impostor attempt.

Scores are kept sorted so that any threshold costs two ``searchsorted`` calls.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

CONFIDENCE = 0.95


@dataclass(frozen=True)
class ScoreSet:
    """Sorted genuine and impostor distances, and how many attempts of each failed to acquire."""

    genuine: np.ndarray
    impostor: np.ndarray
    genuine_fta: int = 0
    impostor_fta: int = 0

    @classmethod
    def from_distances(cls, genuine: np.ndarray, impostor: np.ndarray) -> ScoreSet:
        """Build from raw distances, where NaN marks a failure to acquire.

        Raises ``ValueError`` for arrays that are not 1-d or that hold infinities.
        """
        genuine, impostor = _validated(genuine, "genuine"), _validated(impostor, "impostor")
        genuine_ok, impostor_ok = ~np.isnan(genuine), ~np.isnan(impostor)
        return cls(
            genuine=np.sort(genuine[genuine_ok]),
            impostor=np.sort(impostor[impostor_ok]),
            genuine_fta=int((~genuine_ok).sum()),
            impostor_fta=int((~impostor_ok).sum()),
        )

    @classmethod
    def from_labels(cls, scores: np.ndarray, labels: np.ndarray) -> ScoreSet:
        """Build from scores and labels (1 genuine, 0 impostor), as in a ``score,label`` CSV."""
        scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels)
        if scores.shape != labels.shape:
            raise ValueError(f"scores and labels differ in shape: {scores.shape} vs {labels.shape}")
        if not np.isin(labels, (0, 1)).all():
            raise ValueError("labels must be 1 (genuine) or 0 (impostor)")
        return cls.from_distances(scores[labels == 1], scores[labels == 0])


@dataclass(frozen=True)
class Rate:
    """``errors`` out of ``trials``, with a Wilson score interval."""

    errors: int
    trials: int

    @property
    def value(self) -> float:
        return self.errors / self.trials if self.trials else float("nan")

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.errors, self.trials)


@dataclass(frozen=True)
class ErrorRates:
    """All four rates at one threshold."""

    threshold: float
    fmr: Rate
    fnmr: Rate
    far: Rate
    frr: Rate


@dataclass(frozen=True)
class DetCurve:
    """FMR and FNMR at every distinct observed distance, thresholds ascending."""

    thresholds: np.ndarray
    fmr: np.ndarray
    fnmr: np.ndarray


@dataclass(frozen=True)
class EqualErrorRate:
    """Where FMR and FNMR meet: ``rate`` is their mean at the observed threshold where they are
    closest, and ``fmr``/``fnmr`` are the two rates there."""

    rate: float
    threshold: float
    fmr: float
    fnmr: float


def accepted_counts(
    scores: ScoreSet, thresholds: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """How many genuine and impostor distances are at or below each threshold."""
    thresholds = np.asarray(thresholds, dtype=np.float64)
    return (
        np.searchsorted(scores.genuine, thresholds, side="right"),
        np.searchsorted(scores.impostor, thresholds, side="right"),
    )


def error_rates(scores: ScoreSet, threshold: float) -> ErrorRates:
    """FMR, FNMR, FAR and FRR at ``threshold``, each with its counts."""
    _require_both(scores)
    genuine_accepted, impostor_accepted = (
        int(count) for count in accepted_counts(scores, threshold)
    )
    genuine_rejected = len(scores.genuine) - genuine_accepted
    return ErrorRates(
        threshold=float(threshold),
        fmr=Rate(impostor_accepted, len(scores.impostor)),
        fnmr=Rate(genuine_rejected, len(scores.genuine)),
        far=Rate(impostor_accepted, len(scores.impostor) + scores.impostor_fta),
        frr=Rate(genuine_rejected + scores.genuine_fta, len(scores.genuine) + scores.genuine_fta),
    )


def det_curve(scores: ScoreSet) -> DetCurve:
    """FMR and FNMR at each distinct distance; plot FNMR against FMR on probit axes."""
    _require_both(scores)
    thresholds = np.unique(np.concatenate([scores.genuine, scores.impostor]))
    genuine_accepted, impostor_accepted = accepted_counts(scores, thresholds)
    return DetCurve(
        thresholds=thresholds,
        fmr=impostor_accepted / len(scores.impostor),
        fnmr=1.0 - genuine_accepted / len(scores.genuine),
    )


def equal_error_rate(scores: ScoreSet) -> EqualErrorRate:
    """The equal error rate, read off the DET points (no interpolation)."""
    curve = det_curve(scores)
    closest = int(np.argmin(np.abs(curve.fmr - curve.fnmr)))
    fmr, fnmr = float(curve.fmr[closest]), float(curve.fnmr[closest])
    return EqualErrorRate((fmr + fnmr) / 2, float(curve.thresholds[closest]), fmr, fnmr)


def threshold_for_fmr(scores: ScoreSet, target: float) -> float:
    """The largest threshold whose FMR is at most ``target``.

    Below one in ``len(scores.impostor)`` the answer is the threshold with no impostor
    accepted, which does not show the target is met: zero errors in n trials only bounds the
    rate below about 3/n (95%).
    """
    _require_both(scores)
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"target FMR must lie in [0, 1], got {target}")
    allowed = int(np.floor(target * len(scores.impostor) + 1e-9))
    if allowed >= len(scores.impostor):
        return float("inf")
    return float(np.nextafter(scores.impostor[allowed], -np.inf))


def wilson_interval(
    errors: int, trials: int, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Wilson score interval for a proportion; ``(0, 1)`` when there were no trials."""
    if trials == 0:
        return (0.0, 1.0)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    share = errors / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    spread = math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    half = z * spread / (1 + z * z / trials)
    low = 0.0 if errors == 0 else max(0.0, centre - half)
    high = 1.0 if errors == trials else min(1.0, centre + half)
    return (low, high)


def _validated(values: np.ndarray, name: str) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"{name} scores must be 1-d, got shape {values.shape}")
    if np.isinf(values).any():
        raise ValueError(f"{name} scores hold infinite values")
    return values


def _require_both(scores: ScoreSet) -> None:
    if len(scores.genuine) == 0 or len(scores.impostor) == 0:
        raise ValueError(
            f"need genuine and impostor scores, "
            f"got {len(scores.genuine)} and {len(scores.impostor)}"
        )
