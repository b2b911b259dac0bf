"""The ribbon's macros, driven through xlwings' remote engine on the built Klantprofielen.xlsm.

The engine records what Excel would be asked to do (`book.json()["actions"]`); these tests
check those actions, the store the KP_ functions read, and that a failure changes nothing.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import xlwings as xw

from tests.addin.remote_book import open_book
from xlkp.addin import macros, udfs
from xlkp.checks import check_publication
from xlkp.importer import import_publications
from xlkp.model import SAMPLE_MARK
from xlkp.parse import read_publication
from xlkp.report import layout as L
from xlkp.samples import render_pdf, sample_sections
from xlkp.samples.defects import inject_sample_defects
from xlkp.store import Store
from xlkp.workbook import build

# Every macro here runs against a store of its own in tmp_path.
pytestmark = pytest.mark.usefixtures("store_path")


@pytest.fixture(scope="module")
def xlsm() -> bytes:
    return build.build_xlsm_bytes()[0]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfs")
    sections = sample_sections("2021-Q1")
    small, large = sections[:3], sections
    # Quotes of both kinds and a semicolon: nothing of the path may be read as code.
    paths = {"three": folder / "Klant\"profielen 's-Hertogenbosch; 3.pdf", "all": folder / "all.pdf",
             "q2": folder / "q2.pdf"}
    render_pdf(small, paths["three"])
    render_pdf(large, paths["all"])
    paths["all_with_errors"] = folder / "all-with-errors.pdf"
    inject_sample_defects(large)
    render_pdf(large, paths["all_with_errors"])
    render_pdf(sample_sections("2021-Q2")[:3], paths["q2"])
    return paths


def with_paths(xlsm: bytes, *paths: Path, values: dict | None = None):
    channel = [[len(paths)], *[[str(p)] for p in paths]]
    return open_book(xlsm, {**(values or {}), build.CHANNEL: channel})


def actions(book) -> list[dict]:
    return book.json()["actions"]


def alerts(book) -> list[list]:
    return [a["args"] for a in actions(book) if a["func"] == "alert"]


def written(book) -> list:
    """Every value and formula written, flattened."""
    out = []
    for action in actions(book):
        if action["func"] in ("setValues", "setFormula"):
            out += [v for row in action["values"] for v in row]
    return out


# ---- PDF importeren ----------------------------------------------------------------------------


def test_chosen_path_with_quotes_is_read_as_is(xlsm, pdfs) -> None:
    book = with_paths(xlsm, pdfs["three"], pdfs["q2"])
    assert macros.chosen_paths(book) == [pdfs["three"], pdfs["q2"]]


def test_import_writes_data_flags_summary_and_updates_the_store(xlsm, pdfs, store_path, monkeypatch) -> None:
    book = with_paths(xlsm, pdfs["three"])
    message = macros.import_pdf(book)

    assert message and "3 regio's" in message
    assert message.endswith(f"Let op: {SAMPLE_MARK} in 2021-Q1 (een voorbeeldpublicatie).")
    assert alerts(book) == [[message, "Klantprofielen", "ok", "info", ""]]
    sections = read_publication(pdfs["three"]).sections
    values = written(book)
    for section in sections:
        assert section.name in values
        for row in section.rows:
            assert row.municipality in values
    funcs = Counter(a["func"] for a in actions(book))
    tables = [a["args"][3] for a in actions(book) if a["func"] == "addTable"]
    # 3 of 35 regions: the incomplete publication is a warning on Controles.
    assert tables == [L.CONTROLS_TABLE, L.DATA_TABLE, L.REGION_TABLE, L.NATIONAL_TABLE, L.LABELS_TABLE,
                      L.QUARTERS_TABLE]
    assert funcs["addConditionalFormat"] >= 4  # the flags on Gegevens and Regiototalen
    assert funcs["addChart"] == 4  # two bar charts on Grafieken, two line charts on Trend
    added = [a["args"][1] for a in actions(book) if a["func"] == "addSheet"]
    assert set(L.SHEETS) <= set(added)
    # Replaced sheets go back to their places; the start sheet stays first.
    assert [sheet.name for sheet in book.sheets] == openpyxl.load_workbook(io.BytesIO(xlsm)).sheetnames
    # The store the KP_ functions read has the quarter, and the functions answer from it.
    with Store.open(store_path, create=False) as store:
        assert store.periods() == ["2021-Q1"]
    row = sections[-1].rows[-1]
    assert udfs.KP_PERIODS() == [["2021-Q1"]]
    assert udfs.KP_TOTAL(row.municipality, "2021-Q1") == row.total
    # The functions see the next import at once, long before they would look at the store again.
    monkeypatch.setattr(udfs, "RECHECK_SECONDS", 3600)
    assert macros.import_pdf(with_paths(xlsm, pdfs["q2"]))
    assert udfs.KP_PERIODS() == [["2021-Q1"], ["2021-Q2"]]
    # The paths are cleared once the import has succeeded.
    assert any(a["func"] == "rangeClearContents" for a in actions(book))


def test_calls_do_not_follow_the_size_of_the_publication(xlsm, pdfs) -> None:
    # One after the other: the remote engine sends an alert to the app's active (last opened) book.
    small = with_paths(xlsm, pdfs["three"])
    assert macros.import_pdf(small)
    # Three regions of 35 are an incomplete publication, a finding; the whole one gets findings
    # too, so both write a Controles table.
    large = with_paths(xlsm, pdfs["all_with_errors"])
    assert macros.import_pdf(large)
    count_small = Counter(a["func"] for a in actions(small))
    count_large = Counter(a["func"] for a in actions(large))
    extra_regions = 35 - 3
    # Hundreds of municipalities more are written in the same number of calls. What grows with
    # the regions is the overview's outline: one group per region (at most 35); with the
    # findings, a percentage's two number formats on Controles (shown as %, Verschil in procentpunten).
    percentages = sum(L.is_percent_finding(f) for f in check_publication(read_publication(pdfs["all_with_errors"])))
    assert percentages == 1
    difference = count_large - count_small
    assert dict(difference) == {"rangeGroup": extra_regions, "setNumberFormat": 2 * percentages}
    assert not (count_small - count_large)
    per_sheet = Counter(a["sheet_position"] for a in actions(large)) - Counter(
        a["sheet_position"] for a in actions(small))
    assert len(per_sheet) == 2  # the Regio-overzicht and Controles


def test_a_second_quarter_keeps_the_first(xlsm, pdfs, tmp_path) -> None:
    target = tmp_path / "Klantprofielen.xlsm"
    target.write_bytes(xlsm)
    import_publications([read_publication(pdfs["three"])], target, use_store=False)
    values = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
              for ws in openpyxl.load_workbook(target).worksheets}
    book = with_paths(target.read_bytes(), pdfs["q2"], values=values)
    message = macros.import_pdf(book)
    assert message, alerts(book)
    assert "2 kwartalen" in message
    periods = {v for v in written(book) if v in ("2021-Q1", "2021-Q2")}
    assert periods == {"2021-Q1", "2021-Q2"}


@pytest.mark.parametrize("content", [b"", b"not a pdf at all", b"%PDF-1.4\n%truncated"])
def test_a_bad_file_changes_nothing_and_says_why_once(xlsm, pdfs, tmp_path, content, store_path) -> None:
    bad = tmp_path / "kapot.pdf"
    bad.write_bytes(content)
    book = with_paths(xlsm, pdfs["three"], bad)
    assert macros.import_pdf(book) is None
    assert [a["func"] for a in actions(book)] == ["alert"]  # nothing written, one message
    prompt, title, _, mode, _ = alerts(book)[0]
    assert "kapot.pdf" in prompt and title == "Klantprofielen" and mode == "critical"
    assert "Traceback" not in prompt
    assert not store_path.exists()  # the store is untouched as well


def test_no_file_chosen(xlsm) -> None:
    book = open_book(xlsm)
    assert macros.import_pdf(book) is None
    assert [a["func"] for a in actions(book)] == ["alert"]
    assert "Geen bestand" in alerts(book)[0][0]


# ---- Totalen controleren, Regio-overzicht ------------------------------------------------------


@pytest.fixture
def imported(xlsm, pdfs, tmp_path) -> tuple[bytes, dict[str, list[list]]]:
    """The workbook after an import of three regions: file bytes and each sheet's values."""
    target = tmp_path / "Klantprofielen.xlsm"
    target.write_bytes(xlsm)
    import_publications([read_publication(pdfs["three"])], target, use_store=False)
    book = openpyxl.load_workbook(target)
    return target.read_bytes(), {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_check_totals_sees_an_edit_and_rewrites_the_controls(imported) -> None:
    data, values = imported
    grid = [list(row) for row in values[L.DATA]]
    total_col = grid[0].index(L.TOTAL_LABEL)
    edited = grid[1][2]
    grid[1][total_col] += 7  # the user typed a wrong total
    book = open_book(data, {L.DATA: grid})

    message = macros.check_totals(book)

    # The row total is off, and with it the sum of the Totaal column against TOTAAL AMR; the
    # three regions of 35 are a warning.
    assert message and "3 bevindingen (2 fouten, 1 waarschuwing)" in message
    assert [a["args"][1] for a in actions(book) if a["func"] == "addSheet"] == [L.CONTROLS]
    assert "sheetDelete" in [a["func"] for a in actions(book)]
    assert {"Rijtotaal", "Kolomtotaal (TOTAAL AMR)", edited} <= set(written(book))
    assert {L.DATA, L.REGION_DATA} & {a["args"][1] for a in actions(book) if a["func"] == "addSheet"} == set()


def test_check_totals_on_an_empty_workbook_says_so(xlsm) -> None:
    book = open_book(xlsm)
    assert macros.check_totals(book) is None
    assert [a["func"] for a in actions(book)] == ["alert"]
    assert "importeer eerst" in alerts(book)[0][0]


def test_region_overview_rebuilds_the_summary_and_adds_a_pivot_table(imported) -> None:
    data, values = imported
    book = open_book(data, values)
    assert macros.region_overview(book)
    funcs = [a["func"] for a in actions(book)]
    pivots = [a["args"] for a in actions(book) if a["func"] == "addPivotTable"]
    assert pivots == [[macros.PIVOT_NAME, "table", L.DATA_TABLE, "$A$3"]]
    fields = [a["args"][1:] for a in actions(book) if a["func"] == "addPivotField"]
    assert ["rows", L.REGION] in fields and ["rows", L.MUNICIPALITY] in fields
    assert ["filters", L.PERIOD] in fields
    assert funcs.count("addPivotValueField") == 5
    added = [a["args"][1] for a in actions(book) if a["func"] == "addSheet"]
    assert added == [L.OVERVIEW, macros.PIVOT_SHEET]
    names = [sheet.name for sheet in book.sheets]
    assert names.index(L.OVERVIEW) == 1 and names.index(macros.PIVOT_SHEET) == 2


# ---- Functies, Over ----------------------------------------------------------------------------


def test_functions_sheet_lists_every_function_with_an_example(xlsm) -> None:
    book = open_book(xlsm)
    assert macros.functions_help(book)
    values = written(book)
    for name in (n for n in udfs.__all__ if n.startswith("KP_")):
        assert name in values
    assert "'=KP_COVERAGE(\"Alkmaar\")" in values  # shown as text
    formulas = [v for a in actions(book) if a["func"] == "setFormula" for row in a["values"] for v in row]
    assert '=KP_COVERAGE("Alkmaar")' in formulas  # and evaluated beside it
    assert '=KP_TOTAL("Noord-Holland Noord","2021-Q1")' in formulas


def test_about_names_the_versions_and_the_store(xlsm, store_path) -> None:
    book = open_book(xlsm)
    text = macros.about(book)
    assert f"xlwings {xw.__version__}" in text and "Python 3." in text and str(store_path) in text
    assert alerts(book) == [[text, "Klantprofielen", "ok", "info", ""]]


def test_about_lists_the_stored_quarters_and_which_are_samples(xlsm, pdfs, store_path) -> None:
    from tests.history_data import AS_PUBLISHED
    from xlkp.samples import sample_sections

    assert "Kwartalen" not in macros.about_text(open_book(xlsm))  # no store yet
    macros.import_pdf(with_paths(xlsm, pdfs["three"]))  # a sample: 2021-Q1
    real = store_path.parent / "echt.pdf"
    render_pdf(sample_sections("2021-Q2")[:2], real, AS_PUBLISHED)
    macros.import_pdf(with_paths(xlsm, real))
    text = macros.about(open_book(xlsm))
    assert text.splitlines()[-1] == f"Kwartalen in de opslag: 2021-Q1 ({SAMPLE_MARK}), 2021-Q2"


def test_macros_module_imports_without_excel() -> None:
    import importlib
    import subprocess
    import sys

    assert importlib.import_module("xlkp.addin.macros")
    probe = "import sys, xlkp.addin.macros; print('pythoncom' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip() == "False"
