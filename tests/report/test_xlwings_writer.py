"""The xlwings writer, through xlwings' remote engine: the actions Excel would apply.

Both writers walk the same layout; these tests hold the xlwings one to it item by item, check
that its number of Excel calls does not follow the number of rows, and compare what it sends
with the file the openpyxl writer writes: tables, rules, styles, widths, row heights, charts and
the print setup (sent through Excel's object model, see xlwings_writer.BEYOND_THE_API).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from tests.report.report_data import INJECTION_NAMES, injection_publication, publication
from xlkp.checks import check_sections
from xlkp.importer import import_publications
from xlkp.report import layout as L
from xlkp.report import xlwings_writer
from xlkp.samples import make_section


@pytest.fixture(autouse=True)
def _remote(remote_engine) -> None:
    """Every test here drives the remote engine."""


def _actions(sections) -> tuple[list[dict], L.WorkbookLayout]:
    import xlwings as xw

    payload = {
        "version": xw.__version__,
        "client": "Office.js",
        "book": {"name": "Klantprofielen.xlsx", "active_sheet_index": 0},
        "sheets": [{"name": "Blad1", "values": [[]], "pictures": [], "tables": [], "charts": []}],
        "names": [],
    }
    book = xw.Book(json=payload)
    book_layout = L.build_layout(sections, check_sections(sections), ("a", "b", "c", "d"))
    xlwings_writer.render(book, book_layout)
    return book.json()["actions"], book_layout


def test_calls_do_not_grow_with_rows() -> None:
    small = publication("2021-Q1")
    # Five times the municipalities, every total still adding up.
    large = [
        make_section(s.period, s.name, [(f"{r.municipality} {i}", r.values) for i in range(5) for r in s.rows],
                     register=5 * s.register)
        for s in small.sections
    ]
    small_actions, _ = _actions(small.sections)
    large_actions, _ = _actions(large)
    assert Counter(a["func"] for a in small_actions) == Counter(a["func"] for a in large_actions)
    values = [a for a in large_actions if a["func"] == "setValues"]
    assert sum(len(s.rows) for s in large) in [len(a["values"]) for a in values]  # Gegevens in one call


def test_xlwings_writer_follows_the_layout_block_by_block() -> None:
    sections = publication("2021-Q1", "2021-Q2", defects=True).sections + injection_publication("2020-Q4").sections
    actions, book_layout = _actions(sections)
    writes = [a for a in actions if a["func"] in ("setValues", "setFormula")]
    blocks = [(s, b) for s in book_layout.sheets for b in s.blocks]
    assert len(writes) == len(blocks)
    for action, (_, block) in zip(writes, blocks):
        assert action["func"] == ("setFormula" if block.formulas else "setValues")
        # The remote engine sends an empty cell as "".
        expected = [["" if v is None else v if block.formulas else xlwings_writer.literal(v) for v in row]
                    for row in block.rows]
        assert action["values"] == expected
    data_block = book_layout.sheet(L.DATA).blocks[1]
    sent = next(a for a in writes if a["func"] == "setValues" and len(a["values"]) == len(data_block.rows))
    names = [row[2] for row in sent["values"]]
    assert all("'" + n in names for n in INJECTION_NAMES)
    assert "''s-Gravenhage" in names  # Excel would eat a single leading apostrophe

    counted = Counter(a["func"] for a in actions)
    sheets = book_layout.sheets
    assert counted["addTable"] == sum(len(s.tables) for s in sheets)
    assert counted["addConditionalFormat"] == sum(len(s.conditional_formats) for s in sheets)
    assert counted["setDataValidationList"] == sum(len(s.validations) for s in sheets)
    assert counted["rangeGroup"] == sum(len(s.row_groups) for s in sheets)
    assert counted["addChart"] == sum(len(s.charts) for s in sheets)
    tables = [a["args"][3] for a in actions if a["func"] == "addTable"]
    assert tables == [t.name for s in sheets for t in s.tables]


def test_both_writers_write_the_same_tables_and_rules(tmp_path: Path) -> None:
    pub = publication("2021-Q1", defects=True)
    actions, book_layout = _actions(pub.sections)
    out = tmp_path / "k.xlsx"
    import_publications([pub], out, use_store=False)
    book = openpyxl.load_workbook(out)
    in_file = sorted((ws.title, name, t.ref) for ws in book.worksheets for name, t in ((n, ws.tables[n]) for n in ws.tables))
    from_excel = sorted(
        (s.name, a["args"][3], a["args"][0].replace("$", ""))
        for a in actions if a["func"] == "addTable"
        for s in [book_layout.sheets[a["sheet_position"] - 1]]
    )
    assert in_file == from_excel
    rules_file = sorted(
        (ws.title, str(rng.sqref), rule.formula[0])
        for ws in book.worksheets for rng in ws.conditional_formatting for rule in rng.rules
    )
    rules_excel = sorted(
        (book_layout.sheets[a["sheet_position"] - 1].name, _one_cell(L.area(L.cell(a["start_row"] + 1, a["start_column"] + 1), a["row_count"], a["column_count"])), a["args"][0]["formula"][1:])
        for a in actions if a["func"] == "addConditionalFormat"
    )
    assert rules_file == rules_excel


# ---- styles, widths, heights, charts and print setup: the file against Excel's actions --------

_FONT_ACTIONS = {"name": "font", "bold": "bold", "italic": "italic", "size": "size", "color": "color"}


def _excel_looks(actions, sheets) -> dict[tuple[str, str], dict]:
    """What the actions set on each range: {(sheet, "A1:C3"): {"bold": True, "fill": "1F4E78", ...}}."""
    looks: dict[tuple[str, str], dict] = {}
    for a in actions:
        func = a["func"]
        if a.get("sheet_position") is None or a.get("start_row") is None:
            continue
        where = (sheets[a["sheet_position"] - 1],
                 L.area(L.cell(a["start_row"] + 1, a["start_column"] + 1), a["row_count"], a["column_count"]))
        look = looks.setdefault(where, {})
        if func == "setFontProperty":
            name, value = a["args"]
            look[_FONT_ACTIONS[name]] = value.lstrip("#").upper() if name == "color" else value
        elif func == "setRangeColor":
            look["fill"] = a["args"][0].lstrip("#").upper()
        elif func == "setWrapText":
            look["wrap"] = a["args"][0]
        elif func in ("setHorizontalAlignment", "setVerticalAlignment"):
            look["halign" if "Horizontal" in func else "valign"] = a["args"][0].lower()
        elif func == "setBorderProperty":
            side, attribute, value = a["args"]
            if attribute == "color":
                look[f"border {side}"] = value.lstrip("#").upper()
    return looks


def _file_look(c) -> dict:
    """The same properties of one cell of the file, as far as they are set."""
    look = {"font": c.font.name, "bold": bool(c.font.b), "italic": bool(c.font.i), "size": c.font.sz}
    if c.font.color is not None and isinstance(c.font.color.rgb, str):  # not a theme colour
        look["color"] = c.font.color.rgb[-6:].upper()
    if c.fill.fill_type == "solid":
        look["fill"] = c.fill.fgColor.rgb[-6:].upper()
    if c.alignment.wrap_text:
        look["wrap"] = True
    if c.alignment.horizontal:
        look["halign"] = c.alignment.horizontal
    if c.alignment.vertical:
        look["valign"] = c.alignment.vertical
    for side in ("top", "bottom", "left", "right"):
        edge = getattr(c.border, side)
        if edge is not None and edge.style:
            look[f"border edge_{side}"] = edge.color.rgb[-6:].upper()
    return look


def test_both_writers_write_the_same_styles_widths_heights_charts_and_print_setup(tmp_path: Path) -> None:
    from xlkp.report import openpyxl_writer

    pub = publication("2021-Q1", "2021-Q2", defects=True)
    actions, book_layout = _actions(pub.sections)
    out = tmp_path / "k.xlsx"
    openpyxl_writer.write_workbook(book_layout, out)  # the very layout Excel was sent
    book = openpyxl.load_workbook(out)
    sheets = [s.name for s in book_layout.sheets]
    looks = _excel_looks(actions, sheets)
    defaults = {"bold": False, "italic": False, "size": L.FONT_SIZE}
    for spec in book_layout.sheets:
        ws = book[spec.name]
        for fmt in spec.formats:
            if not fmt.style:
                continue
            ref = fmt.ref if ":" in fmt.ref else f"{fmt.ref}:{fmt.ref}"
            excel = {**defaults, **looks[(spec.name, ref)]}
            if not any(k in L.STYLES[fmt.style] for k in xlwings_writer.FONT_KEYS):
                excel.setdefault("font", L.FONT)  # untouched: the book's default font, in both
            first, last = ref.split(":")
            for address in (first, last):
                in_file = _file_look(ws[address])
                # Borders: Excel sets a range's edges (and insides); the file each cell's.
                edges = {k for k in in_file if k.startswith("border")}
                if edges:
                    assert {k for k in excel if k.startswith("border")} & edges, (spec.name, ref)
                assert {k: v for k, v in in_file.items() if k not in edges} == \
                       {k: v for k, v in excel.items() if not k.startswith("border")}, (spec.name, ref, address)
        widths = {L.cell(1, a["start_column"] + 1)[:-1]: a["args"][0] for a in actions
                  if a["func"] == "setColumnWidth" and sheets[a["sheet_position"] - 1] == spec.name}
        assert widths == spec.column_widths
        assert widths == {k: _column(ws, k).width for k in widths}
        hidden = {L.cell(1, a["start_column"] + 1)[:-1] for a in actions
                  if a["func"] == "setColumnHidden" and sheets[a["sheet_position"] - 1] == spec.name}
        assert hidden == {k for k in {*widths, *hidden} if _column(ws, k).hidden} == set(spec.hidden_columns)
        heights = {a["start_row"] + 1: a["args"][0] for a in actions
                   if a["func"] == "setRowHeight" and sheets[a["sheet_position"] - 1] == spec.name}
        assert heights == {r: d.height for r, d in ws.row_dimensions.items() if d.height} == spec.row_heights
        _same_charts(ws, [a for a in actions if a["func"] == "addChart" and a["args"][2] == spec.name],
                     [a["args"][1] for a in actions
                      if a["func"] == "setChartTitle" and sheets[a["sheet_position"] - 1] == spec.name])
        _same_page_setup(ws, spec)


def _column(ws, letter: str):
    """The column's dimension in a file read back (openpyxl groups equal neighbours in one)."""
    from openpyxl.utils.cell import column_index_from_string

    index = column_index_from_string(letter)
    return next(d for d in ws.column_dimensions.values() if d.min and d.min <= index <= d.max)


def _same_charts(ws, added: list[dict], titles: list[str]) -> None:
    """Each chart: its type, source, anchor, size and title, in the file and in Excel's actions."""
    from openpyxl.utils.cell import range_boundaries

    assert len(ws._charts) == len(added)
    for chart, action in zip(ws._charts, added):
        _, kind, _, source, _, _, width, height, _, anchor, _ = action["args"]
        if chart.tagname == "lineChart":  # the trend's lines, with markers in both
            assert kind == "LineMarkers"
        else:
            assert kind == ("BarStacked100" if chart.grouping == "percentStacked" else "BarClustered")
            assert chart.type == "bar"  # horizontal bars in both
        marker = chart.anchor._from
        assert anchor.replace("$", "") == L.cell(marker.row + 1, marker.col + 1)
        min_col, min_row, max_col, max_row = range_boundaries(source.replace("$", ""))
        series = chart.series
        assert len(series) == max_col - min_col
        values = series[0].val.numRef.f.split("!")[1].replace("$", "")
        categories = series[0].cat.numRef or series[0].cat.strRef
        assert values.split(":")[0] == L.cell(min_row + 1, min_col + 1)
        assert categories.f.split("!")[1].replace("$", "") == L.area(L.cell(min_row + 1, min_col), max_row - min_row, 1)
        size = chart.anchor.ext  # the file keeps a chart's size in its anchor, in EMU
        assert (round(width / (72 / 2.54), 3), round(height / (72 / 2.54), 3)) == \
               (round(size.width / 360000, 3), round(size.height / 360000, 3))
        assert "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or [])) == titles.pop(0)


def _same_page_setup(ws, spec: L.SheetLayout) -> None:
    """The page setup sent through Excel's object model (where the engine is Excel for Windows)
    against the file's."""
    from tests.report.test_print import _Recorder

    log: list = []
    xlwings_writer._excel_page_setup(_Recorder(log), spec)
    sent = dict((k, v) for k, v in log if k.startswith("PageSetup."))
    assert sent["PageSetup.Orientation"] == (2 if ws.page_setup.orientation == "landscape" else 1)
    if ws.sheet_properties.pageSetUpPr.fitToPage:
        assert sent["PageSetup.Zoom"] is False and sent["PageSetup.FitToPagesWide"] == ws.page_setup.fitToWidth
    else:
        assert sent["PageSetup.Zoom"] == ws.page_setup.scale
    assert sent.get("PageSetup.PrintTitleRows") == ws.print_title_rows
    assert sent.get("PageSetup.PrintTitleColumns") == ws.print_title_cols
    assert sent["PageSetup.LeftFooter"].endswith(ws.oddFooter.left.text)
    assert len([k for k, _ in log if k == "HPageBreaks.Add"]) == len(ws.row_breaks.brk)


def _one_cell(ref: str) -> str:
    """'L2:L2' as 'L2', as a workbook file stores a range of one cell."""
    first, _, last = ref.partition(":")
    return first if first == last else ref
