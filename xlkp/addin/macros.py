"""The ribbon's entry points: one function per button, each taking the workbook (`xw.Book`).

Only xlwings' engine-neutral API is used (sheets, ranges, tables, conditional formats, pivot
tables, charts, through xlkp.report.xlwings_writer), so the same code runs on Excel for Windows and
macOS and on xlwings' remote engine, which the tests drive.

Each macro computes everything first (read, parse, check, lay out) and only then writes, so an
error leaves the workbook as it was; it is shown as one Dutch message box.

File paths never travel inside a RunPython command: the ribbon's VBA writes the chosen paths
into the hidden sheet `_xlkp` (A1 the count, A2 down the paths) and `import_pdf` reads them there.

The same buttons serve xlwings Lite (`xlkp.lite`): a `FrontEnd` says what the host can draw and
how the user is told (a message box here, the output pane there).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlwings as xw

from .. import __version__
from ..checks import check_sections, errors_of
from ..counts import counted
from ..errors import XlkpError
from ..files import replacing
from ..importer import read_files, recover, store_sections
from ..locks import holding
from ..model import SAMPLE_MARK, Finding, NationalTable, Section, category_labels
from ..plan import BookContents, departures, periods_of, plan_import
from ..report import layout as L
from ..report import xlwings_writer as writer
from ..store import StoreError
from . import udfs
from .settings import store_path_for_book

TITLE = "Klantprofielen"
CHANNEL = "_xlkp"  # the hidden sheet the ribbon writes chosen paths to
FUNCTIONS_SHEET = "Functies"
PIVOT_SHEET = "Draaitabel"
PIVOT_NAME = "ptKlantprofielen"


class MacroError(XlkpError):
    """What went wrong, in one Dutch sentence for the message box."""


# ---- plumbing: status bar, message box, error handling ----------------------------------------


def _status(book, text: str | bool) -> None:
    with contextlib.suppress(NotImplementedError, AttributeError):  # remote engine: no status bar
        book.app.status_bar = text


def _alert(book, message: str, critical: bool = False) -> None:
    book.app.alert(message, title=TITLE, buttons="ok", mode="critical" if critical else "info")


@dataclass(frozen=True)
class FrontEnd:
    """What differs between hosts: what the writer may draw, and how the user is told."""

    features: frozenset[str] = writer.ALL_FEATURES
    tell: Callable[[Any, str, bool], None] = _alert  # (book, message, critical)
    store_note: str = ""  # what the help and Over add about where the store lives


CLASSIC = FrontEnd()


def macro(action: str) -> Callable:
    """Status bar while running; any failure becomes one message; the status bar is reset."""

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def run(book: xw.Book, *args, front: FrontEnd = CLASSIC, **kwargs):
            _status(book, f"{TITLE}: {action}...")
            try:
                return function(book, *args, front=front, **kwargs)
            except XlkpError as error:
                front.tell(book, str(error), True)
            except Exception as error:  # an unforeseen failure still gets one readable line
                front.tell(book, f"{action} is mislukt: {type(error).__name__}: {error}", True)
            finally:
                _status(book, False)
            return None

        return run

    return decorate


def _sheet_names(book) -> list[str]:
    return [sheet.name for sheet in book.sheets]


def _replace(book, specs: list[L.SheetLayout], active: str, front: FrontEnd = CLASSIC) -> None:
    """Render `specs` into the book, replacing sheets of the same name where they stand."""
    writer.render(book, L.WorkbookLayout(specs, active=active),
                  progress=lambda name: _status(book, f"{TITLE}: blad {name} schrijven..."),
                  features=front.features)


# ---- reading what the workbook holds -----------------------------------------------------------


def chosen_paths(book) -> list[Path]:
    """The paths the ribbon wrote into the hidden sheet (a path may contain any character)."""
    if CHANNEL not in _sheet_names(book):
        raise MacroError(f"Het verborgen blad {CHANNEL} ontbreekt; gebruik de knop PDF importeren.")
    sheet = book.sheets[CHANNEL]
    try:
        count = int(float(sheet["A1"].value or 0))
    except (TypeError, ValueError):
        count = 0
    if count <= 0:
        return []
    values = sheet["A2"].resize(count, 1).options(ndim=1).value
    return [Path(str(v)) for v in values if v not in (None, "")]


def _clear_channel(book) -> None:
    if CHANNEL in _sheet_names(book):
        book.sheets[CHANNEL]["A1:B1000"].clear_contents()


def _grid(book, name: str) -> list[list]:
    if name not in _sheet_names(book):
        return []
    values = book.sheets[name].used_range.options(ndim=2).value
    return [list(row) for row in values or []]


def sections_in_book(book) -> tuple[list[Section], tuple[str, ...] | None]:
    """The sections on the Gegevens and Regiototalen sheets, as they stand (two reads).

    Both tables start at A1, so each sheet's used range is its table with the header first.
    """
    sections, labels = L.sections_from_tables(_grid(book, L.DATA), _grid(book, L.REGION_DATA))
    _, period_labels = _national_grid(book)
    if period_labels is not None:
        L.apply_period_labels(sections, [], period_labels)
    return sections, labels


def _national_grid(book) -> tuple[list[NationalTable], dict[str, tuple[str, ...]] | None]:
    """The national tables and the labels per quarter on the Landelijk sheet (None: no sheet).

    tblLandelijk starts at A1 and tblKolomnamen beside it, so the used range holds both."""
    grid = _grid(book, L.NATIONAL_SHEET)
    if not grid:
        return [], None
    width = len(grid[0])
    national = L.national_from_table([L.NATIONAL_COLUMNS.within(row) for row in grid])
    beside = L.LABEL_TABLE_COLUMNS
    labels = L.labels_from_table([beside.within(row) for row in grid]) if width > beside.first - 1 else {}
    return national, labels


def national_in_book(book) -> list[NationalTable]:
    return _national_grid(book)[0]


def book_contents(book) -> BookContents:
    """What the open book holds, as the import plan takes it: its sheets as they stand."""
    sections, labels = sections_in_book(book)
    return BookContents(sections, labels, national_in_book(book))


def _layout(
    sections: list[Section], labels: tuple[str, ...], national: Sequence[NationalTable] = ()
) -> tuple[L.WorkbookLayout, list[Finding]]:
    """The sheets for `sections`, and the findings they show (checked once)."""
    findings = check_sections(sections, national)
    return L.build_layout(sections, findings, labels, national), findings


# ---- the buttons --------------------------------------------------------------------------------


@macro("PDF importeren")
def import_pdf(book: xw.Book, *, front: FrontEnd = CLASSIC) -> str | None:
    """Read the chosen PDFs, merge them with the workbook's other quarters, write all sheets."""
    paths = chosen_paths(book)
    if not paths:
        raise MacroError("Geen bestand gekozen.")
    message = import_into_book(book, paths, front=front)
    if message is None:  # the user is asked first whether a quarter may shrink
        return None
    _clear_channel(book)  # only after success: a failed import changes nothing
    front.tell(book, message, False)
    return message


def import_into_book(book, paths: list[Path], *, front: FrontEnd = CLASSIC,
                     workbook_copy: Path | None = None) -> str | None:
    """The import both front-ends share: read and check `paths`, merge them with the book's
    other quarters, then write the store and all sheets (and, with `workbook_copy`, the
    complete workbook as a file there). Returns the message for the user, or None when the
    user did not (yet) agree to a quarter shrinking.

    Holds the workbook's lock (when it is a file here) and the store's, as the command line
    does; a quarter that would shrink is replaced only when the user agrees (`_agreed`)."""
    from ..report import openpyxl_writer
    from ..store import Store

    _status(book, f"{TITLE}: {counted(len(paths), 'bestand', 'bestanden')} lezen...")
    publications = read_files(paths)  # InputError names every bad file and its reason
    new_periods = periods_of(publications)
    store = store_path_for_book(book)

    def waiting(message: str) -> None:
        _status(book, f"{TITLE}: wacht op een andere import...")

    with contextlib.ExitStack() as held:
        workbook_file = _workbook_file(book)
        if workbook_file is not None:
            # Only a command-line import writes the file itself; where it could not (a
            # read-only folder) the open workbook needs no lock file.
            held.enter_context(holding(workbook_file, "werkmap", waiting, required=False))
        held.enter_context(holding(store, "opslag", waiting))
        opened = held.enter_context(Store.open(store))
        recover(opened)
        existing = book_contents(book)
        stored, stored_labels = store_sections(opened, new_periods), opened.labels()
        plan = plan_import(existing, publications, stored=stored, stored_labels=stored_labels)
        if plan.refused:
            if not _agreed(book, plan.refused, paths, front):
                return None
            plan = plan_import(existing, publications, stored=stored, stored_labels=stored_labels, replace=True)
        assert plan.layout is not None and plan.store is not None  # planned: nothing was refused
        book_layout, changes = plan.layout, plan.store

        # Everything is known; now the file copy (renamed only once the store is written), the
        # store (one transaction), then the sheets.
        _status(book, f"{TITLE}: opslag bijwerken...")
        with contextlib.ExitStack() as copy:
            if workbook_copy is not None:
                openpyxl_writer.write_workbook(book_layout, copy.enter_context(replacing(workbook_copy)))
            opened.replace_periods(changes.sections, changes.findings, source=changes.source,
                                   national=changes.national)
    udfs.reset()  # the KP_ functions answer from the new data at once
    _replace(book, book_layout.sheets, book_layout.active, front)
    regions = counted(len({s.name for s in plan.new_sections}), "regio", "regio's")
    message = (
        f"{regions} over {', '.join(new_periods)} "
        f"geïmporteerd uit {counted(len(paths), 'bestand', 'bestanden')}; de werkmap bevat nu "
        f"{counted(len(plan.periods), 'kwartaal', 'kwartalen')}. "
        f"{_findings_text(plan.findings)}"
    )
    if plan.sample_periods:
        message += f" Let op: {SAMPLE_MARK} in {', '.join(plan.sample_periods)} (een voorbeeldpublicatie)."
    return message


CONFIRMATION_CELL = "B1"  # on the hidden channel sheet: the replacement the user agreed to
_confirmation: list[str] = []  # the same, where the book has no channel sheet (xlwings Lite)


def _agreed(book, found, paths: list[Path], front: FrontEnd) -> bool:
    """Ask whether smaller quarters may replace the present ones.

    Excel on Windows and macOS answers a yes/no box at once. xlwings' remote engine and Lite
    cannot wait for an answer: the question is shown once and noted, and a second click on the
    same files with the same outcome is the user's yes."""
    reason = "; ".join(f.describe() for f in found)
    if front is CLASSIC and _answers_at_once(book):
        answer = book.app.alert(f"{reason}. Toch vervangen?", title=TITLE, buttons="yes_no", mode="critical")
        return answer == "yes"
    key = f"vervang {reason} | {' | '.join(map(str, paths))}"
    cell = book.sheets[CHANNEL][CONFIRMATION_CELL] if CHANNEL in _sheet_names(book) else None
    noted = cell.value if cell is not None else (_confirmation[0] if _confirmation else None)
    if noted == key:
        if cell is not None:
            cell.clear_contents()
        _confirmation.clear()
        return True
    if cell is not None:
        cell.value = [[key]]
    else:
        _confirmation[:] = [key]
    front.tell(book, f"{reason}. Er is niets gewijzigd. Importeer nogmaals om toch te vervangen.", True)
    return False


def _answers_at_once(book) -> bool:
    """Excel itself returns the button clicked; xlwings' remote engine only queues the box."""
    return book.app.engine.name != "remote"


def _workbook_file(book) -> Path | None:
    """The workbook's file, when it has one on this computer (the remote engine knows a name only)."""
    try:
        path = Path(book.fullname)
    except Exception:
        return None
    return path if path.is_absolute() and path.parent.is_dir() else None


def _findings_text(findings: list[Finding]) -> str:
    if not findings:
        return "Alle totalen kloppen."
    errors = len(errors_of(findings))
    return (
        f"{counted(len(findings), 'bevinding', 'bevindingen')} ({counted(errors, 'fout', 'fouten')}, "
        f"{counted(len(findings) - errors, 'waarschuwing', 'waarschuwingen')}): zie het blad {L.CONTROLS}."
    )


def _data_as_it_stands(book) -> tuple[BookContents, tuple[str, ...], L.WorkbookLayout, list[Finding]]:
    """The data sheets' contents (edits included), their labels, the layout and findings."""
    contents = book_contents(book)
    if not contents.sections:
        raise MacroError(f"Er staan nog geen gegevens in het blad {L.DATA}: importeer eerst een PDF.")
    labels = contents.labels or category_labels(contents.sections)
    return contents, labels, *_layout(contents.sections, labels, contents.national)


@macro("Totalen controleren")
def check_totals(book: xw.Book, *, front: FrontEnd = CLASSIC) -> str | None:
    """Check the data as it stands in the sheets (after edits) and rewrite the Controles sheet.

    The KP_ functions answer from the store, not from the sheets (see `xlkp.plan`): where the
    sheets no longer hold the stored publication, the message names the quarters and regions
    and says that KP_CHECK and the other functions give the stored publication's answer."""
    sheets, _, book_layout, findings = _data_as_it_stands(book)
    _replace(book, [book_layout.sheet(L.CONTROLS)], L.CONTROLS, front)
    message = f"Gecontroleerd: {len(sheets.sections)} regiotabellen. {_findings_text(findings)}"
    message += _compared_with_store(book, sheets, findings)
    front.tell(book, message, False)
    return message


def _compared_with_store(book, sheets: BookContents, findings: list[Finding]) -> str:
    """Nothing when the KP_ functions see what the sheets hold; else which quarters differ."""
    from ..store import Store

    periods = sorted({s.period for s in sheets.sections} | {t.period for t in sheets.national})
    stored, stored_findings = BookContents(), []
    try:
        path = store_path_for_book(book)  # a refused XLKP_STORE setting raises StoreError
        if Path(path).is_file():
            with Store.open(path, create=False) as store:
                stored = BookContents(
                    [s for p in periods for s in store.sections(p)], None,
                    [t for p in periods for t in store.national(p)],
                )
                stored_findings = [f for p in periods for f in store.findings(p)]
    except StoreError as error:
        return f" De KP_-functies kunnen de opslag niet lezen: {error}"
    differing = departures(sheets, findings, stored, stored_findings)
    if not differing:
        return ""
    return (
        f" Let op: de bladen wijken af van de opgeslagen publicatie "
        f"({'; '.join(d.describe() for d in differing)}). KP_CHECK en de andere KP_-functies geven "
        "de cijfers en bevindingen van de opgeslagen publicatie, niet die van de bladen."
    )


@macro("Regio-overzicht")
def region_overview(book: xw.Book, *, front: FrontEnd = CLASSIC) -> str | None:
    """Rebuild the overview sheet and put a native PivotTable of the data on its own sheet."""
    _, labels, book_layout, _ = _data_as_it_stands(book)
    labels = L.table_labels(labels)
    _replace(book, [book_layout.sheet(L.OVERVIEW)], L.OVERVIEW, front)
    if writer.PIVOT_TABLES not in front.features:
        message = (f"{L.OVERVIEW} opnieuw opgebouwd. Een draaitabel kan hier niet worden gemaakt; "
                   f"maak er zelf een van de tabel {L.DATA_TABLE} op het blad {L.DATA}.")
        front.tell(book, message, False)
        return message
    if PIVOT_SHEET in _sheet_names(book):
        book.sheets[PIVOT_SHEET].delete()
    sheet = book.sheets.add(PIVOT_SHEET, after=book.sheets[L.OVERVIEW])
    sheet["A1"].value = [["Draaitabel van de gegevens: kies het kwartaal in het filter."]]
    pivot = sheet.pivot_tables.add(
        source=book.sheets[L.DATA].tables[L.DATA_TABLE],
        destination=sheet["A3"],
        name=PIVOT_NAME,
        rows=[L.REGION, L.MUNICIPALITY],
        filters=[L.PERIOD],
        values={name: "sum" for name in (*labels, L.TOTAL_LABEL)},
    )
    for field in pivot.values:
        field.number_format = L.COUNT_FORMAT
    book.sheets[L.OVERVIEW].activate()
    return f"{L.OVERVIEW} opnieuw opgebouwd; draaitabel op het blad {PIVOT_SHEET}."


# KP_TABLE and KP_PERIODS return a matrix: live on the help sheet they would spill over it.
EXAMPLES: dict[str, tuple[str, bool]] = {
    "KP_COVERAGE": ('=KP_COVERAGE("Alkmaar")', True),
    "KP_TOTAL": ('=KP_TOTAL("Noord-Holland Noord";"2021-Q1")', True),
    "KP_VALUE": ('=KP_VALUE("Texel";1)', True),
    "KP_REGISTER": ('=KP_REGISTER("Nederland")', True),
    "KP_REGION": ('=KP_REGION("Den Helder")', True),
    "KP_CHECK": ('=KP_CHECK("Noord-Holland Noord")', True),
    "KP_PERIODS": ("=KP_PERIODS()", False),
    "KP_TABLE": ('=KP_TABLE("Noord-Holland Noord")', False),
}


def function_rows() -> list[list[str]]:
    """Function, arguments, description, example (as typed in Dutch Excel) for every KP_ function."""
    rows = []
    for name in sorted(n for n in udfs.__all__ if n.startswith("KP_")):
        function = getattr(udfs, name)
        parameters = inspect.signature(function).parameters.values()
        arguments = "; ".join(p.name if p.default is inspect.Parameter.empty else f"[{p.name}]" for p in parameters)
        description = " ".join((function.__doc__ or "").split())
        rows.append([name, f"{name}({arguments})", description, EXAMPLES.get(name, (f"={name}()", False))[0]])
    return rows


def _formula(example: str) -> str:
    """The Dutch example as a formula in English notation (';' between arguments becomes ',')."""
    return example.replace(";", ",")


@macro("Functies")
def functions_help(book: xw.Book, *, front: FrontEnd = CLASSIC) -> str | None:
    """A sheet listing the KP_ functions, an example of each, and its live result where it fits."""
    rows = function_rows()
    headers = ["Functie", "Syntaxis", "Wat het geeft", "Voorbeeld", "Uitkomst"]
    live = [[_formula(EXAMPLES[r[0]][0]) if EXAMPLES.get(r[0], ("", False))[1] else
             "(matrix: typ de formule in een lege cel met ruimte eronder)"] for r in rows]
    last = 3 + len(rows)
    if FUNCTIONS_SHEET in _sheet_names(book):
        book.sheets[FUNCTIONS_SHEET].delete()
    sheet = book.sheets.add(FUNCTIONS_SHEET, after=book.sheets[0])
    sheet["A1"].value = [["Werkbladfuncties van Klantprofielen"]]
    sheet["A2"].value = [["Argumenten tussen [ ] mogen weg; een leeg kwartaal is het laatst geïmporteerde. "
                          "De functies lezen de opslag die elke import bijwerkt, niet de bladen: een wijziging in de "
                          "bladen verandert hun uitkomst niet." + front.store_note]]
    sheet["A3"].value = [headers]
    sheet["A4"].value = [[writer.literal(v) for v in row] for row in rows]
    sheet[f"E4:E{last}"].formula = live
    sheet["A1"].font.bold = True
    sheet["A1"].font.size = 14
    sheet["A3:E3"].font.bold = True
    sheet["A3:E3"].color = "#DDEBF7"
    if writer.ALIGNMENT in front.features:
        sheet[f"C4:C{last}"].wrap_text = True
    if writer.COLUMN_LAYOUT in front.features:
        for letter, width in zip("ABCDE", (15, 36, 80, 42, 24)):
            sheet[f"{letter}:{letter}"].column_width = width
    sheet.activate()
    return f"Blad {FUNCTIONS_SHEET} met {len(rows)} functies."


def about_text(book=None) -> str:
    store = store_path_for_book(book)
    return (
        f"xlkp {__version__}\n"
        f"xlwings {xw.__version__}\n"
        f"Python {sys.version.split()[0]} ({sys.executable})\n"
        f"Opslag van de KP_-functies: {store}"
        + ("" if Path(store).exists() else " (nog leeg: importeer een PDF)")
        + _stored_quarters(store)
    )


def _stored_quarters(path: Path) -> str:
    """The quarters in the store, samples marked; nothing when there is no readable store."""
    from ..store import Store

    if not Path(path).is_file():
        return ""
    try:
        with Store.open(path, create=False) as store:
            quarters = store.quarters()
    except StoreError as error:
        return f"\n{error}"
    if not quarters:
        return "\nKwartalen in de opslag: geen"
    names = [f"{q.period} ({SAMPLE_MARK})" if q.sample else q.period for q in quarters]
    return "\nKwartalen in de opslag: " + ", ".join(names)


@macro("Over")
def about(book: xw.Book, *, front: FrontEnd = CLASSIC) -> str | None:
    text = about_text(book) + front.store_note
    front.tell(book, text, False)
    return text


__all__ = [
    "CLASSIC",
    "FrontEnd",
    "MacroError",
    "about",
    "about_text",
    "check_totals",
    "chosen_paths",
    "function_rows",
    "functions_help",
    "import_into_book",
    "import_pdf",
    "region_overview",
    "sections_in_book",
]
