"""What a reader must recover of a section, shared by the reader tests."""

from __future__ import annotations

from xlkp.model import Section
from xlkp.regions import clean_name


def table(section: Section):
    """What a reader must recover of a section, names as a user would type them."""
    return (
        section.period,
        section.region,
        [(clean_name(r.municipality), r.values, r.total) for r in section.rows],
        section.region_total and (section.region_total.values, section.region_total.total),
        section.register,
        section.coverage_percent_printed,
    )
