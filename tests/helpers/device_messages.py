"""What the on-device check's component sends, as the tests write it."""

from __future__ import annotations

import json


def device_message(embedding: object, **changes: object) -> str:
    """The component's message for one face: ``embedding`` (any JSON value, to write bad ones
    too), a box and frame, one face and the timings; ``changes`` replace fields or, as None,
    drop them."""
    fields = {
        "status": "ok",
        "embedding": embedding,
        "box": [180, 120, 330, 270],
        "frame": [640, 480],
        "faces": 1,
        "ms": {"load": 1500.0, "embed": 80.5},
    }
    fields.update(changes)
    return json.dumps({name: value for name, value in fields.items() if value is not None})
