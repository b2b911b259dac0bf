"""pdf_importeren inside real Pyodide (the runtime of xlwings Lite) under Node, against CPython.

Pyodide's core comes from the npm package `pyodide`; every other package is a wheel from a
local folder (`.ci/run` fetches them with `pip download`; xlkp's own wheel is built here from
the checkout). Nothing comes from Pyodide's CDN: what is not in those wheels or in Pyodide's
core (pandas, numpy, pdfplumber, matplotlib) is not there, which is the point of the test.
Under CI=true a missing Node, Pyodide or wheel fails the test; elsewhere it skips.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.lite.lite_book import SAMPLE_PDF, dispatch, empty_book
from xlkp import lite
from xlkp.report import layout as L

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("pyodide_run.mjs")
# The checkout's .cache (where .ci/run puts them), else the user's cache: one download serves
# every checkout (git worktrees) on a machine.
_CACHES = [ROOT / ".cache", Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "xlkp"]


def _cached(env: str, relative: str) -> Path:
    if os.environ.get(env):
        return Path(os.environ[env])
    return next((c / relative for c in _CACHES if (c / relative).is_dir()), _CACHES[0] / relative)


PYODIDE = _cached("XLKP_PYODIDE", "pyodide/node_modules/pyodide")
WHEELS = _cached("XLKP_PYODIDE_WHEELS", "pyodide-wheels")
# What xlkp.lite needs in Pyodide besides its core; emscripten builds where there is native code.
NEEDED = {
    "xlwings": "xlwings-*-pyemscripten_*_wasm32.whl",
    "pypdfium2": "pypdfium2-*-pyemscripten_*_wasm32.whl",
    "openpyxl": "openpyxl-*-none-any.whl",
    "et_xmlfile": "et_xmlfile-*-none-any.whl",
}


def _missing(what: str):
    message = f"{what} (run .ci/run, which installs Node, the npm package pyodide and the wheels)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> list[Path]:
    if shutil.which("node") is None:
        _missing("Node is not installed")
    if not (PYODIDE / "pyodide.mjs").is_file():
        _missing(f"the npm package pyodide is not in {PYODIDE}")
    found = []
    for name, pattern in NEEDED.items():
        matches = sorted(WHEELS.glob(pattern))
        if not matches:
            _missing(f"no {name} wheel ({pattern}) in {WHEELS}")
        found.append(matches[-1])
    # Built from a copy of the sources: an in-tree build/ could carry modules deleted since.
    source, built = tmp_path_factory.mktemp("xlkp-source"), tmp_path_factory.mktemp("xlkp-wheel")
    shutil.copytree(ROOT / "xlkp", source / "xlkp", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(built), str(source)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"building xlkp's wheel failed:\n{result.stderr}"
    return [*found, *built.glob("xlkp-*.whl")]


def test_pdf_importeren_in_pyodide_gives_the_actions_of_cpython(wheels, sample_folder, tmp_path) -> None:
    cpython_folder, pyodide_out = tmp_path / "cpython", tmp_path / "pyodide"
    cpython_folder.mkdir()
    shutil.copy(sample_folder / SAMPLE_PDF, cpython_folder)
    request = {"book": empty_book(), "scripts": ["pdf_importeren"], "calls": [["KP_PERIODS", []]]}
    request_file = tmp_path / "request.json"
    request_file.write_text(json.dumps(request))

    run = subprocess.run(
        ["node", str(RUNNER), str(PYODIDE), str(request_file), str(sample_folder), str(pyodide_out),
         *map(str, wheels)],
        capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stderr[-5000:]
    in_pyodide = json.loads(run.stdout)
    in_cpython = dispatch(request, cpython_folder)

    assert in_pyodide["platform"] == "emscripten"
    # Nothing that Pyodide lacks was needed (these are absent there, not merely unused).
    assert not {"pandas", "numpy", "pdfplumber", "win32com", "reportlab"} & set(in_pyodide["modules"])
    # The PDF was read with pypdfium2's bindings (the reader loads only pypdfium2_raw).
    assert "sqlite3" in in_pyodide["modules"] and "pypdfium2_raw" in in_pyodide["modules"]

    script, expected = in_pyodide["scripts"][0], in_cpython["scripts"][0]
    assert "FOUT" not in script["printed"], script["printed"]
    assert script["printed"] == expected["printed"]
    assert len(script["actions"]) > 50
    assert script["actions"] == expected["actions"]
    assert in_pyodide["calls"] == in_cpython["calls"] == [{"value": [["2021-Q1"]]}]
    assert in_pyodide["scripts_meta"] == in_cpython["scripts_meta"]
    assert in_pyodide["functions_meta"] == in_cpython["functions_meta"]

    # Pyodide wrote the complete workbook and the store into its files folder, like CPython.
    assert (pyodide_out / lite.STORE_FILE).is_file()
    made = openpyxl.load_workbook(pyodide_out / lite.WORKBOOK_FILE)
    assert set(L.SHEETS) <= set(made.sheetnames)
    assert [list(r) for r in made[L.DATA].iter_rows(values_only=True)] == [
        list(r) for r in openpyxl.load_workbook(cpython_folder / lite.WORKBOOK_FILE)[L.DATA].iter_rows(values_only=True)]
