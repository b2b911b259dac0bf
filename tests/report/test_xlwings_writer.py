"""The xlwings writer, through xlwings' remote engine: the actions Excel would apply.

Both writers walk the same layout; these tests hold the xlwings one to it item by item and
check that its number of Excel calls does not follow the number of rows.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from tests.report.report_data import INJECTION_NAMES, injection_publication, publication
from xlkp.checks import check_sections
from xlkp.importer import import_publications
from xlkp.report import layout as L
from xlkp.report import xlwings_writer
from xlkp.samples import make_section


@pytest.fixture(autouse=True)
def _remote(remote_engine) -> None:
    """Every test here drives the remote engine."""


def _actions(sections) -> tuple[list[dict], L.WorkbookLayout]:
    import xlwings as xw

    payload = {
        "version": xw.__version__,
        "client": "Office.js",
        "book": {"name": "Klantprofielen.xlsx", "active_sheet_index": 0},
        "sheets": [{"name": "Blad1", "values": [[]], "pictures": [], "tables": [], "charts": []}],
        "names": [],
    }
    book = xw.Book(json=payload)
    book_layout = L.build_layout(sections, check_sections(sections), ("a", "b", "c", "d"))
    xlwings_writer.render(book, book_layout)
    return book.json()["actions"], book_layout


def test_calls_do_not_grow_with_rows() -> None:
    small = publication("2021-Q1")
    # Five times the municipalities, every total still adding up.
    large = [
        make_section(s.period, s.name, [(f"{r.municipality} {i}", r.values) for i in range(5) for r in s.rows],
                     register=5 * s.register)
        for s in small.sections
    ]
    small_actions, _ = _actions(small.sections)
    large_actions, _ = _actions(large)
    assert Counter(a["func"] for a in small_actions) == Counter(a["func"] for a in large_actions)
    values = [a for a in large_actions if a["func"] == "setValues"]
    assert sum(len(s.rows) for s in large) in [len(a["values"]) for a in values]  # Gegevens in one call


def test_xlwings_writer_follows_the_layout_block_by_block() -> None:
    sections = publication("2021-Q1", "2021-Q2", defects=True).sections + injection_publication("2020-Q4").sections
    actions, book_layout = _actions(sections)
    writes = [a for a in actions if a["func"] in ("setValues", "setFormula")]
    blocks = [(s, b) for s in book_layout.sheets for b in s.blocks]
    assert len(writes) == len(blocks)
    for action, (_, block) in zip(writes, blocks):
        assert action["func"] == ("setFormula" if block.formulas else "setValues")
        # The remote engine sends an empty cell as "".
        expected = [["" if v is None else v if block.formulas else xlwings_writer.literal(v) for v in row]
                    for row in block.rows]
        assert action["values"] == expected
    data_block = book_layout.sheet(L.DATA).blocks[1]
    sent = next(a for a in writes if a["func"] == "setValues" and len(a["values"]) == len(data_block.rows))
    names = [row[2] for row in sent["values"]]
    assert all("'" + n in names for n in INJECTION_NAMES)
    assert "''s-Gravenhage" in names  # Excel would eat a single leading apostrophe

    counted = Counter(a["func"] for a in actions)
    sheets = book_layout.sheets
    assert counted["addTable"] == sum(len(s.tables) for s in sheets)
    assert counted["addConditionalFormat"] == sum(len(s.conditional_formats) for s in sheets)
    assert counted["setDataValidationList"] == sum(len(s.validations) for s in sheets)
    assert counted["rangeGroup"] == sum(len(s.row_groups) for s in sheets)
    assert counted["addChart"] == sum(len(s.charts) for s in sheets)
    tables = [a["args"][3] for a in actions if a["func"] == "addTable"]
    assert tables == [t.name for s in sheets for t in s.tables]


def test_both_writers_write_the_same_tables_and_rules(tmp_path: Path) -> None:
    pub = publication("2021-Q1", defects=True)
    actions, book_layout = _actions(pub.sections)
    out = tmp_path / "k.xlsx"
    import_publications([pub], out, use_store=False)
    book = openpyxl.load_workbook(out)
    in_file = sorted((ws.title, name, t.ref) for ws in book.worksheets for name, t in ((n, ws.tables[n]) for n in ws.tables))
    from_excel = sorted(
        (s.name, a["args"][3], a["args"][0].replace("$", ""))
        for a in actions if a["func"] == "addTable"
        for s in [book_layout.sheets[a["sheet_position"] - 1]]
    )
    assert in_file == from_excel
    rules_file = sorted(
        (ws.title, str(rng.sqref), rule.formula[0])
        for ws in book.worksheets for rng in ws.conditional_formatting for rule in rng.rules
    )
    rules_excel = sorted(
        (book_layout.sheets[a["sheet_position"] - 1].name, L.area(L.cell(a["start_row"] + 1, a["start_column"] + 1), a["row_count"], a["column_count"]), a["args"][0]["formula"][1:])
        for a in actions if a["func"] == "addConditionalFormat"
    )
    assert rules_file == rules_excel
