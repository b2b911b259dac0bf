"""The header labels of the real seed page, printed by LibreOffice Calc with its headers aligned in
their cells in several ways: each label must land on its own column.

Calc sets header text left in its cell by default, above right-aligned numbers: a label then
starts just after the previous column's numbers, nearer to them than to its own."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdfium2
import pytest

from tests.libreoffice import render_pdfs
from tests.parse.test_seed import SEED_ROWS
from xlkp.parse import read_publication

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_bcdc71d015363620.txt"
HEADER = ["Gemeente", "Zonder profiel", "Profiel beperkt", "Profiel volledig", "Profiel en cv", "Totaal"]
_COUNT = r"\d{1,3}(?:\.\d{3})*"
_ROW = re.compile(rf"^(?P<name>.*?\S)\s+(?P<counts>(?:{_COUNT}\s+){{4}}{_COUNT})\s*$")

# name: (header alignment, number alignment, width of the number columns, header wrapped on two
# lines). At width 12 each label fills its cell: 2.4 points from the next, less than a space.
VARIANTS = {
    "kop-links": ("left", "right", 16, False),
    "kop-links-krap": ("left", "right", 12, False),
    "kop-gecentreerd-twee-regels": ("center", "right", 9, True),
    "kop-rechts-getallen-links": ("right", "left", 16, False),
    "kop-links-twee-regels-getallen-links": ("left", "left", 9, True),
}


def _seed_lines() -> list[str]:
    if not SEED.exists():
        message = f"the seed page {SEED} is not here: it lives in ../shared beside the checkout"
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    text = SEED.read_text(encoding="utf-8")
    lines = [line.rstrip() for line in text.split("Transparantie op de arbeidsmarkt")[0].splitlines()]
    return [line for line in lines if line.strip()]


def _sheet(lines: list[str], path: Path, header: str, numbers: str, width: float, wrapped: bool) -> None:
    """The seed page as a Calc sheet: one cell per printed field, numbers as printed text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.properties import PageSetupProperties

    book = Workbook()
    sheet = book.active
    for line in lines:
        row = _ROW.match(line)
        if row is None:
            sheet.append([line.strip()])
            if line.startswith("Eerste kwartaal"):
                sheet.append(HEADER)
                header_row = sheet.max_row
                for cell in sheet[header_row][1:]:
                    cell.alignment = Alignment(horizontal=header, vertical="bottom", wrap_text=wrapped)
        else:
            sheet.append([row["name"], *row["counts"].split()])
            for cell in sheet[sheet.max_row][1:]:
                cell.alignment = Alignment(horizontal=numbers)
    sheet.column_dimensions["A"].width = 30
    for column in "BCDEF":
        sheet.column_dimensions[column].width = width
    if wrapped:
        sheet.row_dimensions[header_row].height = 28  # room for two lines
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    book.save(path)


@pytest.fixture(scope="module")
def libreoffice_pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lo-header")
    lines = _seed_lines()
    sheets = []
    for name, variant in VARIANTS.items():
        sheets.append(folder / f"{name}.xlsx")
        _sheet(lines, sheets[-1], *variant)
    return dict(zip(VARIANTS, render_pdfs(sheets, folder)))


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_labels_land_on_their_columns_in_a_libreoffice_pdf(libreoffice_pdfs, backend, variant):
    pdf = libreoffice_pdfs[variant]
    document = pypdfium2.PdfDocument(str(pdf))
    assert "LibreOffice" in document.get_metadata_dict()["Producer"]
    document.close()
    [section] = read_publication(pdf, backend).sections
    assert section.columns == tuple(HEADER[1:5])
    assert section.period == "2021-Q1"
    assert section.region == "Noord-Holland Noord"
    assert {r.municipality: (r.values, r.total) for r in section.rows} == SEED_ROWS
    assert [r.municipality for r in section.rows] == list(SEED_ROWS)
    assert section.region_total.values == (456, 1839, 4135, 963)
    assert section.region_total.total == 7393
    assert section.register == 10187 and section.coverage_percent_printed == 73
