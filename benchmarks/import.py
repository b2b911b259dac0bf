"""How long `xlkp import` takes, as ratios against baselines timed in the same run.

    python benchmarks/import.py [--repeat 5] [--quarters 40] [--runs 5]

1. In one process (best of --repeat): the whole import of the 35-region sample quarter into a
   new workbook, without the history store, against the extract step alone (read + check).
2. As whole processes (`xlkp import ... --no-store -q`, median of --runs, taken in turns): one
   quarter into a workbook that already holds --quarters quarters (made with `xlkp sample`,
   ten periods per PDF, and `xlkp import`), and re-importing the latest of those quarters,
   each against importing the same quarter into a new workbook. Targets: both <= 1.5x. Wall
   clock and CPU time (user + system; steadier when other work shares the machine) are both
   shown, as the ratio of the medians and as the median of each turn's own ratio. Also the
   peak memory (max RSS) of the import into the long history: <= 200 MiB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from timing import best_of, history_workbook, quarters, whole_publication, xlkp

from xlkp.checks import check_sections
from xlkp.importer import import_files
from xlkp.parse import read_publication


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
    history, made = history_workbook(tmp, count)
    new_quarter, latest = tmp / "nieuw.pdf", tmp / "laatste.pdf"
    xlkp("sample", str(new_quarter), "--period", "2026-Q1")
    xlkp("sample", str(latest), "--period", quarters(count)[-1])
    print(f"\n{count}-quarter workbook: {history.stat().st_size // 1024} KiB (made in {made.seconds:.1f} s)")

    target = tmp / "werkmap.xlsx"
    wall: dict[str, list[float]] = {"new": [], "history": [], "again": []}
    cpu: dict[str, list[float]] = {name: [] for name in wall}
    peak = 0
    for _ in range(runs):  # in turns, so that other work on the machine weighs on each alike
        for name, pdf in (("new", new_quarter), ("history", new_quarter), ("again", latest)):
            if name == "new":
                target.unlink(missing_ok=True)
            else:
                shutil.copyfile(history, target)
            process = xlkp("import", str(pdf), "-o", str(target), "--no-store", "-q")
            wall[name].append(process.seconds)
            cpu[name].append(process.cpu)
            if name == "history":
                peak = max(peak, process.peak_kib)
    print(f"whole processes, median of {runs} (wall clock; CPU time, user + system, in brackets):")
    for name, label in (("new", "one quarter into a new workbook:"), ("history", f"one quarter into {count} quarters:"),
                        ("again", f"re-import of a quarter of {count}:")):
        seconds, used = statistics.median(wall[name]), statistics.median(cpu[name])
        line = f"  {label:<42} {seconds * 1000:8.0f} ms ({used * 1000:.0f} ms)"
        if name != "new":
            ratio = seconds / statistics.median(wall["new"])
            cpu_ratio = used / statistics.median(cpu["new"])
            verdict = "meets" if ratio <= 1.5 else "MISSES"
            line += f" = {ratio:.2f}x ({cpu_ratio:.2f}x) ({verdict} <= 1.5x)"
            # Each turn's own ratio: a machine whose speed drifts over minutes weighs on both alike.
            paired = statistics.median(w / n for w, n in zip(wall[name], wall["new"], strict=True))
            paired_cpu = statistics.median(c / n for c, n in zip(cpu[name], cpu["new"], strict=True))
            turns = [round(w / n, 2) for w, n in zip(wall[name], wall["new"], strict=True)]
            line += f"\n  {'':<42} per turn: median {paired:.2f}x ({paired_cpu:.2f}x), from {min(turns):.2f}x to {max(turns):.2f}x"
        print(line)
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
