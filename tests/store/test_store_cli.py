"""`xlkp periods` and `xlkp show` read the store."""

from __future__ import annotations

import pytest
from history_data import build_store

from xlkp.cli import main


@pytest.fixture(scope="module")
def store_file(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("cli"))


def test_periods(store_file, capsys, monkeypatch):
    monkeypatch.setenv("XLKP_STORE", str(store_file))
    assert main(["periods"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["2021-Q1", "2022-Q1"]
    assert lines[0].endswith("2021-Q1.pdf")


def test_show_region_and_municipality(store_file, capsys):
    assert main(["show", "Noord-Holland (Noord)", "--period", "Eerste kwartaal 2021", "--store", str(store_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Noord-Holland Noord (arbeidsmarktregio), 2021-Q1\n")
    assert "TOTAAL AMR" in out and "7.393" in out
    assert "Doelgroepregister: 10.187" in out and "Bekend in Sonar: 72,6%" in out
    assert main(["show", " heerhugowaard", "--period", "2021-Q1", "--store", str(store_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Heerhugowaard (gemeente in regio Noord-Holland Noord), 2021-Q1")
    assert "72,6% (cijfer van de regio)" in out


def test_show_errors_are_one_line(store_file, tmp_path, capsys):
    assert main(["show", "Alkmar", "--store", str(store_file)]) == 2
    assert capsys.readouterr().err == "xlkp: onbekende gemeente 'Alkmar' — bedoelt u Alkmaar?\n"
    assert main(["periods", "--store", str(tmp_path / "geen.sqlite")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("xlkp: ") and "nog niets geïmporteerd" in err and err[-1] == "\n" and err.count("\n") == 1
