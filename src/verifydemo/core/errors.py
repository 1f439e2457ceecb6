"""The one exception type the package raises for input a person can fix."""


class UnusableInput(ValueError):
    """An image or file that cannot be used; ``str(error)`` is a one-line reason for people."""
