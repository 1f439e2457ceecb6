"""The one exception type the package raises for input a person can fix."""

from verifydemo.core.i18n import Message


class UnusableInput(ValueError):
    """An image or file that cannot be used. It holds its reason as a :class:`Message` (English
    text and values); ``str(error)`` is that one line in the language of whoever reads it, so an
    error remembered for a session reads right after a change of language."""

    def __init__(self, text: str, /, **values: object) -> None:
        super().__init__(text)
        self.message = Message(text, **values)

    def __str__(self) -> str:
        return str(self.message)

    def __reduce__(self) -> tuple:
        return _unusable, (self.message.text, self.message.values)


def _unusable(text: str, values: dict[str, object]) -> UnusableInput:
    return UnusableInput(text, **values)
