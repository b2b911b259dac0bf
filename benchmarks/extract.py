"""How fast `xlkp` reads a whole publication, against other readers of the same file in the same run.

    python benchmarks/extract.py [--repeat 5]

Generates the 35-region sample publication, then times (best of --repeat):
  - xlkp's full read (words, table parser, checks) with each backend;
  - Camelot's stream mode (cells only: no regions, totals or footnotes), if installed;
  - pypdfium2's bare text extraction (a floor: no positions, no parsing);
  - pdfplumber's own extract_text().
Target: xlkp (pdfium) at most 0.5x Camelot's time.
"""

from __future__ import annotations

import argparse
import tempfile
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
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

        timings = {}
        for name, job in jobs.items():
            job()  # warm up imports and caches
            timings[name] = best_of(args.repeat, job)

    print(f"35 regions, {pages} pages, best of {args.repeat}")
    ours = timings["xlkp read + checks (pdfium backend)"]
    for name, seconds in timings.items():
        print(f"  {name:<42} {seconds * 1000:8.1f} ms   xlkp/this = {ours / seconds:6.2f}")
    if "Camelot stream mode" in timings:
        ratio = ours / timings["Camelot stream mode"]
        verdict = "meets" if ratio <= 0.5 else "MISSES"
        print(f"xlkp (pdfium) / Camelot = {ratio:.2f}: {verdict} the target of <= 0.5")
    floor = ours / timings["pypdfium2 bare text (floor)"]
    print(f"xlkp (pdfium) / bare text = {floor:.1f}x (target: within about 15x)")


if __name__ == "__main__":
    main()
