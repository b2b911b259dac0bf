"""Totalen controleren and KP_CHECK never disagree silently, and both front-ends plan an import alike.

The KP_ functions answer from the store; the macro checks the sheets as they stand and says
where they no longer hold the stored publication (xlkp.plan)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.addin.remote_book import open_book
from xlkp.addin import macros, udfs
from xlkp.importer import import_files, import_publications
from xlkp.model import Publication
from xlkp.parse import read_publication
from xlkp.report import layout as L
from xlkp.samples import national_table, render_pdf, sample_sections
from xlkp.samples.defects import inject_sample_defects
from xlkp.store import Store
from xlkp.workbook import build

DEPARTS = "de bladen wijken af van de opgeslagen publicatie"


@pytest.fixture(autouse=True)
def store_path(remote_engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    store = tmp_path / "store.sqlite"
    monkeypatch.setenv("XLKP_STORE", str(store))
    udfs.reset()
    yield store
    udfs.reset()


@pytest.fixture(scope="module")
def xlsm() -> bytes:
    return build.build_xlsm_bytes()[0]


@pytest.fixture(scope="module")
def with_errors(tmp_path_factory) -> Path:
    sections = sample_sections("2021-Q1")
    inject_sample_defects(sections)
    path = tmp_path_factory.mktemp("pdfs") / "met-fouten.pdf"
    render_pdf(sections, path)
    return path


def sheet_values(path: Path) -> dict[str, list[list]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_untouched_sheets_give_the_findings_kp_check_reports(xlsm, with_errors, store_path, tmp_path):
    target = tmp_path / "Klantprofielen.xlsm"
    target.write_bytes(xlsm)
    import_publications([read_publication(with_errors)], target, store_path=store_path)
    with Store.open(store_path, create=False) as store:
        stored = store.findings()
    assert stored  # the defects are found

    message = macros.check_totals(open_book(target.read_bytes()))

    assert message and DEPARTS not in message
    assert f"{len(stored)} bevindingen" in message
    flagged = {f.region for f in stored if f.severity == "error" and f.region}
    assert flagged and all(udfs.KP_CHECK(region) != "OK" for region in flagged)


def test_an_edit_is_named_and_kp_check_keeps_the_stored_publication(xlsm, store_path, tmp_path):
    target = tmp_path / "Klantprofielen.xlsm"
    target.write_bytes(xlsm)
    q1 = sample_sections("2021-Q1")
    import_publications([Publication("q1.pdf", q1)], target, store_path=store_path)
    grid = [list(row) for row in sheet_values(target)[L.DATA]]
    header = grid[0]
    region, municipality = grid[1][header.index(L.REGION)], grid[1][header.index(L.MUNICIPALITY)]
    grid[1][header.index(L.TOTAL_LABEL)] += 7  # the user typed a wrong total
    with Store.open(store_path, create=False) as store:
        before = store.state()

    message = macros.check_totals(open_book(target.read_bytes(), {L.DATA: grid}))

    assert message and "fout" in message
    assert f"{DEPARTS} (2021-Q1: {region})" in message and "KP_CHECK" in message
    assert udfs.KP_CHECK(municipality.strip()) == "OK"  # the stored publication adds up
    with Store.open(store_path, create=False) as store:
        after = store.state()
    assert (after.sections, after.findings) == (before.sections, before.findings)  # checking writes nothing


def test_an_empty_store_is_named(xlsm, store_path, tmp_path):
    target = tmp_path / "Klantprofielen.xlsm"
    target.write_bytes(xlsm)
    import_publications([Publication("q1.pdf", sample_sections("2021-Q1")[:3])], target, use_store=False)

    message = macros.check_totals(open_book(target.read_bytes()))

    assert message and f"{DEPARTS} (2021-Q1 staat niet in de opslag)" in message
    assert not store_path.exists()  # checking creates no store


def test_labels_per_quarter_and_a_national_table_read_back_as_stored(xlsm, store_path, tmp_path):
    """Quarters with other labels, without labels, with a national table: the sheets still hold
    exactly the stored publication, so the macro names no departure."""
    target = tmp_path / "Klantprofielen.xlsm"
    target.write_bytes(xlsm)
    q1, q2, q3 = sample_sections("2021-Q1"), sample_sections("2021-Q2")[:6], sample_sections("2021-Q3")
    for section in q2:
        section.columns = ("Zonder profiel", "Profiel beperkt", "Profiel volledig", "Profiel en cv zichtbaar")
    nl3 = national_table(q3)
    nl3.columns = None
    q3 = q3[:6]
    for section in q3:
        section.columns = None
    for publication in (Publication("q1.pdf", q1), Publication("q2.pdf", q2), Publication("q3.pdf", q3, [nl3])):
        import_publications([publication], target, store_path=store_path, replace=True)

    message = macros.check_totals(open_book(target.read_bytes()))

    assert message and "Gecontroleerd: 47 regiotabellen" in message and DEPARTS not in message


def test_the_ribbon_and_the_command_line_store_the_same_import(xlsm, with_errors, store_path, tmp_path):
    channel = [[1], [str(with_errors)]]
    assert macros.import_pdf(open_book(xlsm, {build.CHANNEL: channel}))
    cli_store = tmp_path / "cli.sqlite"
    import_files([with_errors], tmp_path / "Klantprofielen.xlsx", store_path=cli_store)

    with Store.open(store_path, create=False) as ribbon, Store.open(cli_store, create=False) as cli:
        assert ribbon.sections() == cli.sections()
        assert ribbon.findings() == cli.findings()
        assert ribbon.national() == cli.national()
        assert ribbon.labels() == cli.labels()


def test_an_unreadable_store_is_said_and_the_check_still_done(xlsm, store_path, tmp_path):
    target = tmp_path / "Klantprofielen.xlsm"
    target.write_bytes(xlsm)
    import_publications([Publication("q1.pdf", sample_sections("2021-Q1")[:3])], target, use_store=False)
    store_path.write_bytes(b"geen database" * 100)
    book = open_book(target.read_bytes())

    message = macros.check_totals(book)

    assert message and message.startswith("Gecontroleerd: 3 regiotabellen.")
    assert "De KP_-functies kunnen de opslag niet lezen" in message and str(store_path) in message
    assert [a["args"][1] for a in book.json()["actions"] if a["func"] == "addSheet"] == [L.CONTROLS]
