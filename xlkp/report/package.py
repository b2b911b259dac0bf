"""A workbook file that xlkp itself wrote last, read as its package parts: the data tables from
the copy the last import left in the package (data_copy.py) or else straight from the sheet XML,
and a copy of the package for openpyxl without the cells xlkp is about to replace.

openpyxl builds several objects for every cell it loads; on a workbook holding years of
quarters that is seconds, spent on cells an import replaces anyway. This module reads only
what xlkp wrote itself (the document says xlkp last saved it, and every cell is one of the
forms openpyxl writes); any other workbook, such as one Excel saved, is read by openpyxl
(`Package.open` returns None, or `table` raises UnknownForm).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from html import unescape
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree as ET

from . import data_copy
from .columns import bounds
from .kept import AREA_NAME, parse_area
from .package_writer import ChunkSums, inflated, stored_data

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CORE_MODIFIED_BY = re.compile(rb"<cp:lastModifiedBy>([^<]*)</cp:lastModifiedBy>")
# Every form of cell openpyxl writes for xlkp's sheets: a number, an inline string, a boolean,
# a formula, or an empty styled cell. Anything else is an UnknownForm.
_CELL = re.compile(
    r'<c r="([A-Z]+)(\d+)"(?: s="\d+")?(?: t="(n|b|inlineStr)")?'
    r'(?: />|>(?:<f>([^<]*)</f><v />|<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)</c>)'
)
_ROW = re.compile(rb'<row r="(\d+)"[^>]*>')
MAKER = "xlkp "  # how the document properties of a workbook xlkp saved begin (see openpyxl_writer)


class UnknownForm(ValueError):
    """A cell in a form xlkp does not write: openpyxl reads this workbook."""


class Package:
    """The parts of a workbook file xlkp wrote, by sheet name."""

    def __init__(self, path: Path, archive: zipfile.ZipFile):
        self.path = path
        self.archive = archive
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        targets = _relations(archive, "xl/_rels/workbook.xml.rels", "xl")
        self.sheets = {s.get("name", ""): targets[s.get(_REL, "")] for s in book.iter(f"{_MAIN}sheet")}
        self.areas: dict[str, tuple[int, int]] = {}
        names = [s.get("name", "") for s in book.iter(f"{_MAIN}sheet")]
        for defined in book.iter(f"{_MAIN}definedName"):
            local = defined.get("localSheetId")
            if defined.get("name") == AREA_NAME and local is not None and local.isdigit() and int(local) < len(names):
                area = parse_area(defined.text)
                if area is not None:
                    self.areas[names[int(local)]] = area
        self._parts: dict[str, bytes] = {}
        self._stored: dict[str, bytes] = {}  # part -> its data as stored
        self._tables: dict[str, dict[str, str]] = {}
        self._copy: data_copy.DataCopy | None | bool = False  # False: not looked for yet

    @classmethod
    def open(cls, path: str | Path) -> Package | None:
        """The package of `path` when xlkp saved it last; else None."""
        path = Path(path)
        try:
            archive = zipfile.ZipFile(path)
            core = archive.read("docProps/core.xml")
            found = _CORE_MODIFIED_BY.search(core)
            if found is None or not unescape(found.group(1).decode("utf-8")).startswith(MAKER):
                archive.close()
                return None
            return cls(path, archive)
        except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError):
            return None

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.archive.close()

    @property
    def copy(self) -> data_copy.DataCopy | None:
        """The data copy the last import left, if it was made with exactly these parts."""
        if self._copy is False:
            self._copy = data_copy.read(self.archive)
        return self._copy  # type: ignore[return-value]  # never False here

    def last_write(self) -> data_copy.LastWrite | None:
        """What the last import wrote, for the next to keep what is unchanged (None: no copy)."""
        copy = self.copy
        if copy is None:
            return None
        parts = {sheet: self._deflated(self.sheets[sheet]) for sheet in copy.rows if sheet in self.sheets}
        return data_copy.LastWrite(copy, parts, self._deflated(data_copy.PART))

    def sheet_part(self, sheet: str) -> bytes:
        if sheet not in self._parts:
            self._parts[sheet] = self.archive.read(self.sheets[sheet])
        return self._parts[sheet]

    def _deflated(self, part: str) -> bytes:
        """The part's data as stored in the file, deflated (b"": stored otherwise); read once, for
        both hollowing and the next write."""
        if part not in self._stored:
            info = self.archive.getinfo(part)
            self._stored[part] = stored_data(self.path, info) if info.compress_type == zipfile.ZIP_DEFLATED else b""
        return self._stored[part]

    def tables(self, sheet: str) -> dict[str, str]:
        """The sheet's tables: display name -> range (read once: Landelijk holds two)."""
        if sheet not in self._tables:
            self._tables[sheet] = self._read_tables(sheet)
        return self._tables[sheet]

    def _read_tables(self, sheet: str) -> dict[str, str]:
        part = self.sheets[sheet]
        found = {}
        for target in _relations(self.archive, _rels_part(part), str(PurePosixPath(part).parent)).values():
            if "/tables/" in target:
                table = ET.fromstring(self.archive.read(target))
                found[table.get("displayName", "")] = table.get("ref", "")
        return found

    def table(self, sheet: str, name: str) -> data_copy.Grid | None:
        """The table's header row and data rows, as openpyxl would read them but a formula cell
        as None (the formulas are xlkp's own; the data is what is typed in); None when the sheet
        or the table is missing. Raises UnknownForm for a cell xlkp does not write so."""
        if sheet not in self.sheets:
            return None
        copied = self.copy.tables.get(sheet, {}).get(name) if self.copy is not None else None
        if copied is not None:
            return copied.grid
        ref = self.tables(sheet).get(name)
        if not ref:
            return None
        min_col, min_row, max_col, max_row = bounds(ref)
        part = self.sheet_part(sheet)
        grid: list[list[Any]] = [[None] * (max_col - min_col + 1) for _ in range(max_row - min_row + 1)]
        start = _row_start(part, min_row)
        chunk = part[start:_after_row(part, max_row, start, part.rfind(b"</sheetData>"))].decode("utf-8")
        cells = _CELL.findall(chunk)
        if len(cells) != chunk.count("<c "):
            raise UnknownForm(f"{self.path}: {sheet}")
        columns = {_letters(c): c - min_col for c in range(min_col, max_col + 1)}
        for letters, row, kind, formula, number, text in cells:
            c = columns.get(letters)
            r = int(row) - min_row
            if c is None or not 0 <= r < len(grid) or formula or not (number or text):
                continue  # outside the table, a formula (xlkp's own) or empty
            if kind == "inlineStr":
                value: Any = _unescaped(text) if "&" in text else text
            elif kind == "b":
                value = bool(int(number))
            else:
                value = data_copy.number(number)
            grid[r][c] = value
        return grid[0], grid[1:]

    def hollowed(self, sheets: list[str], tables: tuple[str, ...] = ()) -> io.BytesIO:
        """A copy of the package in which each of `sheets` keeps only what an import reads of a
        sheet it replaces: the rows that hold a cell outside the area xlkp last wrote (a user's
        cells, which an import keeps), the sheet's properties (its code name) and, for the sheets
        in `tables`, its tables; not its charts, formats, columns or print settings. openpyxl
        loads it fast, and the sheets are written anew anyway."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            parts = {self.sheets[s]: s for s in sheets if s in self.sheets and s in self.areas}
            rels = {_rels_part(part): sheet for part, sheet in parts.items()}
            for info in self.archive.infolist():
                sheet = parts.get(info.filename)
                if info.filename == data_copy.PART:
                    continue  # nothing openpyxl reads
                entry = zipfile.ZipInfo(info.filename, info.date_time)  # writestr would change `info`
                if info.filename in rels:
                    if rels[info.filename] in tables:  # only its tables' relationships
                        copy.writestr(entry, _only_tables(self.archive.read(info.filename)))
                elif sheet is None:
                    copy.writestr(entry, self.archive.read(info.filename))
                else:
                    xml = self._around_rows(sheet) or self.sheet_part(sheet)
                    rows = _without_area_rows(xml, *self.areas[sheet], self._narrow_from(sheet))
                    copy.writestr(info.filename, _bare(rows, sheet in tables))
        out.seek(0)
        return out

    def _around_rows(self, sheet: str) -> bytes | None:
        """The sheet part without the rows the last import wrote in chunks, when none of them
        holds a cell outside the area (only its head and tail are inflated); else None."""
        records = self.copy.rows.get(sheet) if self.copy is not None else None
        if records is None or records.deflated_from < 0 or self._narrow_from(sheet) != records.first_row:
            return None
        last_row, _ = self.areas[sheet]
        if records.last_row() > last_row:
            return None
        deflated = self._deflated(self.sheets[sheet])
        end = records.deflated_from + ChunkSums(records.sums).deflated_length()
        if not records.deflated_from <= end <= len(deflated):
            return None
        return inflated(deflated[:records.deflated_from]) + inflated(deflated[end:])

    def _narrow_from(self, sheet: str) -> int | None:
        """The row from which on the last import recorded no cell right of the sheet's area
        (None: not known), so that those rows need no looking for a user's cells there."""
        records = self.copy.rows.get(sheet) if self.copy is not None else None
        if records is None or records.last_column() > self.areas[sheet][1]:
            return None
        return records.first_row


def _rels_part(part: str) -> str:
    """The relationships part of the package part `part`."""
    path = PurePosixPath(part)
    return str(path.parent / "_rels" / (path.name + ".rels"))


_WORKSHEET = re.compile(rb"^.*?<worksheet\b[^>]*>", re.S)
_SHEET_PROPERTIES = re.compile(rb"<sheetPr\b[^>]*/>|<sheetPr\b[^>]*>.*?</sheetPr>", re.S)
_TABLE_PARTS = re.compile(rb"<tableParts\b[^>]*/>|<tableParts\b[^>]*>.*?</tableParts>", re.S)
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*/>")


def _bare(xml: bytes, tables: bool) -> bytes:
    """The sheet part with its properties, its rows and (with `tables`) its table parts only;
    as it is when it has no rows element."""
    start, end = xml.find(b"<sheetData>"), xml.rfind(b"</sheetData>")
    opening = _WORKSHEET.match(xml)
    if start < 0 or end < 0 or opening is None:
        return xml
    properties = _SHEET_PROPERTIES.search(xml, opening.end(), start)
    parts = _TABLE_PARTS.search(xml, end) if tables else None
    return b"".join([opening.group(0), properties.group(0) if properties else b"", xml[start:end],
                     b"</sheetData>", parts.group(0) if parts else b"", b"</worksheet>"])


def _only_tables(rels: bytes) -> bytes:
    """A relationships part with only its relationships to tables."""
    return _RELATIONSHIP.sub(lambda found: found.group(0) if b'/relationships/table"' in found.group(0) else b"", rels)


def _relations(archive: zipfile.ZipFile, rels: str, folder: str) -> dict[str, str]:
    """Relationship id -> part name, for the relationships part `rels` of a part in `folder`."""
    try:
        tree = ET.fromstring(archive.read(rels))
    except KeyError:
        return {}
    found = {}
    for rel in tree.iter(_PKG_REL):
        target = rel.get("Target", "")
        found[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{folder}/{target}")
    return found


def _row_start(xml: bytes, first: int) -> int:
    """Where the first row numbered `first` or later starts (rows are in order)."""
    for found in _ROW.finditer(xml):
        if int(found.group(1)) >= first:
            return found.start()
    return len(xml)


def _unescaped(text: str) -> str:
    """Element text as an XML parser reads it (openpyxl's writer escapes only &, < and >)."""
    if "&#" in text:
        return unescape(text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _without_area_rows(xml: bytes, last_row: int, last_column: int, narrow_from: int | None = None) -> bytes:
    """The sheet part without its rows inside the written area, except those with a cell beyond
    it (which rows from `narrow_from` on are known not to have)."""
    start = xml.find(b"<sheetData>")
    end = xml.rfind(b"</sheetData>")
    if start < 0 or end < 0:
        return xml
    start += len(b"<sheetData>")
    after = _after_row(xml, last_row, start, end)
    narrow = xml.find(b'<row r="%d"' % narrow_from, start, after) if narrow_from is not None else -1
    wide = re.compile(rb'<c r="%s\d+"' % _columns_after(last_column).encode())  # a user's cell right of the area
    kept, seen = [], -1
    for found in wide.finditer(xml, start, after if narrow < 0 else narrow):
        row = xml.rfind(b"<row ", start, found.start())
        if row != seen:
            seen = row
            kept.append(xml[row:xml.index(b"</row>", found.start()) + len(b"</row>")])
    return b"".join([xml[:start], *kept, xml[after:]])


def _after_row(xml: bytes, last: int, start: int, end: int) -> int:
    """Where the rows numbered above `last` begin, between `start` and `end`."""
    at = xml.find(b'<row r="%d"' % last, start, end)
    if at >= 0:
        close = xml.index(b">", at)
        return close + 1 if xml[close - 1:close] == b"/" else xml.index(b"</row>", close) + len(b"</row>")
    for found in _ROW.finditer(xml, start, end):  # that row is empty
        if int(found.group(1)) > last:
            return found.start()
    return end


def _columns_after(column: int) -> str:
    """A pattern for the letters of every column right of `column`."""
    letters = _letters(column)
    options = [f"[A-Z]{{{len(letters) + 1},}}"]
    for i, letter in enumerate(letters):
        if letter != "Z":
            options.append(f"{letters[:i]}[{chr(ord(letter) + 1)}-Z][A-Z]{{{len(letters) - i - 1}}}")
    return "(?:" + "|".join(options) + ")"
