"""Plain records that every stage passes on: source -> Publication -> findings -> store / workbook.

The records are plain classes on `Record`, not dataclasses: importing `dataclasses` (with the
`inspect` it imports) and building six classes with it was ~7 % of the instructions of a whole
`xlkp extract` process. `Record` gives what the dataclasses gave: equality (and for a frozen
record a hash) over the fields that make its identity, a repr, and `replace` and `as_dict` below
in place of `dataclasses.replace` and `dataclasses.asdict`.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter

from .errors import XlkpError

TYPE_CHECKING = False  # as typing.TYPE_CHECKING (mypy reads it so) without importing typing: ~2% of an extract
if TYPE_CHECKING:
    from typing import Any, ClassVar, TypeVar

    AnyRecord = TypeVar("AnyRecord", bound="Record")

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


class FrozenRecordError(AttributeError):
    """An attempt to change a frozen record (as dataclasses.FrozenInstanceError)."""


class Record:
    """The records' common part. A record declares its fields as annotations, in order, and
    sets each in `__init__`; `_not_compared` names the fields that are not part of its identity
    (where it came from, not what it says). A record can be changed and cannot be hashed; a
    `FrozenRecord` the other way round."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _not_compared: ClassVar[frozenset[str]] = frozenset()
    # The identity as one value (a tuple of the compared fields), made by one C call.
    _identity: ClassVar[attrgetter[Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._fields = tuple(cls.__annotations__)
        if cls._fields:
            cls._identity = attrgetter(*[name for name in cls._fields if name not in cls._not_compared])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._identity(self) == self._identity(other)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({fields})"


class FrozenRecord(Record):
    """A record that cannot be changed once made (its `__init__` fills `vars(self)`), so it can
    be hashed."""

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenRecordError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenRecordError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self._identity(self))


def replace(record: AnyRecord, **changes: Any) -> AnyRecord:
    """A new record of the same type with `changes` (as dataclasses.replace)."""
    return type(record)(**{**{name: getattr(record, name) for name in record._fields}, **changes})


def as_dict(record: Record) -> dict[str, Any]:
    """Every field, the records, lists and tuples in it as dicts, lists and tuples of their own
    (as dataclasses.asdict): what the store keeps of an import between its two halves."""
    return {name: _plain(getattr(record, name)) for name in record._fields}


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return as_dict(value)
    if isinstance(value, list | tuple):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return value  # text, numbers, None: nothing to copy


class Row(FrozenRecord):
    """One table row: a municipality (or the region total) with four counts and a total."""

    municipality: str
    values: Counts
    total: int
    page: int | None  # 1-based page, where known

    _not_compared = frozenset({"page"})

    def __init__(self, municipality: str, values: Counts, total: int, page: int | None = None):
        # Stored one by one into the instance's dict (frozen: no setattr): twice as fast as
        # update(**fields), and a long history reads back tens of thousands of rows.
        fields = self.__dict__
        fields["municipality"] = municipality
        fields["values"] = values
        fields["total"] = total
        fields["page"] = page

    def to_dict(self) -> dict:
        return {"municipality": self.municipality, "values": list(self.values), "total": self.total}


class Section(Record):
    """One region's table in one quarter, possibly spread over several pages."""

    period: str  # "2021-Q1"
    region: str | None  # canonical name, None when the region is unknown
    region_as_printed: str
    rows: list[Row]
    region_total: Row | None
    register: int | None  # doelgroepregister size from the footnote
    coverage_percent_printed: int | None
    columns: tuple[str, ...] | None  # the four category labels, when printed
    pages: list[int]
    footnote_region: str | None  # region as the footnote spells it
    # Names printed with control characters, as printed (the rows carry them removed).
    cleaned_names: list[str]
    # A continuation subtitle ('... Friesland (vervolg)') that did not continue an open table
    # of the same region: (the subtitle as printed, the region whose table was open, if any).
    stray_continuation: tuple[str, str | None] | None
    # Where it came from; not part of a section's identity (the same table read twice is equal).
    source: str | None
    # From a publication marked as a sample (SAMPLE_MARK on its pages): fictitious figures.
    sample: bool

    _not_compared = frozenset({"cleaned_names", "stray_continuation", "source", "sample"})

    def __init__(
        self,
        period: str,
        region: str | None,
        region_as_printed: str,
        rows: list[Row] | None = None,
        region_total: Row | None = None,
        register: int | None = None,
        coverage_percent_printed: int | None = None,
        columns: tuple[str, ...] | None = None,
        pages: list[int] | None = None,
        footnote_region: str | None = None,
        cleaned_names: list[str] | None = None,
        stray_continuation: tuple[str, str | None] | None = None,
        source: str | None = None,
        sample: bool = False,
    ):
        self.period = period
        self.region = region
        self.region_as_printed = region_as_printed
        self.rows = [] if rows is None else rows
        self.region_total = region_total
        self.register = register
        self.coverage_percent_printed = coverage_percent_printed
        self.columns = columns
        self.pages = [] if pages is None else pages
        self.footnote_region = footnote_region
        self.cleaned_names = [] if cleaned_names is None else cleaned_names
        self.stray_continuation = stray_continuation
        self.source = source
        self.sample = sample

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


class NationalRow(FrozenRecord):
    """One line of the national table: a region (or the Nederland line) with its counts,
    total, doelgroepregister and printed percentage known in Sonar."""

    region: str | None  # canonical name; None when not one of the 35 (or for the Nederland line)
    region_as_printed: str
    values: Counts
    total: int
    register: int | None
    percent: int | None
    page: int | None

    _not_compared = frozenset({"page"})

    def __init__(
        self,
        region: str | None,
        region_as_printed: str,
        values: Counts,
        total: int,
        register: int | None = None,
        percent: int | None = None,
        page: int | None = None,
    ):
        vars(self).update(
            region=region, region_as_printed=region_as_printed, values=values, total=total,
            register=register, percent=percent, page=page,
        )

    def to_dict(self) -> dict:
        return {
            "region": self.region if self.region is not None else self.region_as_printed,
            "values": list(self.values),
            "total": self.total,
            "register": self.register,
            "percent": self.percent,
        }


class NationalTable(Record):
    """The publication's national overview for one quarter: one row per region and the
    Nederland line, with the national footnote. Never a section."""

    period: str
    rows: list[NationalRow]
    total: NationalRow | None  # the Nederland line
    register: int | None  # from the national footnote
    coverage_percent_printed: int | None  # from the national footnote
    columns: tuple[str, ...] | None
    pages: list[int]

    def __init__(
        self,
        period: str,
        rows: list[NationalRow] | None = None,
        total: NationalRow | None = None,
        register: int | None = None,
        coverage_percent_printed: int | None = None,
        columns: tuple[str, ...] | None = None,
        pages: list[int] | None = None,
    ):
        self.period = period
        self.rows = [] if rows is None else rows
        self.total = total
        self.register = register
        self.coverage_percent_printed = coverage_percent_printed
        self.columns = columns
        self.pages = [] if pages is None else pages

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


class Publication(Record):
    """Everything read from one source file."""

    source: str
    sections: list[Section]
    national: list[NationalTable]

    def __init__(
        self, source: str, sections: list[Section] | None = None, national: list[NationalTable] | None = None
    ):
        self.source = source
        self.sections = [] if sections is None else sections
        self.national = [] if national is None else national

    @property
    def periods(self) -> list[str]:
        return sorted({s.period for s in self.sections} | {t.period for t in self.national})

    @property
    def sample(self) -> bool:
        return any(s.sample for s in self.sections)


ERROR, WARNING = "error", "warning"


class Finding(FrozenRecord):
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
    column: str | None  # for column totals: which column
    severity: str

    def __init__(
        self,
        kind: str,
        period: str,
        region: str | None,
        municipality: str | None,
        printed: int | None,
        computed: int | None,
        message: str,
        column: str | None = None,
        severity: str = ERROR,
    ):
        vars(self).update(
            kind=kind, period=period, region=region, municipality=municipality, printed=printed,
            computed=computed, message=message, column=column, severity=severity,
        )

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
