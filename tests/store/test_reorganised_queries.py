"""Municipal reorganisations through the store, across quarters made with the sample generator:
KP_* and `xlkp show` for a successor asked before its start, an old name asked after its end,
splits, and a municipality's series on the latest indeling."""

from __future__ import annotations

import pytest

from tests.history_data import build_store, expected
from xlkp.cli import main
from xlkp.model import replace
from xlkp.query import LookupFailure, QueryIndex, describe
from xlkp.samples import sample_sections

NHN = "Noord-Holland Noord"
NOB = "Noordoost-Brabant"
LAND_VAN_CUIJK = ("Boxmeer", "Cuijk", "Grave", "Mill en Sint Hubert", "Sint Anthonis")


def _names(period: str) -> set[str]:
    return {r.municipality.strip() for s in sample_sections(period) for r in s.rows}


def _rows(period: str, region: str, names) -> list:
    by_name = {r.municipality.strip(): r for r in expected(period)[region].rows}
    return [by_name[n] for n in names]


@pytest.fixture(scope="module")
def store_file(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("reorganised"), periods=("2021-Q4", "2022-Q1"))


@pytest.fixture
def kp(store_file, monkeypatch):
    from xlkp.addin import udfs

    monkeypatch.setenv("XLKP_STORE", str(store_file))
    udfs.reset()
    yield udfs
    udfs.reset()


def test_the_sample_lists_each_quarter_as_it_was():
    q4, q1, q2 = _names("2021-Q4"), _names("2022-Q1"), _names("2022-Q2")
    assert {"Heerhugowaard", "Langedijk", *LAND_VAN_CUIJK, "Landerd", "Uden", "Beemster"} <= q4
    assert not {"Dijk en Waard", "Land van Cuijk", "Maashorst"} & q4
    assert {"Dijk en Waard", "Land van Cuijk", "Maashorst", "Purmerend"} <= q1
    assert not {"Heerhugowaard", "Langedijk", *LAND_VAN_CUIJK, "Landerd", "Uden", "Beemster"} & q1
    # Weesp joined Amsterdam on 24 March 2022: still printed in the first quarter, not in the second.
    assert "Weesp" in q4 and "Weesp" in q1 and "Weesp" not in q2
    assert {"Haren", "Ten Boer", "Winsum", "Lingewaal", "Haaren"} <= _names("2018-Q4")
    assert not {"Het Hogeland", "Westerkwartier", "West Betuwe", "Eemsdelta"} & _names("2018-Q4")


def test_a_successor_before_its_start_is_its_predecessors_together(kp):
    both = _rows("2021-Q4", NHN, ("Heerhugowaard", "Langedijk"))
    assert kp.KP_TOTAL("Dijk en Waard", "2021-Q4") == sum(r.total for r in both)
    for column in range(4):
        assert kp.KP_VALUE("Dijk en Waard", column + 1, "2021-Q4") == sum(r.values[column] for r in both)
    nhn = expected("2021-Q4")[NHN]
    assert kp.KP_COVERAGE("Dijk en Waard", "2021-Q4") == pytest.approx(nhn.region_total.total / nhn.register)
    assert kp.KP_REGISTER("Dijk en Waard", "2021-Q4") == nhn.register
    assert kp.KP_CHECK("Dijk en Waard", "2021-Q4") == "OK"
    assert kp.KP_REGION("Dijk en Waard") == NHN
    five = _rows("2021-Q4", NOB, LAND_VAN_CUIJK)
    assert kp.KP_TOTAL("Land van Cuijk", "2021-Q4") == sum(r.total for r in five)
    # In its own quarters the printed row answers.
    printed = _rows("2022-Q1", NHN, ("Dijk en Waard",))[0]
    assert kp.KP_TOTAL("Dijk en Waard") == kp.KP_TOTAL("Dijk en Waard", "2022-Q1") == printed.total
    # A municipality that took another in is the printed one in each quarter (Purmerend, Beemster).
    purmerend = _rows("2021-Q4", "Zaanstreek/Waterland", ("Purmerend",))[0]
    assert kp.KP_TOTAL("Purmerend", "2021-Q4") == purmerend.total


def test_an_old_name_after_its_end_names_its_successor(kp):
    with pytest.raises(kp.KPFormulaError, match=r"^Heerhugowaard is per 1 januari 2022 opgegaan in Dijk en Waard$"):
        kp.KP_TOTAL("Heerhugowaard", "2022-Q1")
    with pytest.raises(kp.KPFormulaError, match=r"^Sint Anthonis is per 1 januari 2022 opgegaan in Land van Cuijk$"):
        kp.KP_COVERAGE("sint anthonis")
    assert kp.KP_TOTAL("Heerhugowaard", "2021-Q4") == _rows("2021-Q4", NHN, ("Heerhugowaard",))[0].total
    assert kp.KP_REGION("Heerhugowaard") == NHN  # the last quarter it was printed in
    # Weesp is still printed in 2022-Q1 (the merger was on 24 March): its own row answers.
    assert kp.KP_TOTAL("Weesp", "2022-Q1") == _rows("2022-Q1", "Gooi en Vechtstreek", ("Weesp",))[0].total


def test_show_says_which_indeling(store_file, capsys):
    assert main(["show", "Dijk en Waard", "--period", "2021-Q4", "--store", str(store_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Dijk en Waard (gemeente in regio Noord-Holland Noord), 2021-Q4\n")
    assert "op de indeling van 2022: de som van Heerhugowaard en Langedijk, zoals gedrukt in 2021-Q4" in out
    total = sum(r.total for r in _rows("2021-Q4", NHN, ("Heerhugowaard", "Langedijk")))
    assert f"Totaal {total:,}".replace(",", ".") in " ".join(out.split())
    assert main(["show", "Heerhugowaard", "--period", "2022-Q1", "--store", str(store_file)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "xlkp: Heerhugowaard is per 1 januari 2022 opgegaan in Dijk en Waard\n"


def _history(period: str, drop: tuple[str, ...] = ()) -> QueryIndex:
    sections = [
        replace(s, rows=[r for r in s.rows if r.municipality.strip() not in drop])
        for s in sample_sections(period)
    ]
    return QueryIndex(sections)


def test_a_missing_predecessor_is_an_error_not_a_partial_sum():
    history = _history("2021-Q4", drop=("Langedijk",))
    with pytest.raises(LookupFailure, match=r"^Dijk en Waard \(op de indeling van 2022: Heerhugowaard en Langedijk\) is in 2021-Q4 niet op te tellen: Langedijk ontbreekt$"):
        history.area("Dijk en Waard", "2021-Q4")
    history = _history("2021-Q4", drop=("Grave", "Cuijk"))
    with pytest.raises(LookupFailure, match=r"niet op te tellen: Cuijk en Grave ontbreken$"):
        history.area("Land van Cuijk", "2021-Q4")


def test_2019_mergers_and_splits_in_2018():
    history = _history("2018-Q4")
    five = ("Binnenmaas", "Cromstrijen", "Korendijk", "Oud-Beijerland", "Strijen")
    area = history.area("Hoeksche Waard", "2018-Q4")
    assert area.row.total == sum(r.total for r in _rows("2018-Q4", "Rijnmond", five))
    assert area.indeling == "de indeling van 2019"
    with pytest.raises(LookupFailure, match=r"^Het Hogeland is in 2018-Q4 niet op te tellen uit de gemeenten van toen: Winsum is per 1 januari 2019 opgeheven en verdeeld over Het Hogeland en Westerkwartier$"):
        history.area("Het Hogeland", "2018-Q4")
    # West Betuwe's predecessors were in two regions: its count adds up, its coverage does not.
    west_betuwe = history.area("West Betuwe", "2018-Q4")
    assert west_betuwe.row.total == sum(
        r.total for r in _rows("2018-Q4", "Rivierenland", ("Geldermalsen", "Neerijnen")) + _rows("2018-Q4", "Gorinchem", ("Lingewaal",))
    )
    with pytest.raises(LookupFailure, match=r"lag in 2018-Q4 in meer dan één arbeidsmarktregio: Gorinchem en Rivierenland$"):
        history.coverage(west_betuwe)
    with pytest.raises(LookupFailure, match="meer dan één arbeidsmarktregio"):
        history.region_name(west_betuwe)
    shown = describe(history, west_betuwe)
    assert shown.startswith("West Betuwe (gemeente in de regio's Gorinchem en Rivierenland), 2018-Q4\n")
    assert "lag in 2018-Q4 in meer dan één arbeidsmarktregio" in shown


def test_series_on_the_latest_indeling(store_file):
    from xlkp.store import Store

    with Store.open(store_file, create=False) as store:
        state = store.state()
    history = QueryIndex(state.sections, state.findings, national=state.national)
    q4, q1 = history.series("dijk en waard")
    assert (q4.period, q1.period) == ("2021-Q4", "2022-Q1")
    both = _rows("2021-Q4", NHN, ("Heerhugowaard", "Langedijk"))
    assert q4.total == sum(r.total for r in both) and q4.parts == ("Heerhugowaard", "Langedijk")
    assert q4.values == tuple(sum(r.values[i] for r in both) for i in range(4))
    assert q4.note == "op de indeling van 2022: Heerhugowaard + Langedijk"
    assert q1.total == _rows("2022-Q1", NHN, ("Dijk en Waard",))[0].total and q1.note == "zoals gedrukt"
    assert q4.region == q1.region == NHN and not q4.sample
    # Amsterdam on the latest indeling includes Weesp, also where Weesp was printed apart.
    amsterdam = history.series("Amsterdam")
    for point in amsterdam:
        rows = _rows(point.period, "Groot Amsterdam", ("Amsterdam",)) + _rows(point.period, "Gooi en Vechtstreek", ("Weesp",))
        assert point.total == sum(r.total for r in rows)
        assert point.region is None  # Weesp was in Gooi en Vechtstreek
    with pytest.raises(LookupFailure, match="^Heerhugowaard is per 1 januari 2022 opgegaan in Dijk en Waard: vraag naar Dijk en Waard$"):
        history.series("Heerhugowaard")
    with pytest.raises(LookupFailure, match="onbekende gemeente"):
        history.series("Atlantis")
    with pytest.raises(LookupFailure, match="^Twente is geen gemeente"):
        history.series("Twente")


def test_series_shows_a_gap_where_the_sum_cannot_be_made():
    sections = [
        replace(s, rows=[r for r in s.rows if r.municipality.strip() != "Langedijk"])
        for s in sample_sections("2021-Q4")
    ] + sample_sections("2022-Q1")
    gap, figure = QueryIndex(sections).series("Dijk en Waard")
    assert gap.total is None and gap.values is None and "Langedijk ontbreekt" in gap.note
    assert figure.total is not None
