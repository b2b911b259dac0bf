"""Structure around the tables, read from extracted text: continuation subtitles, the national
table, page furniture and an index. (The same structures in PDFs: test_structure_pdf.py.)"""

from __future__ import annotations

import pytest

from xlkp.checks import check_publication
from xlkp.parse import read_text
from xlkp.samples import make_section

FRIESLAND = [(f"Gemeente {chr(65 + i)}", (i, 2 * i, 3, 4)) for i in range(18)]


def _page(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def _rows(rows) -> list[str]:
    return [" ".join([name, *map(str, values), str(sum(values))]) for name, values in rows]


def _footnote(region: str, register: int, percent: int) -> list[str]:
    return [
        f"In Sonar zijn niet alle doelgroepers opgenomen, in de arbeidsmarktregio {region} bevat het",
        f"doelgroepregister banenafspraak in totaal {register} personen. Hiervan is {percent}% bekend binnen Sonar.",
    ]


def _friesland_pages(suffix: str) -> tuple[str, object]:
    section = make_section("2021-Q1", "Friesland", FRIESLAND, 900)
    t = section.region_total
    first = _page(["UWV Gepubliceerd: 15 februari 2022", "Transparantie van klantprofielen",
                   "Eerste kwartaal 2021 Friesland", *_rows(FRIESLAND[:14]), "Bron: UWV Pagina 3 van 12"])
    second = _page(["UWV", "Transparantie van klantprofielen", f"Eerste kwartaal 2021 Friesland{suffix}",
                    *_rows(FRIESLAND[14:]), " ".join(["TOTAAL AMR", *map(str, t.values), str(t.total)]),
                    *_footnote("Friesland", 900, section.coverage_percent_printed), "Pagina 4 van 12"])
    return first + "\f" + second, section


@pytest.mark.parametrize("suffix", ["", " (vervolg)", " vervolg", " (vervolgd)", " - vervolg", " (continued)", " (Vervolg)"])
def test_a_repeated_subtitle_with_or_without_suffix_continues_the_section(suffix):
    text, section = _friesland_pages(suffix)
    publication = read_text(text)
    [read] = publication.sections
    assert read.region == "Friesland"
    assert read.pages == [1, 2]
    assert [(r.municipality, r.values, r.total) for r in read.rows] == [
        (r.municipality, r.values, r.total) for r in section.rows
    ]
    assert read.region_total == section.region_total
    assert (read.register, read.coverage_percent_printed) == (900, section.coverage_percent_printed)
    assert [f.kind for f in check_publication(publication)] == ["incomplete_publication"]


def test_a_continuation_of_another_region_is_a_finding_not_a_merge():
    text, _ = _friesland_pages(" (vervolg)")
    text = text.replace("Eerste kwartaal 2021 Friesland (vervolg)", "Eerste kwartaal 2021 Drenthe (vervolg)")
    publication = read_text(text)
    assert [(s.region, len(s.rows)) for s in publication.sections] == [("Friesland", 14), ("Drenthe", 4)]
    found = {(f.kind, f.region, f.severity) for f in check_publication(publication)}
    assert ("continuation_region", "Drenthe", "error") in found
    assert ("missing_total", "Friesland", "error") in found
    [message] = [f.message for f in check_publication(publication) if f.kind == "continuation_region"]
    assert "Friesland" in message and "Drenthe (vervolg)" in message


def test_an_index_and_an_introduction_are_not_tables():
    text, section = _friesland_pages(" (vervolg)")
    index = _page(["Transparantie van klantprofielen", "Inhoud", "Inleiding ........ 2",
                   "Landelijk overzicht ........ 2", "Eerste kwartaal 2021 Friesland ........ 3",
                   "Eerste kwartaal 2021 Drenthe 5", "Inleiding",
                   "Dit is het Eerste kwartaal 2021 van de publicatie.", "Pagina 1 van 12"])
    publication = read_text(index + "\f" + text)
    assert [(s.region, s.pages, len(s.rows)) for s in publication.sections] == [("Friesland", [2, 3], 18)]
    assert publication.national == []
