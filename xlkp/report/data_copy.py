"""A copy of what an import reads back, kept inside the workbook package by the import that
wrote it: the values of the data tables, a fingerprint of each long sheet's rows, and the
findings of each quarter, those only the PDF showed (stray control characters, a footnote naming
another region) included: the tables do not hold what they are about, so only the copy keeps
them on *Controles* through the next import.

Reading the tables back from years of quarters of sheet XML, and writing every row of it again,
is most of an import into a long history. The copy spares both: the next import reads the tables
from it (one JSON document) and copies each run of rows whose fingerprint is unchanged as it is
stored, deflated (package_writer). The copy's own longest table (Gegevens) comes last in it,
deflated in chunks of rows, so that the next write copies those of the rows it kept as stored too.

The copy holds only while the package is the very one it was made with: it records the CRC-32 of
every other part, and a reader that finds any part added, removed or changed ignores it. A
program that saves the workbook (Excel, LibreOffice, openpyxl) rewrites the parts and drops or
outdates the copy, and the next import reads the sheets themselves.

It is a package part of its own (`xlkp/tables.json`), related from the package root by a
relationship type of xlkp's own: a consumer shall ignore relationships and parts it does not know
(ECMA-376 Part 1, 9.1.6-9.1.7), so Excel and LibreOffice open the workbook as ever.
"""

from __future__ import annotations

import base64
import json
import math
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from operator import is_
from typing import TYPE_CHECKING, Any, NamedTuple

from openpyxl.cell.cell import ERROR_CODES

from .. import __version__
from ..model import Finding, as_dict

try:  # a tenth of json's time to write the copy's megabytes, about half to read them
    import orjson
except ImportError:  # xlwings Lite (Pyodide) has none: the standard library's json, the same bytes
    orjson = None  # type: ignore[assignment]

from .columns import bounds
from .package_writer import Chunk, ChunkSums, PackageWriter, Reused

if TYPE_CHECKING:
    from .layout import Placed

PART = "xlkp/tables.json"
RELATIONSHIP = "urn:xlkp:relationships:tables"
_CONTENT_TYPE = "application/json"
_FORMAT = 6  # 6: the longest table's rows last, deflated in chunks (5: SHA-256 fingerprints)
ROWS_PER_CHUNK = 256  # rows of the longest table deflated together (about 30 kB of JSON)
MAX_TEXT = 32767  # characters in a cell; openpyxl cuts longer text
BIG_INT = 10**16  # from here on openpyxl writes an int as a float ("%.16g")


class NotCopyable(ValueError):
    """A cell the sheet XML reader does not read back (package.UnknownForm): no copy is made."""


Grid = tuple[list[Any], list[list[Any]]]  # a table's header row and data rows


class Copied(NamedTuple):
    """A table as the copy holds it: where it stands, and its cells as they read back."""

    ref: str
    grid: Grid


CHUNK = 64  # rows with one fingerprint


@dataclass(frozen=True)
class RowRecords:
    """The fingerprints of a sheet's rows from `first_row` on, CHUNK rows at a time, as sheet_xml
    wrote them: for each chunk 8 bytes of digest of its content, then its last column (2 bytes)
    and its first and last row with cells (4 bytes each; 0: none)."""

    first_row: int
    signature: str  # digest of what every row's XML also depends on: the columns, their styles
    records: bytes
    # Where the chunks start in the part's deflated data, and their sums (package_writer), once written.
    deflated_from: int = -1
    sums: bytes = b""

    SIZE = 18
    TAIL = struct.Struct(">HII")  # after the digest: last column, first and last row with cells

    def record(self, index: int) -> bytes:
        """The record of chunk `index` (b"": none)."""
        at = index * self.SIZE
        return self.records[at:at + self.SIZE] if 0 <= at < len(self.records) else b""

    def last_row(self) -> int:
        """The last row any of the chunks has a cell in (0: none)."""
        return max((last for _, _, last in self._tails()), default=0)

    def last_column(self) -> int:
        """The last column any of the rows has a cell in (0: none)."""
        return max((column for column, _, _ in self._tails()), default=0)

    def _tails(self):
        return (self.TAIL.unpack_from(self.records, at + 8) for at in range(0, len(self.records), self.SIZE))


class Previous(NamedTuple):
    """A sheet part the last import wrote: its rows' fingerprints, its chunks' sums, and its
    deflated data from the first chunk on."""

    records: RowRecords
    sums: ChunkSums
    deflated: bytes


@dataclass(frozen=True)
class LongRows:
    """Where the copy's longest table stands: its rows come last in the copy, deflated
    `per_chunk` at a time from `deflated_from` on (package_writer), so that the next write
    copies the chunks whose rows did not change as they are stored."""

    sheet: str
    table: str
    per_chunk: int
    deflated_from: int
    sums: bytes


@dataclass
class DataCopy:
    tables: dict[str, dict[str, Copied]]  # sheet -> table name -> table
    rows: dict[str, RowRecords]  # sheet -> its long run of rows
    long: LongRows | None = None  # where the longest table's chunks stand, as read back
    # Per quarter the findings the import that wrote the copy gave (WorkbookLayout.findings);
    # None when it was another version of xlkp, whose checks may differ.
    findings: dict[str, list[Finding]] | None = None


@dataclass
class LastWrite:
    """What the last import wrote, as the next one finds it: its data copy, and the deflated data
    of the parts of the sheets whose rows it fingerprinted."""

    copy: DataCopy
    deflated: dict[str, bytes]  # sheet -> its part's data as stored
    copy_deflated: bytes = b""  # the copy's own part as stored

    def rows(self, sheet: str) -> Previous | None:
        records = self.copy.rows.get(sheet)
        if records is None or sheet not in self.deflated or records.deflated_from < 0:
            return None
        return Previous(records, ChunkSums(records.sums), self.deflated[sheet][records.deflated_from:])

    def table(self, sheet: str, name: str) -> Copied | None:
        return self.copy.tables.get(sheet, {}).get(name)

    @property
    def findings(self) -> dict[str, list[Finding]] | None:
        return self.copy.findings


Runs = list[tuple[int, int]]  # first and last row of each run of rows kept from the last import


def number(text: str) -> int | float | None:
    """A number cell's value as it reads back from its `<v>` text."""
    if not text:
        return None
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


def as_read(value: Any, formulas: bool) -> Any:
    """A value written into a cell (of a formula block or not) as the sheet XML reader reads it
    back; a formula, which xlkp makes itself, as None."""
    if value is None:
        return None
    kind = type(value)
    if kind is str:
        if formulas and len(value) > 1 and value[0] == "=":
            return None
        if formulas and value in ERROR_CODES:
            raise NotCopyable(value)
        return value[:MAX_TEXT] or None
    if kind is bool:
        return value
    if kind is int and -BIG_INT < value < BIG_INT:
        return value
    if isinstance(value, (int, float)):
        return number(f"{value:.16g}" if math.isfinite(value) else "")  # as the cell is written
    raise NotCopyable(type(value).__name__)


def table_values(blocks: Sequence[Placed], ref: str, kept: tuple[Runs, Copied] | None = None) -> Grid:
    """The grid of the table at `ref`, from the sheet's blocks (later blocks win, as in the
    sheet), each cell as it reads back. `kept`: the runs of rows kept unchanged from the last
    import, with its table's ref and grid, whose rows are taken as they are."""
    min_col, min_row, max_col, max_row = bounds(ref)
    width = max_col - min_col + 1
    grid: list[list[Any] | None] = [None] * (max_row - min_row + 1)  # a row made when a block reaches it
    anew = [(min_row, max_row)]  # the runs of rows not taken from the last import's grid
    if kept is not None:
        runs, (old_ref, (_, old_rows)) = kept
        old_min_col, old_min_row, old_max_col, _ = bounds(old_ref)
        if (old_min_col, old_min_row, old_max_col) == (min_col, min_row, max_col):
            anew = []
            after = min_row - 1  # the last row dealt with
            for first, last in sorted(runs):
                first, last = max(first, min_row + 1, after + 1), min(last, max_row, min_row + len(old_rows))
                if first <= last:
                    grid[first - min_row:last - min_row + 1] = old_rows[first - min_row - 1:last - min_row]
                    anew.append((after + 1, first - 1))
                    after = last
            anew.append((after + 1, max_row))
    overlapping = _overlapping([(top, left, len(rows), width) for top, left, rows, _, width in blocks])
    for top, left, rows, formulas, width in blocks:
        start, end = max(left, min_col), min(left + width, max_col + 1)
        if start >= end:
            continue
        convert = _formula_cells if formulas else _value_cells
        for r in (r for low, high in anew for r in range(max(top, low), min(top + len(rows) - 1, high) + 1)):
            values = rows[r - top][start - left:end - left]
            target = grid[r - min_row]
            if target is None:
                target = grid[r - min_row] = [None] * width
            if overlapping:  # a later block's empty cell leaves an earlier block's value
                for c, value in enumerate(convert(values), start - min_col):
                    if value is not None or values[c - start + min_col] is not None:
                        target[c] = value
            else:
                target[start - min_col:start - min_col + len(values)] = convert(values)
    rows_read = [row if row is not None else [None] * width for row in grid]
    return rows_read[0], rows_read[1:]


def _value_cells(values: list[Any]) -> list[Any]:
    """as_read for the cells of a block of values, with the common cases inline."""
    return [v if v is None or (t := type(v)) is int and -BIG_INT < v < BIG_INT or t is str and 0 < len(v) <= MAX_TEXT
            else as_read(v, False) for v in values]


def _formula_cells(values: list[Any]) -> list[Any]:
    return [None if v is None or type(v) is str and len(v) > 1 and v[0] == "=" else as_read(v, True) for v in values]


def _overlapping(rectangles: list[tuple[int, int, int, int]]) -> bool:
    """Whether any two of the (top, left, height, width) rectangles share a cell."""
    for i, (top, left, height, width) in enumerate(rectangles):
        for other_top, other_left, other_height, other_width in rectangles[i + 1:]:
            if (top < other_top + other_height and other_top < top + height
                    and left < other_left + other_width and other_left < left + width):
                return True
    return False


def declare(parts: dict[str, bytes]) -> None:
    """Give the package `parts` the copy's content type and its relationship from the root."""
    parts.pop(PART, None)  # an older copy: write() adds the new one
    types = parts["[Content_Types].xml"].decode("utf-8")
    if f'PartName="/{PART}"' not in types:
        override = f'<Override PartName="/{PART}" ContentType="{_CONTENT_TYPE}"/>'
        parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode("utf-8")
    rels = parts["_rels/.rels"].decode("utf-8")
    if RELATIONSHIP not in rels:
        rel = f'<Relationship Id="rIdXlkpTables" Type="{RELATIONSHIP}" Target="/{PART}"/>'
        parts["_rels/.rels"] = rels.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")


def write(archive: PackageWriter, copy: DataCopy, previous: LastWrite | None = None) -> None:
    """Add `copy` to `archive` as its last part, naming the CRC-32 of every part written before
    it (worked out as they were written). The longest table's rows go last, a chunk at a time:
    a chunk of the rows `previous` (the last write) held in the same place is copied deflated."""
    sizes = {(sheet, name): len(table.grid[1]) for sheet, tables in copy.tables.items() for name, table in tables.items()}
    long = max(sizes, key=sizes.__getitem__, default=None)
    document = {
        "format": _FORMAT,
        "parts": dict(archive.crcs),
        "tables": {sheet: {name: {"ref": table.ref, "header": table.grid[0],
                                  "rows": None if (sheet, name) == long else table.grid[1]}
                           for name, table in tables.items()}
                   for sheet, tables in copy.tables.items()},
        "rows": {sheet: {"first_row": r.first_row, "signature": r.signature,
                         "records": base64.b64encode(r.records).decode("ascii"),
                         "deflated_from": r.deflated_from, "sums": base64.b64encode(r.sums).decode("ascii")}
                 for sheet, r in copy.rows.items()},
        "findings": None if copy.findings is None else {
            "checked_by": __version__,
            "quarters": {period: list(map(as_dict, found)) for period, found in copy.findings.items()},
        },
    }
    if long is None:
        archive.write(PART, _json_bytes(document))
        return
    sheet, name = long
    rows = copy.tables[sheet][name].grid[1]
    head = b"".join([_json_bytes(document)[:-1], b',"long":{"sheet":', _json_bytes(sheet), b',"table":',
                     _json_bytes(name), b',"rows":['])

    def tail(start: int, sums: ChunkSums) -> bytes:
        return b'],"per_chunk":%d,"deflated_from":%d,"sums":"%s"}}' % (ROWS_PER_CHUNK, start, base64.b64encode(sums.data))

    try:
        chunks = _row_chunks(rows, _last_chunks(previous, sheet, name))
    except ValueError:  # the last write's chunks are damaged (or their sums): all rows anew
        chunks = _row_chunks(rows, None)
    archive.write_chunked(PART, head, chunks, tail)


def _last_chunks(previous: LastWrite | None, sheet: str, name: str) -> tuple[list[list[Any]], ChunkSums, bytes] | None:
    """The rows of the table the last write chunked, their sums and its deflated data from the
    first chunk on; None when that write chunked another table, or none."""
    long = previous.copy.long if previous is not None else None
    if previous is None or long is None or (long.sheet, long.table, long.per_chunk) != (sheet, name, ROWS_PER_CHUNK):
        return None
    old = previous.copy.tables.get(sheet, {}).get(name)
    if old is None or not previous.copy_deflated:
        return None
    return old.grid[1], ChunkSums(long.sums), previous.copy_deflated[long.deflated_from:]


def _row_chunks(rows: list[list[Any]], last: tuple[list[list[Any]], ChunkSums, bytes] | None) -> list[Chunk]:
    """The rows as JSON, ROWS_PER_CHUNK at a time (each but the first after a comma); a whole
    chunk of the very rows the last write chunked in the same place (rows an import kept: then
    their JSON is the same too) as that write's deflated chunk, checked before any row is made JSON."""
    old_rows, old_sums, old_deflated = last if last is not None else ([], ChunkSums(), b"")
    firsts: list[int | None] = []  # the first row of each chunk; None: the last write's chunk
    for index, first in enumerate(range(0, len(rows), ROWS_PER_CHUNK)):
        end = first + ROWS_PER_CHUNK
        same = (end <= min(len(rows), len(old_rows)) and index < len(old_sums)
                and all(map(is_, rows[first:end], old_rows[first:end])))
        firsts.append(None if same else first)
    return [chunk if isinstance(chunk, Reused) else (b"," if chunk else b"") + _json_bytes(rows[chunk:chunk + ROWS_PER_CHUNK])[1:-1]
            for chunk in old_sums.with_kept(firsts, old_deflated)]


def _json_bytes(document: Any) -> bytes:
    if orjson is not None:
        return orjson.dumps(document)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _findings(recorded: Any) -> dict[str, list[Finding]] | None:
    if not recorded or recorded.get("checked_by") != __version__:
        return None
    return {period: [Finding(**fields) for fields in found] for period, found in recorded["quarters"].items()}


def read(archive: zipfile.ZipFile) -> DataCopy | None:
    """The copy in `archive`, or None: absent, unreadable, or not made with exactly these parts."""
    try:
        document = (orjson or json).loads(archive.read(PART))
        if document.get("format") != _FORMAT:
            return None
        recorded = document["parts"]
        present = {info.filename: info.CRC for info in archive.infolist() if info.filename != PART}
        if present != recorded:
            return None
        tables = {sheet: {name: Copied(table["ref"], (table["header"], table["rows"])) for name, table in found.items()}
                  for sheet, found in document["tables"].items()}
        long = None
        chunked = document.get("long")
        if chunked is not None:
            long = LongRows(chunked["sheet"], chunked["table"], chunked["per_chunk"], chunked["deflated_from"],
                            base64.b64decode(chunked["sums"]))
            ref, (header, _) = tables[long.sheet][long.table]
            tables[long.sheet][long.table] = Copied(ref, (header, chunked["rows"]))
        if any(table.grid[1] is None for found in tables.values() for table in found.values()):
            return None
        rows = {sheet: RowRecords(r["first_row"], r["signature"], base64.b64decode(r["records"]),
                                  r["deflated_from"], base64.b64decode(r["sums"]))
                for sheet, r in document["rows"].items()}
        return DataCopy(tables, rows, long, _findings(document.get("findings")))
    except (KeyError, ValueError, TypeError, IndexError, AttributeError, zipfile.BadZipFile):
        return None
