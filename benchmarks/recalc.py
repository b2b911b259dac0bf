"""How a full recalculation of the workbook grows with its history, in LibreOffice headless.

    python benchmarks/recalc.py [--quarters 8 40] [--repeat 5]

Writes the workbook xlkp makes for 8 and for 40 sample quarters (35 regions each, the Regio-
overzicht on the latest), opens each in LibreOffice headless (the stand-in for Excel here) and
times a full recalculation (`calculateAll`, every formula of every sheet), median of --repeat,
all in one run. Linear growth is 40/8 = 5x; target: <= 5x, and <= 3 s at 40 quarters.
Needs `soffice` and the system Python with `uno` (Debian: libreoffice-calc, python3-uno).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from libreoffice import run_uno_script  # noqa: E402  (the tests' LibreOffice runner)

from xlkp.checks import check_sections  # noqa: E402
from xlkp.model import category_labels  # noqa: E402
from xlkp.report import layout, openpyxl_writer  # noqa: E402
from xlkp.samples import sample_sections  # noqa: E402

_RECALC_SCRIPT = """
import json, statistics, time
repeat = int(sys.argv[1])
timings = {}
for path in sys.argv[2:]:
    doc = load(path)
    try:
        doc.calculateAll()  # the first one also builds LibreOffice's own caches
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            doc.calculateAll()
            runs.append(time.perf_counter() - start)
        overview = doc.Sheets.getByName("Regio-overzicht")
        check = overview.getCellRangeByName("G5").getValue()
    finally:
        doc.close(True)
    timings[path] = {"median": statistics.median(runs), "runs": runs, "check": check}
print("@@JSON@@" + json.dumps(timings))
"""


def quarters(count: int) -> list[str]:
    """`count` consecutive quarters ending with 2025-Q4."""
    first = 2025 * 4 + 3 - (count - 1)
    return [f"{q // 4}-Q{q % 4 + 1}" for q in range(first, first + count)]


def write_workbook(path: Path, count: int) -> int:
    sections = [s for period in quarters(count) for s in sample_sections(period)]
    book = layout.build_layout(sections, check_sections(sections), category_labels(sections))
    openpyxl_writer.write_workbook(book, path)
    return sum(len(s.rows) for s in sections)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarters", type=int, nargs=2, default=[8, 40], metavar=("SMALL", "LARGE"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    small, large = args.quarters
    with tempfile.TemporaryDirectory(prefix="xlkp-recalc-") as folder:
        paths, rows = {}, {}
        for count in (small, large):
            paths[count] = Path(folder) / f"Klantprofielen-{count}.xlsx"
            rows[count] = write_workbook(paths[count], count)
        out = run_uno_script(_RECALC_SCRIPT, str(args.repeat), *map(str, paths.values()), timeout=1800)
    timings = json.loads(out.split("@@JSON@@", 1)[1])
    median = {count: timings[str(paths[count])]["median"] for count in paths}
    print(f"LibreOffice full recalculation (calculateAll), median of {args.repeat}")
    for count in (small, large):
        runs = ", ".join(f"{t:.2f}" for t in timings[str(paths[count])]["runs"])
        print(f"  {count:>3} quarters ({rows[count]:>6} Gegevens rows): {median[count]:7.3f} s   [{runs}]")
    ratio = median[large] / median[small]
    linear = large / small
    print(f"ratio {large}/{small} quarters: {ratio:.2f}x (linear = {linear:.0f}x): "
          f"{'meets' if ratio <= linear else 'MISSES'} the target of <= {linear:.0f}x")
    print(f"{large} quarters: {median[large]:.2f} s: {'meets' if median[large] <= 3 else 'MISSES'} the target of <= 3 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
