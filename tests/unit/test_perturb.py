"""Each degradation changes the pixels as specified, deterministically, on a real demo photo."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from verifydemo.core.compare import DEFAULT_THRESHOLD, compare
from verifydemo.core.decode import decode_image
from verifydemo.core.faces import find_face
from verifydemo.lessons import perturb
from verifydemo.lessons.lab import DEGRADATIONS


@pytest.fixture(scope="module")
def photo(demo_by_id) -> np.ndarray:
    return decode_image(demo_by_id["004"].live_photo.read_bytes())


@pytest.fixture(scope="module")
def face(photo):
    return find_face(photo).box


def sharpness(rgb: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var())


@pytest.mark.parametrize("chosen", DEGRADATIONS, ids=lambda d: d.name)
def test_every_degradation_is_deterministic_and_leaves_its_input_alone(photo, face, chosen):
    before = photo.copy()
    first = chosen.apply(photo, face, chosen.default)
    second = chosen.apply(photo, face, chosen.default)
    assert np.array_equal(first, second)
    assert np.array_equal(photo, before)
    assert first.dtype == np.uint8 and first.flags["C_CONTIGUOUS"] and first.shape[2] == 3
    assert not np.array_equal(first, photo) or first.shape != photo.shape


def test_low_light_scales_brightness_and_adds_seeded_noise(photo):
    dark = perturb.low_light(photo, 1.0, seed=3)
    assert dark.mean() == pytest.approx(photo.mean() * 0.1, abs=3)
    assert not np.array_equal(dark, perturb.low_light(photo, 1.0, seed=4))
    assert np.array_equal(perturb.low_light(photo, 0.0), photo)


def test_blur_removes_detail_in_proportion_to_sigma(photo):
    assert sharpness(perturb.blur(photo, 1)) < sharpness(photo)
    assert sharpness(perturb.blur(photo, 4)) < sharpness(perturb.blur(photo, 1))
    assert np.array_equal(perturb.blur(photo, 0), photo)


def test_lower_jpeg_quality_loses_more(photo):
    def error(quality: int) -> float:
        return float(np.abs(perturb.jpeg(photo, quality).astype(int) - photo).mean())

    assert error(5) > error(50) > error(95)


def test_resolution_keeps_the_aspect_ratio(photo):
    small = perturb.resolution(photo, 102)
    assert small.shape[1] == 102
    assert small.shape[0] == round(photo.shape[0] * 102 / photo.shape[1])


def test_chip_photo_is_102_by_126_and_fits_1024_bytes(demo_by_id):
    id_photo = decode_image(demo_by_id["004"].id_photo.read_bytes())
    chip = perturb.chip_photo(id_photo, find_face(id_photo).box)
    assert chip.shape == (perturb.CHIP_HEIGHT, perturb.CHIP_WIDTH, 3)
    assert sharpness(chip) > 0
    small = cv2.resize(id_photo, (perturb.CHIP_WIDTH, perturb.CHIP_HEIGHT))
    encoded = perturb.jpeg2000_within(small, perturb.CHIP_BYTES)
    assert perturb.CHIP_BYTES * 0.8 < len(encoded) <= perturb.CHIP_BYTES


def test_mask_covers_mouth_and_nose_but_not_eyes(photo, face):
    masked = perturb.mask_over_mouth(photo, face, 0.7)
    mouth_row = face.top + round(0.8 * face.height)
    eye_row = face.top + round(0.3 * face.height)
    centre = (face.left + face.right) // 2
    assert tuple(masked[mouth_row, centre]) == (170, 200, 225)
    assert np.array_equal(masked[eye_row], photo[eye_row])


def test_glasses_darken_the_eye_band_only(photo, face):
    covered = perturb.dark_glasses(photo, face, 1.0)
    eye_row = face.top + round(0.25 * face.height)
    mouth_row = face.top + round(0.8 * face.height)
    assert covered[eye_row, face.left : face.right].max() <= 15
    assert np.array_equal(covered[mouth_row], photo[mouth_row])


def test_rotating_half_a_turn_flips_both_axes(photo):
    square = np.ascontiguousarray(photo[:, : photo.shape[0]])
    turned = perturb.rotate(square, 180)
    assert np.abs(turned.astype(int) - square[::-1, ::-1]).mean() < 2


def test_mirror_flips_left_and_right(photo):
    assert np.array_equal(perturb.mirror(photo), photo[:, ::-1])


def test_printed_id_photo_held_up_to_the_camera_is_accepted(demo_faces):
    for demo in demo_faces[::3]:
        id_photo = decode_image(demo.id_photo.read_bytes())
        frame = perturb.photo_of_photo(id_photo, seed=0)
        assert frame.shape == (480, 640, 3)
        attack = compare(find_face(id_photo).embedding, find_face(frame).embedding)
        assert attack.is_match, (demo.label, attack.distance)
        assert attack.threshold == DEFAULT_THRESHOLD
