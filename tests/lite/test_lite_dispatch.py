"""xlkp.lite's scripts and functions through xlwings' server dispatch in CPython, as xlwings Lite
runs them: the actions Excel would be sent, the files written to Lite's files folder, the store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.libreoffice import run_uno_script
from tests.lite.lite_book import (
    NOT_FOR_LITE,
    SAMPLE_PDF,
    book_payload,
    dispatch,
    empty_book,
    rows_of,
    sample,
    sheet_grid,
)
from xlkp import lite
from xlkp.addin import udfs
from xlkp.checks import check_sections
from xlkp.parse import read_publication
from xlkp.report import layout as L
from xlkp.samples import render_pdf, sample_sections

SCRIPTS = ["pdf_importeren", "totalen_controleren", "regio_overzicht", "functies", "over"]


@pytest.fixture(scope="module")
def imported(sample_folder, tmp_path_factory) -> tuple[dict, Path, list]:
    """pdf_importeren on an empty workbook, with three function calls after it."""
    folder = tmp_path_factory.mktemp("lite-files")
    shutil.copy(sample_folder / SAMPLE_PDF, folder)
    sections = read_publication(folder / SAMPLE_PDF).sections
    row, region = sections[1].rows[2], sections[1]
    calls = [
        ["KP_TOTAL", [row.municipality, "2021-Q1"]],
        ["KP_COVERAGE", [region.name]],
        ["KP_PERIODS", []],
    ]
    result = dispatch({"book": empty_book(), "scripts": ["pdf_importeren"], "calls": calls}, folder)
    return result, folder, sections


def test_lite_registers_the_five_scripts_and_the_kp_functions(imported) -> None:
    result, _, _ = imported
    assert sorted(s["function_name"] for s in result["scripts_meta"]) == sorted(SCRIPTS)
    assert sorted(f["name"] for f in result["functions_meta"]) == sorted(n for n in udfs.__all__ if n.startswith("KP_"))


def test_importing_lite_on_a_desktop_leaves_the_store_setting_alone() -> None:
    probe = "import os, xlkp.lite; print(os.environ.get('XLKP_STORE', '-'))"
    env = {k: v for k, v in os.environ.items() if k not in ("XLKP_STORE", lite.DATA_ENV)}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "-"


def test_the_functions_are_the_classic_ones_not_copies() -> None:
    for name in (n for n in udfs.__all__ if n.startswith("KP_")):
        assert getattr(lite, name) is getattr(udfs, name)


def test_pdf_importeren_writes_every_number_of_the_sample(imported) -> None:
    result, _, sections = imported
    script = result["scripts"][0]
    actions = script["actions"]
    data = rows_of(sheet_grid(actions, L.DATA))
    assert data[0][:3] == [L.PERIOD, L.REGION, L.MUNICIPALITY]
    written = [tuple(r[:8]) for r in data[1:]]
    expected = [(s.period, s.name, r.municipality, *r.values, r.total) for s in sections for r in s.rows]
    assert written == expected
    regions = rows_of(sheet_grid(actions, L.REGION_DATA))
    assert [r[3:9] for r in regions[1:]] == [[*s.region_total.values, s.region_total.total, s.register]
                                            for s in sections]
    assert "4 regio's over 2021-Q1" in script["printed"] and lite.WORKBOOK_FILE in script["printed"]


def test_pdf_importeren_writes_the_overview_formulas_of_the_layout(imported) -> None:
    result, _, sections = imported
    actions = result["scripts"][0]["actions"]
    expected = L.build_layout(sections, check_sections(sections), sections[0].columns or L.DEFAULT_COLUMNS)
    blocks = [b for b in expected.sheet(L.OVERVIEW).blocks if b.formulas]
    formulas = sheet_grid(actions, L.OVERVIEW, "setFormula")
    for block in blocks:
        row0, col0 = (n - 1 for n in openpyxl.utils.cell.coordinate_to_tuple(block.cell))
        for i, row in enumerate(block.rows):
            for j, formula in enumerate(row):
                assert formulas[row0 + i, col0 + j] == (formula if formula is not None else "")


def test_pdf_importeren_leaves_out_what_lite_cannot_do_and_falls_back(imported) -> None:
    result, _, sections = imported
    actions = result["scripts"][0]["actions"]
    assert not NOT_FOR_LITE & {a["func"] for a in actions}
    # The flags: the rows and cells the conditional formats would colour get the flag colour.
    flag = "#" + L.STYLES["flag"]["fill"]
    position = {a["args"][1]: a["args"][0] for a in actions if a["func"] == "addSheet"}
    coloured = {(a["sheet_position"], a["start_row"], a["start_column"], a["column_count"])
                for a in actions if a["func"] == "setRangeColor" and a["args"] == [flag]}
    # inject_sample_defects: a wrong row total (first row: the row, and so its region's Totaal
    # against TOTAAL AMR), a wrong first column total (second region), a wrong percentage (third).
    data, regions = position[L.DATA], position[L.REGION_DATA]
    assert {c for c in coloured if c[0] == data} == {(data, 1, 0, len(L.DATA_COLUMNS))}
    assert {c for c in coloured if c[0] == regions} == {
        (regions, 1, 7, 1), (regions, 2, 3, 1), (regions, 3, 9, 1),  # H, D, J
        (regions, 1, 11, 1), (regions, 2, 11, 1), (regions, 3, 11, 1),  # the Controle column
        (regions, 1, 12, 1), (regions, 3, 13, 1),  # Verschil (Totaal) and Verschil (procentpunt)
    }
    # The charts: bars drawn in the cells for the coverage, a note for the composition.
    charts = sheet_grid(actions, L.CHARTS, "setFormula")
    bars = [v for v in charts.values() if "REPT" in str(v)]
    assert len(bars) == len(sections)
    notes = [v for v in sheet_grid(actions, L.CHARTS).values() if str(v).startswith("Grafiek:")]
    assert len(notes) == 1 and lite.WORKBOOK_FILE in notes[0]


def test_pdf_importeren_fills_the_store_the_functions_read(imported) -> None:
    result, folder, sections = imported
    assert (folder / lite.STORE_FILE).is_file()
    row, region = sections[1].rows[2], sections[1]
    total, coverage, periods = result["calls"]
    assert total == {"value": [[row.total]]}
    assert coverage["value"][0][0] == pytest.approx(region.region_total.total / region.register)
    assert periods == {"value": [["2021-Q1"]]}


_ERRORS_SCRIPT = """
import json
doc = load(sys.argv[1])
try:
    doc.calculateAll()
    formulas, errors = 0, []
    for sheet in doc.Sheets:
        cells = sheet.queryContentCells(16).getCells().createEnumeration()  # FORMULA
        while cells.hasMoreElements():
            cell = cells.nextElement()
            formulas += 1
            if cell.getError():
                errors.append([sheet.Name, cell.AbsoluteName, cell.getError()])
    print("@@JSON@@" + json.dumps({"sheets": list(doc.Sheets.ElementNames), "formulas": formulas,
                                   "errors": errors, "charts": sum(s.Charts.Count for s in doc.Sheets)}))
finally:
    doc.close(True)
"""


def test_the_complete_workbook_in_the_files_folder_recalculates_in_libreoffice(imported) -> None:
    _, folder, _ = imported
    path = folder / lite.WORKBOOK_FILE
    assert set(L.SHEETS) <= set(openpyxl.load_workbook(path).sheetnames)
    report = json.loads(run_uno_script(_ERRORS_SCRIPT, str(path)).split("@@JSON@@", 1)[1])
    assert report["formulas"] > 100
    assert report["errors"] == []
    assert report["charts"] == 4  # the file has the real charts Lite cannot draw


def test_the_other_scripts_work_on_the_imported_workbook(imported) -> None:
    _, folder, _ = imported
    book = book_payload((folder / lite.WORKBOOK_FILE).read_bytes())
    result = dispatch({"book": book, "scripts": SCRIPTS[1:]}, folder)
    by_name = {s["name"]: s for s in result["scripts"]}
    for script in by_name.values():
        assert not NOT_FOR_LITE & {a["func"] for a in script["actions"]}
        assert "FOUT" not in script["printed"], script["printed"]
    controls = by_name["totalen_controleren"]
    assert [a["args"][1] for a in controls["actions"] if a["func"] == "addSheet"] == [L.CONTROLS]
    assert "4 regiotabellen" in controls["printed"] and "bevinding" in controls["printed"]
    overview = by_name["regio_overzicht"]
    assert [a["args"][1] for a in overview["actions"] if a["func"] == "addSheet"] == [L.OVERVIEW]
    assert "draaitabel" in overview["printed"] and "addPivotTable" not in str(overview["actions"])
    names = set(sheet_grid(by_name["functies"]["actions"], "Functies").values())
    assert {n for n in udfs.__all__ if n.startswith("KP_")} <= names
    assert str(folder / lite.STORE_FILE) in by_name["over"]["printed"]
    # The help says where the store lives in Lite and what clearing the Office cache does.
    assert "Office-cache" in by_name["over"]["printed"]
    assert any("Office-cache" in str(v) for v in sheet_grid(by_name["functies"]["actions"], "Functies").values())


def test_a_second_quarter_dropped_beside_the_first_adds_to_the_workbook_and_the_store(imported, tmp_path) -> None:
    _, first_folder, _ = imported
    folder = tmp_path / "files"
    folder.mkdir()
    shutil.copy(first_folder / SAMPLE_PDF, folder)
    shutil.copy(first_folder / lite.STORE_FILE, folder)
    render_pdf(sample_sections("2021-Q2")[:4], folder / "tweede kwartaal.pdf")
    book = book_payload((first_folder / lite.WORKBOOK_FILE).read_bytes())
    result = dispatch({"book": book, "scripts": ["pdf_importeren"], "calls": [["KP_PERIODS", []]]}, folder)
    script = result["scripts"][0]
    assert "2 kwartalen" in script["printed"] and "FOUT" not in script["printed"]
    data = rows_of(sheet_grid(script["actions"], L.DATA))
    assert {r[0] for r in data[1:]} == {"2021-Q1", "2021-Q2"}
    assert result["calls"] == [{"value": [["2021-Q1"], ["2021-Q2"]]}]
    made = openpyxl.load_workbook(folder / lite.WORKBOOK_FILE)
    assert {r[0] for r in made[L.DATA].iter_rows(min_row=2, values_only=True)} == {"2021-Q1", "2021-Q2"}


@pytest.mark.parametrize("content", [None, b"%PDF-1.4\n%truncated"])
def test_no_pdf_or_a_bad_pdf_changes_nothing_and_says_why(tmp_path, content) -> None:
    if content is not None:
        (tmp_path / "kapot.pdf").write_bytes(content)
    result = dispatch({"book": empty_book(), "scripts": ["pdf_importeren"]}, tmp_path)
    script = result["scripts"][0]
    assert script["actions"] == []
    lines = script["printed"].strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("FOUT: ")
    assert ("kapot.pdf" if content else "Geen PDF") in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if content is None else ["kapot.pdf"])


_WITHOUT = """
import importlib.abc, sys
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {"pandas", "pdfplumber", "win32com", "pythoncom", "pywintypes", "reportlab"}:
            raise ImportError("not in Pyodide: " + name)
sys.meta_path.insert(0, Refuse())
import xlkp.lite
from xlkp.parse import read_publication
print(len(read_publication(sys.argv[1]).sections))
"""


def test_lite_and_the_pdf_reader_need_no_pandas_pdfplumber_or_pywin32(sample_folder, tmp_path) -> None:
    env = {"XLKP_LITE_DATA": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", _WITHOUT, str(sample_folder / SAMPLE_PDF)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(sample()))

