"""The page, laid out top to bottom. Streamlit runs this file for every visit and rerun (it is a
script, never imported); ``app.py`` serves it."""

import streamlit as st

from verifydemo.core.compare import compare
from verifydemo.core.faces import embedder_notice
from verifydemo.core.i18n import _
from verifydemo.ui.capture import id_photo_step, live_photo_step
from verifydemo.ui.class_experiment import add_under_the_check
from verifydemo.ui.classroom import join_panel
from verifydemo.ui.clerk import clerk_step
from verifydemo.ui.closed_tabs import watch_this_session
from verifydemo.ui.intro import intro
from verifydemo.ui.language import language_selector, page_language
from verifydemo.ui.liveness import liveness_section
from verifydemo.ui.pace import follow_pace, lesson_panel
from verifydemo.ui.phone import CHECK_DECISION, phone_layout
from verifydemo.ui.present import in_present_view, present_header, present_toggle, step_box
from verifydemo.ui.presets import apply_url_presets, url_preset_notice
from verifydemo.ui.privacy import ethics_summary, keep_uploads_in_memory, privacy_panel
from verifydemo.ui.resources import warm_models
from verifydemo.ui.result import both_usable, result_step
from verifydemo.ui.session import PairOnScreen, analyse, drop_all_but
from verifydemo.ui.threshold import current_threshold, show_decision, threshold_section

st.set_page_config(page_title="verifydemo", layout="wide")
watch_this_session()
phone_layout()
page_language()
apply_url_presets()
follow_pace()
keep_uploads_in_memory()
with st.spinner(_("Loading the face model (once per server)...")):
    warm_models()
if notice := embedder_notice():
    st.info(notice)
present_header()
url_preset_notice()
if not in_present_view():
    intro()
join_panel()
lesson_panel()
with st.sidebar:
    if not in_present_view():
        present_toggle()
    language_selector()
    privacy_panel()
    ethics_summary()

with step_box("clerk"):
    clerk_step()
with step_box("id"):
    id_photo, id_person = id_photo_step()
with step_box("live"):
    live_photo = live_photo_step(id_person)
drop_all_but([photo for photo in (id_photo, live_photo) if photo is not None])
pair = None
with step_box("check"):
    if id_photo is None or live_photo is None:
        st.info(_("Choose an ID photo and a live photo to run the check."))
    else:
        id_analysis, live_analysis = analyse(id_photo), analyse(live_photo)
        if both_usable(id_analysis, live_analysis):
            result_step(id_photo, id_analysis, live_photo, live_analysis)
            pair = PairOnScreen(
                id_analysis, live_analysis, id_person, own_live_photo=live_photo.demo_path is None
            )
            threshold = current_threshold()
            with st.container(key=CHECK_DECISION):  # shown on phones and projectors
                show_decision(compare(pair.id_embedding, pair.live_embedding, threshold))
            add_under_the_check(pair, threshold)
with step_box("liveness"):
    liveness_section()
with step_box("verdict"):
    threshold_section(pair)
