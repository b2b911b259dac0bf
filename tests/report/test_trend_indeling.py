"""Issue 10 point 6: the Trend sheet shows a municipality over time on the latest indeling.
LibreOffice recalculates a workbook of 2021-Q4 (Heerhugowaard and Langedijk printed) and
2022-Q1 (Dijk en Waard printed); Dijk en Waard's trend sums its predecessors before 2022."""

from __future__ import annotations

from tests.libreoffice import require_soffice, workbook_steps
from xlkp.importer import import_publications
from xlkp.model import Publication
from xlkp.report import layout as L
from xlkp.samples import sample_sections

MERGED, PREDECESSORS, REGION = "Dijk en Waard", ("Heerhugowaard", "Langedijk"), "Noord-Holland Noord"


def test_trend_sums_a_merged_municipality_from_its_predecessors(tmp_path) -> None:
    require_soffice()
    publications = [Publication(f"{p}.pdf", sample_sections(p)) for p in ("2021-Q4", "2022-Q1")]
    out = tmp_path / "Klantprofielen.xlsx"
    import_publications(publications, out, use_store=False)
    (snapshot,) = workbook_steps(out, [
        {"set": [[L.TREND, L.TREND_REGION, REGION], [L.TREND, L.TREND_MUNICIPALITY, MERGED]],
         "read": [L.TREND, L.DATA, L.LISTS]},
    ])
    data = snapshot[L.DATA]
    spec = L.data_columns()
    assert data[0][len(spec) - 2 : len(spec)] == [L.PAGE, L.LATEST_MUNICIPALITY]  # added last: nothing moves
    printed = {(r[spec.position(L.PERIOD)], r[spec.position(L.MUNICIPALITY)]): r for r in data[1:] if r[0]}
    total = spec.position(L.TOTAL_LABEL)
    # Gegevens: the printed name, and the name on the latest indeling beside it.
    for name in PREDECESSORS:
        assert printed[("2021-Q4", name)][spec.position(L.LATEST_MUNICIPALITY)] == MERGED
    assert ("2022-Q1", MERGED) in printed and not any(("2022-Q1", n) in printed for n in PREDECESSORS)

    rows = snapshot[L.TREND]
    header = next(i for i, r in enumerate(rows) if r[0] == L.QUARTER)
    by_quarter = {r[0]: r for r in rows[header + 1:header + 3]}
    at = L.TREND_COLUMNS.position(L.trend_key("municipality", L.TOTAL_LABEL))
    assert by_quarter["2021-Q4"][at] == sum(printed[("2021-Q4", n)][total] for n in PREDECESSORS)
    assert by_quarter["2022-Q1"][at] == printed[("2022-Q1", MERGED)][total]
    note = L.TREND_COLUMNS.position(L.trend_key("municipality", L.NOTE))
    assert by_quarter["2021-Q4"][note] == "" and by_quarter["2022-Q1"][note] == ""
    assert f"op {L.INDELING}" in rows[1][2]
    # The selector offers the latest names only.
    choices = [r[L.CHOICES_COLUMNS.index(L.MUNICIPALITY_CHOICES) - 1] for r in snapshot[L.LISTS][1:]]
    assert MERGED in choices and not any(n in choices for n in PREDECESSORS)


def test_a_split_municipality_is_no_figure_for_its_successors() -> None:
    """Winsum (2018) went partly to Het Hogeland, partly to Westerkwartier: its rows have no
    latest name, and the successors' trend for that quarter is blank with a note."""
    assert L.latest_municipality("Winsum") is None
    assert L.latest_municipality("Heerhugowaard") == MERGED
    sections = sample_sections("2018-Q4")
    winsum = [s for s in sections if any(r.municipality == "Winsum" for r in s.rows)]
    assert winsum, "the 2018 sample prints Winsum"
    trend = L.build_layout(sections, [], L.DEFAULT_COLUMNS).sheet(L.TREND)
    formulas = [c for b in trend.blocks if b.formulas for row in b.rows for c in row if isinstance(c, str)]
    assert any('"Het Hogeland"' in f and '"Westerkwartier"' in f and "gesplitste" in f for f in formulas)
