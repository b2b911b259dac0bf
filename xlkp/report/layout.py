"""What goes on which sheet, decided once: plain data that a writer (openpyxl, xlwings) walks.

Nothing here writes through a spreadsheet library (only openpyxl's A1 helpers are used). A
layout is a list of sheets; each sheet holds rectangular blocks of values or of formulas, tables,
number formats and named styles over ranges, conditional formats, validations, row groups
(outline) and charts. Every list grows with the
number of regions or findings at most, never with the number of municipality rows, so a writer
that makes one call per item makes a number of calls independent of the data size.

Values blocks hold literal data: a string in one is text, even when it starts with '='.
Formula blocks hold formulas (English function names, ',' separators, A1 references).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# A1 notation only: openpyxl.utils is plain string arithmetic, no workbook.
from openpyxl.utils.cell import absolute_coordinate, coordinate_to_tuple
from openpyxl.utils.cell import get_column_letter as column_letter

from ..counts import counted
from ..model import (
    CATEGORY_COUNT,
    DEFAULT_COLUMNS,
    REGION_TOTAL_LABEL,
    TOTAL_LABEL,
    Finding,
    NationalRow,
    NationalTable,
    Row,
    Section,
)
from ..regions import REGIONS, canonical_region
from .columns import Column, Columns

# Sheet names, in the order a new workbook shows them.
OVERVIEW = "Regio-overzicht"
CHARTS = "Grafieken"
TREND = "Trend"
CONTROLS = "Controles"
DATA = "Gegevens"
REGION_DATA = "Regiototalen"
LISTS = "Lijsten"
NATIONAL_SHEET = "Landelijk"
SHEETS = (OVERVIEW, CHARTS, TREND, CONTROLS, DATA, REGION_DATA, NATIONAL_SHEET, LISTS)
NATIONAL_TABLE = "tblLandelijk"
LABELS_TABLE = "tblKolomnamen"
# tblKolomnamen: per quarter the four labels as printed, and what its Nederland row is called.
LABEL_COLUMNS = ("Kolom 1", "Kolom 2", "Kolom 3", "Kolom 4")
NATIONAL_NAME = "Naam Nederland-rij"

DATA_TABLE = "tblGegevens"
REGION_TABLE = "tblRegiototalen"
CONTROLS_TABLE = "tblControles"

PERIOD, REGION, MUNICIPALITY = "Periode", "Regio", "Gemeente"
REGION_AS_PRINTED = "Regio (zoals gedrukt)"
REGISTER = "Doelgroepregister"
PRINTED_PERCENT = "Bekend (gedrukt)"
COMPUTED_PERCENT = "Bekend (berekend)"
CHECK = "Controle"
NATIONAL_LABEL = "Nederland"
NO_FINDINGS = "Geen bevindingen: alle totalen, kolomtotalen en percentages kloppen."

# Every font is named: a font record without a name falls back to a serif font in LibreOffice.
FONT = "Calibri"  # Excel's default font
FONT_SIZE = 11

ROW_CM = 2.54 * 15 / 72  # a row of Excel's default height (15 pt)

COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
PRINTED_PERCENT_FORMAT = "0%"

# Named styles; a writer maps each to its own objects. Colours are RGB hex.
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "size": 14, "color": "1F3864"},
    "subtitle": {"italic": True, "color": "595959"},
    "header": {"bold": True, "color": "FFFFFF", "fill": "1F4E78", "wrap": True, "valign": "center"},
    "group_header": {"bold": True, "color": "1F4E78", "fill": "DDEBF7", "halign": "center"},
    "region": {"bold": True, "fill": "EEF3FA"},
    "national": {"bold": True, "fill": "D9E1F2", "border_top": True},
    "selector": {"bold": True, "fill": "FFF2CC", "border": True},
    "label": {"bold": True},
    "muted": {"italic": True, "color": "7F7F7F"},
    "link": {"color": "0563C1", "underline": True},
    "flag": {"fill": "FFC7CE", "color": "9C0006"},  # Excel's own "bad" colours
    "ok": {"color": "006100"},
    "center": {"halign": "center"},
}

BORDER_COLOUR, BORDER_TOP_COLOUR = "8EA9DB", "1F4E78"  # "border" (all sides), "border_top"

KIND_LABELS = {
    "row_total": "Rijtotaal",
    "column_total": "Kolomtotaal (TOTAAL AMR)",
    "coverage_percent": "Percentage bekend",
    "missing_total": "TOTAAL AMR ontbreekt",
    "missing_register": "Doelgroepregister ontbreekt",
    "empty_section": "Regio zonder gemeenten",
    "duplicate_municipality": "Gemeente dubbel",
    "duplicate_region": "Regio dubbel",
    "missing_region": "Regio ontbreekt",
    "unknown_region": "Onbekende regio",
    "region_mismatch": "Regionaam wijkt af",
    "incomplete_publication": "Publicatie onvolledig",
    "continuation_region": "Vervolgpagina hoort bij andere regio",
    "column_labels": "Kolomnamen gewijzigd",
    "national_region": "Landelijke tabel wijkt af van regio",
    "national_total": "Landelijk totaal",
    "national_missing_region": "Regio ontbreekt in landelijke tabel",
}
SEVERITY_LABELS = {"error": "Fout", "warning": "Waarschuwing"}


# ---- the plain records ----------------------------------------------------------------------


@dataclass
class Block:
    """A rectangle of values (literal) or formulas, written in one go from its top-left cell."""

    cell: str
    rows: list[list[Any]]
    formulas: bool = False
    user: bool = False  # cells a user made, put back where they belong (kept.py)

    @property
    def ref(self) -> str:
        return area(self.cell, len(self.rows), max((len(r) for r in self.rows), default=1))


@dataclass
class Table:
    name: str
    ref: str
    style: str = "TableStyleMedium2"


@dataclass
class Format:
    """A number format and/or a named style (see STYLES) over a range."""

    ref: str
    number_format: str | None = None
    style: str | None = None


@dataclass
class ConditionalFormat:
    """Style `ref` where `formula` (relative to the top-left cell of `ref`) is true."""

    ref: str
    formula: str
    style: str = "flag"
    # The ranges the rule holds for in the data as written, for a writer that cannot add
    # conditional formats (xlwings Lite) and colours these cells instead.
    where: list[str] = field(default_factory=list)


@dataclass
class Validation:
    """A drop-down list in `ref`, its choices in the range `source` (with sheet)."""

    ref: str
    source: str
    prompt: str = ""


@dataclass
class RowGroup:
    """Rows first..last form an outline group under the row above them."""

    first: int
    last: int
    level: int = 1
    collapsed: bool = False


@dataclass
class Chart:
    """A chart over `source` (on the chart's own sheet): a header row, the categories in the
    first column, one series per further column, named by its header."""

    kind: str  # "bar" (horizontal bars) or "bar_stacked_100"
    title: str
    anchor: str
    source: str
    width_cm: float = 16.0
    height_cm: float = 22.0
    number_format: str = "0%"


@dataclass
class PrintSetup:
    """How a sheet prints on A4, beyond `SheetLayout.landscape` and `title_rows` (see printing.py,
    which plans it from the sheet's widths, header rows and charts)."""

    source: str = ""  # the footer's left part; the writers add the sheet name and "Pagina N van M"
    pages_wide: int | None = 1  # fit to this many pages wide, any number tall; None: `scale`
    scale: int = 100  # percent, when not fitted (Excel ignores page breaks on a fitted sheet)
    title_columns: str | None = None  # repeated at the left of every page ("A:B")
    row_breaks: list[int] = field(default_factory=list)  # a page ends after each of these rows
    column_breaks: list[int] = field(default_factory=list)  # ... after each of these columns


@dataclass
class SheetLayout:
    name: str
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    formats: list[Format] = field(default_factory=list)
    conditional_formats: list[ConditionalFormat] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    row_groups: list[RowGroup] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    column_widths: dict[str, float] = field(default_factory=dict)
    hidden_columns: list[str] = field(default_factory=list)
    freeze: str | None = None
    hidden: bool = False
    tab_color: str | None = None
    # Printing: landscape (None: planned from the widths), these rows repeated on every page.
    landscape: bool | None = None
    title_rows: str | None = None
    print_setup: PrintSetup = field(default_factory=PrintSetup)
    row_heights: dict[int, float] = field(default_factory=dict)  # points, e.g. wrapped header rows


@dataclass
class WorkbookLayout:
    sheets: list[SheetLayout]
    active: str = OVERVIEW

    def sheet(self, name: str) -> SheetLayout:
        return next(s for s in self.sheets if s.name == name)


# ---- A1 helpers -------------------------------------------------------------------------------


def cell(row: int, col: int, absolute: bool = False) -> str:
    d = "$" if absolute else ""
    return f"{d}{column_letter(col)}{d}{row}"


def area(top_left: str, rows: int, cols: int) -> str:
    row, col = coordinate_to_tuple(top_left.replace("$", ""))
    return f"{top_left}:{cell(row + max(rows, 1) - 1, col + max(cols, 1) - 1)}"


def sheet_ref(sheet: str, ref: str) -> str:
    """A reference with its sheet, quoted when the name needs it."""
    plain = sheet.replace("_", "").isalnum()
    name = sheet if plain else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{ref}"


def equals(ref: str) -> str:
    """A SUMIFS/COUNTIFS criterion that matches the text in `ref` exactly, like `=` does.

    A criterion reads a leading '=', '<' or '>' as an operator and '*', '?', '~' as wildcards;
    a name from a PDF may hold any of them, so the operator is given and the wildcards escaped.
    """
    escaped = ref
    for char in "~*?":
        escaped = f'SUBSTITUTE({escaped},"{char}","~{char}")'
    return f'"="&{escaped}'


@dataclass(frozen=True)
class Span:
    """Where one quarter's rows of a table lie, as three formula terms: the first row's index in
    the table, the number of rows, and whether they are contiguous (the importer writes each
    table sorted by quarter; a user may have sorted it otherwise)."""

    first: str
    count: str
    contiguous: str


def over_period(function: str, table: str, target: str | None, period: str, span: Span,
                criteria: list[tuple[str, str]]) -> str:
    """SUMIFS/COUNTIFS over one quarter's rows of `table`: over that quarter's rows only when
    they are contiguous, else over the whole table. Either way the same figure, but the first
    costs the same however many quarters the table holds.

    `criteria` are (column, criterion) pairs besides the quarter; `target` the column summed.
    """
    def part(column: str) -> str:
        whole = structured(table, column)
        return f"INDEX({whole},{span.first}):INDEX({whole},{span.first}+{span.count}-1)"

    if criteria:
        fast = ",".join(([part(target)] if target else []) + [x for c, v in criteria for x in (part(c), v)])
        fast = f"{function}({fast})"
    else:
        fast = f"SUM({part(target)})" if target else span.count
    slow = [structured(table, target)] if target else []
    slow += [structured(table, PERIOD), period] + [x for c, v in criteria for x in (structured(table, c), v)]
    return f"IF({span.contiguous},{fast},{function}({','.join(slow)}))"


def structured(table: str, column: str) -> str:
    """tblGegevens[Totaal], escaping the characters Excel reserves in column specifiers."""
    escaped = "".join("'" + ch if ch in "[]#'" else ch for ch in column)
    return f"{table}[{escaped}]"


# ---- building the layout ----------------------------------------------------------------------


@dataclass
class Data:
    """What the layout is built from: all sections in the workbook, their labels and findings."""

    sections: list[Section]
    findings: list[Finding]
    labels: tuple[str, ...]
    national: list[NationalTable] = field(default_factory=list)

    def period_labels(self, period: str) -> tuple[str, ...]:
        printed = {s.columns for s in self.sections if s.period == period and s.columns}
        printed |= {t.columns for t in self.national if t.period == period and t.columns}
        return printed.pop() if len(printed) == 1 else DEFAULT_COLUMNS

    def national_name(self, period: str) -> str:
        """What the overview calls the Nederland row of `period`: never plainly 'Nederland'
        for a sum of only some of the regions."""
        if any(t.period == period and t.total is not None for t in self.national):
            return NATIONAL_LABEL
        present = {s.region for s in self.sections if s.period == period and s.region}
        if len(present) >= len(REGIONS):
            return NATIONAL_LABEL
        return f"Som van {len(present)} van {len(REGIONS)} regio's (onvolledig)"

    @property
    def periods(self) -> list[str]:
        return sorted({s.period for s in self.sections})

    @property
    def regions(self) -> list[str]:
        """Regions present in any period: the official order, then any others by name."""
        present = {s.name for s in self.sections}
        known = [r for r in REGIONS if r in present]
        return known + sorted(present - set(known), key=str.casefold)


def table_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """Category headers usable as table column names: non-empty, unique, not a fixed name."""
    taken = {PERIOD, REGION, MUNICIPALITY, TOTAL_LABEL, CHECK, REGION_AS_PRINTED, REGISTER,
             PRINTED_PERCENT, COMPUTED_PERCENT}
    result: list[str] = []
    for index, label in enumerate(labels):
        name = " ".join(str(label).split()) or DEFAULT_COLUMNS[index]
        while name.casefold() in {t.casefold() for t in taken | set(result)}:
            name += f" ({index + 1})"
        result.append(name)
    return tuple(result)


def build_layout(
    sections: list[Section],
    findings: list[Finding],
    labels: tuple[str, ...],
    national: Iterable[NationalTable] = (),
) -> WorkbookLayout:
    data = Data(list(sections), list(findings), table_labels(labels), list(national))
    from .printing import plan_printing

    data_sheet, data_rows = _data_sheet(data)
    region_sheet, region_rows = _region_sheet(data)
    overview, overview_rows = _overview_sheet(data)
    book = WorkbookLayout(
        [
            overview,
            _charts_sheet(data, overview_rows),
            _trend_sheet(data),
            _controls_sheet(data, data_rows, region_rows),
            data_sheet,
            region_sheet,
            _national_sheet(data),
            _lists_sheet(data),
        ]
    )
    plan_printing(book, data.periods)
    return book


# ---- the columns of each sheet ---------------------------------------------------------------
# Every reference to a sheet's columns goes through these specs, by key. The four category
# columns are keyed by position (their headers are the printed labels); a spec built with other
# labels has other headers and widths, never other letters.

CATEGORY_KEYS = tuple(f"category {i + 1}" for i in range(CATEGORY_COUNT))
COUNT_KEYS = (*CATEGORY_KEYS, TOTAL_LABEL)  # the four categories, then the total
GEGEVENS_SPAN = ("Eerste rij", "Rijen", "Aaneengesloten")


def _categories(labels: Iterable[str], **spec: Any) -> list[Column]:
    return [Column(key, header=label, **spec) for key, label in zip(CATEGORY_KEYS, labels)]


def _sum_key(key: str) -> str:
    return f"sum of {key}"


def span_key(table_sheet: str, what: str) -> str:
    """The Lijsten column saying `what` (one of GEGEVENS_SPAN) of a quarter's rows in the
    table on `table_sheet` (Gegevens or Regiototalen)."""
    return f"{what} ({table_sheet})"


def data_columns(labels: Iterable[str] = DEFAULT_COLUMNS) -> Columns:
    """Gegevens (tblGegevens): one row per municipality and quarter."""
    fit = (8, 40)
    return Columns(
        Column(PERIOD, fit=fit),
        Column(REGION, fit=fit),
        Column(MUNICIPALITY, fit=fit),
        *_categories(labels, number_format=COUNT_FORMAT, fit=fit),
        Column(TOTAL_LABEL, number_format=COUNT_FORMAT, fit=fit),
        Column(CHECK, style="center", fit=fit, widest="Verschil -1.000"),
    )


def region_columns(labels: Iterable[str] = DEFAULT_COLUMNS) -> Columns:
    """Regiototalen (tblRegiototalen): per region and quarter TOTAAL AMR as printed, the footnote,
    the checks, the column sums over the municipalities, and where the quarter lies in Gegevens."""
    labels = tuple(labels)
    return Columns(
        Column(PERIOD),
        Column(REGION),
        Column(REGION_AS_PRINTED),
        *_categories(labels, number_format=COUNT_FORMAT),
        Column(TOTAL_LABEL, number_format=COUNT_FORMAT),
        Column(REGISTER, number_format=COUNT_FORMAT),
        Column(PRINTED_PERCENT, number_format=PRINTED_PERCENT_FORMAT),
        Column(COMPUTED_PERCENT, number_format=PERCENT_FORMAT),
        Column(CHECK, style="center"),
        *(Column(_sum_key(key), header=f"Som {label}", number_format=COUNT_FORMAT)
          for key, label in zip(COUNT_KEYS, (*labels, TOTAL_LABEL))),
        *(Column(what, hidden=True) for what in GEGEVENS_SPAN),
    )


FINDING_KIND, PRINTED, COMPUTED, DIFFERENCE, MESSAGE, LINK, SEVERITY = (
    "Soort", "Gedrukt", "Berekend", "Verschil", "Melding", "Ga naar", "Ernst")
CONTROLS_COLUMNS = Columns(
    Column(FINDING_KIND),
    Column(PERIOD),
    Column(REGION),
    Column(MUNICIPALITY),
    Column(PRINTED, number_format=COUNT_FORMAT),
    Column(COMPUTED, number_format=COUNT_FORMAT),
    Column(DIFFERENCE, number_format=COUNT_FORMAT),
    Column(MESSAGE, fit=(40, 110)),
    Column(LINK, width=22, style="link"),
    Column(SEVERITY, width=14),
)


def national_columns(labels: Iterable[str] = DEFAULT_COLUMNS) -> Columns:
    """Landelijk, tblLandelijk: the national table of each quarter as printed, with its checks."""
    return Columns(
        Column(PERIOD),
        Column(REGION),
        *_categories(labels, number_format=COUNT_FORMAT),
        Column(TOTAL_LABEL, number_format=COUNT_FORMAT),
        Column(REGISTER, number_format=COUNT_FORMAT),
        Column(PRINTED_PERCENT, number_format=PRINTED_PERCENT_FORMAT),
        Column(CHECK, width=40),
    )


# Landelijk, tblKolomnamen (beside tblLandelijk): per quarter the labels as printed.
LABEL_TABLE_COLUMNS = Columns(
    Column(PERIOD), *(Column(label) for label in LABEL_COLUMNS), Column(NATIONAL_NAME), first="M"
)

# Lijsten: the quarters, and where each lies in the two data tables.
LISTS_COLUMNS = Columns(
    Column(PERIOD),
    *(Column(span_key(sheet, what)) for sheet in (DATA, REGION_DATA) for what in GEGEVENS_SPAN),
)

COVERAGE, ROW_COUNT, LOOKUP = "Bekend (%)", "Rijen", "Zoekwaarde"


def overview_columns(labels: Iterable[str] = DEFAULT_COLUMNS) -> Columns:
    """Regio-overzicht: a row per region and municipality; hidden, the number of matching rows
    and the row's name as a SUMIFS criterion (their rows 1-3: where the selected quarter lies)."""
    return Columns(
        Column(REGION, fit=(24, 38)),
        Column(MUNICIPALITY, fit=(22, 36)),
        *(Column(key, header=label, width=max(12, min(18, len(label) + 2)), number_format=COUNT_FORMAT)
          for key, label in zip(CATEGORY_KEYS, labels)),
        Column(TOTAL_LABEL, width=11, number_format=COUNT_FORMAT),
        Column(REGISTER, width=17, number_format=COUNT_FORMAT),
        Column(COVERAGE, width=11, number_format=PERCENT_FORMAT),
        Column(ROW_COUNT, width=6, hidden=True),
        Column(LOOKUP, width=6, hidden=True),
    )


CHART_REGION, CHART_GAP, COMPOSITION_REGION = "coverage: region", "gap", "composition: region"


def charts_columns(labels: Iterable[str] = DEFAULT_COLUMNS) -> Columns:
    """Grafieken: coverage per region (the first chart's source), a gap, the composition (the second's)."""
    return Columns(
        Column(CHART_REGION, header=REGION, fit=(24, 38)),
        Column(COVERAGE, width=11, number_format=PERCENT_FORMAT),
        Column(CHART_GAP, header="", width=3),
        Column(COMPOSITION_REGION, header=REGION, fit=(24, 38)),
        *(Column(key, header=label, width=max(11, min(16, len(label) + 2)), number_format=COUNT_FORMAT)
          for key, label in zip(CATEGORY_KEYS, labels)),
    )


def _trend_total(period: str) -> str:
    return f"total {period}"


def _trend_coverage(period: str) -> str:
    return f"coverage {period}"


def trend_columns(periods: Iterable[str]) -> Columns:
    """Trend: per region the total per quarter, then the share known per quarter; hidden, the
    row's region as a SUMIFS criterion."""
    periods = list(periods)
    return Columns(
        Column(REGION, fit=(24, 38)),
        *(Column(_trend_total(p), header=p, width=11, number_format=COUNT_FORMAT) for p in periods),
        *(Column(_trend_coverage(p), header=p, width=11, number_format=PERCENT_FORMAT) for p in periods),
        Column(LOOKUP, fit=None, hidden=True),
    )


DATA_COLUMNS = data_columns()
REGION_COLUMNS = region_columns()
NATIONAL_COLUMNS = national_columns()
OVERVIEW_COLUMNS = overview_columns()


def _counts(values: Iterable[int | None], total: int | None) -> dict[str, int | None]:
    """The four category counts and the total, by column key."""
    return dict(zip(COUNT_KEYS, (*values, total)))


def _formats(columns: Columns, first_row: int, last_row: int) -> list[Format]:
    """The number formats and styles of the columns' data rows."""
    return [Format(ref, number_format, style) for ref, number_format, style in columns.formats(first_row, last_row)]


def _data_check(columns: Columns, r: int) -> str:
    """Gegevens' Controle cell of row r: the four categories against the printed total."""
    counts = columns.range(CATEGORY_KEYS[0], r, to=CATEGORY_KEYS[-1])
    total = columns.ref(TOTAL_LABEL, r)
    return f'=IF(SUM({counts})={total},"OK","Verschil "&(SUM({counts})-{total}))'


def _data_sheet(data: Data) -> tuple[SheetLayout, dict[tuple[str, str, str], int]]:
    columns = data_columns(data.labels)
    values: list[list[Any]]
    where: dict[tuple[str, str, str], int]
    values, formulas, where, flagged = [], [], {}, []
    for section in data.sections:
        for row in section.rows:
            r = len(values) + 2
            where.setdefault((section.period, section.name, row.municipality), r)
            if sum(row.values) != row.total:
                flagged.append(columns.row(r))
            values.append(columns.line({PERIOD: section.period, REGION: section.name, MUNICIPALITY: row.municipality,
                                        **_counts(row.values, row.total)}, last=TOTAL_LABEL))
            formulas.append(columns.line({CHECK: _data_check(columns, r)}, first=CHECK))
    if not values:  # a table needs one data row
        values.append(columns.line({}, last=TOTAL_LABEL))
        formulas.append(columns.line({CHECK: _data_check(columns, 2)}, first=CHECK))
    last = len(values) + 1
    sheet = SheetLayout(DATA, freeze=columns.ref(CATEGORY_KEYS[0], 2), tab_color="7F7F7F", title_rows="1:1")
    sheet.blocks = [Block(columns.start(1), [columns.headers]), Block(columns.start(2), values),
                    Block(columns.ref(CHECK, 2), formulas, formulas=True)]
    sheet.tables = [Table(DATA_TABLE, columns.area(1, last))]
    sheet.formats = [Format(columns.row(1), style="header"), *_formats(columns, 2, last)]
    counts = columns.range(CATEGORY_KEYS[0], 2, to=CATEGORY_KEYS[-1], fixed_column=True)
    total = columns.ref(TOTAL_LABEL, 2, fixed_column=True)
    sheet.conditional_formats = [ConditionalFormat(columns.area(2, last), f"SUM({counts})<>{total}", where=flagged)]
    sheet.column_widths = columns.widths(values)
    return sheet, where


# Regiototalen: see region_columns; hidden, where the row's quarter lies in Gegevens (copied
# from Lijsten).
def _region_sheet(data: Data) -> tuple[SheetLayout, dict[tuple[str, str], int]]:
    columns = region_columns(data.labels)
    lists = LISTS_COLUMNS
    values: list[list[Any]]
    where: dict[tuple[str, str], int]
    values, formulas, where = [], [], {}
    column_flags, percent_flags, row_flags = [], [], []

    def at(key: str, r: int) -> str:
        return columns.ref(key, r)

    for section in data.sections:
        r = len(values) + 2
        where.setdefault((section.period, section.name), r)
        total = section.region_total
        differing_totals = _column_total_flags(section, r)
        column_flags += differing_totals
        if _printed_percent_differs(section):
            percent_flags.append(at(PRINTED_PERCENT, r))
        if differing_totals or percent_flags[-1:] == [at(PRINTED_PERCENT, r)]:
            row_flags.append(at(CHECK, r))
        percent = None if section.coverage_percent_printed is None else section.coverage_percent_printed / 100
        values.append(columns.line({PERIOD: section.period, REGION: section.name,
                                    REGION_AS_PRINTED: section.region_as_printed,
                                    **(_counts(total.values, total.total) if total else {}),
                                    REGISTER: section.register, PRINTED_PERCENT: percent}, last=PRINTED_PERCENT))
        # SUMIFS over the quarter's rows of Gegevens (the hidden span columns say where they
        # are): the cost of a sum does not grow with the number of quarters in the workbook.
        span = Span(*(columns.ref(what, r, fixed_column=True) for what in GEGEVENS_SPAN))
        region = [(REGION, equals(columns.ref(REGION, r, fixed_column=True)))]
        column_sums = {
            _sum_key(key): "=" + over_period("SUMIFS", DATA_TABLE, label, columns.ref(PERIOD, r, fixed_column=True),
                                             span, region)
            for key, label in zip(COUNT_KEYS, (*data.labels, TOTAL_LABEL))
        }
        last_period = len(data.periods) + 1
        periods = f"MATCH({columns.ref(PERIOD, r, fixed_column=True)},{sheet_ref(LISTS, lists.range(PERIOD, 2, last_period, absolute=True))},0)"
        located = {
            what: f"=IFERROR(INDEX({sheet_ref(LISTS, lists.range(span_key(DATA, what), 2, last_period, absolute=True))},"
                  f"{periods}),{none})"
            for what, none in zip(GEGEVENS_SPAN, (0, 0, "FALSE"))
        }
        same_totals = ",".join(f"{at(key, r)}={at(_sum_key(key), r)}" for key in COUNT_KEYS)
        tot, register, printed_percent = at(TOTAL_LABEL, r), at(REGISTER, r), at(PRINTED_PERCENT, r)
        formulas.append(columns.line({
            COMPUTED_PERCENT: f'=IF(AND(ISNUMBER({tot}),N({register})>0),{tot}/{register},"")',
            CHECK: f'=IF(AND({same_totals},'
                   f'OR(NOT(ISNUMBER({printed_percent})),N({register})=0,'
                   f'ROUND({printed_percent}*100,0)=ROUND(100*{tot}/{register},0))),"OK","Wijkt af")',
            **column_sums,
            **located,
        }, first=COMPUTED_PERCENT))
    if not values:
        values.append(columns.line({}, last=PRINTED_PERCENT))
        formulas.append(columns.line({}, first=COMPUTED_PERCENT))
    last = len(values) + 1
    sheet = SheetLayout(REGION_DATA, freeze=at(CATEGORY_KEYS[0], 2), tab_color="7F7F7F", title_rows="1:1")
    sheet.blocks = [Block(columns.start(1), [columns.headers]), Block(columns.start(2), values),
                    Block(at(COMPUTED_PERCENT, 2), formulas, formulas=True)]
    sheet.tables = [Table(REGION_TABLE, columns.area(1, last))]
    sheet.hidden_columns = columns.hidden_letters()
    sheet.formats = [Format(columns.row(1), style="header"), *_formats(columns, 2, last)]
    # Each printed TOTAAL AMR cell against the sum of its column over the municipalities.
    tot, register, printed_percent = at(TOTAL_LABEL, 2), at(REGISTER, 2), at(PRINTED_PERCENT, 2)
    sheet.conditional_formats = [
        ConditionalFormat(
            columns.range(CATEGORY_KEYS[0], 2, last, to=TOTAL_LABEL),
            f"AND(COUNTA({columns.ref(PERIOD, 2, fixed_column=True)})>0,"
            f"N({at(CATEGORY_KEYS[0], 2)})<>N({at(_sum_key(CATEGORY_KEYS[0]), 2)}))",
            where=column_flags,
        ),
        ConditionalFormat(
            columns.range(PRINTED_PERCENT, 2, last),
            f"AND(ISNUMBER({printed_percent}),N({register})>0,"
            f"ROUND({printed_percent}*100,0)<>ROUND(100*{tot}/{register},0))",
            where=percent_flags,
        ),
        ConditionalFormat(columns.range(CHECK, 2, last), f'{at(CHECK, 2)}="Wijkt af"', where=row_flags),
    ]
    sheet.column_widths = columns.widths(values)
    return sheet, where


def _column_total_flags(section: Section, r: int) -> list[str]:
    """The printed TOTAAL AMR cells (of Regiototalen's row r) that differ from their column's sum."""
    total = section.region_total  # an empty cell counts as 0 in the rule, so here too
    printed = [*total.values, total.total] if total else [0] * (CATEGORY_COUNT + 1)
    sums = [sum(row.values[i] for row in section.rows) for i in range(CATEGORY_COUNT)]
    sums.append(sum(row.total for row in section.rows))
    return [REGION_COLUMNS.ref(key, r) for key, a, b in zip(COUNT_KEYS, printed, sums) if a != b]


def _printed_percent_differs(section: Section) -> bool:
    """As the rule on Bekend (gedrukt): the printed percentage against TOTAAL AMR / register, both rounded as Excel does."""
    total, register, printed = section.region_total, section.register, section.coverage_percent_printed
    if printed is None or not register or register <= 0:
        return False
    return _excel_round(printed) != _excel_round(100 * (total.total if total else 0) / register)


def _excel_round(value: float) -> int:
    """ROUND(x, 0) for the non-negative numbers here: halves away from zero, unlike round()."""
    return int(math.floor(value + 0.5))


# Regio-overzicht: the selector in B2; headers in row 4; from row 5 each region, its
# municipalities grouped beneath it; Nederland last. Hidden, each row's count of matching rows
# and its name as a SUMIFS criterion (see overview_columns).
OVERVIEW_FIRST_ROW = 5
SELECTOR = "B2"


def _overview_sheet(data: Data) -> tuple[SheetLayout, dict[str, int]]:
    columns = overview_columns(data.labels)
    period = absolute_coordinate(SELECTOR)
    g = {name: structured(DATA_TABLE, name) for name in (PERIOD, REGION, MUNICIPALITY, TOTAL_LABEL, *data.labels)}
    rt = {name: structured(REGION_TABLE, name) for name in (PERIOD, REGION, REGISTER)}
    municipalities = _municipalities_by_region(data)
    names, formulas, groups, region_rows = [], [], [], {}
    r = OVERVIEW_FIRST_ROW

    def lookup(row: int, absolute: bool = False) -> str:
        return columns.ref(LOOKUP, row, absolute=absolute, fixed_column=True)

    def coverage(row: int) -> str:
        total, register = columns.ref(TOTAL_LABEL, row), columns.ref(REGISTER, row)
        return f'=IF({register}>0,{total}/{register},"")'

    # The lookup column holds each row's name as a SUMIFS criterion, made once per row; rows
    # 1-3 of the row-count and lookup columns say where the selected quarter lies in Gegevens
    # and in Regiototalen.
    in_data, in_regions = (Span(*(columns.ref(key, i, absolute=True) for i in (1, 2, 3))) for key in (ROW_COUNT, LOOKUP))
    for region in data.regions:
        region_rows[region] = r
        match = [(REGION, lookup(r))]
        names.append(columns.line({REGION: region}, last=MUNICIPALITY))
        formulas.append(columns.line({
            **{key: "=" + over_period("SUMIFS", DATA_TABLE, label, period, in_data, match)
               for key, label in zip(COUNT_KEYS, (*data.labels, TOTAL_LABEL))},
            REGISTER: "=" + over_period("SUMIFS", REGION_TABLE, REGISTER, period, in_regions, match),
            COVERAGE: coverage(r),
            ROW_COUNT: "=" + over_period("COUNTIFS", DATA_TABLE, None, period, in_data, match),
            LOOKUP: f"={equals(columns.ref(REGION, r, fixed_column=True))}",
        }, first=CATEGORY_KEYS[0]))
        first = r + 1
        for municipality in municipalities[region]:
            r += 1
            match = [(REGION, lookup(region_rows[region], absolute=True)), (MUNICIPALITY, lookup(r))]
            names.append(columns.line({MUNICIPALITY: municipality}, last=MUNICIPALITY))
            formulas.append(columns.line({
                **{key: f'=IF({columns.ref(ROW_COUNT, r, fixed_column=True)}=0,"",'
                        f'{over_period("SUMIFS", DATA_TABLE, label, period, in_data, match)})'
                   for key, label in zip(COUNT_KEYS, (*data.labels, TOTAL_LABEL))},
                ROW_COUNT: "=" + over_period("COUNTIFS", DATA_TABLE, None, period, in_data, match),
                LOOKUP: f"={equals(columns.ref(MUNICIPALITY, r, fixed_column=True))}",
            }, first=CATEGORY_KEYS[0]))
        if r >= first:
            groups.append(RowGroup(first, r, collapsed=True))
        r += 1
    national = r
    names.append(columns.line({REGION: NATIONAL_LABEL}, last=MUNICIPALITY))
    # Nederland: the national table's line when the quarter has one, else the regions' sum
    # (then named for how many regions it holds).
    printed = f'COUNTIFS({_nt(PERIOD)},{period},{_nt(REGION)},"{NATIONAL_LABEL}")>0'

    def national_cell(column: str, summed: str) -> str:
        return f'=IF({printed},SUMIFS({_nt(column)},{_nt(PERIOD)},{period},{_nt(REGION)},"{NATIONAL_LABEL}"),{summed})'

    formulas.append(columns.line({
        **{key: national_cell(label, f"SUMIFS({g[label]},{g[PERIOD]},{period})")
           for key, label in zip(COUNT_KEYS, (*data.labels, TOTAL_LABEL))},
        REGISTER: national_cell(REGISTER, f"SUMIFS({rt[REGISTER]},{rt[PERIOD]},{period})"),
        COVERAGE: coverage(national),
        ROW_COUNT: f"=COUNTIFS({g[PERIOD]},{period})",
    }, first=CATEGORY_KEYS[0]))
    lists, last_period = LISTS_COLUMNS, len(data.periods) + 1
    selected = f"MATCH({period},{sheet_ref(LISTS, lists.range(PERIOD, 2, last_period, absolute=True))},0)"
    spans = [
        [f"=IFERROR(INDEX({sheet_ref(LISTS, lists.range(span_key(table_sheet, what), 2, last_period, absolute=True))},"
         f"{selected}),{none})"
         for table_sheet in (DATA, REGION_DATA)]
        for what, none in zip(GEGEVENS_SPAN, (0, 0, "FALSE"))
    ]
    latest = data.periods[-1] if data.periods else None
    last_shown = COVERAGE  # the columns after it are hidden helpers
    sheet = SheetLayout(OVERVIEW, freeze=columns.ref(CATEGORY_KEYS[0], OVERVIEW_FIRST_ROW), tab_color="1F4E78",
                        title_rows="4:4")
    sheet.blocks = [
        Block("A1", [["Klantprofielen per arbeidsmarktregio"]]),
        Block("A2", [["Periode", latest, f"Kies een kwartaal in {SELECTOR}; klik op + links om de gemeenten te zien."]]),
        Block(columns.start(4), [columns.headers]),
        Block(columns.start(OVERVIEW_FIRST_ROW), names),
        Block(columns.ref(CATEGORY_KEYS[0], OVERVIEW_FIRST_ROW), formulas, formulas=True),
        Block(columns.ref(ROW_COUNT, 1), spans, formulas=True),
        # Written over the above: the selected quarter's own labels over the four columns (they
        # may differ per quarter), and the Nederland row's name for that quarter.
        Block(columns.ref(CATEGORY_KEYS[0], 4), [[_label_of(period, i, label) for i, label in enumerate(data.labels)]],
              formulas=True),
        Block(columns.ref(REGION, national), [[_national_name_of(period)]], formulas=True),
    ]
    sheet.formats = [
        Format("A1", style="title"),
        Format("A2", style="label"),
        Format(SELECTOR, style="selector"),
        Format("C2", style="muted"),
        Format(columns.row(4), style="header"),
        *_formats(columns, OVERVIEW_FIRST_ROW, national),
        Format(columns.range(REGION, national, to=last_shown), style="national"),
    ]
    # Region rows are the ones with a name in column A: one rule styles them all, however many.
    if national > OVERVIEW_FIRST_ROW:
        sheet.conditional_formats = [
            ConditionalFormat(columns.range(REGION, OVERVIEW_FIRST_ROW, national - 1, to=last_shown),
                              f'{columns.ref(REGION, OVERVIEW_FIRST_ROW, fixed_column=True)}<>""', style="region",
                              where=[columns.range(REGION, r, to=last_shown) for r in region_rows.values()])
        ]
    sheet.validations = [
        Validation(SELECTOR, sheet_ref(LISTS, lists.range(PERIOD, 2, last_period, absolute=True)),
                   "Kies het kwartaal dat het overzicht toont.")
    ]
    sheet.row_groups = groups
    sheet.hidden_columns = columns.hidden_letters()
    sheet.column_widths = columns.widths(names)
    return sheet, region_rows | {NATIONAL_LABEL: national}


def _municipalities_by_region(data: Data) -> dict[str, list[str]]:
    """Each region's municipalities over all periods: the latest period's order, then the rest."""
    found: dict[str, list[str]] = defaultdict(list)
    for section in sorted(data.sections, key=lambda s: s.period, reverse=True):
        names = found[section.name]
        for row in section.rows:
            if row.municipality not in names:
                names.append(row.municipality)
    return found


# Grafieken: two compact blocks per region for the selected period, a chart beside each:
# coverage, then composition (see charts_columns); each block is one contiguous chart source.
def _charts_sheet(data: Data, overview_rows: dict[str, int]) -> SheetLayout:
    columns, overview = charts_columns(data.labels), OVERVIEW_COLUMNS
    coverage, composition = [], []
    for region in data.regions:
        r = overview_rows[region]
        coverage.append([f"={sheet_ref(OVERVIEW, overview.ref(COVERAGE, r))}"])
        composition.append([f"={sheet_ref(OVERVIEW, overview.ref(key, r))}" for key in CATEGORY_KEYS])
    names = [[region] for region in data.regions]
    first, last = 5, 4 + len(names)
    sheet = SheetLayout(CHARTS, tab_color="548235")
    sheet.blocks = [
        Block("A1", [["Grafieken"]]),
        Block("A2", [[f'="Periode: "&{sheet_ref(OVERVIEW, absolute_coordinate(SELECTOR))}&" (kies het kwartaal op het blad {OVERVIEW})"']], formulas=True),
        Block(columns.ref(CHART_REGION, 4), [[REGION, COVERAGE]]),
        Block(columns.ref(COMPOSITION_REGION, 4), [[REGION]]),
        Block(columns.ref(CATEGORY_KEYS[0], 4), [[f"={sheet_ref(OVERVIEW, overview.ref(key, 4))}" for key in CATEGORY_KEYS]],
              formulas=True),
        Block(columns.ref(CHART_REGION, first), names),
        Block(columns.ref(COMPOSITION_REGION, first), names),
        Block(columns.ref(COVERAGE, first), coverage, formulas=True),
        Block(columns.ref(CATEGORY_KEYS[0], first), composition, formulas=True),
    ]
    coverage_source = columns.range(CHART_REGION, 4, last, to=COVERAGE)
    composition_source = columns.range(COMPOSITION_REGION, 4, last, to=CATEGORY_KEYS[-1])
    sheet.formats = [
        Format("A1", style="title"),
        Format("A2", style="subtitle"),
        Format(columns.range(CHART_REGION, 4, to=COVERAGE), style="header"),
        Format(columns.range(COMPOSITION_REGION, 4, to=CATEGORY_KEYS[-1]), style="header"),
        *_formats(columns, first, last),
    ]
    sheet.column_widths = columns.widths([[name, None, None, name] for name, in names])
    height = min(16.0, max(9.0, 0.55 * len(names) + 3))  # fits a landscape page
    # Below the data, each on a page of its own (printing.py puts a page break above each).
    below = last + 3
    rows_per_chart = math.ceil(height / ROW_CM) + 4  # room to spare where rows come out lower
    sheet.charts = [
        Chart("bar", "Bekend in Sonar (% van het doelgroepregister)", f"A{below}", coverage_source,
              width_cm=15, height_cm=height),
        Chart("bar_stacked_100", "Samenstelling per regio", f"A{below + rows_per_chart}", composition_source,
              width_cm=17, height_cm=height, number_format="0%"),
    ]
    return sheet


# Trend: per region, Totaal per period, then Bekend (%) per period; Nederland last.
def _trend_sheet(data: Data) -> SheetLayout:
    periods = data.periods
    p = len(periods)
    columns, lists = trend_columns(periods), LISTS_COLUMNS
    names, formulas = [], []
    rows = [*data.regions, NATIONAL_LABEL]

    def spans(k: int) -> tuple[Span, Span]:
        """Where period k lies in Gegevens and in Regiototalen: its row on the Lijsten sheet."""
        data_span, region_span = (
            Span(*(sheet_ref(LISTS, lists.ref(span_key(table_sheet, what), k + 2, absolute=True)) for what in GEGEVENS_SPAN))
            for table_sheet in (DATA, REGION_DATA)
        )
        return data_span, region_span

    for index, region in enumerate(rows):
        r = 5 + index
        line: dict[str, str | None] = {}
        match = [] if region == NATIONAL_LABEL else [(REGION, columns.ref(LOOKUP, r, fixed_column=True))]
        for k in range(p):
            head = f"{columns.letter(_trend_total(periods[k]))}$4"
            in_data, _ = spans(k)
            count = over_period("COUNTIFS", DATA_TABLE, None, head, in_data, match)
            total = over_period("SUMIFS", DATA_TABLE, TOTAL_LABEL, head, in_data, match)
            if region == NATIONAL_LABEL and data.national_name(periods[k]) != NATIONAL_LABEL:
                # a partial quarter is no figure for Nederland: say so in its place
                present = len({s.region for s in data.sections if s.period == periods[k] and s.region})
                line[_trend_total(periods[k])] = f'="{present}/{len(REGIONS)} regio" & "\'s"'
                continue
            if region == NATIONAL_LABEL and any(t.period == periods[k] and t.total for t in data.national):
                line[_trend_total(periods[k])] = f'=SUMIFS({_nt(TOTAL_LABEL)},{_nt(PERIOD)},{head},{_nt(REGION)},"{NATIONAL_LABEL}")'
                continue
            line[_trend_total(periods[k])] = f'=IF({count}=0,"",{total})'
        for k in range(p):
            head = f"{columns.letter(_trend_coverage(periods[k]))}$4"
            _, in_regions = spans(k)
            register = over_period("SUMIFS", REGION_TABLE, REGISTER, head, in_regions, match)
            if region == NATIONAL_LABEL and any(t.period == periods[k] and t.total for t in data.national):
                register = f'SUMIFS({_nt(REGISTER)},{_nt(PERIOD)},{head},{_nt(REGION)},"{NATIONAL_LABEL}")'
            total_cell = columns.ref(_trend_total(periods[k]), r)
            if region == NATIONAL_LABEL and data.national_name(periods[k]) != NATIONAL_LABEL:
                line[_trend_coverage(periods[k])] = '=""'
                continue
            line[_trend_coverage(periods[k])] = f'=IF(OR({total_cell}="",{register}=0),"",{total_cell}/{register})'
        if region != NATIONAL_LABEL:
            line[LOOKUP] = f"={equals(columns.ref(REGION, r, fixed_column=True))}"
        names.append(columns.line({REGION: region}, last=REGION))
        formulas.append(columns.line(line, first=columns.keys[1]))
    last = 4 + len(rows)
    # The quarters' totals, then their shares, then the hidden lookup column. With no quarter
    # both groups are empty: their ranges end before they start, as the empty workbook has them.
    region_index = columns.index(REGION)
    first_total, last_total = column_letter(region_index + 1), column_letter(region_index + p)
    first_share, last_share = column_letter(region_index + p + 1), column_letter(columns.index(LOOKUP) - 1)
    sheet = SheetLayout(TREND, freeze=f"{first_total}5", tab_color="548235", title_rows="3:4")
    sheet.blocks = [
        Block("A1", [["Trend per arbeidsmarktregio"]]),
        Block("A2", [["Totaal aantal personen met een klantprofiel en het deel van het doelgroepregister dat bekend is, per kwartaal."]]),
        Block(f"{first_total}3", [["Totaal"] + [None] * (p - 1) + ["Bekend (%)"] + [None] * (p - 1)]),
        Block(columns.start(4), [columns.headers[:-1]]),
        Block(columns.start(5), names),
        Block(f"{first_total}5", formulas, formulas=True),
    ]
    sheet.formats = [
        Format("A1", style="title"),
        Format("A2", style="subtitle"),
        Format(f"{first_total}3:{last_total}3", style="group_header"),
        Format(f"{first_share}3:{last_share}3", style="group_header"),
        Format(f"{columns.ref(REGION, 4)}:{last_share}4", style="header"),
        *(_formats(columns, 5, last) if p else [Format(f"{first_total}5:{last_total}{last}", number_format=COUNT_FORMAT),
                                               Format(f"{first_share}5:{last_share}{last}", number_format=PERCENT_FORMAT)]),
        Format(f"{columns.ref(REGION, last)}:{last_share}{last}", style="national"),
    ]
    sheet.column_widths = columns.widths(names)
    sheet.hidden_columns = columns.hidden_letters()
    return sheet


# Controles: every finding, with a link to the cell it concerns.
def _controls_sheet(data: Data, data_rows: dict, region_rows: dict) -> SheetLayout:
    columns = CONTROLS_COLUMNS
    links: list[list[str | None]]
    values, links, severities = [], [], []
    for finding in data.findings:
        target = _finding_target(finding, data, data_rows, region_rows)
        difference = (
            finding.printed - finding.computed
            if finding.printed is not None and finding.computed is not None
            else None
        )
        values.append(columns.line({
            FINDING_KIND: KIND_LABELS.get(finding.kind, finding.kind), PERIOD: finding.period, REGION: finding.region,
            MUNICIPALITY: finding.municipality, PRINTED: finding.printed, COMPUTED: finding.computed,
            DIFFERENCE: difference, MESSAGE: finding.message,
        }, last=MESSAGE))
        if target:
            address = sheet_ref(target[0], target[1])
            links.append([f'=HYPERLINK("#{address.replace(chr(34), chr(34) * 2)}","{address.replace(chr(34), chr(34) * 2)}")'])
        else:
            links.append([None])
        severities.append([SEVERITY_LABELS.get(finding.severity, finding.severity)])
    sheet = SheetLayout(CONTROLS, freeze="A4", tab_color="C00000" if values else "548235", title_rows="3:3")
    sheet.blocks = [
        Block("A1", [["Controles"]]),
        Block("A2", [[f"{counted(len(values), 'bevinding', 'bevindingen')} over "
                      f"{counted(len(data.periods), 'kwartaal', 'kwartalen')}: gedrukte totalen en "
                      "percentages vergeleken met wat de cijfers zelf opleveren."]]),
        Block(columns.start(3), [columns.headers]),
    ]
    sheet.formats = [Format("A1", style="title"), Format("A2", style="subtitle"), Format(columns.row(3), style="header")]
    if values:
        last = 3 + len(values)
        sheet.blocks += [Block(columns.start(4), values), Block(columns.ref(LINK, 4), links, formulas=True),
                         Block(columns.ref(SEVERITY, 4), severities)]
        sheet.tables = [Table(CONTROLS_TABLE, columns.area(3, last), style="TableStyleLight9")]
        sheet.conditional_formats = [
            ConditionalFormat(columns.range(SEVERITY, 4, last),
                              f'{columns.ref(SEVERITY, 4, fixed_column=True)}="{SEVERITY_LABELS["error"]}"',
                              where=[columns.ref(SEVERITY, r) for r, f in enumerate(data.findings, start=4)
                                     if f.severity == "error"])
        ]
        sheet.formats += _formats(columns, 4, last)
    else:
        sheet.blocks.append(Block("A4", [[NO_FINDINGS]]))
        sheet.formats.append(Format("A4", style="ok"))
    sheet.column_widths = columns.widths(values)
    return sheet


def _finding_target(finding: Finding, data: Data, data_rows: dict, region_rows: dict) -> tuple[str, str] | None:
    regions = REGION_COLUMNS
    if finding.kind.startswith("national_"):
        return NATIONAL_SHEET, "A1"
    if finding.region is None:  # about the whole quarter: its first region's row
        rows = [r for (period, _), r in region_rows.items() if period == finding.period]
        return (REGION_DATA, regions.ref(PERIOD, min(rows))) if rows else None
    region_row = region_rows.get((finding.period, finding.region))
    if finding.municipality is not None:
        row = data_rows.get((finding.period, finding.region, finding.municipality))
        if row:
            return DATA, DATA_COLUMNS.ref(TOTAL_LABEL if finding.kind == "row_total" else MUNICIPALITY, row)
    if region_row is None:
        return None
    count_keys = dict(zip((*data.labels, TOTAL_LABEL), COUNT_KEYS))
    if finding.kind == "column_total" and finding.column in count_keys:
        return REGION_DATA, regions.ref(count_keys[finding.column], region_row)
    if finding.kind == "coverage_percent":
        return REGION_DATA, regions.ref(PRINTED_PERCENT, region_row)
    if finding.kind == "missing_register":
        return REGION_DATA, regions.ref(REGISTER, region_row)
    return REGION_DATA, regions.ref(REGION, region_row)


# Lijsten: the quarters (the selector's choices), and where each lies in the two data tables.
LISTS_HEADERS = tuple(LISTS_COLUMNS.headers)


def _nt(column: str) -> str:
    return structured(NATIONAL_TABLE, column)


def _label_of(period: str, index: int, fallback: str) -> str:
    """The label of column `index` printed for the quarter in `period` (a cell)."""
    column = structured(LABELS_TABLE, LABEL_COLUMNS[index])
    return f'=IFERROR(INDEX({column},MATCH({period},{structured(LABELS_TABLE, PERIOD)},0)),"{fallback}")'


def _national_name_of(period: str) -> str:
    column = structured(LABELS_TABLE, NATIONAL_NAME)
    return f'=IFERROR(INDEX({column},MATCH({period},{structured(LABELS_TABLE, PERIOD)},0)),"{NATIONAL_LABEL}")'


# Landelijk: the national table of each quarter as printed (tblLandelijk) with its checks;
# beside it the column labels per quarter (tblKolomnamen), which the overview shows.
def _national_sheet(data: Data) -> SheetLayout:
    columns, label_columns = national_columns(data.labels), LABEL_TABLE_COLUMNS
    by_region: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for finding in data.findings:
        if finding.kind.startswith("national_"):
            key = (finding.period, finding.region if finding.kind == "national_region" else NATIONAL_LABEL)
            by_region[key].append(finding.message)
    values = []
    for table in sorted(data.national, key=lambda t: t.period):
        lines: list[NationalRow] = list(table.rows) + ([table.total] if table.total is not None else [])
        for line in lines:
            name = NATIONAL_LABEL if line is table.total else (line.region or line.region_as_printed)
            percent = None if line.percent is None else line.percent / 100
            register = line.register if line.register is not None or line is not table.total else table.register
            check = "; ".join(by_region.get((table.period, name), [])) or "OK"
            values.append(columns.line({PERIOD: table.period, REGION: name, **_counts(line.values, line.total),
                                        REGISTER: register, PRINTED_PERCENT: percent, CHECK: check}))
    if not values:
        values.append(columns.line({}))
    last = len(values) + 1
    label_rows = [
        label_columns.line({PERIOD: period, **dict(zip(LABEL_COLUMNS, data.period_labels(period))),
                            NATIONAL_NAME: data.national_name(period)})
        for period in data.periods
    ]
    if not label_rows:
        label_rows.append(label_columns.line({}))
    sheet = SheetLayout(NATIONAL_SHEET, freeze=columns.ref(CATEGORY_KEYS[0], 2), tab_color="7F7F7F", title_rows="1:1")
    sheet.blocks = [
        Block(columns.start(1), [columns.headers]),
        Block(columns.start(2), values),
        Block(label_columns.start(1), [label_columns.headers]),
        Block(label_columns.start(2), label_rows),
    ]
    sheet.tables = [
        Table(NATIONAL_TABLE, columns.area(1, last)),
        Table(LABELS_TABLE, label_columns.area(1, len(label_rows) + 1), style="TableStyleLight9"),
    ]
    sheet.formats = [Format(columns.row(1), style="header"), *_formats(columns, 2, last)]
    region, check = columns.ref(REGION, 2, fixed_column=True), columns.ref(CHECK, 2, fixed_column=True)
    name_rows = [r for r, v in enumerate(values, start=2) if columns.get(v, REGION) == NATIONAL_LABEL]
    flagged = [r for r, v in enumerate(values, start=2) if columns.get(v, CHECK) not in (None, "OK")]
    sheet.conditional_formats = [
        ConditionalFormat(columns.area(2, last), f'{region}="{NATIONAL_LABEL}"', style="national",
                          where=[columns.row(r) for r in name_rows]),
        ConditionalFormat(columns.range(PRINTED_PERCENT, 2, last, to=CHECK), f'AND({check}<>"",{check}<>"OK")',
                          where=[columns.range(PRINTED_PERCENT, r, to=CHECK) for r in flagged]),
    ]
    sheet.column_widths = columns.widths(values) | label_columns.widths(label_rows)
    return sheet


def national_from_table(rows: list[list[Any]]) -> list[NationalTable]:
    """The national tables held by tblLandelijk (header row first); the inverse of the above."""
    if len(rows) < 1:
        return []
    columns = NATIONAL_COLUMNS
    labels = tuple(str(v) for v in columns.take(rows[0], CATEGORY_KEYS))
    tables: dict[str, NationalTable] = {}
    for values in rows[1:]:
        period, region = columns.get(values, PERIOD), columns.get(values, REGION)
        if period in (None, "") or region in (None, ""):
            continue
        counts = [_int(v) or 0 for v in columns.take(values, COUNT_KEYS)]
        percent = columns.get(values, PRINTED_PERCENT)
        line = NationalRow(
            None if str(region) == NATIONAL_LABEL else canonical_region(str(region)),
            str(region),
            tuple(counts[:CATEGORY_COUNT]),
            counts[CATEGORY_COUNT],
            _int(columns.get(values, REGISTER)),
            None if percent in (None, "") else round(float(percent) * 100),
        )
        table = tables.setdefault(str(period), NationalTable(str(period), columns=labels))
        if str(region) == NATIONAL_LABEL:
            table.total = line
            table.register = line.register
            table.coverage_percent_printed = line.percent
        else:
            table.rows.append(line)
    return list(tables.values())


def labels_from_table(rows: list[list[Any]]) -> dict[str, tuple[str, ...]]:
    """Per quarter the column labels held by tblKolomnamen (header row first)."""
    found = {}
    columns = LABEL_TABLE_COLUMNS
    for values in rows[1:]:
        period = columns.get(values, PERIOD)
        if period not in (None, ""):
            labels = tuple("" if v is None else str(v) for v in columns.take(values, LABEL_COLUMNS))
            if all(labels) and labels != DEFAULT_COLUMNS:
                found[str(period)] = labels
    return found


def apply_period_labels(
    sections: list[Section], national: list[NationalTable], labels: dict[str, tuple[str, ...]]
) -> None:
    """Give each section and national table its own quarter's labels (None where none were printed)."""
    items: list[Section | NationalTable] = [*sections, *national]
    for item in items:
        item.columns = labels.get(item.period)


def _lists_sheet(data: Data) -> SheetLayout:
    columns = LISTS_COLUMNS
    sheet = SheetLayout(LISTS, hidden=True)
    spans = []
    for r in range(2, len(data.periods) + 2):
        line = {}
        period = columns.ref(PERIOD, r, fixed_column=True)
        for table_sheet, table in ((DATA, DATA_TABLE), (REGION_DATA, REGION_TABLE)):
            periods = structured(table, PERIOD)
            first_row, rows, contiguous = (span_key(table_sheet, what) for what in GEGEVENS_SPAN)
            first, count = columns.ref(first_row, r), columns.ref(rows, r)
            line[first_row] = f"=IFERROR(MATCH({period},{periods},0),0)"
            line[rows] = f"=COUNTIF({periods},{period})"
            # Contiguous when the `count` rows from the first one all hold the quarter.
            line[contiguous] = (f"=IF({count}>0,COUNTIF(INDEX({periods},{first}):INDEX({periods},{first}+{count}-1),"
                                f"{period})={count},FALSE)")
        spans.append(columns.line(line, first=columns.keys[1]))
    sheet.blocks = [Block(columns.start(1), [columns.headers]),
                    Block(columns.start(2), [[p] for p in data.periods])]
    if spans:
        sheet.blocks.append(Block(columns.ref(span_key(DATA, GEGEVENS_SPAN[0]), 2), spans, formulas=True))
    return sheet


# ---- reading the data tables back ---------------------------------------------------------------


def sections_from_tables(
    data: list[list[Any]], region_totals: list[list[Any]]
) -> tuple[list[Section], tuple[str, ...] | None]:
    """The sections held by the Gegevens and Regiototalen tables (header row first in each),
    as they stand after any edits, and the category labels; the inverse of the two sheets above.

    Both the file writer and the Excel writer read back through this one function.
    """
    if len(data) < 1 or len(region_totals) < 1:
        return [], None
    data_columns, region_columns = DATA_COLUMNS, REGION_COLUMNS
    labels = tuple(str(v) for v in data_columns.take(data[0], CATEGORY_KEYS))
    sections: dict[tuple[str, str], Section] = {}
    for values in region_totals[1:]:
        period, region, printed = (
            None if v in (None, "") else str(v) for v in region_columns.take(values, (PERIOD, REGION, REGION_AS_PRINTED))
        )
        if not period or not region:
            continue
        counts = [c for c in (_int(v) for v in region_columns.take(values, COUNT_KEYS)) if c is not None]
        total = None
        if len(counts) == len(COUNT_KEYS):  # every count filled in
            total = Row(REGION_TOTAL_LABEL, tuple(counts[:CATEGORY_COUNT]), counts[CATEGORY_COUNT])
        percent = region_columns.get(values, PRINTED_PERCENT)
        sections[(period, region)] = Section(
            period=period,
            region=region if canonical_region(region) == region else None,
            region_as_printed=printed or region,
            region_total=total,
            register=_int(region_columns.get(values, REGISTER)),
            coverage_percent_printed=None if percent in (None, "") else round(float(percent) * 100),
            columns=labels if labels != DEFAULT_COLUMNS else None,
        )
    for values in data[1:]:
        period, region, municipality = data_columns.take(values, (PERIOD, REGION, MUNICIPALITY))
        if period in (None, "") or region in (None, "") or municipality is None:
            continue
        key = (str(period), str(region))
        section = sections.get(key) or sections.setdefault(key, Section(key[0], None, key[1]))
        counts = [_int(v) or 0 for v in data_columns.take(values, COUNT_KEYS)]
        section.rows.append(Row(str(municipality), tuple(counts[:CATEGORY_COUNT]), counts[CATEGORY_COUNT]))
    return list(sections.values()), labels


def _int(value: Any) -> int | None:
    """A count as a sheet holds it (int, float or text); None when empty or not a number."""
    if value is None or value == "":
        return None
    try:
        return int(round(float(value)))
    except (TypeError, ValueError):
        return None
