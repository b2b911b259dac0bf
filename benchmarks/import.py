"""How long `xlkp import` takes, as ratios against baselines timed in the same run.

    python benchmarks/import.py [--repeat 5] [--quarters 40] [--runs 5]

1. In one process (best of --repeat): the whole import of the 35-region sample quarter into a
   new workbook, without the history store, against the extract step alone (read + check).
2. As whole processes (`xlkp import ... --no-store -q`, median of --runs, taken in turns): one
   quarter into a workbook that already holds --quarters quarters (made with `xlkp sample`,
   ten periods per PDF, and `xlkp import`), and re-importing the latest of those quarters,
   each against importing the same quarter into a new workbook. Targets: both <= 1.5x. Also
   the peak memory (max RSS) of the import into the long history: target <= 200 MiB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import best_of, whole_publication

from xlkp.checks import check_sections
from xlkp.importer import import_files
from xlkp.parse import read_publication

# Runs the command line as `xlkp` does and reports the process's peak memory on stderr.
_XLKP = (
    "import resource, sys\n"
    "from xlkp.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def xlkp(*args: str) -> tuple[float, int]:
    """Seconds and peak memory (KiB) of one `xlkp` process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _XLKP, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"xlkp {' '.join(args)} failed:\n{done.stderr}")
    rss = int(done.stderr.rsplit("maxrss", 1)[1].split()[0])
    return seconds, rss


def quarters(count: int) -> list[str]:
    """`count` consecutive quarters ending with 2025-Q4."""
    first = 2025 * 4 + 3 - (count - 1)
    return [f"{q // 4}-Q{q % 4 + 1}" for q in range(first, first + count)]


def in_process(tmp: Path, repeat: int) -> None:
    pdf = whole_publication(tmp / "publicatie.pdf")
    out = tmp / "Klantprofielen.xlsx"

    def extract() -> None:
        publication = read_publication(pdf)
        check_sections(publication.sections)
        assert len(publication.sections) == 35

    def full_import() -> None:
        out.unlink(missing_ok=True)
        result = import_files([pdf], out, use_store=False)
        assert result.regions == 35

    extract_time = best_of(repeat, extract)
    import_time = best_of(repeat, full_import)
    rows = sum(len(s.rows) for s in read_publication(pdf).sections)
    print(f"publication: 35 regions, {rows} municipalities, {out.stat().st_size // 1024} KiB workbook")
    print(f"extract (read + check):        {extract_time * 1000:8.1f} ms")
    print(f"import into a new workbook:    {import_time * 1000:8.1f} ms")
    print(f"ratio import / extract:        {import_time / extract_time:8.1f}x")


def long_history(tmp: Path, count: int, runs: int) -> None:
    periods = quarters(count)
    pdfs = []
    for start in range(0, count, 10):
        pdf = tmp / f"kwartalen-{start // 10 + 1}.pdf"
        xlkp("sample", str(pdf), *[a for p in periods[start:start + 10] for a in ("--period", p)])
        pdfs.append(str(pdf))
    history = tmp / f"Klantprofielen-{count}.xlsx"
    made, _ = xlkp("import", *pdfs, "-o", str(history), "--no-store", "-q")
    new_quarter, latest = tmp / "nieuw.pdf", tmp / "laatste.pdf"
    xlkp("sample", str(new_quarter), "--period", "2026-Q1")
    xlkp("sample", str(latest), "--period", periods[-1])
    print(f"\n{count}-quarter workbook: {history.stat().st_size // 1024} KiB (made in {made:.1f} s)")

    target = tmp / "werkmap.xlsx"
    times: dict[str, list[float]] = {"new": [], "history": [], "again": []}
    peak = 0
    for _ in range(runs):
        target.unlink(missing_ok=True)
        times["new"].append(xlkp("import", str(new_quarter), "-o", str(target), "--no-store", "-q")[0])
        shutil.copyfile(history, target)
        seconds, rss = xlkp("import", str(new_quarter), "-o", str(target), "--no-store", "-q")
        times["history"].append(seconds)
        peak = max(peak, rss)
        shutil.copyfile(history, target)
        times["again"].append(xlkp("import", str(latest), "-o", str(target), "--no-store", "-q")[0])
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"whole processes, median of {runs}:")
    print(f"  one quarter into a new workbook:            {median['new'] * 1000:8.0f} ms")
    for name, label in (("history", f"one quarter into {count} quarters:"),
                        ("again", f"re-import of a quarter of {count}:")):
        ratio = median[name] / median["new"]
        verdict = "meets" if ratio <= 1.5 else "MISSES"
        print(f"  {label:<42} {median[name] * 1000:8.0f} ms = {ratio:.2f}x ({verdict} <= 1.5x)")
    mib = peak / 1024
    print(f"  peak memory, import into {count} quarters:    {mib:8.0f} MiB ({'meets' if mib <= 200 else 'MISSES'} <= 200 MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlkp-bench-") as tmp:
        in_process(Path(tmp), args.repeat)
        long_history(Path(tmp), args.quarters, args.runs)


if __name__ == "__main__":
    main()
