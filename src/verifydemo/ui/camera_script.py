"""The camera's opening, shared by the page's two camera components (the liveness recorder and
the on-device check): one home for the constraints asked for and for the reasons a camera
does not open, which the page turns into its one-line messages."""

CAMERA_JS = """
/** "insecure" where this page may not ask for a camera (plain HTTP on another machine, or
 * no media devices), else null. */
function cameraBlocked() {
  const media = navigator.mediaDevices;
  return window.isSecureContext && media && media.getUserMedia ? null : "insecure";
}

/** The front camera at about width x height, as { stream }, or { reason } where it did not
 * open: "refused" (the visitor or the browser said no) or "missing". */
async function openCamera(width, height) {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: width }, height: { ideal: height }, facingMode: "user" },
      audio: false,
    });
    return { stream };
  } catch (error) {
    const refused = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
    return { reason: refused ? "refused" : "missing" };
  }
}

/** True once the video shows a picture, false after ``seconds`` without one. */
async function waitForPicture(video, seconds) {
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    if (video.readyState >= 2 && video.videoWidth > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
"""
