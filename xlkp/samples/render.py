"""Print sections the way UWV's publication lays them out: as a PDF (reportlab) or as extracted text."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from ..model import Section
from ..numbers import format_count
from ..periods import period_label

TITLE = "Transparantie van klantprofielen"

# The explanatory text every page of the real publication repeats (not data).
PROSE = """Transparantie op de arbeidsmarkt
Gemeenten en UWV hebben een gedeelde verantwoordelijkheid om transparantie op de arbeidsmarkt te realiseren. Speciaal voor werkgevers en intermediairs heeft UWV daarom de kandidatenverkenner banenafspraak ontwikkeld: een online databank op werk.nl met de anonieme profielen van mensen die behoren tot de doelgroep van de banenafspraak. De publicatie ‘Transparantie van klantprofielen’ geeft inzicht in de vorderingen op dit gebied: hoeveel mensen die behoren tot de doelgroep van de banenafspraak worden door UWV en gemeenten (anoniem) voor het voetlicht gebracht?
Sonar
De profielen in de kandidatenverkenner zijn afkomstig uit het landelijke klantvolgsysteem Sonar. UWV registreert werkzoekenden in Sonar en gebruikt het systeem voor het vastleggen, monitoren en verantwoorden van de dienstverlening en re-integratie. Gemeenten kunnen eveneens werkzoekenden in Sonar registreren en het systeem gebruiken voor het vinden van geschikte kandidaten voor een vacature.
Klantprofielen
Sonar biedt ook de mogelijkheid om van geregistreerde kandidaten een klantprofiel op te stellen. Deze profielen in Sonar bevatten gegevens van werkzoekenden, waaronder opleiding, vaardigheden, competenties, affiniteiten, beroepssectoren en taaksoorten. Het opstellen van het klantprofiel gebeurt samen met de klant en is een onderdeel van de reguliere dienstverlening van UWV. Ook gemeenten kunnen klantprofielen opstellen voor hun doelgroep.
Banenafspraak
Door de koppeling tussen de kandidatenverkenner banenafspraak en Sonar zijn de (geanonimiseerde) klantprofielen ook beschikbaar voor werkgevers en intermediairs. Gemeenten en UWV kunnen op die manier hun klantenbestand transparant maken. Het is een van de belangrijke instrumenten om er samen met werkgevers en intermediairs voor te zorgen dat zij de doelstellingen van de banenafspraak bereiken."""

PROSE_HEADINGS = {"Transparantie op de arbeidsmarkt", "Sonar", "Klantprofielen", "Banenafspraak"}


@dataclass(frozen=True)
class RenderOptions:
    header_lines: int = 2  # 0: no header row; 1: one line; 2: each label over two lines
    rotated_header: bool = False  # labels printed bottom to top above their columns
    rows_per_page: int = 30  # a longer table continues on the next page
    repeat_subtitle: bool = True  # print title and subtitle again on a continuation page
    prose: bool = True  # the repeated explanatory text at the foot of every page
    page_numbers: bool = True


def _footnote(section: Section) -> tuple[str, str]:
    region = section.footnote_region or section.region_as_printed
    return (
        "In Sonar zijn niet alle doelgroepers opgenomen, in de arbeidsmarktregio "
        f"{region} bevat het",
        f"doelgroepregister banenafspraak in totaal {format_count(section.register or 0)} personen. "
        f"Hiervan is {section.coverage_percent_printed}% bekend binnen Sonar.",
    )


def _pages(section: Section, per_page: int) -> list[list]:
    rows = list(section.rows)
    chunks = [rows[i : i + per_page] for i in range(0, len(rows), per_page)] or [[]]
    return chunks


def _header_cells(section: Section, lines: int) -> list[list[str]]:
    """Header text per line: [['Gemeente', label1, ..., 'Totaal'], ...]."""
    labels = list(section.labels) + ["Totaal"]
    if lines == 1:
        return [["Gemeente", *labels]]
    first, second = [], []
    for label in labels:
        head, _, tail = label.partition(" ")
        first.append(head if tail else "")
        second.append(tail or head)
    return [["", *first], ["Gemeente", *second]]


def render_pdf(sections: list[Section], path: str | Path, options: RenderOptions = RenderOptions()) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=1)
    pdf.setTitle(TITLE)
    number_right = [291.0, 353.0, 415.0, 477.0, 539.0]
    page_number = 0

    def start_page(section: Section) -> float:
        nonlocal page_number
        page_number += 1
        y = height - 60
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(56, y, TITLE)
        y -= 26
        pdf.setFont("Helvetica", 12)
        pdf.drawString(56, y, f"{period_label(section.period)} {section.region_as_printed}")
        y -= 24
        if options.rotated_header and section.columns is not None:
            pdf.setFont("Helvetica-Bold", 8)
            y -= 70
            pdf.drawString(56, y, "Gemeente")
            for x, text in zip(number_right, [*section.labels, "Totaal"]):
                pdf.saveState()
                pdf.translate(x - 3, y)
                pdf.rotate(90)
                pdf.drawString(0, 0, text)
                pdf.restoreState()
            y -= 15
        elif options.header_lines and section.columns is not None:
            pdf.setFont("Helvetica-Bold", 8)
            for cells in _header_cells(section, options.header_lines):
                pdf.drawString(56, y, cells[0])
                for x, text in zip(number_right, cells[1:]):
                    pdf.drawRightString(x, y, text)
                y -= 11
            y -= 4
        return y

    def finish_page() -> None:
        if options.prose:
            pdf.setFont("Helvetica", 7)
            y = 330.0
            for paragraph in PROSE.splitlines():
                if paragraph in PROSE_HEADINGS:
                    y -= 4
                    pdf.setFont("Helvetica-Bold", 8)
                    pdf.drawString(56, y, paragraph)
                    pdf.setFont("Helvetica", 7)
                    y -= 11
                    continue
                for line in textwrap.wrap(paragraph, 135):
                    pdf.drawString(56, y, line)
                    y -= 9
        if options.page_numbers:
            pdf.setFont("Helvetica", 8)
            pdf.drawRightString(width - 56, 30, str(page_number))
        pdf.showPage()

    for section in sections:
        chunks = _pages(section, options.rows_per_page)
        for index, chunk in enumerate(chunks):
            if index == 0 or options.repeat_subtitle:
                y = start_page(section)
            else:
                page_number += 1
                y = height - 60
            pdf.setFont("Helvetica", 9)
            for row in chunk:
                pdf.drawString(56, y, row.municipality)
                for x, value in zip(number_right, [*row.values, row.total]):
                    pdf.drawRightString(x, y, format_count(value))
                y -= 12
            if index == len(chunks) - 1:
                if section.region_total is not None:
                    total = section.region_total
                    pdf.setFont("Helvetica-Bold", 9)
                    pdf.drawString(56, y, "TOTAAL AMR")
                    for x, value in zip(number_right, [*total.values, total.total]):
                        pdf.drawRightString(x, y, format_count(value))
                    y -= 18
                if section.register is not None:
                    pdf.setFont("Helvetica-Oblique", 8)
                    for line in _footnote(section):
                        pdf.drawString(56, y, line)
                        y -= 10
            finish_page()
    pdf.save()


def render_text(sections: list[Section], header: bool = False) -> str:
    """Text as a PDF extractor gives it, like the seed page: one page per section, form feeds between."""
    pages = []
    for section in sections:
        lines = [TITLE + " ", "", f"{period_label(section.period)} {section.region_as_printed}", ""]
        if header and section.columns is not None:
            lines += ["    ".join(["Gemeente", *section.labels, "Totaal"]), ""]
        for row in section.rows:
            lines += [" ".join([row.municipality, *(format_count(v) for v in (*row.values, row.total))]), ""]
        if section.region_total is not None:
            t = section.region_total
            lines.append(" ".join(["TOTAAL AMR", *(format_count(v) for v in (*t.values, t.total))]))
        if section.register is not None:
            first, second = _footnote(section)
            lines += [" " + first + " ", "", second, ""]
        lines += PROSE.replace("\n", "\n\n").splitlines()
        pages.append("\n".join(lines) + "\n")
    return "\f".join(pages)
