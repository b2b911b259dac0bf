"""Sample publications that add up, made from a seed, for the README's first command, tests and benchmarks."""

from __future__ import annotations

import random

from ..checks import coverage_percent
from ..model import NATIONAL, Counts, NationalRow, NationalTable, Row, Section
from ..periods import parse_period
from ..regions import REGIONS
from ..reorganisations import quarter_bounds
from .municipalities import SEED_2021_Q1, SEED_2021_Q1_REGISTER, municipalities_on
from .render import RenderOptions, render_pdf, render_text

__all__ = ["RenderOptions", "make_section", "national_table", "render_pdf", "render_text", "sample_sections"]

SAMPLE_COLUMNS = ("Profiel UWV", "Profiel gemeente", "Profiel beide", "Zonder profiel")
# How a few regions are printed in the subtitle: the publication is not always consistent.
PRINTED_AS = {"Noord-Holland Noord": "Noord-Holland (Noord)", "Zaanstreek/Waterland": "Zaanstreek Waterland"}


def make_section(
    period: str,
    region: str,
    rows: list[tuple[str, Counts]],
    register: int,
    *,
    region_as_printed: str | None = None,
    columns: tuple[str, ...] | None = SAMPLE_COLUMNS,
) -> Section:
    """A section whose totals, column sums and printed percentage all agree."""
    table = [Row(name, values, sum(values)) for name, values in rows]
    sums = tuple(sum(r.values[i] for r in table) for i in range(4))
    total = Row("TOTAAL AMR", sums, sum(sums))
    return Section(
        period=period,
        region=region,
        region_as_printed=region_as_printed or region,
        rows=table,
        region_total=total,
        register=register,
        coverage_percent_printed=coverage_percent(total.total, register),
        columns=columns,
        footnote_region=region,
    )


def _sort_key(name: str) -> str:
    return name.strip().lstrip("'").casefold()


def sample_sections(period: str = "2021-Q1", seed: int = 1) -> list[Section]:
    """All 35 regions for one quarter, with plausible, consistent numbers.

    Each region lists its municipalities as they were on the quarter's first day (a
    reorganisation of 1 January shows in that year's first quarter; Weesp, added to Amsterdam on
    24 March 2022, from the second). For 2021-Q1, Noord-Holland Noord carries the real figures of
    the seed page.
    """
    key = parse_period(period)
    if key is None:
        raise ValueError(f"not a quarter: {period!r}")
    indeling = municipalities_on(quarter_bounds(key)[0])
    rng = random.Random(f"{seed}:{key}")
    sections = []
    for region in REGIONS:
        rows: list[tuple[str, Counts]]
        if key == "2021-Q1" and region == "Noord-Holland Noord":
            rows = list(SEED_2021_Q1.items())
            register = SEED_2021_Q1_REGISTER
        else:
            rows = []
            for name in sorted(indeling[region], key=_sort_key):
                size = rng.randint(40, 2400)
                shares = [rng.random() * w for w in (0.1, 0.25, 0.55, 0.12)]
                rows.append((name, tuple(int(size * s / sum(shares)) for s in shares)))
            total = sum(sum(v) for _, v in rows)
            register = int(total / rng.uniform(0.55, 0.9))
        sections.append(
            make_section(key, region, rows, register, region_as_printed=PRINTED_AS.get(region))
        )
    return sections


def national_table(sections: list[Section], period: str | None = None) -> NationalTable:
    """The national table a publication of `sections` prints for `period` (default: the first
    section's): one row per region with its TOTAAL AMR, register and printed percentage, and
    the Nederland line, all agreeing."""
    period = period or sections[0].period
    rows = []
    for s in sections:
        if s.period != period or s.region_total is None:
            continue
        rows.append(
            NationalRow(s.region, s.name, s.region_total.values, s.region_total.total, s.register,
                        s.coverage_percent_printed)
        )
    values = tuple(sum(r.values[i] for r in rows) for i in range(4))
    total = sum(values)
    register = sum(r.register or 0 for r in rows)
    percent = coverage_percent(total, register) if register else None
    columns = next((s.columns for s in sections if s.period == period and s.columns), None)
    return NationalTable(
        period,
        rows=rows,
        total=NationalRow(None, NATIONAL, values, total, register, percent),
        register=register,
        coverage_percent_printed=percent,
        columns=columns,
    )
