"""A corpus of malformed and hostile image files, built from a real demo face at test time."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from support import image_bytes


@dataclass(frozen=True)
class HostileFile:
    """A file to upload; ``expect`` is part of the one-line message, or None if it must work."""

    name: str
    data: bytes
    expect: str | None


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_claiming(width: int, height: int, rows: bytes = b"") -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows, 9))
        + _png_chunk(b"IEND", b"")
    )


def _jpeg_claiming(width: int, height: int) -> bytes:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + sof + b"\xff\xd9"


def hostile_files(face_photo: Path) -> list[HostileFile]:
    face = Image.open(face_photo).convert("RGB")
    jpeg = image_bytes(face, "JPEG", quality=90)
    png = image_bytes(face, "PNG")
    bad_crc = bytearray(png)
    bad_crc[29] ^= 0xFF
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "green", "blue")]
    gif = io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    grey16 = Image.fromarray(np.asarray(face.convert("L"), dtype=np.uint16) * 257)
    exif = Image.Exif()
    exif[0x0112] = 1234
    zip_buffer = io.BytesIO()
    with zipfile.ZipFile(zip_buffer, "w") as archive:
        archive.writestr("face.jpg", jpeg)
    bmp_header = (
        b"BM"
        + struct.pack("<IHHI", 70, 0, 0, 54)
        + struct.pack("<IiiHHIIiiII", 40, 50000, 50000, 1, 24, 0, 0, 0, 0, 0, 0)
    )
    return [
        HostileFile("empty.jpg", b"", "empty"),
        HostileFile("random.jpg", np.random.default_rng(0).bytes(20_000), "not an image"),
        HostileFile("truncated.jpg", jpeg[: len(jpeg) // 3], "damaged"),
        HostileFile("bad-crc.png", bytes(bad_crc), "damaged"),
        HostileFile("bomb.png", _png_claiming(20_000, 20_000, bytes(20_001) * 64), "megapixels"),
        HostileFile("one-pixel.png", image_bytes(Image.new("RGB", (1, 1)), "PNG"), "1 x 1 pixels"),
        HostileFile("claims-20000.jpg", _jpeg_claiming(20_000, 20_000), "megapixels"),
        HostileFile("animated.gif", gif.getvalue(), "GIF"),
        HostileFile(
            "heic.jpg",
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64),
            "not an image",
        ),
        HostileFile(
            "drawing.jpg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="9"/></svg>',
            "not an image",
        ),
        HostileFile(
            "document.jpg", b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", "not an image"
        ),
        HostileFile("grey16.png", image_bytes(grey16, "PNG"), None),
        HostileFile("cmyk.jpg", image_bytes(face.convert("CMYK"), "JPEG"), None),
        HostileFile("bogus-orientation.jpg", image_bytes(face, "JPEG", exif=exif.tobytes()), None),
        HostileFile('<img src=x onerror="alert(1)">.jpg', jpeg, None),
        HostileFile("![x](http://127.0.0.2/t.png).jpg", jpeg, None),
        HostileFile("notes.jpg", b"just some text, not a photo\n" * 20, "not an image"),
        HostileFile("zero-width.png", _png_claiming(0, 10), "damaged"),
        HostileFile("scan.tif", image_bytes(face, "TIFF"), "TIFF images are not supported"),
        HostileFile(
            "icon.jpg", image_bytes(face.resize((64, 64)), "ICO"), "ICO images are not supported"
        ),
        HostileFile("soi-only.jpg", b"\xff\xd8", "not an image"),
        HostileFile("signature-only.png", b"\x89PNG\r\n\x1a\n", "damaged"),
        HostileFile("huge.bmp", bmp_header, "megapixels"),
        HostileFile(
            "wall.jpg",
            image_bytes(Image.new("RGB", (640, 480), (128, 120, 110)), "JPEG"),
            "No face found",
        ),
        HostileFile("tiny.png", image_bytes(face.resize((10, 10)), "PNG"), "10 x 10 pixels"),
        HostileFile("archive.jpg", zip_buffer.getvalue(), "not an image"),
        HostileFile("truncated.webp", image_bytes(face, "WEBP")[:400], "damaged"),
        HostileFile("sliver.png", image_bytes(face.resize((4000, 16)), "PNG"), "No face found"),
        HostileFile("small-face.jpg", image_bytes(face.resize((60, 60)), "JPEG"), "pixels wide"),
    ]
