"""Publications for the workbook tests, made in memory."""

from xlkp.model import Publication
from xlkp.samples import make_section, sample_sections
from xlkp.samples.defects import inject_sample_defects

# Names a PDF may hold that a spreadsheet would otherwise run as formulas.
INJECTION_NAMES = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]


def publication(*periods: str, defects: bool = False, seed: int = 1, source: str = "test.pdf") -> Publication:
    sections = [s for p in periods for s in sample_sections(p, seed=seed)]
    if defects:
        inject_sample_defects(sections)
    return Publication(source, sections)


def injection_publication(period: str = "2021-Q1") -> Publication:
    rows = [(name, (i + 1, 2 * i, 3, 4 + i)) for i, name in enumerate(INJECTION_NAMES)]
    rows.append(("Gewone Gemeente", (10, 20, 30, 40)))
    return Publication("injectie.pdf", [make_section(period, "Zeeland", rows, register=400)])
