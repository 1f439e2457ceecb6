"""Decoding: every accepted format becomes an upright uint8 RGB array; the rest is refused."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from support import image_bytes
from verifydemo.core.decode import decode_image, encode_jpeg, ensure_rgb_uint8
from verifydemo.core.errors import UnusableInput


@pytest.fixture(scope="module")
def face_image(demo_faces) -> Image.Image:
    return Image.open(demo_faces[0].id_photo).convert("RGB")


def _assert_rgb(pixels: np.ndarray, size: tuple[int, int]) -> None:
    assert pixels.dtype == np.uint8
    assert pixels.flags["C_CONTIGUOUS"]
    assert pixels.shape == (size[1], size[0], 3)


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [
        ("JPEG", "RGB"),
        ("JPEG", "L"),
        ("JPEG", "CMYK"),
        ("PNG", "RGB"),
        ("PNG", "RGBA"),
        ("PNG", "L"),
        ("PNG", "P"),
        ("WEBP", "RGB"),
        ("BMP", "RGB"),
    ],
)
def test_each_accepted_format_decodes_to_rgb_uint8(face_image, fmt, mode):
    data = image_bytes(face_image.convert(mode), fmt)
    pixels = decode_image(data)
    _assert_rgb(pixels, face_image.size)
    reference = np.asarray(face_image.convert(mode).convert("RGB"), dtype=np.int16)
    assert np.abs(pixels.astype(np.int16) - reference).mean() < 8


def test_sixteen_bit_grey_png_is_scaled_not_clipped():
    ramp = np.tile(np.linspace(0, 65535, 64, dtype=np.uint16), (64, 1))
    pixels = decode_image(image_bytes(Image.fromarray(ramp), "PNG"))
    assert pixels[0, 0, 0] == 0 and pixels[0, -1, 0] == 255
    assert len(np.unique(pixels[0, :, 0])) > 32


def test_sixteen_bit_rgb_png_decodes():
    import cv2

    bgr16 = (np.random.default_rng(0).random((40, 50, 3)) * 65535).astype(np.uint16)
    ok, encoded = cv2.imencode(".png", bgr16)
    assert ok
    pixels = decode_image(encoded.tobytes())
    _assert_rgb(pixels, (50, 40))
    assert np.abs(pixels.astype(int) - (bgr16[..., ::-1] >> 8)).max() <= 1


def test_transparent_png_is_laid_on_white():
    rgba = np.zeros((32, 32, 4), dtype=np.uint8)
    pixels = decode_image(image_bytes(Image.fromarray(rgba, "RGBA"), "PNG"))
    assert (pixels == 255).all()


def test_exif_orientation_is_applied(face_image):
    """A phone stores a portrait photo sideways with orientation 6 (rotate 90 degrees clockwise)."""
    sideways = face_image.rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    data = image_bytes(sideways, "JPEG", exif=exif.tobytes(), quality=95)
    upright = decode_image(data)
    assert upright.shape[:2] == (face_image.height, face_image.width)
    difference = np.abs(upright.astype(int) - np.asarray(face_image, dtype=int)).mean()
    assert difference < 6


def test_bogus_exif_orientation_is_ignored(face_image):
    exif = Image.Exif()
    exif[0x0112] = 77
    pixels = decode_image(image_bytes(face_image, "JPEG", exif=exif.tobytes()))
    _assert_rgb(pixels, face_image.size)


def test_encode_jpeg_round_trips(face_image):
    pixels = np.asarray(face_image)
    assert decode_image(encode_jpeg(pixels)).shape == pixels.shape


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (np.random.default_rng(1).bytes(5000), "not an image"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "not an image"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "not an image"),
    ],
)
def test_non_images_are_refused_with_a_reason(data, reason):
    with pytest.raises(UnusableInput, match=reason):
        decode_image(data)


def test_truncated_jpeg_is_refused(face_image):
    data = image_bytes(face_image, "JPEG")
    with pytest.raises(UnusableInput, match="damaged"):
        decode_image(data[: len(data) // 2])


def test_image_over_the_pixel_limit_is_refused(face_image):
    with pytest.raises(UnusableInput, match="megapixels"):
        decode_image(image_bytes(face_image, "PNG"), max_pixels=100_000)


def test_tiny_image_is_refused():
    with pytest.raises(UnusableInput, match="1 x 1 pixels"):
        decode_image(image_bytes(Image.new("RGB", (1, 1)), "PNG"))


def test_animated_gif_is_refused():
    frames = [Image.new("RGB", (32, 32), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(UnusableInput, match="GIF"):
        decode_image(buffer.getvalue())


def test_errors_are_one_line(face_image):
    data = image_bytes(face_image, "JPEG")
    for bad in (b"", data[:300], b"GIF89a" + bytes(40)):
        with pytest.raises(UnusableInput) as caught:
            decode_image(bad)
        assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "pixels",
    [
        np.full((4, 4, 3), 0.5, dtype=np.float32),  # a [0, 1] float image would turn black
        np.full((4, 4, 3), 200.0),
        np.full((4, 4, 3), 300, dtype=np.int16),
        np.full((4, 4, 3), -1, dtype=np.int32),
    ],
)
def test_pixels_that_are_not_8_bit_are_refused_not_wrapped(pixels):
    with pytest.raises(UnusableInput, match="8-bit RGB"):
        ensure_rgb_uint8(pixels)


def test_8_bit_integers_of_another_type_are_taken_as_they_are():
    pixels = np.arange(48, dtype=np.int64).reshape(4, 4, 3)
    converted = ensure_rgb_uint8(pixels)
    assert converted.dtype == np.uint8 and converted.flags.c_contiguous
    assert (converted == pixels).all()
