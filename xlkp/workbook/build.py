"""Building workbook/Klantprofielen.xlsm from source, without Excel.

The sheets come from openpyxl (the same layout and writer as `xlkp import`, with no data yet),
plus a start sheet, the `xlwings.conf` settings sheet and the hidden `_xlkp` sheet through which
the ribbon passes chosen file paths to Python. The package then gets the ribbon
(customUI/customUI14.xml) and the VBA project written by `xlkp.workbook.vba`. Zip timestamps
and document properties are fixed, so building twice gives the same bytes.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from .. import __version__
from ..files import replacing
from ..model import DEFAULT_COLUMNS
from ..report import layout as L
from ..report import openpyxl_writer
from .udf_wrappers import UDF_MODULE, udf_module
from .vba import XLWINGS_VERSION, Module, build_vba_project, xlwings_modules

DEFAULT_OUTPUT = Path("workbook") / "Klantprofielen.xlsm"
WORKBOOK_CODENAME = "ThisWorkbook"
START = "Start"
CONFIG = "xlwings.conf"
CHANNEL = "_xlkp"  # hidden: the ribbon writes chosen paths here (A1 count, A2 down paths)

CUSTOM_UI_PART = "customUI/customUI14.xml"
UI_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
FIXED_ZIP_TIME = (2021, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2021-01-01T00:00:00Z"

# xlwings.conf: keys in A, values in B, contiguous from A1 (xlwings stops at the first empty A).
# A key with an empty value counts as set (to ""), so only keys with a real value are listed,
# except XLKP_STORE, which only xlkp reads and which treats "" as "use the default".
CONFIG_ROWS: list[tuple[str, object]] = [
    ("Interpreter_Win", "python"),
    ("UDF Modules", UDF_MODULE),
    ("Debug UDFs", False),
    ("Use UDF Server", False),
    ("Show Console", False),
    ("XLKP_STORE", None),
]
CONFIG_NOTES = [
    "Instellingen voor xlwings en xlkp. Ze beginnen in cel A1; laat geen lege regel tussen de sleutels.",
    "Interpreter_Win: het Python-programma, bv. C:\\Users\\naam\\AppData\\Local\\Programs\\Python\\Python311\\python.exe als 'python' niet gevonden wordt.",
    "UDF Modules: de Python-module met de KP_-functies. Niet wijzigen.",
    "XLKP_STORE: leeg = de standaardopslag van de gebruiker; of een pad naar een eigen opslagbestand (.sqlite), relatief ten opzichte van deze werkmap.",
]

# The Windows install steps; the README gives the same (a test holds them together).
INSTALL_COMMAND = "python -m pip install ."
INSTALL_STEPS = (
    "1. Installeer Python 3.11 of nieuwer van python.org en vink 'Add python.exe to PATH' aan.",
    "2. Haal de broncode van xlkp op (git clone of zip) en open een opdrachtprompt in die map, "
    f"waar pyproject.toml staat. Typ: {INSTALL_COMMAND}",
    "3. Gebruikt u een ander Python-programma (bv. een virtuele omgeving): zet het volledige pad "
    "van dat python.exe bij Interpreter_Win op het blad xlwings.conf.",
)

START_ROWS = [
    ("Klantprofielen", "title"),
    ("UWV 'Transparantie van klantprofielen' in Excel: inlezen, controleren, samenvatten.", "subtitle"),
    (None, None),
    ("Zo begint u", "label"),
    ("1. Sta macro's toe (gele balk 'Inhoud inschakelen'). Er draait niets vanzelf: elke macro is een knop.", None),
    ("2. Open het tabblad Klantprofielen in het lint.", None),
    ("3. Klik op PDF importeren en kies een of meer publicaties (PDF).", None),
    (None, None),
    ("De knoppen", "label"),
    ("PDF importeren: leest de PDF's, controleert alle totalen en vult Gegevens, Regiototalen, Regio-overzicht, Trend, Grafieken en Controles.", None),
    ("Totalen controleren: controleert de cijfers zoals ze nu in Gegevens staan (ook na eigen wijzigingen) en werkt Controles bij.", None),
    ("Regio-overzicht: bouwt het overzicht opnieuw op en voegt een draaitabel van de gegevens toe.", None),
    ("Functies: een blad met alle KP_-functies en voorbeelden, zoals =KP_COVERAGE(\"Alkmaar\").", None),
    ("Over: versies van xlkp, xlwings en Python, en waar de opslag staat.", None),
    (None, None),
    ("Werkbladfuncties", "label"),
    ("Elke import wordt ook bewaard in een opslag op deze computer; de KP_-functies lezen daaruit, ook in andere werkmappen met deze functies.", None),
    (None, None),
    ("Cijfers uit een voorbeeldpublicatie (xlkp sample) zijn fictief: KP_CHECK en Over zeggen het.", None),
    (None, None),
    ("Installeren (eenmalig; dezelfde stappen als in de README)", "label"),
    *((step, None) for step in INSTALL_STEPS),
]


@dataclass(frozen=True)
class BuildInfo:
    path: Path
    sheets: list[str]
    modules: list[str]


def ribbon_xml() -> bytes:
    return resources.files("xlkp.workbook").joinpath("customUI14.xml").read_bytes()


def ribbon_module() -> Module:
    text = resources.files("xlkp.workbook").joinpath("modules/Ribbon.bas").read_bytes().decode("cp1252")
    return Module.from_exported(text)


def code_names(sheet_names: list[str]) -> dict[str, str]:
    """Sheet name -> codeName: Sheet1, Sheet2, ... in tab order (valid VBA identifiers)."""
    return {name: f"Sheet{index}" for index, name in enumerate(sheet_names, start=1)}


def vba_modules(sheet_names: list[str]) -> list[Module]:
    documents = [Module(WORKBOOK_CODENAME, "", kind="document")]
    documents += [Module(code, "", kind="document") for code in code_names(sheet_names).values()]
    return [*documents, *xlwings_modules(), udf_module(), ribbon_module()]


def _sheets_xlsx() -> tuple[bytes, list[str]]:
    """The workbook's sheets as an .xlsx (bytes), and the sheet names in tab order."""
    empty = L.build_layout([], [], DEFAULT_COLUMNS)
    with tempfile.TemporaryDirectory(prefix="xlkp-build-") as tmp:
        plain = Path(tmp) / "sheets.xlsx"
        openpyxl_writer.write_workbook(empty, plain)
        book = openpyxl.load_workbook(plain)
    start = book.create_sheet(START, 0)
    _write_start(start)
    _write_config(book.create_sheet(CONFIG))
    channel = book.create_sheet(CHANNEL)
    channel.sheet_state = "hidden"
    channel["A1"] = 0
    book.code_name = WORKBOOK_CODENAME
    names = book.sheetnames
    for name, code in code_names(names).items():
        book[name].sheet_properties.codeName = code
    book.active = 0
    for ws in book.worksheets:
        ws.sheet_view.tabSelected = ws.title == START
    book.properties.creator = "xlkp"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), names


def _write_start(ws) -> None:
    fonts = {
        "title": Font(name=L.FONT, bold=True, size=16, color="1F3864"),
        "subtitle": Font(name=L.FONT, size=L.FONT_SIZE, italic=True, color="595959"),
        "label": Font(name=L.FONT, size=L.FONT_SIZE, bold=True, color="1F4E78"),
        "muted": Font(name=L.FONT, size=L.FONT_SIZE, italic=True, color="7F7F7F"),
    }
    for row, (text, style) in enumerate(START_ROWS, start=2):
        if text is None:
            continue
        cell = ws.cell(row, 2, text)
        cell.data_type = "s"  # '=KP_...' in the text is an example, not a formula
        if style:
            cell.font = fonts[style]
        cell.alignment = Alignment(vertical="top")
    ws.column_dimensions["A"].width = 3
    ws.column_dimensions["B"].width = 130
    ws.sheet_view.showGridLines = False
    ws.sheet_properties.tabColor = "1F4E78"


def _write_config(ws) -> None:
    for row, (key, value) in enumerate(CONFIG_ROWS, start=1):
        ws.cell(row, 1, key)
        if value is not None:
            ws.cell(row, 2, value)
    for offset, note in enumerate(CONFIG_NOTES):
        ws.cell(len(CONFIG_ROWS) + 3 + offset, 1, note).font = Font(name=L.FONT, size=L.FONT_SIZE, italic=True, color="7F7F7F")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 40


def _add_relationship(xml: bytes, rel_id: str, rel_type: str, target: str) -> bytes:
    text = xml.decode("utf-8")
    if rel_type in text:
        raise ValueError(f"relationship {rel_type} already present")
    rel = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/>'
    return text.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")


def _content_types(xml: bytes) -> bytes:
    text = xml.decode("utf-8").replace(openpyxl_writer.XLSX_MAIN, openpyxl_writer.XLSM_MAIN)
    if openpyxl_writer.XLSM_MAIN not in text:
        raise ValueError("no workbook part in [Content_Types].xml")
    override = f'<Override PartName="/xl/vbaProject.bin" ContentType="{VBA_CONTENT_TYPE}"/>'
    if 'Extension="xml"' not in text:  # the ribbon part is served as plain XML
        override += '<Default Extension="xml" ContentType="application/xml"/>'
    return text.replace("</Types>", override + "</Types>").encode("utf-8")


def _core_properties() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>Klantprofielen</dc:title><dc:creator>xlkp</dc:creator>"
        f"<dc:description>xlkp {__version__}, xlwings {XLWINGS_VERSION}</dc:description>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DOC_TIME}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DOC_TIME}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def build_xlsm_bytes() -> tuple[bytes, list[str], list[Module]]:
    sheets, names = _sheets_xlsx()
    modules = vba_modules(names)
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(sheets)) as plain:
        for name in plain.namelist():
            parts[name] = plain.read(name)
    parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"])
    parts["_rels/.rels"] = _add_relationship(parts["_rels/.rels"], "rIdCustomUI14", UI_RELATIONSHIP, CUSTOM_UI_PART)
    parts["xl/_rels/workbook.xml.rels"] = _add_relationship(
        parts["xl/_rels/workbook.xml.rels"], "rIdVbaProject", VBA_RELATIONSHIP, "vbaProject.bin"
    )
    parts["docProps/core.xml"] = _core_properties()
    parts["xl/vbaProject.bin"] = build_vba_project(modules)
    parts[CUSTOM_UI_PART] = ribbon_xml()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            package.writestr(info, data)
    return out.getvalue(), names, modules


def build_workbook(path: str | Path = DEFAULT_OUTPUT) -> BuildInfo:
    """Write the macro workbook to `path` (through a temporary file and a rename)."""
    path = Path(path)
    data, names, modules = build_xlsm_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        temporary.write_bytes(data)
    return BuildInfo(path, names, [m.name for m in modules])


def ribbon_actions(xml: bytes | None = None) -> list[str]:
    """The onAction callbacks the ribbon names, in order."""
    from xml.etree import ElementTree as ET

    root = ET.fromstring(xml if xml is not None else ribbon_xml())
    return [action for node in root.iter() if (action := node.get("onAction"))]


__all__ = ["BuildInfo", "CHANNEL", "CONFIG", "DEFAULT_OUTPUT", "START", "build_workbook", "build_xlsm_bytes",
           "code_names", "ribbon_actions", "ribbon_module", "ribbon_xml", "vba_modules"]
