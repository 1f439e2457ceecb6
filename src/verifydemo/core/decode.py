"""Turn uploaded bytes into the C-contiguous uint8 RGB array that dlib insists on."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from verifydemo.core.errors import UnusableInput

ACCEPTED_FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "BMP")
MAX_PIXELS = 40_000_000
"""Refuse anything larger: a 40-megapixel phone photo fits, a decompression bomb does not."""

MIN_SIDE = 16

SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF", b"BM")
"""How JPEG, PNG, WebP and BMP files begin: a file that starts so but won't open is damaged."""


def decode_image(
    data: bytes, max_pixels: int = MAX_PIXELS, max_side: int | None = None
) -> np.ndarray:
    """Decode JPEG, PNG, WebP or BMP bytes into an upright ``(height, width, 3)`` uint8 array.

    EXIF orientation is applied, transparency is laid on white, 16-bit grey is scaled
    to 8 bits. The size is read from the header and checked against ``max_pixels`` before
    any pixel is decoded. With ``max_side``, the picture is scaled down to at most that many
    pixels on its longer side as it is decoded (a JPEG at 1/2, 1/4 or 1/8 scale, cheaply).
    Raises :class:`UnusableInput` with a one-line reason for anything else.
    """
    if not data:
        raise UnusableInput("The file is empty.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise UnusableInput(
                    "{format} images are not supported; use a JPEG, PNG, WebP or BMP photo.",
                    format=image.format,
                )
            if getattr(image, "n_frames", 1) > 1 and image.format != "MPO":
                raise UnusableInput("Animated images are not supported; use a single photo.")
            width, height = image.size
            if width * height > max_pixels:
                raise UnusableInput(
                    "The image is {width} x {height} pixels, over the limit of "
                    "{megapixels:.0f} megapixels; use a smaller photo.",
                    width=width,
                    height=height,
                    megapixels=max_pixels / 1e6,
                )
            if max_side is not None and max(width, height) > max_side:
                scale = max_side / max(width, height)
                image.draft(None, (round(width * scale), round(height * scale)))
            image.load()
            if max_side is not None:
                image.thumbnail((max_side, max_side))
            image = _upright(image)
            rgb = _to_rgb(image)
    except UnusableInput:
        raise
    except UnidentifiedImageError:
        if data.startswith(SIGNATURES):
            raise UnusableInput("The image is damaged and cannot be decoded.") from None
        raise UnusableInput(
            "This is not an image we can read; use a JPEG, PNG, WebP or BMP photo."
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnusableInput(
            "The image claims to be far over the limit of {megapixels:.0f} megapixels; "
            "use a smaller photo.",
            megapixels=max_pixels / 1e6,
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as error:
        raise UnusableInput(
            "The image is damaged and cannot be decoded ({error}).", error=error
        ) from None
    if min(rgb.shape[:2]) < MIN_SIDE:
        raise UnusableInput(
            "The image is only {width} x {height} pixels; a face needs more.",
            width=rgb.shape[1],
            height=rgb.shape[0],
        )
    return rgb


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation phones write instead of rotating pixels; ignore bogus tags."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        return image


def _to_rgb(image: Image.Image) -> np.ndarray:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        grey = np.asarray(image, dtype=np.uint32)
        shift = 8 if image.mode.startswith("I;16") or grey.max(initial=0) > 255 else 0
        grey8 = (grey >> shift).clip(0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.stack([grey8] * 3, axis=-1))
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = background
    return ensure_rgb_uint8(np.asarray(image.convert("RGB")))


def ensure_rgb_uint8(pixels: np.ndarray) -> np.ndarray:
    """``pixels`` as the C-contiguous uint8 RGB array dlib accepts, copied only if needed.

    Integers from 0 to 255 are taken as they are; floats, or integers outside that range, raise
    ``UnusableInput``: casting them would wrap or truncate (a float image in [0, 1] would turn
    black), and whether a float means [0, 1] or [0, 255] cannot be told from its values."""
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise UnusableInput(
            "Expected an RGB image, got an array of shape {shape}.", shape=pixels.shape
        )
    if pixels.dtype != np.uint8 and (
        not np.issubdtype(pixels.dtype, np.integer)
        or (pixels.size and (pixels.min() < 0 or pixels.max() > 255))
    ):
        raise UnusableInput(
            "Expected 8-bit RGB pixels (0 to 255), got {dtype} values.", dtype=pixels.dtype
        )
    return np.ascontiguousarray(pixels, dtype=np.uint8)


def encode_jpeg(rgb: np.ndarray, quality: int = 90) -> bytes:
    """Encode an RGB array as JPEG bytes, in memory."""
    buffer = io.BytesIO()
    Image.fromarray(ensure_rgb_uint8(rgb)).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
