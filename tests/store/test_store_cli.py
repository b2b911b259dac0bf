"""`xlkp periods` and `xlkp show` read the store."""

from __future__ import annotations

import pytest

from tests.history_data import AS_PUBLISHED, build_store, expected
from xlkp.cli import main
from xlkp.model import SAMPLE_MARK
from xlkp.samples import render_pdf, sample_sections
from xlkp.store import Store


@pytest.fixture(scope="module")
def store_file(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("cli"))


def test_periods_is_a_table_with_a_header(store_file, capsys, monkeypatch):
    monkeypatch.setenv("XLKP_STORE", str(store_file))
    assert main(["periods"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Historie: {store_file}"
    assert lines[1].split() == ["kwartaal", "regio's", "gemeenten", "pagina's", "geïmporteerd", "voorbeeld", "bestand(en)"]
    assert set(lines[2]) == {"-", " "}
    q1, q2 = (line.split() for line in lines[3:])
    assert len(lines) == 5
    assert q1[:2] == ["2021-Q1", "35"] and q2[:2] == ["2022-Q1", "35"]
    generated = expected("2021-Q1").values()
    assert int(q1[2]) == sum(len(s.rows) for s in generated)
    assert int(q1[3]) >= 35  # pages: at least one per region
    # Each quarter lists only its own file; imported at in local time (no UTC offset shown).
    assert q1[-1].endswith("2021-Q1.pdf") and q2[-1].endswith("2022-Q1.pdf")
    assert q1[6] == "nee"
    stored = Store.open(store_file).quarters()[0].imported_local
    assert q1[4:6] == [stored.strftime("%Y-%m-%d"), stored.strftime("%H:%M")]


def test_periods_lists_each_file_under_its_own_quarters(tmp_path, capsys):
    """One import run of two files: a file holding Q3 and Q4 is not listed under Q1."""
    first, second = tmp_path / "q1.pdf", tmp_path / "q3q4.pdf"
    render_pdf(sample_sections("2021-Q1")[:2], first, AS_PUBLISHED)
    render_pdf(sample_sections("2021-Q3")[:2] + sample_sections("2021-Q4")[:3], second)
    store = tmp_path / "s.sqlite"
    assert main(["import", str(first), str(second), "-o", str(tmp_path / "k.xlsx"), "--store", str(store), "-q"]) == 0
    out = capsys.readouterr().out
    assert f"Historie bijgewerkt (2021-Q1, 2021-Q3, 2021-Q4): {store}" in out
    assert f"Let op: {SAMPLE_MARK} in 2021-Q3, 2021-Q4" in out
    assert main(["periods", "--store", str(store)]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[3:]}
    assert rows["2021-Q1"].endswith(str(first)) and str(second) not in rows["2021-Q1"]
    assert rows["2021-Q3"].endswith(str(second)) and rows["2021-Q4"].endswith(str(second))
    assert rows["2021-Q4"].split()[1:3] == ["3", str(sum(len(s.rows) for s in sample_sections("2021-Q4")[:3]))]
    assert SAMPLE_MARK in rows["2021-Q3"] and SAMPLE_MARK not in rows["2021-Q1"]


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


def test_show_says_a_sample_is_one(tmp_path, capsys):
    pdf, store = tmp_path / "voorbeeld.pdf", tmp_path / "s.sqlite"
    assert main(["sample", str(pdf), "--period", "2021-Q4"]) == 0
    assert SAMPLE_MARK in capsys.readouterr().out
    assert main(["import", str(pdf), "-o", str(tmp_path / "k.xlsx"), "--store", str(store), "-q"]) == 0
    capsys.readouterr()
    assert main(["show", "Alkmaar", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{SAMPLE_MARK}: 2021-Q4 komt uit een voorbeeldpublicatie\n")
    assert f"Controle: {SAMPLE_MARK}; OK" in out


def test_forget_says_what_goes_and_needs_consent(store_file, tmp_path, capsys, monkeypatch):
    store = tmp_path / "s.sqlite"
    store.write_bytes(store_file.read_bytes())
    monkeypatch.setattr("sys.stdin", _Stdin(tty=False))
    # Without --yes and no terminal to ask at: says what would go, removes nothing.
    assert main(["forget", "Eerste kwartaal 2021", "--store", str(store)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == f"Uit de historie {store} gaat:"
    assert captured.out.splitlines()[1].startswith("  2021-Q1: 35 regio's, ")
    assert captured.err == "xlkp: niets verwijderd: bevestig met --yes\n"
    assert Store.open(store).periods() == ["2021-Q1", "2022-Q1"]
    # At a terminal it asks; anything but yes keeps the quarter.
    monkeypatch.setattr("sys.stdin", _Stdin(tty=True))
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["forget", "2021-Q1", "--store", str(store)]) == 1
    assert "Niets verwijderd." in capsys.readouterr().out
    assert Store.open(store).periods() == ["2021-Q1", "2022-Q1"]
    monkeypatch.setattr("builtins.input", lambda prompt: "j")
    assert main(["forget", "2021-Q1", "--store", str(store)]) == 0
    assert "Verwijderd: 2021-Q1." in capsys.readouterr().out
    with Store.open(store) as opened:
        assert opened.periods() == ["2022-Q1"]
        assert opened.findings("2021-Q1") == []
        assert len(opened.sections("2022-Q1")) == 35
    # A quarter that is not there: one line, exit 2, nothing asked.
    assert main(["forget", "2021-Q1", "--yes", "--store", str(store)]) == 2
    assert capsys.readouterr().err == f"xlkp: {store}: 2021-Q1 staat niet in de historie (wel: 2022-Q1)\n"
    assert main(["forget", "2022-Q1", "--yes", "--store", str(store)]) == 0
    assert Store.open(store).periods() == []


class _Stdin:
    def __init__(self, tty: bool):
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_both_bergens_are_suggested_with_their_provinces(store_file, capsys):
    assert main(["show", "Bergen", "--store", str(store_file)]) == 2
    assert capsys.readouterr().err == (
        "xlkp: gemeente 'Bergen' is niet eenduidig — bedoelt u "
        "Bergen (L.) (Limburg) of Bergen NH (Noord-Holland)?\n"
    )
    assert main(["show", "Bergen op Zoom", "--store", str(store_file)]) == 0
    assert capsys.readouterr().out.startswith("Bergen op Zoom (gemeente in regio West-Brabant)")


def test_a_real_publication_replaces_a_sample_without_asking(tmp_path, capsys):
    store, book = tmp_path / "s.sqlite", tmp_path / "k.xlsx"
    sample, real, smaller = tmp_path / "voorbeeld.pdf", tmp_path / "echt.pdf", tmp_path / "kleiner.pdf"
    assert main(["sample", str(sample)]) == 0
    render_pdf(sample_sections("2021-Q1", seed=3)[:3], real, AS_PUBLISHED)
    render_pdf(sample_sections("2021-Q1", seed=3)[:2], smaller, AS_PUBLISHED)

    def run(pdf, *extra):
        return main(["import", str(pdf), "-o", str(book), "--store", str(store), "-q", *extra])

    assert run(sample) == 0
    # 35 sample regions give way to 3 real ones: no --replace needed.
    assert run(real) == 0
    with Store.open(store, create=False) as opened:
        assert [q.regions for q in opened.quarters()] == [3]
        assert opened.sample_periods() == set()
    capsys.readouterr()
    # A real quarter is guarded as before: neither fewer real regions nor a sample replace it.
    assert run(smaller) == 2
    assert "--replace" in capsys.readouterr().err
    assert main(["sample", str(sample)]) == 0
    assert run(sample) == 0  # a sample with more regions is no shrink
    render_pdf(sample_sections("2021-Q1")[:1], sample)
    assert run(real) == 0  # real again over the sample
    assert run(sample) == 2
    assert "--replace" in capsys.readouterr().err
    with Store.open(store, create=False) as opened:
        assert [(q.regions, q.sample) for q in opened.quarters()] == [(3, False)]
