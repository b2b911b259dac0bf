"""Words with positions from a PDF, through one of two interchangeable backends.

`pdfium` (the default) asks pypdfium2 for a page's text once and for the boxes of each word's
first and last character only; `pdfplumber` uses pdfplumber's own word extraction. Both hand
the same `Word`s to `group_lines`, so the table parser cannot tell them apart.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import math
from collections.abc import Callable, Iterator
from pathlib import Path

from ..model import InputError
from .lines import Line, Word, group_lines

# Yields (page number, number of pages, words of that page).
WordReader = Callable[[Path], Iterator[tuple[int, int, list[Word]]]]
PageCallback = Callable[[int, int], None]

# A Word made from its five fields directly: NamedTuple's own __new__ is a Python function,
# and the reader makes one Word per word of the publication.
_new_word = functools.partial(tuple.__new__, Word)
# PDF readers stop when an encrypted file has no empty user password; say it plainly.
_ENCRYPTED = "versleutelde PDF (met wachtwoord beveiligd); sla hem eerst onbeveiligd op"


def pdfium_words(path: Path) -> Iterator[tuple[int, int, list[Word]]]:
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


def _pdfium_pages(document) -> Iterator[tuple[int, int, list[Word]]]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    # pdfium's own call with one reused box: the same numbers as `PdfTextPage.get_charbox(i,
    # loose=True)`, without building a box and a tuple per character through the wrapper.
    char_box = _without_argtypes(pdfium_c.FPDFText_GetLooseCharBox)
    box = pdfium_c.FS_RECTF()
    box_ref = ctypes.byref(box)
    # The box's four floats (left, top, right, bottom) read in one step: a third of the time
    # of reading them as the structure's fields.
    box_floats = memoryview(box).cast("B").cast("f")
    count = len(document)
    for index in range(count):
        page = document[index]
        height = page.get_height()
        textpage = page.get_textpage()
        handle = textpage.raw
        # One call for the page's text, then boxes only for each word's first and last
        # character: far fewer calls into pdfium than one per character.
        text = textpage.get_text_range()
        words: list[Word] = []
        append = words.append
        # Each word found after the previous one: str.split() and the regex's \S agree on what
        # whitespace is, and no match object is made per word.
        end = 0
        for word in text.split():
            first = text.find(word, end)
            end = first + len(word)
            last = end - 1
            # Loose boxes span the font's ascent and advance, not the glyph's ink: every word on
            # a line gets the same top, whether it starts with 'A', 'a' or '-'.
            if not char_box(handle, first, box_ref):
                raise pdfium.PdfiumError("Failed to get charbox.")
            left, top, right, bottom = box_floats
            if last != first and not char_box(handle, last, box_ref):
                raise pdfium.PdfiumError("Failed to get charbox.")
            last_left, _, last_right, last_bottom = box_floats
            # Upright words advance to the right; only a word that does not is asked its angle.
            if last > first and last_left < right and _is_rotated(textpage, first):
                # Bottom-to-top: span both boxes; `top` is the end nearest the table.
                append(
                    Word(
                        word,
                        min(left, last_left),
                        max(right, last_right),
                        height - min(bottom, last_bottom),
                        False,
                    )
                )
            else:
                append(_new_word((word, left, last_right, height - top, True)))
        textpage.close()
        page.close()
        yield index + 1, count, words


def _without_argtypes(function):
    """The same C function without ctypes' conversion of each argument through `argtypes`,
    which costs more than pdfium's work here (the caller passes exactly the C types)."""
    return type(function)(ctypes.cast(function, ctypes.c_void_p).value)


def _is_rotated(textpage, index: int) -> bool:
    import pypdfium2.raw as pdfium_c

    # pdfium measures clockwise: a label reading bottom to top has 3π/2. Error is -1.
    angle = pdfium_c.FPDFText_GetCharAngle(textpage.raw, index)
    return 0.1 < angle < 2 * math.pi - 0.1


_WORD_GAP = 0.15  # of the font size


def pdfplumber_words(path: Path) -> Iterator[tuple[int, int, list[Word]]]:
    import logging

    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    # pdfminer logs every repair it makes to stderr; the user gets one line from us instead.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as error:  # pdfminer raises many unrelated types for broken files
        # pdfplumber wraps pdfminer's errors: the cause is the first argument.
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise InputError(str(path), _ENCRYPTED) from None
        raise InputError(str(path), f"geen leesbare PDF ({type(cause).__name__})") from None
    number = 0
    try:
        pages = pdf.pages
        for number, page in enumerate(pages, start=1):
            # Rotated header labels read bottom to top; `top` is the end nearest the table. Letters
            # further apart than 0.15 of the font size start a new word (pdfplumber's fixed 3 points
            # joins header cells that LibreOffice sets 2.4 points apart at 10 points).
            extracted = page.extract_words(
                char_dir_rotated="btt", line_dir_rotated="ltr", x_tolerance_ratio=_WORD_GAP
            )
            words = [
                Word(w["text"], w["x0"], w["x1"], w["top"] if w["upright"] else w["bottom"], w["upright"])
                for w in extracted
            ]
            page.flush_cache()
            yield number, len(pages), words
    except Exception as error:  # a damaged page: pdfminer's errors have no common type
        where = f"pagina {number}: " if number else ""
        raise InputError(str(path), f"beschadigde PDF ({where}{type(error).__name__})") from None
    finally:
        # pdfplumber's close() walks the pages again, so a damaged page can fail it too.
        with contextlib.suppress(Exception):
            pdf.close()
        pdf.stream.close()


BACKENDS: dict[str, WordReader] = {"pdfium": pdfium_words, "pdfplumber": pdfplumber_words}


def pdf_lines(
    path: Path, backend: str = "pdfium", on_page: PageCallback | None = None
) -> Iterator[Line]:
    for page_number, page_count, words in BACKENDS[backend](path):
        if on_page is not None:
            on_page(page_number, page_count)
        yield from group_lines(page_number, words)
