"""Print sections the way UWV's publication lays them out: as a PDF (reportlab) or as extracted text."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..counts import format_count
from ..model import SAMPLE_MARK, NationalTable, Section
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
NATIONAL_HEADING = "Landelijk overzicht per arbeidsmarktregio"
PUBLISHED = "Gepubliceerd: 15 februari 2022"


@dataclass(frozen=True)
class RenderOptions:
    header_lines: int = 2  # 0: no header row; 1: one line; 2: each label over two lines
    rotated_header: bool = False  # labels printed bottom to top above their columns
    rows_per_page: int = 30  # a longer table continues on the next page
    repeat_subtitle: bool = True  # print title and subtitle again on a continuation page
    continuation_suffix: str = ""  # e.g. " (vervolg)": added to a repeated subtitle
    prose: bool = True  # the repeated explanatory text at the foot of every page
    page_numbers: bool = True
    landscape: bool = False
    furniture: bool = False  # running header (UWV, publication date) and footer (Bron, Pagina x van y)
    national: str | None = None  # "first" or "last": each quarter's national table before/after its regions
    national_heading: bool = False  # head the national table 'Landelijk overzicht ...' instead of '<kwartaal> Nederland'
    introduction: bool = False  # an introduction page with a table of contents
    # Off only in tests, where a generated PDF stands in for a real publication.
    sample_mark: bool = True


def _footnote(section: Section) -> tuple[str, str]:
    region = section.footnote_region or section.region_as_printed
    return (
        "In Sonar zijn niet alle doelgroepers opgenomen, in de arbeidsmarktregio "
        f"{region} bevat het",
        f"doelgroepregister banenafspraak in totaal {format_count(section.register or 0)} personen. "
        f"Hiervan is {section.coverage_percent_printed}% bekend binnen Sonar.",
    )


def _national_footnote(table: NationalTable) -> tuple[str, str]:
    return (
        "In Sonar zijn niet alle doelgroepers opgenomen, landelijk bevat het",
        f"doelgroepregister banenafspraak in totaal {format_count(table.register or 0)} personen. "
        f"Hiervan is {table.coverage_percent_printed}% bekend binnen Sonar.",
    )


def _chunks(rows: list, per_page: int) -> list[list]:
    return [rows[i : i + per_page] for i in range(0, len(rows), per_page)] or [[]]


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


def _wrapped_header(first: str, labels: list[str | list[str]], width: int) -> list[list[str]]:
    """Each label wrapped to `width` characters (or given as its lines), bottom-aligned: one
    list of cells per printed line."""
    wrapped = [
        label if isinstance(label, list) else (textwrap.wrap(label, width, break_long_words=False) or [""])
        for label in labels
    ]
    height = max(len(w) for w in wrapped)
    padded = [[""] * (height - len(w)) + w for w in wrapped]
    return [[first if i == height - 1 else "", *(p[i] for p in padded)] for i in range(height)]


@dataclass
class _Page:
    kind: str  # "intro", "section", "national"
    item: object = None
    chunk: list | None = None
    index: int = 0
    last: bool = True


def _plan(sections: list[Section], national: Sequence[NationalTable], options: RenderOptions) -> list[_Page]:
    pages: list[_Page] = [_Page("intro")] if options.introduction else []
    by_period = {t.period: t for t in national}
    periods = list(dict.fromkeys([s.period for s in sections] + [t.period for t in national]))
    for period in periods:
        table = by_period.get(period) if options.national else None

        def national_pages(table=table) -> list[_Page]:
            if table is None:
                return []
            chunks = _chunks(table.rows, options.rows_per_page)
            return [_Page("national", table, c, i, i == len(chunks) - 1) for i, c in enumerate(chunks)]

        first = options.national == "first"
        if first:
            pages += national_pages()
        for section in (s for s in sections if s.period == period):
            chunks = _chunks(list(section.rows), options.rows_per_page)
            pages += [_Page("section", section, c, i, i == len(chunks) - 1) for i, c in enumerate(chunks)]
        if not first:
            pages += national_pages()
    return pages


def render_pdf(
    sections: list[Section],
    path: str | Path,
    options: RenderOptions = RenderOptions(),
    national: Sequence[NationalTable] = (),
) -> None:
    """`national`: the national tables to print (see samples.national_table) when options.national is set."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    size = landscape(A4) if options.landscape else A4
    width, height = size
    pdf = canvas.Canvas(str(path), pagesize=size, pageCompression=1)
    pdf.setTitle(f"{TITLE} ({SAMPLE_MARK})" if options.sample_mark else TITLE)
    number_right = [291.0, 353.0, 415.0, 477.0, 539.0]
    plan = _plan(sections, national, options)
    total_pages = len(plan)
    first_page: dict[int, int] = {}
    for number, page in enumerate(plan, start=1):
        first_page.setdefault(id(page.item), number)

    def heading(y: float, subtitle: str) -> float:
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(56, y, TITLE)
        y -= 26
        pdf.setFont("Helvetica", 12)
        pdf.drawString(56, y, subtitle)
        return y - 24

    def section_header(y: float, section: Section) -> float:
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

    def furniture(number: int) -> None:
        if options.furniture:
            pdf.setFont("Helvetica-Bold", 9)
            pdf.drawString(56, height - 30, "UWV")
            pdf.setFont("Helvetica", 8)
            pdf.drawRightString(width - 56, height - 30, PUBLISHED)
            pdf.drawString(56, 30, "Bron: UWV")
            pdf.drawRightString(width - 56, 30, f"Pagina {number} van {total_pages}")
        elif options.page_numbers:
            pdf.setFont("Helvetica", 8)
            pdf.drawRightString(width - 56, 30, str(number))

    def mark_page() -> None:
        # Every page says it is made up, so no printout or screenshot passes for the real thing.
        if options.sample_mark:
            pdf.saveState()
            pdf.setFillColorRGB(0.75, 0, 0)
            pdf.setFont("Helvetica-Bold", 11)
            pdf.drawCentredString(width / 2, height - 44, SAMPLE_MARK)
            pdf.restoreState()

    def prose(y_free: float) -> None:
        # The explanatory text below the table: from y=330 down, or lower where the table is long.
        y = min(330.0, y_free - 16)
        pdf.setFont("Helvetica", 7)
        for paragraph in PROSE.splitlines():
            if y < 60:
                break
            if paragraph in PROSE_HEADINGS:
                y -= 4
                pdf.setFont("Helvetica-Bold", 8)
                pdf.drawString(56, y, paragraph)
                pdf.setFont("Helvetica", 7)
                y -= 11
                continue
            for line in textwrap.wrap(paragraph, 135):
                if y < 60:
                    break
                pdf.drawString(56, y, line)
                y -= 9

    def draw_numbers(y: float, name: str, numbers: list[str], columns: list[float], font: str, size: float) -> None:
        pdf.setFont(font, size)
        pdf.drawString(56, y, name)
        for x, text in zip(columns, numbers):
            pdf.drawRightString(x, y, text)

    def intro_page() -> None:
        y = heading(height - 60, "Inleiding")
        pdf.setFont("Helvetica", 9)
        for line in textwrap.wrap(PROSE.splitlines()[1], 110)[:4]:
            pdf.drawString(56, y, line)
            y -= 12
        y -= 10
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(56, y, "Inhoud")
        y -= 16
        pdf.setFont("Helvetica", 9)
        entries = []
        for page in plan:
            if page.index == 0 and isinstance(page.item, NationalTable):
                entries.append((f"{NATIONAL_HEADING} {period_label(page.item.period).lower()}", first_page[id(page.item)]))
            elif page.index == 0 and isinstance(page.item, Section):
                s = page.item
                entries.append((f"{period_label(s.period)} {s.region_as_printed}", first_page[id(s)]))
        for text, number in entries:
            if y < 60:
                break
            pdf.drawString(56, y, text + " " + "." * 20)
            pdf.drawRightString(width - 56, y, str(number))
            y -= 11

    def national_page(page: _Page) -> float:
        table: NationalTable = page.item  # type: ignore[assignment]
        subtitle = f"{period_label(table.period)} Nederland"
        if options.national_heading:
            subtitle = NATIONAL_HEADING
        if page.index and not options.repeat_subtitle:
            y = height - 60
        else:
            y = heading(height - 60, subtitle + (options.continuation_suffix if page.index else ""))
        step = (width - 56 - 250) / 6
        columns = [250 + k * step for k in range(7)]
        if options.header_lines and table.columns is not None:
            labels: list[str | list[str]] = [*table.columns, "Totaal", ["Doelgroep-", "register"], ["%", "bekend"]]
            pdf.setFont("Helvetica-Bold", 7)
            for cells in _wrapped_header("Regio", labels, max(8, int(step / 5))):
                pdf.drawString(56, y, cells[0])
                for x, text in zip(columns, cells[1:]):
                    pdf.drawRightString(x, y, text)
                y -= 10
            y -= 4
        for row in page.chunk or []:
            draw_numbers(y, row.region_as_printed, [*(format_count(v) for v in (*row.values, row.total, row.register)),
                                                     f"{row.percent}%"], columns, "Helvetica", 8)
            y -= 11
        if page.last:
            if table.total is not None:
                t = table.total
                draw_numbers(y, "Nederland", [*(format_count(v) for v in (*t.values, t.total, t.register)),
                                              f"{t.percent}%"], columns, "Helvetica-Bold", 8)
                y -= 18
            if table.register is not None:
                pdf.setFont("Helvetica-Oblique", 8)
                for line in _national_footnote(table):
                    pdf.drawString(56, y, line)
                    y -= 10
        return y

    def section_page(page: _Page) -> float:
        section: Section = page.item  # type: ignore[assignment]
        if page.index == 0 or options.repeat_subtitle:
            suffix = options.continuation_suffix if page.index else ""
            y = heading(height - 60, f"{period_label(section.period)} {section.region_as_printed}{suffix}")
            y = section_header(y, section)
        else:
            y = height - 60
        for row in page.chunk or []:
            draw_numbers(y, row.municipality, [format_count(v) for v in (*row.values, row.total)], number_right,
                         "Helvetica", 9)
            y -= 12
        if page.last:
            if section.region_total is not None:
                total = section.region_total
                draw_numbers(y, "TOTAAL AMR", [format_count(v) for v in (*total.values, total.total)],
                             number_right, "Helvetica-Bold", 9)
                y -= 18
            if section.register is not None:
                pdf.setFont("Helvetica-Oblique", 8)
                for line in _footnote(section):
                    pdf.drawString(56, y, line)
                    y -= 10
        return y

    for number, page in enumerate(plan, start=1):
        furniture(number)
        mark_page()
        if page.kind == "intro":
            intro_page()
        elif page.kind == "national":
            national_page(page)
        else:
            y = section_page(page)
            if options.prose:
                prose(y)
        pdf.showPage()
    pdf.save()


def render_text(sections: list[Section], header: bool = False, sample_mark: bool = True) -> str:
    """Text as a PDF extractor gives it, like the seed page: one page per section, form feeds between,
    each page marked as a sample."""
    pages = []
    for section in sections:
        lines = [SAMPLE_MARK, ""] if sample_mark else []
        lines += [TITLE + " ", "", f"{period_label(section.period)} {section.region_as_printed}", ""]
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
