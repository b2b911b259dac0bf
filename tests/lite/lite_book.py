"""Shared by the xlwings Lite tests: a small sample, the empty workbook a Lite user starts from,
and running `tests/server_dispatch.py` for xlkp.lite in a CPython process of its own."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.addin.remote_book import payload as book_payload
from xlkp.model import Section
from xlkp.samples import sample_sections
from xlkp.samples.defects import inject_sample_defects

DISPATCH = Path(__file__).resolve().parents[1] / "server_dispatch.py"
SAMPLE_PDF = "klantprofielen 2021-Q1.pdf"

# Actions Lite cannot be relied on to carry out (its documentation confirms none of them): the
# writer must leave them out for Lite and fall back on what Lite has.
NOT_FOR_LITE = {
    "addChart", "setChartTitle", "addConditionalFormat", "setDataValidationList", "addPivotTable",
    "setColumnWidth", "setWrapText", "setHorizontalAlignment", "setSheetVisibility",
    "setSheetPosition", "alert",
}


def sample() -> list[Section]:
    """Four regions of one quarter, with the three deliberate mistakes: small enough for Pyodide."""
    sections = sample_sections("2021-Q1")[:4]
    inject_sample_defects(sections)
    return sections


def empty_book() -> dict:
    """The Office.js payload of the new, empty workbook a Lite user starts from."""
    book = openpyxl.Workbook()
    book.active.title = "Blad1"
    buffer = io.BytesIO()
    book.save(buffer)
    return book_payload(buffer.getvalue())


def dispatch(request: dict, folder: Path) -> dict:
    """Run `request` through xlwings' server dispatch in a CPython process of its own."""
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial",
               XLKP_LITE_DATA=str(folder))
    env.pop("XLKP_STORE", None)  # Lite keeps the store in its files folder
    result = subprocess.run([sys.executable, str(DISPATCH)], input=json.dumps(request),
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sheet_grid(actions: list[dict], name: str, kind: str = "setValues") -> dict[tuple[int, int], object]:
    """What `kind` actions wrote on sheet `name`: {(row, column): value}, 0-based."""
    position = next(a["args"][0] for a in actions if a["func"] == "addSheet" and a["args"][1] == name)
    grid = {}
    for action in actions:
        if action["func"] == kind and action["sheet_position"] == position:
            for i, row in enumerate(action["values"]):
                for j, value in enumerate(row):
                    grid[action["start_row"] + i, action["start_column"] + j] = value
    return grid


def rows_of(grid: dict[tuple[int, int], object]) -> list[list]:
    last_row = max(r for r, _ in grid)
    last_column = max(c for _, c in grid)
    return [[grid.get((r, c)) for c in range(last_column + 1)] for r in range(last_row + 1)]
