"""Rows made once and numbered per row (`numbered`) are the rows made one by one."""

from __future__ import annotations

import pytest

from tests.report.report_data import publication
from xlkp.checks import check_sections
from xlkp.report import layout as L
from xlkp.samples import national_table


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
    national = [national_table([s for s in sections if s.period == p], p) for p in ("2021-Q4", "2022-Q1")]
    data = L.Data(sections, check_sections(sections, national), L.table_labels(labels or L.DEFAULT_COLUMNS), national)

    def made() -> list:
        return [_blocks(L._region_sheet(data)[0]), _blocks(L._data_sheet(data)[0]),
                _blocks(L._overview_sheet(data)[0]), _blocks(L._national_sheet(data))]

    fast = made()
    monkeypatch.setattr(L, "numbered", lambda make, sample=2: make)
    assert fast == made()
