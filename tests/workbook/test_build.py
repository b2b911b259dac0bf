"""workbook/Klantprofielen.xlsm: built from source, its ribbon, VBA project and settings sheet."""

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import olefile
import openpyxl
import pytest

from tests.workbook.vba_reference import read_vba_modules
from xlkp.addin import macros, udfs
from xlkp.cli import main
from xlkp.workbook import build
from xlkp.workbook.udf_wrappers import xlwings_wrapper_text
from xlkp.workbook.vba import XLWINGS_VERSION

COMMITTED = Path(__file__).resolve().parents[2] / "workbook" / "Klantprofielen.xlsm"
CUSTOM_UI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(scope="module")
def built() -> tuple[bytes, list[str], list]:
    return build.build_xlsm_bytes()


@pytest.fixture(scope="module")
def package(built) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(built[0])) as z:
        return {name: z.read(name) for name in z.namelist()}


def ribbon_subs() -> dict[str, str]:
    """Public Sub name -> its parameter list, from Ribbon.bas."""
    code = build.ribbon_module().code
    return dict(re.findall(r"^Public Sub (\w+)\(([^)]*)\)", code, flags=re.M))


# ---- the package ------------------------------------------------------------------------------


def test_build_is_deterministic(built) -> None:
    again, _, _ = build.build_xlsm_bytes()
    assert again == built[0]


def test_committed_workbook_is_what_the_build_writes(package) -> None:
    assert COMMITTED.exists(), "run `xlkp workbook build` and commit workbook/Klantprofielen.xlsm"
    with zipfile.ZipFile(COMMITTED) as z:
        committed = {name: z.read(name) for name in z.namelist()}
    # Part by part (a zlib version may deflate differently; the contents must not differ).
    assert sorted(committed) == sorted(package)
    changed = [name for name in package if committed[name] != package[name]]
    assert not changed, f"stale parts {changed}: run `xlkp workbook build` and commit the file"


def test_committed_workbook_embeds_the_installed_xlwings() -> None:
    with zipfile.ZipFile(COMMITTED) as z:
        modules = read_vba_modules(z.read("xl/vbaProject.bin"))
    constant = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', modules["xlwings"])
    assert constant and constant[1] == XLWINGS_VERSION
    # The DLL that the module loads is named after the version too.
    assert f"xlwings64-{XLWINGS_VERSION}.dll" in modules["xlwings"]
    import xlwings

    assert xlwings.__version__ == XLWINGS_VERSION


def test_ribbon_part_relationship_and_content_types(package) -> None:
    root_rels = ET.fromstring(package["_rels/.rels"])
    ui = [r for r in root_rels if r.get("Type") == build.UI_RELATIONSHIP]
    assert [r.get("Target") for r in ui] == [build.CUSTOM_UI_PART]
    workbook_rels = ET.fromstring(package["xl/_rels/workbook.xml.rels"])
    assert [r.get("Target") for r in workbook_rels if r.get("Type") == build.VBA_RELATIONSHIP] == ["vbaProject.bin"]
    types = package["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert 'PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"' in types
    assert ET.fromstring(package[build.CUSTOM_UI_PART]).tag == f"{{{CUSTOM_UI_NS}}}customUI"


def test_every_ribbon_action_is_a_callback_with_the_ribbon_signature(package) -> None:
    actions = build.ribbon_actions(package[build.CUSTOM_UI_PART])
    subs = ribbon_subs()
    assert len(actions) == 5 and len(set(actions)) == 5
    for action in actions:
        assert action in subs, f"onAction {action} has no Public Sub in Ribbon.bas"
        assert re.fullmatch(r"\s*\w+\s+As\s+IRibbonControl\s*", subs[action]), subs[action]


def test_buttons_have_dutch_labels_icons_and_screentips(package) -> None:
    root = ET.fromstring(package[build.CUSTOM_UI_PART])
    buttons = [n for n in root.iter(f"{{{CUSTOM_UI_NS}}}button")]
    assert [b.get("label") for b in buttons] == [
        "PDF importeren", "Totalen controleren", "Regio-overzicht", "Functies", "Over"]
    assert all(b.get("imageMso") and b.get("screentip") and b.get("supertip") for b in buttons)
    assert [t.get("label") for t in root.iter(f"{{{CUSTOM_UI_NS}}}tab")] == ["Klantprofielen"]


def test_each_callback_runs_a_macro_that_exists() -> None:
    code = build.ribbon_module().code
    called = re.findall(r'^\s*RunMacro "(\w+)"', code, flags=re.M)
    assert sorted(called) == sorted(["import_pdf", "check_totals", "region_overview", "functions_help", "about"])
    for name in called:
        assert callable(getattr(macros, name))


def test_no_path_reaches_a_runpython_command() -> None:
    code = build.ribbon_module().code
    constants = dict(re.findall(r'^Private Const (\w+) As String = (".*")\s*$', code, flags=re.M))
    runs = re.findall(r"^\s*RunPython (.+)$", code, flags=re.M)
    assert runs, "the ribbon module calls RunPython"
    for expression in runs:
        # Only string literals, our constants and RunMacro's `name` parameter.
        names = set(re.findall(r"\b[A-Za-z_]\w*\b", re.sub(r'"[^"]*"', "", expression)))
        assert names <= set(constants) | {"name"}, expression
    for literal in re.findall(r'RunMacro "([^"]*)"', code):
        assert re.fullmatch(r"\w+", literal)
    # The chosen files go into the hidden sheet, and only there.
    assert 'ThisWorkbook.Worksheets(CHANNEL)' in code and constants["CHANNEL"] == f'"{build.CHANNEL}"'
    assert re.search(r"RunMacro \w", code) is None  # never a variable as macro name


def test_no_macro_runs_on_open(package) -> None:
    modules = read_vba_modules(package["xl/vbaProject.bin"])
    for name, code in modules.items():
        assert not re.search(r"\b(Workbook_Open|Auto_Open|Workbook_Activate)\b", code), name
    assert b"onLoad" not in package[build.CUSTOM_UI_PART]


# ---- the VBA project --------------------------------------------------------------------------


def test_vba_project_read_back_holds_every_module_as_written(built, package) -> None:
    _, sheet_names, modules = built
    read = read_vba_modules(package["xl/vbaProject.bin"])
    assert set(read) == {m.name for m in modules}
    for module in modules:
        assert read[module.name].replace("\r\n", "\n") == module.source.replace("\r\n", "\n")
    ole = olefile.OleFileIO(package["xl/vbaProject.bin"])
    assert {"/".join(p) for p in ole.listdir()} >= {f"VBA/{m.name}" for m in modules}
    names = [m.name for m in modules]
    assert names[:1] == ["ThisWorkbook"] and {"xlwings", "Dictionary", "xlwings_udfs", "Ribbon"} <= set(names)


def test_xlwings_module_keeps_its_licence_header(package) -> None:
    read = read_vba_modules(package["xl/vbaProject.bin"])
    assert "xlwings is distributed under a BSD 3-clause license." in read["xlwings"]
    assert "Copyright (C) 2014-present, Zoomer Analytics LLC." in read["xlwings"]
    assert "Attribute VB_Name = \"Dictionary\"" in read["Dictionary"]


def test_document_modules_match_the_code_names(built, package) -> None:
    _, sheet_names, modules = built
    documents = {m.name for m in modules if m.kind == "document"}
    workbook = ET.fromstring(package["xl/workbook.xml"])
    assert workbook.find(f"{{{MAIN_NS}}}workbookPr").get("codeName") == "ThisWorkbook"
    book = openpyxl.load_workbook(io.BytesIO(built[0]), keep_vba=True)
    code_names = {ws.sheet_properties.codeName for ws in book.worksheets}
    assert None not in code_names
    assert documents == code_names | {"ThisWorkbook"}
    assert book.sheetnames == sheet_names


def test_udf_wrappers_are_xlwings_own_for_every_function(package) -> None:
    read = read_vba_modules(package["xl/vbaProject.bin"])["xlwings_udfs"]
    functions = sorted(n for n in udfs.__all__ if n.startswith("KP_"))
    wrapped = sorted(re.findall(r"^Function (KP_\w+)\(", read, flags=re.M))
    assert wrapped == functions
    for name in functions:
        assert f'XLPy.CallUDF("xlkp.addin.udfs", "{name}", ' in read
    # Our module is xlwings' generated text plus the descriptions MacroOptions would store.
    ours = [line for line in read.replace("\r\n", "\n").split("\n") if ".VB_Description = " not in line]
    assert "\n".join(ours).strip() == xlwings_wrapper_text().strip()
    assert 'Function KP_COVERAGE(area, Optional period)' in read
    assert 'Function KP_VALUE(area, column, Optional period)' in read
    # What the wrappers need from the standalone module.
    xlwings_code = read_vba_modules(package["xl/vbaProject.bin"])["xlwings"]
    assert re.search(r"^Function XLPy\(\)", xlwings_code, flags=re.M)
    assert '#Const App = "Microsoft Excel"' in read


def test_udf_wrapper_generation_leaves_xlwings_as_it_was() -> None:
    import sys

    import xlwings

    before = (xlwings.func, xlwings.arg, "pythoncom" in sys.modules)
    xlwings_wrapper_text()
    assert (xlwings.func, xlwings.arg, "pythoncom" in sys.modules) == before


# ---- the sheets -------------------------------------------------------------------------------


def test_sheets_settings_and_channel(built) -> None:
    book = openpyxl.load_workbook(io.BytesIO(built[0]))
    assert book.sheetnames[0] == build.START
    assert {"Regio-overzicht", "Gegevens", "Regiototalen", "Controles"} <= set(book.sheetnames)
    config = {row[0]: row[1] for row in book[build.CONFIG].iter_rows(max_col=2, values_only=True) if row[0]}
    assert config["UDF Modules"] == "xlkp.addin.udfs"
    # xlwings reads the keys down to the first empty cell in column A: all of ours are in that run.
    keys = [c.value for c in book[build.CONFIG]["A"]]
    assert keys[: len(build.CONFIG_ROWS)] == [k for k, _ in build.CONFIG_ROWS]
    assert keys[len(build.CONFIG_ROWS)] is None
    # An empty value would count as set: only XLKP_STORE (read by xlkp alone) may be empty.
    assert [k for k, v in build.CONFIG_ROWS if v is None] == ["XLKP_STORE"]
    assert book[build.CHANNEL].sheet_state == "hidden"
    assert book.active.title == build.START
    assert "Klantprofielen" in book[build.START]["B2"].value


def test_cli_builds_the_workbook(tmp_path: Path, capsys, built) -> None:
    out = tmp_path / "sub" / "Klant's.xlsm"
    assert main(["workbook", "build", "-o", str(out)]) == 0
    assert out.read_bytes() == built[0]
    assert "Ribbon" in capsys.readouterr().out
