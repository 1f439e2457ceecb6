"""The class experiment's pool: the one thing sessions share, held in the server's memory.

Each entry is three values: the kind of trial a student declared (their own ID photo, or a
neighbour's), the distance the server itself computed for that session's check, and whether it
was a "Beat the check" try. No photo, embedding, name, session or device identifier is kept in
an entry. To hold each student to a few entries, the pool counts additions per student under a
keyed hash of the student's key (``ui/class_experiment.student_key``: the device's network
address), with a random key made at start and replaced on every clear, so the counts cannot be
traced back to an address. The pool dies with the server, and the teacher can clear it or
remove its last entries.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from verifydemo.core.compare import accepted
from verifydemo.lessons.liveness import CHALLENGES
from verifydemo.metrics.error_rates import Rate

GENUINE, IMPOSTOR = "genuine", "impostor"
KINDS = (GENUINE, IMPOSTOR)
LIVENESS = "liveness"
"""The allowance key of a student's liveness attempts."""
PER_STUDENT = {(GENUINE, False): 1, (IMPOSTOR, False): 1, (GENUINE, True): 2, (IMPOSTOR, True): 2}
"""Entries one student may add, per kind of trial and "Beat the check" flag: one plain check of
each kind (so each student's own-photo check counts once), two tries of each kind to beat it."""
MAX_ENTRIES_PER_STUDENT = sum(PER_STUDENT.values())
MAX_ENTRIES = 5000
"""Far above any class; a bound on the server's memory."""
ADDITIONS_PER_MINUTE = 120
"""Additions the whole server takes in any 60 s: a class of 40 adding their two plain checks in
the same minute fits; a script cycling through addresses does not flood the board."""


@dataclass(frozen=True)
class PoolEntry:
    """One student's check, as numbers only."""

    kind: str
    distance: float
    beat_round: bool = False


@dataclass(frozen=True)
class LivenessEntry:
    """One student's own liveness attempt, as the server judged it: the challenges asked for,
    in order, and whether each passed. A live person's attempt, so a rejection is a BPCER
    error."""

    challenges: tuple[str, ...]
    passed: tuple[bool, ...]

    @property
    def accepted(self) -> bool:
        return all(self.passed)


@dataclass(frozen=True)
class ClerkEntry:
    """One student's round of "be the clerk", as counts only: which round (its seed) and
    whether the machine's labels were shown, the strangers let through and the genuine
    customers turned away, and in an advised round how often the label was followed where it
    was right and where it was wrong. No answer per photo is kept."""

    round_seed: int
    advised: bool
    strangers_accepted: int
    strangers: int
    genuine_rejected: int
    genuine: int
    followed_right: int = 0
    right: int = 0
    followed_wrong: int = 0
    wrong: int = 0

    def well_formed(self, pairs: int) -> bool:
        """Counts that a round of ``pairs`` pairs can give."""
        counts = (
            self.strangers_accepted,
            self.strangers,
            self.genuine_rejected,
            self.genuine,
            self.followed_right,
            self.right,
            self.followed_wrong,
            self.wrong,
        )
        labelled = self.right + self.wrong
        return (
            all(isinstance(count, int) and count >= 0 for count in counts)
            and self.round_seed >= 0
            and self.strangers + self.genuine == pairs
            and self.strangers_accepted <= self.strangers
            and self.genuine_rejected <= self.genuine
            and self.followed_right <= self.right
            and self.followed_wrong <= self.wrong
            and labelled == (pairs if self.advised else 0)
        )


CLERK = "clerk"
"""The allowance key of a student's clerk rounds: one entry per round seed and kind of round."""
LIVENESS_PER_STUDENT = 1
"""Liveness attempts one student adds: one each, so the class BPCER counts people once and its
Wilson interval is the right one."""


class PoolRefused(Exception):
    """An addition the pool does not take (the subclass says why)."""


class PoolFull(PoolRefused):
    """The pool holds ``MAX_ENTRIES`` already."""


class StudentLimit(PoolRefused):
    """This student added their ``PER_STUDENT`` entries of this kind already."""


class PoolBusy(PoolRefused):
    """The server took ``ADDITIONS_PER_MINUTE`` additions in the last minute."""


class ClassPool:
    """Entries from many sessions, added and read from many threads (one per page run)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._entries: list[PoolEntry] = []
        self._hash_key = secrets.token_bytes(16)
        self._added: Counter[tuple[str, str, bool]] = Counter()
        self._recent: deque[float] = deque()
        self._liveness: list[LivenessEntry] = []
        self._clerk: list[ClerkEntry] = []

    def add(
        self, kind: str, distance: float, beat_round: bool = False, student: str = ""
    ) -> PoolEntry:
        """Add one entry for ``student``; ``ValueError`` for an unknown kind or a distance that
        no check gives, a ``PoolRefused`` past a limit. The distance is kept to 3 decimals, as
        the page shows it: a value a crafted client chose carries no more than that."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind of trial: {kind!r}")
        distance = float(distance)
        if not math.isfinite(distance) or not 0.0 <= distance <= 2.0:
            raise ValueError(f"not a distance between two embeddings: {distance!r}")
        entry = PoolEntry(kind, round(distance, 3), bool(beat_round))
        with self._lock:
            counted = (self._tag(student), kind, entry.beat_round)
            self._admit(counted, PER_STUDENT[(kind, entry.beat_round)])
            self._entries.append(entry)
            self._added[counted] += 1
        return entry

    def add_liveness(
        self, challenges: tuple[str, ...], passed: tuple[bool, ...], student: str = ""
    ) -> LivenessEntry:
        """Add one liveness attempt for ``student``; ``ValueError`` for challenges the page
        never asks for, a ``PoolRefused`` past a limit."""
        challenges, passed = tuple(map(str, challenges)), tuple(map(bool, passed))
        if (
            not 1 <= len(challenges) <= len(CHALLENGES)
            or len(set(challenges)) != len(challenges)
            or not set(challenges) <= set(CHALLENGES)
            or len(passed) != len(challenges)
        ):
            raise ValueError(f"not a liveness attempt: {challenges!r}, {passed!r}")
        entry = LivenessEntry(challenges, passed)
        with self._lock:
            counted = (self._tag(student), LIVENESS, False)
            self._admit(counted, LIVENESS_PER_STUDENT)
            self._liveness.append(entry)
            self._added[counted] += 1
        return entry

    def add_clerk(self, entry: ClerkEntry, pairs: int, student: str = "") -> ClerkEntry:
        """Add one student's round (counts the server computed from that session's answers);
        ``ValueError`` for counts no round of ``pairs`` pairs gives, a ``PoolRefused`` past a
        limit: one entry per student for each round seed and kind of round."""
        if not isinstance(entry, ClerkEntry) or not entry.well_formed(pairs):
            raise ValueError(f"not a round of {pairs} pairs: {entry!r}")
        with self._lock:
            counted = (self._tag(student), f"{CLERK}-{entry.round_seed}", entry.advised)
            self._admit(counted, 1)
            self._clerk.append(entry)
            self._added[counted] += 1
        return entry

    def clerk_entries(self) -> tuple[ClerkEntry, ...]:
        with self._lock:
            return tuple(self._clerk)

    def liveness_entries(self) -> tuple[LivenessEntry, ...]:
        with self._lock:
            return tuple(self._liveness)

    def allowance(self, student: str, kind: str, beat_round: bool) -> int:
        """How many more entries of this kind ``student`` may add (``kind``: a kind of trial,
        :data:`LIVENESS`, or ``clerk-<round seed>`` with ``beat_round`` saying advised)."""
        if kind == LIVENESS:
            limit = LIVENESS_PER_STUDENT
        elif kind.startswith(f"{CLERK}-"):
            limit = 1
        else:
            limit = PER_STUDENT[(kind, bool(beat_round))]
        with self._lock:
            taken = self._added[(self._tag(student), kind, bool(beat_round))]
        return max(limit - taken, 0)

    def entries(self) -> tuple[PoolEntry, ...]:
        with self._lock:
            return tuple(self._entries)

    def remove_last(self, count: int) -> int:
        """Remove the ``count`` most recent entries (a student's prank); return how many went.
        Their students' allowances stay used."""
        with self._lock:
            removed = min(max(int(count), 0), len(self._entries))
            del self._entries[len(self._entries) - removed :]
        return removed

    def clear(self) -> None:
        """Empty the pool and give every student their full allowance again."""
        with self._lock:
            self._entries.clear()
            self._liveness.clear()
            self._clerk.clear()
            self._added.clear()
            self._recent.clear()
            self._hash_key = secrets.token_bytes(16)

    def _admit(self, counted: tuple[str, str, bool], limit: int) -> None:
        """Raise the ``PoolRefused`` that stops one more addition, if any, and note the time
        of this one (call with the lock held)."""
        now = self._clock()
        while self._recent and now - self._recent[0] >= 60:
            self._recent.popleft()
        if len(self._entries) + len(self._liveness) + len(self._clerk) >= MAX_ENTRIES:
            raise PoolFull
        if self._added[counted] >= limit:
            raise StudentLimit
        if len(self._recent) >= ADDITIONS_PER_MINUTE:
            raise PoolBusy
        self._recent.append(now)

    def _tag(self, student: str) -> str:
        return hmac.new(self._hash_key, student.encode(), hashlib.sha256).hexdigest()[:16]


POOL = ClassPool()
"""The server's one pool."""


def distances_of(entries: tuple[PoolEntry, ...], kind: str) -> np.ndarray:
    """The distances of ``kind``, smallest first: no chart, table or download made from them
    shows which was added when (and so by whom)."""
    return np.sort(
        np.array([entry.distance for entry in entries if entry.kind == kind], dtype=np.float64)
    )


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


@dataclass(frozen=True)
class ClassRates:
    """The class's FMR (neighbour's-photo checks accepted) and FNMR (own-photo checks rejected)
    at one threshold; a kind nobody added is 0 of 0."""

    fmr: Rate
    fnmr: Rate


def class_rates(genuine: np.ndarray, impostor: np.ndarray, threshold: float) -> ClassRates:
    """The class's two error rates at ``threshold``, counted by the page's match rule, from the
    own-photo (``genuine``) and neighbour's-photo (``impostor``) distances in the pool."""
    return ClassRates(
        fmr=Rate(int(accepted(impostor, threshold).sum()), len(impostor)),
        fnmr=Rate(int((~accepted(genuine, threshold)).sum()), len(genuine)),
    )


def class_bpcer(entries: tuple[LivenessEntry, ...]) -> Rate:
    """The class's BPCER: live students' attempts rejected, out of those added (one per
    student, so Wilson's interval is the right one)."""
    return Rate(sum(not e.accepted for e in entries), len(entries), people=len(entries))
