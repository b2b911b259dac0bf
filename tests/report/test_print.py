"""Print setup, fonts, row heights and document properties of the written workbook (read back with
openpyxl), and the same print setup through Excel's object model in the xlwings writer."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.report.report_data import publication
from xlkp import __version__
from xlkp.checks import check_sections
from xlkp.importer import import_publications
from xlkp.report import layout as L
from xlkp.report import printing as P
from xlkp.report import xlwings_writer


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print") / "Klantprofielen.xlsx"
    import_publications([publication("2021-Q1", "2021-Q2", defects=True)], out, use_store=False)
    return out


def test_every_font_record_is_named(written: Path) -> None:
    with zipfile.ZipFile(written) as z:
        styles = z.read("xl/styles.xml").decode()
    fonts = re.search(r"<fonts[^>]*>(.*?)</fonts>", styles, re.S).group(1)
    records = re.findall(r"<font>.*?</font>|<font/>", fonts, re.S)
    assert records and all(re.search(rf'<name val="{L.FONT}"\s*/>', r) for r in records), records
    assert all("<sz " in r for r in records)


def test_every_sheet_has_a_print_setup(written: Path) -> None:
    book = openpyxl.load_workbook(written)
    for ws in book.worksheets:
        if ws.sheet_state == "hidden":
            continue
        setup = ws.page_setup
        assert setup.orientation in ("portrait", "landscape"), ws.title
        assert int(setup.paperSize) == 9  # A4
        assert ws.oddFooter.left.text == "Bron: UWV, Transparantie van klantprofielen, 2021-Q1 t/m 2021-Q2"
        assert ws.oddFooter.right.text == "Pagina &P van &N" and ws.oddFooter.center.text == "&A"
        if ws.title in (L.CHARTS, L.TREND):  # scaled, each chart after a page break of its own
            assert not ws.sheet_properties.pageSetUpPr.fitToPage
            assert (70 if ws.title == L.CHARTS else 10) <= setup.scale <= 100
            if ws.title == L.CHARTS:
                assert [b.id for b in ws.row_breaks.brk] == [41, 76]  # 35 regions from row 5; each chart 35 rows
        else:
            assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight == 0
            assert setup.fitToWidth >= 1
            assert ws.print_title_rows, ws.title
    # A wide table spreads over pages side by side rather than shrink, its key columns repeated.
    regions = book[L.REGION_DATA]
    assert regions.page_setup.orientation == "landscape" and regions.page_setup.fitToWidth == 3
    assert regions.print_title_cols.replace("$", "") == "A:B"
    assert book[L.OVERVIEW].page_setup.fitToWidth == 1


def test_header_rows_fit_their_text(written: Path) -> None:
    book = openpyxl.load_workbook(written)
    overview = book[L.OVERVIEW]
    assert overview.row_dimensions[1].height >= 18  # the 14 pt title
    for ws, row in ((overview, 4), (book[L.DATA], 1), (book[L.REGION_DATA], 1), (book[L.CONTROLS], L.CONTROLS_HEADER_ROW)):
        height = ws.row_dimensions[row].height
        assert height and height >= P.LINE_POINTS, ws.title
        for c in ws[row]:
            if isinstance(c.value, str) and not c.value.startswith("=") and not ws.column_dimensions[c.column_letter].hidden:
                width = ws.column_dimensions[c.column_letter].width
                assert P._lines(c.value, width, bold=True) * P.LINE_POINTS <= height, (ws.title, c.value)
    # Some of Regiototalen's headers are wider than their columns: the row takes more lines.
    assert book[L.REGION_DATA].row_dimensions[1].height > P.LINE_POINTS


def test_lines_wrap_at_words() -> None:
    assert P._lines("", 10) == 1
    assert P._lines("Totaal", 10) == 1
    assert P._lines("Profiel gemeente", 10) == 2
    assert P._lines("Doelgroepregistertotaal", 10) == 3  # a long word breaks inside


def test_document_properties_name_xlkp(written: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(written)
    assert book.properties.creator == f"xlkp {__version__}"
    assert book.properties.lastModifiedBy == f"xlkp {__version__}"
    # Someone else's workbook keeps its maker; xlkp is the last to have saved it.
    own = tmp_path / "eigen.xlsx"
    mine = openpyxl.Workbook()
    mine.properties.creator = "Analist"
    mine.save(own)
    import_publications([publication("2021-Q1")], own, use_store=False)
    properties = openpyxl.load_workbook(own).properties
    assert properties.creator == "Analist" and properties.lastModifiedBy == f"xlkp {__version__}"


class _Recorder:
    """Stands in for a pywin32 object: records attribute writes and calls, by path."""

    def __init__(self, log: list, path: str = "") -> None:
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_path", path)

    def __getattr__(self, name: str):
        return _Recorder(self._log, f"{self._path}.{name}".lstrip("."))

    def __setattr__(self, name: str, value) -> None:
        self._log.append((f"{self._path}.{name}".lstrip("."), value))

    def __call__(self, *args, **kwargs):
        self._log.append((self._path, args or tuple(kwargs.items())))
        return _Recorder(self._log, f"{self._path}()")


def test_xlwings_writer_sets_the_same_print_setup_through_excel(written: Path) -> None:
    """Where the engine is Excel for Windows, the page setup goes through sheet.api (see
    xlwings_writer.BEYOND_THE_API): the same values as in the file."""
    sections = publication("2021-Q1", "2021-Q2", defects=True).sections
    book_layout = L.build_layout(sections, check_sections(sections), ("Profiel UWV", "Profiel gemeente",
                                                                      "Profiel beide", "Zonder profiel"))
    book = openpyxl.load_workbook(written)
    for spec in book_layout.sheets:
        log: list = []
        xlwings_writer._excel_page_setup(_Recorder(log), spec)
        sent = dict((k, v) for k, v in log if k.startswith("PageSetup."))
        ws = book[spec.name]
        assert sent["PageSetup.Orientation"] == (2 if ws.page_setup.orientation == "landscape" else 1)
        assert sent["PageSetup.PaperSize"] == 9
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert sent["PageSetup.Zoom"] is False and sent["PageSetup.FitToPagesWide"] == ws.page_setup.fitToWidth
        else:
            assert sent["PageSetup.Zoom"] == ws.page_setup.scale
        if ws.print_title_rows:
            assert sent["PageSetup.PrintTitleRows"] == ws.print_title_rows
        if ws.print_title_cols:
            assert sent["PageSetup.PrintTitleColumns"] == ws.print_title_cols
        assert sent["PageSetup.LeftFooter"].endswith(ws.oddFooter.left.text)
        assert sent["PageSetup.RightFooter"].endswith(ws.oddFooter.right.text)
        assert len([k for k, _ in log if k == "VPageBreaks.Add"]) == len(ws.col_breaks.brk)
        assert len([k for k, _ in log if k == "HPageBreaks.Add"]) == len(ws.row_breaks.brk)
