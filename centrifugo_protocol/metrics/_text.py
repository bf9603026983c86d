"""Small text helpers shared by the reader, the report and the rendering."""

from __future__ import annotations

from typing import Final

__all__ = ["SHOWN_WIDTH", "clip", "printable"]

#: Widest rendering of a source, a value or a library's message in an error line.
SHOWN_WIDTH: Final = 100


def printable(text: str, width: int = SHOWN_WIDTH) -> str:
    """``text`` if it is short printable ASCII, else its escaped form; cut to ``width``."""
    shown = text if text and text.isascii() and text.isprintable() else ascii(text)
    return clip(shown, width)


def clip(text: str, width: int) -> str:
    """``text``, cut to ``width`` characters with ``...`` when it is longer."""
    return text if len(text) <= width else text[: width - 3] + "..."
