"""Which library versions built the shipped data, and which of them this process runs.

The reference and morph sets are numbers computed by OpenCV, Pillow, numpy, onnx and dlib; a
new release of any of them can move an embedding (OpenCV 5.1 moved a chip-scenario one by
0.0073). ``pyproject.toml`` pins these versions and each shipped file records them, so a
mismatch is named in one line instead of showing up as a moved figure.
"""

from __future__ import annotations

from importlib import metadata

NUMERIC_PACKAGES = (
    "dlib-bin",
    "face_recognition",
    "face_recognition_models",
    "numpy",
    "onnx",
    "opencv-python-headless",
    "pillow",
)
"""The packages whose code or numerics shape the shipped embeddings."""

REBUILD = "uv run verifydemo build-reference LONDON_SET_DIR"
"""Rebuilds the reference and morph sets and prints which pinned figures moved."""


def running_versions() -> dict[str, str]:
    """This process's version of each package in ``NUMERIC_PACKAGES`` (what a build records)."""
    return {name: metadata.version(name) for name in NUMERIC_PACKAGES}


def version_drift(provenance: dict) -> list[str]:
    """One line per numeric package whose running version differs from the one a shipped file
    was built with: empty when they all agree."""
    recorded = provenance.get("versions", {})
    return [
        f"{name} moved: the shipped data was built with "
        f"{recorded.get(name, 'an unrecorded version')}, this runs {running}; "
        f"rebuild and review with `{REBUILD}`"
        for name, running in running_versions().items()
        if recorded.get(name) != running
    ]
