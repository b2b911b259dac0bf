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
from openpyxl.utils.cell import coordinate_to_tuple
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
    # Printing: landscape, scaled to the page width, these rows repeated on every page.
    landscape: bool = True
    title_rows: str | None = None


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
    data_sheet, data_rows = _data_sheet(data)
    region_sheet, region_rows = _region_sheet(data)
    overview, overview_rows = _overview_sheet(data)
    return WorkbookLayout(
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


def _widths(headers: list[str], columns: list[list[Any]], minimum: float = 8, maximum: float = 45) -> list[float]:
    """A width per column from its longest text, as Excel counts characters."""
    widths = []
    for header, values in zip(headers, columns):
        longest = max([len(str(header)) * 0.9] + [len(_shown(v)) for v in values])
        widths.append(round(min(maximum, max(minimum, longest + 2)), 1))
    return widths


def _shown(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value if value is not None else "")


def _set_widths(sheet: SheetLayout, first_col: int, widths: list[float]) -> None:
    for offset, width in enumerate(widths):
        sheet.column_widths[column_letter(first_col + offset)] = width


# Gegevens: A Periode, B Regio, C Gemeente, D..G categories, H Totaal, I Controle.
def _data_sheet(data: Data) -> tuple[SheetLayout, dict[tuple[str, str, str], int]]:
    headers = [PERIOD, REGION, MUNICIPALITY, *data.labels, TOTAL_LABEL, CHECK]
    values, formulas, where, flagged = [], [], {}, []
    for section in data.sections:
        for row in section.rows:
            r = len(values) + 2
            where.setdefault((section.period, section.name, row.municipality), r)
            if sum(row.values) != row.total:
                flagged.append(f"A{r}:I{r}")
            values.append([section.period, section.name, row.municipality, *row.values, row.total])
            formulas.append([f'=IF(SUM(D{r}:G{r})=H{r},"OK","Verschil "&(SUM(D{r}:G{r})-H{r}))'])
    if not values:  # a table needs one data row
        values.append([None] * 8)
        formulas.append(['=IF(SUM(D2:G2)=H2,"OK","Verschil "&(SUM(D2:G2)-H2))'])
    last = len(values) + 1
    sheet = SheetLayout(DATA, freeze="D2", tab_color="7F7F7F", landscape=False, title_rows="1:1")
    sheet.blocks = [Block("A1", [headers]), Block("A2", values), Block("I2", formulas, formulas=True)]
    sheet.tables = [Table(DATA_TABLE, f"A1:I{last}")]
    sheet.formats = [
        Format("A1:I1", style="header"),
        Format(f"D2:H{last}", number_format=COUNT_FORMAT),
        Format(f"I2:I{last}", style="center"),
    ]
    sheet.conditional_formats = [ConditionalFormat(f"A2:I{last}", "SUM($D2:$G2)<>$H2", where=flagged)]
    columns = [list(c) for c in zip(*values)] + [["Verschil -1.000"]]
    _set_widths(sheet, 1, _widths(headers, columns, maximum=40))
    return sheet, where


# Regiototalen: A Periode, B Regio, C Regio (zoals gedrukt), D..H TOTAAL AMR as printed,
# I Doelgroepregister, J Bekend (gedrukt), K Bekend (berekend), L Controle, M..Q column sums,
# hidden R..T: where the row's quarter lies in Gegevens (copied from Lijsten).
GEGEVENS_SPAN = ("Eerste rij", "Rijen", "Aaneengesloten")
def _region_sheet(data: Data) -> tuple[SheetLayout, dict[tuple[str, str], int]]:
    sums = [f"Som {label}" for label in (*data.labels, TOTAL_LABEL)]
    headers = [PERIOD, REGION, REGION_AS_PRINTED, *data.labels, TOTAL_LABEL, REGISTER,
               PRINTED_PERCENT, COMPUTED_PERCENT, CHECK, *sums, *GEGEVENS_SPAN]
    values, formulas, where = [], [], {}
    column_flags, percent_flags, row_flags = [], [], []
    for section in data.sections:
        r = len(values) + 2
        where.setdefault((section.period, section.name), r)
        total = section.region_total
        differing_totals = _column_total_flags(section, r)
        column_flags += differing_totals
        if _printed_percent_differs(section):
            percent_flags.append(f"J{r}")
        if differing_totals or percent_flags[-1:] == [f"J{r}"]:
            row_flags.append(f"L{r}")
        printed = list(total.values) + [total.total] if total else [None] * (CATEGORY_COUNT + 1)
        percent = None if section.coverage_percent_printed is None else section.coverage_percent_printed / 100
        values.append([section.period, section.name, section.region_as_printed, *printed,
                       section.register, percent])
        # SUMIFS over the quarter's rows of Gegevens (hidden R:T say where they are): the
        # cost of a sum does not grow with the number of quarters in the workbook.
        span = Span(f"$R{r}", f"$S{r}", f"$T{r}")
        region = [(REGION, equals(f"$B{r}"))]
        column_sums = [
            "=" + over_period("SUMIFS", DATA_TABLE, label, f"$A{r}", span, region)
            for label in (*data.labels, TOTAL_LABEL)
        ]
        periods = f"MATCH($A{r},{sheet_ref(LISTS, f'$A$2:$A${len(data.periods) + 1}')},0)"
        located = [f"=IFERROR(INDEX({sheet_ref(LISTS, f'${col}$2:${col}${len(data.periods) + 1}')},{periods}),{none})"
                   for col, none in (("B", 0), ("C", 0), ("D", "FALSE"))]
        formulas.append(
            [
                f'=IF(AND(ISNUMBER(H{r}),N(I{r})>0),H{r}/I{r},"")',
                f'=IF(AND(D{r}=M{r},E{r}=N{r},F{r}=O{r},G{r}=P{r},H{r}=Q{r},'
                f'OR(NOT(ISNUMBER(J{r})),N(I{r})=0,ROUND(J{r}*100,0)=ROUND(100*H{r}/I{r},0))),"OK","Wijkt af")',
                *column_sums,
                *located,
            ]
        )
    if not values:
        values.append([None] * 10)
        formulas.append([None] * 10)
    last = len(values) + 1
    sheet = SheetLayout(REGION_DATA, freeze="D2", tab_color="7F7F7F", title_rows="1:1")
    sheet.blocks = [Block("A1", [headers]), Block("A2", values), Block("K2", formulas, formulas=True)]
    sheet.tables = [Table(REGION_TABLE, f"A1:T{last}")]
    sheet.hidden_columns = ["R", "S", "T"]
    sheet.formats = [
        Format("A1:T1", style="header"),
        Format(f"D2:I{last}", number_format=COUNT_FORMAT),
        Format(f"J2:J{last}", number_format=PRINTED_PERCENT_FORMAT),
        Format(f"K2:K{last}", number_format=PERCENT_FORMAT),
        Format(f"M2:Q{last}", number_format=COUNT_FORMAT),
        Format(f"L2:L{last}", style="center"),
    ]
    # Each printed TOTAAL AMR cell against the sum of its column over the municipalities.
    sheet.conditional_formats = [
        ConditionalFormat(f"D2:H{last}", "AND(COUNTA($A2)>0,N(D2)<>N(M2))", where=column_flags),
        ConditionalFormat(
            f"J2:J{last}", "AND(ISNUMBER(J2),N(I2)>0,ROUND(J2*100,0)<>ROUND(100*H2/I2,0))", where=percent_flags
        ),
        ConditionalFormat(f"L2:L{last}", 'L2="Wijkt af"', where=row_flags),
    ]
    columns = [list(c) for c in zip(*values)] + [[""]] * 10
    widths = _widths(headers, columns)
    _set_widths(sheet, 1, widths)
    return sheet, where


def _column_total_flags(section: Section, r: int) -> list[str]:
    """The printed TOTAAL AMR cells (D..H of row r) that differ from their column's sum."""
    total = section.region_total  # an empty cell counts as 0 in the rule, so here too
    printed = [*total.values, total.total] if total else [0] * (CATEGORY_COUNT + 1)
    sums = [sum(row.values[i] for row in section.rows) for i in range(CATEGORY_COUNT)]
    sums.append(sum(row.total for row in section.rows))
    return [f"{column_letter(4 + i)}{r}" for i, (a, b) in enumerate(zip(printed, sums)) if a != b]


def _printed_percent_differs(section: Section) -> bool:
    """As the J rule: the printed percentage against TOTAAL AMR / register, both rounded as Excel does."""
    total, register, printed = section.region_total, section.register, section.coverage_percent_printed
    if printed is None or not register or register <= 0:
        return False
    return _excel_round(printed) != _excel_round(100 * (total.total if total else 0) / register)


def _excel_round(value: float) -> int:
    """ROUND(x, 0) for the non-negative numbers here: halves away from zero, unlike round()."""
    return int(math.floor(value + 0.5))


# Regio-overzicht: the selector in B2; headers in row 4; from row 5 each region, its
# municipalities grouped beneath it; Nederland last. Hidden column J counts matching rows,
# hidden column K holds the row's name as a SUMIFS criterion.
OVERVIEW_FIRST_ROW = 5
SELECTOR = "B2"


def _overview_sheet(data: Data) -> tuple[SheetLayout, dict[str, int]]:
    period = "$B$2"
    headers = [REGION, MUNICIPALITY, *data.labels, TOTAL_LABEL, REGISTER, "Bekend (%)", "Rijen", "Zoekwaarde"]
    municipalities = _municipalities_by_region(data)
    g = {name: structured(DATA_TABLE, name) for name in (PERIOD, REGION, MUNICIPALITY, TOTAL_LABEL, *data.labels)}
    rt = {name: structured(REGION_TABLE, name) for name in (PERIOD, REGION, REGISTER)}
    names, formulas, groups, region_rows = [], [], [], {}
    r = OVERVIEW_FIRST_ROW
    # Hidden column K holds each row's name as a SUMIFS criterion, made once per row; hidden
    # J1:K3 say where the selected quarter lies in Gegevens (J) and Regiototalen (K).
    in_data, in_regions = Span("$J$1", "$J$2", "$J$3"), Span("$K$1", "$K$2", "$K$3")
    for region in data.regions:
        region_rows[region] = r
        match = [(REGION, f"$K{r}")]
        names.append([region, None])
        formulas.append(
            ["=" + over_period("SUMIFS", DATA_TABLE, label, period, in_data, match)
             for label in (*data.labels, TOTAL_LABEL)]
            + [
                "=" + over_period("SUMIFS", REGION_TABLE, REGISTER, period, in_regions, match),
                f'=IF(H{r}>0,G{r}/H{r},"")',
                "=" + over_period("COUNTIFS", DATA_TABLE, None, period, in_data, match),
                f"={equals(f'$A{r}')}",
            ]
        )
        first = r + 1
        for municipality in municipalities[region]:
            r += 1
            match = [(REGION, f"$K${region_rows[region]}"), (MUNICIPALITY, f"$K{r}")]
            names.append([None, municipality])
            formulas.append(
                [f'=IF($J{r}=0,"",{over_period("SUMIFS", DATA_TABLE, label, period, in_data, match)})'
                 for label in (*data.labels, TOTAL_LABEL)]
                + [None, None, "=" + over_period("COUNTIFS", DATA_TABLE, None, period, in_data, match),
                   f"={equals(f'$B{r}')}"]
            )
        if r >= first:
            groups.append(RowGroup(first, r, collapsed=True))
        r += 1
    national = r
    names.append([NATIONAL_LABEL, None])
    # Nederland: the national table's line when the quarter has one, else the regions' sum
    # (then named for how many regions it holds).
    printed = f'COUNTIFS({_nt(PERIOD)},{period},{_nt(REGION)},"{NATIONAL_LABEL}")>0'

    def national_cell(column: str, summed: str) -> str:
        return f'=IF({printed},SUMIFS({_nt(column)},{_nt(PERIOD)},{period},{_nt(REGION)},"{NATIONAL_LABEL}"),{summed})'

    formulas.append(
        [national_cell(label, f"SUMIFS({g[label]},{g[PERIOD]},{period})") for label in (*data.labels, TOTAL_LABEL)]
        + [
            national_cell(REGISTER, f"SUMIFS({rt[REGISTER]},{rt[PERIOD]},{period})"),
            f'=IF(H{national}>0,G{national}/H{national},"")',
            f"=COUNTIFS({g[PERIOD]},{period})",
            None,
        ]
    )
    lists = len(data.periods) + 1
    selected = f"MATCH({period},{sheet_ref(LISTS, f'$A$2:$A${lists}')},0)"
    spans = [
        [f"=IFERROR(INDEX({sheet_ref(LISTS, f'${col}$2:${col}${lists}')},{selected}),{none})"
         for col, none in pair]
        for pair in ((("B", 0), ("E", 0)), (("C", 0), ("F", 0)), (("D", "FALSE"), ("G", "FALSE")))
    ]
    latest = data.periods[-1] if data.periods else None
    sheet = SheetLayout(OVERVIEW, freeze=f"C{OVERVIEW_FIRST_ROW}", tab_color="1F4E78", title_rows="4:4")
    sheet.blocks = [
        Block("A1", [["Klantprofielen per arbeidsmarktregio"]]),
        Block("A2", [["Periode", latest, "Kies een kwartaal in B2; klik op + links om de gemeenten te zien."]]),
        Block("A4", [headers]),
        Block(f"A{OVERVIEW_FIRST_ROW}", names),
        Block(f"C{OVERVIEW_FIRST_ROW}", formulas, formulas=True),
        Block("J1", spans, formulas=True),
        # Written over the above: the selected quarter's own labels over the four columns (they
        # may differ per quarter), and the Nederland row's name for that quarter.
        Block("C4", [[_label_of("$B$2", i, label) for i, label in enumerate(data.labels)]], formulas=True),
        Block(f"A{national}", [[_national_name_of("$B$2")]], formulas=True),
    ]
    sheet.formats = [
        Format("A1", style="title"),
        Format("A2", style="label"),
        Format(SELECTOR, style="selector"),
        Format("C2", style="muted"),
        Format("A4:K4", style="header"),
        Format(f"C{OVERVIEW_FIRST_ROW}:H{national}", number_format=COUNT_FORMAT),
        Format(f"I{OVERVIEW_FIRST_ROW}:I{national}", number_format=PERCENT_FORMAT),
        Format(f"A{national}:I{national}", style="national"),
    ]
    # Region rows are the ones with a name in column A: one rule styles them all, however many.
    if national > OVERVIEW_FIRST_ROW:
        sheet.conditional_formats = [
            ConditionalFormat(f"A{OVERVIEW_FIRST_ROW}:I{national - 1}", f'$A{OVERVIEW_FIRST_ROW}<>""', style="region",
                              where=[f"A{r}:I{r}" for r in region_rows.values()])
        ]
    sheet.validations = [
        Validation(SELECTOR, sheet_ref(LISTS, f"$A$2:$A${len(data.periods) + 1}"), "Kies het kwartaal dat het overzicht toont.")
    ]
    sheet.row_groups = groups
    sheet.hidden_columns = ["J", "K"]
    region_names = [[n[0] for n in names if n[0]]]
    muni_names = [[n[1] for n in names if n[1]]]
    _set_widths(sheet, 1, _widths([REGION], region_names, minimum=24, maximum=38))
    _set_widths(sheet, 2, _widths([MUNICIPALITY], muni_names, minimum=22, maximum=36))
    _set_widths(sheet, 3, [max(12, min(18, len(label) + 2)) for label in data.labels] + [11, 17, 11, 6, 6])
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


# Grafieken: two compact blocks per region for the selected period, a chart beside each.
# Coverage in A:B, composition in D:H: each block is one contiguous chart source.
def _charts_sheet(data: Data, overview_rows: dict[str, int]) -> SheetLayout:
    coverage, composition = [], []
    for region in data.regions:
        r = overview_rows[region]
        coverage.append([f"={sheet_ref(OVERVIEW, cell(r, 9))}"])
        composition.append([f"={sheet_ref(OVERVIEW, cell(r, col))}" for col in range(3, 3 + CATEGORY_COUNT)])
    names = [[region] for region in data.regions]
    first, last = 5, 4 + len(names)
    sheet = SheetLayout(CHARTS, tab_color="548235")
    sheet.blocks = [
        Block("A1", [["Grafieken"]]),
        Block("A2", [[f'="Periode: "&{sheet_ref(OVERVIEW, "$B$2")}&" (kies het kwartaal op het blad {OVERVIEW})"']], formulas=True),
        Block("A4", [[REGION, "Bekend (%)"]]),
        Block("D4", [[REGION]]),
        Block("E4", [[f"={sheet_ref(OVERVIEW, cell(4, 3 + i))}" for i in range(CATEGORY_COUNT)]], formulas=True),
        Block(f"A{first}", names),
        Block(f"D{first}", names),
        Block(f"B{first}", coverage, formulas=True),
        Block(f"E{first}", composition, formulas=True),
    ]
    sheet.formats = [
        Format("A1", style="title"),
        Format("A2", style="subtitle"),
        Format("A4:B4", style="header"),
        Format("D4:H4", style="header"),
        Format(f"B{first}:B{last}", number_format=PERCENT_FORMAT),
        Format(f"E{first}:H{last}", number_format=COUNT_FORMAT),
    ]
    region_width = _widths([REGION], [[n[0] for n in names]], minimum=24, maximum=38)
    _set_widths(sheet, 1, region_width + [11, 3] + region_width)
    _set_widths(sheet, 5, [max(11, min(16, len(label) + 2)) for label in data.labels])
    height = max(9.0, 0.55 * len(names) + 3)
    sheet.charts = [
        Chart("bar", "Bekend in Sonar (% van het doelgroepregister)", "J4", f"A4:B{last}",
              width_cm=15, height_cm=height),
        Chart("bar_stacked_100", "Samenstelling per regio", "S4", f"D4:H{last}",
              width_cm=17, height_cm=height, number_format="0%"),
    ]
    return sheet


# Trend: per region, Totaal per period, then Bekend (%) per period; Nederland last.
def _trend_sheet(data: Data) -> SheetLayout:
    periods = data.periods
    p = len(periods)
    names, formulas = [], []
    rows = [*data.regions, NATIONAL_LABEL]
    helper = column_letter(2 + 2 * p)  # hidden: the row's region as a SUMIFS criterion

    def spans(k: int) -> tuple[Span, Span]:
        """Where period k lies in Gegevens and in Regiototalen: its row on the Lijsten sheet."""
        at = [sheet_ref(LISTS, f"${col}${k + 2}") for col in "BCDEFG"]
        return Span(*at[:3]), Span(*at[3:])

    for index, region in enumerate(rows):
        r = 5 + index
        line = []
        match = [] if region == NATIONAL_LABEL else [(REGION, f"${helper}{r}")]
        for k in range(p):
            head = f"{column_letter(2 + k)}$4"
            in_data, _ = spans(k)
            count = over_period("COUNTIFS", DATA_TABLE, None, head, in_data, match)
            total = over_period("SUMIFS", DATA_TABLE, TOTAL_LABEL, head, in_data, match)
            if region == NATIONAL_LABEL and data.national_name(periods[k]) != NATIONAL_LABEL:
                # a partial quarter is no figure for Nederland: say so in its place
                present = len({s.region for s in data.sections if s.period == periods[k] and s.region})
                line.append(f'="{present}/{len(REGIONS)} regio" & "\'s"')
                continue
            if region == NATIONAL_LABEL and any(t.period == periods[k] and t.total for t in data.national):
                line.append(f'=SUMIFS({_nt(TOTAL_LABEL)},{_nt(PERIOD)},{head},{_nt(REGION)},"{NATIONAL_LABEL}")')
                continue
            line.append(f'=IF({count}=0,"",{total})')
        for k in range(p):
            head = f"{column_letter(2 + p + k)}$4"
            _, in_regions = spans(k)
            register = over_period("SUMIFS", REGION_TABLE, REGISTER, head, in_regions, match)
            if region == NATIONAL_LABEL and any(t.period == periods[k] and t.total for t in data.national):
                register = f'SUMIFS({_nt(REGISTER)},{_nt(PERIOD)},{head},{_nt(REGION)},"{NATIONAL_LABEL}")'
            total_cell = cell(r, 2 + k)
            if region == NATIONAL_LABEL and data.national_name(periods[k]) != NATIONAL_LABEL:
                line.append('=""')
                continue
            line.append(f'=IF(OR({total_cell}="",{register}=0),"",{total_cell}/{register})')
        line.append(None if region == NATIONAL_LABEL else f"={equals(f'$A{r}')}")
        names.append([region])
        formulas.append(line)
    last = 4 + len(rows)
    last_col = column_letter(1 + 2 * p)
    sheet = SheetLayout(TREND, freeze="B5", tab_color="548235", title_rows="3:4")
    sheet.blocks = [
        Block("A1", [["Trend per arbeidsmarktregio"]]),
        Block("A2", [["Totaal aantal personen met een klantprofiel en het deel van het doelgroepregister dat bekend is, per kwartaal."]]),
        Block("B3", [["Totaal"] + [None] * (p - 1) + ["Bekend (%)"] + [None] * (p - 1)]),
        Block("A4", [[REGION, *periods, *periods]]),
        Block("A5", names),
        Block("B5", formulas, formulas=True),
    ]
    sheet.formats = [
        Format("A1", style="title"),
        Format("A2", style="subtitle"),
        Format(f"B3:{column_letter(1 + p)}3", style="group_header"),
        Format(f"{column_letter(2 + p)}3:{last_col}3", style="group_header"),
        Format(f"A4:{last_col}4", style="header"),
        Format(f"B5:{column_letter(1 + p)}{last}", number_format=COUNT_FORMAT),
        Format(f"{column_letter(2 + p)}5:{last_col}{last}", number_format=PERCENT_FORMAT),
        Format(f"A{last}:{last_col}{last}", style="national"),
    ]
    _set_widths(sheet, 1, _widths([REGION], [[n[0] for n in names]], minimum=24, maximum=38))
    _set_widths(sheet, 2, [11] * (2 * p))
    sheet.hidden_columns = [helper]
    return sheet


# Controles: every finding, with a link to the cell it concerns.
def _controls_sheet(data: Data, data_rows: dict, region_rows: dict) -> SheetLayout:
    headers = ["Soort", PERIOD, REGION, MUNICIPALITY, "Gedrukt", "Berekend", "Verschil", "Melding", "Ga naar", "Ernst"]
    values, links, severities = [], [], []
    label_col = {label: 4 + i for i, label in enumerate((*data.labels, TOTAL_LABEL))}
    for finding in data.findings:
        target = _finding_target(finding, data, data_rows, region_rows, label_col)
        difference = (
            finding.printed - finding.computed
            if finding.printed is not None and finding.computed is not None
            else None
        )
        values.append([KIND_LABELS.get(finding.kind, finding.kind), finding.period, finding.region,
                       finding.municipality, finding.printed, finding.computed, difference, finding.message])
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
        Block("A3", [headers]),
    ]
    sheet.formats = [Format("A1", style="title"), Format("A2", style="subtitle"), Format("A3:J3", style="header")]
    if values:
        last = 3 + len(values)
        sheet.blocks += [Block("A4", values), Block("I4", links, formulas=True), Block("J4", severities)]
        sheet.tables = [Table(CONTROLS_TABLE, f"A3:J{last}", style="TableStyleLight9")]
        sheet.conditional_formats = [
            ConditionalFormat(f"J4:J{last}", f'$J4="{SEVERITY_LABELS["error"]}"',
                              where=[f"J{r}" for r, f in enumerate(data.findings, start=4) if f.severity == "error"])
        ]
        sheet.formats += [Format(f"E4:G{last}", number_format=COUNT_FORMAT), Format(f"I4:I{last}", style="link")]
    else:
        sheet.blocks.append(Block("A4", [[NO_FINDINGS]]))
        sheet.formats.append(Format("A4", style="ok"))
    columns = [list(c) for c in zip(*values)] if values else [[]] * 8
    widths = _widths(headers[:7], columns[:7])
    widths.append(min(110, max([40] + [len(str(m)) + 2 for m in columns[7]])))
    _set_widths(sheet, 1, widths + [22, 14])
    return sheet


def _finding_target(finding, data, data_rows, region_rows, label_col) -> tuple[str, str] | None:
    if finding.kind.startswith("national_"):
        return NATIONAL_SHEET, "A1"
    if finding.region is None:  # about the whole quarter: its first region's row
        rows = [r for (period, _), r in region_rows.items() if period == finding.period]
        return (REGION_DATA, f"A{min(rows)}") if rows else None
    region_row = region_rows.get((finding.period, finding.region))
    if finding.municipality is not None:
        row = data_rows.get((finding.period, finding.region, finding.municipality))
        if row:
            return DATA, f"H{row}" if finding.kind == "row_total" else f"C{row}"
    if region_row is None:
        return None
    if finding.kind == "column_total" and finding.column in label_col:
        return REGION_DATA, cell(region_row, label_col[finding.column])
    if finding.kind == "coverage_percent":
        return REGION_DATA, f"J{region_row}"
    if finding.kind == "missing_register":
        return REGION_DATA, f"I{region_row}"
    return REGION_DATA, f"B{region_row}"


# Lijsten: the quarters (the selector's choices), and where each lies in the two data tables.
LISTS_HEADERS = (PERIOD, *(f"{what} ({table})" for table in (DATA, REGION_DATA) for what in GEGEVENS_SPAN))


def _nt(column: str) -> str:
    return structured(NATIONAL_TABLE, column)


def _label_of(period: str, index: int, fallback: str) -> str:
    """The label of column `index` printed for the quarter in `period` (a cell)."""
    column = structured(LABELS_TABLE, LABEL_COLUMNS[index])
    return f'=IFERROR(INDEX({column},MATCH({period},{structured(LABELS_TABLE, PERIOD)},0)),"{fallback}")'


def _national_name_of(period: str) -> str:
    column = structured(LABELS_TABLE, NATIONAL_NAME)
    return f'=IFERROR(INDEX({column},MATCH({period},{structured(LABELS_TABLE, PERIOD)},0)),"{NATIONAL_LABEL}")'


# Landelijk: A the national table of each quarter as printed (tblLandelijk) with its checks;
# M the column labels per quarter (tblKolomnamen), which the overview shows.
def _national_sheet(data: Data) -> SheetLayout:
    headers = [PERIOD, REGION, *data.labels, TOTAL_LABEL, REGISTER, PRINTED_PERCENT, CHECK]
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
            values.append([table.period, name, *line.values, line.total, register, percent, check])
    if not values:
        values.append([None] * len(headers))
    last = len(values) + 1
    label_rows = [[period, *data.period_labels(period), data.national_name(period)] for period in data.periods]
    if not label_rows:
        label_rows.append([None] * 6)
    sheet = SheetLayout(NATIONAL_SHEET, freeze="C2", tab_color="7F7F7F", title_rows="1:1")
    sheet.blocks = [
        Block("A1", [headers]),
        Block("A2", values),
        Block("M1", [[PERIOD, *LABEL_COLUMNS, NATIONAL_NAME]]),
        Block("M2", label_rows),
    ]
    sheet.tables = [
        Table(NATIONAL_TABLE, f"A1:J{last}"),
        Table(LABELS_TABLE, f"M1:R{len(label_rows) + 1}", style="TableStyleLight9"),
    ]
    sheet.formats = [
        Format("A1:J1", style="header"),
        Format(f"C2:H{last}", number_format=COUNT_FORMAT),
        Format(f"I2:I{last}", number_format=PRINTED_PERCENT_FORMAT),
    ]
    sheet.conditional_formats = [
        ConditionalFormat(f"A2:J{last}", f'$B2="{NATIONAL_LABEL}"', style="national",
                          where=[f"A{r}:J{r}" for r, v in enumerate(values, start=2) if v[1] == NATIONAL_LABEL]),
        ConditionalFormat(f"I2:J{last}", 'AND($J2<>"",$J2<>"OK")',
                          where=[f"I{r}:J{r}" for r, v in enumerate(values, start=2) if v[-1] not in (None, "OK")]),
    ]
    columns = [list(c) for c in zip(*values)]
    _set_widths(sheet, 1, _widths(headers[:-1], columns[:-1]) + [40])
    _set_widths(sheet, 13, _widths([PERIOD, *LABEL_COLUMNS, NATIONAL_NAME], [list(c) for c in zip(*label_rows)]))
    return sheet


def national_from_table(rows: list[list[Any]]) -> list[NationalTable]:
    """The national tables held by tblLandelijk (header row first); the inverse of the above."""
    if len(rows) < 1:
        return []
    labels = tuple(str(v) for v in rows[0][2 : 2 + CATEGORY_COUNT])
    tables: dict[str, NationalTable] = {}
    for values in rows[1:]:
        period, region = values[0], values[1]
        if period in (None, "") or region in (None, ""):
            continue
        counts = [_int(v) or 0 for v in values[2:7]]
        percent = values[8] if len(values) > 8 else None
        line = NationalRow(
            None if str(region) == NATIONAL_LABEL else canonical_region(str(region)),
            str(region),
            tuple(counts[:CATEGORY_COUNT]),
            counts[CATEGORY_COUNT],
            _int(values[7]),
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
    for values in rows[1:]:
        if values and values[0] not in (None, ""):
            labels = tuple("" if v is None else str(v) for v in values[1 : 1 + CATEGORY_COUNT])
            if all(labels) and labels != DEFAULT_COLUMNS:
                found[str(values[0])] = labels
    return found


def apply_period_labels(
    sections: list[Section], national: list[NationalTable], labels: dict[str, tuple[str, ...]]
) -> None:
    """Give each section and national table its own quarter's labels (None where none were printed)."""
    for item in [*sections, *national]:
        item.columns = labels.get(item.period)


def _lists_sheet(data: Data) -> SheetLayout:
    sheet = SheetLayout(LISTS, hidden=True)
    spans = []
    for r in range(2, len(data.periods) + 2):
        line = []
        for table in (DATA_TABLE, REGION_TABLE):
            periods = structured(table, PERIOD)
            first, count = f"{column_letter(len(line) + 2)}{r}", f"{column_letter(len(line) + 3)}{r}"
            line += [
                f"=IFERROR(MATCH($A{r},{periods},0),0)",
                f"=COUNTIF({periods},$A{r})",
                # Contiguous when the `count` rows from the first one all hold the quarter.
                f"=IF({count}>0,COUNTIF(INDEX({periods},{first}):INDEX({periods},{first}+{count}-1),$A{r})={count},FALSE)",
            ]
        spans.append(line)
    sheet.blocks = [Block("A1", [list(LISTS_HEADERS)]), Block("A2", [[p] for p in data.periods])]
    if spans:
        sheet.blocks.append(Block("B2", spans, formulas=True))
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
    labels = tuple(str(v) for v in data[0][3 : 3 + CATEGORY_COUNT])
    sections: dict[tuple[str, str], Section] = {}
    for values in region_totals[1:]:
        period, region, printed = (None if v in (None, "") else str(v) for v in values[:3])
        if not period or not region:
            continue
        counts = [_int(v) for v in values[3:8]]
        total = None
        if all(v is not None for v in counts):
            total = Row(REGION_TOTAL_LABEL, tuple(counts[:CATEGORY_COUNT]), counts[CATEGORY_COUNT])
        percent = values[9] if len(values) > 9 else None
        sections[(period, region)] = Section(
            period=period,
            region=region if canonical_region(region) == region else None,
            region_as_printed=printed or region,
            region_total=total,
            register=_int(values[8]),
            coverage_percent_printed=None if percent in (None, "") else round(float(percent) * 100),
            columns=labels if labels != DEFAULT_COLUMNS else None,
        )
    for values in data[1:]:
        period, region, municipality = values[:3]
        if period in (None, "") or region in (None, "") or municipality is None:
            continue
        key = (str(period), str(region))
        section = sections.get(key) or sections.setdefault(key, Section(key[0], None, key[1]))
        counts = [_int(v) or 0 for v in values[3:8]]
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
