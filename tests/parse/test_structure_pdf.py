"""The structure around the tables in PDFs, on both word backends: continuation subtitles, the
national table first or last, landscape pages, running headers and footers, an introduction with
a table of contents, partial publications; and one publication made by LibreOffice."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.libreoffice import render_pdf as soffice_pdf
from tests.parse.tables import table
from xlkp.checks import check_publication
from xlkp.model import NationalTable, replace
from xlkp.parse import read_publication
from xlkp.regions import REGIONS
from xlkp.samples import RenderOptions, national_table, render_pdf, sample_sections


def national(t: NationalTable):
    """What a reader must recover of a national table."""
    return (
        t.period,
        [(r.region, r.values, r.total, r.register, r.percent) for r in t.rows],
        t.total and (t.total.values, t.total.total, t.total.register, t.total.percent),
        t.register,
        t.coverage_percent_printed,
    )


def _kinds(publication) -> list[tuple]:
    return sorted((f.kind, f.severity, f.region, f.printed, f.computed) for f in check_publication(publication))


LAYOUTS = {
    "vervolg-landelijk-eerst": RenderOptions(rows_per_page=7, continuation_suffix=" (vervolg)", national="first"),
    "liggend-landelijk-laatst-kop": RenderOptions(rows_per_page=9, landscape=True, national="last",
                                                  national_heading=True, continuation_suffix=" - vervolg"),
    "kop-voet-inleiding": RenderOptions(rows_per_page=6, furniture=True, introduction=True, national="first",
                                        continuation_suffix=" (continued)"),
    "zonder-herhaalde-kop": RenderOptions(rows_per_page=8, repeat_subtitle=False, furniture=True, national="last"),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_structures_read_back_exactly(tmp_path, backend, layout):
    sections = sample_sections("2021-Q3")
    nl = national_table(sections)
    path = tmp_path / f"{layout}.pdf"
    render_pdf(sections, path, LAYOUTS[layout], [nl])
    publication = read_publication(path, backend)
    assert [table(s) for s in publication.sections] == [table(s) for s in sections]
    assert [s.columns for s in publication.sections] == [s.columns for s in sections]
    assert [national(t) for t in publication.national] == [national(nl)]
    assert publication.national[0].columns == sections[0].columns
    # Long regions ran on over several pages; none became a region of its own.
    per_page = LAYOUTS[layout].rows_per_page
    assert [len(s.pages) for s in publication.sections] == [-(-len(s.rows) // per_page) for s in sections]
    assert max(len(s.pages) for s in publication.sections) >= 2
    assert _kinds(publication) == []


def test_a_partial_publication_with_its_national_table(write_pdf, backend, tmp_path):
    sections = sample_sections("2021-Q2")[:6]
    nl = national_table(sample_sections("2021-Q2"))  # the whole country, as UWV prints it
    path = tmp_path / "deel.pdf"
    render_pdf(sections, path, RenderOptions(rows_per_page=12, national="first", furniture=True), [nl])
    publication = read_publication(path, backend)
    assert [table(s) for s in publication.sections] == [table(s) for s in sections]
    assert [national(t) for t in publication.national] == [national(nl)]
    missing = [r for r in REGIONS[6:]]
    found = check_publication(publication)
    assert _kinds(publication) == sorted(
        [("incomplete_publication", "warning", None, 6, 35)]
        + [("national_missing_region", "error", None, None, None)] * len(missing)
    )
    assert [m for f in found if f.kind == "national_missing_region" for m in [f.message]] == [
        f"Regio {r} staat in de landelijke tabel maar heeft geen eigen tabel." for r in missing
    ]
    [incomplete] = [f for f in found if f.kind == "incomplete_publication"]
    assert incomplete.message == f"6 van 35 regio's ingelezen; ontbreekt: {', '.join(missing)}."


def test_national_checks_find_each_contradiction(tmp_path, backend):
    sections = sample_sections("2021-Q4")
    nl = national_table(sections)
    friesland = nl.rows[1]
    nl.rows[1] = replace(friesland, values=(friesland.values[0] + 5, *friesland.values[1:]), total=friesland.total + 5,
                         percent=friesland.percent + 1)
    t = nl.total
    nl.total = replace(t, register=t.register + 100)
    del nl.rows[4]  # Twente
    path = tmp_path / "tegenspraak.pdf"
    render_pdf(sections, path, RenderOptions(national="last"), [nl])
    publication = read_publication(path, backend)
    f = sections[1]
    twente = sections[4]
    columns = [*f.columns, "Totaal"]
    found = sorted((x.kind, x.region, x.column, x.printed, x.computed) for x in check_publication(publication))
    shown = nl.rows  # as printed: Friesland changed, Twente gone
    sums = [sum(r.values[i] for r in shown) for i in range(4)] + [sum(r.total for r in shown)]
    printed = [*t.values, t.total]
    assert found == sorted(
        [
            ("national_region", "Friesland", columns[0], f.region_total.values[0] + 5, f.region_total.values[0]),
            ("national_region", "Friesland", "Totaal", f.region_total.total + 5, f.region_total.total),
            ("national_region", "Friesland", "% bekend", f.coverage_percent_printed + 1, f.coverage_percent_printed),
            ("national_missing_region", None, None, None, None),
            ("national_total", None, "Doelgroepregister", t.register + 100, sum(r.register for r in shown)),
            ("national_total", None, "Doelgroepregister", nl.register, t.register + 100),
        ]
        + [("national_total", None, label, p, s) for label, p, s in zip(columns, printed, sums) if p != s]
    )
    assert any("Twente" in x.message for x in check_publication(publication) if x.kind == "national_missing_region")
    assert twente.region == "Twente"


def _xlsx_publication(sections, nl, path: Path) -> None:
    """The publication as a spreadsheet whose cells hold the printed text; LibreOffice prints it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.pagebreak import Break
    from openpyxl.worksheet.properties import PageSetupProperties

    from xlkp.counts import format_count as n
    from xlkp.periods import period_label

    book = Workbook()
    ws = book.active
    lines: list[list] = []

    def page_break() -> None:
        ws.row_breaks.append(Break(id=len(lines)))

    def footnote(where: str, register: int, percent: int) -> None:
        lines.append([f"In Sonar zijn niet alle doelgroepers opgenomen, {where} bevat het"])
        lines.append([f"doelgroepregister banenafspraak in totaal {n(register)} personen. Hiervan is {percent}% bekend binnen Sonar."])

    lines += [["UWV", None, None, None, None, None, "Gepubliceerd: 15 februari 2022"], ["Transparantie van klantprofielen"],
              [f"{period_label(nl.period)} Nederland"], ["Regio", *nl.columns, "Totaal", "Doelgroepregister", "% bekend"]]
    for r in nl.rows:
        lines.append([r.region, *map(n, r.values), n(r.total), n(r.register), f"{r.percent}%"])
    t = nl.total
    lines.append(["Nederland", *map(n, t.values), n(t.total), n(t.register), f"{t.percent}%"])
    footnote("landelijk", nl.register, nl.coverage_percent_printed)
    for section in sections:
        page_break()
        rows = section.rows
        for part, chunk in enumerate([rows[:5], rows[5:]]):
            if part:
                page_break()
                lines.append(["Pagina"])
            suffix = " (vervolg)" if part else ""
            lines += [["Transparantie van klantprofielen"], [f"{period_label(section.period)} {section.region_as_printed}{suffix}"]]
            if not part:
                lines.append(["Gemeente", *section.columns, "Totaal"])
            for row in chunk:
                lines.append([row.municipality, *map(n, row.values), n(row.total)])
        total = section.region_total
        lines.append(["TOTAAL AMR", *map(n, total.values), n(total.total)])
        footnote(f"in de arbeidsmarktregio {section.region_as_printed}", section.register, section.coverage_percent_printed)
        lines.append(["Bron: UWV"])
    for line in lines:
        ws.append(line)
    for row in ws.iter_rows(min_col=2):
        for cell in row:
            cell.alignment = Alignment(horizontal="right")
    ws.column_dimensions["A"].width = 36
    for column in "BCDEFGH":
        ws.column_dimensions[column].width = 17
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    book.save(path)


@pytest.fixture(scope="module")
def libreoffice_publication(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lo")
    sections = copy.deepcopy(sample_sections("2021-Q1")[:4])
    nl = national_table(sections)
    source = folder / "publicatie.xlsx"
    _xlsx_publication(sections, nl, source)
    return soffice_pdf(source, folder), sections, nl


def test_a_publication_printed_by_libreoffice_reads_back_exactly(libreoffice_publication, backend):
    pdf, sections, nl = libreoffice_publication
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    assert "LibreOffice" in document.get_metadata_dict()["Producer"]
    document.close()
    publication = read_publication(pdf, backend)
    assert [table(s) for s in publication.sections] == [table(s) for s in sections]
    assert [s.columns for s in publication.sections] == [s.columns for s in sections]
    assert [len(s.pages) for s in publication.sections] == [2, 2, 2, 2]
    assert [national(t) for t in publication.national] == [national(nl)]
    assert _kinds(publication) == [("incomplete_publication", "warning", None, 4, 35)]
