"""A history store filled from generated PDFs: 2021-Q1 and 2022-Q1 (Dijk en Waard appears,
Heerhugowaard vanishes). Shared by tests/store and tests/addin."""

from __future__ import annotations

from pathlib import Path

from xlkp.checks import check_sections
from xlkp.model import Section
from xlkp.parse import read_publication
from xlkp.samples import RenderOptions, render_pdf, sample_sections
from xlkp.store import Store

PERIODS = ("2021-Q1", "2022-Q1")
# Generated PDFs without the sample mark stand in for real publications here.
AS_PUBLISHED = RenderOptions(sample_mark=False)


def import_pdf(store: Store, pdf: Path) -> list[Section]:
    publication = read_publication(pdf)
    store.replace_periods(publication.sections, check_sections(publication.sections), publication.source)
    return publication.sections


def build_store(directory: Path, periods=PERIODS) -> Path:
    path = directory / "store.sqlite"
    with Store.open(path) as store:
        for period in periods:
            pdf = directory / f"{period}.pdf"
            render_pdf(sample_sections(period), pdf, AS_PUBLISHED)
            import_pdf(store, pdf)
    return path


def expected(period: str) -> dict[str, Section]:
    """The generated sections by region: the oracle, independent of PDF reading and the store."""
    return {s.region: s for s in sample_sections(period)}
