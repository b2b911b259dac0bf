"""Nederland per quarter (the national table, all 35 regions, or an error saying how many were
read) and column labels kept per quarter, through an import into the store, the workbook, the
KP_ functions and `xlkp show`."""

from __future__ import annotations

import openpyxl
import pytest

from xlkp.cli import main
from xlkp.importer import import_publications
from xlkp.model import Publication
from xlkp.report import layout as L
from xlkp.samples import national_table, sample_sections
from xlkp.store import Store

RELABELLED = ("Zonder profiel", "Profiel beperkt", "Profiel volledig", "Profiel en cv zichtbaar")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """2021-Q1 whole, with the sample's labels; 2021-Q2 six regions with other labels; 2021-Q3
    six regions without any labels and the whole national table; 2021-Q4 whole, no labels."""
    folder = tmp_path_factory.mktemp("landelijk")
    store, book = folder / "store.sqlite", folder / "Klantprofielen.xlsx"
    q1 = sample_sections("2021-Q1")
    q2 = sample_sections("2021-Q2")[:6]
    for section in q2:
        section.columns = RELABELLED
    q3 = sample_sections("2021-Q3")
    nl3 = national_table(q3)
    nl3.columns = None
    q3 = q3[:6]
    for section in q3:
        section.columns = None
    q4 = sample_sections("2021-Q4")
    for section in q4:
        section.columns = None
    for publication in (Publication("q1.pdf", q1), Publication("q2.pdf", q2), Publication("q3.pdf", q3, [nl3]),
                        Publication("q4.pdf", q4)):
        import_publications([publication], book, store_path=store, replace=True)
    return store, book, {"2021-Q1": q1, "2021-Q2": q2, "2021-Q3": q3, "2021-Q4": q4}, nl3


@pytest.fixture
def udfs(imported, monkeypatch):
    from xlkp.addin import udfs

    monkeypatch.setenv("XLKP_STORE", str(imported[0]))
    udfs.reset()
    yield udfs
    udfs.reset()


def test_nederland_is_the_national_table_or_all_regions_or_an_error(imported, udfs):
    _, _, quarters, nl3 = imported
    q1 = quarters["2021-Q1"]
    assert udfs.KP_TOTAL("Nederland", "2021-Q1") == sum(s.region_total.total for s in q1)
    assert udfs.KP_REGISTER("Nederland", "2021-Q1") == sum(s.register for s in q1)
    for function in (udfs.KP_TOTAL, udfs.KP_COVERAGE, udfs.KP_REGISTER, udfs.KP_TABLE):
        with pytest.raises(udfs.KPFormulaError, match="^2021-Q2: 6 van 35 regio's ingelezen$"):
            function("Nederland", "2021-Q2")
    with pytest.raises(udfs.KPFormulaError, match="2021-Q2: 6 van 35 regio's ingelezen"):
        udfs.KP_VALUE("Nederland", 1, "2021-Q2")
    # A region of the partial quarter is answered as usual.
    assert udfs.KP_TOTAL("Regio Groningen", "2021-Q2") == quarters["2021-Q2"][0].region_total.total
    # 2021-Q3 printed the national table: that is Nederland, though only six regions were read.
    assert udfs.KP_TOTAL("Nederland", "2021-Q3") == nl3.total.total
    assert udfs.KP_REGISTER("Nederland", "2021-Q3") == nl3.total.register
    assert udfs.KP_COVERAGE("Nederland", "2021-Q3") == pytest.approx(nl3.total.total / nl3.total.register)
    table = udfs.KP_TABLE("Nederland", "2021-Q3")
    assert len(table) == 1 + 35 + 1 and table[-1] == ["Nederland", *nl3.total.values, nl3.total.total]


def test_xlkp_show_says_how_many_regions_a_partial_quarter_has(imported, capsys):
    store = imported[0]
    assert main(["show", "Nederland", "--period", "2021-Q2", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "Geen cijfer voor Nederland: 2021-Q2: 6 van 35 regio's ingelezen." in out
    assert "\n  Nederland " not in out and "Doelgroepregister:" not in out
    assert main(["show", "Nederland", "--period", "2021-Q3", "--store", str(store)]) == 0
    assert "landelijke tabel van de publicatie" in capsys.readouterr().out


def test_labels_are_kept_per_quarter(imported, udfs, capsys):
    store_path, book, quarters, _ = imported
    sample = quarters["2021-Q1"][0].columns
    with Store.open(store_path, create=False) as store:
        # 2021-Q3 printed none and took the most recent earlier labels, 2021-Q4 likewise.
        assert store.labels() == {"2021-Q1": sample, "2021-Q2": RELABELLED, "2021-Q3": RELABELLED,
                                  "2021-Q4": RELABELLED}
        kinds = [(f.period, f.kind, f.severity) for f in store.findings() if f.kind == "column_labels"]
        assert kinds == [("2021-Q2", "column_labels", "warning")]
        [changed] = [f for f in store.findings() if f.kind == "column_labels"]
        assert "kolom 1 'Profiel UWV' heet nu 'Zonder profiel'" in changed.message
    workbook = openpyxl.load_workbook(book)
    sheet = workbook[L.NATIONAL_SHEET]
    labels = [[c.value for c in row] for row in sheet[sheet.tables[L.LABELS_TABLE].ref]]
    assert [row[:6] for row in labels[1:]] == [
        ["2021-Q1", *sample, "Nederland"],
        ["2021-Q2", *RELABELLED, "Nederland (6 van 35 regio's)"],
        ["2021-Q3", *RELABELLED, "Nederland"],
        ["2021-Q4", *RELABELLED, "Nederland"],
    ]
    # The data tables carry numbered columns now that the quarters differ.
    assert [c.value for c in workbook[L.DATA][1]][3:7] == list(L.DEFAULT_COLUMNS)
    national = [[c.value for c in row] for row in sheet[sheet.tables[L.NATIONAL_TABLE].ref]]
    assert [r[:2] for r in national[1:]][-1] == ["2021-Q3", "Nederland"] and len(national) == 1 + 36
    assert all(r[L.NATIONAL_COLUMNS.position(L.CHECK)] == "OK" for r in national[1:7])
    # Each quarter's own label, or 1-4, or Totaal.
    groningen = {p: q[0].region_total for p, q in quarters.items()}
    assert udfs.KP_VALUE("Regio Groningen", "Profiel UWV", "2021-Q1") == groningen["2021-Q1"].values[0]
    assert udfs.KP_VALUE("Regio Groningen", "Profiel beperkt", "2021-Q2") == groningen["2021-Q2"].values[1]
    assert udfs.KP_VALUE("Regio Groningen", 2, "2021-Q2") == groningen["2021-Q2"].values[1]
    assert udfs.KP_VALUE("Regio Groningen", "Totaal", "2021-Q2") == groningen["2021-Q2"].total
    with pytest.raises(udfs.KPFormulaError, match="onbekende kolom"):
        udfs.KP_VALUE("Regio Groningen", "Profiel beperkt", "2021-Q1")
    # The command line shows the same labels as the workbook.
    assert main(["show", "Regio Groningen", "--period", "2021-Q2", "--store", str(store_path)]) == 0
    assert "Profiel beperkt" in capsys.readouterr().out
    assert main(["show", "Regio Groningen", "--period", "2021-Q1", "--store", str(store_path)]) == 0
    out = capsys.readouterr().out
    assert "Profiel UWV" in out and "Profiel beperkt" not in out
