"""Quarter keys: '2021-Q1', and the ways people and the PDF write them."""

from __future__ import annotations

import re

QUARTER_WORDS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4}
QUARTER_NAMES = {n: w.capitalize() for w, n in QUARTER_WORDS.items()}

_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})\s*[-/ ]?\s*[qk](?P<q>[1-4])$", re.I),  # 2021-Q1, 2021 Q1, 2021K1
    re.compile(r"^[qk](?P<q>[1-4])\s*[-/ ]?\s*(?P<year>\d{4})$", re.I),  # Q1 2021
    re.compile(r"^(?P<word>eerste|tweede|derde|vierde)\s+kwartaal\s+(?P<year>\d{4})$", re.I),
)


def period_key(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def parse_period(text: str) -> str | None:
    """'2021-Q1', '2021 Q1', 'Q1 2021' or 'Eerste kwartaal 2021' -> '2021-Q1'; None if not a quarter."""
    cleaned = " ".join(str(text).split())
    for pattern in _PATTERNS:
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
