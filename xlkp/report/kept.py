"""Cells a user made on the generated sheets, kept through a re-import (both writers).

What xlkp writes on a sheet is the rectangle from A1 to the last row and column that the sheet's
layout fills (its blocks, tables and formats): its *written area*. Each written sheet records its
area in a sheet-scoped defined name (AREA_NAME), so the next import knows it even when the user
added rows or the data grew. Every other non-empty cell of a generated sheet is the user's: on
re-import it comes back with its value or formula. A cell right of the old area moves right by
as many columns as the area grew (or shrank), a cell below it down by as many rows, so it keeps
its place beside or under what xlkp wrote and never lands inside it. Beside the Gegevens table
(in its rows, right of the written columns) a user's cell belongs to the row's quarter, region
and municipality: it follows that row to wherever it now stands (and goes with a row that is
no longer there), as a column added to a table does in Excel; columns the user added inside the
table's range stay in the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import get_column_letter, range_boundaries

from . import layout as L
from .columns import bounds

AREA_NAME = "xlkp_bereik"


@dataclass
class OldSheet:
    """What a writer found on a generated sheet before replacing it."""

    last_row: int  # the written area recorded when xlkp last wrote the sheet
    last_column: int
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)  # outside it; "=..." when a formula
    formulas: set[tuple[int, int]] = field(default_factory=set)  # which of `cells` are formulas
    keys: dict[int, tuple[str, ...]] = field(default_factory=dict)  # Gegevens: row -> its key
    table_columns: int = 0  # Gegevens: how many columns its table had


def written_area(sheet: L.SheetLayout) -> tuple[int, int]:
    """The last row and column the layout of `sheet` fills (user blocks not counted)."""
    refs = [b.ref for b in sheet.blocks if not b.user] + [t.ref for t in sheet.tables]
    refs += [f.ref if ":" in f.ref else f"{f.ref}:{f.ref}" for f in sheet.formats]
    for chart in sheet.charts:  # its place (a host without charts draws it in these cells)
        _, min_row, _, max_row = bounds(chart.source)
        refs.append(L.area(chart.anchor, max_row - min_row + 2, 1))
    last_row = last_column = 1
    for ref in refs:
        _, _, max_col, max_row = bounds(ref)
        last_row, last_column = max(last_row, max_row), max(last_column, max_col)
    return last_row, last_column


def area_reference(sheet: L.SheetLayout) -> str:
    last_row, last_column = written_area(sheet)
    return "=" + L.sheet_ref(sheet.name, f"$A$1:${get_column_letter(last_column)}${last_row}")


def parse_area(refers_to: str | None) -> tuple[int, int] | None:
    """(last row, last column) from an AREA_NAME definition; None when it is not one."""
    if not refers_to:
        return None
    try:
        _, _, max_col, max_row = range_boundaries(refers_to.lstrip("=").rpartition("!")[2].replace("$", ""))
    except (TypeError, ValueError):
        return None
    return (max_row, max_col) if max_row and max_col else None


def keep(book_layout: L.WorkbookLayout, old: dict[str, OldSheet]) -> None:
    """Add to each sheet of `book_layout` the user's cells of the sheet it replaces, as blocks."""
    for sheet in book_layout.sheets:
        found = old.get(sheet.name)
        if found is None or not found.cells:
            continue
        last_row, last_column = written_area(sheet)
        row_shift, column_shift = last_row - found.last_row, last_column - found.last_column
        moved = _rows_moved(sheet, found) if sheet.name == L.DATA else {}
        placed: dict[tuple[int, int], tuple[Any, bool]] = {}
        for (row, column), value in found.cells.items():
            if row in moved and column > found.last_column:
                new_row = moved[row]
                if new_row is None:
                    continue  # its row is gone from the table
                target = (new_row, column + column_shift)
            else:
                target = (row + row_shift if row > found.last_row else row,
                          column + column_shift if column > found.last_column else column)
            formula = (row, column) in found.formulas
            if formula and target != (row, column) and isinstance(value, str):
                value = Translator(value, origin=_a1(row, column)).translate_formula(_a1(*target))
            placed[target] = (value, formula)
        sheet.blocks += _blocks(placed)
        if sheet.name == L.DATA and found.table_columns > found.last_column:
            _widen_table(sheet, found.table_columns - found.last_column)


def _rows_moved(sheet: L.SheetLayout, found: OldSheet) -> dict[int, int | None]:
    """Gegevens: for each old data row with a user's cell beside the table, its new row (None: gone)."""
    columns = L.data_columns()
    data = next(b for b in sheet.blocks if not b.formulas and b.cell == columns.start(2))
    positions = [columns.position(key) for key in KEY_COLUMNS]
    where: dict[tuple[str, ...], int] = {}
    for offset, values in enumerate(data.rows):
        where.setdefault(tuple(str(values[p]) for p in positions), 2 + offset)
    return {row: where.get(key) for row, key in found.keys.items()}


KEY_COLUMNS = (L.PERIOD, L.REGION, L.MUNICIPALITY)  # what identifies a row of Gegevens


def key_rows(found: OldSheet) -> list[int]:
    """Gegevens: the old data rows holding a user's cell beside the table (their keys are needed)."""
    return sorted({row for row, column in found.cells if column > found.last_column and 2 <= row <= found.last_row})


def _widen_table(sheet: L.SheetLayout, extra: int) -> None:
    table = next(t for t in sheet.tables if t.name == L.DATA_TABLE)
    min_col, min_row, max_col, max_row = bounds(table.ref)
    table.ref = f"{_a1(min_row, min_col)}:{_a1(max_row, max_col + extra)}"


def _blocks(placed: dict[tuple[int, int], tuple[Any, bool]]) -> list[L.Block]:
    """Per column, one block of its values from its first to its last (empty between), then
    one block per run of formulas: a column the user added is one call, however long."""
    columns: dict[int, dict[int, tuple[Any, bool]]] = {}
    for (row, column), item in placed.items():
        columns.setdefault(column, {})[row] = item
    blocks: list[L.Block] = []
    for column, cells in sorted(columns.items()):
        values = {row: value for row, (value, formula) in cells.items() if not formula}
        if values:
            first, last = min(values), max(values)
            blocks.append(L.Block(_a1(first, column), [[values.get(r)] for r in range(first, last + 1)], user=True))
        run: list[list[Any]] = []
        start = 0
        for row in sorted(r for r, (_, formula) in cells.items() if formula):
            if run and row == start + len(run):
                run.append([cells[row][0]])
                continue
            if run:
                blocks.append(L.Block(_a1(start, column), run, formulas=True, user=True))
            run, start = [[cells[row][0]]], row
        if run:
            blocks.append(L.Block(_a1(start, column), run, formulas=True, user=True))
    return blocks


def _a1(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"
