"""Issue 10: a workbook an analyst can cite. LibreOffice recalculates a workbook of three
imported quarters (2020-Q3 with a missing register, a missing TOTAAL AMR and an empty region;
2021-Q1 from a PDF with misprints and a national table; 2021-Q2 with 6 of the 35 regions) and
a quarter never imported in between (2020-Q4), and the sheets must show what UWV printed, mark
every doubt, and hold no error value.
"""

from __future__ import annotations

import pytest

from tests.libreoffice import require_soffice, workbook_steps
from xlkp.checks import check_sections
from xlkp.importer import import_publications
from xlkp.model import Publication
from xlkp.parse import read_publication
from xlkp.report import layout as L
from xlkp.samples import RenderOptions, national_table, render_pdf, sample_sections
from xlkp.samples.defects import inject_sample_defects

SHEETS = [L.OVERVIEW, L.CHARTS, L.TREND, L.CONTROLS, L.DATA, L.REGION_DATA, L.NATIONAL_SHEET]
# 2020-Q3: regions without a register, without TOTAAL AMR, without municipalities.
NO_REGISTER, NO_TOTAL, EMPTY = "Twente", "Stedendriehoek en Noordwest Veluwe", "FoodValley"
WRONG_NATIONAL = "Zeeland"  # 2021-Q1: its national row prints 5 more than its own page


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> dict:
    require_soffice()
    folder = tmp_path_factory.mktemp("trust")
    q3 = sample_sections("2020-Q3")
    by_name = {s.name: s for s in q3}
    by_name[NO_REGISTER].register = None
    by_name[NO_REGISTER].coverage_percent_printed = None
    by_name[NO_TOTAL].region_total = None
    by_name[EMPTY].rows = []
    q1 = sample_sections("2021-Q1")
    national = national_table(q1)  # from the figures before the misprints below
    national.rows = [
        row if row.region != WRONG_NATIONAL else type(row)(
            row.region, row.region_as_printed, (row.values[0] + 5, *row.values[1:]), row.total + 5,
            row.register, row.percent)
        for row in national.rows
    ]
    inject_sample_defects(q1)  # Groningen: a row total, Friesland: a column total, Drenthe: the %
    pdf = folder / "eerste-kwartaal.pdf"
    render_pdf(q1, pdf, RenderOptions(national="last", sample_mark=False), [national])
    q1_read = read_publication(pdf)
    assert q1_read.national
    q2 = sample_sections("2021-Q2")[:6]
    publications = [Publication("derde.pdf", q3), q1_read, Publication("tweede.pdf", q2)]
    out = folder / "Klantprofielen.xlsx"
    import_publications(publications, out, use_store=False)
    sections = sorted([s for p in publications for s in p.sections], key=lambda s: s.period)
    return {"path": out, "sections": sections, "national": q1_read.national[0],
            "findings": check_sections(sections, q1_read.national)}


def _columns(header_row: list) -> dict[str, int]:
    """Where each header first occurs (a sheet may hold a second table to the right)."""
    found: dict[str, int] = {}
    for index, name in enumerate(header_row):
        if name not in ("", None):
            found.setdefault(name, index)
    return found


def _overview(snapshot) -> tuple[dict[str, int], dict[str, list]]:
    """The overview's columns by header and its region rows by name (the Nederland row as 'Nederland')."""
    rows = snapshot[L.OVERVIEW]
    header = L.OVERVIEW_FIRST_ROW - 2
    columns = _columns(rows[header])
    regions = {}
    for row in rows[header + 1:]:
        name = row[0]
        if name:
            regions[L.NATIONAL_LABEL if str(name).startswith(L.NATIONAL_LABEL) else name] = row
    return columns, regions


def _section(book, period, region):
    return next(s for s in book["sections"] if s.period == period and s.name == region)


def test_no_error_values_on_any_sheet_for_any_quarter(book) -> None:
    steps = [{"errors": True}] + [
        {"set": [[L.OVERVIEW, L.SELECTOR, period], [L.TREND, L.TREND_REGION, region]], "errors": True}
        for period, region in (("2020-Q3", NO_REGISTER), ("2020-Q3", NO_TOTAL), ("2020-Q3", EMPTY),
                               ("2021-Q1", "Drenthe"), ("2021-Q2", "Zeeland"), ("2020-Q4", "Groningen"))
    ]
    for step in workbook_steps(book["path"], steps):
        assert step["@errors"] == {}


def test_overview_shows_published_figures_and_marks_doubts(book) -> None:
    q1, q3, edited = workbook_steps(book["path"], [
        {"set": [[L.OVERVIEW, L.SELECTOR, "2021-Q1"]], "read": [L.OVERVIEW, L.CHARTS]},
        {"set": [[L.OVERVIEW, L.SELECTOR, "2020-Q3"]], "read": [L.OVERVIEW]},
        # An edit on Gegevens (a Twente municipality) and on Regiototalen (Zeeland's printed
        # Totaal) flows through at once and marks both regions.
        {"set": [[L.OVERVIEW, L.SELECTOR, "2021-Q1"], *_edits(book)], "read": [L.OVERVIEW, L.CHARTS]},
    ])
    columns, regions = _overview(q1)
    total, summed, difference, note = (columns[k] for k in (L.TOTAL_LABEL, L.MUNICIPALITY_SUM, L.DIFFERENCE, L.NOTE))
    coverage = columns[L.COVERAGE]
    errors = {f.region for f in book["findings"] if f.period == "2021-Q1" and f.severity == "error"}
    assert errors >= {"Groningen", "Friesland", "Drenthe", WRONG_NATIONAL}
    for region, row in regions.items():
        if region == L.NATIONAL_LABEL:
            continue
        section = _section(book, "2021-Q1", region)
        # The figures UWV printed: TOTAAL AMR, the register, the printed percentage.
        assert row[columns[L.REGISTER]] == section.register
        assert row[total] == section.region_total.total
        assert row[coverage] == pytest.approx(section.coverage_percent_printed / 100)
        computed = sum(r.total for r in section.rows)
        if computed != section.region_total.total:  # the municipalities' sum beside, where it differs
            assert (row[summed], row[difference]) == (computed, section.region_total.total - computed)
        else:
            assert (row[summed], row[difference]) == ("", "")
        assert (row[note] != "") == (region in errors), region
        if region in errors:
            assert L.MARK in row[note]
    groningen = regions["Groningen"]
    assert groningen[total] == 11903 and groningen[summed] == 11913 and groningen[difference] == -10
    assert regions["Drenthe"][coverage] == pytest.approx(0.79)  # as printed, and marked
    # Nederland: the national table's line as printed.
    national = regions[L.NATIONAL_LABEL]
    assert national[total] == book["national"].total.total
    assert national[columns[L.REGISTER]] == book["national"].total.register
    assert national[note] != ""  # its regions disagree with it (Zeeland, Friesland, Drenthe)

    # The charts name each marked region with the mark, and plot the published percentage.
    charts = q1[L.CHARTS][4:]
    for line in charts:
        name = line[0].replace(L.MARK, "").strip()
        assert (L.MARK in line[0]) == (name in errors), line[0]
        assert line[1] == pytest.approx(regions[name][coverage])

    # 2020-Q3: no register gives an empty coverage and a mark; no TOTAAL AMR gives empty printed
    # figures with the municipalities' sum beside and a mark; no municipalities: a mark.
    columns, regions = _overview(q3)
    twente = regions[NO_REGISTER]
    assert twente[columns[L.REGISTER]] == "" and twente[coverage] == "" and L.MARK in twente[note]
    no_total = regions[NO_TOTAL]
    assert no_total[total] == "" and no_total[summed] == sum(r.total for r in _section(book, "2020-Q3", NO_TOTAL).rows)
    assert L.MARK in no_total[note] and L.MARK in regions[EMPTY][note]
    # Nederland without a national table: the regions' printed TOTAAL AMR, marked (one is missing).
    printed = sum(s.region_total.total for s in book["sections"] if s.period == "2020-Q3" and s.region_total)
    assert regions[L.NATIONAL_LABEL][total] == printed and L.MARK in regions[L.NATIONAL_LABEL][note]

    columns, regions = _overview(edited)
    twente = regions["Twente"]
    assert twente[total] == _section(book, "2021-Q1", "Twente").region_total.total  # still as printed
    assert twente[difference] == -1000 and L.MARK in twente[note]
    zeeland = regions[WRONG_NATIONAL]
    assert zeeland[total] == _section(book, "2021-Q1", WRONG_NATIONAL).region_total.total + 7
    assert zeeland[difference] == 7 and L.MARK in zeeland[note]
    marked = [line[0] for line in edited[L.CHARTS][4:] if L.MARK in line[0]]
    assert any(name.startswith("Twente") for name in marked)


def _edits(book) -> list[list]:
    """Twente's first municipality of 2021-Q1 gets a Totaal 1000 more on Gegevens (so its
    four counts no longer add up to it); Zeeland's printed Totaal on Regiototalen 7 more."""
    data_rows = [(s.period, s.name, r.municipality) for s in book["sections"] for r in s.rows]
    twente = next(s for s in book["sections"] if (s.period, s.name) == ("2021-Q1", "Twente"))
    row = data_rows.index(("2021-Q1", "Twente", twente.rows[0].municipality)) + 2
    region_rows = [(s.period, s.name) for s in book["sections"]]
    zeeland = region_rows.index(("2021-Q1", WRONG_NATIONAL)) + 2
    data = L.data_columns()
    regions = L.region_columns()
    section = _section(book, "2021-Q1", WRONG_NATIONAL)
    return [
        [L.DATA, data.ref(L.TOTAL_LABEL, row), twente.rows[0].total + 1000],
        [L.REGION_DATA, regions.ref(L.TOTAL_LABEL, zeeland), section.region_total.total + 7],
    ]


def test_absent_region_is_blank_and_partial_quarter_is_no_national_figure(book) -> None:
    (q2,) = workbook_steps(book["path"], [{"set": [[L.OVERVIEW, L.SELECTOR, "2021-Q2"]],
                                           "read": [L.OVERVIEW, L.CHARTS]}])
    columns, regions = _overview(q2)
    present = {s.name for s in book["sections"] if s.period == "2021-Q2"}
    figures = [columns[k] for k in (L.TOTAL_LABEL, L.REGISTER, L.COVERAGE)]
    for region, row in regions.items():
        if region == L.NATIONAL_LABEL:
            continue
        if region in present:
            assert all(row[i] != "" for i in figures)
        else:
            assert all(row[i] == "" for i in figures) and row[columns[L.NOTE]] == L.ABSENT_NOTE
    national = regions[L.NATIONAL_LABEL]
    assert all(national[i] == "" for i in figures)
    assert "6 van 35 regio's" in (national[0] + national[columns[L.NOTE]])
    for line in q2[L.CHARTS][4:]:
        if line[0] not in present:
            assert line[1] == "" and all(v == "" for v in line[4:8])


def test_differences_are_printed_minus_computed_numbers(book) -> None:
    (first,) = workbook_steps(book["path"], [{"read": [L.CONTROLS, L.DATA]}])
    data = first[L.DATA]
    columns = _columns(data[0])
    assert L.CHECK not in columns
    for row in data[1:]:
        counts = sum(row[columns[label]] for label in data[0][3:7])
        assert row[columns[L.DIFFERENCE]] == row[columns[L.TOTAL_LABEL]] - counts
    eemsdelta = next(r for r in data[1:] if r[2] == "Eemsdelta" and r[0] == "2021-Q1")
    assert eemsdelta[columns[L.DIFFERENCE]] == 10

    controls = first[L.CONTROLS]
    header = next(i for i, r in enumerate(controls) if r[0] == L.FINDING_KIND)
    columns = _columns(controls[header])
    rows = controls[header + 1:]
    assert len(rows) == len(book["findings"])
    for row, finding in zip(rows, book["findings"]):
        printed, computed = row[columns[L.PRINTED]], row[columns[L.COMPUTED]]
        if printed != "" and computed != "":
            assert row[columns[L.DIFFERENCE]] == pytest.approx(
                (printed - computed) * (100 if L.is_percent_finding(finding) else 1))
    eemsdelta = next(r for r in rows if r[columns[L.MUNICIPALITY]] == "Eemsdelta")
    assert eemsdelta[columns[L.DIFFERENCE]] == 10  # the same sign as on Gegevens
    drenthe = next(r for r in rows if r[columns[L.REGION]] == "Drenthe" and r[0] == L.KIND_LABELS["coverage_percent"])
    # A percentage as a percentage (0.79 shown as 79%), the difference in procentpunten.
    assert (drenthe[columns[L.PRINTED]], drenthe[columns[L.COMPUTED]]) == (pytest.approx(0.79), pytest.approx(0.77))
    assert drenthe[columns[L.DIFFERENCE]] == 2


def test_percent_findings_are_formatted_as_percentages() -> None:
    from xlkp.model import Finding

    findings = [
        Finding("coverage_percent", "2021-Q1", "Drenthe", None, 79, 77, "79% is 77%"),
        Finding("row_total", "2021-Q1", "Drenthe", "Assen", 800, 790, "800 is 790"),
    ]
    sheet = L.build_layout([], findings, L.DEFAULT_COLUMNS).sheet(L.CONTROLS)
    formats = {f.ref: f.number_format for f in sheet.formats if f.number_format}
    columns = L.CONTROLS_COLUMNS
    row = L.CONTROLS_FIRST_ROW
    assert formats[columns.range(L.PRINTED, row, to=L.COMPUTED)] == L.PRINTED_PERCENT_FORMAT
    assert formats[columns.ref(L.DIFFERENCE, row)] == L.POINTS_FORMAT
    assert columns.range(L.PRINTED, row + 1, to=L.DIFFERENCE) not in formats  # counts keep the column's


def test_trend_shows_change_and_a_gap_for_a_missing_quarter(book) -> None:
    municipality = _section(book, "2021-Q1", "Drenthe").rows[0].municipality
    (snapshot,) = workbook_steps(book["path"], [
        {"set": [[L.TREND, L.TREND_REGION, "Drenthe"], [L.TREND, L.TREND_MUNICIPALITY, municipality]],
         "read": [L.TREND]},
    ])
    rows = snapshot[L.TREND]
    header = next(i for i, r in enumerate(rows) if r[0] == L.QUARTER)
    by_quarter = {r[0]: r for r in rows[header + 1:header + 5]}
    assert list(by_quarter) == ["2020-Q3", "2020-Q4", "2021-Q1", "2021-Q2"]
    spec = L.TREND_COLUMNS

    def value(quarter, key):
        return by_quarter[quarter][spec.position(key if isinstance(key, str) else L.trend_key(*key))]

    # The quarter never imported is a gap, said so.
    assert all(value("2020-Q4", key) == "" for key in L.TREND_FIGURES)
    assert value("2020-Q4", ("national", L.NOTE)) == L.NOT_IMPORTED
    # Drenthe: the published figures, change from the previous quarter (none before a gap).
    drenthe = {p: _section(book, p, "Drenthe") for p in ("2020-Q3", "2021-Q1", "2021-Q2")}
    assert value("2021-Q1", ("region", L.TOTAL_LABEL)) == drenthe["2021-Q1"].region_total.total
    assert value("2021-Q1", ("region", L.COVERAGE)) == pytest.approx(0.79)
    assert value("2021-Q1", ("region", L.CHANGE)) == ""
    q1, q2 = drenthe["2021-Q1"].region_total.total, drenthe["2021-Q2"].region_total.total
    assert value("2021-Q2", ("region", L.CHANGE)) == q2 - q1
    assert value("2021-Q2", ("region", L.CHANGE_PERCENT)) == pytest.approx(q2 / q1 - 1)
    assert L.MARK in value("2021-Q1", ("region", L.NOTE)) and value("2021-Q2", ("region", L.NOTE)) == ""
    # Nederland: the national table where printed, nothing for a partial quarter.
    assert value("2021-Q1", ("national", L.TOTAL_LABEL)) == book["national"].total.total
    assert value("2021-Q2", ("national", L.TOTAL_LABEL)) == ""
    assert "6 van 35 regio's" in value("2021-Q2", ("national", L.NOTE))
    # The municipality's own rows.
    rows_of = {p: next((r.total for r in s.rows if r.municipality == municipality), "") for p, s in drenthe.items()}
    for quarter, total in rows_of.items():
        assert value(quarter, ("municipality", L.TOTAL_LABEL)) == total
    assert any(chart.kind == "line" for chart in L.build_layout(book["sections"], [], L.DEFAULT_COLUMNS)
               .sheet(L.TREND).charts)


def test_national_table_is_checked_against_the_regions_pages(book) -> None:
    (snapshot,) = workbook_steps(book["path"], [
        {"read": [L.NATIONAL_SHEET]},
    ])
    rows = snapshot[L.NATIONAL_SHEET]
    columns = _columns(rows[0])
    by_region = {r[columns[L.REGION]]: r for r in rows[1:] if r[columns[L.PERIOD]] == "2021-Q1"}
    assert by_region[WRONG_NATIONAL][columns[L.DIFFERENCE]] == 5
    assert by_region["Drenthe"][columns[L.POINTS_DIFFERENCE]] == -2
    assert by_region["Twente"][columns[L.DIFFERENCE]] == 0
    assert by_region[L.NATIONAL_LABEL][columns[L.TOTAL_LABEL]] == book["national"].total.total


def test_every_sheet_names_its_source(book) -> None:
    (snapshot,) = workbook_steps(book["path"], [
        {"set": [[L.OVERVIEW, L.SELECTOR, "2021-Q1"]], "read": SHEETS},
    ])
    source = "eerste-kwartaal.pdf"
    overview = snapshot[L.OVERVIEW]
    assert "eerste kwartaal 2021" in overview[0][0].lower()
    assert any(str(v).startswith("Bron: UWV, Transparantie van klantprofielen, eerste kwartaal 2021; "
                                 f"{source}, pagina") for row in overview[:4] for v in row)
    for name in (L.CHARTS, L.TREND, L.CONTROLS):
        assert any(str(v).startswith("Bron: UWV, Transparantie van klantprofielen") for row in snapshot[name][:4]
                   for v in row), name
    data = snapshot[L.DATA]
    columns = _columns(data[0])
    q1 = [r for r in data[1:] if r[0] == "2021-Q1"]
    assert {r[columns[L.SOURCE_FILE]] for r in q1} == {source}
    assert all(isinstance(r[columns[L.PAGE]], float) and r[columns[L.PAGE]] >= 1 for r in q1)
    controls = snapshot[L.CONTROLS]
    header = next(i for i, r in enumerate(controls) if r[0] == L.FINDING_KIND)
    columns = _columns(controls[header])
    eemsdelta = next(r for r in controls[header + 1:] if r[columns[L.MUNICIPALITY]] == "Eemsdelta")
    assert eemsdelta[columns[L.SOURCE_FILE]] == source and eemsdelta[columns[L.PAGE]] >= 1
