"""A generated sheet's long run of data rows as SpreadsheetML, written straight into the part
openpyxl saved: openpyxl makes several objects per cell and serialises each through an element
tree, most of an import into a workbook with years of quarters (benchmarks/import.py).

openpyxl still writes everything else of the sheet (its header, the first data row, tables,
formats, charts, print setup), so its styles stay the workbook's one source of style ids: the
rows written here copy each column's style from that first data row (the *template row*). A
sheet is only written so when every style below the template row is a column's format that runs
to one common last row, and no row below it has a height or outline of its own; otherwise
openpyxl writes all of it (`HeldRows.of` returns None).

Each run of CHUNK rows written here leaves a fingerprint (data_copy.RowRecords), and is deflated
on its own (package_writer). The next import copies the deflated bytes of every run whose
fingerprint is the same, and writes only those that changed: when a new quarter is added, the
older quarters' rows keep their numbers and content. Rows of formulas that differ only in their
row number (layout.NumberedRows) are fingerprinted by their pieces and numbers: they are made
only when written.
"""

from __future__ import annotations

import hashlib
import marshal
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from . import layout as L
from .columns import bounds
from .data_copy import BIG_INT, CHUNK, MAX_TEXT, Previous, RowRecords
from .package_writer import Chunk, ChunkSums

_VALUE_TYPES = (str, int, float, bool, type(None))
_STYLE = re.compile(r'<c r="([A-Z]+)\d+" s="(\d+)"')
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')


@dataclass
class HeldRows:
    """The cells of a sheet's rows from `first_row` on, kept from openpyxl and written here."""

    first_row: int
    styled_until: int  # the last row the columns' formats cover (0: none go past the template row)
    styled: list[int] = field(default_factory=list)  # the columns those formats cover
    blocks: list[L.Placed] = field(default_factory=list)
    written: RowRecords | None = None  # the rows' fingerprints, once spliced
    kept: list[tuple[int, int]] = field(default_factory=list)  # runs of rows copied from the last import

    @classmethod
    def of(cls, sheet: L.SheetLayout) -> HeldRows | None:
        """The rows below the sheet's template row, or None when openpyxl must write them all."""
        spans = [bounds(f.ref if ":" in f.ref else f"{f.ref}:{f.ref}") for f in sheet.formats]
        template = max((min_row for _, min_row, _, _ in spans), default=1)
        beyond = [span for span in spans if span[3] > template]
        ends = {max_row for _, _, _, max_row in beyond}
        # Every format on the template row must be one that runs on: its style is copied down.
        ending = any(min_row <= template == max_row for _, min_row, _, max_row in spans)
        if len(ends) > 1 or (beyond and ending) or sheet.row_groups or any(r > template for r in sheet.row_heights):
            return None
        held = cls(template + 1, ends.pop() if ends else 0)
        held.styled = sorted({c for min_col, _, max_col, _ in beyond for c in range(min_col, max_col + 1)})
        for block in sheet.blocks:
            placed = block.placed
            if placed.top + len(block.rows) <= held.first_row:
                continue
            if block.user and any(not isinstance(v, _VALUE_TYPES) for row in block.rows for v in row):
                return None  # a date a user typed: openpyxl gives it its number format
            held.blocks.append(placed)
        return held if held.blocks else None

    @property
    def last_row(self) -> int:
        return max(top + len(rows) - 1 for top, _, rows, _, _ in self.blocks)

    def splice(self, part: bytes, previous: Previous | None = None) -> Spliced:
        """The sheet part openpyxl saved (rows up to the template row), with these rows added;
        `previous`: what the last import wrote of the part, whose unchanged chunks of rows are
        copied as they are, deflated."""
        xml = part.decode("utf-8")
        template = re.search(rf'<row r="{self.first_row - 1}"[ >].*?</row>', xml, re.S)
        styles = dict(_STYLE.findall(template.group(0))) if template else {}
        styled = {c: f' s="{styles[get_column_letter(c)]}"' for c in self.styled if get_column_letter(c) in styles}
        chunks, last_row, last_column = self._rows(styled, previous)
        old = _DIMENSION.search(xml)
        if old:
            first, _, corner = old.group(0).split('"')[1].partition(":")
            _, _, max_col, max_row = bounds(f"{first}:{corner or first}")
            corner = f"{get_column_letter(max(max_col, last_column))}{max(max_row, last_row)}"
            xml = xml.replace(old.group(0), f'<dimension ref="{first}:{corner}" />', 1)
        end = xml.rindex("</sheetData>")
        return Spliced(xml[:end].encode("utf-8"), chunks, xml[end:].encode("utf-8"))

    def _rows(self, styled: dict[int, str], previous: Previous | None) -> tuple[list[Chunk], int, int]:
        """The rows' XML as openpyxl's etree writer makes it (in chunks), and the last row and
        column written."""
        columns = self._side_by_side(styled)
        if columns is None:
            rows, last_row, last_column = self._any_rows(styled)
            return [rows.encode("utf-8")], last_row, last_column
        return self._rows_side_by_side(columns, previous)

    def _side_by_side(self, styled: dict[int, str]) -> list[_InColumns] | None:
        """The blocks from left to right, each with every column's cell opening and style, when
        no two blocks share a column and every styled column is in one; else None."""
        found = []
        taken: set[int] = set()
        for top, left, rows, formulas, width in sorted(self.blocks, key=lambda block: block[1]):
            columns = range(left, left + width)
            if taken.intersection(columns):
                return None
            taken.update(columns)
            found.append((top, rows, formulas, [(f'<c r="{get_column_letter(c)}', styled.get(c, ""), c) for c in columns]))
        return found if taken.issuperset(styled) else None

    def _rows_side_by_side(self, blocks: list[_InColumns], previous: Previous | None
                           ) -> tuple[list[Chunk], int, int]:
        """_any_rows for blocks side by side: each row's cells in the blocks' order, no sorting.
        Rows go CHUNK at a time: a run of chunks whose fingerprints `previous` holds too is
        copied deflated from its part."""
        signature = _digest(repr((self.first_row, [(top, formulas, columns) for top, _, formulas, columns in blocks])).encode()).hex()
        old = previous if previous is not None and previous.records.signature == signature else None
        self.kept = []  # afresh: a splice that failed half-way (openpyxl_writer._splice) tries again
        chunks: list[bytes | None] = []  # None: the old part's chunk
        records = bytearray()
        texts: dict[tuple[str, bool], str] = {}  # names and periods repeat on every row
        last_row = last_column = 1
        for index, first in enumerate(range(self.first_row, self.last_row + 1, CHUNK)):
            last = min(first + CHUNK - 1, self.last_row)
            styled_to = min(last, self.styled_until)
            content = [_content(rows, max(first - top, 0), max(last + 1 - top, 0)) for top, rows, _, _ in blocks]
            digest = _digest(marshal.dumps((last - first, styled_to - first, content), _EXACT))
            record = old.records.record(index) if old is not None else b""
            if record[:8] == digest:
                column, written_first, written_last = RowRecords.TAIL.unpack(record[8:])
                chunks.append(None)
                if self.kept and self.kept[-1][1] == first - 1:
                    self.kept[-1] = (self.kept[-1][0], last)
                else:
                    self.kept.append((first, last))
            else:
                column = written_first = written_last = 0
                written: list[str] = []
                for r in range(first, last + 1):
                    row, with_style = str(r), r <= self.styled_until
                    cells: list[str] = []
                    for top, rows, formulas, columns in blocks:
                        found = rows[r - top] if 0 <= r - top < len(rows) else ()
                        column = max(column, _emit(cells, row, found, columns, formulas, with_style, texts))
                    if cells:
                        written.append(f'<row r="{r}">{"".join(cells)}</row>')
                        written_first, written_last = written_first or r, r
                chunks.append("".join(written).encode("utf-8"))
                record = digest + RowRecords.TAIL.pack(column, written_first, written_last)
            if written_first:
                last_row, last_column = written_last, max(last_column, column)
            records += record
        self.written = RowRecords(self.first_row, signature, bytes(records))
        sums, deflated = (old.sums, old.deflated) if old is not None else (ChunkSums(), b"")
        return sums.with_kept(chunks, deflated), last_row, last_column

    def _any_rows(self, styled: dict[int, str]) -> tuple[str, int, int]:
        """The rows of blocks in any arrangement: each row's cells gathered by column."""
        out: list[str] = []
        texts: dict[tuple[str, bool], str] = {}
        last_row = last_column = 1
        for r in range(self.first_row, self.last_row + 1):
            found: dict[int, tuple[Any, bool]] = {}
            for top, left, rows, formulas, _ in self.blocks:  # later blocks win, as in openpyxl
                i = r - top
                if 0 <= i < len(rows):
                    for j, value in enumerate(rows[i], left):
                        if value is not None:
                            found[j] = (value, formulas)
            row, with_style = str(r), r <= self.styled_until
            cells: list[str] = []
            for c in sorted(found.keys() | (styled.keys() if with_style else set())):
                value, formulas = found.get(c, (None, False))
                column = [(f'<c r="{get_column_letter(c)}', styled.get(c, ""), c)]
                last_column = max(last_column, _emit(cells, row, [value], column, formulas, with_style, texts))
            if cells:
                out.append(f'<row r="{r}">{"".join(cells)}</row>')
                last_row = r
        return "".join(out), last_row, last_column


_InColumns = tuple[int, Sequence[list[Any]], bool, list[tuple[str, str, int]]]  # top, rows, formulas, columns


def _content(rows: Sequence[list[Any]], start: int, end: int) -> Any:
    """What a chunk's fingerprint takes of rows[start:end]: the rows, or for NumberedRows their
    pieces and row numbers (the same pieces and numbers make the same rows), not made."""
    if isinstance(rows, L.NumberedRows):
        numbers = range(rows.first, rows.last + 1)[start:end]
        return ("numbered", rows.pieces, numbers.start, len(numbers))
    return rows[start:end]


class Spliced(NamedTuple):
    """A sheet part as package_writer.write_chunked takes it: the XML before the rows, the rows
    a chunk at a time (one Reused for a run of chunks copied from the last import), the rest."""

    head: bytes
    chunks: list[Chunk]
    tail: bytes


# marshal's format 2 writes every value whole, never as a reference to an equal one written
# before: equal rows give equal bytes whichever objects hold them (and 3x faster than repr).
_EXACT = 2


def _digest(data: bytes) -> bytes:
    # SHA-256 where processors have instructions for it (most since 2017-2019) is twice as fast
    # as Python's own BLAKE2 here; 8 bytes of it tell changed rows apart.
    return hashlib.sha256(data).digest()[:8]


def _emit(cells: list[str], row: str, values: Sequence[Any], columns: list[tuple[str, str, int]], formulas: bool,
          with_style: bool, texts: dict[tuple[str, bool], str]) -> int:
    """Add to `cells` the <c> elements of one row's `values` in `columns` (each its element's
    opening up to the row number, its style attribute and its number) as openpyxl writes them;
    return the last column written (0: none)."""
    last = 0
    if len(values) < len(columns):
        values = [*values, *[None] * (len(columns) - len(values))]
    for value, (start, style, column) in zip(values, columns):
        if not with_style:
            style = ""
        if value is None:
            if not style:
                continue
            cells.append(f'{start}{row}"{style} t="n" />')
        elif type(value) is int and -BIG_INT < value < BIG_INT:
            cells.append(f'{start}{row}"{style} t="n"><v>{value}</v></c>')
        elif type(value) is str:
            key = (value, formulas)
            tail = texts.get(key) or texts.setdefault(key, _text_cell(value, formulas))
            cells.append(f'{start}{row}"{style}{tail}')
        else:
            cells.append(f'{start}{row}"{style}{_other_cell(value)}')
        last = column
    return last


def _text_cell(value: str, formulas: bool) -> str:
    """What follows a text cell's r and s attributes, as openpyxl writes it."""
    value = value[:MAX_TEXT]  # as openpyxl does
    if formulas and len(value) > 1 and value[0] == "=":
        return f"><f>{_text(value[1:])}</f><v /></c>"
    if formulas and value in ERROR_CODES:
        return f' t="e"><v>{_text(value)}</v></c>'
    if value == "":
        return ' t="inlineStr" />'
    stripped = value.strip()
    space = ' xml:space="preserve"' if stripped and stripped != value else ""
    return f' t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'


def _other_cell(value: Any) -> str:
    """What follows the r and s attributes of an empty, boolean or number cell."""
    if value is None:
        return ' t="n" />'
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        text = f"{value:.16g}" if math.isfinite(value) else ""  # as openpyxl writes a number ("%.16g")
        return f' t="n"><v>{text}</v></c>'
    raise TypeError(f"{type(value).__name__} is no cell value xlkp writes")


def _text(value: str) -> str:
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise IllegalCharacterError(f"{value!r} cannot be used in worksheets.")
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value
