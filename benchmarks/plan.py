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
import statistics
import tempfile
import time
from pathlib import Path

from timing import history_workbook, xlkp

from xlkp.model import Publication
from xlkp.parse import read_publication
from xlkp.plan import BookContents, plan_import
from xlkp.report import openpyxl_writer


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
        history, _ = history_workbook(tmp, args.quarters)
        pdf = tmp / "nieuw.pdf"
        xlkp("sample", str(pdf), "--period", "2026-Q1")
        publication = read_publication(pdf)
        # As `xlkp import` reads the workbook it imports into.
        loaded = openpyxl_writer.load_for_update(history)
        existing = BookContents(*loaded.contents, findings=loaded.previous.findings if loaded.previous else None)
        rows = sum(len(s.rows) for s in existing.sections)
        print(f"{args.quarters}-quarter workbook: {len(existing.sections)} regions' tables, {rows} municipality rows")

        plan_new = best_planned(args.repeat, BookContents(), publication)
        plan_long = best_planned(args.repeat, existing, publication)
        out = tmp / "nieuw.xlsx"
        imports = []
        for _ in range(args.runs):
            out.unlink(missing_ok=True)
            imports.append(xlkp("import", str(pdf), "-o", str(out), "--no-store", "-q").cpu)
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
