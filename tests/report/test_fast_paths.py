"""The import's fast paths into a long history (report/sheet_xml.py, report/package.py) give
exactly what openpyxl's own writing and reading give, and step aside where they cannot."""

from __future__ import annotations

import datetime
import json
import subprocess
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.libreoffice import require_soffice
from tests.report.report_data import injection_publication, publication
from xlkp.importer import import_publications
from xlkp.model import Publication, replace
from xlkp.plan import BookContents, plan_import
from xlkp.report import data_copy, openpyxl_writer, sheet_xml
from xlkp.report import layout as L
from xlkp.report.package import Package, UnknownForm, _rels_part
from xlkp.samples import national_table


def _hostile() -> Publication:
    """Two quarters with errors and a national table, and names that need escaping or look like
    formulas, numbers or error values."""
    base = publication("2021-Q1", "2021-Q2", defects=True)
    section = base.sections[0]
    names = [" Voorloop", "Na loop ", "A&B <c> \"d\"", "=SUM(1;2)", "#N/A", "Tab\tteken", "Ünïcode ĳ"]
    section.rows[:len(names)] = [replace(row, municipality=name) for row, name in zip(section.rows, names)]
    national = [national_table(base.sections, period) for period in ("2021-Q1", "2021-Q2")]
    return Publication(base.source, [*base.sections, *injection_publication("2021-Q2").sections], national)


def _parts(path: Path) -> dict[str, bytes]:
    """The package's parts but its timestamps and its data copy (which names every part's CRC)."""
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist() if name not in ("docProps/core.xml", data_copy.PART)}


def _copied(path: Path) -> dict:
    with zipfile.ZipFile(path) as package:
        document = json.loads(package.read(data_copy.PART))
    return document["tables"]


def _written(tmp_path: Path, name: str, spliced: bool, monkeypatch: pytest.MonkeyPatch) -> Path:
    plan = plan_import(BookContents(), [_hostile()])
    assert plan.layout is not None
    out = tmp_path / name
    with monkeypatch.context() as patch:
        if not spliced:
            patch.setattr(sheet_xml.HeldRows, "of", classmethod(lambda cls, sheet: None))
        openpyxl_writer.write_workbook(plan.layout, out)
    return out


@pytest.mark.parametrize("arrangement", ["side by side", "any"])
def test_rows_written_as_xml_are_byte_for_byte_what_openpyxl_writes(tmp_path, monkeypatch, arrangement) -> None:
    if arrangement == "any":  # the general way, for blocks that share columns
        monkeypatch.setattr(sheet_xml.HeldRows, "_side_by_side", lambda self, styled: None)
    plan = plan_import(BookContents(), [_hostile()])
    assert plan.layout is not None
    held = {sheet.name: sheet_xml.HeldRows.of(sheet) for sheet in plan.layout.sheets}
    assert held[L.DATA] is not None and held[L.REGION_DATA] is not None  # the long sheets go this way
    assert held[L.DATA].first_row == 3  # everything below the first data row

    fast = _written(tmp_path, "fast.xlsx", True, monkeypatch)
    slow = _written(tmp_path, "slow.xlsx", False, monkeypatch)
    assert _parts(fast) == _parts(slow)
    assert _copied(fast) == _copied(slow)
    names = [openpyxl.load_workbook(fast)[L.DATA].cell(r, 3).value for r in range(2, 9)]
    assert names[:5] == [" Voorloop", "Na loop ", "A&B <c> \"d\"", "=SUM(1;2)", "#N/A"]  # text, never a formula


def test_a_sheet_the_xml_rows_cannot_style_is_left_to_openpyxl() -> None:
    def sheet(**changes) -> L.SheetLayout:
        base = L.SheetLayout("Blad", blocks=[L.Block("A1", [["Kop", "Getal"], ["a", 1], ["b", 2], ["c", 3]])],
                             formats=[L.Format("A1:B1", style="header"), L.Format("B2:B4", L.COUNT_FORMAT)])
        for key, value in changes.items():
            setattr(base, key, value)
        return base

    held = sheet_xml.HeldRows.of(sheet())
    assert held is not None and (held.first_row, held.styled_until, held.styled) == (3, 4, [2])
    assert sheet_xml.HeldRows.of(sheet(row_heights={3: 30.0})) is None
    assert sheet_xml.HeldRows.of(sheet(row_groups=[L.RowGroup(3, 4)])) is None
    assert sheet_xml.HeldRows.of(sheet(formats=[L.Format("B2:B4", L.COUNT_FORMAT), L.Format("A2:A3", "bold")])) is None
    assert sheet_xml.HeldRows.of(sheet(formats=[L.Format("B2:B4", L.COUNT_FORMAT), L.Format("A2", "bold")])) is None
    dated = sheet()
    dated.blocks.append(L.Block("D3", [[datetime.date(2024, 1, 1)]], user=True))
    assert sheet_xml.HeldRows.of(dated) is None  # openpyxl gives a date its number format


def _read_both(path: Path):
    fast = openpyxl_writer.load_for_update(path)[1]
    slow = openpyxl_writer.read_book(openpyxl_writer.open_workbook(path))
    return fast, slow


def test_a_workbook_xlkp_wrote_is_read_from_its_xml_as_openpyxl_reads_it(tmp_path) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([_hostile()], out, use_store=False)
    assert Package.open(out) is not None
    fast, slow = _read_both(out)
    assert repr(fast) == repr(slow)
    assert len(fast[0]) == 70 and len(fast[2]) == 2  # the sections (Zeeland's replaced) and the national tables

    # Edits a user makes with openpyxl (which keeps xlkp as the last writer): still the same.
    book = openpyxl.load_workbook(out)
    data = book[L.DATA]
    data["D2"] = "=1+2"
    data["E3"] = "veel"
    data["F4"] = None
    data["G5"] = 2.5
    data["C6"] = True
    book.save(out)
    with Package.open(out) as package:  # type: ignore[union-attr]  # still read from the XML
        assert package.table(L.DATA, L.DATA_TABLE) is not None
    fast, slow = _read_both(out)
    assert repr(fast) == repr(slow)


def test_a_cell_in_an_unknown_form_sends_the_workbook_to_openpyxl(tmp_path) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q1")], out, use_store=False)
    with zipfile.ZipFile(out) as package:
        parts = {name: package.read(name) for name in package.namelist()}
        data_part = Package.open(out).sheets[L.DATA]  # type: ignore[union-attr]
    xml = parts[data_part].decode()
    cell = xml.index('<c r="D2"')
    end = xml.index("</c>", cell) + 4
    parts[data_part] = (xml[:cell] + '<c r="D2" t="str"><f>1+2</f><v>3</v></c>' + xml[end:]).encode()
    with zipfile.ZipFile(out, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    with Package.open(out) as package, pytest.raises(UnknownForm):  # type: ignore[union-attr]
        package.table(L.DATA, L.DATA_TABLE)
    fast, slow = _read_both(out)
    assert repr(fast) == repr(slow)


def test_a_workbook_another_program_saved_is_read_by_openpyxl(tmp_path) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q1", defects=True)], out, use_store=False)
    soffice = require_soffice()
    saved = tmp_path / "lo"
    with tempfile.TemporaryDirectory(prefix="xlkp-profile-") as profile:
        subprocess.run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), str(out)],
                       check=True, capture_output=True, timeout=240)
    resaved = saved / "k.xlsx"
    package = Package.open(resaved)  # LibreOffice keeps xlkp as the last writer, but shares its strings
    if package is not None:
        with package, pytest.raises(UnknownForm):
            package.table(L.DATA, L.DATA_TABLE)
    fast, slow = _read_both(resaved)
    assert repr(fast) == repr(slow)
    assert [s.period for s in fast[0]] == ["2021-Q1"] * 35

    # And importing into it works as into a workbook xlkp wrote.
    result = import_publications([publication("2021-Q2")], resaved, use_store=False)
    assert result.periods == ["2021-Q1", "2021-Q2"]


def test_hollowing_keeps_the_rows_with_a_cell_beyond_the_area_and_below_it() -> None:
    from xlkp.report.package import _without_area_rows

    def row(r: int, *columns: str) -> str:
        return f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="n"><v>1</v></c>' for c in columns) + "</row>"

    rows = [row(1, "A", "B"), row(2, "A", "M"), row(3, "A", "L"), row(4, "AA"), '<row r="5" ht="20"/>', row(7, "A")]
    xml = ("<worksheet><dimension/><sheetData>" + "".join(rows) + "</sheetData><tableParts/></worksheet>").encode()
    hollow = _without_area_rows(xml, 5, 12)  # the area A1:L5
    assert hollow == ("<worksheet><dimension/><sheetData>" + rows[1] + rows[3] + rows[5]
                      + "</sheetData><tableParts/></worksheet>").encode()
    # Rows from 3 on known to hold nothing right of column L: only rows 1 and 2 are looked at.
    assert _without_area_rows(xml, 5, 12, narrow_from=3) == ("<worksheet><dimension/><sheetData>" + rows[1] + rows[5]
                                                             + "</sheetData><tableParts/></worksheet>").encode()


def test_a_hollowed_sheet_keeps_only_what_an_import_reads_of_the_sheet_it_replaces(tmp_path: Path) -> None:
    """Its code name, a user's rows and (for Gegevens) its table, but none of its charts, formats
    and print settings, which openpyxl would otherwise load only for the sheet to be replaced."""
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q1")], out, use_store=False)
    book = openpyxl.load_workbook(out)
    book[L.OVERVIEW]["AZ3"] = "eigen notitie"
    book[L.OVERVIEW].sheet_properties.codeName = "Blad1"
    book.save(out)
    import_publications([publication("2021-Q2")], out, use_store=False)  # written by xlkp again
    with zipfile.ZipFile(out) as original:
        charted = [n for n in original.namelist() if n.startswith("xl/worksheets/_rels/")
                   and b"/drawing" in original.read(n)]
    assert charted  # the overview and the charts sheet have charts
    with Package.open(out) as package, zipfile.ZipFile(package.hollowed(list(L.SHEETS), tables=(L.DATA,))) as hollow:
        overview = hollow.read(package.sheets[L.OVERVIEW])
        data_sheet = hollow.read(package.sheets[L.DATA])
        rels = {n: hollow.read(n) for n in hollow.namelist() if n.startswith("xl/worksheets/_rels/")}
        bare = openpyxl.load_workbook(package.hollowed(list(L.SHEETS), tables=(L.DATA,)))
    assert b'codeName="Blad1"' in overview and b"eigen notitie" in overview
    for element in (b"<cols", b"<conditionalFormatting", b"<drawing", b"<pageSetup", b"<headerFooter", b"<sheetViews"):
        assert element not in overview and element not in data_sheet
    assert b"<tableParts" in data_sheet and b"<tableParts" not in overview
    assert list(rels) == [_rels_part(package.sheets[L.DATA])] and b"/drawing" not in b"".join(rels.values())
    assert bare[L.OVERVIEW]["AZ3"].value == "eigen notitie" and bare[L.OVERVIEW].sheet_properties.codeName == "Blad1"
    assert list(bare[L.DATA].tables) == [L.DATA_TABLE] and not bare[L.OVERVIEW]._charts
    # And the import keeps the user's cell and the code name, and makes the charts anew.
    import_publications([publication("2021-Q3")], out, use_store=False)
    again = openpyxl.load_workbook(out)
    assert again[L.OVERVIEW]["AZ3"].value == "eigen notitie" and again[L.OVERVIEW].sheet_properties.codeName == "Blad1"
    with zipfile.ZipFile(out) as written:
        assert sorted(n for n in written.namelist() if n.startswith("xl/worksheets/_rels/")
                      and b"/drawing" in written.read(n)) == sorted(charted)


def test_a_hollowed_sheet_keeps_only_its_relationships_to_tables() -> None:
    from xlkp.report.package import _only_tables

    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Type="{kind}drawing" Target="/xl/drawings/drawing1.xml" Id="rId1" />'
            f'<Relationship Type="{kind}table" Target="/xl/tables/table1.xml" Id="rId2" />'
            f'<Relationship Type="{kind}hyperlink" Target="https://www.uwv.nl/" TargetMode="External" Id="rId3" />'
            "</Relationships>")
    assert _only_tables(rels.encode()) == (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Type="{kind}table" Target="/xl/tables/table1.xml" Id="rId2" /></Relationships>').encode()
