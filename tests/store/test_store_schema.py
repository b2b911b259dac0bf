"""Schema versions: a store written by an older xlkp opens and keeps everything; the national
table and per-quarter labels round-trip."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from xlkp.checks import check_sections
from xlkp.model import Finding, NationalRow, NationalTable
from xlkp.samples import sample_sections
from xlkp.store import SCHEMA_VERSION, Store

# Written by xlkp at commit 0c0fab2 (schema 1) and 97e4f50 (schema 2): 2021-Q1 of the sample
# without Regio Zwolle, and two findings. See make_schema_1_store() for how they were made
# (made again, with those commits' store.py, when the sample's 2021 municipalities were corrected).
OLD_STORES = {
    1: Path(__file__).parent / "data" / "schema-1.sqlite",
    2: Path(__file__).parent / "data" / "schema-2.sqlite",
}


def make_schema_1_store(path: Path, old_store_module) -> None:
    """How OLD_STORES were made, with xlkp/store.py of that commit as `old_store_module`."""
    sections = sample_sections("2021-Q1")
    del sections[3]
    with old_store_module.Store.open(path) as store:
        store.replace_periods(sections, LEGACY_FINDINGS, "oud.pdf")


LEGACY_FINDINGS = [
    Finding("row_total", "2021-Q1", "Zeeland", "Goes", 5, 4, "Goes: kapot.", "Totaal"),
    Finding("unknown_region", "2021-Q1", "Atlantis", None, None, None, "Onbekend."),
]


@pytest.mark.parametrize("version", sorted(OLD_STORES))
def test_an_older_store_is_read_as_it_is_and_migrated_by_a_writer(tmp_path, version):
    path = tmp_path / "oud.sqlite"
    path.write_bytes(OLD_STORES[version].read_bytes())
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == version
    sections = sample_sections("2021-Q1")
    del sections[3]
    with Store.open(path, create=False) as reader:  # read-only: nothing migrates
        assert reader.sections() == sections
        assert [(f.kind, f.severity) for f in reader.findings()] == [("row_total", "error"), ("unknown_region", "warning")]
        assert reader.national() == [] and reader.periods() == ["2021-Q1"]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == version
    with Store.open(path) as store:
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.sections() == sections
        assert [(f.kind, f.region, f.municipality, f.severity) for f in store.findings()] == [
            ("row_total", "Zeeland", "Goes", "error"),
            ("unknown_region", "Atlantis", None, "warning"),
        ]
        assert store.national() == []
        # and the new fields can be written into the migrated file
        findings = check_sections(sections)
        store.replace_periods(sections, findings, "nieuw.pdf")
        assert store.findings() == findings
        assert [f.region for f in findings if f.kind == "incomplete_publication"] == [None]
    with Store.open(path) as store:  # a second open migrates nothing again
        assert store.findings() == findings


def test_national_table_and_labels_round_trip(tmp_path):
    q1, q2 = sample_sections("2021-Q1"), sample_sections("2021-Q2")
    relabelled = ("Zonder profiel", "Profiel beperkt", "Profiel volledig", "Profiel en cv zichtbaar")
    for section in q2:
        section.columns = relabelled
    table = NationalTable(
        "2021-Q2",
        rows=[NationalRow(s.region, s.region_as_printed, s.region_total.values, s.region_total.total,
                          s.register, s.coverage_percent_printed, 1) for s in q2],
        total=NationalRow(None, "Nederland", (1, 2, 3, 4), 10, 20, 50, 2),
        register=20,
        coverage_percent_printed=50,
        columns=relabelled,
        pages=[1, 2],
    )
    with Store.open(tmp_path / "s.sqlite") as store:
        store.replace_periods(q1, [], "q1.pdf")
        store.replace_periods(q2, [], "q2.pdf", national=[table])
        assert store.national() == [table]
        assert store.national("2021-Q1") == []
        assert store.labels() == {"2021-Q1": q1[0].columns, "2021-Q2": relabelled}
        assert store.latest_labels() == relabelled
        assert store.latest_labels(before="2021-Q2") == q1[0].columns
        state = store.state()
        assert (state.sections, state.national) == (q1 + q2, [table])
        # importing 2021-Q1 again leaves 2021-Q2's table and labels alone
        store.replace_periods(q1, [], "q1.pdf")
        assert store.national() == [table]
        assert store.labels()["2021-Q2"] == relabelled
        # a period that holds only a national table is still a period
        store.replace_periods([], [], "landelijk.pdf", national=[NationalTable("2020-Q4", pages=[1])])
        assert store.periods() == ["2020-Q4", "2021-Q1", "2021-Q2"]
