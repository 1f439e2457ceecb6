"""The face check itself: decode a photo, find and embed its face, compare two faces."""
