"""Pure checks: Publication -> findings, each with the number printed and the number computed."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter, ne

from .counts import format_count as n
from .model import (
    CATEGORY_COUNT,
    ERROR,
    TOTAL_LABEL,
    WARNING,
    Finding,
    NationalTable,
    Publication,
    Row,
    Section,
)
from .regions import REGIONS, canonical_region, clean_name, normalise, without_control_characters

# The one table of severities: "error" when printed figures contradict each other (or a
# figure needed to check them is missing), "warning" for a fact about the file.
SEVERITY: dict[str, str] = {
    "row_total": ERROR,
    "column_total": ERROR,
    "coverage_percent": ERROR,
    "missing_total": ERROR,
    "missing_register": ERROR,
    "empty_section": ERROR,
    "duplicate_municipality": ERROR,
    "duplicate_region": ERROR,
    "continuation_region": ERROR,
    "national_region": ERROR,
    "national_total": ERROR,
    "national_missing_region": ERROR,
    "unknown_region": WARNING,
    "region_mismatch": WARNING,
    "incomplete_publication": WARNING,
    "column_labels": WARNING,
    "control_characters": WARNING,
}


def severity(kind: str) -> str:
    """A kind not in the table is an error: an unknown problem is not waved through."""
    return SEVERITY.get(kind, ERROR)


def finding(
    kind: str,
    period: str,
    region: str | None,
    message: str,
    municipality: str | None = None,
    printed: int | None = None,
    computed: int | None = None,
    column: str | None = None,
) -> Finding:
    """A Finding with the severity its kind has in SEVERITY."""
    return Finding(kind, period, region, municipality, printed, computed, message, column, severity(kind))


def errors_of(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


def coverage_percent(total: int, register: int) -> int:
    """round(100 * total / register), halves rounded up as a printed percentage is."""
    return (200 * total + register) // (2 * register)


def check_publication(publication: Publication) -> list[Finding]:
    return check_sections(publication.sections, publication.national)


def check_sections(
    sections: Iterable[Section],
    national: Iterable[NationalTable] = (),
    *,
    known: Mapping[str, Sequence[Finding]] | None = None,
) -> list[Finding]:
    """Every finding about these sections and national tables, which may span quarters: a
    quarter at a time, in order of quarter. `known`: quarters already checked with these very
    figures (and the same labels before them), whose findings are taken as they are."""
    sections = list(sections)
    known = known or {}
    by_period: dict[str, list[Section]] = defaultdict(list)
    for section in sections:
        by_period[section.period].append(section)
    national_by_period: dict[str, list[NationalTable]] = defaultdict(list)
    for table in national:
        national_by_period[table.period].append(table)
    labels = period_labels(sections)
    before = quarters_before(labels)
    findings: list[Finding] = []
    for period in sorted(by_period.keys() | national_by_period.keys()):
        if period in known:
            findings.extend(known[period])
            continue
        in_period = by_period.get(period, [])
        for section in in_period:
            findings.extend(check_section(section))
        if in_period:
            findings.extend(_check_regions(period, in_period))
        findings.extend(_check_labels(period, in_period, labels, before.get(period)))
        for index, table in enumerate(national_by_period.get(period, [])):
            if index:
                findings.append(
                    finding("duplicate_region", period, None, f"De landelijke tabel staat meer dan eens in {period}.")
                )
            else:
                findings.extend(check_national(table, in_period))
    return findings


def check_section(section: Section) -> list[Finding]:
    found: list[Finding] = []

    def add(kind, message, municipality=None, printed=None, computed=None, column=None):
        found.append(
            finding(kind, section.period, section.name, message, municipality, printed, computed, column)
        )

    if section.stray_continuation is not None:
        printed, open_region = section.stray_continuation
        add(
            "continuation_region",
            f"Vervolgpagina '{printed}' hoort bij geen open tabel"
            + (f" (open was regio {open_region})" if open_region else "")
            + f"; de rijen staan apart onder regio {section.name}.",
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

    for at in misadded(section.rows):
        row = section.rows[at]
        computed = sum(row.values)
        add(
            "row_total",
            f"{row.municipality}: de vier aantallen tellen op tot {n(computed)}, "
            f"maar het totaal is {n(row.total)}.",
            row.municipality,
            row.total,
            computed,
            TOTAL_LABEL,
        )

    # Mostly no name is there twice: asked of all names at once first.
    names = list(map(normalise, map(_municipality, section.rows)))
    if len(set(names)) < len(names):
        counts = Counter(names)
        for row, name in zip(section.rows, names):
            if counts.pop(name, 1) > 1:
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
        sums = column_sums(section)
        for label, printed_cell, computed in zip(labels, printed_cells, sums, strict=True):
            if computed != printed_cell:
                add(
                    "column_total",
                    f"TOTAAL AMR in kolom '{label}' is {n(printed_cell)}, "
                    f"maar de gemeenten tellen op tot {n(computed)}.",
                    None,
                    printed_cell,
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


_values, _total, _municipality = attrgetter("values"), attrgetter("total"), attrgetter("municipality")


def misadded(rows: Sequence[Row]) -> list[int]:
    """The positions of the rows whose four counts do not add up to their total: mostly none,
    asked of all rows at once first."""
    if not any(map(ne, map(sum, map(_values, rows)), map(_total, rows))):
        return []
    return [at for at, row in enumerate(rows) if sum(row.values) != row.total]


def column_sums(section: Section) -> list[int]:
    """The sums over the section's municipalities of each of the four counts, then of the totals."""
    sums = [sum(column) for column in zip(*map(_values, section.rows))] or [0] * CATEGORY_COUNT
    sums.append(sum(map(_total, section.rows)))
    return sums


def _check_regions(period: str, sections: list[Section]) -> list[Finding]:
    found: list[Finding] = []
    seen = Counter(s.region for s in sections if s.region)
    for region, count in seen.items():
        if count > 1:
            found.append(finding("duplicate_region", period, region, f"Regio {region} staat {count} keer in {period}."))
    missing = [region for region in REGIONS if region not in seen]
    if missing:
        found.append(
            finding(
                "incomplete_publication",
                period,
                None,
                f"{len(seen)} van {len(REGIONS)} regio's ingelezen; ontbreekt: {', '.join(missing)}.",
                printed=len(seen),
                computed=len(REGIONS),
            )
        )
    return found


def period_labels(sections: Iterable[Section]) -> dict[str, tuple[str, ...]]:
    """Per quarter, the category labels its sections printed (the most common, if they differ)."""
    printed: dict[str, Counter] = defaultdict(Counter)
    for section in sections:
        if section.columns:
            printed[section.period][tuple(section.columns)] += 1
    return {period: counts.most_common(1)[0][0] for period, counts in printed.items()}


def quarters_before(labels: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """For each quarter of `labels` (period_labels) but the first, the quarter before it that
    has labels: what its labels are compared with, the one check across quarters."""
    labelled = sorted(labels)
    return dict(zip(labelled[1:], labelled))


def _check_labels(
    period: str, sections: list[Section], labels: dict[str, tuple[str, ...]], before: str | None
) -> list[Finding]:
    """A quarter's regions whose labels differ from the rest of it, and its labels against those
    of the quarter `before` it (the last one with labels)."""
    found: list[Finding] = []
    usual = labels.get(period)
    for section in sections:
        if section.columns and usual and tuple(section.columns) != usual:
            found.append(
                finding(
                    "column_labels",
                    period,
                    section.name,
                    f"Regio {section.name} heeft andere kolomnamen ({', '.join(section.columns)}) "
                    f"dan de rest van {period} ({', '.join(usual)}).",
                )
            )
    if usual and before is not None and labels[before] != usual:
        changes = [
            f"kolom {i + 1} '{old}' heet nu '{new}'"
            for i, (old, new) in enumerate(zip(labels[before], usual))
            if old != new
        ]
        found.append(
            finding(
                "column_labels",
                period,
                None,
                f"Andere kolomnamen dan {before}: {'; '.join(changes)}. "
                "De aantallen staan per positie; controleer of de kolommen hetzelfde betekenen.",
            )
        )
    return found


def check_national(table: NationalTable, sections: list[Section]) -> list[Finding]:
    """The national table against the regions' own sections and against its own Nederland line."""
    period = table.period
    found: list[Finding] = []
    labels = [*(table.columns or section_labels(sections)), TOTAL_LABEL]
    own = {s.region: s for s in sections if s.region}
    listed: dict[str, object] = {}
    for row in table.rows:
        name = row.region or row.region_as_printed
        if row.region is None:
            found.append(
                finding("national_region", period, name,
                        f"Landelijke tabel: onbekende arbeidsmarktregio '{row.region_as_printed}'.")
            )
            continue
        if row.region in listed:
            found.append(
                finding("duplicate_region", period, row.region,
                        f"Regio {row.region} staat meer dan eens in de landelijke tabel van {period}.")
            )
            continue
        listed[row.region] = row
        section = own.get(row.region)
        if section is None:
            continue
        total = section.region_total
        if total is not None:
            for label, printed, computed in zip(labels, [*row.values, row.total], [*total.values, total.total]):
                if printed != computed:
                    found.append(
                        finding("national_region", period, row.region,
                                f"Landelijke tabel, kolom '{label}': {n(printed)}, "
                                f"maar TOTAAL AMR van de regio is {n(computed)}.",
                                printed=printed, computed=computed, column=label)
                    )
        if row.register is not None and section.register is not None and row.register != section.register:
            found.append(
                finding("national_region", period, row.region,
                        f"Landelijke tabel: doelgroepregister {n(row.register)}, "
                        f"maar de voetnoot van de regio noemt {n(section.register)}.",
                        printed=row.register, computed=section.register, column="Doelgroepregister")
            )
        if (
            row.percent is not None
            and section.coverage_percent_printed is not None
            and row.percent != section.coverage_percent_printed
        ):
            found.append(
                finding("national_region", period, row.region,
                        f"Landelijke tabel: {row.percent}% bekend, "
                        f"maar de voetnoot van de regio noemt {section.coverage_percent_printed}%.",
                        printed=row.percent, computed=section.coverage_percent_printed, column="% bekend")
            )
    if sections:  # an excerpt without any region's section is not compared region by region
        for region in REGIONS:
            if region in own and region not in listed:
                found.append(
                    finding("national_missing_region", period, None,
                            f"Regio {region} heeft een eigen tabel maar geen regel in de landelijke tabel.")
                )
            elif region in listed and region not in own:
                found.append(
                    finding("national_missing_region", period, None,
                            f"Regio {region} staat in de landelijke tabel maar heeft geen eigen tabel.")
                )
    found.extend(_check_national_total(table, labels))
    return found


def _check_national_total(table: NationalTable, labels: list[str]) -> list[Finding]:
    period = table.period
    nl = table.total
    if nl is None:
        return [finding("national_total", period, None, "De landelijke tabel heeft geen regel Nederland.")]
    found: list[Finding] = []
    rows = table.rows
    for index, label in enumerate(labels):
        computed = sum(r.values[index] if index < CATEGORY_COUNT else r.total for r in rows)
        printed = nl.values[index] if index < CATEGORY_COUNT else nl.total
        if printed != computed:
            found.append(
                finding("national_total", period, None,
                        f"Nederland in kolom '{label}' is {n(printed)}, maar de regio's tellen op tot {n(computed)}.",
                        printed=printed, computed=computed, column=label)
            )
    if sum(nl.values) != nl.total:
        found.append(
            finding("national_total", period, None,
                    f"Nederland: de vier aantallen tellen op tot {n(sum(nl.values))}, maar het totaal is {n(nl.total)}.",
                    printed=nl.total, computed=sum(nl.values), column=TOTAL_LABEL)
        )
    if nl.register is not None and all(r.register is not None for r in rows):
        computed = sum(r.register for r in rows)  # type: ignore[misc]
        if computed != nl.register:
            found.append(
                finding("national_total", period, None,
                        f"Doelgroepregister Nederland is {n(nl.register)}, maar de regio's tellen op tot {n(computed)}.",
                        printed=nl.register, computed=computed, column="Doelgroepregister")
            )
    register = nl.register if nl.register is not None else table.register
    if table.register is not None and nl.register is not None and table.register != nl.register:
        found.append(
            finding("national_total", period, None,
                    f"De landelijke voetnoot noemt een doelgroepregister van {n(table.register)}, "
                    f"de regel Nederland {n(nl.register)}.",
                    printed=table.register, computed=nl.register, column="Doelgroepregister")
        )
    for percent in {p for p in (nl.percent, table.coverage_percent_printed) if p is not None}:
        if register:
            computed = coverage_percent(nl.total, register)
            if computed != percent:
                found.append(
                    finding("national_total", period, None,
                            f"Nederland: bekend in Sonar staat als {percent}%, maar "
                            f"{n(nl.total)} van {n(register)} is {computed}%.",
                            printed=percent, computed=computed, column="% bekend")
                )
    return found


def section_labels(sections: Iterable[Section]) -> tuple[str, ...]:
    from .model import DEFAULT_COLUMNS

    labels = list(period_labels(sections).values())
    return labels[0] if labels else DEFAULT_COLUMNS
