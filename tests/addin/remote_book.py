"""A workbook file as xlwings' remote engine sees it: the JSON an Office.js client sends.

`xw.Book(json=payload(...))` then runs our macros on Linux, and `book.json()["actions"]` is what
Excel would be asked to do.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import xlwings as xw
from openpyxl.utils.cell import get_column_letter, range_boundaries


def _table(table) -> dict[str, Any]:
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    first, last = get_column_letter(min_col), get_column_letter(max_col)
    return {
        "name": table.displayName,
        "range_address": table.ref,
        "header_row_range_address": f"{first}{min_row}:{last}{min_row}",
        "data_body_range_address": f"{first}{min_row + 1}:{last}{max_row}",
        "total_row_range_address": None,
        "row_count": max_row - min_row + 1,
        "column_count": max_col - min_col + 1,
        "show_headers": True,
        "show_totals": False,
        "table_style": table.tableStyleInfo.name if table.tableStyleInfo else "",
        "show_autofilter": True,
        "show_table_style_first_column": False,
        "show_table_style_last_column": False,
        "show_table_style_row_stripes": True,
        "show_table_style_column_stripes": False,
    }


def payload(xlsm: bytes, values: dict[str, list[list]] | None = None) -> dict[str, Any]:
    """The client payload of a workbook; `values` replaces whole sheets' values (as displayed)."""
    book = openpyxl.load_workbook(io.BytesIO(xlsm))
    sheets = []
    for ws in book.worksheets:
        grid = [list(row) for row in ws.iter_rows(values_only=True)] or [[]]
        sheets.append(
            {
                "name": ws.title,
                "values": (values or {}).get(ws.title, grid),
                "pictures": [],
                "tables": [_table(t) for t in ws.tables.values()],
                "charts": [],
                "shapes": [],
                "notes": [],
                "pivot_tables": [],  # Office.js sends this when Excel has the pivot table API
                "show_gridlines": True,
                "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
                "print_area": None,
            }
        )
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": "Klantprofielen.xlsm", "active_sheet_index": 0, "selection": "A1"},
        "names": _sheet_names(book),
        "sheets": sheets,
    }


def _sheet_names(book) -> list[dict[str, Any]]:
    """The sheet-scoped defined names, as an Office.js client sends them."""
    names = []
    for index, ws in enumerate(book.worksheets):
        for name in ws.defined_names.values():
            address = name.attr_text.rpartition("!")[2].replace("$", "")
            names.append({"name": name.name, "refers_to": "=" + name.attr_text, "sheet_index": index,
                          "address": address, "book_scope": False, "scope_sheet_index": index,
                          "scope_sheet_name": ws.title})
    return names


def open_book(xlsm: bytes, values: dict[str, list[list]] | None = None):
    return xw.Book(json=payload(xlsm, values))
