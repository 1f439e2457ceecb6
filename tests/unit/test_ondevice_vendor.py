"""The browser's vendored files are what the manifest says, each with its licence."""

from __future__ import annotations

from verifydemo.ondevice.vendored import VENDOR, manifest, problems


def test_every_vendored_file_matches_its_checksum_and_has_its_licence():
    assert problems() == []
    names = {entry.file for entry in manifest()}
    assert {
        "ort.wasm.bundle.min.mjs",
        "ort-wasm-simd-threaded.wasm",
        "yunet_s_640_640.onnx",
    } <= names
    for entry in manifest():
        assert entry.licence in ("MIT", "Apache-2.0")
        assert entry.source.startswith(("https://registry.npmjs.org/", "https://github.com/"))
        if entry.licence_file:
            licence = (VENDOR / entry.licence_file).read_text()
            assert ("MIT License" if entry.licence == "MIT" else "Apache License") in licence


def test_only_the_single_threaded_simd_backend_is_vendored():
    runtime = [entry for entry in manifest() if entry.name == "onnxruntime-web"]
    assert sum(entry.bytes for entry in runtime) < 16_000_000
    assert not any("jsep" in entry.file or "webgpu" in entry.file for entry in runtime)
