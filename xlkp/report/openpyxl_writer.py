"""The openpyxl writer: a layout into a workbook file, and the data back out of one.

Writing into an existing workbook replaces only the generated sheets (see layout.SHEETS) and
keeps every other sheet; an .xlsm keeps its VBA project and ribbon parts byte for byte.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree import ElementTree as ET

from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import Outline
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.writer.excel import ExcelWriter

from .. import __version__
from ..model import NationalTable, Section
from . import data_copy, kept, package_writer, sheet_xml
from . import layout as L
from . import printing as P
from .columns import bounds
from .package import MAKER, Package

Progress = Callable[[str], None]

XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
# Parts openpyxl may drop or rewrite that a macro workbook needs unchanged.
_KEEP_PARTS = re.compile(r"^(customUI/|xl/vbaProject|xl/_rels/vbaProject)")
_UI_REL = re.compile(r"/ui/extensibility$")


# ---- writing ----------------------------------------------------------------------------------


def open_workbook(path: str | Path):
    """A workbook loaded once, both to read its data (read_sections) and to write into
    (write_workbook's `base_book`): loading is most of an import into a long history."""
    return load_workbook(path, keep_vba=Path(path).suffix.lower() == ".xlsm", keep_links=True)


def write_workbook(
    workbook_layout: L.WorkbookLayout,
    path: str | Path,
    base: str | Path | None = None,
    progress: Progress | None = None,
    base_book=None,
    previous: data_copy.LastWrite | None = None,
) -> None:
    """Write `workbook_layout` to `path`; with `base`, into a copy of that workbook (`base_book`:
    the same, already loaded by `open_workbook(base)`; it is changed). `previous`: the rows the
    last import wrote into `base` (load_for_update), kept where unchanged."""
    path = Path(path)
    macro = path.suffix.lower() == ".xlsm"
    if base is not None:
        book = base_book if base_book is not None else open_workbook(base)
        positions = {ws.title: i for i, ws in enumerate(book.worksheets)}
        # A macro workbook ties each sheet to its VBA document module by code name: keep it.
        code_names = {ws.title: ws.sheet_properties.codeName for ws in book.worksheets}
        users: dict[str, kept.OldSheet] = {}
        for name in L.SHEETS:
            if name in book.sheetnames:
                replaced = book[name]
                found = _user_cells(replaced)
                if found is not None:
                    users[name] = found
                book.remove(replaced)
                # Free its cells now: a sheet and its cells refer to each other, so without
                # this they wait for the cycle collector while the new sheets are built.
                replaced._cells.clear()
        kept.keep(workbook_layout, users)
    else:
        book = Workbook()
        book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
        positions, code_names = {}, {}
    created = {}
    held: dict[str, sheet_xml.HeldRows] = {}
    for sheet in workbook_layout.sheets:
        at = positions.get(sheet.name)
        ws = book.create_sheet(sheet.name, at) if at is not None else book.create_sheet(sheet.name)
        if code_names.get(sheet.name):
            ws.sheet_properties.codeName = code_names[sheet.name]
        created[sheet.name] = ws
        rows = sheet_xml.HeldRows.of(sheet)
        if rows is not None:
            held[sheet.name] = rows
        _write_sheet(ws, sheet, rows.first_row if rows is not None else None)
        ws.defined_names[kept.AREA_NAME] = DefinedName(kept.AREA_NAME, attr_text=kept.area_reference(sheet)[1:])
        if progress:
            progress(sheet.name)
    # Excel opens on the overview, whether or not the user had other sheets first.
    book.active = book.worksheets.index(created[workbook_layout.active])
    for ws in book.worksheets:
        ws.sheet_view.tabSelected = ws.title == workbook_layout.active
    _name_the_maker(book)
    parts = _saved_parts(book)
    spliced = {}  # part -> its sheet and its rows, in chunks
    for name, rows in held.items():
        part = created[name].path.lstrip("/")
        spliced[part] = (name, _splice(rows, parts[part], previous.rows(name) if previous is not None else None))
    if macro or base is not None:
        _restore_package(parts, Path(base) if base is not None else None, macro)
    copy = _data_copy(workbook_layout, held, previous)
    if copy is not None:
        data_copy.declare(parts)
    with open(path, "wb") as file, package_writer.PackageWriter(file) as out:
        for name, data in parts.items():
            if name not in spliced:
                out.write(name, data)
                continue
            sheet_name, chunked = spliced[name]
            deflated_from, sums = out.write_chunked(name, *chunked)
            if copy is not None and sheet_name in copy.rows:
                copy.rows[sheet_name] = replace(copy.rows[sheet_name], deflated_from=deflated_from, sums=sums.data)
        if copy is not None:
            data_copy.write(out, copy, previous)


def _saved_parts(book) -> dict[str, bytes]:
    """The parts of `book` as openpyxl saves them (as Workbook.save does), each as it is: the zip
    in between stores them, so that they are deflated once, by package_writer, not twice."""
    book.properties.modified = datetime.now(UTC).replace(tzinfo=None)
    saved = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(saved, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    with zipfile.ZipFile(saved) as written:
        return {info.filename: written.read(info.filename) for info in written.infolist()}


def _splice(rows: sheet_xml.HeldRows, part: bytes, previous: data_copy.Previous | None) -> sheet_xml.Spliced:
    if previous is not None:
        try:
            return rows.splice(part, previous)
        except ValueError:  # the last write's records do not fit its part: write them all
            pass
    return rows.splice(part)


def _data_copy(workbook_layout: L.WorkbookLayout, held: dict[str, sheet_xml.HeldRows],
               previous: data_copy.LastWrite | None) -> data_copy.DataCopy | None:
    """What the next import reads back (READ_BACK's tables) and the fingerprints of the rows
    written as XML; None when a table holds a cell the XML reader would not read back. A row
    kept from the last import keeps its values in the copy too."""
    tables: dict[str, dict[str, data_copy.Copied]] = {}
    for sheet in workbook_layout.sheets:
        wanted = {table.name: table.ref for table in sheet.tables if (sheet.name, table.name) in READ_BACK}
        if not wanted:
            continue
        blocks = [block.placed for block in sheet.blocks]
        tables[sheet.name] = {}
        for name, ref in wanted.items():
            last = previous.table(sheet.name, name) if previous is not None and sheet.name in held else None
            kept = (held[sheet.name].kept, last) if last is not None else None
            try:
                tables[sheet.name][name] = data_copy.Copied(ref, data_copy.table_values(blocks, ref, kept))
            except data_copy.NotCopyable:
                return None
    rows = {name: rows.written for name, rows in held.items() if rows.written is not None}
    return data_copy.DataCopy(tables, rows, findings=workbook_layout.findings)


def _user_cells(ws) -> kept.OldSheet | None:
    """The cells outside what xlkp last wrote on `ws` (None: a sheet without that record)."""
    recorded = ws.defined_names.get(kept.AREA_NAME)
    area = kept.parse_area(recorded.attr_text if recorded is not None else None)
    if area is None:
        return None
    found = kept.OldSheet(*area)
    # One look at each cell's coordinates; only the few outside the area are read further.
    for (row, column), c in ws._cells.items():
        if (row > found.last_row or column > found.last_column) and c.value is not None:
            found.cells[(row, column)] = c.value
            if c.data_type == "f":
                found.formulas.add((row, column))
    if ws.title == L.DATA:
        columns = L.data_columns()
        for row in kept.key_rows(found):
            found.keys[row] = tuple(str(ws.cell(row, columns.index(key)).value) for key in kept.KEY_COLUMNS)
        if L.DATA_TABLE in ws.tables:
            found.table_columns = bounds(ws.tables[L.DATA_TABLE].ref)[2]
    return found


def _name_the_maker(book) -> None:
    """The document names xlkp and its version as the program that last wrote it (and made
    it, unless someone else did): openpyxl would otherwise put in its own name."""
    maker = f"{MAKER}{__version__}"  # what package.Package.open looks for
    properties = book.properties
    if not properties.creator or properties.creator == "openpyxl":
        properties.creator = maker
    properties.lastModifiedBy = maker
    properties.title = properties.title or "Klantprofielen"
    properties.subject = properties.subject or "UWV, Transparantie van klantprofielen"


_STYLE_CACHE: dict[str, dict[str, Any]] = {}


def _style_objects(name: str) -> dict[str, Any]:
    if name not in _STYLE_CACHE:
        spec = L.STYLES[name]
        objects: dict[str, Any] = {}
        if any(k in spec for k in ("bold", "italic", "size", "color", "underline")):
            objects["font"] = Font(
                name=L.FONT,
                bold=spec.get("bold"),
                italic=spec.get("italic"),
                size=spec.get("size", L.FONT_SIZE),
                color=spec.get("color"),
                underline="single" if spec.get("underline") else None,
            )
        if "fill" in spec:
            objects["fill"] = PatternFill("solid", start_color=spec["fill"], end_color=spec["fill"])
        if any(k in spec for k in ("wrap", "halign", "valign")):
            objects["alignment"] = Alignment(
                wrap_text=spec.get("wrap"), horizontal=spec.get("halign"), vertical=spec.get("valign")
            )
        thin = Side(style="thin", color=L.BORDER_COLOUR)
        if spec.get("border"):
            objects["border"] = Border(left=thin, right=thin, top=thin, bottom=thin)
        elif spec.get("border_top"):
            objects["border"] = Border(top=Side(style="thin", color=L.BORDER_TOP_COLOUR))
        _STYLE_CACHE[name] = objects
    return _STYLE_CACHE[name]


def _write_sheet(ws, sheet: L.SheetLayout, below: int | None = None) -> None:
    """Write `sheet` into `ws`; with `below`, only its rows above that row (sheet_xml adds the rest)."""
    for block in sheet.blocks:
        _write_block(ws, block, below)
    for fmt in sheet.formats:
        objects = _style_objects(fmt.style) if fmt.style else {}
        min_col, min_row, max_col, max_row = bounds(fmt.ref if ":" in fmt.ref else f"{fmt.ref}:{fmt.ref}")
        if below is not None:
            max_row = min(max_row, below - 1)
        # A cell's style ids before this format -> after it: openpyxl looks each style object up
        # by hash and equality (deep, against a loaded workbook's own objects), once per kind here.
        styled: dict[tuple[int, ...], StyleArray] = {}
        for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col):
            for c in row:
                before = tuple(c._style) if c._style is not None else ()
                after = styled.get(before)
                if after is not None:
                    c._style = StyleArray(after)
                    continue
                if fmt.number_format:
                    c.number_format = fmt.number_format
                for attribute, value in objects.items():
                    setattr(c, attribute, value)
                if c._style is not None:
                    styled[before] = StyleArray(c._style)
    for table in sheet.tables:
        t = Table(displayName=table.name, ref=table.ref)
        t.tableStyleInfo = TableStyleInfo(name=table.style, showRowStripes=True)
        _name_columns(ws, t)
        ws.add_table(t)
    for rule in sheet.conditional_formats:
        objects = _style_objects(rule.style)
        ws.conditional_formatting.add(
            rule.ref,
            FormulaRule(formula=[rule.formula], font=_dxf_font(rule.style), fill=_dxf_fill(rule.style)),
        )
    for validation in sheet.validations:
        dv = DataValidation(type="list", formula1=validation.source, allow_blank=False)
        dv.prompt, dv.promptTitle, dv.showInputMessage = validation.prompt, L.PERIOD, bool(validation.prompt)
        dv.error, dv.errorTitle, dv.showErrorMessage = "Kies een kwartaal uit de lijst.", L.PERIOD, True
        ws.add_data_validation(dv)
        dv.add(validation.ref)
    if sheet.row_groups:
        ws.sheet_properties.outlinePr = Outline(summaryBelow=False, summaryRight=True)
    for group in sheet.row_groups:
        ws.row_dimensions.group(group.first, group.last, outline_level=group.level, hidden=group.collapsed)
        if group.collapsed:
            ws.row_dimensions[group.first - 1].collapsed = True
    for letter, width in sheet.column_widths.items():
        ws.column_dimensions[letter].width = width
    for letter in sheet.hidden_columns:
        ws.column_dimensions[letter].hidden = True
    for chart in sheet.charts:
        ws.add_chart(_chart(ws, chart), chart.anchor)
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    if sheet.hidden:
        ws.sheet_state = "hidden"
    if sheet.tab_color:
        ws.sheet_properties.tabColor = sheet.tab_color
    for row, height in sheet.row_heights.items():
        ws.row_dimensions[row].height = height
    _page_setup(ws, sheet)
    ws.sheet_view.showGridLines = not sheet.tables or sheet.name in (L.DATA, L.REGION_DATA)


def _name_columns(ws, table: Table) -> None:
    """The table's columns named by its header row, as openpyxl does when it saves a table
    without them, but without making a cell object for every cell of the table."""
    min_col, min_row, max_col, _ = bounds(table.ref)
    header = next(ws.iter_rows(min_row=min_row, max_row=min_row, min_col=min_col, max_col=max_col))
    table.tableColumns = [TableColumn(id=index, name=str(cell.value)) for index, cell in enumerate(header, min_col)]
    table.autoFilter = AutoFilter(ref=table.ref)


def _page_setup(ws, sheet: L.SheetLayout) -> None:
    setup = sheet.print_setup
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if setup.pages_wide is None:
        ws.page_setup.scale = setup.scale
        ws.sheet_properties.pageSetUpPr.fitToPage = False
    else:
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = setup.pages_wide, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.title_rows:
        ws.print_title_rows = sheet.title_rows
    if setup.title_columns:
        ws.print_title_cols = setup.title_columns
    for row in setup.row_breaks:
        ws.row_breaks.append(Break(id=row))
    for column in setup.column_breaks:
        ws.col_breaks.append(Break(id=column))
    footer = ws.oddFooter
    footer.left.text, footer.center.text, footer.right.text = P.footer_text(setup.source), P.FOOTER_CENTER, P.FOOTER_RIGHT
    for part in (footer.left, footer.center, footer.right):
        part.font, part.size = L.FONT, 9


def _dxf_font(style: str) -> Font | None:
    """A conditional format changes a font's weight, slant and colour only (never name or size)."""
    spec = L.STYLES[style]
    if not any(k in spec for k in ("bold", "italic", "color")):
        return None
    return Font(bold=spec.get("bold"), italic=spec.get("italic"), color=spec.get("color"))


def _dxf_fill(style: str) -> PatternFill | None:
    colour = L.STYLES[style].get("fill")
    # Differential fills take the colour as background (Excel and LibreOffice agree on this).
    return PatternFill(bgColor=colour, fill_type="solid") if colour else None


def _write_block(ws, block: L.Block, below: int | None = None) -> None:
    top, left = coordinate_to_tuple(block.cell)
    rows = block.rows if below is None else block.rows[:max(0, below - top)]
    for i, values in enumerate(rows):
        for j, value in enumerate(values):
            if value is None:
                continue
            c = ws.cell(top + i, left + j)
            c.value = value
            if isinstance(value, str) and not block.formulas:
                c.data_type = "s"  # data, never a formula, whatever it starts with


def _chart(ws, spec: L.Chart) -> BarChart | LineChart:
    if spec.kind == "line":
        return _line_chart(ws, spec)
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = spec.title
    chart.width, chart.height = spec.width_cm, spec.height_cm  # type: ignore[assignment]  # stubs: int
    if spec.kind == "bar_stacked_100":
        chart.grouping, chart.overlap = "percentStacked", 100
        chart.legend.position = "b"
    else:
        chart.legend = None
        chart.dataLabels = DataLabelList(
            showVal=True, showCatName=False, showSerName=False, showLegendKey=False, showPercent=False
        )
        chart.dataLabels.numFmt = spec.number_format
        chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.majorUnit = 0, 1, 0.2
    chart.gapWidth = 40
    chart.x_axis.scaling.orientation = "maxMin"  # first region on top, as in the table
    chart.y_axis.number_format = spec.number_format
    chart.y_axis.majorGridlines = None if spec.kind == "bar_stacked_100" else chart.y_axis.majorGridlines
    _plot(ws, chart, spec.source)
    return chart


def _plot(ws, chart, source: str) -> None:
    """The source's first column as categories, each further column a series titled by its header."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    min_col, min_row, max_col, max_row = bounds(source)
    chart.add_data(
        Reference(ws, min_col=min_col + 1, min_row=min_row, max_col=max_col, max_row=max_row),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=min_col, min_row=min_row + 1, max_row=max_row))


def _line_chart(ws, spec: L.Chart) -> LineChart:
    """One line per series over the categories (quarters); an empty cell is a gap in its line."""
    chart = LineChart()
    chart.title = spec.title
    chart.style = 10
    chart.width, chart.height = spec.width_cm, spec.height_cm  # type: ignore[assignment]  # stubs: int
    if chart.legend is not None:
        chart.legend.position = "b"
    chart.display_blanks = "gap"
    chart.y_axis.number_format = spec.number_format
    _plot(ws, chart, spec.source)
    for series in chart.series:
        series.marker.symbol = "circle"
        series.smooth = False
    return chart


# ---- keeping the package parts of a macro workbook ---------------------------------------------


def _restore_package(parts: dict[str, bytes], base: Path | None, macro: bool) -> None:
    """Put back into `parts` (the package openpyxl saved) what openpyxl drops: ribbon parts and
    relations, VBA bytes, the xlsm content type."""
    original = zipfile.ZipFile(base) if base is not None and zipfile.is_zipfile(base) else None
    if original is not None:
        with original:
            for name in original.namelist():
                if _KEEP_PARTS.match(name):
                    parts[name] = original.read(name)
            if "_rels/.rels" in original.namelist():
                rels, added = _merge_root_rels(parts["_rels/.rels"], original.read("_rels/.rels"))
                if added:
                    parts["_rels/.rels"] = rels
            if "[Content_Types].xml" in original.namelist():
                types, added = _merge_content_types(
                    parts["[Content_Types].xml"], original.read("[Content_Types].xml"), parts
                )
                if added:
                    parts["[Content_Types].xml"] = types
    if macro:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(XLSX_MAIN.encode(), XLSM_MAIN.encode())


def _merge_root_rels(written: bytes, original: bytes) -> tuple[bytes, bool]:
    ET.register_namespace("", _RELS)
    tree = ET.fromstring(written)
    targets = {rel.get("Target", "").lstrip("/") for rel in tree}
    ids = {rel.get("Id") for rel in tree}
    added = False
    for rel in ET.fromstring(original):
        if _UI_REL.search(rel.get("Type", "")) and rel.get("Target", "").lstrip("/") not in targets:
            if rel.get("Id") in ids:
                rel.set("Id", f"rIdUi{len(ids)}")
            tree.append(rel)
            ids.add(rel.get("Id"))
            added = True
    return ET.tostring(tree, xml_declaration=True, encoding="UTF-8"), added


def _merge_content_types(written: bytes, original: bytes, parts: dict[str, bytes]) -> tuple[bytes, bool]:
    ET.register_namespace("", _CT)
    tree = ET.fromstring(written)
    defaults = {d.get("Extension", "").lower() for d in tree.iter(f"{{{_CT}}}Default")}
    overrides = {o.get("PartName") for o in tree.iter(f"{{{_CT}}}Override")}
    added = False
    for node in ET.fromstring(original):
        if node.tag == f"{{{_CT}}}Default" and node.get("Extension", "").lower() not in defaults:
            if any(name.lower().endswith("." + node.get("Extension", "").lower()) for name in parts):
                tree.append(node)
                added = True
        elif node.tag == f"{{{_CT}}}Override" and node.get("PartName") not in overrides:
            part = node.get("PartName", "").lstrip("/")
            if part in parts and _KEEP_PARTS.match(part):
                tree.append(node)
                added = True
    return ET.tostring(tree, xml_declaration=True, encoding="UTF-8"), added


# ---- reading the data back --------------------------------------------------------------------


def read_sections(path) -> tuple[list[Section], tuple[str, ...] | None]:
    """The sections held by a workbook this module wrote (a path, or a book `open_workbook`
    loaded), and its category labels (None if none)."""
    sections, labels, _ = read_book(path)
    return sections, labels


def read_book(path) -> tuple[list[Section], tuple[str, ...] | None, list[NationalTable]]:
    """The sections (each with its quarter's labels), the category labels of the data tables
    and the national tables held by a workbook this module wrote (a path, or a loaded book)."""
    book = path if isinstance(path, Workbook) else load_workbook(path, data_only=False, read_only=False, keep_links=False)
    return _contents(lambda sheet, name: _table_rows(book[sheet], name) if sheet in book.sheetnames else None)


class ForUpdate(NamedTuple):
    book: Any  # the workbook loaded by openpyxl, to be written into (write_workbook's `base_book`)
    contents: tuple[list[Section], tuple[str, ...] | None, list[NationalTable]]  # as read_book
    previous: data_copy.LastWrite | None  # write_workbook's `previous`


def load_for_update(path: str | Path) -> ForUpdate:
    """The workbook at `path`, loaded to be written into, what it holds, and the rows the last
    import wrote. A workbook xlkp saved last is read from its data copy or its XML, and openpyxl
    loads it without the cells the import replaces: most of an import into a long history.
    Anything that way cannot read is read by openpyxl, whole."""
    opened = Package.open(path)
    if opened is not None:
        with opened as package:
            try:
                contents = _contents(package.table)
                hollow = package.hollowed(list(L.SHEETS), tables=(L.DATA,))  # _user_cells reads its table
                book = load_workbook(hollow, keep_vba=Path(path).suffix.lower() == ".xlsm", keep_links=True)
                return ForUpdate(book, contents, package.last_write())
            except Exception:  # UnknownForm, or a part that is not where xlkp puts it
                pass
    book = open_workbook(path)
    return ForUpdate(book, read_book(book), None)


# The tables an import reads back (_contents), and so those the data copy holds.
READ_BACK = (
    (L.DATA, L.DATA_TABLE), (L.REGION_DATA, L.REGION_TABLE),
    (L.NATIONAL_SHEET, L.NATIONAL_TABLE), (L.NATIONAL_SHEET, L.LABELS_TABLE),
)


def _contents(table) -> tuple[list[Section], tuple[str, ...] | None, list[NationalTable]]:
    """What read_book returns, from `table(sheet, name)`: a table's header and rows (None: absent;
    a formula cell may be None). Reads the READ_BACK tables."""
    data = table(L.DATA, L.DATA_TABLE)
    regions = table(L.REGION_DATA, L.REGION_TABLE)
    if data is None or regions is None:
        return [], None, []
    sections, labels = L.sections_from_tables([data[0], *data[1]], [regions[0], *regions[1]])
    national: list[NationalTable] = []
    table_rows = table(L.NATIONAL_SHEET, L.NATIONAL_TABLE)  # a workbook from before it had none
    if table_rows is not None:
        national = L.national_from_table([table_rows[0], *table_rows[1]])
    label_table = table(L.NATIONAL_SHEET, L.LABELS_TABLE)
    if label_table is not None:
        L.apply_period_labels(sections, national, L.labels_from_table([label_table[0], *label_table[1]]))
    return sections, labels, national


def _table_rows(ws, name: str) -> tuple[list, list[list]] | None:
    if name not in ws.tables:
        return None
    min_col, min_row, max_col, max_row = bounds(ws.tables[name].ref)
    grid = [
        [c.value for c in row]
        for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)
    ]
    return grid[0], grid[1:]
