"""Piecewise-affine warping: move the points of one face onto the points of another.

The image is cut into Delaunay triangles (``cv2.Subdiv2D``) over the landmarks plus eight points
on the image border, so the triangles cover the whole picture; each target triangle takes its
pixels from the matching source triangle through its own affine map. The morph lab and the
liveness clips both use it.
"""

from __future__ import annotations

import cv2
import numpy as np


def with_border_points(points: np.ndarray, width: int, height: int) -> np.ndarray:
    """``points`` (N, 2) followed by the image's four corners and four edge midpoints.

    The border points pin the frame, so the triangulation reaches every pixel.
    """
    right, bottom = width - 1, height - 1
    middle_x, middle_y = right / 2, bottom / 2
    border = np.array(
        [
            (0, 0),
            (middle_x, 0),
            (right, 0),
            (right, middle_y),
            (right, bottom),
            (middle_x, bottom),
            (0, bottom),
            (0, middle_y),
        ],
        dtype=np.float64,
    )
    return np.vstack([np.asarray(points, dtype=np.float64).reshape(-1, 2), border])


def delaunay_triangles(points: np.ndarray, width: int, height: int) -> np.ndarray:
    """The Delaunay triangles of ``points`` as a (T, 3) int array of indices into ``points``.

    Points are clipped into the image first (landmarks can fall just outside it); repeated
    points count once, as the first of them. With :func:`with_border_points` the triangles
    cover the image.
    """
    clipped = _clip(points, width, height).astype(np.float32)
    subdivision = cv2.Subdiv2D((0, 0, width, height))
    first_index: dict[tuple[float, float], int] = {}
    for index, (x, y) in enumerate(clipped):
        key = (float(x), float(y))
        if key not in first_index:
            first_index[key] = index
            subdivision.insert(key)
    triangles = []
    for corners in subdivision.getTriangleList().reshape(-1, 3, 2):
        keys = [(float(x), float(y)) for x, y in corners.astype(np.float32)]
        if all(key in first_index for key in keys):  # drops Subdiv2D's virtual outer vertices
            triangles.append([first_index[key] for key in keys])
    return np.array(triangles, dtype=np.int64).reshape(-1, 3)


def warp_piecewise(
    image: np.ndarray,
    source_points: np.ndarray,
    target_points: np.ndarray,
    triangles: np.ndarray,
) -> np.ndarray:
    """``image`` warped so that what was at ``source_points`` lands on ``target_points``.

    Each target triangle is filled (a mask) and sampled through the affine map onto its source
    triangle, bilinearly; pixels outside every triangle keep their place. The result has the
    image's size and dtype.
    """
    height, width = image.shape[:2]
    source = np.asarray(source_points, dtype=np.float64)
    target = _clip(target_points, width, height)
    labels = _triangle_labels(target, triangles, width, height)
    maps = _target_to_source_maps(source, target, triangles)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    covered = labels >= 0
    chosen = maps[np.where(covered, labels, 0)]  # (H, W, 2, 3)
    map_x = chosen[..., 0, 0] * xs + chosen[..., 0, 1] * ys + chosen[..., 0, 2]
    map_y = chosen[..., 1, 0] * xs + chosen[..., 1, 1] * ys + chosen[..., 1, 2]
    map_x = np.where(covered, map_x, xs).astype(np.float32)
    map_y = np.where(covered, map_y, ys).astype(np.float32)
    return cv2.remap(
        image, map_x, map_y, interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101
    )


def _clip(points: np.ndarray, width: int, height: int) -> np.ndarray:
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    return np.column_stack(
        [np.clip(points[:, 0], 0, width - 1), np.clip(points[:, 1], 0, height - 1)]
    )


def _triangle_labels(
    points: np.ndarray, triangles: np.ndarray, width: int, height: int
) -> np.ndarray:
    """For each pixel, the index of the (last drawn) triangle containing it, or -1."""
    labels = np.full((height, width), -1, dtype=np.int32)
    corners = np.rint(points).astype(np.int32)
    for index, triangle in enumerate(np.asarray(triangles, dtype=np.int64)):
        cv2.fillConvexPoly(labels, corners[triangle], int(index))
    return labels


def _target_to_source_maps(
    source: np.ndarray, target: np.ndarray, triangles: np.ndarray
) -> np.ndarray:
    """(T, 2, 3) affine maps taking each target triangle onto its source triangle.

    A pseudo-inverse, so a degenerate (flat) triangle gives a finite map instead of an error.
    """
    triangles = np.asarray(triangles, dtype=np.int64)
    ones = np.ones((len(triangles), 3, 1))
    target_homogeneous = np.concatenate([target[triangles], ones], axis=2)  # (T, 3, 3)
    solution = np.linalg.pinv(target_homogeneous) @ source[triangles]  # (T, 3, 2)
    return np.transpose(solution, (0, 2, 1))
