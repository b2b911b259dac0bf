"""Read a publication from a PDF or from extracted text into `Publication` records.

Every way a file can be unusable ends in an `InputError` with one line for the user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..counts import MAX_COUNT_DIGITS, CountTooLong
from ..model import SAMPLE_MARK, InputError, Publication
from .lines import Line
from .pdf import BACKENDS, PageCallback, pdf_lines
from .sections import NotThisPublication, parse_publication
from .text import stream_text_lines, text_lines

__all__ = ["BACKENDS", "PageCallback", "read_publication", "read_text"]

_PDF_MAGIC = b"%PDF-"
# The sample mark however a producer spaces it or renders its dash.
_SAMPLE_MARK = re.compile(
    r"\s*".join(re.escape(part) for part in SAMPLE_MARK.split()).replace(re.escape("–"), "[–—-]"),
    re.I,
)


def read_publication(
    path: str | Path, backend: str = "pdfium", on_page: PageCallback | None = None
) -> Publication:
    """Read one file (PDF or .txt); raise InputError naming the file and what is wrong.

    `on_page(page, pages)` is called as each PDF page is read, for a progress bar.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(str(path), "is een map, geen bestand")
    if not path.is_file():
        raise InputError(str(path), "bestand niet gevonden")
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise InputError(str(path), f"niet te lezen ({error.strerror})") from None
    if not head:
        raise InputError(str(path), "leeg bestand")
    if _PDF_MAGIC in head:
        return _read_pdf(path, backend, on_page)
    if b"\0" in head or path.suffix.lower() == ".pdf":
        raise InputError(str(path), "geen PDF-bestand (de PDF-kop '%PDF-' ontbreekt)")
    try:
        with path.open("rb") as handle:
            # Streamed: reading stops as soon as the parser has seen enough text that is no table.
            return _publication(str(path), stream_text_lines(handle), kind="tekst")
    except OSError as error:
        raise InputError(str(path), f"niet te lezen ({error.strerror})") from None


def read_text(text: str, source: str = "<tekst>") -> Publication:
    return _publication(source, text_lines(text), kind="tekst")


def _read_pdf(path: Path, backend: str, on_page: PageCallback | None) -> Publication:
    tail = _tail(path)
    if b"%%EOF" not in tail:
        raise InputError(str(path), "afgebroken PDF (het einde van het bestand ontbreekt)")
    return _publication(str(path), pdf_lines(path, backend, on_page), kind="PDF")


def _tail(path: Path, size: int = 2048) -> bytes:
    with path.open("rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - size))
        return handle.read()


def _publication(source: str, lines: Iterable[Line], kind: str) -> Publication:
    counted = _Counted(lines)
    try:
        sections, national = parse_publication(counted)
    except NotThisPublication as error:
        raise InputError(source, error.reason) from None
    except CountTooLong as error:
        raise InputError(
            source,
            f"een getal van {error.digits} cijfers op pagina {counted.page} (een aantal heeft er "
            f"hoogstens {MAX_COUNT_DIGITS}): beschadigd of geen publicatie van klantprofielen",
        ) from None
    if not sections and not national:
        if counted.lines == 0:
            reason = (
                "geen tekstlaag: waarschijnlijk een scan; vraag om de digitale PDF"
                if kind == "PDF"
                else "geen tekst"
            )
        else:
            reason = "geen tabellen van 'Transparantie van klantprofielen' gevonden"
        raise InputError(source, reason)
    for section in sections:
        section.source = source
        section.sample = any(page in counted.sample_pages for page in section.pages)
    return Publication(source, sections, national)


class _Counted:
    """Passes lines through and counts them, so an empty text layer can be told from other text;
    notes the pages that carry the sample mark."""

    def __init__(self, lines: Iterable[Line]):
        self._lines = lines
        self.lines = 0
        self.page = 1
        self.sample_pages: set[int] = set()

    def __iter__(self) -> Iterator[Line]:
        for line in self._lines:
            self.lines += 1
            self.page = line.page
            if "voorbeeld" in line.text.casefold() and _SAMPLE_MARK.search(line.text):
                self.sample_pages.add(line.page)
            yield line
