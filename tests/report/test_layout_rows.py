"""Rows made once and numbered per row (`numbered`) are the rows made one by one."""

from __future__ import annotations

import pytest

from tests.report.report_data import publication
from xlkp.checks import check_sections
from xlkp.report import layout as L


def test_numbered_rows_are_made_once_and_numbered() -> None:
    calls = []

    def make(r: int | str) -> list:
        calls.append(r)
        return [f"=A{r}+SUM(B{r}:C{r})", None, 7, f"=$D${r}*2"]

    row = L.numbered(make)
    assert row(5) == make(5) and row(12345) == make(12345)
    calls.clear()
    assert [row(r) for r in range(2, 50)] == [make(r) for r in range(2, 50)]
    assert len(calls) == 48  # only the comparison above: `row` itself made none
    assert row(3) is not row(3)  # a fresh list for each row


def test_a_formula_holding_the_mark_is_made_row_by_row() -> None:
    label = f"Profiel{L.ROW_MARK}UWV"  # text from a PDF may hold anything
    row = L.numbered(lambda r: [f"=SUM(tbl[{label}])+A{r}"])
    assert row(7) == [f"=SUM(tbl[{label}])+A7"]


def _blocks(sheet: L.SheetLayout) -> list:
    return [(b.cell, b.rows, b.formulas) for b in sheet.blocks]


@pytest.mark.parametrize("labels", [None, ("Een", f"Twee{L.ROW_MARK}", "Drie", "Vier")])
def test_numbered_sheets_equal_sheets_made_row_by_row(labels, monkeypatch: pytest.MonkeyPatch) -> None:
    sections = publication("2021-Q4", "2022-Q1", defects=True).sections
    for section in sections:
        section.columns = labels
    data = L.Data(sections, check_sections(sections), L.table_labels(labels or L.DEFAULT_COLUMNS))
    sheets = (L._region_sheet, L._data_sheet, L._overview_sheet)
    fast = [_blocks(sheet(data)[0]) for sheet in sheets]
    monkeypatch.setattr(L, "numbered", lambda make, sample=2: make)
    slow = [_blocks(sheet(data)[0]) for sheet in sheets]
    assert fast == slow
