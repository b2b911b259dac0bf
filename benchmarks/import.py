"""How long `xlkp import` takes for a whole publication, as a ratio against the extract step alone.

    python benchmarks/import.py [--repeat 5]

Generates the 35-region sample publication (one quarter), then times (best of --repeat), in the
same run:
  - extract: reading and checking the PDF (xlkp.parse.read_publication + checks, pdfium);
  - import: the whole job into a new workbook (read, check, layout, openpyxl, temp file, rename),
    without the history store.
The ratio import / extract says what writing the workbook costs on top of reading the PDF.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from timing import best_of, whole_publication

from xlkp.checks import check_publication
from xlkp.importer import import_files
from xlkp.parse import read_publication


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlkp-bench-") as tmp:
        pdf = Path(tmp) / "publicatie.pdf"
        whole_publication(pdf)
        out = Path(tmp) / "Klantprofielen.xlsx"

        def extract() -> None:
            publication = read_publication(pdf)
            check_publication(publication)
            assert len(publication.sections) == 35

        def full_import() -> None:
            out.unlink(missing_ok=True)
            result = import_files([pdf], out, use_store=False)
            assert result.regions == 35

        extract_time = best_of(args.repeat, extract)
        import_time = best_of(args.repeat, full_import)
        rows = sum(len(s.rows) for s in read_publication(pdf).sections)
        print(f"publication: 35 regions, {rows} municipalities, {out.stat().st_size // 1024} KiB workbook")
        print(f"extract (read + check):        {extract_time * 1000:8.1f} ms")
        print(f"import into a new workbook:    {import_time * 1000:8.1f} ms")
        print(f"ratio import / extract:        {import_time / extract_time:8.1f}x")


if __name__ == "__main__":
    main()
