"""verifydemo: a classroom demonstrator of 1:1 ID-to-face verification and its error rates.

The public API, for workshop notebooks as much as for the page and the CLI::

    import verifydemo

    id_face = verifydemo.find_face(verifydemo.decode_image(open("id.jpg", "rb").read()))
    live_face = verifydemo.find_face(verifydemo.decode_image(open("live.jpg", "rb").read()))
    verifydemo.compare(id_face.embedding, live_face.embedding).is_match

Importing it loads no Streamlit and no page code; each name loads its module when first used
(so ``verifydemo``'s commands start at once), and the dlib models load on the first face.
"""

from __future__ import annotations

import importlib

PUBLIC: dict[str, tuple[str, ...]] = {
    "verifydemo.core.compare": (
        "DEFAULT_THRESHOLD",
        "Comparison",
        "accepted",
        "compare",
        "distance",
        "distances",
    ),
    "verifydemo.core.decode": ("decode_image",),
    "verifydemo.core.errors": ("UnusableInput",),
    "verifydemo.core.faces": ("FaceBox", "FaceResult", "face_from_bytes", "find_face"),
    "verifydemo.datasets.demo_faces": ("DemoFace", "load_demo_faces"),
    "verifydemo.datasets.reference": ("ReferenceSet", "load_reference"),
    "verifydemo.metrics.error_rates": (
        "DetCurve",
        "EqualErrorRate",
        "ErrorRates",
        "Rate",
        "ScoreSet",
        "det_curve",
        "equal_error_rate",
        "error_rates",
        "threshold_for_fmr",
        "wilson_interval",
    ),
    "verifydemo.metrics.pairs": ("PairScores",),
}
"""The public API: each module and the names it gives."""

_HOME = {name: module for module, names in PUBLIC.items() for name in names}
__all__ = sorted(_HOME, key=lambda name: (name[0].islower(), name))


def __getattr__(name: str) -> object:
    """A public name, imported from its module the first time it is asked for."""
    if name not in _HOME:
        raise AttributeError(f"module 'verifydemo' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
