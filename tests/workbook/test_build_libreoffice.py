"""LibreOffice opens the built Klantprofielen.xlsm: its VBA importer lists our modules, the sheets read back."""

import json
import re
from pathlib import Path

from tests.libreoffice import require_soffice, run_uno_script
from xlkp.workbook import build

READ_BACK = """
import json, sys
doc = load(sys.argv[1])
libraries = doc.BasicLibraries
result = {"libraries": list(libraries.getElementNames()), "modules": {}, "sheets": {}}
if libraries.hasByName("VBAProject"):
    libraries.loadLibrary("VBAProject")
    library = libraries.getByName("VBAProject")
    result["modules"] = {name: library.getByName(name) for name in library.getElementNames()}
for sheet in doc.Sheets:
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    end = cursor.RangeAddress
    rows = sheet.getCellRangeByPosition(0, 0, min(end.EndColumn, 10), min(end.EndRow, 40)).DataArray
    result["sheets"][sheet.Name] = {"rows": [list(r) for r in rows], "visible": sheet.IsVisible,
                                    "code_name": sheet.CodeName}
doc.close(True)
print(json.dumps(result))
"""


def _code_lines(text: str) -> list[str]:
    lines = [line.strip() for line in re.split(r"\r\n|\r|\n", text)]
    return [line for line in lines if line and not line.startswith(("Attribute ", "Rem Attribute", "Option VBASupport"))]


def test_libreoffice_opens_the_workbook_with_our_modules_and_sheets(tmp_path: Path) -> None:
    require_soffice()
    info = build.build_workbook(tmp_path / "Klantprofielen.xlsm")
    _, names, modules = build.build_xlsm_bytes()

    result = json.loads(run_uno_script(READ_BACK, str(info.path)))

    assert "VBAProject" in result["libraries"]
    assert set(result["modules"]) == {m.name for m in modules}
    for module in modules:
        for line in _code_lines(module.code):
            assert line in result["modules"][module.name], f"{module.name}: {line!r}"
    assert list(result["sheets"]) == names
    assert {s["code_name"] for s in result["sheets"].values()} == set(build.code_names(names).values())
    config = {row[0]: row[1] for row in result["sheets"][build.CONFIG]["rows"] if row[0]}
    assert config["UDF Modules"] == "xlkp.addin.udfs"
    assert result["sheets"][build.CHANNEL]["visible"] is False
    start = [cell for row in result["sheets"][build.START]["rows"] for cell in row if cell]
    assert "Klantprofielen" in start
    headers = result["sheets"]["Gegevens"]["rows"][0]
    assert headers[:3] == ["Periode", "Regio", "Gemeente"]
