"""The shipped data: the London Set reader, the demo faces and the reference set."""
