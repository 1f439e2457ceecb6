"""Fetch the files the on-device check runs in the browser, pinned, into
``src/verifydemo/ondevice/vendor/`` with their licences and a manifest of checksums.

    uv run --no-sync python scripts/vendor_browser.py --yunet-repo PATH

- onnxruntime-web (MIT) from the npm registry, at ``ORT_VERSION``: the tarball's integrity is
  checked against the registry's, then only the WebAssembly backend's two files are kept
  (``ort.wasm.bundle.min.mjs``, the API with its loader inlined, and
  ``ort-wasm-simd-threaded.wasm``, the SIMD build, which runs single-threaded without
  cross-origin isolation). The package ships no licence file; its ``package.json`` says MIT,
  and the text below is the upstream repository's LICENSE.
- YuNet (``yunet_s_640_640.onnx``, Apache-2.0) from a checkout of the public repository
  ShiqiYu/libfacedetection.train (``--yunet-repo``, a git directory or work tree) at
  ``YUNET_COMMIT``; its checksum is checked against ``YUNET_SHA256``.

To upgrade onnxruntime-web, change ``ORT_VERSION`` and run the script: the manifest records the
new checksums, which ``tests/unit/test_ondevice_vendor.py`` then holds the files to.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import subprocess
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "src" / "verifydemo" / "ondevice" / "vendor"
REGISTRY = "https://registry.npmjs.org"
ORT_PACKAGE, ORT_VERSION = "onnxruntime-web", "1.31.1"
ORT_FILES = ("dist/ort.wasm.bundle.min.mjs", "dist/ort-wasm-simd-threaded.wasm")
YUNET_REPOSITORY = "https://github.com/ShiqiYu/libfacedetection.train"
YUNET_COMMIT = "0047ac24afb1a50a0c6105001c89d1b5b805dbf1"
YUNET_PATH = "onnx/yunet_s_640_640.onnx"
YUNET_SHA256 = "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4"

ORT_LICENSE = """MIT License

Copyright (c) 2018 - present Microsoft Corporation

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read()


def onnxruntime_web() -> tuple[dict[str, bytes], str]:
    """The backend's files from the registry's tarball, and the tarball's URL."""
    meta = json.loads(download(f"{REGISTRY}/{ORT_PACKAGE}/{ORT_VERSION}"))
    tarball_url, integrity = meta["dist"]["tarball"], meta["dist"]["integrity"]
    tarball = download(tarball_url)
    algorithm, digest = integrity.split("-", 1)
    if algorithm != "sha512" or hashlib.sha512(tarball).digest() != base64.b64decode(digest):
        raise SystemExit(f"{tarball_url} does not match the registry's integrity {integrity}")
    if meta.get("license") != "MIT":
        raise SystemExit(f"{ORT_PACKAGE} {ORT_VERSION} is no longer MIT: {meta.get('license')}")
    files = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for name in ORT_FILES:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise SystemExit(f"{name} is missing from {tarball_url}")
            files[Path(name).name] = member.read()
    return files, tarball_url


def yunet(repository: Path) -> tuple[bytes, bytes]:
    """The detector and the repository's LICENSE at the pinned commit."""

    def show(path: str) -> bytes:
        return subprocess.run(
            ["git", "-C", str(repository), "show", f"{YUNET_COMMIT}:{path}"],
            check=True,
            capture_output=True,
        ).stdout

    model = show(YUNET_PATH)
    if sha256(model) != YUNET_SHA256:
        raise SystemExit(f"{YUNET_PATH} at {YUNET_COMMIT} has an unexpected checksum")
    return model, show("LICENSE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--yunet-repo", type=Path, required=True, help="a clone of the detector's repository"
    )
    args = parser.parse_args()
    ort_files, tarball_url = onnxruntime_web()
    model, model_licence = yunet(args.yunet_repo)
    VENDOR.mkdir(parents=True, exist_ok=True)
    entries = []

    def write(file_name: str, data: bytes, **details: str) -> None:
        (VENDOR / file_name).write_bytes(data)
        entries.append({"file": file_name, "bytes": len(data), "sha256": sha256(data), **details})

    ort = {
        "name": ORT_PACKAGE,
        "version": ORT_VERSION,
        "source": tarball_url,
        "licence": "MIT",
        "licence_file": "LICENSE.onnxruntime-web.txt",
    }
    write(ort["licence_file"], ORT_LICENSE.encode(), **{**ort, "licence_file": ""})
    for name, data in ort_files.items():
        write(name, data, **ort)
    detector = {
        "name": "libfacedetection.train (YuNet)",
        "version": YUNET_COMMIT,
        "source": f"{YUNET_REPOSITORY}/blob/{YUNET_COMMIT}/{YUNET_PATH}",
        "licence": "Apache-2.0",
        "licence_file": "LICENSE.yunet.txt",
    }
    write(detector["licence_file"], model_licence, **{**detector, "licence_file": ""})
    write(Path(YUNET_PATH).name, model, **detector)
    manifest = {"files": sorted(entries, key=lambda entry: entry["file"])}
    (VENDOR / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    for entry in manifest["files"]:
        print(f"{entry['file']}: {entry['bytes']} bytes, {entry['name']} {entry['version']}")


if __name__ == "__main__":
    main()
