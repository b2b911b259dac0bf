"""The data copy an import leaves in the package (report/data_copy.py): read back exactly as the
sheets themselves would be, never used once any part changed, and an import that keeps the
unchanged rows writes exactly what writing every row gives."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.report.report_data import publication
from xlkp.importer import import_publications
from xlkp.report import data_copy, sheet_xml
from xlkp.report import layout as L
from xlkp.report.openpyxl_writer import READ_BACK, load_for_update
from xlkp.report.package import Package


def _rezipped(path: Path, change) -> None:
    """Rewrite the package at `path` with `change(parts)` applied to its parts."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)


def _from_xml(path: Path, sheet: str, table: str):
    with Package.open(path) as package:  # type: ignore[union-attr]
        package._copy = None  # as if there were no copy
        return package.table(sheet, table)


def test_the_copy_reads_back_what_the_sheets_hold(tmp_path) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q1", "2021-Q2", defects=True)], out, use_store=False)
    with Package.open(out) as package:  # type: ignore[union-attr]
        assert package.copy is not None
        for sheet, table in READ_BACK:
            copied = package.table(sheet, table)
            assert copied is not None and copied == _from_xml(out, sheet, table), table
    # The part is declared, and related from the package root, as the conventions ask.
    with zipfile.ZipFile(out) as package:
        assert f'PartName="/{data_copy.PART}"' in package.read("[Content_Types].xml").decode()
        assert data_copy.RELATIONSHIP in package.read("_rels/.rels").decode()


def test_without_orjson_the_copy_is_the_same_bytes(tmp_path, monkeypatch) -> None:
    """xlwings Lite has no orjson: the standard library's json writes and reads the same copy."""
    assert data_copy.orjson is not None  # a dependency wherever the workbook file is written
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q1", "2021-Q2", defects=True)], out, use_store=False)
    with zipfile.ZipFile(out) as package:
        written = package.read(data_copy.PART)
        document = json.loads(written)
        with Package.open(out) as opened:  # type: ignore[union-attr]
            fast = opened.copy
        monkeypatch.setattr(data_copy, "orjson", None)
        assert data_copy._json_bytes(document) == written
        assert fast is not None and data_copy.read(package) == fast


@pytest.mark.parametrize("change", ["a count edited", "a part added", "a part removed"])
def test_a_copy_that_no_longer_matches_the_package_is_not_used(tmp_path, change) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q1")], out, use_store=False)
    with Package.open(out) as package:  # type: ignore[union-attr]
        data_part = package.sheets[L.DATA]
        first = package.table(L.DATA, L.DATA_TABLE)[1][0]  # type: ignore[index]

    def edit(parts: dict[str, bytes]) -> None:
        if change == "a count edited":  # a program that keeps unknown parts, and xlkp's name
            xml = parts[data_part].decode()
            cell = xml.index('<c r="D2"')
            value = xml.index("<v>", cell)
            parts[data_part] = (xml[:value] + "<v>99999</v>" + xml[xml.index("</v>", value) + 4:]).encode()
        elif change == "a part added":
            parts["xl/media/image9.png"] = b"\x89PNG"
        else:
            del parts["docProps/app.xml"]

    _rezipped(out, edit)
    with Package.open(out) as package:  # type: ignore[union-attr]
        assert package.copy is None
        rows = package.table(L.DATA, L.DATA_TABLE)[1]  # type: ignore[index]
    if change == "a count edited":
        assert rows[0][3] == 99999 and first[3] != 99999
    else:
        assert rows[0] == first


def _import_twice(tmp_path: Path, name: str, first, then, monkeypatch, use_copy: bool) -> tuple[Path, list]:
    out = tmp_path / name
    import_publications([first], out, use_store=False)
    kept: list = []
    splice = sheet_xml.HeldRows.splice

    def spied(self, part, previous=None):
        result = splice(self, part, previous)
        kept.extend(self.kept)
        return result

    with monkeypatch.context() as patch:
        patch.setattr(sheet_xml.HeldRows, "splice", spied)
        if not use_copy:
            patch.setattr(data_copy, "read", lambda archive: None)
        import_publications([then], out, use_store=False, replace=True)
    return out, kept


def _package(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}
    document = json.loads(parts.pop(data_copy.PART))
    document["parts"].pop("docProps/core.xml")
    for rows in document["rows"].values():  # where its chunks stand in the deflated data: compared inflated
        rows.pop("deflated_from"), rows.pop("sums")
    parts[data_copy.PART] = json.dumps(document, sort_keys=True).encode()
    return parts


def _differing(one: Path, other: Path) -> list[str]:
    """The parts that differ (named only: a diff of megabytes of XML would take minutes)."""
    a, b = _package(one), _package(other)
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


@pytest.mark.parametrize("then", ["a new quarter", "a quarter again, other figures"])
def test_keeping_unchanged_rows_writes_what_writing_every_row_writes(tmp_path, monkeypatch, then) -> None:
    first = publication("2021-Q1", "2021-Q2", "2021-Q3")
    if then == "a new quarter":
        second = publication("2021-Q4", seed=2)
    else:  # the middle quarter's rows change; those before it stay, those after it move on
        second = publication("2021-Q2", seed=3, defects=True)
    fast, kept = _import_twice(tmp_path, "fast.xlsx", first, second, monkeypatch, use_copy=True)
    slow, none_kept = _import_twice(tmp_path, "slow.xlsx", first, second, monkeypatch, use_copy=False)
    assert kept and not none_kept  # the rows of 2021-Q1 at least were kept, not written again
    assert _differing(fast, slow) == []

    # And the next import reads the result back from its copy as from its sheets.
    with Package.open(fast) as package:  # type: ignore[union-attr]
        assert package.copy is not None
        for sheet, table in READ_BACK:
            assert package.table(sheet, table) == _from_xml(fast, sheet, table)


def test_rows_the_copy_promises_but_the_sheet_lacks_are_written_anew(tmp_path, monkeypatch) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q1", "2021-Q2")], out, use_store=False)
    again = tmp_path / "again.xlsx"
    shutil.copyfile(out, again)
    loaded = load_for_update(again)
    assert loaded.previous is not None
    deflated = loaded.previous.deflated[L.DATA]
    at = len(deflated) // 2
    loaded.previous.deflated[L.DATA] = deflated[:at] + bytes([deflated[at] ^ 1]) + deflated[at + 1:]  # damaged

    from xlkp.plan import BookContents, plan_import
    from xlkp.report import openpyxl_writer

    plan = plan_import(BookContents(*loaded.contents), [publication("2021-Q3")])
    assert plan.layout is not None
    openpyxl_writer.write_workbook(plan.layout, again, base=out, base_book=loaded.book, previous=loaded.previous)
    reference = tmp_path / "reference.xlsx"
    shutil.copyfile(out, reference)
    import_publications([publication("2021-Q3")], reference, use_store=False)
    assert _differing(again, reference) == []


def test_hollowing_inflates_only_around_the_chunks_and_gives_what_inflating_all_gives(tmp_path, monkeypatch) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q1", "2021-Q2", "2021-Q3")], out, use_store=False)
    hollowed = {}
    for around in (True, False):
        with Package.open(out) as package:  # type: ignore[union-attr]
            if around:
                assert all(package._around_rows(sheet) is not None for sheet in package.copy.rows)  # type: ignore[union-attr]
            else:
                monkeypatch.setattr(Package, "_around_rows", lambda self, sheet: None)
            with zipfile.ZipFile(package.hollowed(list(L.SHEETS))) as hollow:
                hollowed[around] = {name: hollow.read(name) for name in hollow.namelist()}
    assert hollowed[True] == hollowed[False]
