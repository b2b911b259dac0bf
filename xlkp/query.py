"""Questions about stored quarters, by names as users type them: the logic behind KP_* and `xlkp show`.

Pure Python over `Section`/`Finding` records; no SQL (that is `store.py`) and no xlwings
(that is `addin/udfs.py`). Every failure is a `LookupFailure` with a Dutch message for the cell.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from numbers import Real

from .errors import XlkpError
from .model import (
    CATEGORY_COUNT,
    DEFAULT_COLUMNS,
    NATIONAL,
    REGION_TOTAL_LABEL,
    SAMPLE_MARK,
    TOTAL_INDEX,
    TOTAL_LABEL,
    Counts,
    Finding,
    NationalRow,
    NationalTable,
    Row,
    Section,
    category_labels,
)
from .periods import parse_period
from .regions import REGIONS, canonical_region, closest, normalise
from .reorganisations import Composition, SplitError, dutch_list, indeling_label, quarter_bounds
from .reorganisations import table as reorganisation_table

NATIONAL_KEYS = frozenset({"nederland", "nl", "heel nederland", "totaal nederland"})
# Municipality spellings users type that normalisation alone does not fold together.
MUNICIPALITY_ALIASES = {
    "den bosch": "'s-Hertogenbosch",
    "s hertogenbosch": "'s-Hertogenbosch",
    "den haag": "'s-Gravenhage",
    "the hague": "'s-Gravenhage",
    "bergen noord holland": "Bergen NH",
    "bergen limburg": "Bergen (L.)",
}


# How the publication tells apart municipalities of the same name: a province after the name.
PROVINCE_MARKS = {
    "gr": "Groningen", "fr": "Friesland", "dr": "Drenthe", "o": "Overijssel", "ov": "Overijssel",
    "fl": "Flevoland", "gld": "Gelderland", "g": "Gelderland", "u": "Utrecht", "ut": "Utrecht",
    "nh": "Noord-Holland", "n h": "Noord-Holland", "zh": "Zuid-Holland", "z h": "Zuid-Holland",
    "z": "Zeeland", "nb": "Noord-Brabant", "n b": "Noord-Brabant", "l": "Limburg", "lb": "Limburg",
}


class LookupFailure(XlkpError):
    """A question that has no answer; str() is the Dutch message the user reads."""


@dataclass(frozen=True)
class Area:
    """What a name resolved to in one period."""

    kind: str  # "gemeente", "regio" or "land"
    name: str  # as printed (municipality) or canonical (region), or "Nederland"
    period: str
    section: Section | None = None  # None for the whole country, or a sum over several regions
    row: Row | None = None  # the municipality's row (a sum, for a municipality formed later)
    # A municipality added up from the municipalities of the quarter (a later reorganisation):
    # those municipalities, and what the sum stands for ('de indeling van 2022').
    parts: tuple[Area, ...] = ()
    indeling: str | None = None


@dataclass(frozen=True)
class SeriesPoint:
    """A municipality's figures in one quarter, on the latest indeling (None: no figure, `note`
    says why)."""

    period: str
    values: Counts | None
    total: int | None
    parts: tuple[str, ...]  # the municipalities of that quarter added up
    note: str  # what the figure is, or why there is none
    sample: bool
    region: str | None = None  # its arbeidsmarktregio then (None: no figure, or parts in several)


def _compact(key: str) -> str:
    """'bergen n h' and 'bergen nh' alike."""
    return key.replace(" ", "")


class QueryIndex:
    """An index over stored sections and findings, queried from memory.

    Built from all sections at once, or, with `periods` and `load`, one quarter at a time as
    questions need it: `load(period)` gives that quarter's sections and findings. A question
    about one quarter then reads only that quarter; only a name that is not found (whose
    message says where it does occur) reads the others.
    """

    def __init__(
        self,
        sections: Iterable[Section] = (),
        findings: Iterable[Finding] = (),
        *,
        periods: Iterable[str] | None = None,
        load: Callable[[str], tuple] | None = None,
        national: Iterable[NationalTable] = (),
    ):
        self.sections_by_period: dict[str, list[Section]] = defaultdict(list)
        # Quarters read from a sample publication: every answer about them says so.
        self.sample_periods: set[str] = set()
        self._regions: dict[str, dict[str, Section]] = defaultdict(dict)
        self._municipalities: dict[str, dict[str, tuple[Section, Row]]] = defaultdict(dict)
        # name key -> (name as printed, periods it appears in): for 'not in this period' messages
        self._known: dict[str, tuple[str, set[str]]] = {}
        self._findings: dict[str, list[Finding]] = defaultdict(list)
        self._region_periods: dict[str, set[str]] = defaultdict(set)
        self._national: dict[str, NationalTable] = {}
        self._add(sections, findings, national)
        self._load = load
        if load is None:
            self.periods: list[str] = sorted(self.sections_by_period)
        else:
            self.periods = sorted(set(periods or ()))
        self._loaded: set[str] = set(self.sections_by_period)
        self._period_set = set(self.periods)
        self.latest: str | None = self.periods[-1] if self.periods else None

    def _add(
        self, sections: Iterable[Section], findings: Iterable[Finding], national: Iterable[NationalTable] = ()
    ) -> None:
        for table in national:
            self._national.setdefault(table.period, table)  # printed twice is a finding; the first answers
        for section in sections:
            period = section.period
            self.sections_by_period[period].append(section)
            if section.sample:
                self.sample_periods.add(period)
            # A region printed twice in one quarter is a finding; the first one answers.
            region_key = normalise(section.name)
            self._regions[period].setdefault(region_key, section)
            self._region_periods[region_key].add(period)
            for row in section.rows:
                key = normalise(row.municipality)
                self._municipalities[period].setdefault(key, (section, row))
                self._municipalities[period].setdefault(_compact(key), (section, row))
                shown, periods = self._known.setdefault(key, (" ".join(row.municipality.split()), set()))
                periods.add(period)
        for finding in findings:
            self._findings[finding.period].append(finding)

    def _ensure(self, period: str) -> None:
        """Index `period`, when it is stored but not read yet."""
        if self._load is not None and period not in self._loaded and period in self._period_set:
            # load(period): (sections, findings) or (sections, findings, national tables)
            self._loaded.add(period)
            try:
                self._add(*self._load(period))
            except BaseException:
                self._loaded.discard(period)
                raise

    def _ensure_all(self) -> None:
        for period in self.periods:
            self._ensure(period)

    def sections_in(self, period: str) -> list[Section]:
        self._ensure(period)
        return self.sections_by_period.get(period, [])

    # ---- resolving what the user typed -----------------------------------------------------

    def period(self, text: object = None) -> str:
        """The quarter meant by `text`; empty means the latest imported."""
        if not self.periods:
            raise LookupFailure("geen gegevens: importeer eerst een publicatie")
        if text is None or (isinstance(text, str) and not text.strip()):
            return self.latest  # type: ignore[return-value]
        key = parse_period(_text(text))
        if key is None:
            raise LookupFailure(
                f"onbekende periode '{_text(text)}' — schrijf bv. 2021-Q1, 2021 Q1 of Eerste kwartaal 2021"
            )
        if key not in self._period_set:
            raise LookupFailure(
                f"periode {key} is niet geïmporteerd; wel: {', '.join(self.periods)}"
            )
        return key

    def area(self, text: object, period: object = None) -> Area:
        """A municipality, a region or the whole country, by any known spelling."""
        key_period = self.period(period)
        self._ensure(key_period)
        if text is None or not _text(text).strip():
            raise LookupFailure("geef een gemeente of regio op")
        typed = _text(text)
        key = normalise(typed)
        if key in NATIONAL_KEYS:
            return Area("land", NATIONAL, key_period)
        # A municipality wins over a region of the same name (Groningen, Amersfoort, Zwolle):
        # write 'Regio Groningen' for the region.
        found = self._municipality(key, key_period)
        if found:
            section, row = found
            return Area("gemeente", row.municipality.strip(), key_period, section, row)
        region_key = self._region_key(typed)
        if region_key is None:
            reorganised = self._reorganised(typed, key_period)
            if reorganised is not None:
                return reorganised
        if region_key is not None:
            region = self._regions[key_period].get(region_key)
            if region is not None:
                return Area("regio", region.name, key_period, region)
            self._ensure_all()
            elsewhere = sorted(self._region_periods.get(region_key, ()))
            raise LookupFailure(
                f"regio {canonical_region(typed) or typed.strip()} staat niet in {key_period}"
                + (f" (wel in {', '.join(elsewhere)})" if elsewhere else "")
            )
        self._ensure_all()  # where else the name occurs, or what it resembles
        known = self._known.get(key) or self._known.get(normalise(MUNICIPALITY_ALIASES.get(key, "")))
        if known:
            shown, periods = known
            raise LookupFailure(
                f"gemeente {shown} staat niet in {key_period} (wel in {', '.join(sorted(periods))})"
            )
        raise LookupFailure(self._unknown_message(typed))

    def _municipality(self, key: str, period: str) -> tuple[Section, Row] | None:
        table = self._municipalities[period]
        found = table.get(key) or table.get(_compact(key))
        if found is None and key in MUNICIPALITY_ALIASES:
            found = table.get(normalise(MUNICIPALITY_ALIASES[key]))
        return found

    # ---- reorganisations (gemeentelijke herindelingen) ----------------------------------------

    def _reorganised(self, typed: str, period: str) -> Area | None:
        """A name not printed in `period` that the reorganisation table explains: a municipality
        that had ended by then (an error naming its successor), or one formed later (the sum of
        its predecessors of that quarter). None when the table does not explain it."""
        reorganisations = reorganisation_table()
        if not reorganisations.known(typed):
            return None
        ending = reorganisations.ending(typed)
        if ending is not None and ending.effective <= quarter_bounds(period)[1]:
            message = ending.message()
            now = reorganisations.current_name(typed)
            if now not in ending.successors and not ending.split:
                message += f" (nu {now})"
            raise LookupFailure(message)
        return self._on_indeling(typed, period, changed_only=True)

    def _on_indeling(self, typed: str, period: str, *, changed_only: bool = False) -> Area | None:
        """The municipality `typed`, as it is after every reorganisation in the table, in
        `period`: its own row, or the sum of the municipalities it was made of then.

        A reorganisation within the quarter (Weesp, 24 March 2022) may or may not show in that
        quarter's figures: the indeling of the quarter's first day is tried, then of its last.
        With `changed_only`, None when the municipality was the same then as now.
        """
        reorganisations = reorganisation_table()
        compositions, split = [], None
        for day in quarter_bounds(period):
            try:
                composition = reorganisations.composition(typed, day)
            except SplitError as error:
                split = split or error
                continue
            if composition not in compositions:
                compositions.append(composition)
        shown = reorganisations.spelled(typed)
        if not compositions:
            raise LookupFailure(f"{shown} is in {period} niet op te tellen uit de gemeenten van toen: {split}")
        if changed_only and not any(c.changed for c in compositions):
            return None
        missing_first: tuple[Composition, list[str]] | None = None
        for composition in compositions:
            found = [self._municipality(normalise(part), period) for part in composition.parts]
            missing = [p for p, f in zip(composition.parts, found) if f is None]
            if missing:
                missing_first = missing_first or (composition, missing)
                continue
            rows = [f for f in found if f is not None]
            parts = tuple(Area("gemeente", row.municipality.strip(), period, section, row) for section, row in rows)
            if composition.since is None:
                return parts[0]
            values = [sum(row.values[i] for _, row in rows) for i in range(4)]
            summed = Row(composition.name, (values[0], values[1], values[2], values[3]), sum(row.total for _, row in rows))
            regions = {section.name for section, _ in rows}
            home = rows[0][0] if len(regions) == 1 else None
            return Area(
                "gemeente", composition.name, period, home, summed,
                parts=parts, indeling=indeling_label(composition.since),
            )
        assert missing_first is not None
        composition, missing = missing_first
        if composition.since is None:
            raise LookupFailure(f"gemeente {shown} staat niet in {period}")
        verb = "ontbreekt" if len(missing) == 1 else "ontbreken"
        raise LookupFailure(
            f"{composition.name} (op {indeling_label(composition.since)}: {dutch_list(composition.parts)}) "
            f"is in {period} niet op te tellen: {dutch_list(missing)} {verb}"
        )

    def series(self, text: object) -> list[SeriesPoint]:
        """A municipality in every stored quarter, on the latest indeling: a quarter before a
        reorganisation gives the sum of the municipalities it was made of then; a quarter where
        that sum cannot be made (a predecessor missing, a split) has no figure and says why."""
        if text is None or not _text(text).strip():
            raise LookupFailure("geef een gemeente op")
        typed = _text(text)
        reorganisations = reorganisation_table()
        ending = reorganisations.ending(typed) if reorganisations.known(typed) else None
        if ending is not None:
            raise LookupFailure(f"{ending.message()}: vraag naar {reorganisations.current_name(typed)}")
        points = []
        for period in self.periods:
            self._ensure(period)
            try:
                area = self._on_indeling(typed, period)
            except LookupFailure as failure:
                points.append(SeriesPoint(period, None, None, (), str(failure), period in self.sample_periods))
                continue
            assert area is not None and area.row is not None
            if area.parts:
                parts = tuple(p.name for p in area.parts)
                note = f"op {area.indeling}: {' + '.join(parts)}"
            else:
                parts, note = (area.name,), "zoals gedrukt"
            region = area.section.name if area.section is not None else None
            points.append(SeriesPoint(period, area.row.values, area.row.total, parts, note, self.is_sample(area), region))
        if points and all(p.total is None for p in points):
            area = self.area(typed, self.latest)  # the usual message for an unknown name
            if area.kind != "gemeente":
                raise LookupFailure(f"{area.name} is geen gemeente: een reeks op de laatste indeling is er per gemeente")
            raise LookupFailure(points[-1].note)
        return points

    def _home_section(self, area: Area) -> Section:
        """The region section of a municipality; a sum over municipalities of several regions
        has none."""
        if area.section is not None:
            return area.section
        regions = dutch_list(sorted({p.section.name for p in area.parts}))  # type: ignore[union-attr]
        raise LookupFailure(
            f"{area.name} (op {area.indeling}) lag in {area.period} in meer dan één arbeidsmarktregio: {regions}"
        )

    def _region_key(self, typed: str) -> str | None:
        canonical = canonical_region(typed)
        if canonical is None:
            key = normalise(typed)
            for prefix in ("amr ", "arbeidsmarktregio ", "regio "):
                if key.startswith(prefix):
                    canonical = canonical_region(key[len(prefix) :])
                    break
        if canonical is not None:
            return normalise(canonical)
        # A region the publication printed but that is not one of the 35 (kept as printed).
        key = normalise(typed)
        self._ensure_all()
        return key if key in self._region_periods else None

    def _unknown_message(self, typed: str) -> str:
        homonyms = self._homonyms(typed)
        if homonyms:
            options = " of ".join(
                f"{name} ({province})" if province else name for name, province in homonyms
            )
            unclear = "is niet eenduidig" if len(homonyms) > 1 else "staat er zo niet in"
            return f"gemeente '{typed.strip()}' {unclear} — bedoelt u {options}?"
        municipalities = [shown for shown, _ in self._known.values()]
        regions = list(REGIONS)
        match = closest(typed, municipalities + regions + [NATIONAL])
        shown = typed.strip()
        if match is None:
            return f"onbekende gemeente of regio '{shown}'"
        kind = "regio" if match in regions and match not in municipalities else "gemeente"
        return f"onbekende {kind} '{shown}' — bedoelt u {match}?"

    def _homonyms(self, typed: str) -> list[tuple[str, str | None]]:
        """Municipalities printed as `typed` plus a province mark ('Bergen NH', 'Bergen (L.)')."""
        key = normalise(typed)
        found = []
        for shown, _ in self._known.values():
            name_key = normalise(shown)
            if name_key.startswith(key + " "):
                mark = name_key[len(key) + 1 :]
                if mark in PROVINCE_MARKS:
                    found.append((shown, PROVINCE_MARKS[mark]))
        return sorted(found)

    def column(self, labels: tuple[str, ...], column: object) -> int:
        """Index 0-3 of a category, or TOTAL_INDEX; by label, by number 1-4 or 'Totaal'."""
        if isinstance(column, bool) or column is None:
            raise LookupFailure("geef een kolom op: 1-4, Totaal of een kolomnaam")
        if isinstance(column, Real):
            number = float(column)
            if number.is_integer() and 1 <= number <= CATEGORY_COUNT:
                return int(number) - 1
            raise LookupFailure(f"kolom {_text(column)} bestaat niet — kies 1-4 of Totaal")
        typed = _text(column).strip()
        if typed.isdigit():
            return self.column(labels, int(typed))
        key = normalise(typed)
        if key == normalise(TOTAL_LABEL):
            return TOTAL_INDEX
        for options in (labels, DEFAULT_COLUMNS):
            for index, label in enumerate(options):
                if normalise(label) == key:
                    return index
        match = closest(typed, list(labels) + [TOTAL_LABEL])
        hint = f"bedoelt u {match}?" if match else f"kies 1-4, Totaal of: {', '.join(labels)}"
        raise LookupFailure(f"onbekende kolom '{typed}' — {hint}")

    # ---- answers -------------------------------------------------------------------------------

    def national_table(self, period: str) -> NationalTable | None:
        self._ensure(period)
        return self._national.get(period)

    def present_regions(self, period: str) -> list[str]:
        """The official regions that have a section in `period`."""
        return [r for r in REGIONS if normalise(r) in self._regions_in(period)]

    def _regions_in(self, period: str) -> dict[str, Section]:
        self._ensure(period)
        return self._regions.get(period, {})

    def _national_line(self, period: str) -> NationalRow | None:
        """What 'Nederland' is for a period: the national table's Nederland line when the
        publication printed one; None when it is the sum of all 35 regions; otherwise a
        LookupFailure that says how many regions were read."""
        table = self.national_table(period)
        if table is not None and table.total is not None:
            return table.total
        present = self.present_regions(period)
        if len(present) < len(REGIONS):
            raise LookupFailure(f"{period}: {len(present)} van {len(REGIONS)} regio's ingelezen")
        return None

    def value(self, area: Area, index: int) -> int:
        """A category count (index 0-3) or the total (TOTAL_INDEX): the municipality's row, the region's
        TOTAAL AMR row, or Nederland (the national table's line, or all 35 regions together)."""
        if area.row is not None:
            return _cell(area.row, index)
        if area.kind == "land":
            line = self._national_line(area.period)
            if line is not None:
                return line.total if index == TOTAL_INDEX else line.values[index]
        return sum(_cell(self._region_total(s), index) for s in self._sections_of(area))

    def register(self, area: Area) -> int:
        if area.kind == "land":
            line = self._national_line(area.period)
            if line is not None:
                table = self._national[area.period]
                register = line.register if line.register is not None else table.register
                if not register:
                    raise LookupFailure(f"de landelijke tabel van {area.period} heeft geen doelgroepregister")
                return register
        total = 0
        for section in self._sections_of(area):
            if not section.register:
                raise LookupFailure(
                    f"regio {section.name} heeft in {section.period} geen doelgroepregister"
                )
            total += section.register
        return total

    def coverage(self, area: Area) -> float:
        """Known in Sonar / doelgroepregister, for the region (a municipality gets its region's)."""
        if area.kind == "gemeente":
            section = self._home_section(area)
            area = Area("regio", section.name, area.period, section)
        return self.value(area, TOTAL_INDEX) / self.register(area)

    def region_name(self, area: Area) -> str:
        if area.kind == "gemeente":
            return self._home_section(area).name
        return area.section.name if area.section is not None else NATIONAL

    def findings(self, area: Area) -> list[Finding]:
        self._ensure(area.period)
        found = self._findings.get(area.period, [])
        if area.kind == "land":
            return list(found)
        if area.parts:  # a sum: the findings of each municipality added up
            return [f for part in area.parts for f in self.findings(part)]
        region = area.section.name  # type: ignore[union-attr]
        found = [f for f in found if f.region == region]
        if area.kind == "gemeente":
            key = normalise(area.name)
            found = [f for f in found if f.municipality and normalise(f.municipality) == key]
        return found

    def is_sample(self, area: Area) -> bool:
        if area.parts:
            return any(self.is_sample(part) for part in area.parts)
        if area.section is not None:
            return area.section.sample
        return area.period in self.sample_periods

    def check(self, area: Area) -> str:
        """'OK', or the findings' messages (for the whole country each with its region);
        figures from a sample say so first, so a sample never passes as 'OK'."""
        mark = f"{SAMPLE_MARK}; " if self.is_sample(area) else ""
        messages = []
        for finding in self.findings(area):
            message = finding.message
            if area.kind == "land" and finding.region and finding.region not in message:
                message = f"{finding.region}: {message}"
            messages.append(message)
        return mark + ("; ".join(messages) if messages else "OK")

    def labels(self, area: Area) -> tuple[str, ...]:
        """The category labels printed for the area's quarter (its region's, for a region)."""
        if area.section is not None:
            return area.section.labels
        if area.parts:
            return area.parts[0].section.labels  # type: ignore[union-attr]
        table = self.national_table(area.period)
        if table is not None and table.columns:
            return table.columns
        return category_labels(self.sections_in(area.period))

    def table(self, area: Area) -> list[list]:
        """Headers, then one row per municipality and the TOTAAL AMR row (the country: per
        region, from the national table when the publication printed one)."""
        if area.kind == "gemeente":
            self._home_section(area)
        if area.section is not None:
            section = area.section
            rows = [[r.municipality.strip(), *r.values, r.total] for r in section.rows]
            if section.region_total is not None:
                t = section.region_total
                rows.append([REGION_TOTAL_LABEL, *t.values, t.total])
            return [["Gemeente", *section.labels, TOTAL_LABEL], *rows]
        line = self._national_line(area.period)
        header = ["Regio", *self.labels(area), TOTAL_LABEL]
        if line is not None:
            table = self._national[area.period]
            rows = [[r.region or r.region_as_printed, *r.values, r.total] for r in table.rows]
            return [header, *rows, [NATIONAL, *line.values, line.total]]
        regions = self.region_rows(area.period)
        regions.append([NATIONAL, *(sum(r[i] for r in regions) for i in range(1, 6))])
        return [header, *regions]

    def region_rows(self, period: str) -> list[list]:
        """[region, four counts, total] of each region's TOTAAL AMR in `period`."""
        rows = []
        for s in self._sections_of(Area("land", NATIONAL, period)):
            t = self._region_total(s)
            rows.append([s.name, *t.values, t.total])
        return rows

    # ---- helpers -------------------------------------------------------------------------------

    def _sections_of(self, area: Area) -> list[Section]:
        if area.kind == "gemeente":
            return [self._home_section(area)]
        if area.section is not None:
            return [area.section]
        seen, sections = set(), []
        for s in self.sections_in(area.period):
            if s.name not in seen:  # a region printed twice counts once
                seen.add(s.name)
                sections.append(s)
        return sections

    @staticmethod
    def _region_total(section: Section) -> Row:
        if section.region_total is None:
            raise LookupFailure(f"regio {section.name} heeft in {section.period} geen regel TOTAAL AMR")
        return section.region_total


def _cell(row: Row, index: int) -> int:
    return row.total if index == TOTAL_INDEX else row.values[index]


def _text(value: object) -> str:
    """Excel hands numbers over as floats: 2021.0 reads as '2021'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe(index: QueryIndex, area: Area) -> str:
    """The area's figures as text, for `xlkp show`."""
    from .counts import format_count as n
    from .counts import format_percent

    lines = []
    if index.is_sample(area):
        lines.append(f"{SAMPLE_MARK}: {area.period} komt uit een voorbeeldpublicatie")
    if area.kind == "gemeente":
        if area.section is not None:
            where = f"gemeente in regio {area.section.name}"
        else:
            where = f"gemeente in de regio's {dutch_list(sorted({p.section.name for p in area.parts}))}"  # type: ignore[union-attr]
        lines.append(f"{area.name} ({where}), {area.period}")
        if area.parts:
            lines.append(
                f"  op {area.indeling}: de som van {dutch_list([p.name for p in area.parts])}, zoals gedrukt in {area.period}"
            )
        for label, value in zip(index.labels(area), area.row.values):  # type: ignore[union-attr]
            lines.append(f"  {label:<28} {n(value):>9}")
        lines.append(f"  {TOTAL_LABEL:<28} {n(area.row.total):>9}")  # type: ignore[union-attr]
    else:
        title = area.name if area.kind == "land" else f"{area.name} (arbeidsmarktregio)"
        if area.kind == "land" and index.national_table(area.period) is not None:
            title += " (landelijke tabel van de publicatie)"
        lines.append(f"{title}, {area.period}")
        partial = None
        try:
            table = index.table(area)
        except LookupFailure as failure:  # a partial quarter: its regions, never as Nederland
            partial = f"Geen cijfer voor Nederland: {failure}."
            table = [["Regio", *index.labels(area), TOTAL_LABEL], *index.region_rows(area.period)]
        width = max(len(str(row[0])) for row in table)
        for row in table:
            cells = [f" {c:>16}" if isinstance(c, str) else f" {n(c):>16}" for c in row[1:]]
            lines.append(f"  {str(row[0]):<{width}} " + "".join(cells))
    if area.kind == "land" and partial:
        lines.append(partial)
        lines.append(f"Controle: {index.check(area)}")
        return "\n".join(lines) + "\n"
    try:
        lines.append(f"Doelgroepregister: {n(index.register(area))}")
        coverage = index.coverage(area)
        note = " (cijfer van de regio)" if area.kind == "gemeente" else ""
        lines.append(f"Bekend in Sonar: {format_percent(coverage)}{note}")
    except LookupFailure as failure:
        lines.append(str(failure))
    lines.append(f"Controle: {index.check(area)}")
    return "\n".join(lines) + "\n"
