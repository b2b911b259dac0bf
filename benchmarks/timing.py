"""What the benchmark scripts share: best-of timing, the publication they all read, and
`xlkp` run as its own process, up to a workbook holding years of quarters."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
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


# Runs the command line as the `xlkp` console script does (cli.run) and reports the process's
# peak memory on stderr.
_XLKP = (
    "import gc, resource, sys\n"
    "from xlkp.cli import main\n"
    "gc.disable()\n"
    "code = main(sys.argv[1:])\n"
    "gc.freeze()\n"
    "print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)
# As installed, where pip has compiled every module: the processes share one bytecode cache
# (under PYTHONDONTWRITEBYTECODE, set in some shells, each would compile xlkp's sources anew).
XLKP_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
XLKP_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "xlkp-bench-bytecode")


@dataclass(frozen=True)
class Process:
    """One `xlkp` process: wall clock and CPU time (user + system) in seconds, peak memory in KiB."""

    seconds: float
    cpu: float
    peak_kib: int


def xlkp(*args: str) -> Process:
    """Run `xlkp ARGS` as its own process; stop the benchmark if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _XLKP, *args], capture_output=True, text=True, env=XLKP_ENV)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"xlkp {' '.join(args)} failed:\n{done.stderr}")
    peak = int(done.stderr.rsplit("maxrss", 1)[1].split()[0])
    return Process(seconds, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, peak)


def quarters(count: int) -> list[str]:
    """`count` consecutive quarters ending with 2025-Q4."""
    first = 2025 * 4 + 3 - (count - 1)
    return [f"{q // 4}-Q{q % 4 + 1}" for q in range(first, first + count)]


def history_workbook(folder: Path, count: int) -> tuple[Path, Process]:
    """A workbook holding `count` quarters (2025-Q4 the last), made as a user would: sample
    publications of ten quarters each, imported with `xlkp import`; and the import's process."""
    periods = quarters(count)
    pdfs = []
    for start in range(0, count, 10):
        pdf = folder / f"kwartalen-{start // 10 + 1}.pdf"
        xlkp("sample", str(pdf), *[a for p in periods[start:start + 10] for a in ("--period", p)])
        pdfs.append(str(pdf))
    history = folder / f"Klantprofielen-{count}.xlsx"
    return history, xlkp("import", *pdfs, "-o", str(history), "--no-store", "-q")
