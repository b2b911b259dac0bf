"""LibreOffice's own VBA importer must find our modules in an .xlsm built around our vbaProject.bin."""

import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests import libreoffice
from tests.libreoffice import require_soffice, run_uno_script
from xlkp.workbook.vba import Module, build_vba_project, xlwings_modules

VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
MACRO_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"

OUR_MODULES = [
    Module("ThisWorkbook", "", kind="document"),
    Module("Sheet1", "", kind="document"),
    Module(
        "KlantProfielen",
        "Function KP_Answer() As Long\n    KP_Answer = 42\nEnd Function\n\n"
        'Sub KP_Hello()\n    MsgBox "Gemeente: Súdwest-Fryslân"\nEnd Sub\n',
    ),
    Module(
        "Teller", "Private n As Long\n\nPublic Sub Tel()\n    n = n + 1\nEnd Sub\n", kind="class"
    ),
]
MODULES = [*OUR_MODULES, *xlwings_modules()]


def minimal_xlsm(vba_bin: bytes) -> bytes:
    """An openpyxl workbook with `vba_bin` injected as a macro-enabled workbook's VBA project."""
    book = openpyxl.Workbook()
    book.code_name = "ThisWorkbook"
    book.active.title = "Blad1"
    book.active.sheet_properties.codeName = "Sheet1"
    book.active["A1"] = "xlkp"
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                text = data.decode().replace(XLSX_WORKBOOK_TYPE, MACRO_WORKBOOK_TYPE)
                override = (
                    f'<Override PartName="/xl/vbaProject.bin" ContentType="{VBA_CONTENT_TYPE}"/>'
                )
                data = text.replace("</Types>", override + "</Types>").encode()
            elif item.filename == "xl/_rels/workbook.xml.rels":
                relation = (
                    f'<Relationship Id="rIdVba" Type="{VBA_RELATIONSHIP}" Target="vbaProject.bin"/>'
                )
                data = (
                    data.decode()
                    .replace("</Relationships>", relation + "</Relationships>")
                    .encode()
                )
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", vba_bin)
    return out.getvalue()


LIST_MODULES = """
import json, sys
doc = load(sys.argv[1])
libraries = doc.BasicLibraries
result = {"libraries": list(libraries.getElementNames()), "modules": {}}
if libraries.hasByName("VBAProject"):
    libraries.loadLibrary("VBAProject")
    library = libraries.getByName("VBAProject")
    result["modules"] = {name: library.getByName(name) for name in library.getElementNames()}
if len(sys.argv) > 2:
    script = doc.getScriptProvider().getScript(
        "vnd.sun.star.script:VBAProject.KlantProfielen.%s?language=Basic&location=document" % sys.argv[2])
    result["answer"] = script.invoke((), (), ())[0]
doc.close(True)
print(json.dumps(result))
"""


def _code_lines(text: str) -> list[str]:
    lines = [line.strip() for line in re.split(r"\r\n|\r|\n", text)]
    return [
        line
        for line in lines
        if line and not line.startswith(("Attribute ", "Rem Attribute", "Option VBASupport"))
    ]


def test_libreoffice_imports_our_modules_and_xlwings(tmp_path: Path) -> None:
    require_soffice()
    path = tmp_path / "vba.xlsm"
    path.write_bytes(minimal_xlsm(build_vba_project(MODULES)))

    result = json.loads(run_uno_script(LIST_MODULES, str(path)))

    assert "VBAProject" in result["libraries"]
    assert set(result["modules"]) == {m.name for m in MODULES}
    for module in MODULES:
        imported = result["modules"][module.name]
        for line in _code_lines(module.code):
            assert line in imported, f"{module.name}: {line!r} missing from LibreOffice's import"


def test_libreoffice_runs_our_source(tmp_path: Path) -> None:
    # Without xlwings' modules: with either of them in the library, LibreOffice Basic runs nothing
    # (it does not compile their Declare PtrSafe / conditional-compilation code).
    require_soffice()
    path = tmp_path / "ours.xlsm"
    path.write_bytes(minimal_xlsm(build_vba_project(OUR_MODULES)))

    result = json.loads(run_uno_script(LIST_MODULES, str(path), "KP_Answer"))

    assert set(result["modules"]) == {m.name for m in OUR_MODULES}
    assert result["answer"] == 42


def test_missing_soffice_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(libreoffice, "soffice_path", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        require_soffice()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        require_soffice()
