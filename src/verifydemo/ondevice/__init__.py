"""The on-device check's browser side: the vendored runtime and detector, dlib's landmark model and
face network converted in memory for the browser, the map from YuNet's box to dlib's, and the
JavaScript pipeline (``static/pipeline.mjs``) that computes the 128 numbers in the browser."""
