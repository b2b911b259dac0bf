"""The Trend never shows a merged municipality's partial sum as its figure: a quarter in which
only some of its predecessors were printed is blank with a note, as `KP_TOTAL` refuses it
(query.py: '... is in <period> niet op te tellen: Langedijk ontbreekt').

LibreOffice recalculates a workbook of 2021-Q3 (Heerhugowaard printed, Langedijk not), 2021-Q4
(both printed) and 2022-Q1 (Dijk en Waard printed; Amsterdam with or without Weesp, which joined
it on 24 March 2022)."""

from __future__ import annotations

import openpyxl
import pytest

from tests.libreoffice import require_soffice, workbook_steps
from xlkp.importer import import_publications
from xlkp.model import Publication
from xlkp.reorganisations import quarter_bounds
from xlkp.reorganisations import table as reorganisation_table
from xlkp.report import layout as L
from xlkp.samples import sample_sections

MERGED, PRESENT, MISSING = "Dijk en Waard", "Heerhugowaard", "Langedijk"
REGION, NEVER_MERGED = "Noord-Holland Noord", "Texel"
PARTIAL, WHOLE, AFTER = "2021-Q3", "2021-Q4", "2022-Q1"


def _without(sections, name):
    for section in sections:
        section.rows = [row for row in section.rows if row.municipality != name]
    return sections


def _trend_rows(snapshot) -> dict[str, list]:
    rows = snapshot[L.TREND]
    header = next(i for i, r in enumerate(rows) if r[0] == L.QUARTER)
    return {r[0]: r for r in rows[header + 1:header + 4]}  # the charts' source below repeats the quarters


def _at(what: str) -> int:
    return L.TREND_COLUMNS.position(L.trend_key("municipality", what))


def _printed(sections, period, name) -> int:
    return next(r.total for s in sections if s.period == period for r in s.rows if r.municipality.strip() == name)


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> dict:
    require_soffice()
    sections = {
        PARTIAL: _without(sample_sections(PARTIAL), MISSING),
        WHOLE: sample_sections(WHOLE),
        AFTER: _without(sample_sections(AFTER), "Weesp"),  # Amsterdam as after the merger
    }
    out = tmp_path_factory.mktemp("partial") / "Klantprofielen.xlsx"
    import_publications([Publication(f"{p}.pdf", s) for p, s in sections.items()], out, use_store=False)
    return {"path": out, "sections": [s for group in sections.values() for s in group]}


def test_a_quarter_missing_a_predecessor_is_blank_and_says_so(book) -> None:
    sections = book["sections"]
    # Langedijk of 2021-Q4 on Gegevens, to take it away by an edit later.
    sheet = openpyxl.load_workbook(book["path"])[L.DATA]
    spec = L.data_columns()
    langedijk = next(r for r in range(2, sheet.max_row + 1)
                     if sheet.cell(r, spec.index(L.PERIOD)).value == WHOLE
                     and sheet.cell(r, spec.index(L.MUNICIPALITY)).value == MISSING)
    chosen = [[L.TREND, L.TREND_REGION, REGION], [L.TREND, L.TREND_MUNICIPALITY, MERGED]]
    merged, never_merged, amsterdam, edited = workbook_steps(book["path"], [
        {"set": chosen, "read": [L.TREND], "errors": True},
        {"set": [[L.TREND, L.TREND_MUNICIPALITY, NEVER_MERGED]], "read": [L.TREND], "errors": True},
        {"set": [[L.TREND, L.TREND_REGION, "Groot Amsterdam"], [L.TREND, L.TREND_MUNICIPALITY, "Amsterdam"]],
         "read": [L.TREND], "errors": True},
        # Langedijk's 2021-Q4 row no longer counted as Dijk en Waard: that quarter is partial now.
        {"set": [*chosen, [L.DATA, spec.ref(L.LATEST_MUNICIPALITY, langedijk), "Elders"]],
         "read": [L.TREND], "errors": True},
    ])
    for step in (merged, never_merged, amsterdam, edited):
        assert step["@errors"] == {}

    total, change, change_percent, note = (_at(w) for w in (L.TOTAL_LABEL, L.CHANGE, L.CHANGE_PERCENT, L.NOTE))
    rows = _trend_rows(merged)
    # Heerhugowaard alone is not Dijk en Waard: blank, and the note says what is missing.
    assert rows[PARTIAL][total] == ""
    assert rows[PARTIAL][note] == f"{L.MARK} Onvolledig: 1 van 2 voorgangers ({PRESENT} + {MISSING})"
    # Both printed: their sum, no note; no change from a blank quarter.
    assert rows[WHOLE][total] == _printed(sections, WHOLE, PRESENT) + _printed(sections, WHOLE, MISSING)
    assert rows[WHOLE][note] == ""
    assert rows[WHOLE][change] == "" and rows[WHOLE][change_percent] == ""
    assert rows[AFTER][total] == _printed(sections, AFTER, MERGED) and rows[AFTER][note] == ""
    assert rows[AFTER][change] == rows[AFTER][total] - rows[WHOLE][total]

    # A municipality never merged: as printed in every quarter, no note.
    rows = _trend_rows(never_merged)
    for period in (PARTIAL, WHOLE, AFTER):
        assert rows[period][total] == _printed(sections, period, NEVER_MERGED) and rows[period][note] == ""

    # Amsterdam took Weesp in on 24 March 2022: 2022-Q1 may print it with or without Weesp
    # (here without), as KP_TOTAL takes either; before that quarter it is the two together.
    rows = _trend_rows(amsterdam)
    assert rows[AFTER][total] == _printed(sections, AFTER, "Amsterdam") and rows[AFTER][note] == ""
    assert rows[WHOLE][total] == _printed(sections, WHOLE, "Amsterdam") + _printed(sections, WHOLE, "Weesp")

    # An edit on Gegevens flows through: 2021-Q4 is now one of two too.
    rows = _trend_rows(edited)
    assert rows[WHOLE][total] == "" and rows[WHOLE][note].startswith(f"{L.MARK} Onvolledig: 1 van 2")
    assert rows[AFTER][change] == ""


def test_lijsten_lists_the_municipalities_made_of_several_per_quarter() -> None:
    """Without LibreOffice: the hidden table the Trend compares with, and which quarters use it."""
    periods = ("2018-Q4", WHOLE, AFTER, "2023-Q1")
    sections = [s for p in periods for s in sample_sections(p)]
    book = L.build_layout(sections, [], L.DEFAULT_COLUMNS)
    parts = L.PARTS_COLUMNS
    blocks = {b.cell: b.rows for b in book.sheet(L.LISTS).blocks}
    assert blocks[parts.start(1)] == [parts.headers]
    listed = blocks[parts.start(2)]
    by_key = {(parts.get(r, L.PERIOD), parts.get(r, L.LATEST_MUNICIPALITY)): r for r in listed}
    assert len(by_key) == len(listed)

    def entry(period, name):
        row = by_key[(period, name)]
        return parts.get(row, L.PARTS), parts.get(row, L.PARTS_OTHERWISE), parts.get(row, L.PART_NAMES)

    assert entry(WHOLE, MERGED) == (2, None, f"{PRESENT} + {MISSING}")
    assert entry(AFTER, "Amsterdam") == (2, 1, "Amsterdam + Weesp")  # Weesp joined on 24 March
    assert (AFTER, MERGED) not in by_key  # Dijk en Waard is printed itself from 2022
    assert not any(period == "2023-Q1" for period, _ in by_key)  # after the latest reorganisation
    # Het Hogeland took part of Winsum (split) in 2019: before that it is never whole.
    parts_count, _, why = entry("2018-Q4", "Het Hogeland")
    assert parts_count == 0 and "Winsum" in why
    # Only municipalities made of several (or of a split one), each as the table composes it.
    table = reorganisation_table()
    for (period, name), row in by_key.items():
        count = parts.get(row, L.PARTS)
        if count:
            assert count > 1
            assert count == len(table.composition(name, quarter_bounds(period)[0]).parts)

    # Each quarter's Trend row looks in its own rows of the table; a quarter with none is unchanged.
    trend = book.sheet(L.TREND)
    formulas = next(b.rows for b in trend.blocks if b.formulas and len(b.rows[0]) > 5)
    note_at = L.TREND_COLUMNS.position(L.trend_key("municipality", L.NOTE)) - 1
    quarters = L.quarter_range(periods)
    for period in periods:
        rows = [r + 2 for r, (p, _) in enumerate(by_key) if p == period]
        note = formulas[quarters.index(period)][note_at]
        if rows:
            assert parts.range(L.LATEST_MUNICIPALITY, rows[0], rows[-1], absolute=True) in note
        else:
            assert f"{L.LISTS}!${parts.letter(L.LATEST_MUNICIPALITY)}" not in note

    # A workbook without quarters (the empty workbook) has no such table.
    empty = L.build_layout([], [], L.DEFAULT_COLUMNS).sheet(L.LISTS)
    assert all(not b.cell.startswith(parts.first_letter) for b in empty.blocks)


def test_expected_parts_of_every_quarter_are_the_compositions_of_its_first_and_last_day() -> None:
    # Worked out once per indeling, not per quarter: each quarter still gets its own days'.
    from xlkp.reorganisations import SplitError

    table = reorganisation_table()
    years = sorted({t.effective.year for t in table.transfers})
    for period in [f"{year}-Q{q}" for year in range(years[0] - 1, years[-1] + 2) for q in range(1, 5)]:
        listed = {e.municipality: e for e in L.expected_parts(period)}
        for name in L._reorganised_municipalities():
            counts = []
            for day in quarter_bounds(period):
                try:
                    counts.append(len(table.composition(name, day).parts))
                except SplitError:
                    counts.append(0)
            whole = [c for c in counts if c]  # 0: a split, never whole that day
            if not whole:
                assert listed[name].parts == 0, (period, name)
            elif max(whole) <= 1:
                assert name not in listed, (period, name)
            else:
                other = whole[1] if len(set(whole)) > 1 else None
                assert (listed[name].parts, listed[name].otherwise) == (whole[0], other), (period, name)
