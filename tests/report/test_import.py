"""xlkp import without LibreOffice: sheets, tables, merging, macro parts, injection, failures, CLI."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.report.report_data import INJECTION_NAMES, injection_publication, publication
from xlkp import cli
from xlkp.checks import check_sections
from xlkp.frames import tidy_frame
from xlkp.importer import TargetError, import_files, import_publications
from xlkp.model import InputError
from xlkp.report import layout as L


def _table_rows(ws, name):
    rows = list(ws[ws.tables[name].ref])
    return [c.value for c in rows[0]], [[c.value for c in r] for r in rows[1:]]


def test_new_workbook_holds_every_sheet_table_and_check(tmp_path: Path) -> None:
    pub = publication("2021-Q1", "2021-Q2", defects=True)
    out = tmp_path / "Klantprofielen.xlsx"
    result = import_publications([pub], out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == list(L.SHEETS)
    assert book.active.title == L.OVERVIEW
    assert book[L.LISTS].sheet_state == "hidden"

    header, rows = _table_rows(book[L.DATA], L.DATA_TABLE)
    assert header == ["Periode", "Regio", "Gemeente", "Profiel UWV", "Profiel gemeente", "Profiel beide",
                      "Zonder profiel", "Totaal", "Verschil", "Bestand", "Pagina",
                      "Gemeente (indeling van 2023)"]
    frame = tidy_frame(pub.sections)
    assert [r[:8] for r in rows] == frame[["period", "region", "municipality", "value_1", "value_2",
                                            "value_3", "value_4", "total"]].values.tolist()
    assert all(str(r[8]) == f"=N(H{i})-SUM(D{i}:G{i})" for i, r in enumerate(rows, start=2))
    assert book[L.DATA].freeze_panes == "D2"

    findings = check_sections(pub.sections)
    assert len(result.findings) == len(findings) == 4
    controls = book[L.CONTROLS]
    _, listed = _table_rows(controls, L.CONTROLS_TABLE)
    assert [r[1:4] for r in listed] == [[f.period, f.region, f.municipality] for f in findings]
    # Every link names a cell that holds the number the finding is about.
    for finding, line in zip(findings, listed):
        sheet, address = re.match(r'=HYPERLINK\("#([^!"]+)!([A-Z]+\d+)"', line[8]).groups()
        target = book[sheet.strip("'")][address].value
        if finding.kind == "row_total" or finding.kind == "column_total":
            assert target == finding.printed
        elif finding.kind == "coverage_percent":
            assert round(target * 100) == finding.printed

    overview = book[L.OVERVIEW]
    assert overview["B2"].value == "2021-Q2"
    assert overview.data_validations.dataValidation[0].formula1 == "Lijsten!$A$2:$A$3"
    levels = [overview.row_dimensions[r].outlineLevel for r in range(5, overview.max_row + 1)]
    assert levels.count(0) == 35 + 1  # regions and Nederland
    assert levels.count(1) == len({(s.name, r.municipality) for s in pub.sections for r in s.rows})
    assert len(book[L.CHARTS]._charts) == 2
    assert len(book[L.DATA].conditional_formatting) == 1
    assert len(book[L.REGION_DATA].conditional_formatting) == 4


def test_layout_items_do_not_grow_with_rows() -> None:
    """A writer makes one call per layout item: their number must not follow the row count."""
    small = publication("2021-Q1")
    large = publication("2021-Q1")
    for section in large.sections:
        section.rows = section.rows * 6
    def counts(pub):
        book = L.build_layout(pub.sections, [], ("a", "b", "c", "d"))
        return [
            (len(s.blocks), len(s.tables), len(s.formats), len(s.conditional_formats),
             len(s.validations), len(s.row_groups), len(s.charts))
            for s in book.sheets
        ]
    assert counts(small) == counts(large)


def test_reimport_replaces_a_period_and_adds_another(tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q1", seed=1)], out)
    import_publications([publication("2021-Q2", seed=1)], out)
    again = publication("2021-Q1", seed=7)  # other numbers for the same quarter
    import_publications([again], out)
    book = openpyxl.load_workbook(out)
    _, rows = _table_rows(book[L.DATA], L.DATA_TABLE)
    expected = tidy_frame(again.sections + publication("2021-Q2").sections)
    assert [r[:8] for r in rows] == expected[["period", "region", "municipality", "value_1", "value_2",
                                               "value_3", "value_4", "total"]].values.tolist()
    _, region_rows = _table_rows(book[L.REGION_DATA], L.REGION_TABLE)
    assert len(region_rows) == 70
    assert [c.value for c in book[L.LISTS]["A"] if c.value is not None][1:] == ["2021-Q1", "2021-Q2"]


def test_user_sheets_and_cells_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "eigen.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Mijn notities"
    book.active["A1"] = "Zelf geschreven"
    book.active["B2"] = "=SUM(Gegevens!H:H)"
    book.create_sheet("Analyse")["C3"] = 42
    book.save(out)
    import_publications([publication("2021-Q1")], out)
    import_publications([publication("2021-Q2")], out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["Mijn notities", "Analyse"]
    assert set(L.SHEETS) <= set(book.sheetnames)
    assert book["Mijn notities"]["A1"].value == "Zelf geschreven"
    assert book["Mijn notities"]["B2"].value == "=SUM(Gegevens!H:H)"
    assert book["Analyse"]["C3"].value == 42


FAKE_VBA = b"\xd0\xcf\x11\xe0fake vba project" + bytes(range(256))
RIBBON = b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon/></customUI>'
RIBBON_REL = ('<Relationship Id="rIdRibbon" Type="http://schemas.microsoft.com/office/2007/relationships/'
              'ui/extensibility" Target="customUI/customUI14.xml"/>')


def _add_macro_parts(path: Path) -> None:
    """Turn a workbook into a macro workbook with a (fake) VBA project and a ribbon."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/vbaProject.bin"] = FAKE_VBA
    parts["customUI/customUI14.xml"] = RIBBON
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"</Relationships>", RIBBON_REL.encode() + b"</Relationships>")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
        b' Target="vbaProject.bin"/></Relationships>',
    )
    types = parts["[Content_Types].xml"]
    if b'Extension="bin"' not in types:
        types = types.replace(b"<Default ", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ', 1)
    parts["[Content_Types].xml"] = types
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_xlsm_keeps_vba_project_and_ribbon_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "Klantprofielen.xlsm"
    import_publications([publication("2021-Q1")], out)
    with zipfile.ZipFile(out) as z:
        assert b"macroEnabled.main+xml" in z.read("[Content_Types].xml")
    _add_macro_parts(out)
    import_publications([publication("2021-Q2")], out)
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/vbaProject.bin") == FAKE_VBA
        assert z.read("customUI/customUI14.xml") == RIBBON
        rels = z.read("_rels/.rels").decode()
        assert 'Target="customUI/customUI14.xml"' in rels and "2007/relationships/ui/extensibility" in rels
        assert b"macroEnabled.main+xml" in z.read("[Content_Types].xml")
        assert "vbaProject.bin" in z.read("xl/_rels/workbook.xml.rels").decode()
    assert len(openpyxl.load_workbook(out, keep_vba=True)[L.REGION_DATA].tables[L.REGION_TABLE].ref) > 0


def _cell_xml(path: Path, sheet_name: str) -> str:
    book = openpyxl.load_workbook(path)
    index = book.sheetnames.index(sheet_name) + 1
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode()


def test_pdf_text_is_never_a_formula(tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([injection_publication()], out)
    import_publications([publication("2021-Q2")], out)  # the merge reads the names back and rewrites them
    book = openpyxl.load_workbook(out)
    _, rows = _table_rows(book[L.DATA], L.DATA_TABLE)
    names = [r[2] for r in rows if r[0] == "2021-Q1"]
    assert names[: len(INJECTION_NAMES)] == INJECTION_NAMES
    for sheet in (L.DATA, L.OVERVIEW):
        xml = _cell_xml(out, sheet)
        formulas = re.findall(r"<f>(.*?)</f>", xml)
        assert not any("HYPERLINK(&quot;http" in f or f in ("+1+1", "-2+3") for f in formulas)
    gemeente_cells = [c for c in book[L.DATA]["C"] if c.value in INJECTION_NAMES]
    assert len(gemeente_cells) == len(INJECTION_NAMES)
    assert all(c.data_type == "s" for c in gemeente_cells)


def test_failed_import_leaves_the_target_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q1")], out)
    before = out.read_bytes()
    bad = tmp_path / "kapot.pdf"
    bad.write_bytes(b"dit is geen pdf")
    with pytest.raises(InputError):
        import_files([bad], out)
    from xlkp.report import openpyxl_writer

    def broken(book_layout, path, base=None, progress=None, base_book=None, previous=None):
        Path(path).write_bytes(b"half geschreven")
        raise OSError("schijf vol")

    monkeypatch.setattr(openpyxl_writer, "write_workbook", broken)
    with pytest.raises(TargetError, match="schijf vol"):  # one line for the user, not a traceback
        import_publications([publication("2021-Q2")], out)
    assert out.read_bytes() == before
    # No temporary file is left; the lock file stays (removing it would race a waiting import).
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [".k.xlsx.xlkp-lock", "k.xlsx", "kapot.pdf"]


def test_open_in_excel_stops_the_import(tmp_path: Path, sample_pdf: Path, capsys) -> None:
    out = tmp_path / "k.xlsx"
    (tmp_path / "~$k.xlsx").write_bytes(b"owner")
    with pytest.raises(TargetError, match="geopend in Excel"):
        import_files([sample_pdf], out)
    assert cli.main(["import", str(sample_pdf), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "geopend in Excel" in err and "Traceback" not in err
    assert not out.exists()


def test_cli_import_writes_workbook_store_and_summary(tmp_path: Path, sample_pdf: Path, private_store: Path, capsys) -> None:
    out = tmp_path / "k.xlsx"
    assert cli.main(["import", str(sample_pdf), "-o", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{out}: 2 kwartalen (2021-Q1, 2021-Q2), 35 regio's, 350 gemeenten, 4 bevindingen",  # the 2021 sample gained Weesp, Altena, Land van Cuijk's five
        # The user sees which store was written, and that its figures are made up.
        f"Historie bijgewerkt (2021-Q1, 2021-Q2): {private_store}",
        "Let op: VOORBEELD – fictieve cijfers in 2021-Q1, 2021-Q2 (uit een voorbeeldpublicatie)",
    ]
    from xlkp.store import Store

    with Store.open(private_store, create=False) as store:
        assert store.periods() == ["2021-Q1", "2021-Q2"]
        assert len(store.findings()) == 4


def test_cli_no_store_and_bad_input(tmp_path: Path, sample_pdf: Path, private_store: Path, capsys) -> None:
    out = tmp_path / "k.xlsx"
    assert cli.main(["import", str(sample_pdf), "-o", str(out), "--no-store", "-q"]) == 0
    assert not private_store.exists()
    before = out.read_bytes()
    empty = tmp_path / "leeg.pdf"
    empty.write_bytes(b"")
    capsys.readouterr()
    assert cli.main(["import", str(sample_pdf), str(empty), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"xlkp: {empty}: leeg bestand\n"
    assert out.read_bytes() == before


def test_import_into_the_built_macro_workbook_keeps_its_code_names(tmp_path: Path) -> None:
    from xlkp.workbook.build import build_workbook

    out = tmp_path / "Klantprofielen.xlsm"
    build_workbook(out)
    before = {ws.title: ws.sheet_properties.codeName for ws in openpyxl.load_workbook(out, keep_vba=True).worksheets}
    with zipfile.ZipFile(out) as z:
        vba = z.read("xl/vbaProject.bin")
    import_publications([publication("2021-Q1")], out)
    after = {ws.title: ws.sheet_properties.codeName for ws in openpyxl.load_workbook(out, keep_vba=True).worksheets}
    assert after == before  # every sheet still tied to its VBA document module
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/vbaProject.bin") == vba
