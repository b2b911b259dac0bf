"""The reorganisation table (package data) and its questions: composition, endings, validity."""

from __future__ import annotations

import importlib.util
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from xlkp.regions import REGIONS, normalise
from xlkp.reorganisations import (
    COLUMNS,
    Reorganisations,
    SplitError,
    TableError,
    indeling_label,
    quarter_bounds,
    table,
)

ROOT = Path(__file__).resolve().parent.parent
HEADER = ",".join(COLUMNS)


def test_dijk_en_waard():
    reorganisations = table()
    before = reorganisations.composition("Dijk en Waard", date(2021, 10, 1))
    assert before.parts == ("Heerhugowaard", "Langedijk")
    assert before.since == date(2022, 1, 1)
    assert indeling_label(before.since) == "de indeling van 2022"
    # On the day itself the merger has happened.
    assert reorganisations.composition("dijk en waard", date(2022, 1, 1)).parts == ("Dijk en Waard",)
    assert not reorganisations.composition("Dijk en Waard", date(2022, 1, 1)).changed
    for old in ("Heerhugowaard", "Langedijk"):
        ending = reorganisations.ending(old)
        assert (ending.effective, ending.successors, ending.split) == (date(2022, 1, 1), ("Dijk en Waard",), False)
    assert reorganisations.ending("Heerhugowaard").message() == (
        "Heerhugowaard is per 1 januari 2022 opgegaan in Dijk en Waard"
    )
    assert reorganisations.ending("Dijk en Waard") is None
    assert reorganisations.current_name("heerhugowaard") == "Dijk en Waard"


def test_land_van_cuijk():
    reorganisations = table()
    five = ("Boxmeer", "Cuijk", "Grave", "Mill en Sint Hubert", "Sint Anthonis")
    assert reorganisations.composition("Land van Cuijk", date(2021, 7, 1)).parts == five
    for name in five:
        assert reorganisations.ending(name).successors == ("Land van Cuijk",)
    assert reorganisations.ending("Mill en Sint Hubert").message() == (
        "Mill en Sint Hubert is per 1 januari 2022 opgegaan in Land van Cuijk"
    )
    rows = [t for t in reorganisations.transfers if t.successor == "Land van Cuijk"]
    assert {t.region_before for t in rows} == {t.region_after for t in rows} == {"Noordoost-Brabant"}


def test_2019_mergers_hoeksche_waard_and_groningen():
    reorganisations = table()
    assert reorganisations.composition("Hoeksche Waard", date(2018, 10, 1)).parts == (
        "Binnenmaas", "Cromstrijen", "Korendijk", "Oud-Beijerland", "Strijen",
    )
    # A municipality that took others in keeps its name and is its own predecessor.
    assert reorganisations.composition("Groningen", date(2018, 1, 1)).parts == ("Groningen", "Haren", "Ten Boer")
    assert reorganisations.ending("Groningen") is None
    assert reorganisations.ending("Ten Boer").message() == "Ten Boer is per 1 januari 2019 opgegaan in Groningen"


def test_splits_cannot_be_added_up():
    reorganisations = table()
    with pytest.raises(SplitError, match=r"^Winsum is per 1 januari 2019 opgeheven en verdeeld over Het Hogeland en Westerkwartier$"):
        reorganisations.composition("Het Hogeland", date(2018, 10, 1))
    with pytest.raises(SplitError, match="Haaren .* Boxtel, Oisterwijk, Tilburg en Vught"):
        reorganisations.composition("Tilburg", date(2020, 1, 1))
    assert reorganisations.composition("Tilburg", date(2021, 1, 1)).parts == ("Tilburg",)
    ending = reorganisations.ending("Littenseradiel")
    assert ending.split and ending.successors == ("Leeuwarden", "Súdwest-Fryslân", "Waadhoeke")


def test_weesp_joined_amsterdam_in_march():
    reorganisations = table()
    assert reorganisations.ending("Weesp").message() == "Weesp is per 24 maart 2022 opgegaan in Amsterdam"
    assert reorganisations.composition("Amsterdam", date(2022, 1, 1)).parts == ("Amsterdam", "Weesp")
    assert reorganisations.composition("Amsterdam", date(2022, 4, 1)).parts == ("Amsterdam",)
    assert indeling_label(date(2022, 3, 24)) == "de indeling van 24 maart 2022"
    weesp = next(t for t in reorganisations.transfers if t.predecessor == "Weesp")
    assert (weesp.region_before, weesp.region_after) == ("Gooi en Vechtstreek", "Groot Amsterdam")


def test_every_year_since_2016_and_the_counts_cbs_gives():
    """Per 1 January, the number of municipalities that ended matches CBS's yearly counts."""
    counts = {2015: 393, 2016: 390, 2017: 388, 2018: 380, 2019: 355, 2020: 355, 2021: 352, 2022: 345, 2023: 342}
    reorganisations = table()
    for year in range(2016, 2024):
        ended = {t.predecessor for t in reorganisations.transfers if not t.continues and date(year - 1, 1, 1) < t.effective <= date(year, 1, 1)}
        new = {t.successor for t in reorganisations.transfers if date(year - 1, 1, 1) < t.effective <= date(year, 1, 1)
               and not any(u.continues and u.successor == t.successor for u in reorganisations.transfers)}
        assert counts[year - 1] - len(ended) + len(new) == counts[year], year


def test_the_shipped_csv_is_well_formed():
    text = (ROOT / "xlkp" / "reorganisations.csv").read_text(encoding="utf-8")
    assert "CBS" in text.split(HEADER)[0]  # the source is stated above the header
    reorganisations = Reorganisations.from_text(text)  # validates columns, dates, regions, cycles
    assert len(reorganisations.transfers) == len(table().transfers) > 80
    for transfer in reorganisations.transfers:
        assert date(2016, 1, 1) <= transfer.effective <= date(2026, 1, 1)
        assert transfer.region_before in REGIONS and transfer.region_after in REGIONS
        assert transfer.verified in ("ja", "deels", "nee")
        if transfer.verified != "ja":
            assert transfer.note, transfer  # an unverified row says why


def test_every_name_is_known_to_the_sample_indeling():
    """Each predecessor is a municipality the day before its reorganisation and each successor one
    on the day, in the region the table gives (the sample lists are the project's indeling)."""
    from xlkp.samples.municipalities import municipalities_on

    for transfer in table().transfers:
        before = municipalities_on(transfer.effective - timedelta(days=1))
        after = municipalities_on(transfer.effective)
        assert transfer.predecessor in before[transfer.region_before], transfer
        assert transfer.successor in after[transfer.region_after], transfer
        if not transfer.continues:
            assert all(normalise(transfer.predecessor) != normalise(n) for names in after.values() for n in names)


@pytest.mark.parametrize(
    "rows, message",
    [
        (["2022-01-01,A,B,whole,Twente,Twente,ja,ja,", "2023-01-01,B,A,whole,Twente,Twente,ja,ja,"], "ended"),
        (["2022-13-01,A,B,whole,Twente,Twente,ja,ja,"], "not a date"),
        (["2022-01-01,A,B,whole,Twente,Atlantis,ja,ja,"], "not one of the 35"),
        (["2022-01-01,A,B,part,Twente,Twente,ja,ja,"], "has one successor"),
        (["2022-01-01,A,B,whole,Twente,Twente,ja,ja,", "2022-01-01,A,C,part,Twente,Twente,ja,ja,"], "wholly and partly"),
        (["2022-01-01,A,B,whole,Twente,Twente,ja,ja,", "2022-01-01,A,B,whole,Twente,Twente,ja,ja,"], "twice"),
        (["2022-01-01,A,B,whole,Twente,Twente,misschien,ja,"], "ja, deels or nee"),
        (["2022-01-01,A,B,whole,Twente,Twente,ja,ja"], "cells"),
        (["2022-01-01, A,B,whole,Twente,Twente,ja,ja,"], "padded"),
    ],
)
def test_a_broken_table_is_refused(rows, message):
    with pytest.raises(TableError, match=message):
        Reorganisations.from_text("\n".join(["# comment", HEADER, *rows]))


def test_quarter_bounds():
    assert quarter_bounds("2021-Q4") == (date(2021, 10, 1), date(2021, 12, 31))
    assert quarter_bounds("2022-Q1") == (date(2022, 1, 1), date(2022, 3, 31))
    assert quarter_bounds("2024-Q1")[1] == date(2024, 3, 31)


def test_the_csv_is_in_the_wheel(tmp_path):
    """Package data: a wheel built from (a copy of) the checkout carries the table and its notes."""
    import shutil
    import subprocess
    import sys

    source, built = tmp_path / "source", tmp_path / "built"
    shutil.copytree(ROOT / "xlkp", source / "xlkp", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(built), str(source)],
                   check=True, capture_output=True, timeout=300)
    names = zipfile.ZipFile(next(built.glob("xlkp-*.whl"))).namelist()
    assert "xlkp/reorganisations.csv" in names and "xlkp/reorganisations.md" in names


def _refresh_script():
    spec = importlib.util.spec_from_file_location("refresh_reorganisations", ROOT / "scripts" / "refresh_reorganisations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_refresh_script_proposes_rows_for_what_cbs_shows_and_keeps_what_agrees():
    """The maintainer script's comparison, on made-up CBS answers (no network here)."""
    script = _refresh_script()
    header = HEADER.split(",")
    rows = [dict(zip(header, line.split(","), strict=True)) for line in (
        "2022-01-01,Heerhugowaard,Dijk en Waard,whole,Noord-Holland Noord,Noord-Holland Noord,ja,nee,",
        "2022-01-01,Langedijk,Dijk en Waard,whole,Noord-Holland Noord,Noord-Holland Noord,ja,nee,",
    )]
    cbs = {
        2021: {normalise(n): (n, r) for n, r in (("Heerhugowaard", "Noord-Holland Noord"), ("Langedijk", "Noord-Holland Noord"), ("Alkmaar", "Noord-Holland Noord"), ("Beemster", "Zaanstreek/Waterland"), ("Purmerend", "Zaanstreek/Waterland"))},
        2022: {normalise(n): (n, r) for n, r in (("Dijk en Waard", "Noord-Holland Noord"), ("Alkmaar", "Noord-Holland Noord"), ("Purmerend", "Zaanstreek/Waterland"))},
    }
    proposed, remarks = script.propose(rows, cbs)
    assert remarks == ["2022: CBS no longer lists Beemster; the table has no row for it"]
    assert [r["regions_verified"] for r in proposed if r["successor"] == "Dijk en Waard"] == ["ja", "ja"]
    assert any(r["predecessor"] == "Beemster" and r["successor"] == "?" for r in proposed)
    cbs[2022][normalise("Dijk en Waard")] = ("Dijk en Waard", "Zaanstreek/Waterland")
    _, remarks = script.propose(rows, cbs)
    assert "2022-01-01 Dijk en Waard: region_after Noord-Holland Noord -> Zaanstreek/Waterland (CBS)" in remarks
