"""Whole publications as PDFs, generated here, read back number for number by both backends."""

from __future__ import annotations

import copy

import pytest

from tests.parse.tables import table
from xlkp.checks import check_publication, coverage_percent
from xlkp.model import replace
from xlkp.parse import read_publication
from xlkp.regions import REGIONS
from xlkp.samples import SAMPLE_COLUMNS, make_section, sample_sections

ODD_NAMES = [
    (" Texel", (0, 14, 50, 28)),
    ("'s-Hertogenbosch", (1490, 12345, 7, 0)),
    ("Súdwest-Fryslân", (3, 4, 5, 6)),
    ("Nuenen, Gerwen en Nederwetten", (10, 20, 30, 40)),
    ("Bergen (L.)", (999, 1000, 1001, 0)),
    ("Bergen NH", (26, 30, 102, 26)),
    ("Hendrik-Ido-Ambacht", (100, 200, 300, 400)),
]


def test_whole_publication_reads_every_number(write_pdf, backend):
    sections = sample_sections("2021-Q1")
    path = write_pdf(sections, rows_per_page=17)
    publication = read_publication(path, backend)
    assert [table(s) for s in publication.sections] == [table(s) for s in sections]
    assert [s.region for s in publication.sections] == list(REGIONS)
    assert all(s.columns == SAMPLE_COLUMNS for s in publication.sections)
    assert check_publication(publication) == []
    # Friesland (18 rows) and Noord-Holland Noord (18) run on to a second page.
    pages = {s.region: s.pages for s in publication.sections}
    assert pages["Groningen"] == [1]
    assert pages["Friesland"] == [2, 3]
    assert pages["Drenthe"] == [4]
    assert sum(len(p) for p in pages.values()) == 37


def test_region_variant_and_printed_spelling(write_pdf, backend):
    [section] = [s for s in sample_sections("2021-Q1") if s.region == "Noord-Holland Noord"]
    read = read_publication(write_pdf([section]), backend).sections[0]
    assert read.region == "Noord-Holland Noord"
    assert read.region_as_printed == "Noord-Holland (Noord)"
    assert read.register == 10187 and read.coverage_percent_printed == 73
    assert read.region_total.values == (456, 1839, 4135, 963) and read.region_total.total == 7393


@pytest.mark.parametrize("header_lines", [0, 1, 2])
def test_header_rows(write_pdf, backend, header_lines):
    columns = ("UWV", "Gemeente", "Beide", "Geen") if header_lines == 1 else SAMPLE_COLUMNS
    section = make_section("2021-Q3", "Twente", ODD_NAMES, 30_000, columns=columns)
    read = read_publication(write_pdf([section], header_lines=header_lines), backend).sections[0]
    assert read.columns == (columns if header_lines else None)
    assert table(read) == table(section)
    assert read.period == "2021-Q3"


def test_rotated_header(write_pdf, backend):
    section = make_section("2021-Q3", "Twente", ODD_NAMES, 30_000)
    read = read_publication(write_pdf([section], rotated_header=True), backend).sections[0]
    assert read.columns == SAMPLE_COLUMNS
    assert table(read) == table(section)


def test_names_with_punctuation_and_thousands(write_pdf, backend):
    section = make_section("2020-Q4", "Zuidoost-Brabant", ODD_NAMES, 123_456)
    read = read_publication(write_pdf([section]), backend).sections[0]
    assert [r.municipality for r in read.rows] == [n.strip() for n, _ in ODD_NAMES]
    assert read.rows[1].values == (1490, 12345, 7, 0) and read.rows[1].total == 13842
    assert read.register == 123456


@pytest.mark.parametrize("repeat_subtitle", [True, False])
def test_table_continues_on_next_page(write_pdf, backend, repeat_subtitle):
    rows = [(f"Gemeente {chr(65 + i)}{chr(97 + i)}", (i, 2 * i, 3 * i, 4)) for i in range(20)]
    long = make_section("2021-Q2", "Rijnmond", rows, 5_000)
    short = make_section("2021-Q2", "Drechtsteden", ODD_NAMES[:3], 19_000)
    path = write_pdf([long, short], rows_per_page=7, repeat_subtitle=repeat_subtitle)
    first, second = read_publication(path, backend).sections
    assert table(first) == table(long)
    assert first.pages == [1, 2, 3]
    assert second.pages == [4]
    assert table(second) == table(short)


def test_prose_is_never_data(write_pdf, backend):
    section = make_section("2021-Q1", "Flevoland", ODD_NAMES[:2], 20_000)
    with_prose = read_publication(write_pdf([section], prose=True), backend).sections[0]
    without = read_publication(write_pdf([section], prose=False), backend).sections[0]
    assert table(with_prose) == table(without) == table(section)


def test_backends_agree_on_every_field(write_pdf):
    sections = sample_sections("2022-Q1") + [make_section("2022-Q1", "Gorinchem", ODD_NAMES, 5)]
    path = write_pdf(sections, rows_per_page=9)
    fast, plumber = (read_publication(path, b).sections for b in ("pdfium", "pdfplumber"))
    assert [s.to_dict() for s in fast] == [s.to_dict() for s in plumber]
    assert [[r.page for r in s.rows] for s in fast] == [[r.page for r in s.rows] for s in plumber]


def _defective():
    sections = copy.deepcopy(sample_sections("2021-Q4")[:6])
    groningen, friesland, drenthe, zwolle, twente, steden = sections
    groningen.rows[2] = replace(groningen.rows[2], total=groningen.rows[2].total + 7)
    t = friesland.region_total
    friesland.region_total = replace(t, values=(t.values[0], t.values[1] - 3, *t.values[2:]))
    drenthe.coverage_percent_printed += 1
    zwolle.region_total = None
    twente.rows.append(twente.rows[0])
    twente.region_total = replace(
        twente.region_total,
        values=tuple(a + b for a, b in zip(twente.region_total.values, twente.rows[0].values)),
        total=twente.region_total.total + twente.rows[0].total,
    )
    twente.coverage_percent_printed = coverage_percent(twente.region_total.total, twente.register)
    steden.region_as_printed = "Atlantis"
    steden.region = None
    steden.footnote_region = "Atlantis"
    return sections


def test_injected_defects_are_found(write_pdf, backend):
    sections = _defective()
    publication = read_publication(write_pdf(sections), backend)
    found = {(f.kind, f.region, f.municipality, f.printed, f.computed, f.column) for f in check_publication(publication)}
    g, f, d = sections[0], sections[1], sections[2]
    row = g.rows[2]
    assert found == {
        ("row_total", "Groningen", row.municipality, row.total, row.total - 7, "Totaal"),
        ("column_total", "Groningen", None, g.region_total.total, g.region_total.total + 7, "Totaal"),
        ("column_total", "Friesland", None, f.region_total.values[1], f.region_total.values[1] + 3, "Profiel gemeente"),
        ("coverage_percent", "Drenthe", None, d.coverage_percent_printed, d.coverage_percent_printed - 1, None),
        ("missing_total", "Regio Zwolle", None, None, None, None),
        ("duplicate_municipality", "Twente", sections[4].rows[0].municipality, None, None, None),
        ("unknown_region", "Atlantis", None, None, None, None),
        # five of the 35 regions are known: a warning, listing the 30 others
        ("incomplete_publication", None, None, 5, 35, None),
    }
    severities = {f.kind: f.severity for f in check_publication(publication)}
    assert severities == {
        "row_total": "error", "column_total": "error", "coverage_percent": "error", "missing_total": "error",
        "duplicate_municipality": "error", "unknown_region": "warning", "incomplete_publication": "warning",
    }
