"""A generated sheet's long run of data rows as SpreadsheetML, written straight into the part
openpyxl saved: openpyxl makes several objects per cell and serialises each through an element
tree, most of an import into a workbook with years of quarters (benchmarks/import.py).

openpyxl still writes everything else of the sheet (its header, the first data row, tables,
formats, charts, print setup), so its styles stay the workbook's one source of style ids: the
rows written here copy each column's style from that first data row (the *template row*). A
sheet is only written so when every style below the template row is a column's format that runs
to one common last row, and no row below it has a height or outline of its own; otherwise
openpyxl writes all of it (`HeldRows.of` returns None).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from . import layout as L
from .columns import bounds

_VALUE_TYPES = (str, int, float, bool, type(None))
MAX_TEXT = 32767  # characters in a cell
_STYLE = re.compile(r'<c r="([A-Z]+)\d+" s="(\d+)"')
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')


@dataclass
class HeldRows:
    """The cells of a sheet's rows from `first_row` on, kept from openpyxl and written here."""

    first_row: int
    styled_until: int  # the last row the columns' formats cover (0: none go past the template row)
    styled: list[int] = field(default_factory=list)  # the columns those formats cover
    blocks: list[tuple[int, int, list[list[Any]], bool]] = field(default_factory=list)  # top, left, rows, formulas

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
            top, left = coordinate_to_tuple(block.cell)
            if top + len(block.rows) <= held.first_row:
                continue
            if block.user and any(not isinstance(v, _VALUE_TYPES) for row in block.rows for v in row):
                return None  # a date a user typed: openpyxl gives it its number format
            held.blocks.append((top, left, block.rows, block.formulas))
        return held if held.blocks else None

    @property
    def last_row(self) -> int:
        return max(top + len(rows) - 1 for top, _, rows, _ in self.blocks)

    def splice(self, part: bytes) -> bytes:
        """The sheet part openpyxl saved (rows up to the template row), with these rows added."""
        xml = part.decode("utf-8")
        template = re.search(rf'<row r="{self.first_row - 1}"[ >].*?</row>', xml, re.S)
        styles = dict(_STYLE.findall(template.group(0))) if template else {}
        styled = {c: f' s="{styles[get_column_letter(c)]}"' for c in self.styled if get_column_letter(c) in styles}
        rows, last_column = self._rows(styled)
        end = xml.rindex("</sheetData>")
        xml = xml[:end] + rows + xml[end:]
        old = _DIMENSION.search(xml)
        if old:
            first, _, corner = old.group(0).split('"')[1].partition(":")
            _, _, max_col, max_row = bounds(f"{first}:{corner or first}")
            corner = f"{get_column_letter(max(max_col, last_column))}{max(max_row, self.last_row)}"
            xml = xml.replace(old.group(0), f'<dimension ref="{first}:{corner}" />', 1)
        return xml.encode("utf-8")

    def _rows(self, styled: dict[int, str]) -> tuple[str, int]:
        """The rows' XML as openpyxl's etree writer makes it, and the last column written."""
        out: list[str] = []
        starts = {c: f'<c r="{get_column_letter(c)}' for c in self.styled}
        texts: dict[tuple[str, bool], str] = {}  # names and periods repeat on every row
        last_column = max(styled, default=1)
        for r in range(self.first_row, self.last_row + 1):
            cells: dict[int, tuple[Any, bool]] = {}
            for top, left, rows, formulas in self.blocks:  # later blocks win, as in openpyxl
                i = r - top
                if 0 <= i < len(rows):
                    for j, value in enumerate(rows[i], left):
                        if value is not None:
                            cells[j] = (value, formulas)
            with_style = r <= self.styled_until
            if with_style:
                for c in styled:
                    cells.setdefault(c, (None, False))
            if not cells:
                continue
            out.append(f'<row r="{r}">')
            row = str(r)
            for c in sorted(cells):
                value, formulas = cells[c]
                start = starts.get(c) or starts.setdefault(c, f'<c r="{get_column_letter(c)}')
                style = styled.get(c, "") if with_style else ""
                if type(value) is int and -10**16 < value < 10**16:
                    out.append(f'{start}{row}"{style} t="n"><v>{value}</v></c>')
                elif type(value) is str:
                    key = (value, formulas)
                    tail = texts.get(key) or texts.setdefault(key, _text_cell(value, formulas))
                    out.append(f'{start}{row}"{style}{tail}')
                else:
                    out.append(f'{start}{row}"{style}{_other_cell(value)}')
            last_column = max(last_column, c)
            out.append("</row>")
        return "".join(out), last_column


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
