"""The lesson the teacher paces: its stages in order, and where the class is now.

One :class:`LessonPace` per server, in memory, like the class pool: the stage the teacher has
moved the class to (None until the teacher starts a paced lesson), and the round of "be the
clerk" pairs the class judges. Students' pages read it every few seconds and follow.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from verifydemo.core.i18n import N_


@dataclass(frozen=True)
class Stage:
    """One stage: its name, its title (people see ``_(title)``), the page's steps it shows
    and the teaching tab it opens (None: leave the tabs as they are)."""

    name: str
    title: str
    steps: tuple[str, ...]
    tab: str | None = None


STAGES = (
    Stage("clerk", N_("Be the clerk"), ("clerk",)),
    Stage("machine", N_("The machine on the same pairs"), ("clerk",)),
    Stage("own_face", N_("Your own face"), ("id", "live", "check")),
    Stage("threshold", N_("The threshold"), ("verdict",), "class"),
    Stage("liveness", N_("Liveness and attacks"), ("liveness", "verdict"), "attack"),
    Stage("scale", N_("A billion registrations"), ("verdict",), "scale"),
)
FIRST_CLERK_ROUND = 1


class LessonPace:
    """The class's stage and clerk round, set by the teacher and read by every page run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stage: int | None = None
        self._clerk_round = FIRST_CLERK_ROUND

    @property
    def stage(self) -> int | None:
        """The index in :data:`STAGES` the class is at, or None: no paced lesson running."""
        with self._lock:
            return self._stage

    @property
    def clerk_round(self) -> int:
        with self._lock:
            return self._clerk_round

    def move_to(self, stage: int | None) -> int | None:
        """Move the class to ``stage`` (kept within the stages), or end the paced lesson with
        None; returns the stage now in force."""
        with self._lock:
            self._stage = None if stage is None else min(max(int(stage), 0), len(STAGES) - 1)
            return self._stage

    def new_clerk_round(self) -> int:
        """Draw new pairs for the whole class: the next round's seed."""
        with self._lock:
            self._clerk_round += 1
            return self._clerk_round


PACE = LessonPace()
"""The server's one lesson."""
