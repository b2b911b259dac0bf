"""Words with positions from a PDF, through one of two interchangeable backends.

`pdfium` (the default) asks pypdfium2 for a page's text once and for the boxes of each word's
first and last character only; `pdfplumber` uses pdfplumber's own word extraction. Both hand
the same `Word`s to `group_lines`, so the table parser cannot tell them apart.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import functools
import math
import sys
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
    pdfium_c = _pdfium()
    # As pypdfium2's PdfDocument opens a path (UTF-8; undecodable bytes of a POSIX name kept).
    name = str(path).encode("utf-8", errors="strict" if sys.platform.startswith("win32") else "surrogateescape")
    document = pdfium_c.FPDF_LoadDocument(name, None)
    if pdfium_c.FPDF_GetPageCount(document) < 1:
        error = pdfium_c.FPDF_GetLastError()
        if document:
            pdfium_c.FPDF_CloseDocument(document)
        if error == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError(str(path), _ENCRYPTED)
        raise InputError(str(path), f"geen leesbare PDF ({_LOAD_ERRORS.get(error, 'onbekende fout')})")
    try:
        yield from _pdfium_pages(pdfium_c, document)
    except _Damaged as damaged:
        raise InputError(str(path), f"beschadigde PDF (pagina {damaged.page}: {damaged.what})") from None
    finally:
        pdfium_c.FPDF_CloseDocument(document)


@functools.cache
def _pdfium():
    """pdfium's C functions through pypdfium2's raw bindings, the library set up once.

    Only the bindings (the package `pypdfium2_raw`, also reachable as `pypdfium2.raw`): the
    reader needs none of pypdfium2's object layer, which takes as long to import as the bindings
    themselves. Setting pdfium up twice is harmless (pdfium ignores the second call), so
    pypdfium2 may be used beside this in the same process; the operating system frees the
    library at exit."""
    import pypdfium2_raw as pdfium_c

    # The configuration pypdfium2 itself sets pdfium up with.
    config = pdfium_c.FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=None, m_pIsolate=None, m_v8EmbedderSlot=0)
    pdfium_c.FPDF_InitLibraryWithConfig(config)
    return pdfium_c


_LOAD_ERRORS = {  # pdfium's FPDF_ERR_* codes (4, a password, has its own message)
    0: "geen pagina's",
    1: "onbekende fout",
    2: "het bestand is niet te openen",
    3: "de opbouw van de PDF is beschadigd",
    5: "onbekende beveiliging",
    6: "pagina niet gevonden of beschadigd",
}


class _Damaged(Exception):
    def __init__(self, page: int, what: str):
        super().__init__(what)
        self.page, self.what = page, what


def _pdfium_pages(pdfium_c, document) -> Iterator[tuple[int, int, list[Word]]]:
    # pdfium's own call with one reused box: the same numbers as pypdfium2's
    # `PdfTextPage.get_charbox(i, loose=True)`, without building a box and a tuple per
    # character through the wrapper.
    char_box = _direct(pdfium_c.FPDFText_GetLooseCharBox)
    box = pdfium_c.FS_RECTF()
    box_ref = ctypes.byref(box)
    # The box's four floats (left, top, right, bottom) read in one step: a third of the time
    # of reading them as the structure's fields.
    box_floats = memoryview(box).cast("B").cast("f")
    count = pdfium_c.FPDF_GetPageCount(document)
    for index in range(count):
        number = index + 1
        page = pdfium_c.FPDF_LoadPage(document, index)
        if not page:
            raise _Damaged(number, "niet te laden")
        height = pdfium_c.FPDF_GetPageHeightF(page)
        handle = pdfium_c.FPDFText_LoadPage(page)
        if not handle:
            pdfium_c.FPDF_ClosePage(page)
            raise _Damaged(number, "tekst niet te lezen")
        try:
            # One call for the page's text, then boxes only for each word's first and last
            # character: far fewer calls into pdfium than one per character.
            text = _page_text(pdfium_c, handle, number)
            words: list[Word] = []
            append = words.append
            # Each word found after the previous one: str.split() and the regex's \S agree on
            # what whitespace is, and no match object is made per word.
            end = 0
            for word in text.split():
                first = text.find(word, end)
                end = first + len(word)
                last = end - 1
                # Loose boxes span the font's ascent and advance, not the glyph's ink: every word
                # on a line gets the same top, whether it starts with 'A', 'a' or '-'.
                if not char_box(handle, first, box_ref):
                    raise _Damaged(number, "tekenpositie niet te lezen")
                left, top, right, bottom = box_floats
                if last != first and not char_box(handle, last, box_ref):
                    raise _Damaged(number, "tekenpositie niet te lezen")
                last_left = box_floats[0]
                last_right = box_floats[2]
                # Upright words advance to the right; only a word that does not is asked its angle.
                if last > first and last_left < right and _is_rotated(pdfium_c, handle, first):
                    # Bottom-to-top: span both boxes; `top` is the end nearest the table.
                    append(
                        Word(
                            word,
                            min(left, last_left),
                            max(right, last_right),
                            height - min(bottom, box_floats[3]),  # the last character's bottom
                            False,
                        )
                    )
                else:
                    append(_new_word((word, left, last_right, height - top, True)))
        finally:
            pdfium_c.FPDFText_ClosePage(handle)
            pdfium_c.FPDF_ClosePage(page)
        yield number, count, words


def _page_text(pdfium_c, handle, page: int) -> str:
    """The page's text as pypdfium2's `PdfTextPage.get_text_range()` gives it, so that a word's
    place in it is its characters' index: leading and trailing characters that pdfium leaves out
    of the text (pdfium bug 2079) are skipped before asking for it."""
    chars = pdfium_c.FPDFText_CountChars(handle)
    if chars == -1:
        raise _Damaged(page, "tekens niet te tellen")
    text_index = pdfium_c.FPDFText_GetTextIndexFromCharIndex
    first, last = 0, chars - 1
    while first <= last and text_index(handle, first) == -1:
        first += 1
    while last >= first and text_index(handle, last) == -1:
        last -= 1
    if first > last:
        return ""
    size = text_index(handle, last) + 2 - text_index(handle, first)  # with the closing NUL
    buffer = (ctypes.c_ushort * size)()
    written = pdfium_c.FPDFText_GetText(handle, first, last - first + 1, buffer)
    return codecs.decode(memoryview(buffer)[: written - 1], "utf-16-le", errors="ignore")


def _direct(function):
    """The same C function without ctypes' conversion of each argument through `argtypes`,
    which costs more than pdfium's work here (the caller passes exactly the C types), and
    called holding Python's lock (as `ctypes.pythonapi` is): releasing and taking it back
    around a call this short cost a tenth of each of the ~26,000 calls."""
    return ctypes.PYFUNCTYPE(function.restype)(ctypes.cast(function, ctypes.c_void_p).value)


def _is_rotated(pdfium_c, handle, index: int) -> bool:
    # pdfium measures clockwise: a label reading bottom to top has 3π/2. Error is -1.
    angle = pdfium_c.FPDFText_GetCharAngle(handle, index)
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
