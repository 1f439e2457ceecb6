"""The browser's third-party files, vendored by ``scripts/vendor_browser.py`` under
``ondevice/vendor/`` with their licences, and the manifest that records each file's origin and
checksum."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

VENDOR = Path(__file__).with_name("vendor")
MANIFEST = VENDOR / "manifest.json"


@dataclass(frozen=True)
class VendoredFile:
    """One manifest entry."""

    file: str
    bytes: int
    sha256: str
    name: str
    version: str
    source: str
    licence: str
    licence_file: str  # "" for a licence text itself

    @property
    def path(self) -> Path:
        return VENDOR / self.file


@functools.cache
def manifest() -> tuple[VendoredFile, ...]:
    """Every vendored file, as the manifest lists it."""
    return tuple(VendoredFile(**entry) for entry in json.loads(MANIFEST.read_text())["files"])


def problems() -> list[str]:
    """What is wrong with the vendored files: a checksum or size that differs from the
    manifest, a file missing or unlisted, a file without its licence beside it."""
    found = []
    listed = {entry.file for entry in manifest()}
    for entry in manifest():
        if not entry.path.is_file():
            found.append(f"{entry.file} is missing")
            continue
        data = entry.path.read_bytes()
        if len(data) != entry.bytes or hashlib.sha256(data).hexdigest() != entry.sha256:
            found.append(f"{entry.file} differs from the manifest")
        if entry.licence_file and entry.licence_file not in listed:
            found.append(f"{entry.file}'s licence {entry.licence_file} is not vendored")
        if not entry.licence:
            found.append(f"{entry.file} names no licence")
    unlisted = {path.name for path in VENDOR.iterdir()} - listed - {MANIFEST.name}
    found += [f"{name} is not in the manifest" for name in sorted(unlisted)]
    return found


def versioned_name(entry: VendoredFile) -> str:
    """The file's name in its URL: its checksum's first 12 digits in front, so a new version
    is a new address and the old one can be cached for good."""
    return f"{entry.sha256[:12]}-{entry.file}"
