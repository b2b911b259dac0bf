"""The data copy an import leaves in the package (report/data_copy.py): read back exactly as the
sheets themselves would be, never used once any part changed, and an import that keeps the
unchanged rows writes exactly what writing every row gives."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.report.report_data import publication
from xlkp.importer import import_publications
from xlkp.report import data_copy, package_writer, sheet_xml
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
    for rows in [*document["rows"].values(), document["long"]]:  # where chunks stand in the deflated data: compared inflated
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


def _copy_written(copy: data_copy.DataCopy, previous: data_copy.LastWrite | None = None) -> bytes:
    """A package holding only `copy`, written after `previous`."""
    out = io.BytesIO()
    with package_writer.PackageWriter(out) as archive:
        data_copy.write(archive, copy, previous)
    return out.getvalue()


def _last_write(package: bytes, folder: Path) -> data_copy.LastWrite:
    path = folder / "copy.zip"
    path.write_bytes(package)
    with zipfile.ZipFile(path) as archive:
        copy = data_copy.read(archive)
        info = archive.getinfo(data_copy.PART)
    assert copy is not None and copy.long is not None
    return data_copy.LastWrite(copy, {}, package_writer.stored_data(path, info))


@pytest.mark.parametrize("damaged", [False, True])
def test_the_longest_tables_unchanged_chunks_are_copied_as_stored(damaged: bool, monkeypatch, tmp_path) -> None:
    """Chunks of the very rows the last write held in the same place are copied deflated; the
    copy reads back and inflates to what writing every row gives, and a damaged chunk is not
    copied on."""
    per_chunk = data_copy.ROWS_PER_CHUNK
    rows = [[f"2021-Q{1 + r // 1000}", "Regio", f"Gemeente {r}", r, r + 1, None, 2.5] for r in range(3 * per_chunk + 10)]
    short = [["2021-Q1", 1]]
    tables = {"Gegevens": {"tbl": data_copy.Copied("A1:G9", (["P", "R", "G", "a", "b", "c", "d"], rows))},
              "Landelijk": {"kort": data_copy.Copied("A1:B2", (["P", "n"], short))}}
    first = _copy_written(data_copy.DataCopy(tables, {}))
    last = _last_write(first, tmp_path)
    kept = last.copy.tables["Gegevens"]["tbl"].grid[1]
    assert kept == rows
    if damaged:  # a bit of the second chunk's deflated bytes flipped
        size = data_copy.ChunkSums(last.copy.long.sums).SUM.unpack_from(last.copy.long.sums)[1]  # type: ignore[union-attr]
        at = last.copy.long.deflated_from + size + 3  # type: ignore[union-attr]
        last = data_copy.LastWrite(last.copy, {}, last.copy_deflated[:at] + bytes([last.copy_deflated[at] ^ 1])
                                   + last.copy_deflated[at + 1:])
    # The next write: the first two chunks the same rows (the very lists read back), then a change.
    changed = [*kept[:2 * per_chunk], ["2021-Q3", "Regio", "Nieuw", 1, 2, None, None], *kept[2 * per_chunk + 1:],
               ["2021-Q4", "Regio", "Later", 7, 8, None, 1.5]]
    copy = data_copy.DataCopy({**tables, "Gegevens": {"tbl": data_copy.Copied("A1:G9", (tables["Gegevens"]["tbl"].grid[0], changed))}}, {})
    serialised: list[int] = []  # the rows made JSON, a chunk at a time
    to_json = data_copy._json_bytes
    monkeypatch.setattr(data_copy, "_json_bytes", lambda value: (
        serialised.append(len(value)) if isinstance(value, list) else None, to_json(value))[1])
    again = _copy_written(copy, last)
    assert serialised == ([per_chunk] * 3 + [11] if damaged else [per_chunk, 11])  # copied: the first two chunks
    anew = _copy_written(copy)
    with zipfile.ZipFile(io.BytesIO(again)) as archive, zipfile.ZipFile(io.BytesIO(anew)) as fresh:
        assert archive.testzip() is None
        assert archive.read(data_copy.PART) == fresh.read(data_copy.PART)
        read = data_copy.read(archive)
    assert read is not None and read.tables["Gegevens"]["tbl"].grid[1] == changed and read.tables["Landelijk"] == tables["Landelijk"]


def test_an_import_keeps_the_findings_only_the_pdf_showed(tmp_path):
    """Control characters in a name and a footnote naming another region are facts of the PDF
    the tables do not hold: the next import into the workbook (from its data copy) still lists
    them, as the store does."""
    first = publication("2021-Q1", defects=True)
    first.sections[0].cleaned_names = ["Sluis\x07"]
    first.sections[1].footnote_region = "Zeeland"
    out = tmp_path / "k.xlsx"
    import_publications([first], out, use_store=False)
    kinds = _listed_kinds(out)
    assert {"control_characters", "region_mismatch", "row_total"} <= {kind for kind, _ in kinds}

    import_publications([publication("2021-Q2", defects=True)], out, use_store=False)
    again = _listed_kinds(out)
    assert [k for k, period in again if period == "2021-Q1"] == [k for k, _ in kinds]
    assert any(period == "2021-Q2" for _, period in again)

    # A workbook saved by another program has no copy: its sheets are checked as they stand.
    book = openpyxl.load_workbook(out)
    book.save(out)
    import_publications([publication("2021-Q3")], out, use_store=False)
    checked = [k for k, period in _listed_kinds(out) if period == "2021-Q1"]
    assert "row_total" in checked and "control_characters" not in checked


def _listed_kinds(path) -> list[tuple[str, str]]:
    labels = {label: kind for kind, label in L.KIND_LABELS.items()}
    book = openpyxl.load_workbook(path)
    sheet = book[L.CONTROLS]
    rows = sheet[sheet.tables[L.CONTROLS_TABLE].ref][1:]
    return [(labels[row[0].value], row[1].value) for row in rows]


def test_findings_another_version_of_xlkp_wrote_are_checked_again(tmp_path, monkeypatch) -> None:
    out = tmp_path / "k.xlsx"
    import_publications([publication("2021-Q1", defects=True)], out, use_store=False)
    with Package.open(out) as package:  # type: ignore[union-attr]
        assert package.copy is not None and package.copy.findings and package.copy.findings["2021-Q1"]
    monkeypatch.setattr(data_copy, "__version__", "0.0.1")  # its checks may find otherwise
    with Package.open(out) as package:  # type: ignore[union-attr]
        assert package.copy is not None and package.copy.findings is None


def test_rows_whose_formulas_changed_are_written_anew(tmp_path, monkeypatch) -> None:
    """Rows of formulas that differ only in their row number are fingerprinted by their pieces,
    never made: a formula xlkp now writes otherwise gives other rows, written anew."""
    first, then = publication("2021-Q1", "2021-Q2"), publication("2021-Q3", seed=2)
    written = []
    for use_copy in (True, False):
        out = tmp_path / f"copy-{use_copy}.xlsx"
        import_publications([first], out, use_store=False)
        with monkeypatch.context() as patch:
            patch.setattr(L, "_data_difference", lambda columns, r: f"=N({columns.ref(L.TOTAL_LABEL, r)})")
            if not use_copy:
                patch.setattr(data_copy, "read", lambda archive: None)
            import_publications([then], out, use_store=False)
        written.append(out)
    assert _differing(*written) == []
