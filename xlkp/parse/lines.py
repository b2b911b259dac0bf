"""Words with positions, gathered into printed lines: what every reader hands to the table parser."""

from __future__ import annotations

from operator import attrgetter
from typing import NamedTuple


class Word(NamedTuple):
    """A word and where it stands. A tuple, not a frozen dataclass: a page makes hundreds and
    a frozen dataclass costs several times as much to build."""

    text: str
    x0: float | None = None  # None when the source had no positions (extracted text)
    x1: float | None = None
    top: float | None = None
    upright: bool = True

    @property
    def center(self) -> float | None:
        return None if self.x0 is None or self.x1 is None else (self.x0 + self.x1) / 2


class Line:
    """One printed line: its page (1-based), its words left to right, and their text."""

    # A plain class with its text joined once: the parser reads a line's text several times
    # (a property joining the words each time took a tenth of the parser's time).
    __slots__ = ("page", "words", "raw", "text")

    def __init__(self, page: int, words: tuple[Word, ...], raw: str | None = None):
        self.page = page
        self.words = words
        self.raw = raw  # the line as extracted, when the source was text (keeps wide gaps)
        self.text = " ".join([w.text for w in words])

    def __repr__(self) -> str:
        return f"Line(page={self.page}, text={self.text!r})"


# Sort keys as C getters, not lambdas: called once per word.
_TOP_THEN_LEFT = attrgetter("top", "x0")
_LEFT = attrgetter("x0")


def group_lines(page: int, words: list[Word], tolerance: float = 3.0) -> list[Line]:
    """Words on one baseline (within `tolerance` points) form a line, read left to right.

    The words have positions (they come from a PDF). A rotated word (a header label printed
    sideways) is a line of its own; its `top` is where it ends nearest the table, so it sorts
    between the subtitle and the first row.
    """
    lines: list[list[Word]] = []
    for word in sorted(words, key=_TOP_THEN_LEFT):
        if lines and word.upright and lines[-1][0].upright and abs(lines[-1][0].top - word.top) <= tolerance:  # type: ignore[operator]  # from a PDF: positioned
            lines[-1].append(word)
        else:
            lines.append([word])
    return [Line(page, tuple(sorted(ws, key=_LEFT))) for ws in lines]
