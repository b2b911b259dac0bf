"""The one table parser: printed lines (from a PDF or from extracted text) -> Sections."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from ..counts import COUNT, parse_count
from ..model import (
    CATEGORY_COUNT,
    NATIONAL,
    REGION_TOTAL_LABEL,
    NationalRow,
    NationalTable,
    Row,
    Section,
)
from ..periods import QUARTER_WORDS, period_key
from ..regions import canonical_region, clean_name, normalise, without_control_characters
from .lines import Line, Word

TITLE = "Transparantie van klantprofielen"
SUBTITLE = re.compile(
    r"^(?P<quarter>Eerste|Tweede|Derde|Vierde)\s+kwartaal\s+(?P<year>\d{4})\s+(?P<region>\S.*?)\s*$",
    re.I,
)
FOOTNOTE = re.compile(
    r"arbeidsmarktregio\s+(?P<region>.+?)\s+bevat\s+het\s+doelgroepregister\s+banenafspraak\s+in\s+"
    r"totaal\s+(?P<register>\d{1,3}(?:\.\d{3})*|\d+)\s+personen\.\s*Hiervan\s+is\s+"
    r"(?P<percent>\d+)\s*%\s+bekend\s+binnen\s+Sonar",
    re.I,
)
FOOTNOTE_START = re.compile(r"^In Sonar zijn niet alle doelgroepers", re.I)
_REGION_TOTAL_KEY = normalise(REGION_TOTAL_LABEL)
_FIELDS = CATEGORY_COUNT + 1  # four counts and the total
# A footnote longer than this many lines is not a footnote: stop collecting.
_FOOTNOTE_MAX_LINES = 6
# Reading gives up after this much text in a row that is no table (intro pages and the
# repeated prose are far shorter), so a large foreign file is refused quickly.
UNRECOGNISED_LINES = 2_000
UNRECOGNISED_CHARACTERS = 200_000


class NotThisPublication(ValueError):
    """Too much unrecognised text in a row, or no known region at all."""

    def __init__(self, reason: str, page: int | None = None):
        super().__init__(reason)
        self.reason, self.page = reason, page


class _Budget:
    """Counts text since the last line that belongs to a table; too much ends the reading."""

    def __init__(self) -> None:
        self.lines = self.characters = 0

    def recognised(self) -> None:
        self.lines = self.characters = 0

    def spend(self, line: Line) -> None:
        self.lines += 1
        self.characters += len(line.text) + 1  # each word and the space after it
        if self.lines > UNRECOGNISED_LINES or self.characters > UNRECOGNISED_CHARACTERS:
            raise NotThisPublication(
                f"geen tabellen van '{TITLE}' gevonden (te veel onherkenbare tekst, pagina {line.page})",
                line.page,
            )


def _cleaned(text: str, noted: list[str]) -> str:
    """The name without control characters; the printed one is noted when any were removed."""
    without = without_control_characters(text)
    if without != text:
        noted.append(text.strip())
    return clean_name(without)


def _split_row(line: Line, noted: list[str]) -> tuple[str, list[int]] | None:
    """(name, [4 counts + total]) when the line ends in five numbers after a name."""
    words = line.words
    if len(words) <= _FIELDS:
        return None
    tail = words[-_FIELDS:]
    if not all(COUNT.match(w.text) for w in tail):
        return None
    printed = " ".join([w.text for w in words[:-_FIELDS]])
    without = without_control_characters(printed)
    name = clean_name(without)
    if not name or COUNT.match(name.split()[-1]):
        return None
    numbers = [parse_count(w.text) for w in tail]
    if without != printed:  # as _cleaned: the printed name noted when it held control characters
        noted.append(printed.strip())
    return name, numbers


class _SectionBuilder:
    """Collects one region's lines, across pages, until its footnote."""

    def __init__(self, period: str, region_printed: str, page: int):
        self.section = Section(
            period=period,
            region=canonical_region(region_printed),
            region_as_printed=region_printed,
            pages=[page],
        )
        self.header_lines: list[Line] = []
        self.row_words: list[tuple[Word, ...]] = []  # the rows printed on the first row's page
        self.footnote: list[str] = []
        self.done = False

    @property
    def in_footnote(self) -> bool:
        return bool(self.footnote)

    def add_page(self, page: int) -> None:
        if page not in self.section.pages:
            self.section.pages.append(page)

    def feed(self, line: Line) -> bool:
        """Take one line of the table; True when it was a row or part of the footnote."""
        self.add_page(line.page)
        if self.in_footnote:
            self._feed_footnote(line.text)
            return True
        parsed = _split_row(line, self.section.cleaned_names)
        if parsed is not None:
            name, numbers = parsed
            row = Row(name, tuple(numbers[:CATEGORY_COUNT]), numbers[CATEGORY_COUNT], line.page)
            if normalise(name) == _REGION_TOTAL_KEY:
                self.section.region_total = row
            elif self.section.region_total is None:
                _keep_row_words(self.row_words, line.words, line.page, self.section.rows)
                self.section.rows.append(row)
            return True
        if FOOTNOTE_START.match(line.text.strip()) or (
            self.section.region_total is not None and "doelgroepregister" in line.text
        ):
            self._feed_footnote(line.text)
            return True
        if not self.section.rows and self.section.region_total is None:
            self.header_lines.append(line)
        # Anything else inside a table is page furniture or the repeated prose: not data.
        return False

    def _feed_footnote(self, text: str) -> None:
        self.footnote.append(text.strip())
        joined = " ".join(" ".join(self.footnote).split())
        match = FOOTNOTE.search(joined)
        if match:
            self.section.register = parse_count(match["register"])
            self.section.coverage_percent_printed = parse_count(match["percent"])
            self.section.footnote_region = _cleaned(match["region"], self.section.cleaned_names)
            self.done = True
        elif len(self.footnote) >= _FOOTNOTE_MAX_LINES:
            self.done = True

    def finish(self) -> Section:
        self.section.columns = _header_labels(self.header_lines, self.row_words)
        return self.section


NATIONAL_FOOTNOTE = re.compile(
    r"landelijk\s+bevat\s+het\s+doelgroepregister\s+banenafspraak\s+in\s+"
    r"totaal\s+(?P<register>\d{1,3}(?:\.\d{3})*|\d+)\s+personen\.\s*Hiervan\s+is\s+"
    r"(?P<percent>\d+)\s*%\s+bekend\s+binnen\s+Sonar",
    re.I,
)
_PERCENT = re.compile(r"^(\d+)%$")
_NATIONAL_ROW_NAMES = {"nederland", "totaal nederland", "totaal", "landelijk", "totaal landelijk"}


def _split_national_row(line: Line) -> tuple[str, list[int], int | None, tuple[Word, ...]] | None:
    """(name, [4 counts, total, register?], percent?, words up to the total) of a national row."""
    words = list(line.words)
    percent = None
    if len(words) >= 2 and words[-1].text == "%" and words[-2].text.isdigit():
        percent, words = int(words[-2].text), words[:-2]
    elif words and _PERCENT.match(words[-1].text):
        percent, words = int(words[-1].text[:-1]), words[:-1]
    counts = 0
    while counts < len(words) and counts < _FIELDS + 2 and COUNT.match(words[-1 - counts].text):
        counts += 1
    if percent is None and counts == _FIELDS + 2:
        percent = parse_count(words[-1].text)  # the percentage printed without its sign
        words = words[:-1]
        counts -= 1
    if counts < _FIELDS or counts > _FIELDS + 1 or len(words) <= counts:
        return None
    name = clean_name(" ".join(w.text for w in words[:-counts]))
    if not name or COUNT.match(name.split()[-1]):
        return None
    numbers = [parse_count(w.text) for w in words[-counts:]]
    return name, numbers, percent, tuple(words[: len(words) - counts + _FIELDS])


class _NationalBuilder:
    """Collects the national table's lines, across pages, until its footnote."""

    def __init__(self, period: str, page: int):
        self.table = NationalTable(period=period, pages=[page])
        self.header_lines: list[Line] = []
        self.row_words: list[tuple[Word, ...]] = []  # the rows printed on the first row's page
        self.footnote: list[str] = []
        self.done = False

    def add_page(self, page: int) -> None:
        if page not in self.table.pages:
            self.table.pages.append(page)

    def feed(self, line: Line) -> bool:
        """Take one line of the table; True when it was a row or part of the footnote."""
        self.add_page(line.page)
        if self.footnote:
            self._feed_footnote(line.text)
            return True
        parsed = _split_national_row(line)
        if parsed is not None:
            name, numbers, percent, words = parsed
            register = numbers[_FIELDS] if len(numbers) > _FIELDS else None
            key = normalise(name)
            national = key in _NATIONAL_ROW_NAMES
            row = NationalRow(
                None if national else canonical_region(name),
                NATIONAL if national else name,
                tuple(numbers[:CATEGORY_COUNT]),
                numbers[CATEGORY_COUNT],
                register,
                percent,
                line.page,
            )
            if national:
                self.table.total = row
            elif self.table.total is None:
                _keep_row_words(self.row_words, words, line.page, self.table.rows)
                self.table.rows.append(row)
            return True
        text = line.text.strip()
        if FOOTNOTE_START.match(text) or "doelgroepregister banenafspraak in" in " ".join(text.split()).lower():
            self._feed_footnote(text)
            return True
        if not self.table.rows and self.table.total is None:
            self.header_lines.append(line)
        return False

    def _feed_footnote(self, text: str) -> None:
        self.footnote.append(text.strip())
        match = NATIONAL_FOOTNOTE.search(" ".join(" ".join(self.footnote).split()))
        if match:
            self.table.register = parse_count(match["register"])
            self.table.coverage_percent_printed = int(match["percent"])
            self.done = True
        elif len(self.footnote) >= _FOOTNOTE_MAX_LINES:
            self.done = True

    def finish(self) -> NationalTable:
        self.table.columns = _header_labels(self.header_lines, self.row_words)
        return self.table


def _keep_row_words(kept: list[tuple[Word, ...]], words: tuple[Word, ...], page: int, rows: list) -> None:
    """Keep a row's words for reading the header when it is printed on the first row's page."""
    if not rows or rows[0].page == page:
        kept.append(tuple(words))


def _header_labels(lines: list[Line], rows: list[tuple[Word, ...]]) -> tuple[str, ...] | None:
    """The four category labels from the header lines above the first row, if it had any."""
    lines = [ln for ln in lines if ln.text.strip() and ln.text.strip() != TITLE]
    if not lines or not rows:
        return None
    if rows[0][0].center is None:
        return _header_labels_from_text(lines)
    # Each number column owns a band of the page (see _column_bands); a header word belongs to
    # the band its centre is in, whatever the header's alignment in its cell. Words outside every
    # band (such as 'Gemeente') are no category label. Labels on two lines, or rotated ones, join
    # top to bottom.
    bands = _column_bands([row[-_FIELDS:] for row in rows])
    cells: list[list[str]] = [[] for _ in range(_FIELDS)]
    upright = [tuple(w for w in line.words if w.upright) for line in lines]
    # Rotated words read bottom to top: the lowest comes first.
    rotated = sorted(
        (w for line in lines for w in line.words if not w.upright), key=lambda w: -(w.top or 0.0)
    )
    for words in [*upright, *((w,) for w in rotated)]:
        for word in words:
            if word.center is None:
                continue
            column = bisect.bisect_right(bands, word.center) - 1
            if 0 <= column < _FIELDS:
                cells[column].append(word.text)
    labels = tuple(clean_name(without_control_characters(" ".join(c))) for c in cells[:CATEGORY_COUNT])
    return labels if all(labels) else None


def _column_bands(rows: list[tuple[Word, ...]]) -> list[float]:
    """The edges of the bands the five number columns own, left to right (six edges).

    Numbers in a column are aligned on one side: right (the custom, and what our generator
    prints), left, or centred; the edges of all rows show which. Between right-aligned columns
    the cell border lies just after the left column's right edge, between left-aligned ones just
    before the right column's left edge, between centred ones halfway. A header set in the same
    cell, left, right or centred, has its words inside that band, unlike with a nearest-centre
    rule, where a left-aligned label wider than its numbers falls to the next column."""
    lefts = [[w.x0 or 0.0 for w in column] for column in zip(*rows)]
    rights = [[w.x1 or 0.0 for w in column] for column in zip(*rows)]
    left_spread = sum(max(c) - min(c) for c in lefts)
    right_spread = sum(max(c) - min(c) for c in rights)
    starts, ends = [min(c) for c in lefts], [max(c) for c in rights]
    if left_spread <= _ALIGNED and right_spread > _ALIGNED:
        aligned = "left"
    elif right_spread <= _ALIGNED or right_spread < left_spread / 2:
        aligned = "right"  # also when the rows cannot tell (one row, equal widths)
    else:
        aligned = "left" if left_spread < right_spread / 2 else "centre"
    if aligned == "right":
        inner = ends[:-1]
        pitch = inner[1] - inner[0] if len(inner) > 1 else ends[-1] - ends[0]
        return [ends[0] - pitch, *inner, ends[-1] + _ALIGNED]
    if aligned == "left":
        inner = starts[1:]
        gap = min(b - a for a, b in zip(ends, starts[1:]))
        return [starts[0] - gap / 2, *inner, starts[-1] + (starts[-1] - starts[-2])]
    inner = [(a + b) / 2 for a, b in zip(ends, starts[1:])]
    return [starts[0] - (inner[0] - ends[0]), *inner, ends[-1] + (starts[-1] - inner[-1])]


_ALIGNED = 0.75  # points: edges within this of each other are one alignment line


def _header_labels_from_text(lines: list[Line]) -> tuple[str, ...] | None:
    """Without positions, a header is readable only when its cells are set apart by wide gaps."""
    for line in lines:
        cells = [c.strip() for c in re.split(r"\s{2,}|\t", line.raw or "") if c.strip()]
        if len(cells) >= _FIELDS:
            labels = tuple(clean_name(without_control_characters(c)) for c in cells[-_FIELDS:][:CATEGORY_COUNT])
            return labels if all(labels) else None
    return None


_CONTINUED = re.compile(
    r"\s*(?:[-–—:,]\s*)?[(\[]?\s*(?:vervolg(?:d|t)?|continued|vervolg\s+van\s+vorige\s+pagina)\s*[)\]]?\s*$",
    re.I,
)
# A table-of-contents entry: the subtitle followed by dot leaders and/or a page number.
_TOC_TAIL = re.compile(r"(?:\s*[.…·_]{2,}\s*|\s+)(?:\d{1,3})$|\s*[.…·_]{3,}\s*$")
_NATIONAL_NAMES = {"nederland", "landelijk", "landelijk overzicht", "heel nederland", "totaal nederland"}
_NATIONAL_HEADING = re.compile(
    r"^(?:landelijk(?:e)?\s+overzicht|overzicht\s+per\s+arbeidsmarktregio|landelijke\s+tabel)\b", re.I
)
_QUARTER_ANYWHERE = re.compile(r"\b(?P<quarter>Eerste|Tweede|Derde|Vierde)\s+kwartaal\s+(?P<year>\d{4})\b", re.I)


def _strip_continued(region: str) -> tuple[str, bool]:
    stripped = _CONTINUED.sub("", region)
    return (stripped, True) if stripped and stripped != region else (region, False)


def parse_sections(lines: Iterable[Line]) -> list[Section]:
    return parse_publication(lines)[0]


def parse_publication(lines: Iterable[Line]) -> tuple[list[Section], list[NationalTable]]:
    """Turn printed lines into region sections and national tables.

    A table may run on over following pages, with or without its subtitle repeated (also with
    a suffix such as '(vervolg)'). Lines outside a table (title, prose, running headers and
    footers, a table of contents) are not data.

    Raises NotThisPublication when a long stretch of text holds no table, or when no section
    names a known region (a foreign file is not read as regions it does not have)."""
    sections: list[Section] = []
    national: list[NationalTable] = []
    undated: list[tuple[NationalTable, int]] = []  # national tables whose heading named no quarter
    current: _SectionBuilder | _NationalBuilder | None = None
    last_period: str | None = None
    budget = _Budget()

    def close() -> None:
        nonlocal current
        if isinstance(current, _SectionBuilder):
            sections.append(current.finish())
        elif isinstance(current, _NationalBuilder):
            table = current.finish()
            if table.rows or table.total is not None:  # a heading alone (an index entry) is no table
                national.append(table)
                if not table.period:
                    undated.append((table, len(sections)))
        current = None

    for line in lines:
        text = line.text.strip()
        subtitle = SUBTITLE.match(text)
        heading = None if subtitle else _NATIONAL_HEADING.match(text)
        if subtitle is None and heading is None:
            if current is None or current.done:
                budget.spend(line)
                quarter = _QUARTER_ANYWHERE.search(text)
                if quarter:  # a title page or running header naming the quarter
                    last_period = period_key(int(quarter["year"]), QUARTER_WORDS[quarter["quarter"].lower()])
                continue  # title, prose, or anything outside a table
            if current.feed(line):
                budget.recognised()
            else:
                budget.spend(line)
            continue
        noted: list[str] = []
        period: str | None
        if subtitle is not None:
            region_text = _cleaned(subtitle["region"], noted)
            if _TOC_TAIL.search(region_text) and _is_toc(region_text):
                budget.spend(line)
                continue
            period = period_key(int(subtitle["year"]), QUARTER_WORDS[subtitle["quarter"].lower()])
            last_period = period
            region_printed, continued = _strip_continued(region_text)
            is_national = normalise(region_printed) in _NATIONAL_NAMES or bool(
                _NATIONAL_HEADING.match(region_printed)
            )
        else:
            quarter = _QUARTER_ANYWHERE.search(text)
            period = (
                period_key(int(quarter["year"]), QUARTER_WORDS[quarter["quarter"].lower()]) if quarter else None
            )
            if _TOC_TAIL.search(text) and _is_toc(text):
                budget.spend(line)
                continue
            region_printed, continued = _strip_continued(text)
            is_national = True
        if is_national or canonical_region(region_printed) is not None:
            budget.recognised()
        else:
            budget.spend(line)
        open_builder = current if current is not None and not current.done else None
        if is_national:
            if isinstance(open_builder, _NationalBuilder) and (period is None or period == open_builder.table.period or not open_builder.table.period):
                open_builder.add_page(line.page)  # the national table, continued on a new page
                if period and not open_builder.table.period:
                    open_builder.table.period = period
                continue
            close()
            current = _NationalBuilder(period or "", line.page)
            continue
        if isinstance(open_builder, _SectionBuilder) and open_builder.section.period == period and _same_region(
            open_builder.section.region_as_printed, region_printed
        ):
            open_builder.add_page(line.page)  # the same table, continued on a new page
            continue
        stray = None
        if continued:
            open_name = open_builder.section.name if isinstance(open_builder, _SectionBuilder) else None
            stray = (text, open_name)
        close()
        assert period is not None  # only a subtitle starts a region's table, and it names the quarter
        current = _SectionBuilder(period, region_printed, line.page)
        current.section.stray_continuation = stray
        current.section.cleaned_names.extend(noted)
    close()
    if sections and not any(s.region for s in sections) and not national:
        raise NotThisPublication(
            "geen bekende arbeidsmarktregio gevonden (geen publicatie 'Transparantie van klantprofielen')"
        )
    sections = _drop_index_entries(sections)
    for table, position in undated:
        table.period = _nearby_period(sections, position) or last_period or ""
    national = [t for t in national if t.period]
    _share_labels(sections, national)
    return sections, national


def _is_toc(text: str) -> bool:
    """'Friesland ........ 4', 'Friesland 4' or 'Landelijk overzicht .... 2' names a table
    followed by a page number: an index entry."""
    name = _TOC_TAIL.sub("", text).strip(" .")
    return bool(name) and (
        canonical_region(name) is not None
        or normalise(name) in _NATIONAL_NAMES
        or bool(_NATIONAL_HEADING.match(name))
    )


def _same_region(printed: str, other: str) -> bool:
    a, b = canonical_region(printed), canonical_region(other)
    return a == b if a is not None or b is not None else normalise(printed) == normalise(other)


def _drop_index_entries(sections: list[Section]) -> list[Section]:
    """A subtitle with nothing under it (an index or introduction line) is not a table when the
    same region's real table follows in the same quarter."""
    kept = []
    for index, section in enumerate(sections):
        empty = not section.rows and section.region_total is None and section.register is None
        if empty and any(
            later.period == section.period and _same_region(later.region_as_printed, section.region_as_printed)
            for later in sections[index + 1 :]
        ):
            continue
        kept.append(section)
    return kept


def _nearby_period(sections: list[Section], position: int) -> str | None:
    periods = {s.period for s in sections}
    if len(periods) == 1:
        return periods.pop()
    if position < len(sections):
        return sections[position].period
    return sections[position - 1].period if position > 0 else None


def _share_labels(sections: list[Section], national: list[NationalTable]) -> None:
    """A table printed without a header row takes the labels printed elsewhere in the same
    quarter of this publication (see checks.period_labels)."""
    from ..checks import period_labels

    labels = period_labels(sections)
    for table in national:
        if table.columns and table.period not in labels:
            labels[table.period] = table.columns
    for section in sections:
        if section.columns is None and section.period in labels:
            section.columns = labels[section.period]
    for table in national:
        if table.columns is None and table.period in labels:
            table.columns = labels[table.period]
