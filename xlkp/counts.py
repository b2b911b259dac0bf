"""Counts as the publication prints them: Dutch thousands separator, no decimals."""

from __future__ import annotations

import re

COUNT = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+|\d+)$")
# Excel keeps 15 digits exactly, SQLite's integers stop at 19: a longer "count" is damage.
MAX_COUNT_DIGITS = 15


class CountTooLong(ValueError):
    """A token of digits too long to be a count: the file is not what it claims to be."""

    def __init__(self, digits: int):
        super().__init__(f"{digits} digits")
        self.digits = digits


def parse_count(token: str) -> int:
    """'1.490' -> 1490; raises CountTooLong beyond MAX_COUNT_DIGITS digits."""
    digits = token.replace(".", "")
    if len(digits) > MAX_COUNT_DIGITS:
        raise CountTooLong(len(digits))
    return int(digits)


def format_count(value: int | None) -> str:
    """1490 -> '1.490'; None -> '-'."""
    return "-" if value is None else f"{value:,}".replace(",", ".")


def format_percent(fraction: float | None, decimals: int = 1) -> str:
    """0.7257 -> '72,6%'."""
    return "-" if fraction is None else f"{fraction * 100:.{decimals}f}%".replace(".", ",")


def counted(n: int, one: str, many: str) -> str:
    """'1 bevinding', '3 bevindingen': Dutch plurals are not a suffix to bolt on."""
    return f"{format_count(n)} {one if n == 1 else many}"
