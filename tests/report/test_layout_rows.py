"""The rows of the long sheets: made once and numbered per row (`numbered`) as if made one by one,
the same whatever quarter is added after them, and naming only tables that exist."""

from __future__ import annotations

import re

import pytest
from openpyxl.utils.cell import coordinate_to_tuple

from tests.report.report_data import injection_publication, publication
from xlkp.checks import SEVERITY, check_sections
from xlkp.model import Section
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


@pytest.mark.parametrize("cells", [["=A{r}+SUM(B{r}:C{r})"], ["=A{r}", "=$D${r}*2"], ["=A{r}", None, 7]])
def test_numbered_rows_are_the_rows_made_one_by_one(cells) -> None:
    calls = []

    def make(r: int | str) -> list:
        calls.append(r)
        return [cell.format(r=r) if isinstance(cell, str) else cell for cell in cells]

    rows = L.numbered_rows(make, 2, 1001)
    assert rows == [make(r) for r in range(2, 1002)]
    assert len(calls) == 2 + 1000  # the mark and the check, then only the comparison above
    assert L.numbered_rows(make, 5, 5) == [make(5)] and L.numbered_rows(make, 5, 4) == []


def test_a_formula_holding_the_mark_is_made_row_by_row() -> None:
    label = f"Profiel{L.ROW_MARK}UWV"  # text from a PDF may hold anything
    row = L.numbered(lambda r: [f"=SUM(tbl[{label}])+A{r}"])
    assert row(7) == [f"=SUM(tbl[{label}])+A7"]
    assert L.numbered_rows(lambda r: [f"=SUM(tbl[{label}])+A{r}"], 7, 8) == [[f"=SUM(tbl[{label}])+A{r}"] for r in (7, 8)]


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
    monkeypatch.setattr(L, "numbered_rows", lambda make, first, last: [make(r) for r in range(first, last + 1)])
    assert fast == made()


def _cells(sheet: L.SheetLayout) -> dict[tuple[int, int], object]:
    """Every cell the sheet's blocks write: (row, column) -> value or formula."""
    found = {}
    for block in sheet.blocks:
        top, left = coordinate_to_tuple(block.cell.replace("$", ""))
        for i, line in enumerate(block.rows):
            for j, value in enumerate(line):
                found[(top + i, left + j)] = value
    return found


def _layout(periods: tuple[str, ...]) -> L.WorkbookLayout:
    sections = publication(*periods, defects=True).sections
    national = [national_table([s for s in sections if s.period == p], p) for p in periods]
    return L.build_layout(sections, check_sections(sections, national), L.DEFAULT_COLUMNS, national)


@pytest.mark.parametrize("added", ["2022-Q1", "2023-Q2"])  # the next quarter, or one after a gap
def test_rows_of_the_quarters_present_do_not_change_when_a_later_quarter_is_added(added: str) -> None:
    # What lets an import copy the rows of the quarters it does not touch instead of making
    # them again: each row of the long sheets, formulas included, reads the same.
    before = _layout(("2021-Q2", "2021-Q3", "2021-Q4"))
    after = _layout(("2021-Q2", "2021-Q3", "2021-Q4", added))
    for name in (L.DATA, L.REGION_DATA, L.NATIONAL_SHEET):
        old, new = _cells(before.sheet(name)), _cells(after.sheet(name))
        changed = {at: (value, new.get(at)) for at, value in old.items() if new.get(at) != value}
        assert not changed, f"{name}: {list(changed.items())[:3]}"
        assert max(r for r, _ in new) > max(r for r, _ in old)  # the added quarter's rows are there


@pytest.mark.parametrize("periods,national", [((), ()), (("2021-Q4", "2022-Q1"), ("2022-Q1",)), ((), ("2022-Q1",))])
def test_every_table_a_formula_names_is_in_the_workbook(periods, national) -> None:
    sections = publication(*periods).sections
    tables = [national_table(publication(p).sections, p) for p in national]
    book = L.build_layout(sections, check_sections(sections, tables), L.DEFAULT_COLUMNS, tables)
    named = {name for sheet in book.sheets for block in sheet.blocks if block.formulas
             for line in block.rows for formula in line if isinstance(formula, str)
             for name in re.findall(r"\b(tbl\w+)\[", formula)}
    assert named <= {table.name for sheet in book.sheets for table in sheet.tables}
    assert L.QUARTERS_TABLE in named or not (periods or national)


def test_a_percentage_difference_on_controles_is_as_wide_as_it_shows() -> None:
    """'+2 procentpunt' fits its column (Excel and LibreOffice show ### for a number that does not)."""
    sections = publication("2021-Q1", defects=True).sections
    findings = check_sections(sections)
    points = [f for f in findings if L.is_percent_finding(f) and f.printed is not None and f.computed is not None]
    assert points  # the sample's defects hold a printed percentage that differs
    sheet = L.build_layout(sections, findings, L.DEFAULT_COLUMNS).sheet(L.CONTROLS)
    letter = L.CONTROLS_COLUMNS.ref(L.DIFFERENCE, 1).rstrip("1")
    shown = max(len(f"{f.printed - f.computed:+} procentpunt") for f in points)
    assert sheet.column_widths[letter] >= shown


def test_every_kind_of_finding_has_a_name_on_controles() -> None:
    assert set(SEVERITY) <= set(L.KIND_LABELS)


def test_numbered_rows_are_the_rows_they_stand_for() -> None:
    def make(r: int | str) -> list:
        return [f"=A{r}+B{r}", "vast", f"=SUM(C{r}:D{r})"]

    rows = L.numbered_rows(make, 8, 17)
    made = [make(r) for r in range(8, 18)]
    assert isinstance(rows, L.NumberedRows) and len(rows) == 10
    assert list(rows) == made and rows == made and repr(rows) == repr(made)
    assert rows[0] == made[0] and rows[-1] == made[-1] and rows[3:7] == made[3:7] and rows[::-3] == made[::-3]
    assert rows.width == L.rows_width(rows) == 3 and rows.longest() == made[-1]
    with pytest.raises(IndexError):
        rows[10]


def test_gegevens_names_the_rows_that_do_not_add_up_for_a_writer_without_conditional_formats() -> None:
    sections = publication("2021-Q1", "2021-Q2", defects=True).sections
    book = L.build_layout(sections, check_sections(sections), L.DEFAULT_COLUMNS)
    (rule,) = book.sheet(L.DATA).conditional_formats
    rows = [row for section in sections for row in section.rows]
    misadded = [L.data_columns().row(2 + at) for at, row in enumerate(rows) if sum(row.values) != row.total]
    assert misadded and rule.where == misadded


def test_gegevens_widths_are_those_of_fitting_every_cell() -> None:
    sections = [Section("2021-Q1", None, "Een regio zonder gemeenten, met een lange naam"),
                *publication("2021-Q1", "2021-Q2", defects=True).sections, *injection_publication("2021-Q2").sections]
    sheet = L.build_layout(sections, check_sections(sections), L.DEFAULT_COLUMNS).sheet(L.DATA)
    _, values, formulas, origins = (block.rows for block in sheet.blocks)
    assert sheet.column_widths == L.data_columns().fitted([*zip(*values), *zip(*formulas), *zip(*origins)])
