"""Plain records that every stage passes on: source -> Publication -> findings -> store / workbook."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import XlkpError

CATEGORY_COUNT = 4
# Labels used where the PDF printed no header row.
DEFAULT_COLUMNS = ("Categorie 1", "Categorie 2", "Categorie 3", "Categorie 4")
TOTAL_LABEL = "Totaal"
# A count's index in (categories..., total) order, as QueryIndex.column and .value take it.
TOTAL_INDEX = CATEGORY_COUNT
REGION_TOTAL_LABEL = "TOTAAL AMR"
# A row's CATEGORY_COUNT counts in column order (built from what was read, so not a fixed-size tuple).
Counts = tuple[int, ...]
NATIONAL = "Nederland"
# Printed on every page of a generated publication; a page carrying it holds fictitious figures.
SAMPLE_MARK = "VOORBEELD – fictieve cijfers"


class InputError(XlkpError):
    """Input that cannot be read as this publication; the message is one line for the user."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class Row:
    """One table row: a municipality (or the region total) with four counts and a total."""

    municipality: str
    values: Counts
    total: int
    page: int | None = field(default=None, compare=False)  # 1-based page, where known

    def to_dict(self) -> dict:
        return {"municipality": self.municipality, "values": list(self.values), "total": self.total}


@dataclass
class Section:
    """One region's table in one quarter, possibly spread over several pages."""

    period: str  # "2021-Q1"
    region: str | None  # canonical name, None when the region is unknown
    region_as_printed: str
    rows: list[Row] = field(default_factory=list)
    region_total: Row | None = None
    register: int | None = None  # doelgroepregister size from the footnote
    coverage_percent_printed: int | None = None
    columns: tuple[str, ...] | None = None  # the four category labels, when printed
    pages: list[int] = field(default_factory=list)
    footnote_region: str | None = None  # region as the footnote spells it
    # Names printed with control characters, as printed (the rows carry them removed).
    cleaned_names: list[str] = field(default_factory=list, compare=False)
    # A continuation subtitle ('... Friesland (vervolg)') that did not continue an open table
    # of the same region: (the subtitle as printed, the region whose table was open, if any).
    stray_continuation: tuple[str, str | None] | None = field(default=None, compare=False)
    # Where it came from; not part of a section's identity (the same table read twice is equal).
    source: str | None = field(default=None, compare=False)
    # From a publication marked as a sample (SAMPLE_MARK on its pages): fictitious figures.
    sample: bool = field(default=False, compare=False)

    @property
    def name(self) -> str:
        return self.region or self.region_as_printed

    @property
    def labels(self) -> tuple[str, ...]:
        return self.columns or DEFAULT_COLUMNS

    @property
    def coverage(self) -> float | None:
        """TOTAAL AMR total / register, as a fraction."""
        if self.region_total is None or not self.register:
            return None
        return self.region_total.total / self.register

    def to_dict(self) -> dict:
        return {
            "period": self.period,
            "region": self.region,
            "region_as_printed": self.region_as_printed,
            "pages": list(self.pages),
            "columns": list(self.columns) if self.columns else None,
            "rows": [row.to_dict() for row in self.rows],
            "region_total": (
                {"values": list(self.region_total.values), "total": self.region_total.total}
                if self.region_total
                else None
            ),
            "register": self.register,
            "coverage_percent_printed": self.coverage_percent_printed,
            "footnote_region": self.footnote_region,
            "sample": self.sample,
        }


@dataclass(frozen=True)
class NationalRow:
    """One line of the national table: a region (or the Nederland line) with its counts,
    total, doelgroepregister and printed percentage known in Sonar."""

    region: str | None  # canonical name; None when not one of the 35 (or for the Nederland line)
    region_as_printed: str
    values: Counts
    total: int
    register: int | None = None
    percent: int | None = None
    page: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict:
        return {
            "region": self.region if self.region is not None else self.region_as_printed,
            "values": list(self.values),
            "total": self.total,
            "register": self.register,
            "percent": self.percent,
        }


@dataclass
class NationalTable:
    """The publication's national overview for one quarter: one row per region and the
    Nederland line, with the national footnote. Never a section."""

    period: str
    rows: list[NationalRow] = field(default_factory=list)
    total: NationalRow | None = None  # the Nederland line
    register: int | None = None  # from the national footnote
    coverage_percent_printed: int | None = None  # from the national footnote
    columns: tuple[str, ...] | None = None
    pages: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        total = self.total
        return {
            "period": self.period,
            "pages": list(self.pages),
            "columns": list(self.columns) if self.columns else None,
            "rows": [row.to_dict() for row in self.rows],
            "total": (
                {"values": list(total.values), "total": total.total, "register": total.register,
                 "percent": total.percent}
                if total is not None
                else None
            ),
            "footnote": {"register": self.register, "percent": self.coverage_percent_printed},
        }


@dataclass
class Publication:
    """Everything read from one source file."""

    source: str
    sections: list[Section] = field(default_factory=list)
    national: list[NationalTable] = field(default_factory=list)

    @property
    def periods(self) -> list[str]:
        return sorted({s.period for s in self.sections} | {t.period for t in self.national})

    @property
    def sample(self) -> bool:
        return any(s.sample for s in self.sections)


ERROR, WARNING = "error", "warning"

@dataclass(frozen=True)
class Finding:
    """Something that does not add up, with the number printed and the number computed.

    `severity` is "error" when printed figures contradict each other, "warning" for a fact
    about the file (see checks.SEVERITY, the one table that decides it).
    """

    kind: str
    period: str
    region: str | None  # None for a finding about the whole publication
    municipality: str | None
    printed: int | None
    computed: int | None
    message: str
    column: str | None = None  # for column totals: which column
    severity: str = ERROR

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "period": self.period,
            "region": self.region,
            "municipality": self.municipality,
            "printed": self.printed,
            "computed": self.computed,
            "message": self.message,
            "column": self.column,
        }


def category_labels(sections: Iterable[Section]) -> tuple[str, ...]:
    """The four labels to show: the printed ones when every section that printed labels agrees."""
    printed = {s.columns for s in sections if s.columns}
    return printed.pop() if len(printed) == 1 else DEFAULT_COLUMNS
