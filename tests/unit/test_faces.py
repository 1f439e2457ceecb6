"""Finding and embedding faces with the real dlib model, on the shipped demo faces."""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest

from verifydemo.core.compare import DEFAULT_THRESHOLD, compare, distance
from verifydemo.core.decode import decode_image
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import (
    DETECT_SIDE,
    EMBEDDING_SIZE,
    MIN_FACE_PX,
    FaceBox,
    detect_faces,
    detect_scaled,
    embed_face,
    find_face,
)


def test_face_recognition_models_import_with_pinned_setuptools():
    models = importlib.import_module("face_recognition_models")
    model_file = Path(models.face_recognition_model_location())
    assert model_file.name == "dlib_face_recognition_resnet_model_v1.dat"
    assert model_file.stat().st_size > 20_000_000


def test_each_demo_photo_has_one_face_with_a_128_number_embedding(embedded_demo_faces):
    for id_face, live_face in embedded_demo_faces.values():
        for face in (id_face, live_face):
            assert face.face_count == 1
            assert face.embedding.shape == (EMBEDDING_SIZE,)
            assert face.face_size >= MIN_FACE_PX


def test_every_genuine_demo_pair_matches_at_the_default_threshold(embedded_demo_faces):
    for person_id, (id_face, live_face) in embedded_demo_faces.items():
        comparison = compare(id_face.embedding, live_face.embedding)
        assert comparison.is_match, f"{person_id}: {comparison.distance:.3f}"


def test_genuine_distance_is_below_every_cross_gender_impostor(embedded_demo_faces, demo_by_id):
    for person_id, (id_face, live_face) in embedded_demo_faces.items():
        genuine = distance(id_face.embedding, live_face.embedding)
        for other_id, (_, other_live) in embedded_demo_faces.items():
            if demo_by_id[other_id].person.gender != demo_by_id[person_id].person.gender:
                assert distance(id_face.embedding, other_live.embedding) > genuine


def test_impostors_of_another_gender_and_ethnicity_do_not_match(embedded_demo_faces, demo_by_id):
    """Not every impostor: 042 and 099 (both black, different genders) fall under 0.6."""
    for person_id, (id_face, _) in embedded_demo_faces.items():
        person = demo_by_id[person_id].person
        for other_id, (_, other_live) in embedded_demo_faces.items():
            other = demo_by_id[other_id].person
            if other.gender != person.gender and other.ethnicity != person.ethnicity:
                impostor = compare(id_face.embedding, other_live.embedding)
                assert not impostor.is_match, f"{person_id} vs {other_id}: {impostor.distance:.3f}"


def test_decision_follows_the_threshold(embedded_demo_faces):
    id_face, live_face = embedded_demo_faces["001"]
    gap = distance(id_face.embedding, live_face.embedding)
    assert compare(id_face.embedding, live_face.embedding, threshold=gap).is_match
    assert not compare(id_face.embedding, live_face.embedding, threshold=gap - 1e-6).is_match


def test_distance_is_symmetric_and_zero_for_the_same_photo(embedded_demo_faces):
    (a, _), (b, _) = embedded_demo_faces["001"], embedded_demo_faces["004"]
    assert distance(a.embedding, a.embedding) == 0.0
    assert distance(a.embedding, b.embedding) == distance(b.embedding, a.embedding)


def test_distance_rejects_mismatched_vectors():
    with pytest.raises(ValueError, match="equal"):
        distance(np.zeros(128), np.zeros(64))


def test_blank_image_has_no_face():
    with pytest.raises(UnusableInput, match="No face"):
        find_face(np.full((480, 640, 3), 128, dtype=np.uint8))


def test_face_too_small_is_refused(demo_faces):
    photo = decode_image(demo_faces[0].id_photo.read_bytes())
    canvas = np.full((480, 640, 3), 200, dtype=np.uint8)
    canvas[100:180, 100:180] = cv2.resize(photo, (80, 80), interpolation=cv2.INTER_AREA)
    boxes = detect_faces(canvas)
    assert boxes and boxes[0].width < MIN_FACE_PX
    with pytest.raises(UnusableInput, match="pixels wide"):
        find_face(canvas)


def test_several_faces_are_counted_and_the_largest_is_compared(demo_faces):
    big = decode_image(demo_faces[0].id_photo.read_bytes())
    other = decode_image(demo_faces[3].id_photo.read_bytes())
    small = cv2.resize(other, (300, 300), interpolation=cv2.INTER_AREA)
    canvas = np.full((600, 900, 3), 220, dtype=np.uint8)
    canvas[:, :600] = big
    canvas[150:450, 600:900] = small
    result = find_face(canvas)
    assert result.face_count == 2
    assert result.box.right <= 600
    alone = find_face(big)
    assert distance(result.embedding, alone.embedding) < 0.1


def test_a_face_found_in_a_scaled_region_is_placed_in_the_whole_photo(demo_faces):
    """The tracker's search (a region around the face, scaled so the face is 90 px wide) and
    the full detection are one routine: the box comes back in the photo's own pixels."""
    photo = decode_image(demo_faces[0].id_photo.read_bytes())
    whole = detect_faces(photo)
    assert detect_scaled(photo, DETECT_SIDE / max(photo.shape[:2])) == whole
    face = whole[0]
    assert face == FaceBox(top=208, right=424, bottom=450, left=182)
    pad = face.width // 2
    region = FaceBox(face.top - pad, face.right + pad, face.bottom + pad, face.left - pad)
    (found,) = detect_scaled(photo, 90 / face.width, region=region, upsample=False)
    assert (found.top, found.left) == (face.top, face.left)
    assert abs(found.width - face.width) <= 0.05 * face.width
    assert detect_scaled(photo, 0.5, region=FaceBox(top=0, right=120, bottom=120, left=0)) == []
    past_the_corner = FaceBox(top=-100, right=face.right, bottom=face.bottom + 20, left=-100)
    assert detect_scaled(photo, 0.5, region=past_the_corner) == detect_scaled(
        photo, 0.5, region=FaceBox(top=0, right=face.right, bottom=face.bottom + 20, left=0)
    )


def test_a_face_too_small_for_the_detectors_window_needs_the_upsampled_pass(demo_faces):
    photo = decode_image(demo_faces[0].id_photo.read_bytes())
    assert detect_scaled(photo, 0.2, upsample=False) == []  # the face is 48 px, the window 80
    (found,) = detect_scaled(photo, 0.2)
    assert abs(found.left - 182) <= 10 and abs(found.width - 242) <= 0.25 * 242


def test_non_contiguous_input_gives_the_same_embedding(demo_faces):
    photo = decode_image(demo_faces[1].id_photo.read_bytes())
    fortran_order = np.asfortranarray(photo)
    assert not fortran_order.flags["C_CONTIGUOUS"]
    box = detect_faces(photo)[0]
    assert np.array_equal(embed_face(photo, box), embed_face(fortran_order, box))


def test_concurrent_embeddings_equal_sequential_ones(demo_faces):
    photos = [decode_image(face.live_photo.read_bytes()) for face in demo_faces[:8]]
    sequential = [find_face(photo).embedding for photo in photos]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda photo: find_face(photo).embedding, photos))
    for one, other in zip(sequential, concurrent, strict=True):
        assert np.array_equal(one, other)


def test_default_threshold_is_face_recognitions_tolerance():
    import inspect

    import face_recognition

    tolerance = inspect.signature(face_recognition.compare_faces).parameters["tolerance"].default
    assert tolerance == DEFAULT_THRESHOLD
