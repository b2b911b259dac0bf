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

import bisect
import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property, lru_cache
from itertools import chain, groupby, repeat
from operator import attrgetter, is_
from typing import Any, NamedTuple, TypeVar, overload

# A1 notation only: openpyxl.utils is plain string arithmetic, no workbook.
from openpyxl.utils.cell import absolute_coordinate, coordinate_to_tuple
from openpyxl.utils.cell import get_column_letter as column_letter

from ..checks import column_sums, misadded
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
from ..periods import parse_period, period_key
from ..regions import REGIONS, canonical_region
from ..reorganisations import SplitError, indeling_label, quarter_bounds
from ..reorganisations import table as reorganisation_table
from .columns import Column, Columns
from .provenance import PUBLICATION, file_name, quarter_name, section_pages, source_lines

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
QUARTERS_TABLE = "tblKwartalen"  # Lijsten: the quarters, and where each lies in the two data tables

PERIOD, REGION, MUNICIPALITY = "Periode", "Regio", "Gemeente"
REGION_AS_PRINTED = "Regio (zoals gedrukt)"
REGISTER = "Doelgroepregister"
PRINTED_PERCENT = "Bekend (gedrukt)"
COMPUTED_PERCENT = "Bekend (berekend)"
CHECK = "Controle"
DIFFERENCE = "Verschil"  # gedrukt - berekend, a number
NATIONAL_LABEL = "Nederland"
NO_FINDINGS = "Geen bevindingen: alle totalen, kolomtotalen en percentages kloppen."

# Every font is named: a font record without a name falls back to a serif font in LibreOffice.
FONT = "Calibri"  # Excel's default font
FONT_SIZE = 11

ROW_CM = 2.54 * 15 / 72  # a row of Excel's default height (15 pt)

COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
PRINTED_PERCENT_FORMAT = "0%"
# A difference (gedrukt - berekend) shows its sign; between percentages it is in procentpunten.
SIGNED_FORMAT = "+#,##0;-#,##0;0"
POINTS_FORMAT = '+0" procentpunt";-0" procentpunt";0" procentpunt"'
CHANGE_PERCENT_FORMAT = "+0.0%;-0.0%;0.0%"

# What marks a figure with a doubt, what an absent region and a quarter never read say.
MARK = "\u26a0"  # warning sign
SEE_CONTROLS = f"{MARK} Controles"  # a link to the figure's findings
ABSENT_NOTE = "Ontbreekt"  # the region is not in the quarter
INCOMPLETE = "Onvolledig"  # Nederland, in a quarter with only some regions
NOT_IMPORTED = "Niet ingelezen"
DIFFERS = "Wijkt af"

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
    "control_characters": "Stuurtekens weggelaten",
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
    rows: Sequence[list[Any]]  # a list, or NumberedRows
    formulas: bool = False
    user: bool = False  # cells a user made, put back where they belong (kept.py)

    @cached_property  # asked for by printing and by each writer; a data table has thousands of rows
    def ref(self) -> str:
        return area(self.cell, len(self.rows), self.width or 1)

    @cached_property  # as ref: sheet_xml and data_copy ask for it of every block
    def width(self) -> int:
        """The number of cells in its longest row (0: none)."""
        return rows_width(self.rows)

    @property
    def placed(self) -> Placed:
        """Where it stands and what it holds, as the writers of rows (sheet_xml, data_copy) take it."""
        return Placed(*coordinate_to_tuple(self.cell), self.rows, self.formulas, self.width)


class Placed(NamedTuple):
    """A block as its rows are written: its top row and left column, rows, kind and width."""

    top: int
    left: int
    rows: Sequence[list[Any]]
    formulas: bool
    width: int


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

    kind: str  # "bar" (horizontal bars), "bar_stacked_100" or "line" (one line per series; empty cells are gaps)
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
    # The findings Controles lists, per quarter (every quarter laid out, [] for none): the data
    # copy keeps them, for the next import to take as they are where the quarter did not change.
    findings: dict[str, list[Finding]] = field(default_factory=dict)

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


def _quarter_span(table_sheet: str, period: str) -> list[str]:
    """Where the quarter in the cell `period` lies in the table on `table_sheet` (Gegevens or
    Regiototalen), as tblKwartalen on Lijsten says: the formulas of the hidden Span columns.
    The same text however many quarters the workbook holds; a quarter not listed has no rows."""
    where = f"MATCH({period},{structured(QUARTERS_TABLE, PERIOD)},0)"
    return [f"=IFERROR(INDEX({structured(QUARTERS_TABLE, span_key(table_sheet, what))},{where}),{none})"
            for what, none in zip(GEGEVENS_SPAN, (0, 0, "FALSE"))]


def over_period(function: str, table: str, target: str | None, period: str, span: Span,
                criteria: list[tuple[str, str]]) -> str:
    """SUMIFS/COUNTIFS over one quarter's rows of `table`: over that quarter's rows only when
    they are contiguous, else over the whole table. Either way the same figure, but the first
    costs the same however many quarters the table holds.

    `criteria` are (column, criterion) pairs besides the quarter; `target` the column summed.
    """
    first, last = span.first, f"{span.first}+{span.count}-1"

    def part(column: str) -> str:
        whole = structured(table, column)
        return f"INDEX({whole},{first}):INDEX({whole},{last})"

    fast = [part(target)] if target else []
    slow = [structured(table, target)] if target else []
    slow += (structured(table, PERIOD), period)
    for column, criterion in criteria:
        fast += (part(column), criterion)
        slow += (structured(table, column), criterion)
    if criteria:
        quick = f"{function}({','.join(fast)})"
    else:
        quick = f"SUM({fast[0]})" if target else span.count
    return f"IF({span.contiguous},{quick},{function}({','.join(slow)}))"


ROW_MARK = "\x00"  # stands for the row number in `numbered`: no cell can hold it


def numbered(make: Callable[[int | str], list[Any]], sample: int = 2) -> Callable[[int], list[Any]]:
    """`make(r)`, the formulas of row r of a table, for any row: made once with ROW_MARK for the
    row number, then numbered per row. For the thousands of rows whose formulas differ only in
    their row number (their text is the same work, done once).

    Checked against `make(sample)`: where a formula holds the mark otherwise (a label from a
    PDF, say), each row is made by `make` itself."""
    pieces = _numbered_pieces(make, sample)
    if pieces is None:
        return make
    texts = all(isinstance(cell, list) for cell in pieces)

    def numbered_row(r: int) -> list[Any]:
        number = str(r)
        if texts:  # formulas in every cell, as mostly
            return [number.join(cell) for cell in pieces]
        return [number.join(cell) if isinstance(cell, list) else cell for cell in pieces]

    return numbered_row


def numbered_rows(make: Callable[[int | str], list[Any]], first: int, last: int) -> Sequence[list[Any]]:
    """`make(r)` for the rows first through last, made as `numbered` makes them: for a table
    whose every row has these formulas, NumberedRows, each row made only when it is asked for."""
    pieces = _numbered_pieces(make, first)
    if pieces is None:
        return [make(r) for r in range(first, last + 1)]
    return NumberedRows(pieces, first, last)


class NumberedRows(Sequence[list[Any]]):
    """The rows `first` through `last` of formulas that differ only in their row number, as
    `pieces` (each cell split at the row number; a cell without one as it is). A row is made when
    it is asked for: an import into a long history copies most rows unchanged from the last one
    (sheet_xml tells them by their pieces and numbers), and never needs their text."""

    def __init__(self, pieces: list[Any], first: int, last: int) -> None:
        self.pieces, self.first, self.last = pieces, first, last
        self._texts = all(isinstance(cell, list) for cell in pieces)  # formulas in every cell, as mostly

    def __len__(self) -> int:
        return max(self.last - self.first + 1, 0)

    @overload
    def __getitem__(self, index: int) -> list[Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[list[Any]]: ...
    def __getitem__(self, index: int | slice) -> list[Any] | list[list[Any]]:
        numbers = range(self.first, self.last + 1)
        if isinstance(index, slice):
            return self._made(numbers[index])
        return self._row(str(numbers[index]))

    def __iter__(self) -> Iterator[list[Any]]:
        return iter(self._made(range(self.first, self.last + 1)))

    def _made(self, numbers: range) -> list[list[Any]]:
        texts = map(str, numbers)
        if self._texts and len(self.pieces) == 1:  # one formula a row, as Gegevens' Verschil
            (cell,) = self.pieces
            return [[number.join(cell)] for number in texts]
        return [self._row(number) for number in texts]

    def _row(self, number: str) -> list[Any]:
        if self._texts:
            return list(map(number.join, self.pieces))
        return [number.join(cell) if isinstance(cell, list) else cell for cell in self.pieces]

    @property
    def width(self) -> int:
        return len(self.pieces)

    def longest(self) -> list[Any]:
        """A row whose every cell is as long as that cell gets in any row: the last (a longer
        row number is the only difference)."""
        return self[-1] if len(self) else []

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NumberedRows):
            return (self.pieces, self.first, self.last) == (other.pieces, other.first, other.last) or list(self) == list(other)
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # equal to a list, which cannot be hashed either

    def __repr__(self) -> str:
        return repr(list(self))


def rows_width(rows: Sequence[Sequence[Any]]) -> int:
    """The number of cells in the longest of `rows` (0: none), without making NumberedRows."""
    return rows.width if isinstance(rows, NumberedRows) else max(map(len, rows), default=0)


def _numbered_pieces(make: Callable[[int | str], list[Any]], sample: int) -> list[Any] | None:
    """Each cell of `make(ROW_MARK)`, a formula split at the mark; None where that does not make
    `make(sample)` again."""
    pieces = [cell.split(ROW_MARK) if isinstance(cell, str) else cell for cell in make(ROW_MARK)]
    number = str(sample)
    made = [number.join(cell) if isinstance(cell, list) else cell for cell in pieces]
    return pieces if made == make(sample) else None


@lru_cache(maxsize=1024)  # a few tables and columns, asked for in formulas on every row
def structured(table: str, column: str) -> str:
    """tblGegevens[Totaal], escaping the characters Excel reserves in column specifiers."""
    escaped = "".join("'" + ch if ch in "[]#'" else ch for ch in column)
    return f"{table}[{escaped}]"


# ---- building the layout ----------------------------------------------------------------------


_Dated = TypeVar("_Dated", Section, NationalTable, Finding)


@dataclass
class Data:
    """What the layout is built from: all sections in the workbook, their labels and findings.

    Built once per layout and not changed after: what it says of each quarter is worked out in
    one pass over the sections and kept, so asking it per quarter costs no pass over them all.
    """

    sections: list[Section]
    findings: list[Finding]
    labels: tuple[str, ...]
    national: list[NationalTable] = field(default_factory=list)

    def in_period(self, period: str) -> list[Section]:
        """The sections of `period`, in their order."""
        return self._sections_by_period.get(period, [])

    def national_in_period(self, period: str) -> list[NationalTable]:
        return self._national_by_period.get(period, [])

    def period_labels(self, period: str) -> tuple[str, ...]:
        printed = {s.columns for s in self.in_period(period) if s.columns}
        printed |= {t.columns for t in self.national_in_period(period) if t.columns}
        return printed.pop() if len(printed) == 1 else DEFAULT_COLUMNS

    def has_national(self, period: str) -> bool:
        """Whether the publication printed a Nederland line for `period`."""
        return any(t.total is not None for t in self.national_in_period(period))

    def partial(self, period: str) -> str:
        """For a quarter with only some regions and no printed Nederland line, how many it
        holds ('6 van 35 regio\'s'): it has no national figure. Empty otherwise."""
        if self.has_national(period):
            return ""
        present = {s.region for s in self.in_period(period) if s.region}
        if len(present) >= len(REGIONS):
            return ""
        return f"{len(present)} van {len(REGIONS)} regio's"

    def national_name(self, period: str) -> str:
        """What the overview calls the Nederland row of `period`: never plainly 'Nederland'
        for a quarter with only some of the regions."""
        partial = self.partial(period)
        return f"{NATIONAL_LABEL} ({partial})" if partial else NATIONAL_LABEL

    def national_errors(self, period: str) -> int:
        """Error findings of `period` about the national table or the quarter as a whole."""
        return sum(1 for f in self._findings_by_period.get(period, []) if f.severity == "error"
                   and (f.region is None or f.kind.startswith("national_")))

    @property
    def quarters(self) -> list[str]:
        """Every quarter from the first to the last read, those never read included (a gap)."""
        return quarter_range(self.periods)

    @cached_property
    def periods(self) -> list[str]:
        return sorted(self._sections_by_period)

    @cached_property
    def regions(self) -> list[str]:
        """Regions present in any period: the official order, then any others by name."""
        present = {s.name for s in self.sections}
        known = [r for r in REGIONS if r in present]
        return known + sorted(present - set(known), key=str.casefold)

    @cached_property
    def latest_municipalities(self) -> list[str]:
        """The trend's choice of municipalities: those of the quarters read, on the latest indeling."""
        return sorted((n for n in set(self.latest_names.values()) if n), key=str.casefold)

    @cached_property
    def municipality_names(self) -> set[str]:
        """Every municipality name of every quarter, as printed: a few hundred names, though a
        long history has tens of thousands of rows."""
        return set().union(*self._names_by_region.values())

    @cached_property
    def latest_names(self) -> dict[str, str | None]:
        """`latest_municipality` of each of `municipality_names`, asked once per name."""
        return {name: latest_municipality(name) for name in self.municipality_names}

    @cached_property
    def split_names(self) -> frozenset[str]:
        """The names (as printed) of municipalities split over several on the latest indeling."""
        return frozenset(n for n, latest in self.latest_names.items() if latest is None)

    @cached_property
    def regions_with_split_names(self) -> frozenset[str]:
        """The regions that held a municipality of `split_names` in any quarter: a few at most."""
        return frozenset(region for region, names in self._names_by_region.items()
                         if not self.split_names.isdisjoint(names))

    @cached_property
    def _names_by_region(self) -> dict[str, set[str]]:
        names: dict[str, set[str]] = defaultdict(set)
        for s in self.sections:
            names[s.name].update(map(_municipality, s.rows))
        return names

    @cached_property
    def _sections_by_period(self) -> dict[str, list[Section]]:
        return _by_period(self.sections)

    @cached_property
    def _national_by_period(self) -> dict[str, list[NationalTable]]:
        return _by_period(self.national)

    @cached_property
    def _findings_by_period(self) -> dict[str, list[Finding]]:
        return _by_period(self.findings)


def _by_period(items: Iterable[_Dated]) -> dict[str, list[_Dated]]:
    """`items` grouped by quarter, each group in the order given."""
    found: dict[str, list[_Dated]] = defaultdict(list)
    for item in items:
        found[item.period].append(item)
    return dict(found)


def quarter_range(periods: Iterable[str]) -> list[str]:
    """The quarters from the first to the last of `periods`, those in between included; keys
    that are no quarter (a user's edit) follow as they are."""
    keys = sorted(set(periods))
    valid = [p for p in keys if parse_period(p) == p]
    if not valid:
        return keys
    first, last = (int(p[:4]) * 4 + int(p[-1]) - 1 for p in (valid[0], valid[-1]))
    if last - first > 4 * 40:  # a typing error in a year: no thousand empty rows
        return keys
    between = [period_key(n // 4, n % 4 + 1) for n in range(first, last + 1)]
    return between + [p for p in keys if p not in valid]


def table_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """Category headers usable as table column names: non-empty, unique, not a fixed name."""
    taken = {PERIOD, REGION, MUNICIPALITY, TOTAL_LABEL, CHECK, REGION_AS_PRINTED, REGISTER,
             PRINTED_PERCENT, COMPUTED_PERCENT, DIFFERENCE, POINTS_DIFFERENCE, SOURCE_FILE, PAGE,
             ROWS_DIFFERING, OTHER_ERRORS}
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
        ],
        findings=findings_by_quarter(data.findings, [*data.periods, *(t.period for t in data.national)]),
    )
    plan_printing(book, data.periods)
    return book


def findings_by_quarter(findings: Iterable[Finding], quarters: Iterable[str]) -> dict[str, list[Finding]]:
    """The findings of each of `quarters` (in order of quarter, [] for none), in the order given."""
    found: dict[str, list[Finding]] = {period: [] for period in sorted(set(quarters))}
    for finding in findings:
        found.setdefault(finding.period, []).append(finding)
    return found


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


SOURCE_FILE, PAGE = "Bestand", "Pagina"
# The municipalities on the latest indeling of the reorganisation table ('de indeling van 2023'):
# what the trend sums a municipality by over the years.
INDELING = indeling_label(reorganisation_table().latest)
LATEST_MUNICIPALITY = f"{MUNICIPALITY} ({INDELING.removeprefix('de ')})"


@lru_cache(maxsize=8192)  # asked for every row of Gegevens: names repeat quarter after quarter
def latest_municipality(printed: str) -> str | None:
    """The name `printed` has on the latest indeling; None for one split over several: its
    figures belong to none of them whole."""
    names = reorganisation_table().latest_names(printed)
    return names[0] if len(names) == 1 else None


@dataclass(frozen=True)
class ExpectedParts:
    """A municipality on the latest indeling that a quarter's figures make up from several of
    that quarter's municipalities: the trend's sum of it is whole with `parts` rows of Gegevens,
    or `otherwise` rows when a reorganisation within the quarter may or may not show in its
    figures (Weesp, 24 March 2022); `parts` is 0 when a split makes it never whole."""

    municipality: str
    parts: int
    otherwise: int | None
    names: str  # what it was made of ('Heerhugowaard + Langedijk'), or why it cannot be


@cache
def _reorganised_municipalities() -> tuple[str, ...]:
    """The municipalities on the latest indeling that some reorganisation in the table made."""
    table = reorganisation_table()
    names = {n for t in table.transfers for n in table.latest_names(t.successor)}
    return tuple(sorted(names, key=str.casefold))


@cache
def _indeling_days() -> tuple[date, ...]:
    """The days on which the reorganisation table changes the indeling, in order."""
    return tuple(sorted({t.effective for t in reorganisation_table().transfers}))


def _indeling_since(day: date) -> date:
    """The last day on or before `day` on which the indeling changed (date.min before the
    first): every day from it until the next change has the same indeling."""
    days = _indeling_days()
    at = bisect.bisect_right(days, day)
    return days[at - 1] if at else date.min


def expected_parts(period: str) -> tuple[ExpectedParts, ...]:
    """The municipalities (latest indeling) that were more than one municipality in `period`,
    or part of one split: as query.py adds them up (the indeling of the quarter's first day,
    else of its last). Nothing for a key that is no quarter."""
    if parse_period(period) != period:
        return ()
    # Worked out once per indeling, not per quarter: most quarters share theirs with others.
    return _expected_parts(*(_indeling_since(day) for day in quarter_bounds(period)))


@cache
def _expected_parts(first_day: date, last_day: date) -> tuple[ExpectedParts, ...]:
    """`expected_parts` of a quarter whose first day has the indeling of `first_day` and
    whose last day that of `last_day`."""
    table, found = reorganisation_table(), []
    for name in _reorganised_municipalities():
        counts: list[int] = []
        names, split = "", ""
        for day in (first_day, last_day):
            try:
                composition = table.composition(name, day)
            except SplitError as error:
                split = split or str(error)
                continue
            if len(composition.parts) not in counts:
                counts.append(len(composition.parts))
                names = names or " + ".join(composition.parts)
        if not counts:
            found.append(ExpectedParts(name, 0, None, split))
        elif max(counts) > 1:
            found.append(ExpectedParts(name, counts[0], counts[1] if len(counts) > 1 else None, names))
    return tuple(found)


def data_columns(labels: Iterable[str] = DEFAULT_COLUMNS) -> Columns:
    """Gegevens (tblGegevens): one row per municipality and quarter; Verschil is the printed
    total minus the sum of the four counts; the file and page each row was read from."""
    fit = (8, 40)
    return Columns(
        Column(PERIOD, fit=fit),
        Column(REGION, fit=fit),
        Column(MUNICIPALITY, fit=fit),
        *_categories(labels, number_format=COUNT_FORMAT, fit=fit),
        Column(TOTAL_LABEL, number_format=COUNT_FORMAT, fit=fit),
        Column(DIFFERENCE, number_format=SIGNED_FORMAT, fit=fit, widest="-1.000"),
        Column(SOURCE_FILE, fit=(10, 30)),
        Column(PAGE, width=8),
        Column(LATEST_MUNICIPALITY, fit=fit),
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
        Column(DIFFERENCE, number_format=SIGNED_FORMAT),
        Column(POINTS_DIFFERENCE, number_format=POINTS_FORMAT, widest="+10 procentpunt"),
        Column(ROWS_DIFFERING, width=10),
        *(Column(_sum_key(key), header=f"Som {label}", number_format=COUNT_FORMAT)
          for key, label in zip(COUNT_KEYS, (*labels, TOTAL_LABEL))),
        Column(OTHER_ERRORS, width=10),
        Column(SOURCE_FILE, fit=(10, 30)),
        Column(PAGE, width=8),
        *(Column(what, hidden=True) for what in GEGEVENS_SPAN),
    )


FINDING_KIND, PRINTED, COMPUTED, MESSAGE, LINK, SEVERITY = (
    "Soort", "Gedrukt", "Berekend", "Melding", "Ga naar", "Ernst")
FINDING_KEY = "Sleutel"  # hidden: 'period|region', what a mark elsewhere looks its findings up by
CONTROLS_COLUMNS = Columns(
    Column(FINDING_KIND),
    Column(PERIOD),
    Column(REGION),
    Column(MUNICIPALITY),
    Column(PRINTED, number_format=COUNT_FORMAT),
    Column(COMPUTED, number_format=COUNT_FORMAT),
    Column(DIFFERENCE, number_format=SIGNED_FORMAT),
    Column(MESSAGE, fit=(40, 110)),
    Column(LINK, width=22, style="link"),
    Column(SEVERITY, width=14),
    Column(SOURCE_FILE, fit=(10, 30)),
    Column(PAGE, width=8),
    Column(FINDING_KEY, hidden=True, fit=None),
)
CONTROLS_HEADER_ROW = 4
CONTROLS_FIRST_ROW = CONTROLS_HEADER_ROW + 1


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
        # Live: the region's own page (Regiototalen) against this line, gedrukt - berekend.
        Column(PAGE_TOTAL, number_format=COUNT_FORMAT, width=14),
        Column(DIFFERENCE, number_format=SIGNED_FORMAT, width=10),
        Column(PAGE_PERCENT, number_format=PRINTED_PERCENT_FORMAT, width=14),
        Column(POINTS_DIFFERENCE, number_format=POINTS_FORMAT, width=16),
        Column(PAGE, width=8),
        *(Column(f"{what} ({REGION_DATA})", hidden=True) for what in GEGEVENS_SPAN),
    )


PAGE_TOTAL, PAGE_PERCENT = "Totaal regiopagina", "Bekend regiopagina"
POINTS_DIFFERENCE = "Verschil (procentpunt)"
ROWS_DIFFERING, OTHER_ERRORS = "Rijen met verschil", "Overige fouten"

# Landelijk, tblKolomnamen (beside tblLandelijk): per quarter the labels as printed, the name of
# its Nederland row, the quarter in words, its source line, its coverage when only some regions
# were read, and its error findings about the national table or the quarter as a whole.
QUARTER_TEXT, SOURCE_LINE, PARTIAL, NATIONAL_ERRORS = "Kwartaal", "Bron", "Dekking", "Landelijke fouten"
LABEL_TABLE_COLUMNS = Columns(
    Column(PERIOD), *(Column(label) for label in LABEL_COLUMNS), Column(NATIONAL_NAME),
    Column(QUARTER_TEXT), Column(SOURCE_LINE, width=30), Column(PARTIAL), Column(NATIONAL_ERRORS),
    first="V",
)

# Lijsten: the quarters, and where each lies in the two data tables; beside them the choices
# of the trend's selectors.
LISTS_COLUMNS = Columns(
    Column(PERIOD),
    *(Column(span_key(sheet, what)) for sheet in (DATA, REGION_DATA) for what in GEGEVENS_SPAN),
)
REGION_CHOICES, MUNICIPALITY_CHOICES = "Regio's", "Gemeenten"
CHOICES_COLUMNS = Columns(Column(REGION_CHOICES), Column(MUNICIPALITY_CHOICES), first="J")
# Beside them, per quarter read, each municipality of the latest indeling that the quarter's
# figures make up from several (ExpectedParts): the trend blanks a sum with a part missing.
PARTS, PARTS_OTHERWISE, PART_NAMES = "Voorgangers", "Of voorgangers", "Bestaande uit"
PARTS_COLUMNS = Columns(Column(PERIOD), Column(LATEST_MUNICIPALITY), Column(PARTS), Column(PARTS_OTHERWISE),
                        Column(PART_NAMES), first="M")

COVERAGE, ROW_COUNT, LOOKUP = "Bekend (%)", "Rijen", "Zoekwaarde"
OVERVIEW_REGION_WIDTH = 7


def overview_columns(labels: Iterable[str] = DEFAULT_COLUMNS) -> Columns:
    """Regio-overzicht: a row per region and municipality; hidden, the number of matching rows
    and the row's name as a SUMIFS criterion (their rows 1-3: where the selected quarter lies)."""
    return Columns(
        # A region's name runs on over the (empty) Gemeente cell of its row, as in an outline:
        # narrow, so that the sheet prints one page wide (see _overview_sheet for Gemeente's width).
        Column(REGION, width=OVERVIEW_REGION_WIDTH),
        Column(MUNICIPALITY, fit=(22, 36)),
        *(Column(key, header=label, width=max(12, min(18, len(label) + 2)), number_format=COUNT_FORMAT)
          for key, label in zip(CATEGORY_KEYS, labels)),
        Column(TOTAL_LABEL, width=11, number_format=COUNT_FORMAT),
        Column(REGISTER, width=14, number_format=COUNT_FORMAT),
        Column(COVERAGE, width=11, number_format=PRINTED_PERCENT_FORMAT),
        Column(MUNICIPALITY_SUM, width=11, number_format=COUNT_FORMAT),
        Column(DIFFERENCE, width=8, number_format=SIGNED_FORMAT),
        Column(NOTE, width=12),  # a link or a word; not link-styled: the Nederland row is styled whole
        Column(ROW_COUNT, width=6, hidden=True),
        Column(LOOKUP, width=6, hidden=True),
        Column(REGION_ROWS, width=6, hidden=True),
        Column(PRINTED_ROWS, width=6, hidden=True),
        Column(COMPUTED_SUM, width=6, hidden=True),
        Column(DOUBTS, width=6, hidden=True),
        Column(TARGET, width=6, hidden=True),
    )


MUNICIPALITY_SUM, NOTE = "Som gemeenten", "Let op"
# Hidden on the overview: the quarter's Regiototalen rows of the region, those with a printed
# TOTAAL AMR, the municipalities' sum, the rows that disagree, and where its findings are.
REGION_ROWS, PRINTED_ROWS, COMPUTED_SUM, DOUBTS, TARGET = "Regiorijen", "Gedrukt", "Berekend", "Twijfel", "Doel"


CHART_REGION, CHART_GAP, COMPOSITION_REGION = "coverage: region", "gap", "composition: region"


def charts_columns(labels: Iterable[str] = DEFAULT_COLUMNS) -> Columns:
    """Grafieken: coverage per region (the first chart's source), a gap, the composition (the
    second's), and the link to a marked region's findings."""
    return Columns(
        Column(CHART_REGION, header=REGION, fit=(24, 38)),
        Column(COVERAGE, width=11, number_format=PRINTED_PERCENT_FORMAT),
        Column(CHART_GAP, header="", width=3),
        Column(COMPOSITION_REGION, header=REGION, fit=(24, 38)),
        *(Column(key, header=label, width=max(11, min(16, len(label) + 2)), number_format=COUNT_FORMAT)
          for key, label in zip(CATEGORY_KEYS, labels)),
        Column(NOTE, width=18, style="link"),
    )


QUARTER, CHANGE, CHANGE_PERCENT = "Kwartaal", "Mutatie", "Mutatie (%)"  # the change from the quarter before
TREND_GROUPS = {"national": NATIONAL_LABEL, "region": REGION, "municipality": MUNICIPALITY}


def trend_key(group: str, what: str) -> str:
    """The trend column of `what` (Totaal, Verandering, ...) for one of TREND_GROUPS."""
    return f"{group}: {what}"


def _trend_group(group: str, coverage: bool = True) -> list[Column]:
    return [
        Column(trend_key(group, TOTAL_LABEL), header=TOTAL_LABEL, width=11, number_format=COUNT_FORMAT),
        Column(trend_key(group, CHANGE), header=CHANGE, width=11, number_format=SIGNED_FORMAT),
        Column(trend_key(group, CHANGE_PERCENT), header=CHANGE_PERCENT, width=11, number_format=CHANGE_PERCENT_FORMAT),
        *([Column(trend_key(group, COVERAGE), header=COVERAGE, width=10, number_format=PRINTED_PERCENT_FORMAT)]
          if coverage else []),
        Column(trend_key(group, NOTE), header=NOTE, width=12, style="link"),
    ]


# Trend: a row per quarter from the first to the last read (one never read is a gap, said so in
# Nederland's Let op): the published Totaal and share known of Nederland, of the region chosen
# in TREND_REGION and of the municipality in TREND_MUNICIPALITY, each with its change from the
# quarter before. Below it the line charts' source, then the charts.
TREND_COLUMNS = Columns(
    Column(QUARTER, width=9),
    *_trend_group("national"),
    *_trend_group("region"),
    *_trend_group("municipality", coverage=False),
)
TREND_FIGURES = tuple(k for k in TREND_COLUMNS.keys if not k.endswith(NOTE) and k != QUARTER)
TREND_REGION, TREND_MUNICIPALITY = "B2", "B3"
TREND_HEADER_ROW = 6
# The line charts' source beside the table: per quarter the shares known, then the totals.
TREND_CHART_COLUMNS = Columns(
    Column("chart: quarter", header=QUARTER, width=9),
    Column("chart: national coverage", header=NATIONAL_LABEL, width=10, number_format=PRINTED_PERCENT_FORMAT),
    Column("chart: region coverage", header=REGION, width=10, number_format=PRINTED_PERCENT_FORMAT),
    Column("chart: gap", header="", width=3),
    Column("chart: quarter 2", header=QUARTER, width=9),
    Column("chart: region total", header=REGION, width=10, number_format=COUNT_FORMAT),
    Column("chart: municipality total", header=MUNICIPALITY, width=10, number_format=COUNT_FORMAT),
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


_municipality, _rows = attrgetter("municipality"), attrgetter("rows")


def _data_difference(columns: Columns, r: int | str) -> str:
    """Gegevens' Verschil cell of row r: the printed total minus the sum of the four counts."""
    counts = columns.range(CATEGORY_KEYS[0], r, to=CATEGORY_KEYS[-1])
    return f"=N({columns.ref(TOTAL_LABEL, r)})-SUM({counts})"


def _data_sheet(data: Data) -> tuple[SheetLayout, dict[tuple[str, str, str], int]]:
    """Gegevens, and the row of each (quarter, region, municipality) a finding is about."""
    columns = data_columns(data.labels)
    values: list[list[Any]] = []
    origins: list[list[Any]] = []
    where: dict[tuple[str, str, str], int] = {}
    flagged: list[str] = []

    def formula_cells(r: int | str) -> list[Any]:
        return columns.line({DIFFERENCE: _data_difference(columns, r)}, first=DIFFERENCE, last=DIFFERENCE)

    # A row per municipality and quarter, made a quarter's region at a time: tens of thousands
    # of rows in a long history. Their cells are in the spec's order, as checked here.
    if (columns.between(PERIOD, TOTAL_LABEL) != (PERIOD, REGION, MUNICIPALITY, *COUNT_KEYS)
            or columns.between(SOURCE_FILE, LATEST_MUNICIPALITY) != (SOURCE_FILE, PAGE, LATEST_MUNICIPALITY)):
        raise AssertionError("Gegevens' rows are not made in the order of its columns")
    about = {(f.period, f.region) for f in data.findings if f.municipality is not None}
    latest = data.latest_names
    # Whether any row does not add up, asked of all rows at once: mostly none.
    some_misadded = bool(misadded(list(chain.from_iterable(map(_rows, data.sections)))))
    shown: dict[tuple[Any, Any, Any], None] = {}  # each section's texts on its rows, once
    for section in data.sections:
        period, name, source = section.period, section.name, file_name(section.source) or None
        rows, first = section.rows, len(values) + 2
        if rows:
            shown[(period, name, source)] = None
        if (period, name) in about:
            for r, row in enumerate(rows, start=first):
                where.setdefault((period, name, row.municipality), r)
        if some_misadded:
            flagged += [columns.row(first + at) for at in misadded(rows)]
        values += [[period, name, row.municipality, *row.values, row.total] for row in rows]
        origins += [[source, row.page, latest[row.municipality]] for row in rows]
    formulas = numbered_rows(formula_cells, 2, max(len(values) + 1, 2))
    if not values:  # a table needs one data row
        values.append(columns.line({}, last=TOTAL_LABEL))
        origins.append(columns.line({}, first=SOURCE_FILE))
    last = len(values) + 1
    sheet = SheetLayout(DATA, freeze=columns.ref(CATEGORY_KEYS[0], 2), tab_color="7F7F7F", title_rows="1:1")
    sheet.blocks = [Block(columns.start(1), [columns.headers]), Block(columns.start(2), values),
                    Block(columns.ref(DIFFERENCE, 2), formulas, formulas=True),
                    Block(columns.ref(SOURCE_FILE, 2), origins)]
    sheet.tables = [Table(DATA_TABLE, columns.area(1, last))]
    sheet.formats = [Format(columns.row(1), style="header"), *_formats(columns, 2, last)]
    counts = columns.range(CATEGORY_KEYS[0], 2, to=CATEGORY_KEYS[-1], fixed_column=True)
    total = columns.ref(TOTAL_LABEL, 2, fixed_column=True)
    sheet.conditional_formats = [ConditionalFormat(columns.area(2, last), f"SUM({counts})<>{total}", where=flagged)]
    # Fitted to the counts of every row, but to each text once (names, quarters and files repeat
    # on every row of a long history) and to the longest formulas: the widths of every cell.
    periods, names, sources = zip(*shown) if shown else ((), (), ())
    count_columns = list(zip(*values))[3:3 + len(COUNT_KEYS)]  # after quarter, region and municipality
    longest = [formulas.longest()] if isinstance(formulas, NumberedRows) else formulas
    sheet.column_widths = columns.fitted([
        periods, names, list(data.municipality_names), *count_columns, *zip(*longest),
        sources, (), list(latest.values()),
    ])
    return sheet, where


# Findings the sheets check live (an edit re-checks them at once); any other error finding of a
# region counts in its 'Overige fouten' until the next check.
LIVE_KINDS = frozenset({"row_total", "column_total", "coverage_percent"})


# Regiototalen: see region_columns; hidden, where the row's quarter lies in Gegevens (copied
# from Lijsten).
def _region_sheet(data: Data) -> tuple[SheetLayout, dict[tuple[str, str], int]]:
    columns = region_columns(data.labels)
    values: list[list[Any]] = []
    formulas: Sequence[list[Any]] = []
    origins: list[list[Any]] = []
    spans: Sequence[list[Any]] = []
    where: dict[tuple[str, str], int] = {}
    column_flags, percent_flags, row_flags = [], [], []
    other_errors: dict[tuple[str, str | None], int] = defaultdict(int)
    for finding in data.findings:
        if finding.severity == "error" and finding.kind not in LIVE_KINDS and finding.region is not None:
            other_errors[(finding.period, finding.region)] += 1

    def at(key: str, r: int | str) -> str:
        return columns.ref(key, r)

    # The same for every row: the row makers and the sums' columns.
    value_row = columns.maker(PERIOD, REGION, REGION_AS_PRINTED, *COUNT_KEYS, REGISTER, PRINTED_PERCENT,
                              last=PRINTED_PERCENT)
    origin_row = columns.maker(OTHER_ERRORS, SOURCE_FILE, PAGE, first=OTHER_ERRORS, last=PAGE)
    spans_made = columns.maker(*GEGEVENS_SPAN, first=GEGEVENS_SPAN[0])
    summed = list(zip(COUNT_KEYS, (*data.labels, TOTAL_LABEL)))

    def formula_cells(r: int | str) -> list[Any]:
        # SUMIFS over the quarter's rows of Gegevens (the hidden span columns say where they
        # are): the cost of a sum does not grow with the number of quarters in the workbook.
        span = Span(*(columns.ref(what, r, fixed_column=True) for what in GEGEVENS_SPAN))
        period = columns.ref(PERIOD, r, fixed_column=True)
        region = [(REGION, equals(columns.ref(REGION, r, fixed_column=True)))]
        sum_cells = {
            _sum_key(key): "=" + over_period("SUMIFS", DATA_TABLE, label, period, span, region)
            for key, label in summed
        }
        same_totals = ",".join(f"{at(key, r)}={at(_sum_key(key), r)}" for key in COUNT_KEYS)
        tot, register, printed_percent = at(TOTAL_LABEL, r), at(REGISTER, r), at(PRINTED_PERCENT, r)
        # IF, not OR: OR evaluates every argument, and TOTAAL AMR / an empty register is #DIV/0!.
        percent_agrees = (f"IF(AND(ISNUMBER({printed_percent}),ISNUMBER({tot}),N({register})>0),"
                          f"ROUND({printed_percent}*100,0)=ROUND(100*{tot}/{register},0),TRUE)")
        cells = {
            COMPUTED_PERCENT: f'=IF(AND(ISNUMBER({tot}),N({register})>0),{tot}/{register},"")',
            CHECK: f'=IF(AND({same_totals},{percent_agrees},N({at(ROWS_DIFFERING, r)})=0,'
                   f'N({at(OTHER_ERRORS, r)})=0),"OK","{DIFFERS}")',
            DIFFERENCE: f'=IF(ISNUMBER({tot}),{tot}-{at(_sum_key(TOTAL_LABEL), r)},"")',
            POINTS_DIFFERENCE: f'=IF(AND(ISNUMBER({printed_percent}),ISNUMBER({tot}),N({register})>0),'
                               f'ROUND({printed_percent}*100,0)-ROUND(100*{tot}/{register},0),"")',
            ROWS_DIFFERING: "=" + over_period("COUNTIFS", DATA_TABLE, None, period, span,
                                              region + [(DIFFERENCE, '"<>0"')]),
            **sum_cells,
        }
        return columns.line(cells, first=COMPUTED_PERCENT, last=_sum_key(TOTAL_LABEL))

    def span_cells(r: int | str) -> list[Any]:
        return spans_made(*_quarter_span(DATA, columns.ref(PERIOD, r, fixed_column=True)))

    difference_flags, points_flags = [], []
    for section in data.sections:
        r = len(values) + 2
        where.setdefault((section.period, section.name), r)
        total = section.region_total
        sums = column_sums(section)
        differing_totals = _column_total_flags(section, sums, r)
        column_flags += differing_totals
        percent_differs = _printed_percent_differs(section)
        if percent_differs:
            percent_flags.append(at(PRINTED_PERCENT, r))
            points_flags.append(at(POINTS_DIFFERENCE, r))
        if total and total.total != sums[-1]:
            difference_flags.append(at(DIFFERENCE, r))
        others = other_errors.get((section.period, section.name), 0)
        if differing_totals or percent_differs or others:
            row_flags.append(at(CHECK, r))
        percent = None if section.coverage_percent_printed is None else section.coverage_percent_printed / 100
        counts = (*total.values, total.total) if total else (None,) * len(COUNT_KEYS)
        values.append(value_row(section.period, section.name, section.region_as_printed, *counts,
                                section.register, percent))
        pages = section_pages(section)
        origins.append(origin_row(others, file_name(section.source) or None, pages[0] if pages else None))
    if values:  # a row per section, each with the same formulas but for its row number
        formulas, spans = numbered_rows(formula_cells, 2, len(values) + 1), numbered_rows(span_cells, 2, len(values) + 1)
    else:
        values.append(columns.line({}, last=PRINTED_PERCENT))
        formulas = [columns.line({}, first=COMPUTED_PERCENT, last=_sum_key(TOTAL_LABEL))]
        origins.append(columns.line({}, first=OTHER_ERRORS, last=PAGE))
        spans = [columns.line({}, first=GEGEVENS_SPAN[0])]
    last = len(values) + 1
    sheet = SheetLayout(REGION_DATA, freeze=at(CATEGORY_KEYS[0], 2), tab_color="7F7F7F", title_rows="1:1")
    sheet.blocks = [Block(columns.start(1), [columns.headers]), Block(columns.start(2), values),
                    Block(at(COMPUTED_PERCENT, 2), formulas, formulas=True),
                    Block(at(OTHER_ERRORS, 2), origins),
                    Block(at(GEGEVENS_SPAN[0], 2), spans, formulas=True)]
    sheet.tables = [Table(REGION_TABLE, columns.area(1, last))]
    sheet.hidden_columns = columns.hidden_letters()
    sheet.formats = [Format(columns.row(1), style="header"), *_formats(columns, 2, last)]
    # Each printed TOTAAL AMR cell against the sum of its column over the municipalities.
    tot, register, printed_percent = at(TOTAL_LABEL, 2), at(REGISTER, 2), at(PRINTED_PERCENT, 2)
    difference = at(DIFFERENCE, 2)
    sheet.conditional_formats = [
        ConditionalFormat(
            columns.range(CATEGORY_KEYS[0], 2, last, to=TOTAL_LABEL),
            f"AND(COUNTA({columns.ref(PERIOD, 2, fixed_column=True)})>0,"
            f"N({at(CATEGORY_KEYS[0], 2)})<>N({at(_sum_key(CATEGORY_KEYS[0]), 2)}))",
            where=column_flags,
        ),
        ConditionalFormat(
            columns.range(PRINTED_PERCENT, 2, last),
            f"AND(ISNUMBER({printed_percent}),ISNUMBER({tot}),N({register})>0,"
            f"ROUND({printed_percent}*100,0)<>ROUND(100*N({tot})/N({register}),0))",
            where=percent_flags,
        ),
        ConditionalFormat(columns.range(CHECK, 2, last), f'{at(CHECK, 2)}="{DIFFERS}"', where=row_flags),
        ConditionalFormat(columns.range(DIFFERENCE, 2, last, to=POINTS_DIFFERENCE),
                          f"AND(ISNUMBER({difference}),N({difference})<>0)",
                          where=difference_flags + points_flags),
    ]
    formula_cells_shown = [None] * rows_width(formulas)  # formulas show no text of their own to fit
    sheet.column_widths = columns.widths([v + formula_cells_shown + o for v, o in zip(values, origins)])
    return sheet, where


def _column_total_flags(section: Section, sums: list[int], r: int) -> list[str]:
    """The printed TOTAAL AMR cells (of Regiototalen's row r) that differ from their column's
    sum (`column_sums`)."""
    total = section.region_total  # an empty cell counts as 0 in the rule, so here too
    printed = [*total.values, total.total] if total else [0] * (CATEGORY_COUNT + 1)
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


def _label_table(column: str, period: str, fallback: str = '""') -> str:
    """tblKolomnamen's `column` for the quarter in the cell `period` (no '=')."""
    found = f"INDEX({structured(LABELS_TABLE, column)},MATCH({period},{structured(LABELS_TABLE, PERIOD)},0))"
    return f"IFERROR({found},{fallback})"


def _wildcards_escaped(text: str) -> str:
    """A text expression with the characters MATCH reads as wildcards escaped."""
    for char in "~*?":
        text = f'SUBSTITUTE({text},"{char}","~{char}")'
    return text


def _findings_link(data: Data, key: str) -> str:
    """'#Controles!A<row>' of the first finding whose key (period|region; may end in '*')
    is the text expression `key`; the top of Controles when there is none."""
    if not data.findings:  # then Controles holds no table to look in
        return f'"#{CONTROLS}!A1"'
    keys = structured(CONTROLS_TABLE, FINDING_KEY)
    return f'"#{CONTROLS}!A"&IFERROR(MATCH({key},{keys},0)+{CONTROLS_HEADER_ROW},1)'


def _note(absent: str, doubts: str, target: str) -> str:
    """A region's 'Let op': absent in the quarter, or a link to its findings, or nothing."""
    return f'=IF({absent},"{ABSENT_NOTE}",IF({doubts}>0,HYPERLINK({target},"{SEE_CONTROLS}"),""))'


def _printed_or_blank(count: str, value: str) -> str:
    return f'=IF({count}=0,"",{value})'


# Regio-overzicht: the selector in B2; headers in row 4; from row 5 each region, its
# municipalities grouped beneath it; Nederland last. A region row shows what UWV printed
# (TOTAAL AMR, register, percentage; from Regiototalen), the municipalities' sum beside it
# where that differs, and a mark linking to its findings; hidden helper columns, see
# overview_columns.
OVERVIEW_FIRST_ROW = 5
SELECTOR = "B2"


def _overview_sheet(data: Data) -> tuple[SheetLayout, dict[str, int]]:
    columns = overview_columns(data.labels)
    period = absolute_coordinate(SELECTOR)
    municipalities = _municipalities_by_region(data)
    names, formulas, groups, region_rows = [], [], [], {}
    formula_keys = columns.between(CATEGORY_KEYS[0], columns.keys[-1])
    r = OVERVIEW_FIRST_ROW

    def c(key: str, row: int | str) -> str:
        return columns.ref(key, row)

    def lookup(row: int | str, absolute: bool = False) -> str:
        return columns.ref(LOOKUP, row, absolute=absolute, fixed_column=True)

    def not_empty(key: str) -> tuple[str, str]:
        return (key, '"<>"')

    def shown_sum(row: int | str, hidden: str) -> str:
        total, computed = c(TOTAL_LABEL, row), c(COMPUTED_SUM, row)
        return f'=IF({hidden},"",IF(AND(ISNUMBER({total}),{total}={computed}),"",{computed}))'

    def difference(row: int | str) -> str:
        total, summed = c(TOTAL_LABEL, row), c(MUNICIPALITY_SUM, row)
        return f'=IF(AND(ISNUMBER({total}),ISNUMBER({summed})),{total}-{summed},"")'

    # Rows 1-3 of the row-count and lookup columns say where the selected quarter lies in
    # Gegevens and in Regiototalen.
    in_data, in_regions = (Span(*(columns.ref(key, i, absolute=True) for i in (1, 2, 3))) for key in (ROW_COUNT, LOOKUP))
    flagged_latest = _regions_with_errors(data, data.periods[-1]) if data.periods else set()

    def region_cells(r: int | str) -> list[Any]:
        match = [(REGION, lookup(r))]

        def regional(key: str, count_of: str) -> str:
            count = over_period("COUNTIFS", REGION_TABLE, None, period, in_regions, [*match, not_empty(count_of)])
            return _printed_or_blank(count, over_period("SUMIFS", REGION_TABLE, key, period, in_regions, match))

        cells = {
            **{key: _printed_or_blank(c(PRINTED_ROWS, r), over_period("SUMIFS", REGION_TABLE, label, period, in_regions, match))
               for key, label in zip(COUNT_KEYS, (*data.labels, TOTAL_LABEL))},
            REGISTER: regional(REGISTER, REGISTER),
            COVERAGE: regional(PRINTED_PERCENT, PRINTED_PERCENT),
            MUNICIPALITY_SUM: shown_sum(r, f"{c(ROW_COUNT, r)}=0"),
            DIFFERENCE: difference(r),
            NOTE: _note(f"{c(REGION_ROWS, r)}=0", c(DOUBTS, r), c(TARGET, r)),
            ROW_COUNT: "=" + over_period("COUNTIFS", DATA_TABLE, None, period, in_data, match),
            LOOKUP: f"={equals(columns.ref(REGION, r, fixed_column=True))}",
            REGION_ROWS: "=" + over_period("COUNTIFS", REGION_TABLE, None, period, in_regions, match),
            PRINTED_ROWS: "=" + over_period("COUNTIFS", REGION_TABLE, None, period, in_regions,
                                            [*match, not_empty(TOTAL_LABEL)]),
            COMPUTED_SUM: "=" + over_period("SUMIFS", DATA_TABLE, TOTAL_LABEL, period, in_data, match),
            DOUBTS: "=" + over_period("COUNTIFS", REGION_TABLE, None, period, in_regions,
                                      [*match, (CHECK, f'"{DIFFERS}"')]),
            # The lookup column holds '=' and the escaped name: the key is period|name.
            TARGET: "=" + _findings_link(data, f'{period}&"|"&MID({lookup(r)},2,1000)'),
        }
        return columns.line(cells, first=formula_keys[0])

    def municipality_cells(r: int | str, region_row: int) -> list[Any]:
        match = [(REGION, lookup(region_row, absolute=True)), (MUNICIPALITY, lookup(r))]
        count = columns.ref(ROW_COUNT, r, fixed_column=True)
        counts = columns.range(CATEGORY_KEYS[0], r, to=CATEGORY_KEYS[-1])
        own = f"{c(TOTAL_LABEL, r)}-SUM({counts})"
        cells = {
            **{key: f'=IF({count}=0,"",{over_period("SUMIFS", DATA_TABLE, label, period, in_data, match)})'
               for key, label in zip(COUNT_KEYS, (*data.labels, TOTAL_LABEL))},
            # its own row: the printed total minus the four counts, where they differ
            DIFFERENCE: f'=IF({count}=0,"",IF({own}=0,"",{own}))',
            ROW_COUNT: "=" + over_period("COUNTIFS", DATA_TABLE, None, period, in_data, match),
            LOOKUP: f"={equals(columns.ref(MUNICIPALITY, r, fixed_column=True))}",
        }
        return columns.line(cells, first=formula_keys[0])

    # Each row's formulas differ from the next only in its row number (and a municipality's
    # in its region's row): made once, numbered per row.
    region_row = numbered(region_cells, sample=r)
    for region in data.regions:
        region_rows[region] = r
        names.append(columns.line({REGION: region}, last=MUNICIPALITY))
        formulas.append(region_row(r))
        first = r + 1
        municipality_row = numbered(functools.partial(municipality_cells, region_row=r), sample=first)
        for municipality in municipalities[region]:
            r += 1
            names.append(columns.line({MUNICIPALITY: municipality}, last=MUNICIPALITY))
            formulas.append(municipality_row(r))
        if r >= first:
            groups.append(RowGroup(first, r, collapsed=True))
        r += 1
    national = r
    names.append(columns.line({REGION: NATIONAL_LABEL}, last=MUNICIPALITY))
    # Nederland: the national table's line when the quarter has one, else the sum of the
    # regions' printed TOTAAL AMR; nothing for a quarter with only some regions (its row is
    # named for how many it holds). Hidden: REGION_ROWS holds that coverage text, PRINTED_ROWS
    # whether the national line was printed.
    partial, printed = c(REGION_ROWS, national), c(PRINTED_ROWS, national)
    in_national = f'{_nt(PERIOD)},{period},{_nt(REGION)},"{NATIONAL_LABEL}"'

    def national_cell(column: str) -> str:
        summed = over_period("SUMIFS", REGION_TABLE, column, period, in_regions, [])
        return f'=IF({partial}<>"","",IF({printed}>0,SUMIFS({_nt(column)},{in_national}),{summed}))'

    total, register = c(TOTAL_LABEL, national), c(REGISTER, national)
    national_percent = (f'IF(COUNTIFS({in_national},{_nt(PRINTED_PERCENT)},"<>")=0,"",'
                        f"SUMIFS({_nt(PRINTED_PERCENT)},{in_national}))")
    cells = {
        **{key: national_cell(label) for key, label in zip(COUNT_KEYS, (*data.labels, TOTAL_LABEL))},
        REGISTER: national_cell(REGISTER),
        COVERAGE: f'=IF({partial}<>"","",IF({printed}>0,{national_percent},IF(N({register})>0,{total}/{register},"")))',
        MUNICIPALITY_SUM: shown_sum(national, f'OR({partial}<>"",{c(ROW_COUNT, national)}=0)'),
        DIFFERENCE: difference(national),
        NOTE: f'=IF({partial}<>"","{INCOMPLETE}",'
              f'IF({c(DOUBTS, national)}>0,HYPERLINK({c(TARGET, national)},"{SEE_CONTROLS}"),""))',
        ROW_COUNT: "=" + over_period("COUNTIFS", DATA_TABLE, None, period, in_data, []),
        REGION_ROWS: "=" + _label_table(PARTIAL, period),
        PRINTED_ROWS: f"=COUNTIFS({in_national})",
        COMPUTED_SUM: "=" + over_period("SUMIFS", DATA_TABLE, TOTAL_LABEL, period, in_data, []),
        DOUBTS: "=" + over_period("COUNTIFS", REGION_TABLE, None, period, in_regions, [(CHECK, f'"{DIFFERS}"')])
                + f"+N({_label_table(NATIONAL_ERRORS, period, '0')})",
        TARGET: "=" + _findings_link(data, f'{period}&"|*"'),
    }
    formulas.append(columns.line(cells, first=formula_keys[0]))
    lists, last_period = LISTS_COLUMNS, len(data.periods) + 1
    selected = f"MATCH({period},{sheet_ref(LISTS, lists.range(PERIOD, 2, last_period, absolute=True))},0)"
    spans = [
        [f"=IFERROR(INDEX({sheet_ref(LISTS, lists.range(span_key(table_sheet, what), 2, last_period, absolute=True))},"
         f"{selected}),{none})"
         for table_sheet in (DATA, REGION_DATA)]
        for what, none in zip(GEGEVENS_SPAN, (0, 0, "FALSE"))
    ]
    latest = data.periods[-1] if data.periods else None
    last_shown = NOTE  # the columns after it are hidden helpers
    sheet = SheetLayout(OVERVIEW, freeze=columns.ref(CATEGORY_KEYS[0], OVERVIEW_FIRST_ROW), tab_color="1F4E78",
                        title_rows="4:4")
    sheet.blocks = [
        Block("A1", [[f'="Klantprofielen per arbeidsmarktregio, "&{_label_table(QUARTER_TEXT, period, period)}']],
              formulas=True),
        Block("A2", [["Periode", latest, f"Kies een kwartaal in {SELECTOR}; klik op + links om de gemeenten te zien. "
                      f"{MARK}: de gedrukte cijfers spreken elkaar tegen (zie Controles)."]]),
        Block("A3", [[f"={_label_table(SOURCE_LINE, period)}"]], formulas=True),
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
        Format("A3", style="muted"),
        Format(columns.row(4), style="header"),
        *_formats(columns, OVERVIEW_FIRST_ROW, national),
        Format(columns.range(REGION, national, to=last_shown), style="national"),
    ]
    doubts = columns.ref(DOUBTS, OVERVIEW_FIRST_ROW, fixed_column=True)
    sheet.conditional_formats = [
        # A figure with a doubt: the region's (or Nederland's) figures in the flag colours.
        ConditionalFormat(columns.range(CATEGORY_KEYS[0], OVERVIEW_FIRST_ROW, national, to=COVERAGE),
                          f"N({doubts})>0",
                          where=[columns.range(CATEGORY_KEYS[0], row, to=COVERAGE)
                                 for name, row in region_rows.items() if name in flagged_latest]),
    ]
    # Region rows are the ones with a name in column A: one rule styles them all, however many.
    if national > OVERVIEW_FIRST_ROW:
        sheet.conditional_formats.append(
            ConditionalFormat(columns.range(REGION, OVERVIEW_FIRST_ROW, national - 1, to=last_shown),
                              f'{columns.ref(REGION, OVERVIEW_FIRST_ROW, fixed_column=True)}<>""', style="region",
                              where=[columns.range(REGION, r, to=last_shown) for r in region_rows.values()])
        )
    sheet.validations = [
        Validation(SELECTOR, sheet_ref(LISTS, lists.range(PERIOD, 2, last_period, absolute=True)),
                   "Kies het kwartaal dat het overzicht toont.")
    ]
    sheet.row_groups = groups
    sheet.hidden_columns = columns.hidden_letters()
    sheet.column_widths = columns.widths(names)
    # Gemeente holds what of the longest region's name does not fit in Regio.
    longest = max((len(name) for name in data.regions), default=0) + 2 - OVERVIEW_REGION_WIDTH
    municipality = columns.letter(MUNICIPALITY)
    sheet.column_widths[municipality] = max(sheet.column_widths.get(municipality, 0), min(36, longest))
    return sheet, region_rows | {NATIONAL_LABEL: national}


def _regions_with_errors(data: Data, period: str) -> set[str]:
    return {f.region for f in data.findings if f.period == period and f.severity == "error" and f.region}


def _municipalities_by_region(data: Data) -> dict[str, list[str]]:
    """Each region's municipalities over all periods: the latest period's order, then the rest."""
    by_region: dict[str, list[Section]] = defaultdict(list)
    for section in sorted(data.sections, key=lambda s: s.period, reverse=True):
        by_region[section.name].append(section)
    # Each name once, where it first comes (dict keys keep their order): no step per row in Python.
    return defaultdict(list, {
        region: list(dict.fromkeys(chain.from_iterable(map(_municipality, s.rows) for s in sections)))
        for region, sections in by_region.items()
    })


# Grafieken: two compact blocks per region for the selected period, a chart beside each:
# coverage, then composition (see charts_columns); each block is one contiguous chart source.
# A region with a doubt is named with the mark (so the charts show it) and linked to its findings.
def _charts_sheet(data: Data, overview_rows: dict[str, int]) -> SheetLayout:
    columns, overview = charts_columns(data.labels), overview_columns(data.labels)
    coverage, composition, names, notes = [], [], [], []
    for region in data.regions:
        r = overview_rows[region]

        def there(key: str, r: int = r) -> str:
            return sheet_ref(OVERVIEW, overview.ref(key, r))

        names.append([f'={there(REGION)}&IF(N({there(DOUBTS)})>0," {MARK}","")'])
        coverage.append([f"={there(COVERAGE)}"])
        composition.append([f"={there(key)}" for key in CATEGORY_KEYS])
        notes.append([f'=IF(N({there(DOUBTS)})>0,HYPERLINK({there(TARGET)},"{SEE_CONTROLS}"),'
                      f'IF(N({there(REGION_ROWS)})=0,"{ABSENT_NOTE}",""))'])
    first, last = 5, 4 + len(names)
    selected = sheet_ref(OVERVIEW, absolute_coordinate(SELECTOR))
    sheet = SheetLayout(CHARTS, tab_color="548235")
    sheet.blocks = [
        Block("A1", [[f'="Grafieken, "&{_label_table(QUARTER_TEXT, selected, selected)}']], formulas=True),
        Block("A2", [[f'="Periode: "&{selected}&" (kies het kwartaal op het blad {OVERVIEW}). '
                      f'{MARK}: de gedrukte cijfers van de regio spreken elkaar tegen."']], formulas=True),
        Block("A3", [[f"={_label_table(SOURCE_LINE, selected)}"]], formulas=True),
        Block(columns.ref(CHART_REGION, 4), [[REGION, COVERAGE]]),
        Block(columns.ref(COMPOSITION_REGION, 4), [[REGION]]),
        Block(columns.ref(CATEGORY_KEYS[0], 4), [[f"={sheet_ref(OVERVIEW, overview.ref(key, 4))}" for key in CATEGORY_KEYS]],
              formulas=True),
        Block(columns.ref(NOTE, 4), [[NOTE]]),
        Block(columns.ref(CHART_REGION, first), names, formulas=True),
        Block(columns.ref(COMPOSITION_REGION, first), names, formulas=True),
        Block(columns.ref(COVERAGE, first), coverage, formulas=True),
        Block(columns.ref(CATEGORY_KEYS[0], first), composition, formulas=True),
        Block(columns.ref(NOTE, first), notes, formulas=True),
    ]
    coverage_source = columns.range(CHART_REGION, 4, last, to=COVERAGE)
    composition_source = columns.range(COMPOSITION_REGION, 4, last, to=CATEGORY_KEYS[-1])
    sheet.formats = [
        Format("A1", style="title"),
        Format("A2", style="subtitle"),
        Format("A3", style="muted"),
        Format(columns.range(CHART_REGION, 4, to=COVERAGE), style="header"),
        Format(columns.range(COMPOSITION_REGION, 4, to=NOTE), style="header"),
        *_formats(columns, first, last),
    ]
    sheet.column_widths = columns.widths([[name + " " + MARK, None, None, name + " " + MARK] for name in data.regions])
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


def _quoted(text: str) -> str:
    """Text xlkp wrote itself (never text from a PDF) as a formula string literal."""
    return '"' + text.replace('"', '""') + '"'


def _trend_sheet(data: Data) -> SheetLayout:
    columns, chart = TREND_COLUMNS, TREND_CHART_COLUMNS
    quarters, lists = data.quarters, LISTS_COLUMNS
    index = {period: k for k, period in enumerate(data.periods)}
    header, first = TREND_HEADER_ROW, TREND_HEADER_ROW + 1
    last = header + max(len(quarters), 1)
    region, municipality = absolute_coordinate(TREND_REGION), absolute_coordinate(TREND_MUNICIPALITY)
    formula_keys = columns.keys[1:]
    rows, chart_rows = [], []
    parts_rows = _parts_rows(data)

    def spans(k: int) -> tuple[Span, Span]:
        """Where period k lies in Gegevens and in Regiototalen: its row on the Lijsten sheet."""
        data_span, region_span = (
            Span(*(sheet_ref(LISTS, lists.ref(span_key(table_sheet, what), k + 2, absolute=True)) for what in GEGEVENS_SPAN))
            for table_sheet in (DATA, REGION_DATA)
        )
        return data_span, region_span

    for i, quarter in enumerate(quarters):
        r = first + i
        cells: dict[str, str | None] = {}
        at = columns.ref(QUARTER, r, fixed_column=True)

        def key(group: str, what: str, row: int = r) -> str:
            return columns.ref(trend_key(group, what), row)

        if quarter not in index:
            cells[trend_key("national", NOTE)] = f"={_quoted(NOT_IMPORTED)}"
        else:
            in_data, in_regions = spans(index[quarter])
            match = [(REGION, equals(region))]

            def count(*criteria: tuple[str, str], at: str = at, span: Span = in_regions, match: list = match) -> str:
                return over_period("COUNTIFS", REGION_TABLE, None, at, span, [*match, *criteria])

            def summed(column: str, at: str = at, span: Span = in_regions, match: list = match) -> str:
                return over_period("SUMIFS", REGION_TABLE, column, at, span, match)

            cells[trend_key("region", TOTAL_LABEL)] = _printed_or_blank(count((TOTAL_LABEL, '"<>"')), summed(TOTAL_LABEL))
            cells[trend_key("region", COVERAGE)] = _printed_or_blank(count((PRINTED_PERCENT, '"<>"')), summed(PRINTED_PERCENT))
            link = _findings_link(data, f'{at}&"|"&{_wildcards_escaped(region)}')
            cells[trend_key("region", NOTE)] = _note(f"{count()}=0", count((CHECK, f'"{DIFFERS}"')), link)

            partial = data.partial(quarter)
            in_national = f'{_nt(PERIOD)},{at},{_nt(REGION)},"{NATIONAL_LABEL}"'
            if partial:  # a quarter with only some regions has no figure for Nederland
                cells[trend_key("national", NOTE)] = f"={_quoted(partial + ': geen landelijk cijfer')}"
            else:
                if data.has_national(quarter):
                    cells[trend_key("national", TOTAL_LABEL)] = f"=SUMIFS({_nt(TOTAL_LABEL)},{in_national})"
                    cells[trend_key("national", COVERAGE)] = (
                        f'=IF(COUNTIFS({in_national},{_nt(PRINTED_PERCENT)},"<>")=0,"",'
                        f"SUMIFS({_nt(PRINTED_PERCENT)},{in_national}))")
                else:  # the sum of the regions' printed TOTAAL AMR
                    total = over_period("SUMIFS", REGION_TABLE, TOTAL_LABEL, at, in_regions, [])
                    register = over_period("SUMIFS", REGION_TABLE, REGISTER, at, in_regions, [])
                    cells[trend_key("national", TOTAL_LABEL)] = f"={total}"
                    cells[trend_key("national", COVERAGE)] = (
                        f'=IF(N({register})>0,{key("national", TOTAL_LABEL)}/{register},"")')
                doubts = (over_period("COUNTIFS", REGION_TABLE, None, at, in_regions, [(CHECK, f'"{DIFFERS}"')])
                          + f"+{data.national_errors(quarter)}")
                link = _findings_link(data, f'{at}&"|*"')
                cells[trend_key("national", NOTE)] = f'=IF({doubts}>0,HYPERLINK({link},"{SEE_CONTROLS}"),"")'

            own = [(LATEST_MUNICIPALITY, equals(municipality))]
            rows_of = over_period("COUNTIFS", DATA_TABLE, None, at, in_data, own)
            differing = over_period("COUNTIFS", DATA_TABLE, None, at, in_data, [*own, (DIFFERENCE, '"<>0"')])
            total = _printed_or_blank(rows_of, over_period("SUMIFS", DATA_TABLE, TOTAL_LABEL, at, in_data, own))
            note = f'IF({rows_of}=0,"{ABSENT_NOTE}",IF({differing}>0,"{MARK} Rijtotaal",""))'
            if quarter in parts_rows:  # a municipality made of several then: blank unless all are there
                total, note = _whole_or_blank(total, note, rows_of, municipality, key("municipality", TOTAL_LABEL),
                                              *parts_rows[quarter])
            split = _split_into(data, quarter)
            if split:  # part of a municipality split over several: no exact figure, said so
                chosen = ",".join(f"{municipality}={_quoted(name)}" for name in split)
                total = f'=IF(OR({chosen}),"",{total.removeprefix("=")})'
                note = f'IF(OR({chosen}),"{MARK} Deels uit gesplitste gemeente",{note})'
            cells[trend_key("municipality", TOTAL_LABEL)] = total
            cells[trend_key("municipality", NOTE)] = f"={note}"

            if i > 0:  # the change from the quarter before (none after a gap: its cells are empty)
                for group in TREND_GROUPS:
                    now, before = key(group, TOTAL_LABEL), key(group, TOTAL_LABEL, r - 1)
                    blank = f'OR({before}="",{now}="")'
                    cells[trend_key(group, CHANGE)] = f'=IF({blank},"",{now}-{before})'
                    cells[trend_key(group, CHANGE_PERCENT)] = f'=IF({blank},"",IF(N({before})=0,"",{now}/{before}-1))'
        rows.append(columns.line(cells, first=formula_keys[0]))
        # The charts' source: a quarter never read stays empty, a gap in the lines.
        imported = quarter in index

        def shown(group: str, what: str, show: bool = imported) -> str | None:
            return f'=IF({key(group, what)}="","",{key(group, what)})' if show else None

        chart_rows.append([
            quarter,
            shown("national", COVERAGE, imported and not data.partial(quarter)),
            shown("region", COVERAGE),
            None,
            quarter,
            shown("region", TOTAL_LABEL),
            shown("municipality", TOTAL_LABEL),
        ])
    if not rows:
        rows.append([None] * len(formula_keys))
        chart_rows.append([None] * len(chart))

    regions = data.regions
    in_region = [s for s in data.sections if s.name == (regions[0] if regions else None)]
    first_municipality = next((latest for s in sorted(in_region, key=lambda s: s.period, reverse=True)
                               for row in s.rows if (latest := latest_municipality(row.municipality))), None)
    span_text = (f"{quarter_name(quarters[0])} t/m {quarter_name(quarters[-1])}" if len(quarters) > 1
                 else quarter_name(quarters[0]) if quarters else "")
    files = sorted({file_name(s.source) for s in data.sections if s.source})
    source = f"Bron: {PUBLICATION}" + (f", {span_text}" if span_text else "") + (f"; {', '.join(files)}" if files else "")
    group_cells = {
        "national": f"={_quoted(NATIONAL_LABEL)}",
        "region": f'="{REGION}: "&{region}',
        "municipality": f'="{MUNICIPALITY}: "&{municipality}',
    }
    choices = CHOICES_COLUMNS
    chart_header = last + 2
    chart_last = chart_header + len(chart_rows)
    sheet = SheetLayout(TREND, freeze=columns.ref(trend_key("national", TOTAL_LABEL), first), tab_color="548235",
                        title_rows=f"{header - 1}:{header}")
    sheet.blocks = [
        Block("A1", [["Trend per kwartaal" + (f": {span_text}" if span_text else "")]]),
        Block("A2", [[REGION, regions[0] if regions else None]]),
        Block("C2", [[f"Kies een regio in B2 en een gemeente in B3 (gemeenten op {INDELING}). Een kwartaal dat niet is ingelezen blijft leeg."]]),
        Block("A3", [[MUNICIPALITY, first_municipality]]),
        Block("A4", [[source]]),
        Block(columns.start(header), [columns.headers]),
        Block(columns.start(first), [[q] for q in quarters] or [[None]]),
        Block(columns.ref(formula_keys[0], first), rows, formulas=True),
        Block(chart.start(chart_header), [chart.headers[:2]]),
        Block(chart.ref(chart.keys[2], chart_header), [[f"={region}"]], formulas=True),
        Block(chart.ref(chart.keys[4], chart_header), [[QUARTER]]),
        Block(chart.ref(chart.keys[5], chart_header), [[f"={region}", f"={municipality}"]], formulas=True),
        Block(chart.start(chart_header + 1), chart_rows, formulas=True),
    ]
    for group, text in group_cells.items():
        sheet.blocks.append(Block(columns.ref(trend_key(group, TOTAL_LABEL), header - 1), [[text]], formulas=True))
    sheet.formats = [
        Format("A1", style="title"),
        Format("A2:A3", style="label"),
        Format(f"{TREND_REGION}:{TREND_MUNICIPALITY}", style="selector"),
        Format("C2", style="muted"),
        Format("A4", style="muted"),
        *(Format(columns.range(trend_key(group, TOTAL_LABEL), header - 1,
                               to=trend_key(group, NOTE)), style="group_header") for group in TREND_GROUPS),
        Format(columns.row(header), style="header"),
        Format(chart.row(chart_header), style="header"),
        *_formats(columns, first, last),
        *_formats(chart, chart_header + 1, chart_last),
    ]
    if regions:
        sheet.validations = [
            Validation(TREND_REGION, sheet_ref(LISTS, choices.range(REGION_CHOICES, 2, len(regions) + 1, absolute=True)),
                       "Kies de regio die de trend toont."),
            Validation(TREND_MUNICIPALITY,
                       sheet_ref(LISTS, choices.range(MUNICIPALITY_CHOICES, 2, len(data.latest_municipalities) + 1,
                                                      absolute=True)),
                       "Kies de gemeente die de trend toont."),
        ]
    sheet.column_widths = columns.widths([[q] for q in quarters])
    # Below the charts' source, each on a page of its own (printing.py breaks the page above each).
    below, height = chart_last + 3, 9.0
    sheet.charts = [
        Chart("line", "Bekend in Sonar (% van het doelgroepregister)", f"A{below}",
              chart.range(chart.keys[0], chart_header, chart_last, to=chart.keys[2]), width_cm=15, height_cm=height),
        Chart("line", "Totaal met een klantprofiel", f"A{below + math.ceil(height / ROW_CM) + 4}",
              chart.range(chart.keys[4], chart_header, chart_last, to=chart.keys[6]), width_cm=15, height_cm=height,
              number_format=COUNT_FORMAT),
    ]
    return sheet




def _whole_or_blank(total: str, note: str, rows_of: str, municipality: str, total_cell: str,
                    first: int, last: int) -> tuple[str, str]:
    """The trend's municipality Totaal and Let op in a quarter whose ExpectedParts lie on Lijsten
    rows first..last: blank, and said so, when the chosen municipality is listed there and
    Gegevens holds some of its rows but not as many as make it whole (a predecessor missing, or
    a split); as they were otherwise. Nested IFs: Excel evaluates only the branch taken."""
    parts = PARTS_COLUMNS

    def listed(key: str) -> str:
        return sheet_ref(LISTS, parts.range(key, first, last, absolute=True))

    chosen, names = equals(municipality), listed(LATEST_MUNICIPALITY)
    expected = f"SUMIF({names},{chosen},{listed(PARTS)})"
    otherwise = f"SUMIF({names},{chosen},{listed(PARTS_OTHERWISE)})"
    # Whole, or not listed, or no rows at all (the usual Ontbreekt); a blank 'otherwise' is 0.
    usual = (f"IF(COUNTIF({names},{chosen})=0,TRUE,"
             f"IF({rows_of}={expected},TRUE,IF({rows_of}=0,TRUE,{rows_of}={otherwise})))")
    made_of = (f'IFERROR(" ("&INDEX({listed(PART_NAMES)},MATCH({_wildcards_escaped(municipality)},{names},0))&")","")')
    missing = (f'IF({expected}=0,"{MARK} Deels uit gesplitste gemeente",'
               f'IF({rows_of}<{expected},"{MARK} {INCOMPLETE}: "&{rows_of}&" van "&{expected}&" voorgangers",'
               f'"{MARK} "&{rows_of}&" rijen voor "&{expected}&" voorgangers"))&{made_of}')
    # The Totaal beside it is blank only when there are no rows, or they do not make it whole.
    note = f'IF({total_cell}<>"",{note},IF({rows_of}=0,"{ABSENT_NOTE}",{missing}))'
    return f'=IF({usual},{total.removeprefix("=")},"")', note


def _parts_rows(data: Data) -> dict[str, tuple[int, int]]:
    """Where each quarter's ExpectedParts lie on Lijsten (PARTS_COLUMNS): first and last row,
    for the quarters that have any."""
    rows, r = {}, 2
    for period in data.periods:
        count = len(expected_parts(period))
        if count:
            rows[period] = (r, r + count - 1)
            r += count
    return rows


def _split_into(data: Data, period: str) -> list[str]:
    """The latest-indeling municipalities that hold part of a municipality of `period` split
    over several: their sum for that quarter would miss that part."""
    names: list[str] = []
    for s in data.in_period(period):
        if s.name not in data.regions_with_split_names:
            continue  # as nearly every region
        for row in s.rows:
            if row.municipality in data.split_names:
                parts = reorganisation_table().latest_names(row.municipality)
                names.extend(n for n in parts if n not in names)
    return names


def is_percent_finding(finding: Finding) -> bool:
    """A finding about a printed percentage: its figures are whole percents."""
    return finding.kind == "coverage_percent" or finding.column == "% bekend"


def _finding_source(finding: Finding, data: Data) -> tuple[str | None, int | None]:
    """The file and page a finding is about, where known."""
    sections = data.in_period(finding.period)
    section = next((s for s in sections if s.name == finding.region), None)
    source = file_name(section.source if section else next((s.source for s in sections if s.source), None))
    page = None
    if finding.kind.startswith("national_"):
        table = next(iter(data.national_in_period(finding.period)), None)
        line = next((r for r in table.rows if r.region == finding.region), None) if table else None
        page = line.page if line and line.page else (table.pages[0] if table and table.pages else None)
    elif section is not None:
        row = next((r for r in section.rows if r.municipality == finding.municipality), None)
        pages = section_pages(section)
        page = row.page if row is not None and row.page else (pages[0] if pages else None)
    return source or None, page


# Controles: every finding, with a link to the cell it concerns and the file and page it is
# about. Verschil is gedrukt - berekend; a percentage shows as one, its Verschil in procentpunten.
def _controls_sheet(data: Data, data_rows: dict, region_rows: dict) -> SheetLayout:
    columns = CONTROLS_COLUMNS
    values: list[list[Any]] = []
    links: list[list[str | None]] = []
    rest: list[list[Any]] = []
    percent_rows: list[int] = []
    first = CONTROLS_FIRST_ROW
    for r, finding in enumerate(data.findings, start=first):
        target = _finding_target(finding, data, data_rows, region_rows)
        difference = (
            finding.printed - finding.computed
            if finding.printed is not None and finding.computed is not None
            else None
        )
        scale = 100 if is_percent_finding(finding) else 1
        if scale != 1:
            percent_rows.append(r)
        printed = None if finding.printed is None else finding.printed / scale
        computed = None if finding.computed is None else finding.computed / scale
        values.append(columns.line({
            FINDING_KIND: KIND_LABELS.get(finding.kind, finding.kind), PERIOD: finding.period, REGION: finding.region,
            MUNICIPALITY: finding.municipality, PRINTED: printed, COMPUTED: computed,
            DIFFERENCE: difference, MESSAGE: finding.message,
        }, last=MESSAGE))
        if target:
            address = sheet_ref(target[0], target[1])
            links.append([f'=HYPERLINK("#{address.replace(chr(34), chr(34) * 2)}","{address.replace(chr(34), chr(34) * 2)}")'])
        else:
            links.append([None])
        source, page = _finding_source(finding, data)
        rest.append(columns.line({SEVERITY: SEVERITY_LABELS.get(finding.severity, finding.severity),
                                  SOURCE_FILE: source, PAGE: page,
                                  FINDING_KEY: f"{finding.period}|{finding.region or ''}"}, first=SEVERITY))
    span_text = ""
    if data.periods:
        quarters = data.periods
        span_text = ", " + (quarter_name(quarters[0]) if len(quarters) == 1
                            else f"{quarter_name(quarters[0])} t/m {quarter_name(quarters[-1])}")
    header = CONTROLS_HEADER_ROW
    sheet = SheetLayout(CONTROLS, freeze=f"A{first}", tab_color="C00000" if values else "548235",
                        title_rows=f"{header}:{header}")
    sheet.blocks = [
        Block("A1", [["Controles"]]),
        Block("A2", [[f"{counted(len(values), 'bevinding', 'bevindingen')} over "
                      f"{counted(len(data.periods), 'kwartaal', 'kwartalen')}: gedrukte totalen en "
                      "percentages vergeleken met wat de cijfers zelf opleveren. Verschil = gedrukt − berekend."]]),
        Block("A3", [[f"Bron: {PUBLICATION}{span_text}; bestand en pagina per bevinding"]]),
        Block(columns.start(header), [columns.headers]),
    ]
    sheet.formats = [Format("A1", style="title"), Format("A2", style="subtitle"), Format("A3", style="muted"),
                     Format(columns.row(header), style="header")]
    if values:
        last = header + len(values)
        sheet.blocks += [Block(columns.start(first), values), Block(columns.ref(LINK, first), links, formulas=True),
                         Block(columns.ref(SEVERITY, first), rest)]
        sheet.tables = [Table(CONTROLS_TABLE, columns.area(header, last), style="TableStyleLight9")]
        sheet.hidden_columns = columns.hidden_letters()
        sheet.conditional_formats = [
            ConditionalFormat(columns.range(SEVERITY, first, last),
                              f'{columns.ref(SEVERITY, first, fixed_column=True)}="{SEVERITY_LABELS["error"]}"',
                              where=[columns.ref(SEVERITY, r) for r, f in enumerate(data.findings, start=first)
                                     if f.severity == "error"])
        ]
        sheet.formats += _formats(columns, first, last)
        for r in percent_rows:
            sheet.formats += [Format(columns.range(PRINTED, r, to=COMPUTED), number_format=PRINTED_PERCENT_FORMAT),
                              Format(columns.ref(DIFFERENCE, r), number_format=POINTS_FORMAT)]
    else:
        sheet.blocks.append(Block(f"A{first}", [[NO_FINDINGS]]))
        sheet.formats.append(Format(f"A{first}", style="ok"))
    # Widths as the cells show: a percentage's Verschil reads '+2 procentpunt' (POINTS_FORMAT).
    at, in_points = columns.keys.index(DIFFERENCE), set(percent_rows)
    shown = [v if r not in in_points or v[at] is None else [*v[:at], f"{v[at]:+} procentpunt", *v[at + 1:]]
             for r, v in enumerate(values, start=first)]
    sheet.column_widths = columns.widths([v + [None] + x for v, x in zip(shown, rest)])
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


# Landelijk: the national table of each quarter as printed (tblLandelijk) with its checks: as
# found at import, and live against each region's own page on Regiototalen (gedrukt here minus
# the page); beside it, per quarter, the labels and what the other sheets say of the quarter
# (tblKolomnamen).
def _national_sheet(data: Data) -> SheetLayout:
    columns, label_columns = national_columns(data.labels), LABEL_TABLE_COLUMNS
    by_region: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for finding in data.findings:
        if finding.kind.startswith("national_"):
            key = (finding.period, finding.region if finding.kind == "national_region" else NATIONAL_LABEL)
            by_region[key].append(finding.message)
    values: list[list[Any]] = []
    formulas: list[list[Any]] = []
    pages: list[list[Any]] = []
    spans: list[list[Any]] = []
    flagged: list[int] = []
    span_columns = columns.keys[-len(GEGEVENS_SPAN):]

    def formula_cells(r: int | str, nederland: bool) -> list[Any]:
        period = columns.ref(PERIOD, r, fixed_column=True)
        span = Span(*(columns.ref(key, r, fixed_column=True) for key in span_columns))
        at = {key: columns.ref(key, r) for key in (TOTAL_LABEL, PAGE_TOTAL, PRINTED_PERCENT, PAGE_PERCENT)}
        if nederland:  # Nederland against the sum of the regions' pages
            page_total = "=" + over_period("SUMIFS", REGION_TABLE, TOTAL_LABEL, period, span, [])
            page_percent = None
        else:
            match = [(REGION, equals(columns.ref(REGION, r, fixed_column=True)))]
            printed = over_period("COUNTIFS", REGION_TABLE, None, period, span, [*match, (TOTAL_LABEL, '"<>"')])
            page_total = _printed_or_blank(printed, over_period("SUMIFS", REGION_TABLE, TOTAL_LABEL, period, span, match))
            printed = over_period("COUNTIFS", REGION_TABLE, None, period, span, [*match, (PRINTED_PERCENT, '"<>"')])
            page_percent = _printed_or_blank(printed, over_period("SUMIFS", REGION_TABLE, PRINTED_PERCENT, period, span, match))
        return columns.line({
            PAGE_TOTAL: page_total,
            DIFFERENCE: f'=IF(AND(ISNUMBER({at[TOTAL_LABEL]}),ISNUMBER({at[PAGE_TOTAL]})),'
                        f'{at[TOTAL_LABEL]}-{at[PAGE_TOTAL]},"")',
            PAGE_PERCENT: page_percent,
            POINTS_DIFFERENCE: f'=IF(AND(ISNUMBER({at[PRINTED_PERCENT]}),ISNUMBER({at[PAGE_PERCENT]})),'
                               f'ROUND({at[PRINTED_PERCENT]}*100,0)-ROUND({at[PAGE_PERCENT]}*100,0),"")',
        }, first=PAGE_TOTAL, last=POINTS_DIFFERENCE)

    def span_cells(r: int | str) -> list[Any]:
        spans = _quarter_span(REGION_DATA, columns.ref(PERIOD, r, fixed_column=True))
        return columns.line(dict(zip(span_columns, spans)), first=span_columns[0])

    # A line's formulas differ from the next line's only in the row number: made once per kind.
    region_row = numbered(functools.partial(formula_cells, nederland=False))
    total_row = numbered(functools.partial(formula_cells, nederland=True))
    span_row = numbered(span_cells)
    for table in sorted(data.national, key=lambda t: t.period):
        lines: list[NationalRow] = list(table.rows) + ([table.total] if table.total is not None else [])
        for line in lines:
            r = len(values) + 2
            name = NATIONAL_LABEL if line is table.total else (line.region or line.region_as_printed)
            percent = None if line.percent is None else line.percent / 100
            register = line.register if line.register is not None or line is not table.total else table.register
            check = "; ".join(by_region.get((table.period, name), [])) or "OK"
            if check != "OK":
                flagged.append(r)
            values.append(columns.line({PERIOD: table.period, REGION: name, **_counts(line.values, line.total),
                                        REGISTER: register, PRINTED_PERCENT: percent, CHECK: check}, last=CHECK))
            pages.append(columns.line({PAGE: line.page or (table.pages[0] if table.pages else None)},
                                      first=PAGE, last=PAGE))
            formulas.append((total_row if line is table.total else region_row)(r))
            spans.append(span_row(r))
    if not values:
        values.append(columns.line({}, last=CHECK))
        formulas.append(columns.line({}, first=PAGE_TOTAL, last=POINTS_DIFFERENCE))
        pages.append(columns.line({}, first=PAGE, last=PAGE))
        spans.append(columns.line({}, first=span_columns[0]))
    last = len(values) + 1
    sources = source_lines(data.sections, data.national)
    label_rows = [
        label_columns.line({PERIOD: period, **dict(zip(LABEL_COLUMNS, data.period_labels(period))),
                            NATIONAL_NAME: data.national_name(period), QUARTER_TEXT: quarter_name(period),
                            SOURCE_LINE: sources.get(period, f"Bron: {PUBLICATION}, {quarter_name(period)}"),
                            PARTIAL: data.partial(period), NATIONAL_ERRORS: data.national_errors(period)})
        for period in data.periods
    ]
    if not label_rows:
        label_rows.append(label_columns.line({}))
    sheet = SheetLayout(NATIONAL_SHEET, freeze=columns.ref(CATEGORY_KEYS[0], 2), tab_color="7F7F7F", title_rows="1:1")
    sheet.blocks = [
        Block(columns.start(1), [columns.headers]),
        Block(columns.start(2), values),
        Block(columns.ref(PAGE_TOTAL, 2), formulas, formulas=True),
        Block(columns.ref(PAGE, 2), pages),
        Block(columns.ref(span_columns[0], 2), spans, formulas=True),
        Block(label_columns.start(1), [label_columns.headers]),
        Block(label_columns.start(2), label_rows),
    ]
    sheet.tables = [
        Table(NATIONAL_TABLE, columns.area(1, last)),
        Table(LABELS_TABLE, label_columns.area(1, len(label_rows) + 1), style="TableStyleLight9"),
    ]
    sheet.hidden_columns = columns.hidden_letters()
    sheet.formats = [Format(columns.row(1), style="header"), *_formats(columns, 2, last)]
    region, check = columns.ref(REGION, 2, fixed_column=True), columns.ref(CHECK, 2, fixed_column=True)
    difference, points = columns.ref(DIFFERENCE, 2), columns.ref(POINTS_DIFFERENCE, 2)
    name_rows = [r for r, v in enumerate(values, start=2) if columns.get(v, REGION) == NATIONAL_LABEL]
    sheet.conditional_formats = [
        ConditionalFormat(columns.area(2, last), f'{region}="{NATIONAL_LABEL}"', style="national",
                          where=[columns.row(r) for r in name_rows]),
        ConditionalFormat(columns.range(PRINTED_PERCENT, 2, last, to=CHECK), f'AND({check}<>"",{check}<>"OK")',
                          where=[columns.range(PRINTED_PERCENT, r, to=CHECK) for r in flagged]),
        ConditionalFormat(columns.range(DIFFERENCE, 2, last), f"AND(ISNUMBER({difference}),N({difference})<>0)",
                          where=[columns.ref(DIFFERENCE, r) for r in flagged]),
        ConditionalFormat(columns.range(POINTS_DIFFERENCE, 2, last), f"AND(ISNUMBER({points}),N({points})<>0)",
                          where=[columns.ref(POINTS_DIFFERENCE, r) for r in flagged]),
    ]
    sheet.column_widths = columns.widths(values) | label_columns.widths(label_rows)
    return sheet


def national_from_table(rows: list[list[Any]]) -> list[NationalTable]:
    """The national tables held by tblLandelijk (header row first); the inverse of the above."""
    if len(rows) < 1:
        return []
    columns = NATIONAL_COLUMNS.located(rows[0], by_position=CATEGORY_KEYS)  # by header, as above
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
    if spans or data.national:  # a table: the formulas that look a quarter up in it name no last row
        sheet.tables = [Table(QUARTERS_TABLE, columns.area(1, max(len(spans), 1) + 1), style="TableStyleLight9")]
    choices = CHOICES_COLUMNS
    sheet.blocks += [
        Block(choices.ref(REGION_CHOICES, 1), [choices.headers]),
        Block(choices.ref(REGION_CHOICES, 2), [[r] for r in data.regions] or [[None]]),
        Block(choices.ref(MUNICIPALITY_CHOICES, 2), [[m] for m in data.latest_municipalities] or [[None]]),
    ]
    parts = PARTS_COLUMNS
    expected = [parts.line({PERIOD: period, LATEST_MUNICIPALITY: e.municipality, PARTS: e.parts,
                            PARTS_OTHERWISE: e.otherwise, PART_NAMES: e.names})
                for period in _parts_rows(data) for e in expected_parts(period)]
    if expected:  # none in a workbook without quarters: the empty workbook stays as it was
        sheet.blocks += [Block(parts.start(1), [parts.headers]), Block(parts.start(2), expected)]
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
    # By header: a workbook written by an older xlkp has fewer columns, or others in their place.
    data_columns = DATA_COLUMNS.located(data[0], by_position=CATEGORY_KEYS)
    region_columns = REGION_COLUMNS.located(region_totals[0], by_position=CATEGORY_KEYS)
    labels = tuple(str(v) for v in data_columns.take(data[0], CATEGORY_KEYS))
    sections: dict[tuple[str, str], Section] = {}
    # Read by position, worked out once: a long history has tens of thousands of rows.
    region_row = region_columns.reader(
        (PERIOD, REGION, REGION_AS_PRINTED, REGISTER, PRINTED_PERCENT, PAGE, SOURCE_FILE, *COUNT_KEYS)
    )
    official: dict[str, bool] = {}  # per region name, whether it is canonical: each recurs every quarter
    for values in region_totals[1:]:
        period, region, printed, register, percent, page, source, *counts = region_row(values)
        if period in (None, "") or region in (None, ""):
            continue
        period, region = str(period), str(region)
        printed = str(printed) if printed not in (None, "") else region
        if not _WHOLE.issuperset(map(type, counts)):  # as xlkp writes them, unless edited
            counts = [c for c in map(_int, counts) if c is not None]
        total = None
        if len(counts) == len(COUNT_KEYS):  # every count filled in
            total = Row(REGION_TOTAL_LABEL, tuple(counts[:CATEGORY_COUNT]), counts[CATEGORY_COUNT])
        if region not in official:
            official[region] = canonical_region(region) == region
        page = page if type(page) is int else _int(page)
        sections[(period, region)] = Section(
            period=period,
            region=region if official[region] else None,
            region_as_printed=printed,
            region_total=total,
            register=register if type(register) is int else _int(register),
            coverage_percent_printed=None if percent in (None, "") else round(float(percent) * 100),
            columns=labels if labels != DEFAULT_COLUMNS else None,
            pages=[page] if page is not None else [],
            source=None if source in (None, "") else str(source),
        )
    # Column by column, and a section's rows a run at a time (they follow each other): a long
    # history has tens of thousands of rows, and next to nothing is done per row in Python.
    body = data[1:]
    periods, regions, municipalities, pages, sources, *counts = data_columns.columns(
        body, (PERIOD, REGION, MUNICIPALITY, PAGE, SOURCE_FILE, *COUNT_KEYS)
    )
    counts = [_whole_numbers(column, 0) for column in counts]
    rows = list(map(Row, _texts(municipalities), zip(*counts[:CATEGORY_COUNT]), counts[CATEGORY_COUNT],
                    _whole_numbers(pages, None)))
    start = 0
    for (period, region, unnamed), run in groupby(zip(periods, regions, map(is_, municipalities, repeat(None)))):
        end = start + len(list(run))
        if not unnamed and period not in (None, "") and region not in (None, ""):
            key = (str(period), str(region))
            section = sections.get(key) or sections.setdefault(key, Section(key[0], None, key[1]))
            section.rows += rows[start:end]
            if section.source is None:
                section.source = next((str(s) for s in sources[start:end] if s not in (None, "")), None)
        start = end
    return list(sections.values()), labels


def _whole_numbers(column: list[Any], empty: int | None) -> list[Any]:
    """A column of counts (or page numbers) as whole numbers, `empty` where a cell holds none:
    the column as it is when it holds only what xlkp writes there."""
    if (_WHOLE if empty is not None else _WHOLE_OR_EMPTY).issuperset(map(type, column)):
        return column
    return [v if type(v) is int else _or(_int(v), empty) for v in column]


def _or(value: int | None, empty: int | None) -> int | None:
    return empty if value is None else value


def _texts(column: list[Any]) -> list[Any]:
    """A column of names as text (None stays None): as it is when it holds only text."""
    if _TEXT.issuperset(map(type, column)):
        return column
    return [v if v is None else str(v) for v in column]


# The types of the cells that xlkp writes (a count is never a bool, nor a float).
_WHOLE, _WHOLE_OR_EMPTY, _TEXT = frozenset({int}), frozenset({int, type(None)}), frozenset({str, type(None)})


def _int(value: Any) -> int | None:
    """A count as a sheet holds it (int, float or text); None when empty or not a number."""
    if value is None or value == "":
        return None
    try:
        return int(round(float(value)))
    except (TypeError, ValueError):
        return None
