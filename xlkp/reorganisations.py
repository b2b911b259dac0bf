"""Gemeentelijke herindelingen: which municipalities merged or split into which, and when.

The table is package data (`reorganisations.csv`, sources in `reorganisations.md`), read once on
first use; nothing here touches the network (`scripts/refresh_reorganisations.py` does, for the
maintainer). Names are matched the way users type them (`regions.normalise`).

The questions answered:
- `composition(name, on)`: what a municipality, as it is after every reorganisation in the table,
  was made of on a given day — the municipalities of that day whose figures add up to it;
- `ending(name)`: when and into what a municipality that no longer exists went.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

from .regions import REGIONS, normalise

COLUMNS = (
    "effective_date", "predecessor", "successor", "part", "region_before", "region_after",
    "verified", "regions_verified", "note",
)
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


class TableError(ValueError):
    """The reorganisation table itself is wrong (a maintainer's mistake, caught by the tests)."""


class SplitError(ValueError):
    """A municipality's area cannot be built exactly from whole municipalities of an earlier day."""

    def __init__(self, message: str, transfer: Transfer):
        super().__init__(message)
        self.transfer = transfer


@dataclass(frozen=True)
class Transfer:
    """One row of the table: (part of) `predecessor` became (part of) `successor` on `effective`."""

    effective: date
    predecessor: str
    successor: str
    whole: bool
    region_before: str
    region_after: str
    verified: str
    regions_verified: str
    note: str

    @property
    def continues(self) -> bool:
        """The successor is the predecessor itself (it took over others and kept its name)."""
        return normalise(self.predecessor) == normalise(self.successor)


@dataclass(frozen=True)
class Ending:
    """How a municipality ended: on `effective`, into `successors` (several when it was split)."""

    name: str
    effective: date
    successors: tuple[str, ...]
    split: bool

    def message(self) -> str:
        """'Heerhugowaard is per 1 januari 2022 opgegaan in Dijk en Waard'."""
        when = dutch_date(self.effective)
        if self.split:
            return f"{self.name} is per {when} opgeheven en verdeeld over {dutch_list(self.successors)}"
        return f"{self.name} is per {when} opgegaan in {self.successors[0]}"


@dataclass(frozen=True)
class Composition:
    """What a municipality (on the latest indeling) was made of on one day.

    `parts` are names of that day; `since` is the date of the latest reorganisation that made the
    difference (None when the municipality was the same then as now: `parts == (name,)`)."""

    name: str
    on: date
    parts: tuple[str, ...]
    since: date | None

    @property
    def changed(self) -> bool:
        return self.since is not None


def dutch_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dutch_list(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"


class Reorganisations:
    """The table, indexed by normalised name."""

    def __init__(self, transfers: list[Transfer]):
        self.transfers = sorted(transfers, key=lambda t: (t.effective, t.successor, t.predecessor))
        self._as_successor: dict[str, list[Transfer]] = {}
        self._as_predecessor: dict[str, list[Transfer]] = {}
        for t in self.transfers:
            self._as_successor.setdefault(normalise(t.successor), []).append(t)
            self._as_predecessor.setdefault(normalise(t.predecessor), []).append(t)
        self._check()

    # ---- reading -------------------------------------------------------------------------------

    @classmethod
    def from_text(cls, text: str) -> Reorganisations:
        lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        reader = csv.DictReader(io.StringIO("\n".join(lines)))
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise TableError(f"columns {reader.fieldnames} are not {list(COLUMNS)}")
        transfers = []
        for number, row in enumerate(reader, start=2):
            if None in row or any(row[c] is None for c in COLUMNS):
                raise TableError(f"row {number}: {len(COLUMNS)} cells expected")
            try:
                effective = date.fromisoformat(row["effective_date"])
            except ValueError:
                raise TableError(f"row {number}: not a date: {row['effective_date']!r}") from None
            if row["part"] not in ("whole", "part"):
                raise TableError(f"row {number}: part is 'whole' or 'part', not {row['part']!r}")
            for column in ("predecessor", "successor"):
                if not row[column].strip() or row[column] != row[column].strip():
                    raise TableError(f"row {number}: {column} {row[column]!r} is empty or padded")
            for column in ("region_before", "region_after"):
                if row[column] not in REGIONS:
                    raise TableError(f"row {number}: {column} {row[column]!r} is not one of the 35 regions")
            for column in ("verified", "regions_verified"):
                if row[column] not in ("ja", "deels", "nee"):
                    raise TableError(f"row {number}: {column} is ja, deels or nee, not {row[column]!r}")
            transfers.append(
                Transfer(
                    effective, row["predecessor"], row["successor"], row["part"] == "whole",
                    row["region_before"], row["region_after"], row["verified"],
                    row["regions_verified"], row["note"],
                )
            )
        return cls(transfers)

    def _check(self) -> None:
        """Rules every table must keep; the table is refused otherwise."""
        seen = set()
        for t in self.transfers:
            key = (t.effective, normalise(t.predecessor), normalise(t.successor))
            if key in seen:
                raise TableError(f"{t.predecessor} -> {t.successor} on {t.effective} is listed twice")
            seen.add(key)
        by_day: dict[tuple[date, str], list[Transfer]] = {}
        for t in self.transfers:
            by_day.setdefault((t.effective, normalise(t.predecessor)), []).append(t)
        for (day, _), group in by_day.items():
            wholes = [t for t in group if t.whole]
            if wholes and len(group) > 1:
                raise TableError(f"{group[0].predecessor} went wholly and partly elsewhere on {day}")
            if not wholes and len(group) < 2:
                raise TableError(f"{group[0].predecessor} was split on {day} but has one successor")
        for t in self.transfers:
            if t.continues and not t.whole:
                raise TableError(f"{t.successor} on {t.effective}: a continuing municipality is whole")
        # No municipality goes on after it ended, and no cycle: an ended name never comes back.
        for name, transfers in self._as_predecessor.items():
            ends = [t.effective for t in transfers if not t.continues]
            if ends:
                end = min(ends)
                later = [t for t in self._as_successor.get(name, ()) if t.effective > end]
                later += [t for t in transfers if t.effective > end]
                if later:
                    raise TableError(f"{transfers[0].predecessor} ended on {end} but appears again on {later[0].effective}")

    # ---- questions -----------------------------------------------------------------------------

    def known(self, name: str) -> bool:
        key = normalise(name)
        return key in self._as_successor or key in self._as_predecessor

    def spelled(self, name: str) -> str:
        """The table's spelling of `name` (as typed when the table does not know it)."""
        key = normalise(name)
        for t in self._as_successor.get(key, ()):
            return t.successor
        for t in self._as_predecessor.get(key, ()):
            return t.predecessor
        return name.strip()

    def ending(self, name: str) -> Ending | None:
        """When and into what `name` went, if it no longer exists as a municipality."""
        transfers = [t for t in self._as_predecessor.get(normalise(name), ()) if not t.continues]
        if not transfers:
            return None
        effective = min(t.effective for t in transfers)
        group = [t for t in transfers if t.effective == effective]
        return Ending(
            group[0].predecessor, effective, tuple(t.successor for t in group), not group[0].whole
        )

    def current_name(self, name: str) -> str:
        """The municipality `name` is part of today (itself if it still exists; the first
        successor of a split)."""
        seen = set()
        while (end := self.ending(name)) is not None and normalise(name) not in seen:
            seen.add(normalise(name))
            name = end.successors[0]
        return self.spelled(name)

    @property
    def latest(self) -> date:
        """The day of the latest indeling in the table."""
        return max(t.effective for t in self.transfers)

    def latest_names(self, name: str) -> tuple[str, ...]:
        """The municipalities `name` is (part of) on the latest indeling: one, or several when
        it or what it went into was split (its figures then belong to none of them whole)."""
        end = self.ending(name)
        if end is None:
            return (self.spelled(name),)
        names: list[str] = []
        for successor in end.successors:
            names.extend(n for n in self.latest_names(successor) if n not in names)
        return tuple(names)

    def composition(self, name: str, on: date) -> Composition:
        """What `name`, as it is after every reorganisation in the table, was made of on `on`.

        A reorganisation effective on `on` itself has happened. Raises `SplitError` when a split
        municipality is involved: its part cannot be counted from the figures of that day.
        """
        parts, since = self._parts(self.spelled(name), on, date.max)
        return Composition(self.spelled(name), on, tuple(parts), since)

    def _parts(self, name: str, on: date, before: date) -> tuple[list[str], date | None]:
        events = [t for t in self._as_successor.get(normalise(name), ()) if on < t.effective < before]
        if not events:
            return [name], None
        latest = max(t.effective for t in events)
        parts: list[str] = []
        for t in (t for t in events if t.effective == latest):
            if not t.whole:
                end = self.ending(t.predecessor)
                raise SplitError(
                    end.message() if end else f"{t.predecessor} is per {dutch_date(latest)} gesplitst", t
                )
            found, _ = self._parts(t.predecessor, on, latest)
            parts.extend(p for p in found if p not in parts)
        return parts, latest


def indeling_label(day: date) -> str:
    """'de indeling van 2022' for 1 January 2022; 'de indeling van 24 maart 2022' otherwise."""
    if (day.month, day.day) == (1, 1):
        return f"de indeling van {day.year}"
    return f"de indeling van {dutch_date(day)}"


def quarter_bounds(period: str) -> tuple[date, date]:
    """First and last day of a quarter key '2021-Q1'."""
    year, quarter = period.split("-Q")
    first = date(int(year), 3 * int(quarter) - 2, 1)
    following = date(int(year) + (int(quarter) == 4), 1 if int(quarter) == 4 else 3 * int(quarter) + 1, 1)
    return first, following - timedelta(days=1)


@cache
def table() -> Reorganisations:
    """The shipped table, read once."""
    text = resources.files(__package__).joinpath("reorganisations.csv").read_text(encoding="utf-8")
    return Reorganisations.from_text(text)
