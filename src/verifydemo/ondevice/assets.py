"""Everything the browser's on-device check downloads, built in memory: the vendored runtime and
detector (read from the package), dlib's face network as float16 ONNX and its 5-point landmark
model, both converted from face_recognition_models' own files at run time (never written to
disk), the pipeline module and its settings. Each is served under a name that carries its
checksum, so a browser may keep it for good."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from verifydemo.ondevice import box_map
from verifydemo.ondevice.network import mean_rgb, network_onnx
from verifydemo.ondevice.shape_model import packed_model
from verifydemo.ondevice.vendored import manifest, versioned_name

STATIC = Path(__file__).with_name("static")
PIPELINE = "pipeline.mjs"
CONFIG = "config.json"
CHIP_SIZE, CHIP_PADDING = 150, 0.25
CONTENT_TYPES = {
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".onnx": "application/octet-stream",
    ".bin": "application/octet-stream",
}
_COMPRESSIBLE = (".mjs", ".json", ".wasm", ".onnx", ".bin")


@dataclass(frozen=True)
class Asset:
    """One file the browser downloads, held gzipped when that is smaller (every browser takes
    gzip; the plain bytes are unpacked for a client that does not)."""

    name: str  # the name in the URL
    stored: bytes  # gzipped if ``gzipped``, else the file itself
    gzipped: bool
    content_type: str
    immutable: bool  # its name carries its checksum
    etag: str  # of the file itself

    @property
    def data(self) -> bytes:
        """The file itself."""
        return gzip.decompress(self.stored) if self.gzipped else self.stored


def _asset(name: str, data: bytes, immutable: bool) -> Asset:
    suffix = Path(name).suffix
    packed = gzip.compress(data, compresslevel=6, mtime=0) if suffix in _COMPRESSIBLE else data
    gzipped = len(packed) < len(data)
    return Asset(
        name=name,
        stored=packed if gzipped else data,
        gzipped=gzipped,
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
        immutable=immutable,
        etag=f'"{hashlib.sha256(data).hexdigest()[:32]}"',
    )


def _versioned(logical: str, data: bytes) -> str:
    return f"{hashlib.sha256(data).hexdigest()[:12]}-{logical}"


def settings() -> dict:
    """What the pipeline needs besides its files."""
    return {
        "mean_rgb": [float(value) for value in mean_rgb()],
        "box_map": {side: list(mix) for side, mix in box_map.BOX_MAP.items()},
        "chip_size": CHIP_SIZE,
        "chip_padding": CHIP_PADDING,
        "detector_size": box_map.DETECTOR_SIZE,
        "detector_score": box_map.DETECTOR_SCORE,
        "detector_nms": box_map.DETECTOR_NMS,
    }


def build_assets() -> dict[str, Asset]:
    """Every asset by its URL name: the versioned files, ``config.json`` (which names them) and
    ``pipeline.mjs``. Takes several seconds (the conversions and the compression)."""
    assets: dict[str, Asset] = {}
    files: dict[str, str] = {}
    for entry in manifest():
        if entry.licence_file:  # the runtime and the detector, not the licence texts
            name = versioned_name(entry)
            assets[name] = _asset(name, entry.path.read_bytes(), immutable=True)
            files[entry.file] = name
    for logical, data in (("network.onnx", network_onnx()), ("landmarks5.bin", packed_model())):
        name = _versioned(logical, data)
        assets[name] = _asset(name, data, immutable=True)
        files[logical] = name
    config = json.dumps({"files": files, "settings": settings()}, sort_keys=True).encode()
    assets[CONFIG] = _asset(CONFIG, config, immutable=False)
    assets[PIPELINE] = _asset(PIPELINE, (STATIC / PIPELINE).read_bytes(), immutable=False)
    return assets


_LOCK = threading.Lock()
_BUILT: dict[str, Asset] = {}


def assets() -> dict[str, Asset]:
    """:func:`build_assets`, once per process (the first caller builds, others wait)."""
    with _LOCK:
        if not _BUILT:
            _BUILT.update(build_assets())
        return _BUILT
