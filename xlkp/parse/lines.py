"""Words with positions, gathered into printed lines: what every reader hands to the table parser."""

from __future__ import annotations

from collections import namedtuple
from operator import itemgetter


# collections' namedtuple, not typing.NamedTuple: reading would import typing for it alone.
class Word(namedtuple("Word", ["text", "x0", "x1", "top", "upright"], defaults=(None, None, None, True))):
    """A word and where it stands. A tuple, not a frozen dataclass: a page makes hundreds and
    a frozen dataclass costs several times as much to build."""

    __slots__ = ()
    # The fields' types, for the type checker.
    text: str
    x0: float | None  # None when the source had no positions (extracted text)
    x1: float | None
    top: float | None
    upright: bool

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


# Sort keys as C getters, not lambdas: called once per word. By position, not by name: a
# NamedTuple's field is a descriptor that Python looks up on the class for every word.
_TOP_LEFT = itemgetter(3, 1)  # (top, x0)
_LEFT = itemgetter(1)


def group_lines(page: int, words: list[Word], tolerance: float = 3.0) -> list[Line]:
    """Words on one baseline (within `tolerance` points) form a line, read left to right.

    The words have positions (they come from a PDF). A rotated word (a header label printed
    sideways) is a line of its own; its `top` is where it ends nearest the table, so it sorts
    between the subtitle and the first row.
    """
    # Top to bottom, left to right within the same top. One sort on (top, x0): the words come
    # from the PDF mostly in reading order already, which a sort on x0 first would undo.
    ordered = sorted(words, key=_TOP_LEFT)
    lines: list[list[Word]] = []
    line: list[Word] = []
    line_top, line_upright = 0.0, False  # of the line's first word
    for word in ordered:
        _, _, _, top, upright = word
        top = top or 0.0  # always set here; `or` for the type checker
        if line_upright and upright and abs(line_top - top) <= tolerance:
            line.append(word)
        else:
            line = [word]
            lines.append(line)
            line_top, line_upright = top, upright
    return [Line(page, tuple(sorted(ws, key=_LEFT))) for ws in lines]
