"""Read the Face Research Lab London Set as published: photos plus self-reported metadata.

Only the build commands use this; the app and the tests read the derived files the project ships.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from verifydemo.core.i18n import N_, _

ATTRIBUTION = (
    "DeBruine, L., & Jones, B. (2017). Face Research Lab London Set (Version 5). "
    "figshare. https://doi.org/10.6084/m9.figshare.5047666.v5"
)
LICENCE = "CC BY 4.0"


@dataclass(frozen=True)
class Person:
    """One consented adult of the set, with the labels they reported themselves."""

    person_id: str
    age: int | None
    gender: str
    ethnicity: str

    @property
    def label(self) -> str:
        return f"London Set #{self.person_id}"

    @property
    def group(self) -> str:
        return f"{self.gender} / {self.ethnicity}"


ETHNICITY_WORDS = {
    "white": N_("White"),
    "black": N_("Black"),
    "east_asian": N_("East Asian"),
    "west_asian": N_("West Asian"),
}
GENDER_WORDS = {"female": N_("{ethnicity} women"), "male": N_("{ethnicity} men")}
"""Each gender's label as a whole phrase around the ethnicity: word order differs by language."""


def group_label(group: str) -> str:
    """``"male / east_asian"`` as people say it, in the current language: ``"East Asian men"``."""
    gender, _separator, ethnicity = group.partition(" / ")
    words = "/".join(_(ETHNICITY_WORDS.get(part, part)) for part in ethnicity.split("/"))
    if gender not in GENDER_WORDS:
        return f"{words} {gender}"
    return _(GENDER_WORDS[gender], ethnicity=words)


def read_people(london_dir: Path) -> list[Person]:
    """Every person in ``london_info.csv``, in id order."""
    with open(Path(london_dir) / "london_info.csv", newline="") as handle:
        people = [
            Person(
                person_id=row["face_id"].zfill(3),
                age=parse_age(row["face_age"]),
                gender=row["face_gender"],
                ethnicity=row["face_eth"],
            )
            for row in csv.DictReader(handle)
        ]
    return sorted(people, key=lambda person: person.person_id)


def neutral_photo(london_dir: Path, person: Person) -> Path:
    """The neutral front photo: what the demo treats as the ID-card photo."""
    return Path(london_dir) / "neutral_front" / f"{person.person_id}_03.jpg"


def smiling_photo(london_dir: Path, person: Person) -> Path:
    """The smiling front photo of the same session: what the demo treats as the live photo."""
    return Path(london_dir) / "smiling_front" / f"{person.person_id}_08.jpg"


def parse_age(text: str) -> int | None:
    """Self-reported age, or None where the set says NA."""
    return int(text) if text.strip().isdigit() else None
