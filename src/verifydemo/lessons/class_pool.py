"""The class experiment's pool: the one thing sessions share, held in the server's memory.

Each entry is three values: the kind of trial a student declared (their own ID photo, or a
neighbour's), the distance the server itself computed for that session's check, and whether it
was a "Beat the check" try. No photo, embedding, name, session or device identifier is kept.
The pool dies with the server, and the teacher can clear it.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

from verifydemo.core.compare import accepted

GENUINE, IMPOSTOR = "genuine", "impostor"
KINDS = (GENUINE, IMPOSTOR)
MAX_ENTRIES_PER_SESSION = 6
"""A few tries each: an own-photo and a neighbour's check, plus some "Beat the check" rounds."""
MAX_ENTRIES = 5000
"""Far above any class; a bound on the server's memory."""


@dataclass(frozen=True)
class PoolEntry:
    """One student's check, as numbers only."""

    kind: str
    distance: float
    beat_round: bool = False


class PoolFull(Exception):
    """The pool holds ``MAX_ENTRIES`` already."""


class ClassPool:
    """Entries from many sessions, added and read from many threads (one per page run)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[PoolEntry] = []

    def add(self, kind: str, distance: float, beat_round: bool = False) -> PoolEntry:
        """Add one entry; ``ValueError`` for an unknown kind or a distance that no check gives."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind of trial: {kind!r}")
        distance = float(distance)
        if not math.isfinite(distance) or not 0.0 <= distance <= 2.0:
            raise ValueError(f"not a distance between two embeddings: {distance!r}")
        entry = PoolEntry(kind, distance, bool(beat_round))
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                raise PoolFull
            self._entries.append(entry)
        return entry

    def entries(self) -> tuple[PoolEntry, ...]:
        with self._lock:
            return tuple(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


POOL = ClassPool()
"""The server's one pool."""


def distances_of(entries: tuple[PoolEntry, ...], kind: str) -> np.ndarray:
    return np.array([entry.distance for entry in entries if entry.kind == kind], dtype=np.float64)


@dataclass(frozen=True)
class BeatCount:
    """ "Beat the check" tries at a threshold: own-photo checks made to fail, neighbour's checks
    made to pass."""

    own_tries: int
    own_failed: int
    neighbour_tries: int
    neighbour_passed: int


def beat_count(entries: tuple[PoolEntry, ...], threshold: float) -> BeatCount:
    own = [entry.distance for entry in entries if entry.beat_round and entry.kind == GENUINE]
    other = [entry.distance for entry in entries if entry.beat_round and entry.kind == IMPOSTOR]
    return BeatCount(
        own_tries=len(own),
        own_failed=int((~accepted(np.array(own), threshold)).sum()) if own else 0,
        neighbour_tries=len(other),
        neighbour_passed=int(accepted(np.array(other), threshold).sum()) if other else 0,
    )


@dataclass(frozen=True)
class Separation:
    """The thresholds with the fewest mistakes on the class's checks: ``low`` up to (not
    including) ``high``; ``mistakes`` is 0 when they separate every genuine from every impostor
    check."""

    low: float
    high: float
    mistakes: int

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2


def best_separation(genuine: np.ndarray, impostor: np.ndarray) -> Separation | None:
    """The threshold range that makes the fewest mistakes (genuine rejected plus impostors
    accepted) on these distances; None without both kinds."""
    if not len(genuine) or not len(impostor):
        return None
    candidates = np.unique(np.concatenate([genuine, impostor, [0.0]]))
    mistakes = np.array(
        [int((~accepted(genuine, t)).sum()) + int(accepted(impostor, t).sum()) for t in candidates]
    )
    best = int(np.argmin(mistakes))
    above = candidates[candidates > candidates[best]]
    high = float(above[0]) if len(above) else 2.0
    return Separation(float(candidates[best]), high, int(mistakes[best]))
