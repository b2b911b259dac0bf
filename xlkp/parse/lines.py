"""Words with positions, gathered into printed lines: what every reader hands to the table parser."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    words: tuple[Word, ...]
    raw: str | None = None  # the line as extracted, when the source was text (keeps wide gaps)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def group_lines(page: int, words: list[Word], tolerance: float = 3.0) -> list[Line]:
    """Words on one baseline (within `tolerance` points) form a line, read left to right.

    A rotated word (a header label printed sideways) is a line of its own; its `top` is where
    it ends nearest the table, so it sorts between the subtitle and the first row.
    """
    ordered = sorted(words, key=lambda w: (w.top or 0.0, w.x0 or 0.0))
    lines: list[list[Word]] = []
    for word in ordered:
        last = lines[-1] if lines else None
        if (
            last is not None
            and word.upright
            and last[0].upright
            and abs((last[0].top or 0.0) - (word.top or 0.0)) <= tolerance
        ):
            last.append(word)
        else:
            lines.append([word])
    return [Line(page, tuple(sorted(ws, key=lambda w: w.x0 or 0.0))) for ws in lines]
