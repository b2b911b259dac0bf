"""How each sheet prints, planned from its layout: orientation, fit or scale, repeated rows and
columns, page breaks before charts, the footer's source, and the height of wrapped header rows.

Plain arithmetic on the layout's column widths (Excel's character units) and chart sizes; the
writers only carry the result out. A4, Excel's default margins (0.7" left and right, 0.75" top
and bottom).
"""

from __future__ import annotations

import math

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.cell import get_column_letter as column_letter

from . import layout as L
from .columns import bounds

PRINTABLE_CM = {False: (21.0 - 2 * 1.778, 29.7 - 2 * 1.905), True: (29.7 - 2 * 1.778, 21.0 - 2 * 1.905)}
SMALLEST_FIT = 0.8  # a sheet fitted to fewer pages than this scale needs is spread over more
TITLE_SHARE = 0.35  # repeated columns take at most this share of a page's width
ROW_CM = L.ROW_CM
DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters
LINE_POINTS = 15.0  # one line of the 11 pt font: Excel's default row height
SOURCE = "Bron: UWV, Transparantie van klantprofielen"
# The footer's centre and right parts, in Excel's header/footer codes: sheet name, page of pages.
FOOTER_CENTER = "&A"
FOOTER_RIGHT = "Pagina &P van &N"


def footer_text(text: str) -> str:
    """Text as a header/footer part: '&' starts a code there, so a literal one is doubled."""
    return text.replace("&", "&&")


def width_cm(characters: float) -> float:
    """A column's width on paper: Excel draws `characters` digits of 7 px plus 5 px padding at 96 dpi."""
    return (characters * 7 + 5) * 2.54 / 96 if characters > 0 else 0.0


def source_line(periods: list[str]) -> str:
    if not periods:
        return SOURCE
    quarters = periods[0] if len(periods) == 1 else f"{periods[0]} t/m {periods[-1]}"
    return f"{SOURCE}, {quarters}"


def plan_printing(book: L.WorkbookLayout, periods: list[str]) -> None:
    source = source_line(periods)
    for sheet in book.sheets:
        sheet.print_setup.source = source
        _fit_rows(sheet)
        _plan_pages(sheet)


def _used_columns(sheet: L.SheetLayout) -> int:
    refs = [b.ref for b in sheet.blocks] + [t.ref for t in sheet.tables]
    return max((bounds(ref)[2] for ref in refs), default=1)


def _column_widths(sheet: L.SheetLayout, first: int, last: int) -> float:
    hidden = set(sheet.hidden_columns)
    total = 0.0
    for col in range(first, last + 1):
        letter = column_letter(col)
        if letter not in hidden:
            total += width_cm(sheet.column_widths.get(letter, DEFAULT_WIDTH))
    return total


def _plan_pages(sheet: L.SheetLayout) -> None:
    setup = sheet.print_setup
    data_columns = _used_columns(sheet)
    width = _column_widths(sheet, 1, data_columns)
    if sheet.charts:
        _plan_chart_pages(sheet, width)
        return
    if sheet.landscape is None:
        sheet.landscape = width > PRINTABLE_CM[False][0] / SMALLEST_FIT
    page = PRINTABLE_CM[sheet.landscape][0]
    pages = max(1, math.ceil(SMALLEST_FIT * width / page))
    if pages > 1 and sheet.freeze:
        # Spread over pages side by side, the frozen key columns repeated on each (as long as
        # they leave most of the page to the rest).
        frozen = coordinate_to_tuple(sheet.freeze)[1] - 1
        while frozen >= 1 and _column_widths(sheet, 1, frozen) > TITLE_SHARE * page:
            frozen -= 1
        if frozen >= 1:
            repeated = _column_widths(sheet, 1, frozen)
            setup.title_columns = f"A:{column_letter(frozen)}"
            pages = max(1, math.ceil(SMALLEST_FIT * (width - repeated) / (page - repeated)))
    setup.pages_wide = pages


def _plan_chart_pages(sheet: L.SheetLayout, data_width: float) -> None:
    """A chart starts a page of its own: a page break above it (below the data) or left of it
    (beside the data). Excel ignores page breaks on a sheet fitted to pages, so the sheet is
    scaled instead, as far as the widest part and the tallest chart need."""
    setup = sheet.print_setup
    data_columns = _used_columns(sheet)
    widths, heights = [data_width], []
    first_chart_row = None
    for chart in sorted(sheet.charts, key=lambda c: coordinate_to_tuple(c.anchor)):
        row, col = coordinate_to_tuple(chart.anchor)
        if col > data_columns:
            setup.column_breaks.append(col - 1)
            heights.append(chart.height_cm + ROW_CM * (row - 1))
        else:
            setup.row_breaks.append(row - 1)
            heights.append(chart.height_cm + ROW_CM)
            first_chart_row = min(row, first_chart_row or row)
        widths.append(chart.width_cm + 0.5)
    if first_chart_row:  # the data above the charts on one page, where the scale allows
        heights.append(ROW_CM * (first_chart_row - 1) + sum(sheet.row_heights.values()) * 2.54 / 72)

    def scale(landscape: bool) -> int:
        page_width, page_height = PRINTABLE_CM[landscape]
        fits = [page_width / w for w in widths if w] + [page_height / h for h in heights if h]
        return max(10, min(100, math.floor(100 * min(fits, default=1))))

    if sheet.landscape is None:
        sheet.landscape = scale(True) > scale(False)
    setup.pages_wide, setup.scale = None, scale(sheet.landscape)


def _fit_rows(sheet: L.SheetLayout) -> None:
    """Header rows that wrap get the height of their longest cell; title rows that of their font."""
    wrapped: set[int] = set()
    for fmt in sheet.formats:
        if L.STYLES.get(fmt.style or "", {}).get("wrap"):
            _, min_row, _, max_row = bounds(fmt.ref if ":" in fmt.ref else f"{fmt.ref}:{fmt.ref}")
            wrapped.update(range(min_row, max_row + 1))
    texts = _texts(sheet, wrapped)
    for fmt in sheet.formats:
        style = L.STYLES.get(fmt.style or "", {})
        min_col, min_row, max_col, max_row = bounds(fmt.ref if ":" in fmt.ref else f"{fmt.ref}:{fmt.ref}")
        if style.get("wrap"):
            for r in range(min_row, max_row + 1):
                lines = max(
                    (_lines(texts.get((r, c), ""), sheet.column_widths.get(column_letter(c), DEFAULT_WIDTH),
                            bold=bool(style.get("bold")))
                     for c in range(min_col, max_col + 1) if column_letter(c) not in sheet.hidden_columns),
                    default=1,
                )
                sheet.row_heights[r] = max(sheet.row_heights.get(r, 0), LINE_POINTS * lines)
        elif style.get("size", L.FONT_SIZE) > L.FONT_SIZE:
            for r in range(min_row, max_row + 1):
                height = round(style["size"] * LINE_POINTS / L.FONT_SIZE + 1.5, 2)
                sheet.row_heights[r] = max(sheet.row_heights.get(r, 0), height)


def _texts(sheet: L.SheetLayout, rows: set[int]) -> dict[tuple[int, int], str]:
    """The text (not formula) cells in `rows`, by (row, column): only the few header rows are
    asked for, so a data block's other rows are not visited."""
    texts: dict[tuple[int, int], str] = {}
    for block in sheet.blocks:
        if block.formulas:
            continue
        top, left = coordinate_to_tuple(block.cell)
        for r in sorted(r for r in rows if top <= r < top + len(block.rows)):
            for j, value in enumerate(block.rows[r - top]):
                if isinstance(value, str):
                    texts[(r, left + j)] = value
    return texts


def _lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines `text` takes when Excel wraps it in a column `width` characters wide."""
    room = max(1.0, width - 0.5)
    factor = 1.05 if bold else 1.0
    lines, used = 1, 0.0
    for word in text.split():
        size = len(word) * factor
        if used and used + factor + size > room:
            lines, used = lines + 1, size
        else:
            used += (factor if used else 0) + size
        while used > room:  # a word longer than the column breaks inside
            lines, used = lines + 1, used - room
    return lines
