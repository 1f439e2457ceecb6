"""The perturbation lab: named degradations with a strength, and distance against strength."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from verifydemo.core.compare import distance
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import FaceBox, find_face
from verifydemo.core.i18n import N_, Message
from verifydemo.lessons import perturb

LAB_SEED = 2019


@dataclass(frozen=True)
class Degradation:
    """A degradation the lab can apply, with the range its strength slider covers. ``name`` is
    also its id (in widget keys); people see ``_(name)``, ``_(strength_label)`` and
    ``_(lesson)``."""

    name: str
    strength_label: str
    minimum: float
    maximum: float
    default: float
    step: float
    apply: Callable[[np.ndarray, FaceBox, float], np.ndarray]
    lesson: str

    def strengths(self, count: int = 9) -> np.ndarray:
        """Evenly spaced strengths from no effect to the strongest, for the curve."""
        return np.linspace(self.minimum, self.maximum, count)


DEGRADATIONS = (
    Degradation(
        N_("Low light"),
        N_("darkness (0 = studio light, 1 = a tenth of it, with sensor noise)"),
        0.0,
        1.0,
        0.8,
        0.05,
        lambda rgb, face, strength: perturb.low_light(rgb, strength, LAB_SEED),
        N_("Dark frames lose contrast and gain noise: the face may not be found at all."),
    ),
    Degradation(
        N_("Blur"),
        N_("blur: sigma in pixels (how far each pixel is smeared into its neighbours)"),
        0.0,
        12.0,
        5.0,
        0.5,
        lambda rgb, face, strength: perturb.blur(rgb, strength),
        N_("Out of focus, fine detail goes first; the model leans on what is left."),
    ),
    Degradation(
        N_("JPEG quality"),
        N_("JPEG quality (100 = best, 2 = worst)"),
        2.0,
        100.0,
        8.0,
        1.0,
        lambda rgb, face, strength: perturb.jpeg(rgb, round(strength)),
        N_("Heavy compression draws blocks over the face."),
    ),
    Degradation(
        N_("Resolution"),
        N_("width in pixels (102 = the ID card chip's photo)"),
        24.0,
        600.0,
        102.0,
        2.0,
        lambda rgb, face, strength: perturb.resolution(rgb, round(strength)),
        N_(
            "The ID card chip stores a 102 x 126 pixel photo (open-source ID-card reader code); a "
            "Chinese patent (CN105956578B) names that small size as a cause of mistaken decisions."
        ),
    ),
    Degradation(
        N_("Face mask"),
        N_("how high the mask reaches (1 = up to the eyes)"),
        0.0,
        1.0,
        0.7,
        0.05,
        lambda rgb, face, strength: perturb.mask_over_mouth(rgb, face, strength),
        N_("A mask hides the mouth and nose, half of what the model compares."),
    ),
    Degradation(
        N_("Dark glasses"),
        N_("opacity of the glasses (1 = black)"),
        0.0,
        1.0,
        0.9,
        0.05,
        lambda rgb, face, strength: perturb.dark_glasses(rgb, face, strength),
        N_("The eyes carry much of a face's identity."),
    ),
    Degradation(
        N_("Head tilt"),
        N_("rotation in degrees"),
        -90.0,
        90.0,
        40.0,
        5.0,
        lambda rgb, face, strength: perturb.rotate(rgb, strength),
        N_(
            "The face detector (dlib's HOG detector, which looks for the pattern of light-to-dark "
            "edges of an upright face) finds no face once the head is tilted far enough."
        ),
    ),
    Degradation(
        N_("Mirror"),
        N_("flip (0 = off, 1 = on)"),
        0.0,
        1.0,
        1.0,
        1.0,
        lambda rgb, face, strength: perturb.mirror(rgb) if strength >= 0.5 else rgb.copy(),
        N_("Faces are nearly symmetric, so a selfie camera's mirror image barely matters."),
    ),
)


def degradation(name: str) -> Degradation:
    for candidate in DEGRADATIONS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no degradation named {name!r}")


@dataclass(frozen=True)
class LabResult:
    """One degraded photo and its distance to the other side's embedding (None: no face found,
    and ``reason`` says why)."""

    strength: float
    image: np.ndarray
    distance: float | None
    reason: Message | None


def degrade_and_compare(
    rgb: np.ndarray,
    face: FaceBox,
    chosen: Degradation,
    strength: float,
    other_embedding: np.ndarray,
) -> LabResult:
    """Apply ``chosen`` at ``strength`` and compare the degraded face with ``other_embedding``."""
    image = chosen.apply(rgb, face, float(strength))
    try:
        embedding = find_face(image).embedding
    except UnusableInput as error:
        return LabResult(float(strength), image, None, error.message)
    return LabResult(float(strength), image, distance(embedding, other_embedding), None)


def distance_curve(
    rgb: np.ndarray,
    face: FaceBox,
    chosen: Degradation,
    other_embedding: np.ndarray,
    strengths: Sequence[float],
    on_progress: Callable[[int, int], None] | None = None,
) -> list[tuple[float, float | None]]:
    """``(strength, distance)`` for each strength; distance None where no face was found."""
    curve = []
    for done, strength in enumerate(strengths, start=1):
        result = degrade_and_compare(rgb, face, chosen, strength, other_embedding)
        curve.append((result.strength, result.distance))
        if on_progress:
            on_progress(done, len(strengths))
    return curve
