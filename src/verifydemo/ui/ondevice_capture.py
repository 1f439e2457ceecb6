"""The live photo checked on the student's own device (classroom mode, issue 27, second step):
a small ``st.components.v2`` component and what the page makes of what it sends.

Its HTML, CSS and JavaScript are constants written here, never built from anything a visitor
sends (Streamlit runs component code unsandboxed in the page). It opens the camera with
``getUserMedia`` and shows the preview; meanwhile it imports the on-device pipeline from the
laptop's own server (``/ondevice/pipeline.mjs``, ``ondevice/README.md``), which loads the runtime
and the models from there too, and runs once on the preview (kept on the device: the runtime's
first run is the slow one). "Take the live photo" computes the face's 128 numbers on the
device and sends, in one trigger value, only those numbers (rounded to 6 decimals), the face box
in the frame's pixels, the frame's size, how many faces were found and the timings: about
1.3 kB, never an image. Its "What leaves your phone" panel shows the exact text sent.

The page holds what arrives to ``ondevice.sent.read_sent`` and turns it into the live side of
the check: a :class:`DeviceFace` (the numbers, no picture), which the rest of the page
(the distance, the verdict, the class pool) uses as it uses a photo's face.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from verifydemo.core.errors import UnusableInput
from verifydemo.core.faces import FaceBox, FaceResult
from verifydemo.core.i18n import N_, Message, _
from verifydemo.ondevice.sent import SentCheck, read_sent
from verifydemo.ui import keys
from verifydemo.ui.camera_script import CAMERA_JS
from verifydemo.ui.ondevice_routes import PREFIX
from verifydemo.ui.session import ANALYSIS, Analysis, FaceFound, Photo, Unusable, memo

PIPELINE = f"{PREFIX}/pipeline.mjs"
"""The browser's half of the check, from the laptop's own origin."""
WIDTH, HEIGHT = 640, 480
"""The camera size asked for (the phone may give another; the box is in the frame it gave)."""
SLOW_MS = 2000
"""Above this per photo, the page suggests sending the photo instead (issue 27)."""
PLACEHOLDER_SIDE = 320
"""The live side keeps no picture: a plain grey frame, the device's frame shrunk to at most this
many pixels a side (the face box with it), stands where one would be for the parts of the page
that take an array; the check draws nothing of it."""

HTML = """
<div class="vd-ondevice">
  <div class="vd-stage"><video class="vd-video" autoplay muted playsinline></video></div>
  <button class="vd-take" type="button" disabled></button>
  <p class="vd-status" role="status"></p>
  <details class="vd-panel">
    <summary class="vd-panel-title"></summary>
    <p class="vd-panel-text"></p>
    <label class="vd-show-label"><input class="vd-show" type="checkbox"> <span></span></label>
    <pre class="vd-sent" hidden></pre>
  </details>
</div>
"""

CSS = """
.vd-ondevice { font-family: var(--st-font, sans-serif); color: var(--st-text-color, inherit); }
.vd-stage { position: relative; width: 100%; max-width: 480px; aspect-ratio: 4 / 3;
  background: #222; border-radius: 8px; overflow: hidden; }
.vd-video { width: 100%; height: 100%; object-fit: cover; transform: scaleX(-1); }
.vd-take { font-size: 1.1rem; padding: 0.4em 1.2em; margin: 0.5em 0 0.2em; cursor: pointer;
  border-radius: 6px; border: 1px solid var(--st-primary-color, #ff4b4b);
  background: var(--st-primary-color, #ff4b4b); color: #fff; }
.vd-take:disabled { opacity: 0.5; cursor: default; }
.vd-status { min-height: 1.4em; margin: 0.3em 0; }
.vd-panel { margin: 0.4em 0; padding: 0.4em 0.6em; border: 1px solid rgba(128, 128, 128, 0.4);
  border-radius: 6px; }
.vd-panel-title { cursor: pointer; font-weight: 600; }
.vd-show-label { display: block; margin: 0.3em 0; cursor: pointer; }
.vd-sent { max-height: 16em; overflow: auto; white-space: pre-wrap; word-break: break-all;
  font-size: 0.8rem; background: rgba(128, 128, 128, 0.12); padding: 0.5em; }
@media (max-width: 640px) {
  .vd-stage { max-width: 55%; }
  .vd-take { font-size: 1rem; margin-top: 0.3em; }
  .vd-status { font-size: 0.85rem; margin: 0.2em 0; }
}
"""

JS = (
    CAMERA_JS
    + """
const fill = (text, values) => text.replace(/\\{(\\w+)\\}/g, (all, name) =>
  name in values ? String(values[name]) : all);
const round = (value, places) => Math.round(value * 10 ** places) / 10 ** places;

function stopCamera(view) {
  if (view.stream) {
    view.stream.getTracks().forEach((track) => track.stop());
    view.stream = null;
  }
  if (view.parts) view.parts.video.srcObject = null;
}

/** The pipeline, loaded once per page (a rerun or a new mount reuses it). */
function pipeline(address) {
  if (!globalThis.verifydemoPipeline) {
    globalThis.verifydemoPipeline = import(new URL(address, document.baseURI).href)
      .then((module) => module.loadPipeline());
    globalThis.verifydemoPipeline.catch(() => { globalThis.verifydemoPipeline = null; });
  }
  return globalThis.verifydemoPipeline;
}

function showState(view) {
  const { parts, data } = view;
  const texts = data.texts;
  const ready = view.stream && view.picture && view.loaded && !view.busy;
  parts.take.disabled = !ready;
  parts.take.textContent = view.sent ? texts.again : texts.take;
  if (view.busy) parts.status.textContent = texts.computing;
  else if (view.failed) parts.status.textContent = "";
  else if (!view.stream || !view.picture) parts.status.textContent = texts.opening;
  else if (!view.loaded) parts.status.textContent = texts.loading;
  else if (view.sent) parts.status.textContent = view.sentLine;
  else parts.status.textContent = texts.ready;
  parts.sent.textContent = view.sent || texts.nothing;
  parts.sent.hidden = !parts.show.checked;
}

async function start(view, setTriggerValue) {
  const { parts, data } = view;
  const problem = (reason) => {
    view.failed = true;
    stopCamera(view);
    showState(view);
    setTriggerValue("problem", reason);
  };
  if (typeof WebAssembly !== "object") {
    problem("no_wasm");
    return;
  }
  if (cameraBlocked()) {
    problem(cameraBlocked());
    return;
  }
  const loading = pipeline(data.pipeline);
  showState(view);
  const camera = await openCamera(data.width, data.height);
  if (camera.reason) {
    problem(camera.reason);
    return;
  }
  view.stream = camera.stream;
  if (!view.mounted) {
    stopCamera(view);
    return;
  }
  parts.video.srcObject = view.stream;
  parts.video.play().catch(() => {});
  showState(view);
  if (!(await waitForPicture(parts.video, 10))) {
    problem("missing");
    return;
  }
  view.picture = true;
  showState(view);
  try {
    view.pipeline = await loading;
  } catch (error) {
    console.error(error);
    problem("load_failed");
    return;
  }
  // One run on the preview, kept here and sent nowhere: the runtime's first run is several
  // times slower than the next ones, so the student's own click gets the quick one.
  await view.pipeline.embed(parts.video).catch(() => null);
  view.loaded = true;
  showState(view);
}

async function take(view, setTriggerValue) {
  const { parts, data } = view;
  const video = parts.video;
  if (video.readyState < 2 || video.videoWidth === 0) return;
  view.busy = true;
  showState(view);
  try {
    const started = performance.now();
    const result = await view.pipeline.embed(video);
    const embedMs = performance.now() - started;
    const ms = { load: round(view.pipeline.loadMs, 1), embed: round(embedMs, 1) };
    const frame = [video.videoWidth, video.videoHeight];
    const message = result === null
      ? { status: "no_face", frame, faces: 0, ms }
      : {
        status: result.faceCount > 1 ? "several" : "ok",
        embedding: result.embedding.map((value) => round(value, 6)),
        box: result.box,
        frame,
        faces: result.faceCount,
        ms,
      };
    const text = JSON.stringify(message);
    view.sent = text;
    view.sentLine = fill(result === null ? data.texts.sent_no_face : data.texts.sent, {
      bytes: new TextEncoder().encode(text).length,
      ms: Math.round(ms.embed),
    });
    setTriggerValue("check", text);
  } catch (error) {
    console.error(error);
    setTriggerValue("problem", "load_failed");
  } finally {
    view.busy = false;
    showState(view);
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".vd-ondevice");
  if (!root || !data) return undefined;
  const fresh = !root.verifydemo;
  const view = root.verifydemo || (root.verifydemo = { stream: null, loaded: false, sent: "" });
  view.data = data;
  view.mounted = true;
  view.parts = {
    video: root.querySelector(".vd-video"),
    take: root.querySelector(".vd-take"),
    status: root.querySelector(".vd-status"),
    title: root.querySelector(".vd-panel-title"),
    text: root.querySelector(".vd-panel-text"),
    show: root.querySelector(".vd-show"),
    showText: root.querySelector(".vd-show-label span"),
    sent: root.querySelector(".vd-sent"),
  };
  const { parts, texts } = { parts: view.parts, texts: data.texts };
  parts.title.textContent = texts.panel_title;
  parts.text.textContent = texts.panel_text;
  parts.showText.textContent = texts.show;
  parts.show.onchange = () => showState(view);
  parts.take.onclick = () => {
    if (!view.busy && view.loaded) take(view, setTriggerValue);
  };
  if (fresh) start(view, setTriggerValue);
  showState(view);
  return () => {
    view.mounted = false;
    stopCamera(view);
    delete root.verifydemo;
  };
}
"""
)

CAPTURE = st.components.v2.component(
    "verifydemo_ondevice_capture", html=HTML, css=CSS, js=JS, isolate_styles=True
)

PROBLEMS = {
    "insecure": N_(
        "This page was not opened over HTTPS, so the browser will not open the camera here. "
        "Open the address the teacher shows (it starts with https://)."
    ),
    "refused": N_(
        "The camera was not allowed. Allow it in the browser's address bar, then reload the page."
    ),
    "missing": N_("No camera could be opened on this device."),
    "no_wasm": N_("This browser cannot run the check on the phone (it has no WebAssembly)."),
    "load_failed": N_("The face model could not be loaded onto this device."),
}
"""Why the device could not run the check, as the component reports it."""


@dataclass(frozen=True)
class DeviceFace(FaceFound):
    """The live side of a check whose numbers the device computed: the face's embedding and box
    as sent, the device's timings; no picture (``rgb`` is a small grey placeholder)."""

    sent: SentCheck | None = None


def device_live_photo() -> Photo | None:
    """In classroom mode, with the on-device check on: the component, the numbers it sent as
    the live side of the check (or the one-line reason they were refused), ready for
    ``session.analyse``; None until the device has sent anything."""
    result = CAPTURE(
        key=keys.ONDEVICE_CAPTURE,
        data={
            "pipeline": PIPELINE,
            "width": WIDTH,
            "height": HEIGHT,
            "texts": _texts(),
        },
        on_check_change=_ignore,
        on_problem_change=_ignore,
    )
    check, problem = result.get("check"), result.get("problem")
    if check is not None:
        st.session_state[keys.ONDEVICE_PROBLEM] = None
        try:
            st.session_state[keys.ONDEVICE_SENT] = read_sent(check)
        except UnusableInput as error:
            st.session_state[keys.ONDEVICE_SENT] = error.message
    elif isinstance(problem, str):
        st.session_state[keys.ONDEVICE_PROBLEM] = problem if problem in PROBLEMS else "missing"
    if (reason := st.session_state.get(keys.ONDEVICE_PROBLEM)) is not None:
        st.warning(
            _(PROBLEMS[reason])
            + " "
            + _("Turn off “Check on this phone” above to send the photo instead.")
        )
    sent = st.session_state.get(keys.ONDEVICE_SENT)
    if sent is None:
        return None
    photo = _as_photo(sent)
    memo(ANALYSIS, (photo.digest,), (), lambda: _analysis(photo.digest, sent))
    if isinstance(sent, SentCheck) and sent.timings.get("embed", 0) > SLOW_MS:
        st.info(
            _(
                "This device took {seconds:.1f} s to compute the numbers. If that is too slow, "
                "turn off “Check on this phone” above to send the photo instead.",
                seconds=sent.timings["embed"] / 1000,
            )
        )
    return photo


def _texts() -> dict[str, str]:
    return {
        "take": _("Take the live photo"),
        "again": _("Take it again"),
        "opening": _("Opening the camera..."),
        "loading": _("Loading the face model onto this device (a few seconds the first time)..."),
        "ready": _("Ready: look at the camera and take the photo."),
        "computing": _("Finding your face and computing its 128 numbers on this device..."),
        "sent": _(
            "Sent {bytes} bytes: 128 numbers, where the face is and the time taken. "
            "Computed in {ms} ms on this device."
        ),
        "sent_no_face": _("No face found on this device; only that was sent ({bytes} bytes)."),
        "panel_title": _("What leaves your phone"),
        "panel_text": _(
            "The photo stays on this phone. Your phone finds your face, lines it up and turns "
            "it into 128 numbers, the same way the teacher's computer would. It sends those 128 "
            "numbers, where the face was in the picture and the picture's size, how many faces "
            "it found and how long it took; nothing else. The picture itself is never sent."
        ),
        "show": _("Show me what is sent"),
        "nothing": _("Nothing has been sent yet."),
    }


def _ignore() -> None:
    """Trigger values are read from the result; registering a callback makes them reach it."""


def _as_photo(sent: SentCheck | Message) -> Photo:
    """The device's numbers as the live "photo" of the check: no image, only the numbers as
    text, which name it in the session's memory."""
    data = (
        sent.canonical()
        if isinstance(sent, SentCheck)
        else ("refused:" + sent.text + repr(sorted(sent.values.items()))).encode()
    )
    return Photo(b"ondevice:" + hashlib.sha256(data).digest(), _("your live photo, on this device"))


def _analysis(digest: str, sent: SentCheck | Message) -> Analysis:
    """The live side of the check from what the device sent: its face, or why there is none."""
    if isinstance(sent, Message):
        return Unusable(digest, sent)
    if sent.embedding is None:
        return Unusable(
            digest,
            Message(
                "No face found on your device: face the camera, with your whole face in good, "
                "even light."
            ),
        )
    width, height = sent.frame
    scale = min(1.0, PLACEHOLDER_SIDE / max(width, height))
    left, top, right, bottom = (round(side * scale) for side in sent.box or (0, 0, 0, 0))
    face = FaceResult(
        box=FaceBox(top=top, right=right, bottom=bottom, left=left),
        embedding=np.asarray(sent.embedding, dtype=np.float64),
        face_count=sent.face_count,
    )
    shape = (max(1, round(height * scale)), max(1, round(width * scale)), 3)
    return DeviceFace(digest, np.full(shape, 200, np.uint8), face, sent)
