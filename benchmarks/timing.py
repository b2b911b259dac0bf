"""What the benchmark scripts share: best-of timing and the publication they all read."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from xlkp.samples import RenderOptions, render_pdf, sample_sections


def best_of(repeat: int, job: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in seconds: the least disturbed by the rest of the machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def whole_publication(path: Path) -> Path:
    """The 35-region sample quarter, two regions running on to a second page (37 pages)."""
    render_pdf(sample_sections("2021-Q1"), path, RenderOptions(rows_per_page=17))
    return path
