"""xlkp in xlwings Lite: the module a Lite workbook's main.py imports (`from xlkp.lite import *`).

xlwings Lite runs Python (Pyodide) inside Excel on Windows, macOS and the web, with no local
Python and no macros. It registers the `@func` functions and `@script` scripts it finds in
main.py; the star import puts these there:

- the `KP_*` worksheet functions: the very objects of `xlkp.addin.udfs`, not copies;
- the scripts `pdf_importeren`, `totalen_controleren`, `regio_overzicht`, `functies`, `over`:
  the classic workbook's buttons (`xlkp.addin.macros`) with Lite's `FrontEnd`.

Files: Lite's Import/Export puts the user's files under `/data` (`XLKP_LITE_DATA` overrides
it, for tests). `pdf_importeren` imports every PDF there, and writes the complete workbook,
charts included, as `Klantprofielen.xlsx` beside them for download. The history store the
`KP_*` functions read lives there too (`XLKP_STORE` overrides it): clearing the Office cache
clears it, and importing the PDFs again restores it.

What Lite does differently (see `xlkp.report.xlwings_writer.LITE`): no charts (bars in the cells or a
note instead), flags as fixed cell colours instead of conditional formats, no drop-down in the
overview's quarter cell (type the quarter), no pivot table, no column widths, and messages go to
Lite's output pane instead of a message box.

Nothing here imports pandas, pywin32 or pdfplumber: this runs in Pyodide.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import xlwings as xw
from xlwings import script

from .addin import macros
from .addin.udfs import (
    KP_CHECK,
    KP_COVERAGE,
    KP_PERIODS,
    KP_REGION,
    KP_REGISTER,
    KP_TABLE,
    KP_TOTAL,
    KP_VALUE,
)
from .report import xlwings_writer as writer
from .store import STORE_ENV

DATA_ENV = "XLKP_LITE_DATA"
LITE_DATA = "/data"  # where Lite's Import/Export puts the user's files
WORKBOOK_FILE = "Klantprofielen.xlsx"
STORE_FILE = "Klantprofielen-historie.sqlite"


def data_folder() -> Path:
    """Lite's files folder: `/data`, or `XLKP_LITE_DATA`."""
    return Path(os.environ.get(DATA_ENV, "").strip() or LITE_DATA)


def _print_message(book, message: str, critical: bool) -> None:
    # Lite shows what a script prints in its output pane; it has no message box we can rely on.
    print(("FOUT: " if critical else "") + message)


LITE = macros.FrontEnd(
    features=writer.LITE,
    tell=_print_message,
    store_note=(" In xlwings Lite staat de opslag bij de bestanden (Bestanden > Importeren/Exporteren): "
                "het wissen van de Office-cache wist hem; importeer de PDF's opnieuw om hem te herstellen."),
)

# The KP_ functions and the import must agree on one store: the one in the files folder. Only
# in Pyodide (or when a test names the files folder): importing this module elsewhere, e.g. on a
# desktop, must not move that process's store.
if sys.platform == "emscripten" or os.environ.get(DATA_ENV, "").strip():
    os.environ.setdefault(STORE_ENV, str(data_folder() / STORE_FILE))


def pdf_paths(folder: Path | None = None) -> list[Path]:
    """Every PDF in the files folder, subfolders included (Lite keeps a dropped folder's paths)."""
    folder = folder or data_folder()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


@macros.macro("PDF importeren")
def _import_all(book: xw.Book, *, front: macros.FrontEnd = LITE) -> str | None:
    paths = pdf_paths()
    if not paths:
        raise macros.MacroError(
            f"Geen PDF gevonden in {data_folder()}: zet de PDF eerst in xlwings Lite via "
            "Bestanden > Importeren/Exporteren."
        )
    target = data_folder() / WORKBOOK_FILE
    message = macros.import_into_book(book, paths, front=front, workbook_copy=target)
    if message is None:  # the user was asked first whether a quarter may shrink
        return None
    message += f" De complete werkmap (met grafieken) staat in de bestanden als {WORKBOOK_FILE}."
    front.tell(book, message, False)
    return message


@script
def pdf_importeren(book: xw.Book):
    """Importeer alle PDF's uit de bestanden van xlwings Lite (/data) in deze werkmap."""
    _import_all(book, front=LITE)


@script
def totalen_controleren(book: xw.Book):
    """Controleer de gegevens zoals ze nu in de bladen staan en vernieuw het blad Controles."""
    macros.check_totals(book, front=LITE)


@script
def regio_overzicht(book: xw.Book):
    """Bouw het regio-overzicht opnieuw op."""
    macros.region_overview(book, front=LITE)


@script
def functies(book: xw.Book):
    """Een blad met de KP_-functies, met een voorbeeld van elk."""
    macros.functions_help(book, front=LITE)


@script
def over(book: xw.Book):
    """Versies en de plaats van de opslag."""
    macros.about(book, front=LITE)


__all__ = [
    "KP_CHECK",
    "KP_COVERAGE",
    "KP_PERIODS",
    "KP_REGION",
    "KP_REGISTER",
    "KP_TABLE",
    "KP_TOTAL",
    "KP_VALUE",
    "functies",
    "over",
    "pdf_importeren",
    "regio_overzicht",
    "totalen_controleren",
]
