"""Already extracted text (pdftotext and the like): one printed line per text line, pages split by form feeds."""

from __future__ import annotations

from collections.abc import Iterator

from .lines import Line, Word


def text_lines(text: str) -> Iterator[Line]:
    for page_number, page in enumerate(text.split("\f"), start=1):
        for raw in page.splitlines():
            words = tuple(Word(token) for token in raw.split())
            if words:
                yield Line(page_number, words, raw=raw)
