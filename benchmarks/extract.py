"""How fast `xlkp` reads a whole publication, against other readers of the same file in the same run.

    python benchmarks/extract.py [--repeat 5] [--processes 11]

Generates the 35-region sample publication, then times (best of --repeat, the readers in turns):
  - xlkp's full read (words, table parser, checks) with each backend;
  - Camelot's stream mode (cells only: no regions, totals or footnotes), if installed;
  - pypdfium2's bare text extraction (a floor: no positions, no parsing);
  - pdfplumber's own extract_text().
Target: xlkp (pdfium) at most 0.1x Camelot's time.

Then, as whole processes (interpreter start, imports, read, output; median of --processes runs,
taken in turns so that the machine's load falls on both alike):
  - `xlkp extract FILE --format json` against a bare script that prints each page's text with
    pypdfium2. Target: at most 1.3x. xlkp's reader uses pypdfium2's raw bindings only; the same
    bare script on those is shown too, for comparison.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from timing import best_of, whole_publication

from xlkp.checks import check_publication
from xlkp.parse import read_publication


def xlkp_read(path: Path, backend: str) -> None:
    publication = read_publication(path, backend)
    check_publication(publication)
    assert len(publication.sections) == 35


def pdfium_bare_text(path: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    for page in document:
        page.get_textpage().get_text_range()
    document.close()


def pdfplumber_text(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def camelot_stream(path: Path) -> None:
    import camelot

    camelot.read_pdf(str(path), flavor="stream", pages="all")


BARE_SCRIPT = """
import sys
import pypdfium2 as pdfium

document = pdfium.PdfDocument(sys.argv[1])
for page in document:
    sys.stdout.write(page.get_textpage().get_text_range())
document.close()
"""


# The same on pypdfium2's raw bindings, as xlkp's reader uses them: without pypdfium2's object
# layer (shown for comparison; the target is against the script above, what a script would do).
BARE_RAW_SCRIPT = """
import ctypes, sys
import pypdfium2_raw as c

c.FPDF_InitLibrary()
document = c.FPDF_LoadDocument(sys.argv[1].encode(), None)
for index in range(c.FPDF_GetPageCount(document)):
    page = c.FPDF_LoadPage(document, index)
    textpage = c.FPDFText_LoadPage(page)
    buffer = (ctypes.c_ushort * (c.FPDFText_CountChars(textpage) + 1))()
    written = c.FPDFText_GetText(textpage, 0, len(buffer) - 1, buffer)
    sys.stdout.write(bytes(buffer)[: 2 * (written - 1)].decode("utf-16-le", errors="ignore"))
    c.FPDFText_ClosePage(textpage)
    c.FPDF_ClosePage(page)
c.FPDF_CloseDocument(document)
"""


def process_seconds(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one process."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def whole_processes(path: Path, folder: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Median wall-clock and CPU seconds of `xlkp extract --format json` and of the bare
    scripts, as processes. CPU time is steadier when other work shares the machine."""
    bare = folder / "bare_text.py"
    bare.write_text(BARE_SCRIPT)
    bare_raw = folder / "bare_raw_text.py"
    bare_raw.write_text(BARE_RAW_SCRIPT)
    installed = Path(sys.executable).parent / ("xlkp.exe" if os.name == "nt" else "xlkp")
    xlkp = [str(installed)] if installed.exists() else [sys.executable, "-m", "xlkp.cli"]
    commands = {"xlkp": [*xlkp, "extract", str(path), "--format", "json"],
                "bare": [sys.executable, str(bare), str(path)],
                "bare raw": [sys.executable, str(bare_raw), str(path)]}
    # As installed, where pip has compiled every module: both commands share one bytecode cache,
    # filled by the warm-up runs. Under PYTHONDONTWRITEBYTECODE (set in some shells) xlkp's
    # sources would be compiled on every run (~30 ms) while pypdfium2's come compiled.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for command in commands.values():  # warm the file and bytecode caches
        process_seconds(command, env)
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(process_seconds(command, env))
    return {
        name: (statistics.median(t[0] for t in runs_), statistics.median(t[1] for t in runs_))
        for name, runs_ in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--processes", type=int, default=11)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "publicatie.pdf"
        whole_publication(path)
        pages = len({page for s in read_publication(path).sections for page in s.pages})
        jobs: dict[str, Callable[[], object]] = {
            "xlkp read + checks (pdfium backend)": lambda: xlkp_read(path, "pdfium"),
            "xlkp read + checks (pdfplumber backend)": lambda: xlkp_read(path, "pdfplumber"),
            "pypdfium2 bare text (floor)": lambda: pdfium_bare_text(path),
            "pdfplumber extract_text()": lambda: pdfplumber_text(path),
        }
        try:
            import camelot  # noqa: F401

            jobs["Camelot stream mode"] = lambda: camelot_stream(path)
        except ImportError:
            print("Camelot not installed (pip install camelot-py): its row is left out")

        for job in jobs.values():
            job()  # warm up imports and caches
        # In turns, as the whole processes below: a busy spell of the machine falls on every
        # reader alike instead of on one reader's five runs.
        runs: dict[str, list[float]] = {name: [] for name in jobs}
        for _ in range(args.repeat):
            for name, job in jobs.items():
                runs[name].append(best_of(1, job))
        timings = {name: min(seconds) for name, seconds in runs.items()}
        processes = whole_processes(path, Path(folder), args.processes)

    print(f"35 regions, {pages} pages, best of {args.repeat}")
    ours = timings["xlkp read + checks (pdfium backend)"]
    for name, seconds in timings.items():
        print(f"  {name:<42} {seconds * 1000:8.1f} ms   xlkp/this = {ours / seconds:6.2f}")
    if "Camelot stream mode" in timings:
        ratio = ours / timings["Camelot stream mode"]
        verdict = "meets" if ratio <= 0.1 else "MISSES"
        print(f"xlkp (pdfium) / Camelot = {ratio:.2f}: {verdict} the target of <= 0.1")
    floor = ours / timings["pypdfium2 bare text (floor)"]
    print(f"xlkp (pdfium) / bare text = {floor:.1f}x (in one process)")
    (process, process_cpu), (bare, bare_cpu), (raw, raw_cpu) = (
        processes["xlkp"], processes["bare"], processes["bare raw"]
    )
    ratio = process / bare
    print(f"whole processes, median of {args.processes} (wall clock; CPU time, user + system, in brackets):")
    print(f"  `xlkp extract --format json` {process * 1000:.0f} ms ({process_cpu * 1000:.0f} ms)")
    print(f"  bare pypdfium2 text script  {bare * 1000:.0f} ms ({bare_cpu * 1000:.0f} ms)")
    print(f"  the same on the raw bindings {raw * 1000:.0f} ms ({raw_cpu * 1000:.0f} ms): "
          f"xlkp / this = {process / raw:.2f}x ({process_cpu / raw_cpu:.2f}x)")
    verdict = "meets" if ratio <= 1.3 else "MISSES"
    print(f"xlkp extract / bare script = {ratio:.2f}x ({process_cpu / bare_cpu:.2f}x): {verdict} the target of <= 1.3")


if __name__ == "__main__":
    main()
