"""Pure checks: Publication -> findings, each with the number printed and the number computed."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from .model import CATEGORY_COUNT, TOTAL_LABEL, Finding, Publication, Section
from .numbers import format_count as n
from .regions import REGIONS, canonical_region, clean_name, normalise, without_control_characters

# With at least this many regions of a period present, the file is a whole publication and
# a region that is absent is missing, not merely left out of an excerpt.
WHOLE_PUBLICATION = len(REGIONS) // 2 + 1


def coverage_percent(total: int, register: int) -> int:
    """round(100 * total / register), halves rounded up as a printed percentage is."""
    return (200 * total + register) // (2 * register)


def check_publication(publication: Publication) -> list[Finding]:
    return check_sections(publication.sections)


def check_sections(sections: Iterable[Section]) -> list[Finding]:
    sections = list(sections)
    findings: list[Finding] = []
    for section in sections:
        findings.extend(check_section(section))
    findings.extend(_check_regions(sections))
    return findings


def check_section(section: Section) -> list[Finding]:
    found: list[Finding] = []

    def add(kind, message, municipality=None, printed=None, computed=None, column=None):
        found.append(
            Finding(kind, section.period, section.name, municipality, printed, computed, message, column)
        )

    if section.region is None:
        add("unknown_region", f"Onbekende arbeidsmarktregio '{section.region_as_printed}'.")
    for printed in section.cleaned_names:
        shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in printed)
        add(
            "control_characters",
            f"'{shown}' bevatte stuurtekens; die zijn weggelaten.",
            clean_name(without_control_characters(printed)),
        )
    if not section.rows:
        add("empty_section", f"Regio {section.name} heeft geen gemeenten.")

    for row in section.rows:
        computed = sum(row.values)
        if computed != row.total:
            add(
                "row_total",
                f"{row.municipality}: de vier aantallen tellen op tot {n(computed)}, "
                f"maar het totaal is {n(row.total)}.",
                row.municipality,
                row.total,
                computed,
                TOTAL_LABEL,
            )

    counts = Counter(normalise(row.municipality) for row in section.rows)
    for row in section.rows:
        if counts.pop(normalise(row.municipality), 1) > 1:
            add(
                "duplicate_municipality",
                f"{row.municipality} staat meer dan eens in regio {section.name}.",
                row.municipality,
            )

    total = section.region_total
    if total is None:
        add("missing_total", f"Regio {section.name} heeft geen regel TOTAAL AMR.")
    elif section.rows:
        labels = list(section.labels) + [TOTAL_LABEL]
        printed_cells = list(total.values) + [total.total]
        for index, (label, printed) in enumerate(zip(labels, printed_cells, strict=True)):
            computed = sum(
                row.values[index] if index < CATEGORY_COUNT else row.total for row in section.rows
            )
            if computed != printed:
                add(
                    "column_total",
                    f"TOTAAL AMR in kolom '{label}' is {n(printed)}, "
                    f"maar de gemeenten tellen op tot {n(computed)}.",
                    None,
                    printed,
                    computed,
                    label,
                )

    if section.register is None:
        add("missing_register", f"Regio {section.name}: de voetnoot met het doelgroepregister ontbreekt.")
    elif section.register <= 0:
        add("missing_register", f"Regio {section.name}: het doelgroepregister is {n(section.register)}.")
    elif total is not None and section.coverage_percent_printed is not None:
        computed = coverage_percent(total.total, section.register)
        if computed != section.coverage_percent_printed:
            add(
                "coverage_percent",
                f"Bekend in Sonar staat als {section.coverage_percent_printed}%, maar "
                f"{n(total.total)} van {n(section.register)} is {computed}%.",
                None,
                section.coverage_percent_printed,
                computed,
            )

    if (
        section.footnote_region
        and section.region
        and canonical_region(section.footnote_region) != section.region
    ):
        add(
            "region_mismatch",
            f"De voetnoot noemt regio '{section.footnote_region}', "
            f"de kop '{section.region_as_printed}'.",
        )
    return found


def _check_regions(sections: list[Section]) -> list[Finding]:
    found: list[Finding] = []
    by_period: dict[str, list[Section]] = defaultdict(list)
    for section in sections:
        by_period[section.period].append(section)
    for period, group in sorted(by_period.items()):
        seen = Counter(s.region for s in group if s.region)
        for region, count in seen.items():
            if count > 1:
                found.append(
                    Finding(
                        "duplicate_region",
                        period,
                        region,
                        None,
                        None,
                        None,
                        f"Regio {region} staat {count} keer in {period}.",
                    )
                )
        if len(seen) >= WHOLE_PUBLICATION:
            for region in REGIONS:
                if region not in seen:
                    found.append(
                        Finding(
                            "missing_region",
                            period,
                            region,
                            None,
                            None,
                            None,
                            f"Regio {region} ontbreekt in {period}.",
                        )
                    )
    return found
