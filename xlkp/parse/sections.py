"""The one table parser: printed lines (from a PDF or from extracted text) -> Sections."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import CATEGORY_COUNT, REGION_TOTAL_LABEL, Row, Section
from ..numbers import COUNT, parse_count
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
        self.characters += sum(len(w.text) + 1 for w in line.words)
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
    printed = " ".join(w.text for w in words[:-_FIELDS])
    name = clean_name(without_control_characters(printed))
    if not name or COUNT.match(name.split()[-1]):
        return None
    numbers = [parse_count(w.text) for w in tail]
    _cleaned(printed, noted)
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
        self.first_row_words: tuple[Word, ...] | None = None
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
                if self.first_row_words is None:
                    self.first_row_words = line.words
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
        self.section.columns = _header_labels(self.header_lines, self.first_row_words)
        return self.section


def _header_labels(lines: list[Line], first_row: tuple[Word, ...] | None) -> tuple[str, ...] | None:
    """The four category labels from the header lines above the first row, if it had any."""
    lines = [ln for ln in lines if ln.text.strip() and ln.text.strip() != TITLE]
    if not lines or first_row is None:
        return None
    if first_row[0].center is None:
        return _header_labels_from_text(lines)
    # A label is a phrase: words closer together than a wide gap. Each phrase goes to the number
    # column whose centre is nearest; one too far from every column (such as 'Gemeente') is not a
    # category label. Labels on two lines, or rotated ones, join top to bottom.
    centers = [w.center for w in first_row[-_FIELDS:]]
    reach = min(b - a for a, b in zip(centers, centers[1:])) / 2
    cells: list[list[str]] = [[] for _ in centers]
    upright = [tuple(w for w in line.words if w.upright) for line in lines]
    # Rotated words read bottom to top: the lowest comes first.
    rotated = sorted(
        (w for line in lines for w in line.words if not w.upright), key=lambda w: -(w.top or 0.0)
    )
    for words in [*upright, *((w,) for w in rotated)]:
        for text, center in _phrases(words):
            distance, column = min((abs(c - center), i) for i, c in enumerate(centers))
            if distance <= reach:
                cells[column].append(text)
    labels = tuple(clean_name(without_control_characters(" ".join(c))) for c in cells[:CATEGORY_COUNT])
    return labels if all(labels) else None


_PHRASE_GAP = 4.5  # points; wider than a space in body text, narrower than a column gap


def _phrases(words: tuple[Word, ...]) -> list[tuple[str, float]]:
    phrases: list[list[Word]] = []
    for word in words:
        if word.x0 is None or word.x1 is None:
            continue
        if phrases and word.upright and word.x0 - phrases[-1][-1].x1 <= _PHRASE_GAP:
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return [(" ".join(w.text for w in p), (p[0].x0 + p[-1].x1) / 2) for p in phrases]


def _header_labels_from_text(lines: list[Line]) -> tuple[str, ...] | None:
    """Without positions, a header is readable only when its cells are set apart by wide gaps."""
    for line in lines:
        cells = [c.strip() for c in re.split(r"\s{2,}|\t", line.raw or "") if c.strip()]
        if len(cells) >= _FIELDS:
            labels = tuple(clean_name(without_control_characters(c)) for c in cells[-_FIELDS:][:CATEGORY_COUNT])
            return labels if all(labels) else None
    return None


def parse_sections(lines: Iterable[Line]) -> list[Section]:
    """Turn printed lines into sections; a table may run on over following pages.

    Raises NotThisPublication when a long stretch of text holds no table, or when no section
    names a known region (a foreign file is not read as regions it does not have)."""
    sections: list[Section] = []
    current: _SectionBuilder | None = None
    budget = _Budget()
    for line in lines:
        text = line.text.strip()
        subtitle = SUBTITLE.match(text)
        if subtitle:
            period = period_key(int(subtitle["year"]), QUARTER_WORDS[subtitle["quarter"].lower()])
            noted: list[str] = []
            region_printed = _cleaned(subtitle["region"], noted)
            if canonical_region(region_printed) is not None:
                budget.recognised()
            else:
                budget.spend(line)
            if current is not None and not current.done and (
                current.section.period == period
                and current.section.region_as_printed == region_printed
            ):
                current.add_page(line.page)  # the same table, continued on a new page
                continue
            if current is not None:
                sections.append(current.finish())
            current = _SectionBuilder(period, region_printed, line.page)
            current.section.cleaned_names.extend(noted)
            continue
        if current is None or current.done:
            budget.spend(line)
            continue  # title, prose, or anything outside a table
        if current.feed(line):
            budget.recognised()
        else:
            budget.spend(line)
    if current is not None:
        sections.append(current.finish())
    if sections and not any(s.region for s in sections):
        raise NotThisPublication(
            "geen bekende arbeidsmarktregio gevonden (geen publicatie 'Transparantie van klantprofielen')"
        )
    return sections
