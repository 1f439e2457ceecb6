"""The piecewise-affine warp on a real demo face: triangles, identity, and which way it moves."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from verifydemo.core.decode import decode_image
from verifydemo.core.faces import detect_faces
from verifydemo.core.landmarks import landmarks68
from verifydemo.core.warp import delaunay_triangles, warp_piecewise, with_border_points


@pytest.fixture(scope="module")
def face_and_points(demo_by_id):
    image = decode_image(demo_by_id["001"].id_photo.read_bytes())
    height, width = image.shape[:2]
    points = with_border_points(landmarks68(image, detect_faces(image)[0]), width, height)
    return image, points


def test_border_points_are_the_corners_and_edge_midpoints():
    points = with_border_points(np.array([[5.0, 6.0]]), width=101, height=51)
    assert points.shape == (9, 2)
    assert points[0].tolist() == [5.0, 6.0]
    assert {tuple(p) for p in points[1:]} == {
        (0, 0),
        (50, 0),
        (100, 0),
        (100, 25),
        (100, 50),
        (50, 50),
        (0, 50),
        (0, 25),
    }


def test_triangles_cover_every_pixel_of_the_image(face_and_points):
    image, points = face_and_points
    height, width = image.shape[:2]
    triangles = delaunay_triangles(points, width, height)
    assert triangles.ndim == 2 and triangles.shape[1] == 3
    assert triangles.min() >= 0 and triangles.max() < len(points)
    distinct = {tuple(point) for point in points[np.unique(triangles)]}
    assert distinct == {tuple(point) for point in points}  # repeated points count once
    covered = np.zeros((height, width), dtype=np.uint8)
    for triangle in triangles:
        cv2.fillConvexPoly(covered, np.rint(points[triangle]).astype(np.int32), 1)
    assert covered.all(), f"{(covered == 0).sum()} pixels in no triangle"


def test_triangles_of_a_square_and_its_centre_are_four():
    points = with_border_points(np.array([[50.0, 50.0]]), 101, 101)
    triangles = delaunay_triangles(points, 101, 101)
    assert len(triangles) == 8  # 9 points, 8 on the hull: 2 * 9 - 8 - 2 triangles
    areas = [
        abs(np.linalg.det(np.column_stack([b - a, c - a]))) / 2 for a, b, c in points[triangles]
    ]
    assert sum(areas) == pytest.approx(100 * 100)


def test_warping_a_face_onto_its_own_points_returns_the_image(face_and_points):
    image, points = face_and_points
    height, width = image.shape[:2]
    triangles = delaunay_triangles(points, width, height)
    warped = warp_piecewise(image, points, points, triangles)
    assert warped.shape == image.shape and warped.dtype == image.dtype
    assert np.abs(warped.astype(int) - image.astype(int)).max() <= 1


def test_content_at_the_source_points_lands_on_the_target_points(face_and_points):
    """Scaling every point (border included) by 0.8 about the corner is one affine map, so the
    piecewise warp must equal OpenCV's global warp of the same map."""
    image, points = face_and_points
    height, width = image.shape[:2]
    triangles = delaunay_triangles(points, width, height)
    matrix = np.array([[0.8, 0.0, 0.0], [0.0, 0.8, 0.0]])
    target = points * 0.8
    warped = warp_piecewise(image, points, target, triangles)
    expected = cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR)
    inside = (slice(2, int(0.8 * height) - 2), slice(2, int(0.8 * width) - 2))
    difference = np.abs(warped[inside].astype(int) - expected[inside].astype(int))
    assert difference.mean() < 0.5 and np.percentile(difference, 99.9) <= 2
    assert np.abs(warped[inside].astype(int) - image[inside].astype(int)).mean() > 5
