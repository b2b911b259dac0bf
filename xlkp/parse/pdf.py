"""Words with positions from a PDF, through one of two interchangeable backends.

`pdfium` (the default) asks pypdfium2 for a page's text once and for the boxes of each word's
first and last character only; `pdfplumber` uses pdfplumber's own word extraction. Both hand
the same `Word`s to `group_lines`, so the table parser cannot tell them apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from ..model import InputError
from .lines import Line, Word, group_lines

WordReader = Callable[[Path], Iterator[tuple[int, list[Word]]]]

_WORD = re.compile(r"\S+")
# PDF readers stop when an encrypted file has no empty user password; say it plainly.
_ENCRYPTED = "versleutelde PDF (met wachtwoord beveiligd); sla hem eerst onbeveiligd op"


def pdfium_words(path: Path) -> Iterator[tuple[int, list[Word]]]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise InputError(str(path), _ENCRYPTED) from None
        raise InputError(str(path), f"geen leesbare PDF ({error})") from None
    try:
        yield from _pdfium_pages(document)
    except pdfium.PdfiumError as error:
        raise InputError(str(path), f"beschadigde PDF ({error})") from None
    finally:
        document.close()


def _pdfium_pages(document) -> Iterator[tuple[int, list[Word]]]:
    for index in range(len(document)):
        page = document[index]
        height = page.get_height()
        textpage = page.get_textpage()
        # One call for the page's text, then boxes only for each word's first and last
        # character: far fewer calls into pdfium than one per character.
        text = textpage.get_text_range()
        words = []
        for match in _WORD.finditer(text):
            left, _, _, top = textpage.get_charbox(match.start())
            _, _, right, _ = textpage.get_charbox(match.end() - 1)
            if right < left:  # text running right to left or rotated: order the edges
                left, right = right, left
            words.append(Word(match.group(), left, right, height - top))
        textpage.close()
        page.close()
        yield index + 1, words


def pdfplumber_words(path: Path) -> Iterator[tuple[int, list[Word]]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as error:  # pdfminer raises many unrelated types for broken files
        # pdfplumber wraps pdfminer's errors: the cause is the first argument.
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise InputError(str(path), _ENCRYPTED) from None
        raise InputError(str(path), f"geen leesbare PDF ({type(cause).__name__})") from None
    with pdf:
        for page in pdf.pages:
            words = [
                Word(w["text"], w["x0"], w["x1"], w["top"], w.get("upright", True))
                for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
            ]
            page.flush_cache()
            yield page.page_number, words


BACKENDS: dict[str, WordReader] = {"pdfium": pdfium_words, "pdfplumber": pdfplumber_words}


def pdf_lines(path: Path, backend: str = "pdfium") -> Iterator[Line]:
    for page_number, words in BACKENDS[backend](path):
        yield from group_lines(page_number, words)
