"""KP_* worksheet functions as plain Python calls, on a store filled from generated PDFs.

Expected figures come from the generated sections (history_data.expected), not from the store.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.history_data import build_store, expected, import_pdf
from xlkp.addin.settings import configured_store
from xlkp.samples import sample_sections
from xlkp.store import Store

NHN = "Noord-Holland Noord"


def _row(period: str, region: str, municipality: str):
    return next(r for r in expected(period)[region].rows if r.municipality.strip() == municipality)


def test_coverage_region_municipality_and_country(udfs):
    for period in ("2021-Q1", "2022-Q1"):
        nhn = expected(period)[NHN]
        region = nhn.region_total.total / nhn.register
        assert udfs.KP_COVERAGE(NHN, period) == pytest.approx(region)
        # A municipality gets its region's figure: the register is only given per region.
        assert udfs.KP_COVERAGE("Alkmaar", period) == pytest.approx(region)
        everything = expected(period).values()
        assert udfs.KP_COVERAGE("Nederland", period) == pytest.approx(
            sum(s.region_total.total for s in everything) / sum(s.register for s in everything)
        )
    # The seed page's real figures: 7393 / 10187.
    assert udfs.KP_COVERAGE("Alkmaar", "2021-Q1") == pytest.approx(7393 / 10187)
    assert udfs.KP_COVERAGE("Alkmaar") == udfs.KP_COVERAGE("Alkmaar", "2022-Q1")


def test_period_defaults_to_latest_and_accepts_three_spellings(udfs):
    want = _row("2021-Q1", NHN, "Alkmaar").total
    for spelling in ("2021-Q1", "2021 Q1", "Eerste kwartaal 2021", " eerste  KWARTAAL 2021 "):
        assert udfs.KP_TOTAL("Alkmaar", spelling) == want
    latest = _row("2022-Q1", NHN, "Alkmaar").total
    assert latest != want
    assert udfs.KP_TOTAL("Alkmaar") == udfs.KP_TOTAL("Alkmaar", None) == udfs.KP_TOTAL("Alkmaar", "") == latest


@pytest.mark.parametrize(
    "typed, region, municipality",
    [
        ("alkmaar", NHN, "Alkmaar"),
        ("  ALKMAAR ", NHN, "Alkmaar"),
        ("Bergen NH", NHN, "Bergen NH"),
        ("bergen (n.h.)", NHN, "Bergen NH"),
        ("texel", NHN, "Texel"),  # printed with a stray leading space
        ("Sudwest Fryslan", "Friesland", "Súdwest-Fryslân"),
        ("'s-Hertogenbosch", "Noordoost-Brabant", "'s-Hertogenbosch"),
        ("Den Bosch", "Noordoost-Brabant", "'s-Hertogenbosch"),
        ("Nuenen, Gerwen en Nederwetten", "Zuidoost-Brabant", "Nuenen, Gerwen en Nederwetten"),
    ],
)
def test_municipality_spellings(udfs, typed, region, municipality):
    assert udfs.KP_TOTAL(typed, "2022-Q1") == _row("2022-Q1", region, municipality).total
    assert udfs.KP_REGION(typed) == region


@pytest.mark.parametrize("typed", [NHN, "Noord-Holland (Noord)", "noord holland noord", "Regio Noord-Holland Noord"])
def test_region_spellings(udfs, typed):
    assert udfs.KP_TOTAL(typed, "2021-Q1") == expected("2021-Q1")[NHN].region_total.total
    assert udfs.KP_REGISTER(typed, "2021-Q1") == 10187


def test_a_municipality_wins_over_a_region_of_the_same_name(udfs):
    groningen = expected("2022-Q1")["Groningen"]
    assert udfs.KP_TOTAL("Groningen") == _row("2022-Q1", "Groningen", "Groningen").total
    assert udfs.KP_TOTAL("Regio Groningen") == groningen.region_total.total
    assert udfs.KP_TOTAL("AMR Groningen") == groningen.region_total.total
    assert udfs.KP_TOTAL("Groot Amsterdam") == expected("2022-Q1")["Groot Amsterdam"].region_total.total


def test_value_by_label_number_and_total(udfs):
    row = _row("2022-Q1", NHN, "Alkmaar")
    labels = expected("2022-Q1")[NHN].columns
    for index in range(4):
        assert udfs.KP_VALUE("Alkmaar", labels[index]) == row.values[index]
        assert udfs.KP_VALUE("Alkmaar", labels[index].upper()) == row.values[index]
        assert udfs.KP_VALUE("Alkmaar", index + 1) == row.values[index]
        assert udfs.KP_VALUE("Alkmaar", float(index + 1)) == row.values[index]  # Excel's numbers
        assert udfs.KP_VALUE("Alkmaar", str(index + 1)) == row.values[index]
        assert udfs.KP_VALUE("Alkmaar", f"Categorie {index + 1}") == row.values[index]
    assert udfs.KP_VALUE("Alkmaar", "Totaal") == udfs.KP_VALUE("Alkmaar", "totaal") == row.total
    total = expected("2021-Q1")[NHN].region_total
    assert udfs.KP_VALUE(NHN, 3, "2021-Q1") == total.values[2]
    assert udfs.KP_VALUE("Nederland", 2, "2021-Q1") == sum(
        s.region_total.values[1] for s in expected("2021-Q1").values()
    )


def test_register_total_region_for_country_and_municipality(udfs):
    sections = expected("2022-Q1")
    assert udfs.KP_REGISTER("Nederland") == sum(s.register for s in sections.values())
    assert udfs.KP_REGISTER("Alkmaar") == sections[NHN].register
    assert udfs.KP_TOTAL("Nederland") == sum(s.region_total.total for s in sections.values())
    assert udfs.KP_REGION(NHN) == NHN
    assert udfs.KP_REGION("Nederland") == "Nederland"


def test_mergers(udfs):
    # Heerhugowaard vanished in 2022 but still has its region; Dijk en Waard is new.
    assert udfs.KP_REGION("Heerhugowaard") == NHN
    assert udfs.KP_REGION("Dijk en Waard") == NHN
    assert udfs.KP_TOTAL("Heerhugowaard", "2021-Q1") == _row("2021-Q1", NHN, "Heerhugowaard").total
    assert udfs.KP_TOTAL("Dijk en Waard", "2022-Q1") == _row("2022-Q1", NHN, "Dijk en Waard").total
    # The old name in a later quarter names its successor (issue 10: no "staat niet in" any more).
    with pytest.raises(udfs.KPFormulaError, match=r"^Heerhugowaard is per 1 januari 2022 opgegaan in Dijk en Waard$"):
        udfs.KP_TOTAL("Heerhugowaard")
    # The new name in an earlier quarter is its predecessors together, on the indeling of 2022.
    both = [_row("2021-Q1", NHN, name) for name in ("Heerhugowaard", "Langedijk")]
    assert udfs.KP_TOTAL("Dijk en Waard", "2021 Q1") == sum(r.total for r in both)
    assert udfs.KP_VALUE("Dijk en Waard", 2, "2021-Q1") == sum(r.values[1] for r in both)
    assert udfs.KP_COVERAGE("Dijk en Waard", "2021 Q1") == pytest.approx(7393 / 10187)


def test_periods_is_a_column(udfs):
    assert udfs.KP_PERIODS() == [["2021-Q1"], ["2022-Q1"]]


def test_table_with_headers(udfs):
    table = udfs.KP_TABLE("Noord-Holland (Noord)", "2021-Q1")
    section = expected("2021-Q1")[NHN]
    assert table[0] == ["Gemeente", *section.columns, "Totaal"]
    assert table[1:-1] == [[r.municipality.strip(), *r.values, r.total] for r in section.rows]
    assert table[-1] == ["TOTAAL AMR", *section.region_total.values, section.region_total.total]
    assert udfs.KP_TABLE("Alkmaar", "2021-Q1") == table  # a municipality: its region's table
    table[1][1] = "gewijzigd"  # what a caller does to its copy does not reach the cache
    assert udfs.KP_TABLE(NHN, "2021-Q1")[1][1] == section.rows[0].values[0]
    country = udfs.KP_TABLE("Nederland")
    assert len(country) == 1 + 35 + 1
    assert country[-1] == ["Nederland", *[sum(r[i] for r in country[1:-1]) for i in range(1, 6)]]
    assert country[-1][5] == udfs.KP_TOTAL("Nederland")


def test_check(udfs, tmp_path, monkeypatch):
    assert udfs.KP_CHECK("Alkmaar") == "OK"
    assert udfs.KP_CHECK("Nederland", "2021-Q1") == "OK"
    # A store with errors in it: a row that does not add up.
    sections = sample_sections("2022-Q1")
    from xlkp.checks import check_sections
    from xlkp.model import Row

    nhn = next(s for s in sections if s.region == NHN)
    i = next(i for i, r in enumerate(nhn.rows) if r.municipality == "Alkmaar")
    bad = nhn.rows[i]
    nhn.rows[i] = Row(bad.municipality, bad.values, bad.total + 10)
    path = tmp_path / "fouten.sqlite"
    with Store.open(path) as store:
        store.replace_periods(sections, check_sections(sections), "fouten.pdf")
    monkeypatch.setenv("XLKP_STORE", str(path))
    alkmaar = udfs.KP_CHECK("Alkmaar")
    assert alkmaar.startswith("Alkmaar: de vier aantallen tellen op tot")
    region = udfs.KP_CHECK(NHN)
    assert alkmaar in region and "TOTAAL AMR in kolom 'Totaal'" in region
    assert udfs.KP_CHECK("Texel") == "OK"
    assert udfs.KP_CHECK("Zeeland") == "OK"
    assert udfs.KP_CHECK("Nederland").startswith(f"{NHN}: Alkmaar: de vier aantallen")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda u: u.KP_COVERAGE("Alkmar"), "onbekende gemeente 'Alkmar' — bedoelt u Alkmaar?"),
        (lambda u: u.KP_TOTAL("Noord-Holand Noord"), "onbekende regio 'Noord-Holand Noord' — bedoelt u Noord-Holland Noord?"),
        (lambda u: u.KP_TOTAL("xyzzy"), "onbekende gemeente of regio 'xyzzy'"),
        (lambda u: u.KP_TOTAL(""), "geef een gemeente of regio op"),
        (lambda u: u.KP_TOTAL(None), "geef een gemeente of regio op"),
        (lambda u: u.KP_TOTAL("Alkmaar", "2023-Q1"), "periode 2023-Q1 is niet geïmporteerd; wel: 2021-Q1, 2022-Q1"),
        (lambda u: u.KP_TOTAL("Alkmaar", "gisteren"), "onbekende periode 'gisteren' — schrijf bv. 2021-Q1, 2021 Q1 of Eerste kwartaal 2021"),
        (lambda u: u.KP_VALUE("Alkmaar", "Profiel UWW"), "onbekende kolom 'Profiel UWW' — bedoelt u Profiel UWV?"),
        (lambda u: u.KP_VALUE("Alkmaar", "iets"), "onbekende kolom 'iets' — kies 1-4, Totaal of: Profiel UWV, Profiel gemeente, Profiel beide, Zonder profiel"),
        (lambda u: u.KP_VALUE("Alkmaar", 5), "kolom 5 bestaat niet — kies 1-4 of Totaal"),
        (lambda u: u.KP_VALUE("Alkmaar", 1.5), "kolom 1.5 bestaat niet — kies 1-4 of Totaal"),
        (lambda u: u.KP_VALUE("Alkmaar", True), "geef een kolom op: 1-4, Totaal of een kolomnaam"),
        (lambda u: u.KP_VALUE("Alkmaar", None), "geef een kolom op: 1-4, Totaal of een kolomnaam"),
        (lambda u: u.KP_REGION("Alkmar"), "onbekende gemeente 'Alkmar' — bedoelt u Alkmaar?"),
        (lambda u: u.KP_TABLE("Alkmar"), "onbekende gemeente 'Alkmar' — bedoelt u Alkmaar?"),
        (lambda u: u.KP_CHECK("Alkmar"), "onbekende gemeente 'Alkmar' — bedoelt u Alkmaar?"),
        (lambda u: u.KP_REGISTER("Alkmar"), "onbekende gemeente 'Alkmar' — bedoelt u Alkmaar?"),
        (lambda u: u.KP_TOTAL([["Alkmaar", "Texel"]]), "geef één waarde op, geen bereik van cellen"),
    ],
)
def test_errors_name_the_problem_never_a_silent_zero(udfs, call, message):
    for _ in range(2):  # the second answer comes from the memo and must be the same error
        with pytest.raises(udfs.KPFormulaError) as raised:
            call(udfs)
        assert str(raised.value) == message


def test_true_is_not_column_one_even_after_column_one_was_asked(udfs):
    assert udfs.KP_VALUE("Alkmaar", 1) == _row("2022-Q1", NHN, "Alkmaar").values[0]
    with pytest.raises(udfs.KPFormulaError):
        udfs.KP_VALUE("Alkmaar", True)


def test_no_store_yet(udfs, tmp_path, monkeypatch):
    monkeypatch.setenv("XLKP_STORE", str(tmp_path / "leeg" / "store.sqlite"))
    with pytest.raises(udfs.KPFormulaError, match="nog niets geïmporteerd"):
        udfs.KP_PERIODS()
    assert not (tmp_path / "leeg").exists()  # reading never creates a store


def test_answers_come_from_memory_after_the_first_call(udfs, monkeypatch):
    first = udfs.KP_COVERAGE("Alkmaar"), udfs.KP_TABLE("Zeeland")

    def no_reading(*args, **kwargs):
        raise AssertionError("the store was read again")

    monkeypatch.setattr(Store, "open", no_reading)
    monkeypatch.setattr(udfs, "RECHECK_SECONDS", 3600)
    for _ in range(3):
        assert (udfs.KP_COVERAGE("Alkmaar"), udfs.KP_TABLE("Zeeland")) == first
    # A question not asked before is answered from the index in memory, not the store.
    assert udfs.KP_TOTAL("Texel") == _row("2022-Q1", NHN, "Texel").total


def test_cache_notices_a_write_from_another_process(tmp_path, monkeypatch):
    from xlkp.addin import udfs

    path = build_store(tmp_path, periods=("2021-Q1",))
    monkeypatch.setenv("XLKP_STORE", str(path))
    udfs.reset()
    assert udfs.KP_PERIODS() == [["2021-Q1"]]
    before = udfs.KP_TOTAL("Goes")
    script = textwrap.dedent(
        f"""
        from xlkp.checks import check_sections
        from xlkp.samples import sample_sections
        from xlkp.store import Store
        with Store.open({str(path)!r}) as store:
            for period, seed in (("2021-Q1", 9), ("2022-Q1", 1)):
                sections = sample_sections(period, seed=seed)
                store.replace_periods(sections, check_sections(sections), "cli")
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    monkeypatch.setattr(udfs, "RECHECK_SECONDS", 0)
    assert udfs.KP_PERIODS() == [["2021-Q1"], ["2022-Q1"]]
    after = udfs.KP_TOTAL("Goes", "2021-Q1")
    assert after == _seed9_goes() != before
    udfs.reset()


def _seed9_goes() -> int:
    zeeland = next(s for s in sample_sections("2021-Q1", seed=9) if s.region == "Zeeland")
    return next(r.total for r in zeeland.rows if r.municipality == "Goes")


def test_store_location_from_the_workbook(udfs, tmp_path, monkeypatch):
    assert configured_store({"XLKP_STORE": "data/kp.sqlite"}, str(tmp_path / "Klantprofielen.xlsm")) == (
        tmp_path / "data" / "kp.sqlite"
    )
    book_in = str(tmp_path / "Klantprofielen.xlsm")
    assert configured_store({"xlkp_store": str(tmp_path / "a.sqlite")}, book_in) == tmp_path / "a.sqlite"
    assert configured_store({"INTERPRETER": "python"}) is None
    assert configured_store({"XLKP_STORE": None}) is None

    class Book:  # what xlwings' read_config_sheet needs of a book
        fullname = str(tmp_path / "Klantprofielen.xlsm")

        class sheets:
            def __class_getitem__(cls, name):
                assert name == "xlwings.conf"
                return {"A1:B1": Range()}

    class Range:
        def options(self, *args, **kwargs):
            return self

        value = {"XLKP_STORE": "boek.sqlite"}

    monkeypatch.setattr(udfs, "_caller_book", lambda: Book)
    assert udfs.store_path() == str(udfs.default_store_path())  # env XLKP_STORE goes first
    monkeypatch.delenv("XLKP_STORE")
    udfs.reset()
    assert udfs.store_path() == str(tmp_path / "boek.sqlite")
    monkeypatch.setattr(udfs, "_caller_book", lambda: None)
    udfs.reset()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "xdg"))
    assert udfs.store_path() == str(tmp_path / "xdg" / "xlkp" / "store.sqlite")


def test_docstrings_tell_the_function_wizard_about_municipalities(udfs):
    assert "gemeente" in udfs.KP_COVERAGE.__doc__ and "per regio" in udfs.KP_COVERAGE.__doc__
    assert "percentage" in udfs.KP_COVERAGE.__doc__


def test_a_question_reads_only_the_quarter_it_needs(udfs, monkeypatch):
    read: list = []
    state = Store.state

    def recording(self, period=None):
        read.append(period)
        return state(self, period)

    monkeypatch.setattr(Store, "state", recording)
    assert udfs.KP_TOTAL("Alkmaar") == _row("2022-Q1", NHN, "Alkmaar").total
    assert read == ["2022-Q1"]
    assert udfs.KP_PERIODS() == [["2021-Q1"], ["2022-Q1"]]
    assert udfs.KP_TOTAL("Alkmaar", "2021-Q1") == _row("2021-Q1", NHN, "Alkmaar").total
    assert read == ["2022-Q1", "2021-Q1"]  # each quarter once


def test_a_write_between_two_quarters_reads_afresh(tmp_path, monkeypatch):
    from xlkp.addin import udfs
    from xlkp.checks import check_sections
    from xlkp.samples import make_section

    path = tmp_path / "store.sqlite"
    with Store.open(path) as store:
        for period in ("2021-Q1", "2022-Q1"):
            sections = sample_sections(period)
            store.replace_periods(sections, check_sections(sections), "test")
    monkeypatch.setenv("XLKP_STORE", str(path))
    udfs.reset()
    try:
        assert udfs.KP_TOTAL("Alkmaar") == _row("2022-Q1", NHN, "Alkmaar").total
        # Another process replaces 2021-Q1 before this one has read that quarter; the recheck
        # interval has not passed.
        changed = [make_section("2021-Q1", NHN, [("Alkmaar", (1, 2, 3, 4))], register=100),
                   make_section("2023-Q1", NHN, [("Alkmaar", (2, 2, 3, 4))], register=100)]
        with Store.open(path) as store:
            store.replace_periods(changed, check_sections(changed), "other process")
        assert udfs.KP_TOTAL("Alkmaar", "2021-Q1") == 10
        # ...and the list of quarters is the new one too: the whole state was read again.
        assert udfs.KP_PERIODS() == [["2021-Q1"], ["2022-Q1"], ["2023-Q1"]]
    finally:
        udfs.reset()


def test_check_says_a_sample_quarter_is_fictitious(tmp_path, monkeypatch):
    from xlkp.addin import udfs
    from xlkp.model import SAMPLE_MARK
    from xlkp.samples import render_pdf

    pdf, path = tmp_path / "voorbeeld.pdf", tmp_path / "s.sqlite"
    render_pdf(sample_sections("2021-Q4"), pdf)
    with Store.open(path) as store:
        import_pdf(store, pdf)
    monkeypatch.setenv("XLKP_STORE", str(path))
    udfs.reset()
    try:
        assert udfs.KP_CHECK("Alkmaar") == f"{SAMPLE_MARK}; OK"
        assert udfs.KP_CHECK("Nederland") == f"{SAMPLE_MARK}; OK"
        assert udfs.KP_TOTAL("Alkmaar") == next(
            r.total for r in expected("2021-Q4")[NHN].rows if r.municipality == "Alkmaar"
        )
    finally:
        udfs.reset()
