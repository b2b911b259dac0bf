"""Deliberate mistakes in a sample, so a user sees what the flags look like."""

from __future__ import annotations

from ..model import Section, replace


def inject_sample_defects(sections: list[Section]) -> None:
    """A wrong row total, a wrong column total and a wrong percentage, in three regions (in as
    many as there are, when a sample has fewer)."""
    first, second, third = (sections[i % len(sections)] for i in range(3))
    row = first.rows[0]
    first.rows[0] = replace(row, total=row.total + 10)
    total = second.region_total
    assert total is not None  # every sample region has its TOTAAL AMR line
    second.region_total = replace(total, values=(total.values[0] + 1, *total.values[1:]))
    third.coverage_percent_printed = (third.coverage_percent_printed or 0) + 2
