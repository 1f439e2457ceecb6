"""Steps 1 and 2: choose the ID photo and the live photo."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from verifydemo.core.i18n import N_, _
from verifydemo.datasets.demo_faces import DemoFace
from verifydemo.tools import classroom
from verifydemo.ui import keys
from verifydemo.ui.choices import offered
from verifydemo.ui.ondevice_capture import device_live_photo
from verifydemo.ui.phone import GALLERY
from verifydemo.ui.resources import demo_by_id, demo_faces, demo_photo_bytes, demo_thumbnail
from verifydemo.ui.session import Photo, widget_key

UPLOAD_HELP = N_("A JPEG, PNG, WebP or BMP photo with one face, up to 20 MB.")
"""No ``type=`` filter on the uploaders: Streamlit raises on a disallowed extension mid-run,
while our decoder answers any file, whatever its name, with a one-line reason."""
GALLERY_COLUMNS = 8

ID_SOURCES = {
    "gallery": N_("Demo gallery"),
    "upload": N_("Upload a photo"),
    "webcam": N_("Webcam"),
}
LIVE_SOURCES = {
    "same_person": N_("Demo: same person, smiling"),
    "other_person": N_("Demo: a different person"),
    "webcam": N_("Webcam"),
    "upload": N_("Upload a photo"),
}
"""Where a photo can come from: the option stored in the session, and its label."""


def id_photo_step() -> tuple[Photo | None, DemoFace | None]:
    """Step 1. Returns the ID photo and, if it is a demo face, who it is."""
    st.header(_("Step 1 · The ID photo"))
    st.caption(
        _(
            "The photo on the identity document. The card's chip stores it at only 102 x 126 "
            "pixels (open-source ID-card reader code: lochyhuang/DKCloudID_NFC_Android, "
            "chenhaifeng2016/FaceRecognitionTest). Which photo the operators' check really "
            "uses, the chip's or a national database's, is not public. Resident ID cards stay "
            "valid for 5, 10 or 20 years, or for life from age 46 (Resident Identity Card Law, "
            "Art. 5), so the photo can be many years older than the face at the counter; NIST "
            "found that misses rise when photos are 12 or more years apart."
        )
    )
    source = _source_choice(_("Where does the ID photo come from?"), ID_SOURCES, keys.ID_SOURCE)
    if source == "gallery":
        person = _gallery()
        if person is None:
            return None, None
        source_text = _("London Set #{person_id}, neutral photo", person_id=person.person.person_id)
        return demo_photo(person.id_photo, source_text), person
    if source == "upload":
        upload = st.file_uploader(
            _("Upload an ID photo"), help=_(UPLOAD_HELP), key=widget_key(keys.ID_UPLOAD)
        )
        return (
            (Photo(upload.getvalue(), _("your uploaded ID photo")), None)
            if upload
            else (None, None)
        )
    shot = st.camera_input(_("Take the ID photo with the webcam"), key=widget_key(keys.ID_CAMERA))
    return (Photo(shot.getvalue(), _("your webcam ID photo")), None) if shot else (None, None)


def _gallery() -> DemoFace | None:
    faces = demo_faces()
    if keys.DEMO_PERSON not in st.session_state:
        st.session_state[keys.DEMO_PERSON] = faces[0].person.person_id
    st.caption(_("Volunteers from the Face Research Lab London Set (CC BY 4.0). Click one."))
    with st.container(key=GALLERY):
        _gallery_rows(faces)
    return demo_by_id(st.session_state[keys.DEMO_PERSON])


def _gallery_rows(faces: list[DemoFace]) -> None:
    """Rows of thumbnails, each with the button that picks that volunteer."""
    for row_start in range(0, len(faces), GALLERY_COLUMNS):
        columns = st.columns(GALLERY_COLUMNS)
        for column, face in zip(
            columns, faces[row_start : row_start + GALLERY_COLUMNS], strict=False
        ):
            chosen = face.person.person_id == st.session_state[keys.DEMO_PERSON]
            column.image(demo_thumbnail(str(face.id_photo)), width="stretch")
            column.button(
                f"#{face.person.person_id}",
                key=keys.pick(face.person.person_id),
                type="primary" if chosen else "secondary",
                on_click=_choose,
                args=(face.person.person_id,),
                width="stretch",
            )


def _choose(person_id: str) -> None:
    st.session_state[keys.DEMO_PERSON] = person_id


def live_photo_step(id_person: DemoFace | None) -> Photo | None:
    """Step 2. The live photo: webcam, upload, or a demo photo so it works without a camera."""
    st.header(_("Step 2 · The live photo"))
    st.caption(_("At the shop counter, the camera takes a photo of the person signing up."))
    source = _source_choice(
        _("Where does the live photo come from?"), LIVE_SOURCES, keys.LIVE_SOURCE
    )
    if source == "same_person":
        if id_person is None:
            st.info(
                _(
                    "The same-person demo needs a demo ID photo: pick one from the gallery in "
                    "step 1."
                )
            )
            return None
        return demo_photo(id_person.live_photo, _smiling(id_person))
    if source == "other_person":
        others = [face.person.person_id for face in demo_faces() if face is not id_person]
        offered(keys.OTHER_PERSON, others)
        other_id = st.selectbox(
            _("Who stands at the counter instead?"),
            others,
            format_func=lambda person_id: _("London Set #{person_id}", person_id=person_id),
            key=keys.OTHER_PERSON,
        )
        other = demo_by_id(other_id)
        return demo_photo(other.live_photo, _smiling(other))
    if source == "webcam":
        if on_device():
            return device_live_photo()
        shot = st.camera_input(_("Take the live photo"), key=widget_key(keys.LIVE_CAMERA))
        return Photo(shot.getvalue(), _("your webcam photo")) if shot else None
    if classroom.current() is not None:
        st.caption(
            _(
                "An uploaded photo is sent to the teacher's computer. To keep your face on your "
                "phone, choose Webcam: the check then runs on your phone."
            )
        )
    upload = st.file_uploader(
        _("Upload a live photo"), help=_(UPLOAD_HELP), key=widget_key(keys.LIVE_UPLOAD)
    )
    return Photo(upload.getvalue(), _("your uploaded live photo")) if upload else None


def on_device() -> bool:
    """Whether the live photo is checked on the student's device: in classroom mode only, by
    default, with a switch to send the photo to the server instead (as outside a classroom)."""
    if classroom.current() is None:
        return False
    chosen = st.toggle(
        _("Check on this phone: the photo stays here"),
        value=True,
        key=keys.ONDEVICE_ON,
    )
    st.caption(
        _(
            "Your phone turns the face into 128 numbers and sends those, never the photo. If it "
            "cannot (no WebAssembly) or takes over about 2 s, turn this off: the photo is then "
            "sent, encrypted, to the teacher's computer and held in its memory only."
        )
    )
    return chosen


def demo_photo(path: Path, source: str) -> Photo:
    """A demo volunteer's shipped photo, ready for the check."""
    return Photo(demo_photo_bytes(str(path)), source, demo_path=str(path))


def _smiling(face: DemoFace) -> str:
    return _("London Set #{person_id}, smiling photo", person_id=face.person.person_id)


def _source_choice(question: str, sources: dict[str, str], key: str) -> str:
    """A row of radio buttons; returns the chosen source's id, showing its translated label."""
    offered(key, sources)
    return st.radio(
        question,
        list(sources),
        format_func=lambda option: _(sources[option]),
        horizontal=True,
        key=key,
    )
