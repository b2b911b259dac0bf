"""The history store: round trip, replacement, one transaction per write, location."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.history_data import build_store, import_pdf
from xlkp.checks import check_sections
from xlkp.model import Finding, replace
from xlkp.parse import read_publication
from xlkp.samples import RenderOptions, render_pdf, sample_sections
from xlkp.store import Store, StoreError, change_token, default_store_path


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("store"))


def _copy(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    target.write_bytes(path.read_bytes())
    return target


def _fingerprint(store: Store) -> tuple:
    return (
        store.periods(),
        [s.to_dict() for s in store.sections()],
        [f.to_dict() for f in store.findings()],
    )


def test_round_trip_rebuilds_sections_columns_and_all(two_periods):
    with Store.open(two_periods) as store:
        assert store.periods() == ["2021-Q1", "2022-Q1"]
        for period in ("2021-Q1", "2022-Q1"):
            back = store.sections(period)
            read = read_publication(two_periods.parent / f"{period}.pdf").sections
            # Everything read from the PDF comes back, pages, printed labels and spellings too.
            assert [s.to_dict() for s in back] == [s.to_dict() for s in read]
            assert [[r.page for r in s.rows] for s in back] == [[r.page for r in s.rows] for s in read]
            assert [s.region_total.page for s in back] == [s.region_total.page for s in read]
            assert back == read
            # ... and that is what was generated, numbers and all.
            generated = sample_sections(period)
            assert [s.register for s in back] == [s.register for s in generated]
            assert [s.columns for s in back] == [s.columns for s in generated]
            assert [[r.values for r in s.rows] for s in back] == [[r.values for r in s.rows] for s in generated]
        assert store.sections("Eerste kwartaal 2021") == store.sections("2021-Q1")
        assert len(store.sections()) == 70
        names_2021 = {r.municipality for s in store.sections("2021-Q1") for r in s.rows}
        names_2022 = {r.municipality for s in store.sections("2022-Q1") for r in s.rows}
        assert "Heerhugowaard" in names_2021 - names_2022
        assert "Dijk en Waard" in names_2022 - names_2021


def test_reimport_replaces_the_period_and_leaves_others(two_periods, tmp_path):
    path = _copy(two_periods, tmp_path)
    changed = sample_sections("2021-Q1", seed=7)
    with Store.open(path) as store:
        before_2022 = _fingerprint(store)[1][35:]
        generation = store.generation()
        findings = [Finding("row_total", "2021-Q1", "Zeeland", "Goes", 5, 4, "Goes: kapot.")]
        store.replace_periods(changed, findings, "opnieuw.pdf")
        store.replace_periods(changed, findings, "opnieuw.pdf")  # twice: nothing doubles
        assert store.generation() == generation + 2
        assert store.sections("2021-Q1") == changed
        assert store.findings("2021-Q1") == findings
        assert [s.to_dict() for s in store.sections("2022-Q1")] == before_2022
        assert dict((p, src) for p, src, _ in store.imports())["2021-Q1"] == "opnieuw.pdf"
        db = sqlite3.connect(path)
        assert db.execute("SELECT COUNT(*) FROM sections").fetchone()[0] == 70
        rows_expected = sum(len(s.rows) + 1 for s in changed + store.sections("2022-Q1"))
        assert db.execute("SELECT COUNT(*) FROM rows").fetchone()[0] == rows_expected
        db.close()


def test_a_failing_write_changes_nothing(two_periods, tmp_path):
    path = _copy(two_periods, tmp_path)
    with Store.open(path) as store:
        before = _fingerprint(store)
        generation = store.generation()
        broken = sample_sections("2021-Q1", seed=3)
        broken[20] = replace(broken[20], region_as_printed=None)  # NOT NULL fails
        with pytest.raises(sqlite3.IntegrityError):
            store.replace_periods(broken, [], "kapot.pdf")
        assert _fingerprint(store) == before
        assert store.generation() == generation
        with pytest.raises(ValueError, match="2023-Q1"):
            store.replace_periods(broken[:1], [Finding("x", "2023-Q1", "Zeeland", None, None, None, "m")], "s")
        assert _fingerprint(store) == before


def test_a_crash_mid_import_leaves_the_previous_state(two_periods, tmp_path):
    path = _copy(two_periods, tmp_path)
    with Store.open(path) as store:
        before = _fingerprint(store)
    # A real crash: the process dies inside the transaction, after some rows are written.
    script = textwrap.dedent(
        f"""
        import os
        from xlkp.samples import sample_sections
        from xlkp.store import Store

        store = Store.open({str(path)!r})
        original = Store._insert_sections

        def insert_then_die(self, sections, import_id):
            original(self, sections[:10], import_id)
            os._exit(9)

        Store._insert_sections = insert_then_die
        store.replace_periods(sample_sections("2021-Q1", seed=5), [], "crash.pdf")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 9, result.stderr
    with Store.open(path) as store:
        assert _fingerprint(store) == before


def test_change_token_follows_every_write(tmp_path):
    path = tmp_path / "s.sqlite"
    assert change_token(path) is None
    sections = sample_sections("2021-Q1")
    with Store.open(path) as store:
        tokens = {store.change_token()}
        for _ in range(3):  # faster than any mtime tick: the SQLite counter still moves
            store.replace_periods(sections, check_sections(sections), "a.pdf")
            tokens.add(store.change_token())
        assert len(tokens) == 4
        assert store.generation() == 3


def test_open_without_create_and_a_file_that_is_no_store(tmp_path):
    missing = tmp_path / "nee" / "store.sqlite"
    with pytest.raises(StoreError, match="nog niets geïmporteerd"):
        Store.open(missing, create=False)
    assert not missing.exists()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"dit is geen database" * 100)
    with pytest.raises(StoreError, match="geen bruikbare xlkp-opslag"):
        Store.open(junk)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreError, match="nieuwere xlkp"):
        Store.open(path)


def test_default_location(monkeypatch, tmp_path):
    monkeypatch.setenv("XLKP_STORE", str(tmp_path / "mijn.sqlite"))
    assert default_store_path() == tmp_path / "mijn.sqlite"
    monkeypatch.delenv("XLKP_STORE")
    if sys.platform.startswith("win"):
        monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    else:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "xlkp" / "store.sqlite"
    if not sys.platform.startswith("win"):
        monkeypatch.delenv("XDG_DATA_HOME")
        monkeypatch.setenv("HOME", str(tmp_path))
        assert default_store_path() == tmp_path / ".local" / "share" / "xlkp" / "store.sqlite"
    with Store.open() as store:  # None -> the default, directories made on the way
        assert store.path == default_store_path()
        assert store.periods() == []


def test_pdf_import_helper_matches_checks(tmp_path):
    pdf = tmp_path / "p.pdf"
    render_pdf(sample_sections("2021-Q4"), pdf)
    with Store.open(tmp_path / "s.sqlite") as store:
        sections = import_pdf(store, pdf)
        assert store.findings() == check_sections(sections) == []
        assert store.periods() == ["2021-Q4"]


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_older_store_opens_and_keeps_its_data(tmp_path, version):
    """Stores written before samples and per-table sources were kept (schema 3 is the base
    tables as they are; 1 and 2 are approximated by them, 1 without `pending`). Read as they
    are, then migrated by the first writer."""
    from xlkp.store import _SCHEMA, SCHEMA_VERSION

    path = tmp_path / "oud.sqlite"
    db = sqlite3.connect(path)
    db.executescript(_SCHEMA)
    if version == 1:
        db.execute("DROP TABLE pending")
    db.execute("INSERT INTO meta VALUES ('generation', '4')")
    db.execute("INSERT INTO imports VALUES (1, 'a.pdf, b.pdf', '2024-05-01T10:00:00+00:00')")
    db.execute(
        "INSERT INTO sections(id, period, position, region, region_as_printed, register,"
        " coverage_percent_printed, pages, import_id) VALUES (1, '2021-Q1', 1, 'Zeeland', 'Zeeland', 100, 10, '[3]', 1)"
    )
    db.execute("INSERT INTO rows VALUES (1, 0, 'Goes', 1, 2, 3, 4, 10, 3)")
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()
    for create in (False, True):  # a reader never changes the file; a writer migrates it
        with Store.open(path, create=create) as store:
            [section] = store.sections()
            assert (section.region, section.rows[0].municipality, section.rows[0].total) == ("Zeeland", "Goes", 10)
            assert section.sample is False and section.source is None
            assert store.generation() == 4
            [quarter] = store.quarters()
            assert (quarter.period, quarter.regions, quarter.municipalities, quarter.pages) == ("2021-Q1", 1, 1, 1)
            assert quarter.sources == ["a.pdf, b.pdf"] and quarter.sample is False
        expected_version = SCHEMA_VERSION if create else version
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == expected_version
    with Store.open(path) as store:  # opening again runs no step twice
        store.replace_periods(sample_sections("2021-Q2")[:1], [], "c.pdf")
        assert store.periods() == ["2021-Q1", "2021-Q2"]
        assert store.quarters()[1].sources == ["c.pdf"]


def test_the_store_remembers_which_quarters_were_samples(tmp_path):
    sample, real = tmp_path / "voorbeeld.pdf", tmp_path / "echt.pdf"
    render_pdf(sample_sections("2021-Q1")[:3], sample)
    render_pdf(sample_sections("2021-Q2")[:3], real, RenderOptions(sample_mark=False))
    with Store.open(tmp_path / "s.sqlite") as store:
        import_pdf(store, sample)
        import_pdf(store, real)
        assert store.sample_periods() == {"2021-Q1"}
        assert [s.sample for s in store.sections()] == [True] * 3 + [False] * 3
        assert {s.source for s in store.sections("2021-Q1")} == {str(sample)}
        # A real publication of the same quarter replaces the sample, and the mark goes with it.
        render_pdf(sample_sections("2021-Q1", seed=5)[:3], real, RenderOptions(sample_mark=False))
        import_pdf(store, real)
        assert store.sample_periods() == set()
        assert store.forget_periods(["2021-Q1", "2030-Q1"]) == ["2021-Q1"]
        assert store.periods() == ["2021-Q2"]
