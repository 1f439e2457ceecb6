"""Step 3: the two faces as the model sees them, and their 128 numbers."""

from __future__ import annotations

import altair as alt
import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from verifydemo.core.i18n import _, n_
from verifydemo.pictures.charts import embedding_strip
from verifydemo.pictures.drawing import crop_face, draw_box, thumbnail
from verifydemo.ui import keys
from verifydemo.ui.ondevice_capture import DeviceFace
from verifydemo.ui.present import on_screen
from verifydemo.ui.session import Analysis, FaceFound, Photo, Unusable
from verifydemo.ui.takeaway import chart_downloads

DISPLAY_SIDE = 480
STRIP_HEIGHT = 120


def both_usable(id_photo: Analysis, live_photo: Analysis) -> bool:
    """True when both photos have a face; says what is wrong with either, and what to do."""
    for name, analysis in ((_("ID photo"), id_photo), (_("Live photo"), live_photo)):
        if isinstance(analysis, Unusable):
            st.error(_("{photo}: {reason}", photo=name, reason=analysis.reason))
        elif analysis.face.face_count > 1:
            st.warning(
                _(
                    "{photo}: {count} faces found; the largest one is compared. At the counter, "
                    "only one person should be in the frame.",
                    photo=name,
                    count=analysis.face.face_count,
                )
            )
    return isinstance(id_photo, FaceFound) and isinstance(live_photo, FaceFound)


def result_step(
    id_photo: Photo, id_analysis: FaceFound, live_photo: Photo, live_analysis: FaceFound
) -> None:
    """Step 3: both photos with their face boxed and cropped, and the two embeddings."""
    st.header(_("Step 3 · The check"))
    id_face, live_face = id_analysis.face, live_analysis.face

    columns = st.columns(2)
    for column, side, title, photo, analysis in (
        (columns[0], "id", _("ID photo"), id_photo, id_analysis),
        (columns[1], "live", _("Live photo"), live_photo, live_analysis),
    ):
        face = analysis.face
        column.subheader(title)
        column.text(photo.source)
        if isinstance(analysis, DeviceFace):
            _on_device(column, analysis)
            continue
        column.image(thumbnail(draw_box(analysis.rgb, face.box), DISPLAY_SIDE), width="stretch")
        with column.container(key=f"{keys.FACE_CROP}_{side}"):  # the projector view hides it
            st.image(crop_face(analysis.rgb, face.box), caption=_("the face the model compares"))
        column.caption(
            n_(
                "{count} face found; compared face {width} x {height} px",
                "{count} faces found; compared face {width} x {height} px",
                face.face_count,
                width=face.box.width,
                height=face.box.height,
            )
        )

    st.subheader(_("Each face became 128 numbers"))
    st.caption(
        _(
            "dlib's ResNet turns every face into 128 numbers (dlib-models README). Similar colour "
            "patterns mean nearby faces; the distance is the straight-line gap between the two "
            "rows."
        )
    )
    strip = embeddings_chart(id_face.embedding, live_face.embedding)
    st.altair_chart(on_screen(strip), width="stretch", height=STRIP_HEIGHT)
    chart_downloads(strip, "embeddings")


def _on_device(column: DeltaGenerator, analysis: DeviceFace) -> None:
    """The live side computed on the student's device: no picture here, only what it sent."""
    column.info(_("The photo stayed on your phone; only its numbers came to this computer."))
    sent = analysis.sent
    if sent is None or sent.box is None:
        return
    left, top, right, bottom = sent.box
    column.caption(
        n_(
            "{count} face found on your phone; compared face {width} x {height} px; its numbers "
            "took {ms:.0f} ms there",
            "{count} faces found on your phone; compared face {width} x {height} px; its "
            "numbers took {ms:.0f} ms there",
            sent.face_count,
            width=right - left,
            height=bottom - top,
            ms=sent.timings.get("embed", 0.0),
        )
    )


def embeddings_chart(id_embedding: np.ndarray, live_embedding: np.ndarray) -> alt.Chart:
    """The two embeddings as two rows of coloured cells, named in the visitor's language."""
    return embedding_strip({_("ID photo"): id_embedding, _("Live photo"): live_embedding})
