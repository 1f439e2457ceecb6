"""Read the Face Research Lab London Set as published: photos plus self-reported metadata.

Only the build commands use this; the app and the tests read the derived files the project ships.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

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
    "white": "White",
    "black": "Black",
    "east_asian": "East Asian",
    "west_asian": "West Asian",
}
GENDER_WORDS = {"female": "women", "male": "men"}


def group_label(group: str) -> str:
    """``"male / east_asian"`` as people say it: ``"East Asian men"``."""
    gender, _, ethnicity = group.partition(" / ")
    words = "/".join(ETHNICITY_WORDS.get(part, part) for part in ethnicity.split("/"))
    return f"{words} {GENDER_WORDS.get(gender, gender)}"


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
