"""The demo faces shipped in ``demo_faces/``: a downscaled, mixed selection of the London Set."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from verifydemo.datasets.london_set import (
    ATTRIBUTION,
    LICENCE,
    Person,
    neutral_photo,
    parse_age,
    read_people,
    smiling_photo,
)


def _shipped_folder() -> Path:
    """``demo_faces/``: packed beside this module in a wheel, at the top of a checkout."""
    here = Path(__file__).resolve().parent
    in_wheel = here / "demo_faces"
    return in_wheel if in_wheel.is_dir() else here.parents[2] / "demo_faces"


DEMO_FACES_DIR = _shipped_folder()
MAX_SIDE = 600

PEOPLE_PER_GROUP = {
    "female / white": 4,
    "male / white": 4,
    "male / black": 4,
    "female / black": 3,
    "female / west_asian": 2,
    "male / west_asian": 2,
    "male / east_asian": 3,
    "female / east_asian": 2,
}
"""How many people of each self-reported group the demo set takes (the first by id)."""


@dataclass(frozen=True)
class DemoFace:
    """A demo person: the neutral photo plays the ID card, the smiling one the camera."""

    person: Person
    id_photo: Path
    live_photo: Path

    @property
    def label(self) -> str:
        return self.person.label


def load_demo_faces(directory: Path = DEMO_FACES_DIR) -> list[DemoFace]:
    """The demo people listed in ``people.csv``, in id order."""
    with open(directory / "people.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        DemoFace(
            person=Person(
                person_id=row["person_id"],
                age=parse_age(row["age"]),
                gender=row["gender"],
                ethnicity=row["ethnicity"],
            ),
            id_photo=directory / row["id_photo"],
            live_photo=directory / row["live_photo"],
        )
        for row in rows
    ]


def choose_people(people: list[Person]) -> list[Person]:
    """The first people by id of each group in ``PEOPLE_PER_GROUP``."""
    chosen = []
    for group, count in PEOPLE_PER_GROUP.items():
        chosen += [person for person in people if person.group == group][:count]
    return sorted(chosen, key=lambda person: person.person_id)


def build_demo_faces(london_dir: Path, out_dir: Path = DEMO_FACES_DIR) -> list[Person]:
    """Write the downscaled demo photos, ``people.csv`` and the attribution README."""
    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = choose_people(read_people(london_dir))
    rows = []
    for person in chosen:
        names = {
            "id_photo": f"{person.person_id}_id.jpg",
            "live_photo": f"{person.person_id}_live.jpg",
        }
        for source, name in (
            (neutral_photo(london_dir, person), names["id_photo"]),
            (smiling_photo(london_dir, person), names["live_photo"]),
        ):
            (out_dir / name).write_bytes(downscaled_jpeg(source))
        rows.append(
            {
                "person_id": person.person_id,
                "age": "" if person.age is None else person.age,
                "gender": person.gender,
                "ethnicity": person.ethnicity,
                **names,
            }
        )
    with open(out_dir / "people.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (out_dir / "README.md").write_text(_readme(len(chosen)))
    return chosen


def downscaled_jpeg(source: Path) -> bytes:
    """A published photo at the demo size, as the JPEG bytes both demo and reference use."""
    with Image.open(source) as image:
        image = image.convert("RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def _readme(count: int) -> str:
    return f"""# Demo faces

{count} consented adults from the Face Research Lab London Set, downscaled to at most
{MAX_SIDE} px. For each person, `NNN_id.jpg` is the neutral front photo (the demo's "ID
photo") and `NNN_live.jpg` the smiling front photo from the same session (the demo's
"live photo"). `people.csv` gives each person's self-reported age, gender and ethnicity.

All individuals gave signed consent for their images to be "used in lab-based and
web-based studies in their original or altered forms and to illustrate research (e.g.,
in scientific journals, news media or presentations)."

Licence: {LICENCE} (https://creativecommons.org/licenses/by/4.0/). Changes: downscaled
and re-encoded as JPEG. Attribution:

> {ATTRIBUTION}

Rebuild from the published originals with `uv run verifydemo build-demo-faces LONDON_SET_DIR`.
These people are volunteers in a research photo set. They are not suspects, and no
demonstration may present them as such.
"""
