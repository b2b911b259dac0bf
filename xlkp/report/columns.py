"""Column specs: what each column of a sheet's table or block is, and where it lies.

A sheet's columns are listed once, left to right, as `Column`s in a `Columns`; every cell
reference, range, number format, width and structured reference of that sheet, and the reader
of its table, is derived from the spec by the column's key. Adding a column is one line, and no
formula can point at a column by a letter that no longer holds it.

    spec = Columns(Column("Periode"), Column("Totaal", number_format="#,##0"), first="A")
    spec.letter("Totaal") == "B"; spec.ref("Totaal", 5) == "B5"; spec.range("Totaal", 2, 9) == "B2:B9"
    spec.position("Totaal") == 1   # where a row read from the table holds the column's value
    spec.line({"Totaal": 7}) == [None, 7]   # a row to write, by key
    spec.maker("Totaal")(7) == [None, 7]     # the same, for many rows
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from operator import is_not, itemgetter
from typing import Any

from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries


@dataclass(frozen=True)
class Column:
    """One column: `key` names it in code; `header` is what its header cell says (the key when
    None). `width` is a fixed width, or None to fit the column's longest text between
    `fit[0]` and `fit[1]` (no fit: Excel's default width); `widest` is a text counted as if in the column (for formulas, whose
    results the layout does not know). `number_format` and `style` apply to its data rows."""

    key: str
    header: str | None = None
    width: float | None = None
    number_format: str | None = None
    style: str | None = None
    hidden: bool = False
    fit: tuple[float, float] | None = (8, 45)
    widest: str | None = None

    @property
    def title(self) -> str:
        return self.key if self.header is None else self.header


class Columns:
    """The columns of one table or block, left to right from column `first` (a letter)."""

    def __init__(self, *columns: Column, first: str = "A") -> None:
        self.columns: tuple[Column, ...] = columns
        self.first = column_index_from_string(first)
        self._positions = {c.key: i for i, c in enumerate(columns)}
        if len(self._positions) != len(columns):
            raise ValueError("column keys must be unique")
        # Worked out once: a layout asks for them for every row it writes.
        self._keys = tuple(c.key for c in columns)
        self._letters = {c.key: get_column_letter(self.first + i) for i, c in enumerate(columns)}
        self._spans: dict[tuple[str, str], tuple[tuple[str, ...], frozenset[str]]] = {}

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def __contains__(self, key: object) -> bool:
        return key in self._positions

    def __getitem__(self, key: str) -> Column:
        return self.columns[self.position(key)]

    @property
    def keys(self) -> tuple[str, ...]:
        return self._keys

    @property
    def headers(self) -> list[str]:
        return [c.title for c in self.columns]

    # ---- where a column lies ----------------------------------------------------------------

    def position(self, key: str) -> int:
        """0-based: where a row read from this table (first column first) holds the column."""
        try:
            return self._positions[key]
        except KeyError:
            raise KeyError(f"no column {key!r} in {self.keys}") from None

    def index(self, key: str) -> int:
        """1-based sheet column number, as openpyxl's `cell(row, column)` takes it."""
        return self.first + self.position(key)

    def letter(self, key: str) -> str:
        try:
            return self._letters[key]
        except KeyError:
            raise KeyError(f"no column {key!r} in {self.keys}") from None

    @property
    def first_letter(self) -> str:
        return get_column_letter(self.first)

    @property
    def last_letter(self) -> str:
        return get_column_letter(self.first + len(self.columns) - 1)

    def ref(self, key: str, row: int | str, absolute: bool = False, fixed_column: bool = False) -> str:
        """The cell of `key` in `row`: "H5"; "$H$5" when absolute; "$H5" with a fixed column."""
        letter = self._letters[key] if key in self._letters else self.letter(key)  # (the error)
        if absolute:
            return f"${letter}${row}"
        return f"${letter}{row}" if fixed_column else f"{letter}{row}"

    def range(self, key: str, first_row: int | str, last_row: int | str | None = None, to: str | None = None,
              absolute: bool = False, fixed_column: bool = False) -> str:
        """Column `key` (through column `to`) over rows first_row..last_row: "D2:H9" (one row
        when last_row is None); absolute and fixed_column as for `ref`."""
        last_row = first_row if last_row is None else last_row
        return (f"{self.ref(key, first_row, absolute, fixed_column)}:"
                f"{self.ref(to or key, last_row, absolute, fixed_column)}")

    def start(self, row: int) -> str:
        """The first column's cell in `row`: where a block of whole table rows is written."""
        return f"{self.first_letter}{row}"

    def row(self, row: int) -> str:
        """All the columns in one row: "A1:I1"."""
        return f"{self.first_letter}{row}:{self.last_letter}{row}"

    def area(self, first_row: int, last_row: int) -> str:
        """All the columns over rows first_row..last_row: "A1:I9"."""
        return f"{self.first_letter}{first_row}:{self.last_letter}{last_row}"

    def between(self, first: str, last: str) -> tuple[str, ...]:
        """The keys from `first` through `last`, in sheet order."""
        return self._span(first, last)[0]

    def _span(self, first: str, last: str) -> tuple[tuple[str, ...], frozenset[str]]:
        """The keys from `first` through `last`, as a tuple and as a set; kept per span."""
        span = self._spans.get((first, last))
        if span is None:
            keys = self.keys[self.position(first) : self.position(last) + 1]
            span = self._spans[(first, last)] = (keys, frozenset(keys))
        return span

    # ---- writing a row of the table -----------------------------------------------------------

    def line(self, cells: Mapping[str, Any], first: str | None = None, last: str | None = None) -> list[Any]:
        """One row of the columns `first` through `last` (all when omitted) from key -> value;
        a column the mapping leaves out is an empty cell, a key outside the span an error."""
        keys, known = self._span(first or self._keys[0], last or self._keys[-1])
        if not known.issuperset(cells):
            outside = set(cells) - known
            raise KeyError(f"not among the columns {keys[0]!r}..{keys[-1]!r}: {sorted(outside)}")
        return [cells.get(key) for key in keys]

    def maker(self, *keys: str, first: str | None = None, last: str | None = None) -> Callable[..., list[Any]]:
        """A function making the rows `line` makes, from values given in the order of `keys`
        instead of a mapping: for the thousands of rows of a data table, where the mapping
        would cost more than the row. Where each key lands is worked out here, once.

            spec.maker("Totaal", "Periode")(7, "2021-Q1") == spec.line({"Periode": "2021-Q1", "Totaal": 7})
        """
        span, known = self._span(first or self._keys[0], last or self._keys[-1])
        if not known.issuperset(keys) or len(set(keys)) != len(keys):
            raise KeyError(f"not distinct columns among {span[0]!r}..{span[-1]!r}: {list(keys)}")
        width, count = len(span), len(keys)
        if keys == span:  # every column of the span, in order: the values are the row

            def whole(*values: Any) -> list[Any]:
                if len(values) != count:
                    raise TypeError(f"{count} values expected for {list(keys)}, not {len(values)}")
                return list(values)

            return whole
        at = [span.index(key) for key in keys]

        def placed(*values: Any) -> list[Any]:
            if len(values) != count:
                raise TypeError(f"{count} values expected for {list(keys)}, not {len(values)}")
            row: list[Any] = [None] * width
            for i, value in zip(at, values):
                row[i] = value
            return row

        return placed

    # ---- reading a row of the table -----------------------------------------------------------

    def get(self, values: Sequence[Any], key: str) -> Any:
        """The value of `key` in a row read from the table; None when the row is shorter."""
        at = self.position(key)
        return values[at] if at < len(values) else None

    def within(self, values: Sequence[Any]) -> list[Any]:
        """The part of a row read from column A that holds this table."""
        return list(values[self.first - 1 : self.first - 1 + len(self.columns)])

    def take(self, values: Sequence[Any], keys: Iterable[str]) -> list[Any]:
        return [self.get(values, key) for key in keys]

    def located(self, header: Sequence[Any], by_position: Iterable[str] = ()) -> Located:
        """These columns as a table whose header row is `header` holds them, each found by its
        header text: a table an older version of xlkp wrote, with fewer or other columns, is read
        by what its columns say, never by where today's spec puts them. Keys in `by_position`
        (headers that vary, such as the category labels) keep their place in the spec."""
        titles = [None if v is None else str(v).strip() for v in header]
        fixed = set(by_position)
        positions: dict[str, int] = {}
        for at, column in enumerate(self.columns):
            if column.key in fixed or (at < len(titles) and titles[at] == column.title):
                positions[column.key] = at
            elif column.title in titles:
                positions[column.key] = titles.index(column.title)
        return Located(positions)

    # ---- what the spec says about the data rows -----------------------------------------------

    def hidden_letters(self) -> list[str]:
        return [self.letter(c.key) for c in self.columns if c.hidden]

    def formats(self, first_row: int, last_row: int) -> list[tuple[str, str | None, str | None]]:
        """(range, number format, style) over the data rows: the number formats left to right,
        then the styles; neighbours that agree share one range."""
        result: list[tuple[str, str | None, str | None]] = []
        for attribute in ("number_format", "style"):
            runs: list[tuple[int, int, str]] = []
            for i, c in enumerate(self.columns):
                value = getattr(c, attribute)
                if value is None:
                    continue
                if runs and runs[-1][1] == i - 1 and runs[-1][2] == value:
                    runs[-1] = (runs[-1][0], i, value)
                else:
                    runs.append((i, i, value))
            for a, b, value in runs:
                ref = f"{get_column_letter(self.first + a)}{first_row}:{get_column_letter(self.first + b)}{last_row}"
                result.append((ref, value, None) if attribute == "number_format" else (ref, None, value))
        return result

    def widths(self, rows: Iterable[Sequence[Any]] = ()) -> dict[str, float]:
        """A width per column: its fixed width, or fitted to its header and longest text in
        `rows` (rows as read from the table, first column first), as Excel counts characters."""
        rows = list(rows)
        if len(set(map(len, rows))) == 1:  # rows alike, as the thousands of a data table are
            return self.fitted(list(zip(*rows)))
        return self.fitted([[r[i] for r in rows if i < len(r)] for i in range(len(self.columns))])

    def fitted(self, by_column: Sequence[Sequence[Any]]) -> dict[str, float]:
        """`widths` of the values given column by column (first column first): for a sheet that
        holds its table as blocks side by side, without joining their rows."""
        result: dict[str, float] = {}
        for i, c in enumerate(self.columns):
            if c.width is not None:
                result[get_column_letter(self.first + i)] = c.width
                continue
            if c.fit is None:
                continue
            values = by_column[i] if i < len(by_column) else ()
            # The header counts for less (bold, wrapped); on a tie it is the one kept.
            longest: float = len(c.title) * 0.9
            if values:
                longest = max(longest, _longest_shown(values))
            if c.widest is not None:
                longest = max(longest, len(c.widest))
            result[get_column_letter(self.first + i)] = round(min(c.fit[1], max(c.fit[0], longest + 2)), 1)
        return result


class Located:
    """Where each column lies in a table as read, from `Columns.located`; a column the table
    lacks reads as None."""

    def __init__(self, positions: dict[str, int]) -> None:
        self.positions = positions

    def __contains__(self, key: object) -> bool:
        return key in self.positions

    def get(self, values: Sequence[Any], key: str) -> Any:
        at = self.positions.get(key)
        return values[at] if at is not None and at < len(values) else None

    def take(self, values: Sequence[Any], keys: Iterable[str]) -> list[Any]:
        return [self.get(values, key) for key in keys]

    def columns(self, rows: Sequence[Sequence[Any]], keys: Sequence[str]) -> list[list[Any]]:
        """`take` for many rows, column by column: per key in `keys` the values of all `rows`."""
        at = [a for a in map(self.positions.get, keys) if a is not None]
        if rows and at and len(at) == len(keys):  # the table has every column asked for
            widths = set(map(len, rows))
            if len(widths) == 1 and widths.pop() > max(at):  # rows alike: one pass turns them all
                turned = list(zip(*rows))
                return [list(turned[a]) for a in at]
            if min(map(len, rows)) > max(at):  # every row holds every column
                return [list(map(itemgetter(a), rows)) for a in at]
        return [[self.get(values, key) for values in rows] for key in keys]

    def reader(self, keys: Sequence[str]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
        """`take` for many rows: a function giving a row's values of `keys`, as a tuple."""
        at = [self.positions.get(key) for key in keys]
        if not at or None in at:
            return lambda values: tuple(self.take(values, keys))
        pick, widest = itemgetter(*at), max(a for a in at if a is not None)
        if len(at) == 1:
            return lambda values: (pick(values),) if len(values) > widest else tuple(self.take(values, keys))
        return lambda values: pick(values) if len(values) > widest else tuple(self.take(values, keys))


def _shown(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value if value is not None else "")


def _longest_shown(values: Sequence[Any]) -> int:
    """The length of the longest `_shown(value)`, without showing each value: a text's length
    is its own, an empty cell's 0, and the longest whole number shown ('-1,234') is the largest
    or the smallest one."""
    if values and type(values[0]) is str:  # text, as most columns are: one pass, no kinds
        with contextlib.suppress(TypeError):  # a cell that is not text (no other cell has a length)
            return max(map(len, values))
    kinds = set(map(type, values))
    if type(None) in kinds:  # an empty cell shows nothing: 0, the least a length can be
        kinds.discard(type(None))
        values = list(filter(partial(is_not, None), values))
    if len(kinds) > 1:  # each kind on its own
        return max(_longest_shown([v for v in values if type(v) is kind]) for kind in kinds)
    if not kinds:
        return 0
    kind = kinds.pop()
    if kind is str:
        return max(map(len, values))
    if kind is int:
        return max(len(_shown(max(values))), len(_shown(min(values))))
    return max(len(_shown(value)) for value in set(values))  # bool, float, a date: each value shown once


def bounds(ref: str) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of a range with both corners, like "A1:Q9" or "B2"
    (openpyxl's `range_boundaries`, which also takes the open ranges "A:A" and "1:1")."""
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    if min_col is None or min_row is None or max_col is None or max_row is None:
        raise ValueError(f"{ref}: not a range with both corners")
    return min_col, min_row, max_col, max_row
