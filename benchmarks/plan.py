"""How long planning an import takes (`xlkp.plan.plan_import`: the checks and the layout of
every sheet), as ratios against baselines timed in the same run.

    python benchmarks/plan.py [--repeat 7] [--quarters 40] [--runs 5]

The sample quarter 2026-Q1 (35 regions) is planned into a workbook that already holds
--quarters quarters (made with `xlkp sample`, ten periods per PDF, and `xlkp import`, and read
as `xlkp import` reads it) and into a new workbook, in one process, best of --repeat, with the
cycle collector paused as the importer pauses it. The baseline is the issue's: a whole
`xlkp import` process of that quarter into a new workbook (median of --runs). Times are CPU
time (user + system): steadier than the wall clock when other work shares the machine.

Target: what the long history adds to the plan (the long plan minus the one-quarter plan)
<= 0.25x that import, half of the 0.5x that issue 12's target (an import into 40 quarters
<= 1.5x one into a new workbook) leaves for all the history adds; reading and writing the long
sheets need the other half. Also shown: the long plan per quarter it lays out against the
one-quarter plan (below 1.0x: nothing grows faster than the history).
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xlkp.model import Publication
from xlkp.parse import read_publication
from xlkp.plan import BookContents, plan_import
from xlkp.report import openpyxl_writer


def quarters(count: int) -> list[str]:
    """`count` consecutive quarters ending with 2025-Q4."""
    first = 2025 * 4 + 3 - (count - 1)
    return [f"{q // 4}-Q{q % 4 + 1}" for q in range(first, first + count)]


# As installed, where pip has compiled every module: the processes share one bytecode cache.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "xlkp-bench-bytecode")


def xlkp(*args: str) -> float:
    """The CPU time (user + system, seconds) of one `xlkp` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "xlkp.cli", *args], capture_output=True, text=True, env=_ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"xlkp {' '.join(args)} failed:\n{done.stderr}")
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def long_history(tmp: Path, count: int) -> Path:
    periods = quarters(count)
    pdfs = []
    for start in range(0, count, 10):
        pdf = tmp / f"kwartalen-{start // 10 + 1}.pdf"
        xlkp("sample", str(pdf), *[a for p in periods[start:start + 10] for a in ("--period", p)])
        pdfs.append(str(pdf))
    history = tmp / f"Klantprofielen-{count}.xlsx"
    xlkp("import", *pdfs, "-o", str(history), "--no-store", "-q")
    return history


def best_planned(repeat: int, existing: BookContents, publication: Publication) -> float:
    """The fastest of `repeat` plans, each of fresh copies (a plan fills in the labels it lacks)."""
    times = []
    for _ in range(repeat):
        book, new = copy.deepcopy(existing), copy.deepcopy(publication)
        gc.disable()
        start = time.process_time()
        plan = plan_import(book, [new])
        times.append(time.process_time() - start)
        gc.enable()
        assert plan.layout is not None and plan.added == ["2026-Q1"]
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlkp-bench-") as name:
        tmp = Path(name)
        history = long_history(tmp, args.quarters)
        pdf = tmp / "nieuw.pdf"
        xlkp("sample", str(pdf), "--period", "2026-Q1")
        publication = read_publication(pdf)
        # As `xlkp import` reads the workbook it imports into.
        _, contents = openpyxl_writer.load_for_update(history)
        existing = BookContents(*contents)
        rows = sum(len(s.rows) for s in existing.sections)
        print(f"{args.quarters}-quarter workbook: {len(existing.sections)} regions' tables, {rows} municipality rows")

        plan_new = best_planned(args.repeat, BookContents(), publication)
        plan_long = best_planned(args.repeat, existing, publication)
        out = tmp / "nieuw.xlsx"
        imports = []
        for _ in range(args.runs):
            out.unlink(missing_ok=True)
            imports.append(xlkp("import", str(pdf), "-o", str(out), "--no-store", "-q"))
        import_new = statistics.median(imports)

    laid_out = args.quarters + 1
    added = (plan_long - plan_new) / import_new
    print(f"plan into a new workbook:             {plan_new * 1000:8.1f} ms")
    print(f"plan into {args.quarters} quarters:               {plan_long * 1000:8.1f} ms "
          f"({plan_long / laid_out / plan_new:.2f}x the one-quarter plan per quarter laid out)")
    print(f"`xlkp import` into a new workbook:    {import_new * 1000:8.1f} ms (CPU, median of {args.runs} processes)")
    print(f"  what the history adds to the plan:  {added:8.2f}x that import ({'meets' if added <= 0.25 else 'MISSES'} <= 0.25x)")


if __name__ == "__main__":
    main()
