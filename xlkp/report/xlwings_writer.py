"""The xlwings writer: the same layout as openpyxl_writer.py, into a workbook open in Excel.

Only xlwings' engine-neutral API (sheets, ranges, tables, conditional_formats, data_validation,
charts), so it runs against desktop Excel and xlwings' remote engine alike. One call per layout
item: the number of Excel round trips does not depend on the number of rows.

Not every host implements every action: xlwings Lite draws no charts and its documentation
confirms no conditional formats, data validation, column widths, alignment, sheet moves or
hiding (see `LITE`). For such a host the writer leaves those out and uses what it has instead:
the cells a conditional format would flag get the same colours, and a chart becomes bars drawn
in the cells (one series) or a note pointing to the complete .xlsx.

What the engine-neutral API cannot do at all, on any host, is listed in `BEYOND_THE_API`, with
what this writer does instead; the openpyxl writer does all of it in the file.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Any

from openpyxl.utils.cell import get_column_letter

from . import FORMULA_START, kept
from . import layout as L
from . import printing as P
from .columns import bounds

# A leading apostrophe keeps a string as text; Excel takes a leading (') as that marker, so
# "'s-Hertogenbosch" needs one too.
_NEEDS_MARKER = (*FORMULA_START, "'")
_CHART_TYPES = {"bar": "bar_clustered", "bar_stacked_100": "bar_stacked_100", "line": "line_markers"}
_POINTS_PER_CM = 72 / 2.54

# What a host can draw beyond values, formulas, number formats, colours, fonts, tables, freeze
# panes and row groups (which every host here has).
CHARTS = "charts"
CONDITIONAL_FORMATS = "conditional_formats"
VALIDATIONS = "validations"
COLUMN_LAYOUT = "column_layout"  # column widths, hidden columns, row heights
ALIGNMENT = "alignment"  # wrap text, horizontal alignment
SHEET_ARRANGEMENT = "sheet_arrangement"  # moving and hiding sheets
PIVOT_TABLES = "pivot_tables"
NAMES = "names"  # defined names: each sheet's written area, so that user cells are kept (kept.py)
ALL_FEATURES = frozenset({CHARTS, CONDITIONAL_FORMATS, VALIDATIONS, COLUMN_LAYOUT, ALIGNMENT,
                          SHEET_ARRANGEMENT, PIVOT_TABLES, NAMES})
LITE: frozenset[str] = frozenset()  # only what the xlwings Lite documentation confirms
CHART_NOTE = ("Grafiek: {title}. xlwings Lite tekent (nog) geen Excel-grafieken; open "
              "Klantprofielen.xlsx uit de bestanden van xlwings Lite voor de grafiek.")
BAR = "\u2588"  # full block: in-cell bars instead of a chart
BAR_LENGTH = 40
PLACEHOLDER = "xlkp-bezig"  # stands in while every sheet of a book is replaced

# What xlwings' engine-neutral API cannot do (xlwings 0.37: a sheet's page setup is its print
# area only; no document properties, tab colours, underline or chart details), and what this
# writer does instead. The one place for it; the README's "Both writers" says the same.
BEYOND_THE_API = {
    "print setup: orientation, A4, fit to pages or scale, print titles, footer, page breaks":
        "through sheet.api where the engine is Excel for Windows (`_excel_page_setup`); on other "
        "engines the sheet keeps Excel's defaults (the .xlsx that `xlkp import` writes has it)",
    "document properties (author, last saved by, title)":
        "through book.api where the engine is Excel for Windows; elsewhere what the host puts in",
    "outline summary rows above their group (the overview's + buttons on the region rows)":
        "through sheet.api where the engine is Excel for Windows; elsewhere below the group",
    "tab colours and underlined link text":
        "left out: cosmetic, the sheets and links work without them",
    "reading formulas at once (the remote engine and Lite fetch them asynchronously only)":
        "a user's cell on a generated sheet comes back with its value there, not its formula",
    "chart details: data labels, number formats, first category on top, axis scale, legend place":
        "left out: Excel's defaults for the chart type (clustered or 100% stacked bars); the "
        ".xlsx that `xlkp import` writes has them",
}
_WINDOWS_EXCEL = "excel"  # xlwings' engine name for desktop Excel through pywin32


def literal(value: Any) -> Any:
    """A value as Excel must store it: text that looks like a formula is prefixed with "'"."""
    if isinstance(value, str) and value.startswith(_NEEDS_MARKER):
        return "'" + value
    return value


def render(
    book,
    workbook_layout: L.WorkbookLayout,
    progress: Callable[[str], None] | None = None,
    features: frozenset[str] = ALL_FEATURES,
) -> None:
    """Write `workbook_layout` into the open xlwings `book`.

    A generated sheet that exists already is replaced where it stands: xlwings has no
    Table.delete(), so a sheet holding a table cannot be emptied and refilled. Excel cannot
    delete a book's last sheet: when every sheet is a generated one (a written .xlsx opened
    again), a placeholder sheet stands in while they are replaced.
    """
    order = [s.name for s in book.sheets]
    replaced = {spec.name for spec in workbook_layout.sheets} & set(order)
    if NAMES in features:  # what the user made on the sheets about to be replaced comes back
        users = {name: found for name in replaced if (found := _user_cells(book.sheets[name])) is not None}
        kept.keep(workbook_layout, users)
    placeholder = None
    if replaced and replaced == set(order):
        placeholder = book.sheets.add(PLACEHOLDER, after=book.sheets[len(book.sheets) - 1])
    for name in replaced:
        book.sheets[name].delete()
    sheets = {}
    for spec in workbook_layout.sheets:  # all sheets first: formulas refer across them
        sheets[spec.name] = book.sheets.add(spec.name, after=book.sheets[len(book.sheets) - 1])
    if placeholder is not None:
        placeholder.delete()
    for spec in workbook_layout.sheets:
        _write_sheet(sheets[spec.name], spec, features)
        if NAMES in features:
            sheets[spec.name].names.add(kept.AREA_NAME, kept.area_reference(spec))
        if progress:
            progress(spec.name)
    name_the_maker(book)
    if SHEET_ARRANGEMENT not in features:
        sheets[workbook_layout.active].activate()
        return
    # Back where they stood (new sheets were added at the end): one move per replaced sheet.
    for index, name in enumerate(order):
        if name not in replaced:
            continue
        now = [s.name for s in book.sheets]
        if now.index(name) == (0 if index == 0 else now.index(order[index - 1]) + 1):
            continue  # already there (xlwings refuses to move a sheet relative to itself)
        if index == 0:
            book.sheets[name].move(before=book.sheets[0])
        else:
            book.sheets[name].move(after=book.sheets[order[index - 1]])
    sheets[workbook_layout.active].activate()


def _user_cells(sheet) -> kept.OldSheet | None:
    """The cells outside what xlkp last wrote on `sheet` (None: a sheet without that record).

    At most three reads, whatever the size of the sheet: right of the written area, below it,
    and on Gegevens the keys of the rows that have a user's cell beside the table. Formulas
    where the engine can read them at once (Excel); elsewhere their values (BEYOND_THE_API)."""
    area = None
    for name in sheet.names:
        if name.name.rpartition("!")[2] == kept.AREA_NAME:
            area = kept.parse_area(name.refers_to)
    if area is None:
        return None
    found = kept.OldSheet(*area)
    end = sheet.used_range.last_cell
    parts = []
    if end.column > found.last_column:
        parts.append((1, found.last_column + 1, end.row, end.column))
    if end.row > found.last_row:
        parts.append((found.last_row + 1, 1, end.row, min(found.last_column, end.column)))
    for top, left, bottom, right in parts:
        part = sheet.range((top, left), (bottom, right))
        values = part.options(ndim=2).value
        try:
            formulas = part.formula
        except NotImplementedError:
            formulas = None
        if isinstance(formulas, str):
            formulas = ((formulas,),)
        for i, line in enumerate(values):
            for j, value in enumerate(line):
                formula = formulas[i][j] if formulas else None
                if isinstance(formula, str) and formula.startswith("="):
                    found.cells[(top + i, left + j)] = formula
                    found.formulas.add((top + i, left + j))
                elif value not in (None, ""):
                    found.cells[(top + i, left + j)] = value
    if sheet.name == L.DATA:
        rows = kept.key_rows(found)
        if rows:
            columns = L.data_columns()
            at = [columns.index(key) for key in kept.KEY_COLUMNS]
            grid = sheet.range((2, 1), (max(rows), max(at))).options(ndim=2).value
            found.keys = {row: tuple(str(grid[row - 2][c - 1]) for c in at) for row in rows}
        if L.DATA_TABLE in [t.name for t in sheet.tables]:
            found.table_columns = sheet.tables[L.DATA_TABLE].range.last_cell.column
    return found


def _write_sheet(sheet, spec: L.SheetLayout, features: frozenset[str] = ALL_FEATURES) -> None:
    for block in spec.blocks:
        target = sheet[block.ref]
        if block.formulas:
            target.formula = [[v if v is not None else "" for v in row] for row in block.rows]
        else:
            target.value = [[literal(v) for v in row] for row in block.rows]
    for table in spec.tables:
        sheet.tables.add(source=sheet[table.ref], name=table.name, table_style_name=table.style)
    for fmt in spec.formats:
        target = sheet[fmt.ref]
        if fmt.number_format:
            target.number_format = fmt.number_format
        if fmt.style:
            _apply_style(target, L.STYLES[fmt.style], features)
    for rule in spec.conditional_formats:
        style = L.STYLES[rule.style]
        if CONDITIONAL_FORMATS not in features:
            for ref in rule.where:  # the same look, fixed at what was imported
                _apply_style(sheet[ref], style, features)
            continue
        sheet[rule.ref].conditional_formats.add_custom(
            "=" + rule.formula,
            fill_color=_hex(style.get("fill")),
            font_color=_hex(style.get("color")),
            font_bold=style.get("bold"),
            font_italic=style.get("italic"),
        )
    for validation in spec.validations if VALIDATIONS in features else ():
        source_sheet, _, source_ref = validation.source.rpartition("!")
        source = sheet.book.sheets[source_sheet.strip("'").replace("''", "'")][source_ref.replace("$", "")]
        sheet[validation.ref].data_validation.set_list(source)
    for group in spec.row_groups:
        sheet.range(f"{group.first}:{group.last}").group("rows")
    if COLUMN_LAYOUT in features:
        for letter, width in spec.column_widths.items():
            sheet.range(f"{letter}:{letter}").column_width = width
        for letter in spec.hidden_columns:
            sheet.range(f"{letter}:{letter}").columns.hidden = True  # (no Range.column_hidden in xlwings)
    for chart in spec.charts:
        if CHARTS not in features:
            _chart_in_cells(sheet, chart)
            continue
        sheet.charts.add(
            left=0,
            top=0,
            width=chart.width_cm * _POINTS_PER_CM,
            height=chart.height_cm * _POINTS_PER_CM,
            chart_type=_CHART_TYPES[chart.kind],
            source=sheet[chart.source],
            anchor=sheet[chart.anchor],
        ).title = chart.title
    if COLUMN_LAYOUT in features:
        for row, height in spec.row_heights.items():
            sheet.range(f"{row}:{row}").row_height = height
    if spec.freeze:
        sheet.freeze_panes.freeze_at(spec.freeze)
    if spec.hidden and SHEET_ARRANGEMENT in features:
        sheet.visible = False
    with contextlib.suppress(NotImplementedError, AttributeError):  # a host without gridline control
        sheet.show_gridlines = not spec.tables or spec.name in (L.DATA, L.REGION_DATA)
    native = _windows_api(sheet)
    if native is not None:
        _excel_page_setup(native, spec)
        if spec.row_groups:
            native.Outline.SummaryRow = 0  # xlSummaryAbove


def _windows_api(target):
    """The pywin32 object behind a sheet or book, where the engine is Excel for Windows."""
    try:
        engine = target.book.app.engine.name if hasattr(target, "book") else target.app.engine.name
    except Exception:
        return None
    return target.api if engine == _WINDOWS_EXCEL and sys.platform == "win32" else None


# Excel's PageSetup constants.
_XL_PORTRAIT, _XL_LANDSCAPE, _XL_PAPER_A4 = 1, 2, 9


def _excel_page_setup(native, spec: L.SheetLayout) -> None:
    """The layout's print setup through Excel's object model (`native`: a Worksheet), as the
    openpyxl writer puts it in the file."""
    setup = spec.print_setup
    page = native.PageSetup
    page.Orientation = _XL_LANDSCAPE if spec.landscape else _XL_PORTRAIT
    page.PaperSize = _XL_PAPER_A4
    if setup.pages_wide is None:
        page.Zoom = setup.scale
    else:
        page.Zoom = False
        page.FitToPagesWide, page.FitToPagesTall = setup.pages_wide, False
    if spec.title_rows:
        first, last = spec.title_rows.split(":")
        page.PrintTitleRows = f"${first}:${last}"
    if setup.title_columns:
        first, last = setup.title_columns.split(":")
        page.PrintTitleColumns = f"${first}:${last}"
    font = f'&"{L.FONT}"&9'
    page.LeftFooter = font + P.footer_text(setup.source)
    page.CenterFooter = font + P.FOOTER_CENTER
    page.RightFooter = font + P.FOOTER_RIGHT
    for row in setup.row_breaks:
        native.HPageBreaks.Add(Before=native.Range(f"A{row + 1}"))
    for column in setup.column_breaks:
        native.VPageBreaks.Add(Before=native.Cells(1, column + 1))


def name_the_maker(book) -> None:
    """Document properties naming xlkp, where the engine is Excel for Windows (see BEYOND_THE_API)."""
    native = _windows_api(book)
    if native is None:
        return
    from .. import __version__

    properties = native.BuiltinDocumentProperties
    properties("Last Author").Value = f"xlkp {__version__}"
    if not properties("Title").Value:
        properties("Title").Value = "Klantprofielen"


def _chart_in_cells(sheet, chart: L.Chart) -> None:
    """A chart for a host without charts: its title at the anchor, then for a single series
    of fractions one bar of block characters per category (live formulas, so they follow the
    data); otherwise a note where the chart would be."""
    min_col, min_row, max_col, max_row = bounds(chart.source)
    anchor = sheet[chart.anchor]
    if max_col - min_col != 1 or not chart.number_format.endswith("%"):  # bars scale fractions
        anchor.value = [[CHART_NOTE.format(title=chart.title)]]
        return
    anchor.value = [[chart.title]]
    anchor.font.bold = True
    column = get_column_letter(max_col)
    bars = [[f'=IF(ISNUMBER({column}{r}),REPT("{BAR}",ROUND({column}{r}*{BAR_LENGTH},0))&" "&'
             f'TEXT({column}{r},"{chart.number_format}"),"")'] for r in range(min_row + 1, max_row + 1)]
    target = anchor.offset(1, 0).resize(len(bars), 1)
    target.formula = bars
    target.font.color = "#1F4E78"


def _apply_style(target, style: dict[str, Any], features: frozenset[str] = ALL_FEATURES) -> None:
    font = target.font
    if any(key in style for key in FONT_KEYS):
        font.name = L.FONT  # as the openpyxl writer names every font it writes
    for key in ("bold", "italic", "size"):
        if key in style:
            setattr(font, key, style[key])
    if "color" in style:
        font.color = _hex(style["color"])
    if "fill" in style:
        target.color = _hex(style["fill"])
    if style.get("border"):
        target.borders.set("all", line_style="continuous", weight="thin", color=_hex(L.BORDER_COLOUR))
    elif style.get("border_top"):
        target.borders.set("edge_top", line_style="continuous", weight="thin", color=_hex(L.BORDER_TOP_COLOUR))
    if ALIGNMENT not in features:
        return
    if style.get("wrap"):
        target.wrap_text = True
    if "halign" in style:
        target.horizontal_alignment = style["halign"]
    if "valign" in style:
        target.vertical_alignment = style["valign"]


FONT_KEYS = ("bold", "italic", "size", "color", "underline")


def _hex(colour: str | None) -> str | None:
    return f"#{colour}" if colour else None
