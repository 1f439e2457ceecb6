"""verifydemo: a classroom demonstrator of 1:1 ID-to-face verification and its error rates.

The public API, for workshop notebooks as much as for the page and the CLI::

    import verifydemo

    id_face = verifydemo.find_face(verifydemo.decode_image(open("id.jpg", "rb").read()))
    live_face = verifydemo.find_face(verifydemo.decode_image(open("live.jpg", "rb").read()))
    verifydemo.compare(id_face.embedding, live_face.embedding).is_match

Importing it loads no Streamlit and no page code; the dlib models load on the first face.
"""

from verifydemo.core.compare import (
    DEFAULT_THRESHOLD,
    Comparison,
    accepted,
    compare,
    distance,
    distances,
)
from verifydemo.core.decode import decode_image
from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import FaceBox, FaceResult, face_from_bytes, find_face
from verifydemo.datasets.demo_faces import DemoFace, load_demo_faces
from verifydemo.datasets.reference import ReferenceSet, load_reference
from verifydemo.metrics.error_rates import (
    DetCurve,
    EqualErrorRate,
    ErrorRates,
    Rate,
    ScoreSet,
    det_curve,
    equal_error_rate,
    error_rates,
    threshold_for_fmr,
    wilson_interval,
)
from verifydemo.metrics.pairs import PairScores

__all__ = [
    "DEFAULT_THRESHOLD",
    "Comparison",
    "DemoFace",
    "DetCurve",
    "EqualErrorRate",
    "ErrorRates",
    "FaceBox",
    "FaceResult",
    "PairScores",
    "Rate",
    "ReferenceSet",
    "ScoreSet",
    "UnusableInput",
    "accepted",
    "compare",
    "decode_image",
    "det_curve",
    "distance",
    "distances",
    "equal_error_rate",
    "error_rates",
    "face_from_bytes",
    "find_face",
    "load_demo_faces",
    "load_reference",
    "threshold_for_fmr",
    "wilson_interval",
]
