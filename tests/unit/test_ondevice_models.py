"""The models the browser downloads, as converted in memory: dlib's 5-point landmark cascade
packed for ``pipeline.mjs``, the face network with float16 weights, and the map from YuNet's box
to dlib's."""

from __future__ import annotations

import math

import numpy as np
import pytest

from verifydemo.core.compare import DEFAULT_THRESHOLD, accepted
from verifydemo.core.decode import decode_image
from verifydemo.core.faces import face_chip, ported_network
from verifydemo.ondevice import box_map
from verifydemo.ondevice.shape_model import (
    MAGIC,
    model_path,
    pack,
    parse_shape_predictor,
)


@pytest.fixture(scope="module")
def shape_model():
    return parse_shape_predictor(model_path().read_bytes())


def test_the_landmark_cascade_is_read_whole_and_packed_as_the_browser_reads_it(shape_model):
    levels, trees, nodes, _ = shape_model.splits.shape
    pixels = shape_model.anchors.shape[1]
    assert (shape_model.landmarks, levels, trees, nodes, pixels) == (5, 15, 500, 15, 800)
    assert shape_model.leaves.shape == (levels, trees, nodes + 1, 10)
    assert shape_model.anchors.max() < shape_model.landmarks
    assert shape_model.splits[..., :2].max() < pixels
    # The mean shape lies in the unit box, eyes above the nose.
    mean = shape_model.mean_shape.reshape(5, 2)
    assert ((mean > 0) & (mean < 1)).all()
    assert mean[4, 1] > mean[:4, 1].max()
    packed = pack(shape_model)
    header = np.frombuffer(packed[:28], "<u4")
    assert list(header) == [MAGIC, 1, 5, levels, trees, 4, pixels]
    floats = 10 + 3 * levels * pixels + levels * trees * (3 * nodes + 10 * (nodes + 1))
    assert len(packed) == 28 + 4 * floats
    assert np.frombuffer(packed[28:68], "<f4").tolist() == shape_model.mean_shape.tolist()


def test_a_file_that_ends_early_is_refused():
    with pytest.raises(ValueError):
        parse_shape_predictor(model_path().read_bytes()[:100_000])


@pytest.mark.slow
def test_float16_weights_decide_every_demo_pair_as_the_server_does(demo_faces, embedded_demo_faces):
    import cv2

    from verifydemo.ondevice.network import network_onnx

    half = cv2.dnn.readNetFromONNX(np.frombuffer(network_onnx(half=True), np.uint8))
    port = ported_network()
    assert port is not None
    embeddings, gaps = {}, []
    for face in demo_faces:
        person = face.person.person_id
        pair = []
        for photo, result in zip(
            (face.id_photo, face.live_photo), embedded_demo_faces[person], strict=True
        ):
            chip = face_chip(decode_image(photo.read_bytes()), result.box)[None]
            blob = ((chip.astype(np.float32) - port.mean_rgb) / np.float32(256)).transpose(
                0, 3, 1, 2
            )
            half.setInput(np.ascontiguousarray(blob))
            pair.append(half.forward()[0].astype(np.float64))
            gaps.append(math.dist(pair[-1], result.embedding))
        embeddings[person] = pair
    people = list(embeddings)
    changed = [
        (a, b)
        for a in people
        for b in people
        if accepted(math.dist(embeddings[a][0], embeddings[b][1]), DEFAULT_THRESHOLD)
        != accepted(
            math.dist(embedded_demo_faces[a][0].embedding, embedded_demo_faces[b][1].embedding),
            DEFAULT_THRESHOLD,
        )
    ]
    assert max(gaps) < 2e-3
    assert changed == []


@pytest.mark.slow
def test_the_box_map_is_the_fit_on_the_demo_faces(demo_faces, embedded_demo_faces):
    yunet, dlib_boxes = [], []
    for face in demo_faces:
        for photo, result in zip(
            (face.id_photo, face.live_photo),
            embedded_demo_faces[face.person.person_id],
            strict=True,
        ):
            found = box_map.yunet_faces(decode_image(photo.read_bytes()))
            assert len(found) == 1
            yunet.append(found[0])
            box = result.box
            dlib_boxes.append((box.left, box.top, box.right, box.bottom))
    fitted = box_map.fit_box_map(yunet, dlib_boxes)
    for side, mix in box_map.BOX_MAP.items():
        assert fitted[side] == pytest.approx(mix, abs=0.002), side
    errors = np.abs(np.array([box_map.mapped_box(face) for face in yunet]) - dlib_boxes)
    assert errors.mean() < 10
