"""Where the figures of a quarter come from, in the words a citation uses.

`Bron: UWV, Transparantie van klantprofielen, eerste kwartaal 2021; kp-2021-1.pdf, pagina 1–36`
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from operator import attrgetter
from pathlib import PurePath

from ..model import NationalTable, Section
from ..periods import period_label

PUBLICATION = "UWV, Transparantie van klantprofielen"


@lru_cache(maxsize=1024)  # asked for every section of every sheet; a workbook names few files
def file_name(source: str | None) -> str:
    """The file a section was read from, without its folder (a path says nothing to a reader
    of the workbook, and may name a user's folders)."""
    if not source:
        return ""
    return PurePath(source.replace("\\", "/")).name


def quarter_name(period: str) -> str:
    """'2021-Q1' -> 'eerste kwartaal 2021'; an unknown key as it is."""
    try:
        return period_label(period).lower()
    except (KeyError, ValueError):
        return period


def pages_text(pages: Iterable[int]) -> str:
    """'pagina 3', 'pagina 3–5', 'pagina 3, 7–9' ('pagina' too for several: it names a place)."""
    numbers = sorted({p for p in pages if p is not None})
    if not numbers:
        return ""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return "pagina " + ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def section_pages(section: Section) -> list[int]:
    on_rows = set(map(attrgetter("page"), section.rows))  # every row of every quarter: no loop in Python
    on_rows.discard(None)
    return sorted({*section.pages, *on_rows})


def source_lines(sections: Iterable[Section], national: Iterable[NationalTable] = ()) -> dict[str, str]:
    """Per quarter its source line: the publication, the quarter, each file and its pages."""
    files: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for section in sections:
        files[section.period][file_name(section.source)].update(section_pages(section))
    for table in national:
        pages = files[table.period]
        # A national table carries no file of its own: it came with the quarter's sections.
        name = next(iter(pages), "")
        pages[name].update(table.pages)
    lines = {}
    for period, by_file in files.items():
        parts = [", ".join(p for p in (name, pages_text(pages)) if p) for name, pages in by_file.items()]
        parts = [p for p in parts if p]
        lines[period] = f"Bron: {PUBLICATION}, {quarter_name(period)}" + (f"; {'; '.join(parts)}" if parts else "")
    return lines
