"""Already extracted text (pdftotext and the like): one printed line per text line, pages split by form feeds."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator

from .lines import Line, Word

TYPE_CHECKING = False  # as typing.TYPE_CHECKING (mypy reads it so) without importing typing: ~2% of an extract
if TYPE_CHECKING:
    from typing import BinaryIO

_CHUNK = 1 << 16
# No table line is this long; the rest of a longer line is skipped, not kept in memory.
MAX_LINE_CHARACTERS = 10_000
# Whitespace between words; control characters that Python counts as whitespace (\v, \x1c-\x1f,
# \x85) stay inside the word, so a damaged name is cleaned and reported, not split in two.
_GAP = re.compile(r"[^\S\x0b\x1c-\x1f\x85]+")


def text_lines(text: str) -> Iterator[Line]:
    return _lines([text])


def stream_text_lines(handle: BinaryIO) -> Iterator[Line]:
    """Lines of a text file read in chunks: UTF-8 (with or without BOM), else Windows-1252."""
    first = handle.read(_CHUNK)
    try:
        # A character cut at the chunk's end is fine (final=False); a wrong byte is not.
        codecs.getincrementaldecoder("utf-8-sig")().decode(first, final=False)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")

    def chunks() -> Iterator[str]:
        data = first
        while data:
            yield decoder.decode(data)
            data = handle.read(_CHUNK)
        yield decoder.decode(b"", final=True)

    return _lines(chunks())


def _lines(chunks: Iterable[str]) -> Iterator[Line]:
    # Only "\n" ends a line and "\f" a page: str.splitlines() would also split a name at a
    # stray control character (\x1c, \x85, ...) and lose the row.
    page = 1
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        start = 0
        while start < len(chunk):
            ends = [i for i in (chunk.find("\n", start), chunk.find("\f", start)) if i >= 0]
            end = min(ends) if ends else len(chunk)
            if size < MAX_LINE_CHARACTERS:
                piece = chunk[start:end][: MAX_LINE_CHARACTERS - size]
                pending.append(piece)
                size += len(piece)
            if not ends:
                break
            line = _line(page, "".join(pending))
            if line is not None:
                yield line
            pending, size = [], 0
            if chunk[end] == "\f":
                page += 1
            start = end + 1
    line = _line(page, "".join(pending))
    if line is not None:
        yield line


def _line(page: int, raw: str) -> Line | None:
    raw = raw.rstrip("\r")
    words = tuple(Word(token) for token in _GAP.split(raw) if token)
    return Line(page, words, raw=raw) if words else None
