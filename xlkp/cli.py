"""The command line. Each command parses its arguments and calls the library; no logic lives here.

Everything the user reads is Dutch, argparse's own text included (see `_dutch_argparse`).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring
from pathlib import Path

from . import STORE_ENV, __version__
from .checks import check_sections, errors_of
from .counts import counted
from .errors import EXIT_BAD_INPUT, XlkpError
from .model import SAMPLE_MARK, InputError, Publication
from .parse import BACKENDS, read_publication

TYPE_CHECKING = False  # as typing.TYPE_CHECKING (mypy reads it so) without importing typing: ~2% of an extract
if TYPE_CHECKING:
    from typing import Any

    from tqdm import tqdm

EXIT_OK, EXIT_FINDINGS = 0, 1
EXIT_NOT_CONFIRMED = 1  # `forget` without consent: nothing removed

# ---- argparse in Dutch -----------------------------------------------------------------------
# argparse looks its own strings up through gettext at the moment it uses them; while the CLI
# builds its parser, parses or prints help, those lookups answer in Dutch. A string not listed
# (a newer Python's rewording) stays as argparse has it.
ARGPARSE_DUTCH = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "optional arguments": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "expected one argument": "verwacht één waarde",
    "expected at least one argument": "verwacht minstens één waarde",
    "expected at most one argument": "verwacht hoogstens één waarde",
    "invalid %(type)s value: %(value)r": "ongeldige waarde (%(type)s): %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "dubbelzinnige optie: %(option)s kan zijn: %(matches)s",
    "not allowed with argument %s": "niet samen met %s",
    "one of the arguments %s is required": "een van deze argumenten is nodig: %s",
    "ignored explicit argument %r": "waarde genegeerd: %r",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
}
ARGPARSE_DUTCH_PLURAL = {
    ("expected %s argument", "expected %s arguments"): ("verwacht %s waarde", "verwacht %s waarden"),
}
# The type names argparse puts into 'invalid %(type)s value'.
TYPE_NAMES = {"int": "geheel getal", "Path": "pad", "float": "getal"}


def _dutch(message: str) -> str:
    return ARGPARSE_DUTCH.get(message, message)


def _dutch_plural(singular: str, plural: str, n: int) -> str:
    one, many = ARGPARSE_DUTCH_PLURAL.get((singular, plural), (singular, plural))
    return one if n == 1 else many


@contextlib.contextmanager
def _dutch_argparse() -> Iterator[None]:
    names = vars(argparse)  # argparse translates its texts through these module globals
    saved = names["_"], names.get("ngettext")
    names["_"] = _dutch
    if saved[1] is not None:
        names["ngettext"] = _dutch_plural
    try:
        yield
    finally:
        names["_"] = saved[0]
        if saved[1] is not None:
            names["ngettext"] = saved[1]


def _in_dutch(method: Callable) -> Callable:
    @functools.wraps(method)
    def run(*args, **kwargs):
        with _dutch_argparse():
            return method(*args, **kwargs)

    return run


class DutchParser(argparse.ArgumentParser):
    """An ArgumentParser whose own messages, usage and help are Dutch (subparsers inherit it)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        with _dutch_argparse():
            super().__init__(*args, **kwargs)

    add_argument = _in_dutch(argparse.ArgumentParser.add_argument)
    parse_args = _in_dutch(argparse.ArgumentParser.parse_args)
    parse_known_args = _in_dutch(argparse.ArgumentParser.parse_known_args)
    format_usage = _in_dutch(argparse.ArgumentParser.format_usage)
    format_help = _in_dutch(argparse.ArgumentParser.format_help)

    def error(self, message: str):
        """One line on stderr, as every other error of xlkp, with where to find help."""
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {one_line(message)} (hulp: {self.prog} -h)\n")

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError:
            name = getattr(action.type, "__name__", None)
            if name in TYPE_NAMES:
                raise argparse.ArgumentError(
                    action, f"ongeldige waarde ({TYPE_NAMES[name]}): {arg_string!r}"
                ) from None
            raise


def _fail(message: str) -> None:
    """One line on stderr, whatever a file name holds (a newline or escape in it is shown escaped)."""
    print(f"xlkp: {one_line(message)}", file=sys.stderr)


def one_line(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def read_all(files: Sequence[str], backend: str) -> tuple[list[Publication], list[InputError]]:
    """Read every file; a bad one is reported, the rest still read."""
    publications, errors = [], []
    for name in files:
        try:
            publications.append(read_publication(name, backend))
        except InputError as error:
            errors.append(error)
            _fail(str(error))
    return publications, errors


# ---- extract -------------------------------------------------------------------------------


def cmd_extract(args: argparse.Namespace) -> int:
    publications, errors = read_all(args.files, args.engine)
    sections = [s for p in publications for s in p.sections]
    findings = check_sections(sections, [t for p in publications for t in p.national])
    if publications:  # when every file failed, each has said why on stderr
        _print_extract(publications, findings, args.format, args.findings)
    if errors:
        if len(args.files) > 1:
            _fail(f"{len(errors)} van {len(args.files)} bestanden niet gelezen")
        return EXIT_BAD_INPUT
    if args.strict and errors_of(findings):
        _fail(f"--strict: {counted(len(errors_of(findings)), 'fout', 'fouten')}, daarom exitcode 1")
        return EXIT_FINDINGS
    return EXIT_OK


def _print_extract(publications: list[Publication], findings: list, fmt: str, only_findings: bool) -> None:
    sections = [s for p in publications for s in p.sections]
    if fmt == "json":
        payload = {"findings": [f.to_dict() for f in findings]}
        if not only_findings:
            payload = {
                "sections": [dict(s.to_dict(), source=p.source) for p in publications for s in p.sections],
                "national": [dict(t.to_dict(), source=p.source) for p in publications for t in p.national],
                **payload,
            }
        # One string, one write: json.dump would write each of its thousands of pieces.
        sys.stdout.write(indented_json(payload) + "\n")
    elif fmt == "csv":
        from .frames import findings_csv, tidy_csv

        frame = findings_csv(findings) if only_findings else tidy_csv(sections)
        _write_csv(frame)
    else:
        from .report.text import describe, describe_findings

        sys.stdout.write(describe_findings(findings) if only_findings else describe(publications, findings))


def indented_json(value: object) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)`, the same text in less than half the time.

    With `indent` the standard library leaves its C encoder for a generic one in Python; this
    one knows only what `to_dict` returns (dicts with text keys, lists, text, whole numbers,
    booleans, None) and hands anything else to json.dumps. Strings go through json's own
    (C) escaping."""
    parts: list[str] = []
    append = parts.append

    def add(item: Any, newline: str) -> None:
        kind = type(item)
        if kind is str:
            append(encode_basestring(item))
        elif kind is int:
            append(repr(item))
        elif item is None:
            append("null")
        elif item is True:
            append("true")
        elif item is False:
            append("false")
        elif kind is dict or kind is list:
            if not item:
                append("{}" if kind is dict else "[]")
                return
            inner = newline + "  "
            between = "," + inner
            if kind is dict:
                separator = "{" + inner
                for key, value in item.items():
                    if type(key) is not str:
                        raise _NotPlainJson
                    append(separator)
                    append(encode_basestring(key))
                    append(": ")
                    add(value, inner)
                    separator = between
                append(newline + "}")
            else:
                separator = "[" + inner
                for value in item:
                    append(separator)
                    add(value, inner)
                    separator = between
                append(newline + "]")
        else:
            raise _NotPlainJson

    try:
        add(value, "\n")
    except _NotPlainJson:
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(parts)


class _NotPlainJson(Exception):
    """A value indented_json leaves to json.dumps (a float, a tuple, a key that is no text)."""


# Dutch Excel opens a CSV with ';' between cells, and reads it as UTF-8 only after a BOM.
CSV_SEPARATOR = ";"


def _write_csv(frame) -> None:
    text = frame.to_csv(index=False, sep=CSV_SEPARATOR, lineterminator="\r\n")
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (tests capturing output)
        sys.stdout.write("\ufeff" + text)
    else:  # bytes, so a Windows console code page cannot mangle the names
        out.write(("\ufeff" + text).encode("utf-8"))
        out.flush()


def _add_extract(sub) -> None:
    p = sub.add_parser(
        "extract",
        help="lees PDF- of tekstbestanden en toon de tabellen en controles",
        description="Lees publicaties (PDF, of al uitgelezen tekst in .txt) en toon de tabellen "
        "en de bevindingen van de controles. Er wordt niets opgeslagen.",
    )
    p.add_argument("files", nargs="+", metavar="BESTAND", help="PDF- of .txt-bestand(en)")
    p.add_argument(
        "--format",
        choices=["text", "json", "csv"],
        default="text",
        help="uitvoer: text (standaard), json, of csv voor Nederlandse Excel "
        "(scheidingsteken ';', UTF-8 met BOM)",
    )
    p.add_argument("--findings", action="store_true", help="toon alleen de bevindingen (in elk formaat)")
    p.add_argument(
        "--strict", action="store_true", help="exitcode 1 als er fouten zijn (waarschuwingen tellen niet), en zeg dat op stderr"
    )
    _add_engine(p)
    p.set_defaults(run=cmd_extract)


def _add_engine(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--engine",
        choices=sorted(BACKENDS),
        default="pdfium",
        help="PDF-lezer: pdfium (snel, standaard) of pdfplumber",
    )


# ---- sample --------------------------------------------------------------------------------


def cmd_sample(args: argparse.Namespace) -> int:
    from .samples import RenderOptions, national_table, render_pdf, sample_sections

    periods = args.period or ["2021-Q1"]
    output = Path(args.output)
    if output.is_dir() or not output.parent.is_dir():
        where = "is een map" if output.is_dir() else f"de map {output.parent} bestaat niet"
        _fail(f"{output}: {where}; kies een PDF-bestand om te maken")
        return EXIT_BAD_INPUT
    if args.regions is not None and not 1 <= args.regions <= 35:
        _fail(f"--regions {args.regions}: kies een aantal van 1 tot en met 35")
        return EXIT_BAD_INPUT
    by_period = [sample_sections(period, seed=args.seed)[: args.regions] for period in periods]
    sections = [s for group in by_period for s in group]
    national = [national_table(group) for group in by_period] if args.national else []
    if args.with_errors:
        from .samples.defects import inject_sample_defects

        inject_sample_defects(sections)
    options = RenderOptions(
        rows_per_page=args.rows_per_page,
        continuation_suffix=" (vervolg)" if args.continuation else "",
        landscape=args.landscape,
        furniture=args.furniture,
        national=args.national,
        introduction=args.introduction,
    )
    try:
        render_pdf(sections, output, options, national)
    except OSError as error:
        _fail(f"{output}: niet te schrijven ({error.strerror or error})")
        return EXIT_BAD_INPUT
    regions = counted(len({s.region for s in sections}), "regio", "regio's")
    quarters = counted(len(periods), "kwartaal", "kwartalen")
    print(f"{args.output}: {regions}, {quarters} ({', '.join(periods)}); elke pagina zegt '{SAMPLE_MARK}'")
    return EXIT_OK


def _period_argument(text: str) -> str:
    from .periods import parse_period

    key = parse_period(text)
    if key is None:
        raise argparse.ArgumentTypeError(f"geen kwartaal: {text!r} (schrijf bv. 2021-Q1)")
    return key


def _rows_per_page(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= 1000:
        raise argparse.ArgumentTypeError(f"kies een aantal van 1 tot en met 1000, niet {text!r}")
    return number


def _add_sample(sub) -> None:
    p = sub.add_parser(
        "sample",
        help="maak een voorbeeldpublicatie (PDF) met fictieve cijfers om mee te oefenen",
        description=f"Maak een voorbeeldpublicatie: alle 35 regio's met verzonnen cijfers. "
        f"Elke pagina zegt '{SAMPLE_MARK}', en een import onthoudt dat de cijfers fictief zijn.",
    )
    p.add_argument("output", type=Path, metavar="UIT.pdf", help="het PDF-bestand dat gemaakt wordt")
    p.add_argument(
        "--period", action="append", type=_period_argument, metavar="PERIODE",
        help="kwartaal, bv. 2021-Q1 (herhaalbaar; standaard 2021-Q1)",
    )
    p.add_argument("--seed", type=int, default=1, metavar="GETAL", help="startwaarde voor de verzonnen cijfers (standaard 1)")
    p.add_argument(
        "--rows-per-page", type=_rows_per_page, default=17, metavar="AANTAL",
        help="gemeenten per pagina; een langere tabel loopt door op de volgende (standaard 17)",
    )
    p.add_argument("--with-errors", action="store_true", help="zet een paar rekenfouten in de tabellen")
    p.add_argument("--continuation", action="store_true",
                   help="herhaal de kop op een vervolgpagina als '... (vervolg)'")
    p.add_argument("--national", choices=["first", "last"],
                   help="druk de landelijke tabel af, voor of na de regio's")
    p.add_argument("--landscape", action="store_true", help="liggende pagina's")
    p.add_argument("--running-headers", dest="furniture", action="store_true",
                   help="kop- en voetregels op elke pagina (UWV, Pagina x van y, Bron: UWV)")
    p.add_argument("--introduction", action="store_true",
                   help="begin met een inleiding en een inhoudsopgave")
    p.add_argument("--regions", type=int, metavar="N",
                   help="alleen de eerste N regio's: een onvolledige publicatie")
    p.set_defaults(run=cmd_sample)


# ---- import --------------------------------------------------------------------------------


class _Bar:
    """A tqdm bar on stderr, only when the job is big enough to wait for."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar: tqdm | None = None

    def start(self, total: int) -> None:
        if self.enabled:
            from tqdm import tqdm

            # disable=None: no bar when stderr is not a terminal (pipes, logs, tests)
            self.bar = tqdm(total=total, unit="stap", desc="xlkp import", leave=False, file=sys.stderr, disable=None)

    def grow(self, steps: int) -> None:
        if self.bar is not None:
            self.bar.total = (self.bar.total or 0) + steps
            self.bar.refresh()

    def advance(self, steps: int = 1, what: str = "") -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(what[:30], refresh=False)
            self.bar.update(steps)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_import(args: argparse.Namespace) -> int:
    from .importer import BadInputs, import_files

    bar = _Bar(enabled=not args.quiet)

    def waiting(message: str) -> None:
        bar.close()
        _fail(message)

    try:
        result = import_files(
            args.files, args.output, engine=args.engine, use_store=not args.no_store, progress=bar,
            replace=args.replace, on_wait=waiting, store_path=args.store,
        )
    except BadInputs as error:
        bar.close()
        for each in error.errors:
            _fail(str(each))
        if len(error.errors) > 1:
            _fail(f"{len(error.errors)} van {len(args.files)} bestanden niet gelezen; niets geïmporteerd")
        return EXIT_BAD_INPUT
    except XlkpError:
        bar.close()
        raise
    bar.close()
    print(result.summary())
    if result.store is not None:
        print(f"Historie bijgewerkt ({', '.join(result.new_periods)}): {result.store}")
    if result.sample_periods:
        print(f"Let op: {SAMPLE_MARK} in {', '.join(result.sample_periods)} (uit een voorbeeldpublicatie)")
    return EXIT_OK


def _add_import(sub) -> None:
    p = sub.add_parser(
        "import",
        help="lees PDF's en schrijf of werk een Excel-werkmap bij (en de historie)",
        description="Lees en controleer publicaties en schrijf ze in een werkmap: een nieuw "
        "kwartaal komt erbij, een kwartaal dat er al in stond wordt vervangen. De kwartalen "
        "gaan ook in de historie (SQLite) waaruit de KP_-functies en 'xlkp show' antwoorden.",
    )
    p.add_argument("files", nargs="+", metavar="BESTAND", help="PDF- of .txt-bestand(en)")
    p.add_argument(
        "-o", "--output", required=True, type=Path, metavar="UIT.xlsx|UIT.xlsm",
        help="de werkmap die gemaakt of bijgewerkt wordt",
    )
    p.add_argument("--no-store", action="store_true", help="werk de historie (SQLite) niet bij")
    _add_store_option(p)
    p.add_argument(
        "--replace",
        action="store_true",
        help="vervang een kwartaal ook als de nieuwe gegevens minder regio's of gemeenten hebben",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="geen voortgangsbalk")
    _add_engine(p)
    p.set_defaults(run=cmd_import)


# ---- periods, show, forget: the history store ---------------------------------------------


def _open_store(args: argparse.Namespace):
    from .store import Store

    return Store.open(args.store, create=False)


PERIOD_HEADERS = ("kwartaal", "regio's", "gemeenten", "pagina's", "geïmporteerd", "voorbeeld", "bestand(en)")


def cmd_periods(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        quarters = store.quarters()
        path = store.path
    if not quarters:
        _fail(f"{path}: nog niets geïmporteerd")
        return EXIT_BAD_INPUT
    rows = [
        (
            q.period,
            str(q.regions),
            str(q.municipalities),
            str(q.pages),
            q.imported_local.strftime("%Y-%m-%d %H:%M"),
            SAMPLE_MARK if q.sample else "nee",
            ", ".join(q.sources),
        )
        for q in quarters
    ]
    print(f"Historie: {path}")
    print(_table(PERIOD_HEADERS, rows, numeric={1, 2, 3}))
    return EXIT_OK


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """Columns padded to their widest cell; numbers right-aligned; the last column unpadded."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            if i == len(cells) - 1:
                parts.append(cell)
            else:
                parts.append(cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]))
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def cmd_show(args: argparse.Namespace) -> int:
    from .query import QueryIndex, describe

    with _open_store(args) as store:
        state = store.state()
    index = QueryIndex(state.sections, state.findings, national=state.national)
    area = index.area(args.area, args.period)
    sys.stdout.write(describe(index, area))
    return EXIT_OK


def cmd_forget(args: argparse.Namespace) -> int:
    from .locks import holding
    from .store import Store, default_store_path

    path = Path(args.store).expanduser() if args.store is not None else default_store_path()
    with Store.open(path, create=False) as store:  # read-only: a missing store is not made
        by_period = {q.period: q for q in store.quarters()}
    missing = [p for p in args.periods if p not in by_period]
    if missing:
        stored = ", ".join(by_period) or "geen"
        _fail(f"{path}: {', '.join(missing)} staat niet in de historie (wel: {stored})")
        return EXIT_BAD_INPUT
    print(f"Uit de historie {path} gaat:")
    for period in dict.fromkeys(args.periods):
        q = by_period[period]
        sample = f", {SAMPLE_MARK}" if q.sample else ""
        regions = counted(q.regions, "regio", "regio's")
        municipalities = counted(q.municipalities, "gemeente", "gemeenten")
        print(f"  {period}: {regions}, {municipalities}{sample} (uit {', '.join(q.sources)})")
    if not args.yes:
        if not sys.stdin.isatty():
            _fail("niets verwijderd: bevestig met --yes")
            return EXIT_NOT_CONFIRMED
        answer = input("Verwijderen? [j/N] ").strip().casefold()
        if answer not in ("j", "ja", "y", "yes"):
            print("Niets verwijderd.")
            return EXIT_NOT_CONFIRMED
    # As an import does: one writer at a time, and an interrupted import is finished first.
    with holding(path, "opslag", _fail), Store.open(path) as store:
        from .importer import recover

        recover(store)
        removed = store.forget_periods(args.periods)
    print(f"Verwijderd: {', '.join(removed)}. Werkmappen zelf blijven zoals ze zijn.")
    return EXIT_OK


def _add_store_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store", type=Path, metavar="PAD",
        help=f"de historie (SQLite-bestand); standaard ${STORE_ENV}, anders de opslag van de gebruiker",
    )


def _add_periods(sub) -> None:
    p = sub.add_parser(
        "periods",
        help="toon de kwartalen in de historie",
        description="Toon per kwartaal in de historie: regio's, gemeenten, pagina's, wanneer "
        "geïmporteerd (lokale tijd), of het een voorbeeld is, en uit welke bestanden.",
    )
    _add_store_option(p)
    p.set_defaults(run=cmd_periods)


def _add_show(sub) -> None:
    p = sub.add_parser("show", help="toon de cijfers van een gemeente, regio of Nederland uit de historie")
    p.add_argument("area", metavar="GEBIED", help="gemeente, arbeidsmarktregio of Nederland")
    p.add_argument("--period", metavar="PERIODE", help="kwartaal, bv. 2021-Q1 (standaard: het laatste)")
    _add_store_option(p)
    p.set_defaults(run=cmd_show)


def _add_forget(sub) -> None:
    p = sub.add_parser(
        "forget",
        help="verwijder kwartalen uit de historie",
        description="Verwijder kwartalen uit de historie, bv. een geoefend voorbeeld. Toont eerst "
        "wat er verdwijnt en vraagt dan om bevestiging (of gebruik --yes). Werkmappen blijven "
        "zoals ze zijn.",
    )
    p.add_argument("periods", nargs="+", type=_period_argument, metavar="PERIODE", help="kwartaal, bv. 2021-Q1")
    p.add_argument("-y", "--yes", action="store_true", help="niet vragen: verwijder meteen")
    _add_store_option(p)
    p.set_defaults(run=cmd_forget)


# ---- workbook: the macro workbook with the ribbon tab --------------------------------------


def cmd_workbook_build(args: argparse.Namespace) -> int:
    from .workbook.build import build_workbook

    info = build_workbook(args.output)
    print(f"{info.path}: {len(info.sheets)} bladen, VBA-modules {', '.join(info.modules)}")
    return EXIT_OK


def _add_workbook(sub) -> None:
    p = sub.add_parser("workbook", help="de macrowerkmap Klantprofielen.xlsm (lint, VBA, xlwings)")
    actions = p.add_subparsers(dest="action", metavar="ACTIE", title="acties")
    build = actions.add_parser("build", help="bouw de macrowerkmap opnieuw uit de bronbestanden")
    build.add_argument(
        "-o", "--output", type=Path, default=Path("workbook/Klantprofielen.xlsm"), metavar="PAD.xlsm",
        help="waar de werkmap komt (standaard workbook/Klantprofielen.xlsm)",
    )
    build.set_defaults(run=cmd_workbook_build)
    p.set_defaults(run=None, parser=p)


# ---- main ----------------------------------------------------------------------------------

COMMANDS: dict[str, Callable] = {
    "extract": _add_extract, "sample": _add_sample, "import": _add_import, "periods": _add_periods,
    "show": _add_show, "forget": _add_forget, "workbook": _add_workbook,
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `command` (one of COMMANDS) only that command's part, which
    parses that command's arguments alike at a fraction of the cost of building all of them."""
    parser = DutchParser(
        prog="xlkp",
        description="UWV 'Transparantie van klantprofielen' naar Excel: inlezen, controleren, "
        "samenvatten.",
        epilog=f"De historie is een SQLite-bestand: ${STORE_ENV}, anders de opslag van de "
        "gebruiker. Hulp bij een opdracht: xlkp OPDRACHT -h.",
    )
    parser.add_argument("--version", action="version", version=f"xlkp {__version__}", help="toon de versie en stop")
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT", title="opdrachten")
    for name, add in COMMANDS.items():
        if command is None or name == command:
            add(sub)
    parser.set_defaults(run=None, parser=parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        arguments = sys.argv[1:] if argv is None else list(argv)
        # `xlkp extract ...`: only the parser of the command given (`xlkp -h`, a mistyped command
        # and the like get the whole one, which lists every command).
        command = arguments[0] if arguments and arguments[0] in COMMANDS else None
        args = build_parser(command).parse_args(arguments)
    except SystemExit as stop:  # -h, --version, or a usage error argparse has already printed
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    if args.run is None:  # `xlkp` or `xlkp workbook` alone: what can follow
        args.parser.print_help()
        return EXIT_OK
    try:
        return args.run(args)
    except XlkpError as error:
        _fail(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        _fail("afgebroken")
        return 130
    except BrokenPipeError:
        return EXIT_OK


def run() -> int:
    """The `xlkp` program (its console script): main() on the command line, before the exit."""
    # One command, then the exit frees everything: the cycle collector would only walk what is
    # alive again and again (all of a long history's rows, at the end of an import).
    gc.disable()
    code = main()
    # The process ends now. What is still alive (mostly the imported modules) needs no last
    # pass of the cycle collector at exit, which would walk all of it (~2% of an extract).
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(run())
