"""Quarter keys: '2021-Q1', and the ways people and the PDF write them."""

from __future__ import annotations

import functools
import re

QUARTER_WORDS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4}
QUARTER_NAMES = {n: w.capitalize() for w, n in QUARTER_WORDS.items()}

_PATTERNS = (
    r"^(?P<year>\d{4})\s*[-/ ]?\s*[qk](?P<q>[1-4])$",  # 2021-Q1, 2021 Q1, 2021K1
    r"^[qk](?P<q>[1-4])\s*[-/ ]?\s*(?P<year>\d{4})$",  # Q1 2021
    r"^(?P<word>eerste|tweede|derde|vierde)\s+kwartaal\s+(?P<year>\d{4})$",
)


@functools.cache
def _compiled() -> tuple[re.Pattern[str], ...]:
    """Compiled on first use: reading a publication needs none of them."""
    return tuple(re.compile(pattern, re.I) for pattern in _PATTERNS)


def period_key(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def parse_period(text: str) -> str | None:
    """'2021-Q1', '2021 Q1', 'Q1 2021' or 'Eerste kwartaal 2021' -> '2021-Q1'; None if not a quarter."""
    cleaned = " ".join(str(text).split())
    for pattern in _compiled():
        m = pattern.match(cleaned)
        if m:
            groups = m.groupdict()
            quarter = QUARTER_WORDS[groups["word"].lower()] if groups.get("word") else int(groups["q"])
            return period_key(int(groups["year"]), quarter)
    return None


def period_label(key: str) -> str:
    """'2021-Q1' -> 'Eerste kwartaal 2021', as the publication prints it."""
    year, quarter = key.split("-Q")
    return f"{QUARTER_NAMES[int(quarter)]} kwartaal {year}"
