"""The import plan: what importing new publications into a workbook will do, decided before
anything is written.

Both front-ends, the command line (`xlkp.importer`, an openpyxl file) and the ribbon
(`xlkp.addin.macros`, the open book through xlwings; also xlwings Lite through `xlkp.lite`),
read the workbook's quarters their own way, call `plan_import`, and then write the plan their own
way. `plan_import` is pure: it merges the new quarters with the workbook's, applies the shrink
guard, fills missing column labels, checks every quarter (but those the workbook's data copy
says were checked with the very same figures: `still_found`), lays out every sheet, and says which
store changes go with it (`StoreChanges`). What stays with each front-end: where the existing
quarters come from, how the workbook and the store are written (and locked), how the user is told.

Source of truth for the `KP_*` functions: the history store. It holds each quarter as the
publication printed it, with the findings of checking it at import; every import writes the
store and the workbook together. The workbook's sheets are the analyst's copy: an edit there
changes neither the store nor any `KP_*` answer. *Totalen controleren* checks the sheets as they
stand, and compares them with the store (`departures`): when the sheets no longer match the
stored publication (an edit, or a store written by another workbook), its message says where
and that `KP_CHECK` and the other functions answer from the stored publication. So the macro and
`KP_CHECK` never disagree silently: equal figures give equal findings, and unequal figures are
named.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

from .checks import check_sections, period_labels, quarters_before
from .counts import counted
from .model import (
    DEFAULT_COLUMNS,
    Finding,
    NationalRow,
    NationalTable,
    Publication,
    Section,
    category_labels,
)

if TYPE_CHECKING:
    from .report.layout import WorkbookLayout


_municipality = attrgetter("municipality")


@dataclass(frozen=True)
class BookContents:
    """What a workbook holds before an import, read by each front-end its own way."""

    sections: list[Section] = field(default_factory=list)
    labels: tuple[str, ...] | None = None  # the data tables' headers, when the workbook has them
    national: list[NationalTable] = field(default_factory=list)
    # Per quarter the findings the import that wrote these very figures gave (its data copy),
    # findings only the PDF showed included; None: not known, every quarter is checked.
    findings: dict[str, list[Finding]] | None = None


@dataclass(frozen=True)
class StoreChanges:
    """What an import writes to the history store: the new quarters replace what it holds of them."""

    sections: list[Section]
    findings: list[Finding]  # the findings of the new quarters, checked among all the workbook's
    source: str  # the files read, for the store's import log
    national: list[NationalTable]


@dataclass(frozen=True)
class Shrink:
    period: str
    regions: tuple[int, int]  # (now, after the import)
    municipalities: tuple[int, int]

    def describe(self) -> str:
        (r_now, r_new), (m_now, m_new) = self.regions, self.municipalities
        return (
            f"{self.period} heeft nu {_size(r_now, m_now)}, de nieuwe gegevens maar {_size(r_new, m_new)}"
        )


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import will write, or the quarters the shrink guard refuses (`refused`):
    then nothing else is planned (`layout` and `store` are None) and nothing may be written."""

    new_sections: list[Section]
    new_national: list[NationalTable]
    new_periods: list[str]  # every quarter the new publications bring, sorted
    added: list[str]  # new quarters the workbook did not hold
    replaced: list[str]  # quarters the workbook held, imported again
    refused: list[Shrink]  # quarters that would shrink without `replace`
    sections: list[Section] = field(default_factory=list)  # the workbook's sections afterwards
    labels: tuple[str, ...] = DEFAULT_COLUMNS  # the data tables' headers afterwards
    national: list[NationalTable] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # of every quarter in the workbook
    layout: WorkbookLayout | None = None
    store: StoreChanges | None = None

    @property
    def periods(self) -> list[str]:
        return sorted({s.period for s in self.sections})

    @property
    def regions(self) -> int:
        return len({s.name for s in self.sections})

    @property
    def municipalities(self) -> int:
        names: dict[str, set[str]] = {}
        for s in self.sections:  # a region's names a section at a time: thousands of rows in a long history
            names.setdefault(s.name, set()).update(map(_municipality, s.rows))
        return sum(map(len, names.values()))

    @property
    def sample_periods(self) -> list[str]:
        """New quarters read from a sample publication (fictitious figures)."""
        return sorted({s.period for s in self.new_sections if s.sample})


def plan_import(
    existing: BookContents,
    publications: Sequence[Publication],
    *,
    stored: Iterable[Section] = (),
    stored_labels: dict[str, tuple[str, ...]] | None = None,
    replace: bool = False,
) -> ImportPlan:
    """The plan for importing `publications` into a workbook holding `existing`.

    `stored` are the store's sections of the new quarters (`new_periods`), for the shrink guard;
    `stored_labels` the store's labels per quarter, for quarters that printed none. Unless
    `replace`, a quarter that would shrink in the workbook or the store is refused and nothing
    else is planned. The new sections' missing labels are filled in place (they are written so).
    """
    new_sections = [s for p in publications for s in p.sections]
    new_national = [t for p in publications for t in p.national]
    new_periods = periods_of(publications)
    held = {s.period for s in existing.sections} | {t.period for t in existing.national}
    added = [p for p in new_periods if p not in held]
    replaced = [p for p in new_periods if p in held]
    refused = [] if replace else shrinking_quarters(existing.sections, stored, new_sections)
    if refused:
        return ImportPlan(new_sections, new_national, new_periods, added, replaced, refused)

    held_labels = period_labels(existing.sections)
    fill_labels(new_sections, new_national, held_labels | (stored_labels or {}))
    sections, labels = merge(existing.sections, existing.labels, new_sections)
    national = merge_national(existing.national, new_national, new_periods)
    known = still_found(existing.findings or {}, held_labels, period_labels(sections), new_periods)
    findings = check_sections(sections, national, known=known)
    from .report import layout  # not at import time: `xlkp.importer` loads fast for the CLI

    book_layout = layout.build_layout(sections, findings, labels, national)
    changes = StoreChanges(
        sections=new_sections,
        findings=findings_of(findings, new_periods),
        source=", ".join(p.source for p in publications),
        national=new_national,
    )
    return ImportPlan(
        new_sections, new_national, new_periods, added, replaced, [],
        sections, labels, national, findings, book_layout, changes,
    )


def periods_of(publications: Iterable[Publication]) -> list[str]:
    """The quarters the publications bring: of their sections and their national tables."""
    found: set[str] = set()
    for publication in publications:
        found.update(s.period for s in publication.sections)
        found.update(t.period for t in publication.national)
    return sorted(found)


# ---- the sheets against the store ----------------------------------------------------------------


@dataclass(frozen=True)
class Departure:
    """A quarter on the sheets that the `KP_*` functions, answering from the store, see otherwise."""

    period: str
    stored: bool  # the store holds the quarter at all
    areas: list[str] = field(default_factory=list)  # regions (and Nederland) whose figures differ
    findings: bool = False  # the findings differ (where the figures do not, e.g. an older check)

    def describe(self) -> str:
        if not self.stored:
            return f"{self.period} staat niet in de opslag"
        if not self.areas:
            return f"{self.period}: andere bevindingen"
        shown = ", ".join(self.areas[:AREAS_NAMED])
        more = len(self.areas) - AREAS_NAMED
        return f"{self.period}: {shown}" + (f" en {more} meer" if more > 0 else "")


AREAS_NAMED = 5  # a message names this many differing regions per quarter, then counts the rest
NATIONAL_AREA = "Nederland"


def departures(
    sheets: BookContents, sheet_findings: Iterable[Finding], stored: BookContents, stored_findings: Iterable[Finding]
) -> list[Departure]:
    """The quarters on the sheets whose figures or findings differ from the store's.

    Figures are compared as the `KP_*` functions use them: per region its municipalities' counts
    and totals (in any order), TOTAAL AMR, the register, the printed percentage and the labels;
    per quarter the national table's lines and footnote. Where no quarter departs, checking the sheets gives exactly
    the findings `KP_CHECK` reports."""
    book_regions, store_regions = _region_figures(sheets.sections), _region_figures(stored.sections)
    book_national, store_national = _national_figures(sheets.national), _national_figures(stored.national)
    book_findings, store_findings = _finding_keys(sheet_findings), _finding_keys(stored_findings)
    stored_periods = {p for p, _ in store_regions} | set(store_national)
    found = []
    for period in sorted({p for p, _ in book_regions} | set(book_national)):
        if period not in stored_periods:
            found.append(Departure(period, stored=False))
            continue
        names = {n for p, n in book_regions if p == period} | {n for p, n in store_regions if p == period}
        areas = sorted(n for n in names if book_regions.get((period, n)) != store_regions.get((period, n)))
        if book_national.get(period) != store_national.get(period):
            areas.append(NATIONAL_AREA)
        other_findings = book_findings.get(period, []) != store_findings.get(period, [])
        if areas or other_findings:
            found.append(Departure(period, True, areas, other_findings))
    return found


def _region_figures(sections: Iterable[Section]) -> dict[tuple[str, str], tuple]:
    """Per quarter and region its figures, however its rows are ordered or split over tables."""
    rows: dict[tuple[str, str], list[tuple]] = {}
    rest: dict[tuple[str, str], list[tuple]] = {}
    for s in sections:
        key, total = (s.period, s.name), s.region_total
        rows.setdefault(key, []).extend((r.municipality.strip(), r.values, r.total) for r in s.rows)
        rest.setdefault(key, []).append((
            (total.values, total.total) if total is not None else None,
            s.register, s.coverage_percent_printed, s.labels,
        ))
    return {key: (sorted(rows[key]), sorted(set(rest[key]), key=repr)) for key in rows}


def _national_figures(tables: Iterable[NationalTable]) -> dict[str, list[tuple]]:
    def line(row: NationalRow | None) -> tuple | None:
        if row is None:
            return None
        return (row.region or row.region_as_printed.strip(), row.values, row.total, row.register, row.percent)

    figures: dict[str, list[tuple]] = {}
    for t in tables:
        figures.setdefault(t.period, []).append((
            tuple(sorted((line(r) for r in t.rows), key=repr)), line(t.total), t.register,
            t.coverage_percent_printed,
        ))  # not its labels: the sheets keep one set per quarter, compared with the regions
    return {period: sorted(found, key=repr) for period, found in figures.items()}


def _finding_keys(findings: Iterable[Finding]) -> dict[str, list[tuple]]:
    keys: dict[str, list[tuple]] = {}
    for f in findings:
        keys.setdefault(f.period, []).append(
            (f.kind, f.severity, f.region, f.municipality, f.printed, f.computed, f.column, f.message)
        )
    return {period: sorted(found, key=repr) for period, found in keys.items()}


# ---- the shrink guard ------------------------------------------------------------------------------


def _size(regions: int, municipalities: int) -> str:
    regions_text = counted(regions, "regio", "regio's")
    return f"{regions_text} en {counted(municipalities, 'gemeente', 'gemeenten')}"


def _sizes(sections: Iterable[Section]) -> dict[str, tuple[int, int]]:
    regions: dict[str, set] = {}
    municipalities: dict[str, set] = {}
    for s in sections:
        regions.setdefault(s.period, set()).add(s.name)
        municipalities.setdefault(s.period, set()).update((s.name, r.municipality) for r in s.rows)
    return {p: (len(regions[p]), len(municipalities[p])) for p in regions}


def shrinking(existing: Iterable[Section], new: Iterable[Section]) -> list[Shrink]:
    """The quarters of `new` that would replace a larger quarter of `existing`."""
    after = _sizes(new)
    now = _sizes(s for s in existing if s.period in after)  # not the whole history: only these
    found = []
    for period in sorted(after):
        if period in now and (after[period][0] < now[period][0] or after[period][1] < now[period][1]):
            found.append(Shrink(period, (now[period][0], after[period][0]), (now[period][1], after[period][1])))
    return found


def shrinking_quarters(
    in_workbook: Iterable[Section], stored: Iterable[Section], new: Sequence[Section]
) -> list[Shrink]:
    """The quarters an import of `new` would shrink, in the workbook or else in the store.

    A sample is practice, not data to protect: a quarter the store holds from a sample gives
    way to a real publication of that quarter without asking, and so does the workbook's copy
    of that sample (the same rows)."""
    stored = list(stored)
    samples = replaceable_samples(stored, new)
    in_workbook = list(in_workbook)
    workbook_samples = {p for p in samples if _rows(in_workbook, p) == _rows(stored, p)}
    return shrinking([s for s in in_workbook if s.period not in workbook_samples], new) or shrinking(
        [s for s in stored if s.period not in samples], new
    )


def replaceable_samples(stored: Iterable[Section], new: Iterable[Section]) -> set[str]:
    """Quarters held only from a sample, for which `new` brings a real publication."""
    held: dict[str, bool] = {}
    for s in stored:
        held[s.period] = held.get(s.period, True) and s.sample
    real = {s.period for s in new if not s.sample}
    return {p for p, sample in held.items() if sample and p in real}


def _rows(sections: Iterable[Section], period: str) -> list[tuple]:
    return sorted(
        (s.name, r.municipality.strip(), r.values, r.total)
        for s in sections
        if s.period == period
        for r in s.rows
    )


# ---- merging ---------------------------------------------------------------------------------------


def findings_of(findings: list[Finding], periods: Iterable[str]) -> list[Finding]:
    """The findings of some quarters: checks look across quarters only to compare column labels
    with the quarter before, so these are what checking those quarters in context gives."""
    wanted = set(periods)
    return [f for f in findings if f.period in wanted]


def still_found(
    found: dict[str, list[Finding]], labels_before: dict[str, tuple[str, ...]],
    labels_after: dict[str, tuple[str, ...]], changed: Iterable[str],
) -> dict[str, list[Finding]]:
    """The quarters of `found` that checking again would find the same in: not `changed`, with
    the same labels as before the import, compared with the same quarter (checks.quarters_before)
    with the same labels."""
    changed = set(changed)
    compared_before, compared_after = quarters_before(labels_before), quarters_before(labels_after)

    def context(labels: dict[str, tuple[str, ...]], compared: dict[str, str], period: str) -> tuple:
        earlier = compared.get(period)
        return labels.get(period), earlier, labels.get(earlier) if earlier else None

    return {period: findings for period, findings in found.items() if period not in changed
            and context(labels_before, compared_before, period) == context(labels_after, compared_after, period)}


def merge(
    existing: list[Section], existing_labels: tuple[str, ...] | None, new: list[Section]
) -> tuple[list[Section], tuple[str, ...]]:
    """A workbook's data after an import: new quarters added, quarters imported again replaced.

    Periods come in order, each period's regions in the order they were read. Each section
    keeps its own quarter's labels; the labels returned (the data tables' headers) are those
    all quarters share, else the numbered defaults. A workbook from before labels were kept per
    quarter gives `existing_labels` to the quarters it holds.
    """
    new_periods = {s.period for s in new}
    by_period: dict[str, list[Section]] = {}
    for section in [s for s in existing if s.period not in new_periods] + new:
        by_period.setdefault(section.period, []).append(section)
    sections = [s for period in sorted(by_period) for s in by_period[period]]
    if existing_labels and existing_labels != DEFAULT_COLUMNS:
        for section in existing:
            if section.columns is None and section.period not in new_periods:
                section.columns = existing_labels
    return sections, category_labels(sections)


def merge_national(
    existing: list[NationalTable], new: list[NationalTable], new_periods: Iterable[str]
) -> list[NationalTable]:
    """The national tables after an import: those of quarters imported again are replaced."""
    replaced = set(new_periods)
    return sorted([t for t in existing if t.period not in replaced] + list(new), key=lambda t: t.period)


def fill_labels(
    sections: list[Section], national: list[NationalTable], known: dict[str, tuple[str, ...]]
) -> None:
    """A quarter whose publication printed no labels at all takes the most recent labels known
    from an earlier quarter (else from any quarter): the counts stay in their positions."""
    if not known:
        return
    items: list[Section | NationalTable] = [*sections, *national]
    for item in items:
        if item.columns is None:
            earlier = [p for p in known if p < item.period] or list(known)
            item.columns = known[max(earlier)]


__all__ = [
    "BookContents", "Departure", "ImportPlan", "Shrink", "StoreChanges", "departures", "fill_labels", "findings_of", "merge",
    "merge_national", "periods_of", "plan_import", "replaceable_samples", "shrinking", "shrinking_quarters",
    "still_found",
]
