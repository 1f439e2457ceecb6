"""Step 3: the two faces as the model sees them, and their 128 numbers."""

from __future__ import annotations

import streamlit as st

from verifydemo.charts import embedding_strip
from verifydemo.drawing import crop_face, draw_box, thumbnail
from verifydemo.ui.session import Analysis, Photo

DISPLAY_SIDE = 480
STRIP_HEIGHT = 120


def photo_problems(id_analysis: Analysis, live_analysis: Analysis) -> bool:
    """Show what is wrong with either photo and what to do next; True if the check can run."""
    usable = True
    for name, analysis in (("ID photo", id_analysis), ("Live photo", live_analysis)):
        if analysis.problem:
            st.error(f"{name}: {analysis.problem}")
            usable = False
        elif analysis.face is not None and analysis.face.face_count > 1:
            st.warning(
                f"{name}: {analysis.face.face_count} faces found; the largest one is compared. "
                "At the counter, only one person should be in the frame."
            )
    return usable


def result_step(
    id_photo: Photo, id_analysis: Analysis, live_photo: Photo, live_analysis: Analysis
) -> None:
    """Step 3, assuming both analyses found a face."""
    st.header("Step 3 · The check")
    id_face, live_face = id_analysis.face, live_analysis.face
    assert id_face is not None and live_face is not None
    assert id_analysis.rgb is not None and live_analysis.rgb is not None

    columns = st.columns(2)
    for column, title, photo, analysis in (
        (columns[0], "ID photo", id_photo, id_analysis),
        (columns[1], "Live photo", live_photo, live_analysis),
    ):
        face = analysis.face
        column.subheader(title)
        column.text(photo.source)
        column.image(thumbnail(draw_box(analysis.rgb, face.box), DISPLAY_SIDE), width="stretch")
        column.image(crop_face(analysis.rgb, face.box), caption="the face the model compares")
        column.caption(
            f"{face.face_count} face(s) found; "
            f"compared face {face.box.width} x {face.box.height} px"
        )

    st.subheader("Each face became 128 numbers")
    st.caption(
        "dlib's ResNet turns every face into 128 numbers (dlib-models README). Similar colour "
        "patterns mean nearby faces; the distance is the straight-line gap between the two rows."
    )
    st.altair_chart(
        embedding_strip({"ID photo": id_face.embedding, "Live photo": live_face.embedding}),
        width="stretch",
        height=STRIP_HEIGHT,
    )
