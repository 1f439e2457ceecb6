"""The webcam recorder of the liveness section: a small ``st.components.v2`` component.

Its HTML, CSS and JavaScript are constants written here, never built from anything a visitor
sends (Streamlit runs component code unsandboxed in the page). It opens the camera with
``getUserMedia``, shows each instruction in large type, draws ``FRAMES_PER_CHALLENGE`` frames per
challenge (``SECONDS`` s at ``FRAMES_PER_SECOND``) onto a ``WIDTH`` x ``HEIGHT`` canvas, and sends
every frame, as a JPEG data URL with the challenge it belongs to, in one trigger value. The
camera is closed as soon as the recording ends. No asset is fetched from anywhere.

:func:`read_clip` checks what came back against what the recorder sends (message size, frames
per challenge, bytes per frame) before decoding anything, and turns it into a :class:`Clip` in
memory; :meth:`Clip.decoded_frames` decodes a challenge's frames, each no larger than the
checks need.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import streamlit as st

from verifydemo.core.errors import UnusableInput
from verifydemo.core.i18n import _
from verifydemo.lessons.liveness import FRAMES_PER_SECOND, decode_frame
from verifydemo.ui.camera_script import CAMERA_JS

WIDTH, HEIGHT = 480, 360
"""The frames the recorder sends: enough for the 68 landmarks of a face across a desk (the
checks' ratios and angles do not depend on the size), and 40% fewer bytes on a class's Wi-Fi
than 640 x 480 (``verifydemo bench``: liveness send and measure)."""
SECONDS = 3.0
LEAD_SECONDS = 1.5
"""Time to read an instruction before its recording starts."""
JPEG_QUALITY = 0.85
FRAMES_PER_CHALLENGE = round(SECONDS * FRAMES_PER_SECOND)
"""What the recorder draws per challenge, exactly; a recording with more per challenge was not
sent by it and is refused whole, before any frame is decoded."""
MAX_FRAME_BYTES = 150_000
"""A 640 x 480 webcam frame at JPEG_QUALITY takes 20 to 50 kB, about 85 kB with heavy sensor
noise (a low-light camera); pure noise takes 230 kB. The recorder's smaller frames take less."""
MAX_FRAME_PIXELS = 1280 * 960
"""A frame larger than this was not sent by the recorder (it draws WIDTH x HEIGHT); refusing it
keeps a small JPEG that claims a huge picture from filling the server's memory."""
DATA_URL_PREFIX = "data:image/jpeg;base64,"
MAX_FRAME_CHARS = len(DATA_URL_PREFIX) + (MAX_FRAME_BYTES + 2) // 3 * 4
"""The longest data URL of a frame of MAX_FRAME_BYTES (base64 takes 4 characters per 3 bytes)."""

HTML = """
<div class="vd-liveness">
  <div class="vd-stage">
    <video class="vd-video" autoplay muted playsinline></video>
    <div class="vd-instruction" aria-live="assertive"></div>
    <div class="vd-progress"><div class="vd-bar"></div></div>
  </div>
  <ol class="vd-steps"></ol>
  <button class="vd-start" type="button"></button>
  <p class="vd-status" role="status"></p>
</div>
"""

CSS = """
.vd-liveness { font-family: var(--st-font, sans-serif); color: var(--st-text-color, inherit); }
.vd-stage { display: none; position: relative; width: 100%; max-width: 640px;
  aspect-ratio: 4 / 3; background: #222; border-radius: 8px; overflow: hidden; }
.vd-recording .vd-stage { display: block; }
.vd-video { width: 100%; height: 100%; object-fit: cover; transform: scaleX(-1); }
.vd-instruction { position: absolute; left: 0; right: 0; top: 0; padding: 0.4em 0.5em;
  font-size: 2.4rem; font-weight: 700; line-height: 1.15; text-align: center; color: #fff;
  background: rgba(0, 0, 0, 0.55); }
.vd-instruction:empty { display: none; }
.vd-progress { position: absolute; left: 0; right: 0; bottom: 0; height: 8px;
  background: rgba(255, 255, 255, 0.25); }
.vd-bar { height: 100%; width: 0; background: var(--st-primary-color, #ff4b4b); }
.vd-steps { font-size: 1.1rem; margin: 0.6em 0; }
.vd-steps li.vd-now { font-weight: 700; }
.vd-start { font-size: 1.2rem; padding: 0.4em 1.2em; margin: 0.2em 0; cursor: pointer;
  border-radius: 6px; border: 1px solid var(--st-primary-color, #ff4b4b);
  background: var(--st-primary-color, #ff4b4b); color: #fff; }
.vd-start:disabled { opacity: 0.5; cursor: default; }
.vd-status { min-height: 1.4em; margin: 0.3em 0; }
"""

JS = (
    CAMERA_JS
    + """
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function stopCamera(view) {
  if (view.stream) {
    view.stream.getTracks().forEach((track) => track.stop());
    view.stream = null;
  }
  if (view.parts) {
    view.parts.video.srcObject = null;
    view.parts.root.classList.remove("vd-recording");
  }
}

function showSteps(view, current) {
  const list = view.parts.steps;
  list.replaceChildren();
  view.data.challenges.forEach((challenge, index) => {
    const item = document.createElement("li");
    item.textContent = challenge.instruction;
    if (index === current) item.className = "vd-now";
    list.appendChild(item);
  });
}

function showReady(view) {
  const { parts, data } = view;
  parts.button.textContent = data.texts.start;
  parts.button.disabled = false;
  parts.instruction.textContent = "";
  parts.bar.style.width = "0";
  showSteps(view, -1);
}

function drawCentred(context, video, width, height) {
  const scale = Math.max(width / video.videoWidth, height / video.videoHeight);
  const sourceWidth = width / scale;
  const sourceHeight = height / scale;
  const left = (video.videoWidth - sourceWidth) / 2;
  const top = (video.videoHeight - sourceHeight) / 2;
  context.drawImage(video, left, top, sourceWidth, sourceHeight, 0, 0, width, height);
}

async function record(view, setTriggerValue) {
  const { parts } = view;
  const data = view.data;
  const texts = data.texts;
  const problem = (reason) => {
    stopCamera(view);
    view.recording = false;
    showReady(view);
    parts.status.textContent = "";  // the page says it once, in its own warning
    setTriggerValue("camera", reason);
  };
  if (cameraBlocked()) {
    problem(cameraBlocked());
    return;
  }
  view.recording = true;
  parts.button.disabled = true;
  parts.status.textContent = texts.opening;
  const camera = await openCamera(data.width, data.height);
  if (camera.reason) {
    problem(camera.reason);
    return;
  }
  view.stream = camera.stream;
  parts.video.srcObject = view.stream;
  parts.video.play().catch(() => {});
  parts.root.classList.add("vd-recording");
  parts.stage.scrollIntoView({ block: "center" });
  if (!(await waitForPicture(parts.video, 10))) {
    problem("missing");
    return;
  }
  const canvas = document.createElement("canvas");
  canvas.width = data.width;
  canvas.height = data.height;
  const context = canvas.getContext("2d");
  const frames = [];
  const perChallenge = data.frames_per_challenge;
  for (const [index, challenge] of data.challenges.entries()) {
    showSteps(view, index);
    parts.instruction.textContent = challenge.instruction;
    parts.bar.style.width = "0";
    parts.status.textContent = texts.ready;
    await sleep(data.lead_seconds * 1000);
    parts.status.textContent = texts.recording;
    const start = performance.now();
    for (let frame = 0; frame < perChallenge; frame += 1) {
      await sleep(Math.max(0, start + (frame * 1000) / data.fps - performance.now()));
      drawCentred(context, parts.video, data.width, data.height);
      const image = canvas.toDataURL("image/jpeg", data.quality);
      frames.push({ challenge: challenge.name, image });
      parts.bar.style.width = `${(100 * (frame + 1)) / perChallenge}%`;
    }
  }
  stopCamera(view);
  parts.instruction.textContent = "";
  parts.status.textContent = texts.sending;
  view.recording = false;
  setTriggerValue("clip", JSON.stringify({ attempt: data.attempt, frames }));
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".vd-liveness");
  if (!root || !data) return undefined;
  const view = root.verifydemo || (root.verifydemo = { recording: false, stream: null });
  view.data = data;
  view.parts = {
    root,
    stage: root.querySelector(".vd-stage"),
    video: root.querySelector(".vd-video"),
    instruction: root.querySelector(".vd-instruction"),
    bar: root.querySelector(".vd-bar"),
    steps: root.querySelector(".vd-steps"),
    button: root.querySelector(".vd-start"),
    status: root.querySelector(".vd-status"),
  };
  if (!view.recording) {
    showReady(view);
    if (view.attempt !== data.attempt) view.parts.status.textContent = "";
  }
  view.attempt = data.attempt;
  view.parts.button.onclick = () => {
    if (!view.recording) record(view, setTriggerValue);
  };
  return () => stopCamera(view);
}
"""
)

RECORDER = st.components.v2.component(
    "verifydemo_liveness_recorder", html=HTML, css=CSS, js=JS, isolate_styles=True
)


@dataclass(frozen=True)
class Instruction:
    """One challenge of an attempt: its name and what the visitor is asked to do."""

    challenge: str
    text: str


@dataclass(frozen=True)
class Clip:
    """The frames of one recorded attempt, as JPEG bytes in order, each with its challenge."""

    attempt: str
    challenges: tuple[str, ...]
    frames: tuple[tuple[str, bytes], ...]

    @cached_property
    def digest(self) -> str:
        """Names the clip in this session's memory."""
        hashed = hashlib.sha256(self.attempt.encode())
        for challenge, jpeg in self.frames:
            hashed.update(challenge.encode())
            hashed.update(hashlib.sha256(jpeg).digest())
        return hashed.hexdigest()

    def frames_of(self, challenge: str) -> list[bytes]:
        return [jpeg for name, jpeg in self.frames if name == challenge]

    def decoded_frames(self, challenge: str) -> list[np.ndarray]:
        """The challenge's frames as RGB arrays: each frame's size is read from its header and
        refused over MAX_FRAME_PIXELS, then it is decoded scaled down to the size the checks
        use (``lessons.liveness.MAX_FRAME_SIDE``)."""
        return [decode_frame(jpeg, MAX_FRAME_PIXELS) for jpeg in self.frames_of(challenge)]


@dataclass(frozen=True)
class RecorderEvents:
    """What the recorder sent in this run: a clip's JSON text, or a camera problem."""

    clip: str | None
    camera: str | None


def recorder(attempt: str, instructions: list[Instruction], key: str) -> RecorderEvents:
    """Show the recorder for this attempt's challenges; returns what it sent in this run."""
    texts = {
        "start": _("Start recording"),
        "opening": _("Opening the camera..."),
        "ready": _("Get ready..."),
        "recording": _("Recording: do it now."),
        "sending": _("Sending the frames to the app..."),
    }
    result = RECORDER(
        key=key,
        data={
            "attempt": attempt,
            "challenges": [
                {"name": item.challenge, "instruction": item.text} for item in instructions
            ],
            "texts": texts,
            "width": WIDTH,
            "height": HEIGHT,
            "fps": FRAMES_PER_SECOND,
            "frames_per_challenge": FRAMES_PER_CHALLENGE,
            "lead_seconds": LEAD_SECONDS,
            "quality": JPEG_QUALITY,
        },
        on_clip_change=_ignore,
        on_camera_change=_ignore,
    )
    clip, camera = result.get("clip"), result.get("camera")
    return RecorderEvents(
        clip if isinstance(clip, str) else None, camera if isinstance(camera, str) else None
    )


def _ignore() -> None:
    """Trigger values are read from the result; registering a callback makes them reach it."""


def read_clip(text: str, attempt: str, challenges: tuple[str, ...]) -> Clip:
    """The frames the recorder sent for ``attempt``, checked and base64-decoded in memory.

    Raises :class:`UnusableInput` with a one-line reason for anything the recorder would not
    send: other JSON, another attempt, an unknown challenge, more than FRAMES_PER_CHALLENGE
    frames for a challenge (refused, not thinned out: the recorder never sends more), frames
    over MAX_FRAME_BYTES, or a message longer than all of them could be. The sizes are checked
    before the JSON is parsed and before any frame is base64-decoded.
    """
    limit = len(challenges) * FRAMES_PER_CHALLENGE * (MAX_FRAME_CHARS + 100) + 1000
    if len(text) > limit:
        raise UnusableInput(
            "The recording is over {megabytes:.0f} MB, more than the recorder sends; please "
            "record again.",
            megabytes=limit / 1e6,
        )
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        raise UnusableInput("The recording could not be read; please record again.") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("frames"), list):
        raise UnusableInput("The recording could not be read; please record again.")
    if payload.get("attempt") != attempt:
        raise UnusableInput("That recording belongs to an earlier attempt; please record again.")
    too_many = UnusableInput(
        "The recording has more than {count} frames per challenge; please record again.",
        count=FRAMES_PER_CHALLENGE,
    )
    if len(payload["frames"]) > len(challenges) * FRAMES_PER_CHALLENGE:
        raise too_many
    frames: list[tuple[str, bytes]] = []
    counts = dict.fromkeys(challenges, 0)
    for frame in payload["frames"]:
        if not isinstance(frame, dict):
            raise UnusableInput("The recording could not be read; please record again.")
        challenge, image = frame.get("challenge"), frame.get("image")
        if not isinstance(challenge, str) or challenge not in counts or not isinstance(image, str):
            raise UnusableInput("The recording could not be read; please record again.")
        counts[challenge] += 1
        if counts[challenge] > FRAMES_PER_CHALLENGE:
            raise too_many
        if not image.startswith(DATA_URL_PREFIX) or len(image) > MAX_FRAME_CHARS:
            raise UnusableInput("A frame of the recording is not a JPEG image of a usable size.")
        try:
            jpeg = base64.b64decode(image[len(DATA_URL_PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            raise UnusableInput(
                "A frame of the recording is not a JPEG image of a usable size."
            ) from None
        frames.append((challenge, jpeg))
    return Clip(attempt, challenges, tuple(frames))
