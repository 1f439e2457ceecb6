"""Pictures of a liveness check: the traces of one clip with the thresholds drawn, its frames as a
strip, the verdict in words, and the flat-photo residuals against their threshold.

Same Altair style as :mod:`verifydemo.pictures.charts`: templates built once per language and
filled with named rows on every run.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import cv2
import numpy as np

from verifydemo.core.i18n import _, per_language
from verifydemo.lessons.liveness import (
    CHALLENGE_NAMES,
    EYE_CLOSED_RATIO,
    FLAT_RESIDUAL,
    MOUTH_OPEN_RATIO,
    NOD_DEGREES,
    POSE_SMOOTHING_FRAMES,
    TURN_DEGREES,
    ChallengeResult,
    FrameMeasure,
)
from verifydemo.pictures.charts import Rows, Spec, filled, stacked

PANEL_HEIGHT = 110
PANEL_WIDTH = 680
STRIP_FRAMES = 10
STRIP_HEIGHT = 84
PASSED_COLOUR, FAILED_COLOUR, RULE_COLOUR = "#2e9e5b", "#c0392b", "black"
RESIDUAL_MIN_HEIGHT = 100
"""Pixels of the residual chart's plot at the least: one clip's bar, the threshold's line and
its label, readable."""
TRACE_COLOURS = ("#1f4e8c", "#d35400", "#7b3fa0", "#16a085")
"""Eyes, mouth, yaw and pitch, in every language (a scale sorted by name would swap them)."""


def challenge_name(challenge: str) -> str:
    """What the challenge asks, in the current language."""
    return _(CHALLENGE_NAMES[challenge])


def verdict_words(result: ChallengeResult) -> str:
    """The verdict on one challenge in one or two sentences of Markdown."""
    if result.passed:
        verdict = _("**{challenge}: passed.**", challenge=challenge_name(result.challenge))
    else:
        verdict = _("**{challenge}: not passed.**", challenge=challenge_name(result.challenge))
    return f"{verdict} {result.reason}"


def _seconds(index: int, fps: float) -> float:
    return round(index / fps, 3)


def _pose_floor(values: np.ndarray) -> float | None:
    """The lowest running median over :data:`POSE_SMOOTHING_FRAMES` frames, as the check
    measures a movement from it; None with too few frames."""
    values = values[~np.isnan(values)]
    if values.size < POSE_SMOOTHING_FRAMES:
        return None
    windows = np.lib.stride_tricks.sliding_window_view(values, POSE_SMOOTHING_FRAMES)
    return float(np.median(windows, axis=1).min())


@per_language
def _trace_template() -> Spec:
    time = alt.X("time:Q", title=_("time (s)"))
    series = alt.Scale(domain=list(_series_names()), range=list(TRACE_COLOURS))
    panels = []
    for name, title in (
        ("eye", _("eye aspect ratio")),
        ("mouth", _("mouth aspect ratio")),
        ("pose", _("head angle (degrees)")),
    ):
        line = (
            alt.Chart(alt.NamedData(f"{name}_values"))
            .mark_line(point=True)
            .encode(
                x=time,
                y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=name != "pose")),
                color=alt.Color(
                    "series:N", title=None, scale=series, legend=alt.Legend(orient="top")
                ),
                tooltip=[
                    alt.Tooltip("series:N", title=_("measure")),
                    alt.Tooltip("time:Q", title=_("time (s)"), format=".1f"),
                    alt.Tooltip("value:Q", title=_("value"), format=".2f"),
                ],
            )
        )
        rules = (
            alt.Chart(alt.NamedData(f"{name}_rules"))
            .mark_rule(strokeDash=[4, 3], color=RULE_COLOUR)
            .encode(y="value:Q", tooltip=alt.Tooltip("what:N"))
        )
        labels = (
            alt.Chart(alt.NamedData(f"{name}_rules"))
            .mark_text(align="left", dx=4, dy=-6, fontSize=10)
            .encode(x=alt.X("at:Q", scale=None), y="value:Q", text="what:N")
        )
        panels.append(
            (line + rules + labels).properties(width=PANEL_WIDTH, height=PANEL_HEIGHT).to_dict()
        )
    return stacked(*panels)


def _series_names() -> tuple[str, str, str, str]:
    """The traces' names in the visitor's language, in the order of :data:`TRACE_COLOURS`."""
    return _("eyes"), _("mouth"), _("yaw (turn)"), _("pitch (nod)")


def trace_chart(measures: Sequence[FrameMeasure], fps: float) -> Spec:
    """Eye ratio, mouth ratio, yaw and pitch of one clip over time, each with the threshold its
    check uses drawn as a dashed rule, in panels :data:`PANEL_WIDTH` wide (a stack of panels
    cannot stretch to its container). Frames without a face leave gaps."""
    rows: dict[str, Rows] = {"eye_values": [], "mouth_values": [], "pose_values": []}
    eye, mouth, yaw, pitch = _series_names()
    for index, measure in enumerate(measures):
        if not measure.has_face:
            continue
        time = _seconds(index, fps)
        rows["eye_values"].append({"time": time, "value": measure.eye_ratio, "series": eye})
        rows["mouth_values"].append({"time": time, "value": measure.mouth_ratio, "series": mouth})
        rows["pose_values"] += [
            {"time": time, "value": measure.yaw, "series": yaw},
            {"time": time, "value": measure.pitch, "series": pitch},
        ]
    rows["eye_rules"] = [
        {
            "value": EYE_CLOSED_RATIO,
            "what": _("closed below {ratio:.2f}", ratio=EYE_CLOSED_RATIO),
            "at": 0,
        }
    ]
    rows["mouth_rules"] = [
        {
            "value": MOUTH_OPEN_RATIO,
            "what": _("open above {ratio:.2f}", ratio=MOUTH_OPEN_RATIO),
            "at": 0,
        }
    ]
    pose_rules = []
    for values, degrees, label in (
        (np.array([m.yaw for m in measures], dtype=float), TURN_DEGREES, _("turn")),
        (np.array([m.pitch for m in measures], dtype=float), NOD_DEGREES, _("nod")),
    ):
        floor = _pose_floor(values)
        if floor is not None:
            pose_rules.append(
                {
                    "value": floor + degrees,
                    "what": _(
                        "{action}: {degrees:.0f} degrees above its lowest",
                        action=label,
                        degrees=degrees,
                    ),
                    "at": len(pose_rules) * PANEL_WIDTH // 2,  # the two labels side by side
                }
            )
    rows["pose_rules"] = pose_rules
    return filled(_trace_template(), **rows)


def frame_strip(frames: Sequence[np.ndarray], count: int = STRIP_FRAMES) -> np.ndarray:
    """Up to ``count`` frames, evenly spaced through the clip, side by side at
    :data:`STRIP_HEIGHT` pixels: one small image instead of many."""
    if not frames:
        raise ValueError("a strip needs at least one frame")
    chosen = np.unique(np.linspace(0, len(frames) - 1, min(count, len(frames))).round().astype(int))
    small = []
    for index in chosen:
        frame = frames[index]
        width = max(1, round(frame.shape[1] * STRIP_HEIGHT / frame.shape[0]))
        small.append(cv2.resize(frame, (width, STRIP_HEIGHT), interpolation=cv2.INTER_AREA))
    gap = np.full((STRIP_HEIGHT, 2, 3), 255, dtype=np.uint8)
    pieces = [piece for frame in small for piece in (frame, gap)][:-1]
    return np.ascontiguousarray(np.hstack(pieces))


@per_language
def _residual_template() -> Spec:
    y = alt.Y("clip:N", sort=None, title=None)
    x = alt.X(
        "residual:Q",
        title=_("flat-photo residual (share of the eye distance)"),
        axis=alt.Axis(format="%"),
        scale=alt.Scale(zero=True),
    )
    bars = (
        alt.Chart(alt.NamedData("clips"))
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "flat:N",
                scale=alt.Scale(
                    domain=[_("flat: a photo"), _("not flat")],
                    range=[FAILED_COLOUR, PASSED_COLOUR],
                ),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("clip:N", title=_("clip")),
                alt.Tooltip("residual:Q", title=_("residual"), format=".2%"),
                alt.Tooltip("flat:N", title=_("verdict")),
            ],
        )
    )
    rule = (
        alt.Chart(alt.NamedData("limit"))
        .mark_rule(strokeDash=[4, 3], color=RULE_COLOUR, strokeWidth=2)
        .encode(x="residual:Q", tooltip=alt.Tooltip("what:N"))
    )
    rule_label = (
        alt.Chart(alt.NamedData("limit"))
        .mark_text(align="left", dx=4, dy=-6, fontSize=11, color=RULE_COLOUR)
        .encode(x="residual:Q", y=alt.value(0), text="what:N")
    )
    return (bars + rule + rule_label).to_dict()


def residual_chart(residuals: dict[str, float]) -> Spec:
    """Each clip's flat-photo residual (labels come translated) against the threshold: a bar
    left of the line moved like a flat picture."""
    clips = [
        {
            "clip": label,
            "residual": residual,
            "flat": _("flat: a photo") if residual < FLAT_RESIDUAL else _("not flat"),
        }
        for label, residual in residuals.items()
    ]
    limit = [
        {
            "residual": FLAT_RESIDUAL,
            "what": _("threshold {limit:.0%}", limit=FLAT_RESIDUAL),
        }
    ]
    return {
        **filled(_residual_template(), clips=clips, limit=limit),
        "height": max(RESIDUAL_MIN_HEIGHT, 32 * len(clips) + 20),
    }
