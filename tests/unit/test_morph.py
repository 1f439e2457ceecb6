"""Morphs of two real demo volunteers: alignment, the blend's ends, determinism, the pairs."""

from __future__ import annotations

import numpy as np
import pytest

from verifydemo.core.compare import distance
from verifydemo.core.decode import decode_image
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import detect_faces, find_face
from verifydemo.core.landmarks import eye_centres, landmarks68
from verifydemo.lessons.morph import (
    CANVAS_HEIGHT,
    CANVAS_WIDTH,
    LEFT_EYE_AT,
    RIGHT_EYE_AT,
    align_face,
    check_morph,
    lookalike_pairs,
    morph,
    prepare_morph,
    quiz_items,
    same_group_pairs,
    sample_pairs,
)


def photo(demo_by_id, person_id: str) -> np.ndarray:
    return decode_image(demo_by_id[person_id].id_photo.read_bytes())


@pytest.fixture(scope="module")
def prepared(demo_by_id):
    return prepare_morph(photo(demo_by_id, "001"), photo(demo_by_id, "002"))


def test_aligned_photo_has_its_eyes_where_the_frame_puts_them(demo_by_id):
    aligned = align_face(photo(demo_by_id, "025"))
    assert aligned.image.shape == (CANVAS_HEIGHT, CANVAS_WIDTH, 3)
    found = landmarks68(aligned.image, detect_faces(aligned.image)[0])
    right, left = eye_centres(found)
    assert np.linalg.norm(right - RIGHT_EYE_AT) < 4
    assert np.linalg.norm(left - LEFT_EYE_AT) < 4


def test_blend_zero_and_one_give_back_the_aligned_photos(prepared):
    for alpha, aligned in ((0.0, prepared.first), (1.0, prepared.second)):
        made = morph(prepared, alpha)
        assert made.shape == aligned.image.shape and made.dtype == np.uint8
        assert np.abs(made.astype(int) - aligned.image.astype(int)).max() <= 1


def test_half_morph_differs_from_both_photos(prepared):
    made = morph(prepared, 0.5).astype(int)
    for aligned in (prepared.first, prepared.second):
        assert np.abs(made - aligned.image.astype(int)).mean() > 5


def test_morph_is_deterministic(demo_by_id, prepared):
    again = prepare_morph(photo(demo_by_id, "001"), photo(demo_by_id, "002"))
    assert np.array_equal(again.triangles, prepared.triangles)
    assert np.array_equal(morph(again, 0.35), morph(prepared, 0.35))


def test_morph_face_has_the_averaged_landmarks(demo_by_id):
    """dlib finds the morph's landmarks where the blend put them, not where either face had
    them: the warp moves the content (#004 and #012 differ in shape by about 17 px)."""
    prepared = prepare_morph(photo(demo_by_id, "004"), photo(demo_by_id, "012"))
    target = (0.5 * prepared.first.points + 0.5 * prepared.second.points)[:68]
    made = morph(prepared, 0.5)
    found = landmarks68(made, detect_faces(made)[0])

    def median_gap(points: np.ndarray) -> float:
        return float(np.median(np.linalg.norm(found - points, axis=1)))

    assert median_gap(target) < 2
    assert median_gap(prepared.first.points[:68]) > 6
    assert median_gap(prepared.second.points[:68]) > 6


def test_half_morph_of_a_lookalike_pair_is_closer_to_each_than_the_other_is(demo_by_id, reference):
    """#001 and #002 are a lookalike pair; the morph sits between their live photos."""
    live = reference.embeddings_for("live", "studio")
    ids = reference.embeddings_for("id", "studio")
    row = {str(p): i for i, p in enumerate(reference.person_ids)}
    prepared = prepare_morph(photo(demo_by_id, "001"), photo(demo_by_id, "002"))
    embedding = find_face(morph(prepared, 0.5)).embedding
    check = check_morph(embedding, live[row["001"]], live[row["002"]], 0.6)
    assert check.to_first < distance(ids[row["002"]], live[row["001"]])
    assert check.to_second < distance(ids[row["001"]], live[row["002"]])


def test_a_photo_without_a_face_is_unusable():
    with pytest.raises(UnusableInput):
        align_face(np.full((300, 240, 3), 128, dtype=np.uint8))


def test_blend_outside_zero_to_one_is_refused(prepared):
    with pytest.raises(ValueError):
        morph(prepared, 1.5)


def test_pairs_share_a_group_and_the_sample_is_seeded(reference):
    ids, groups = reference.person_ids, reference.groups
    group_of = dict(zip(ids, groups, strict=True))
    every = same_group_pairs(ids, groups)
    assert all(group_of[a] == group_of[b] and a < b for a, b in every)
    sizes = {g: int((groups == g).sum()) for g in set(groups)}
    assert len(every) == sum(n * (n - 1) // 2 for n in sizes.values())
    drawn = sample_pairs(ids, groups, 150, seed=7)
    assert len(set(drawn)) == 150 and set(drawn) <= set(every)
    assert drawn == sample_pairs(ids, groups, 150, seed=7)
    assert drawn != sample_pairs(ids, groups, 150, seed=8)


def test_lookalike_pairs_are_the_nearest_same_group_pairs(reference):
    ids, groups = reference.person_ids, reference.groups
    embeddings = reference.embeddings_for("id", "studio")
    pairs = lookalike_pairs(ids, groups, embeddings, count=3)
    row = {str(p): i for i, p in enumerate(ids)}
    every = sorted(
        distance(embeddings[row[a]], embeddings[row[b]]) for a, b in same_group_pairs(ids, groups)
    )
    assert [pair.distance for pair in pairs] == pytest.approx(every[:3])
    assert all(groups[row[p.first]] == groups[row[p.second]] for p in pairs)


def test_quiz_has_morphs_and_single_photos_and_nobody_twice(demo_faces):
    ids = np.array([face.person.person_id for face in demo_faces])
    groups = np.array([face.person.group for face in demo_faces])
    group_of = dict(zip(ids, groups, strict=True))
    items = quiz_items(ids, groups, size=6, seed=2017)
    assert len(items) == 6
    morphs = [item for item in items if item.is_morph]
    assert 2 <= len(morphs) <= 4
    assert all(group_of[item.first] == group_of[item.second] for item in morphs)
    people = [p for item in items for p in (item.first, item.second) if p is not None]
    assert len(people) == len(set(people))
    assert items == quiz_items(ids, groups, size=6, seed=2017)
