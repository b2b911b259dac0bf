"""A generated publication says on every page that its figures are made up, and a reader notices."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from tests.libreoffice import render_pdf as soffice_pdf
from xlkp.model import SAMPLE_MARK
from xlkp.parse import read_publication, read_text
from xlkp.samples import RenderOptions, render_pdf, render_text, sample_sections


def _page_texts(path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


@pytest.mark.parametrize("repeat_subtitle", [True, False])
def test_every_page_carries_the_mark(tmp_path, backend, repeat_subtitle):
    path = tmp_path / "voorbeeld.pdf"
    sections = sample_sections("2021-Q3")[:4]
    render_pdf(sections, path, RenderOptions(rows_per_page=5, repeat_subtitle=repeat_subtitle))
    pages = _page_texts(path)
    assert len(pages) > len(sections)  # continuation pages too
    assert all(SAMPLE_MARK in text for text in pages)
    publication = read_publication(path, backend)
    assert publication.sample and all(s.sample for s in publication.sections)
    assert all(s.source == str(path) for s in publication.sections)
    assert [s.rows for s in publication.sections] == [s.rows for s in sections]  # the mark is no data


def test_a_publication_without_the_mark_is_not_a_sample(tmp_path, backend):
    path = tmp_path / "echt.pdf"
    render_pdf(sample_sections("2021-Q3")[:2], path, RenderOptions(sample_mark=False))
    assert not any(SAMPLE_MARK in text for text in _page_texts(path))
    assert not read_publication(path, backend).sample


def test_extracted_text_carries_the_mark_too():
    sections = sample_sections("2021-Q1")[:2]
    assert read_text(render_text(sections)).sample
    assert not read_text(render_text(sections, sample_mark=False)).sample


def test_the_mark_is_found_in_a_pdf_made_by_libreoffice(tmp_path):
    """Another producer places words and draws the dash its own way: a sheet printed by Calc,
    one page per region, the mark at the top of each."""
    from openpyxl import Workbook
    from openpyxl.worksheet.pagebreak import Break

    from xlkp.counts import COUNT

    book = Workbook()
    sheet = book.active
    for section in sample_sections("2021-Q1")[15:17]:
        text = render_text([section])
        for line in text[: text.index("Hiervan is")].splitlines():  # table and footnote, no prose
            words = line.split()
            if not words:
                continue
            numbers = words[-5:] if len(words) > 5 and all(COUNT.match(w) for w in words[-5:]) else []
            sheet.append([" ".join(words[: len(words) - len(numbers)]), *numbers])
        sheet.row_breaks.append(Break(id=sheet.max_row))
    sheet.column_dimensions["A"].width = 28
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    source = tmp_path / "voorbeeld.xlsx"
    book.save(source)
    publication = read_publication(soffice_pdf(source, tmp_path))
    assert [s.region for s in publication.sections] == ["Noord-Holland Noord", "Zuid-Kennemerland en IJmond"]
    assert [len(s.rows) for s in publication.sections] == [len(s.rows) for s in sample_sections("2021-Q1")[15:17]]
    assert all(s.sample for s in publication.sections)
