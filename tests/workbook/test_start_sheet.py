"""The Start sheet of the committed workbook and the README give the same install steps."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from xlkp.workbook.build import INSTALL_COMMAND, INSTALL_STEPS, START

ROOT = Path(__file__).resolve().parents[2]


def test_start_sheet_and_readme_give_the_same_install_steps():
    sheet = openpyxl.load_workbook(ROOT / "workbook" / "Klantprofielen.xlsm", keep_vba=True)[START]
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    for step in INSTALL_STEPS:
        assert step in text
    assert "pip install xlkp" not in text  # no package index has it
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    windows = readme[readme.index("## In Excel (Windows)"):]
    windows = windows[: windows.index("\n## ", 1)]
    assert f"`{INSTALL_COMMAND}`" in windows and "Interpreter_Win" in windows
    assert "pyproject.toml" in windows and "pyproject.toml" in INSTALL_STEPS[1]
