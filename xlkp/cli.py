"""The command line. Each command parses its arguments and calls the library; no logic lives here."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .checks import check_sections, errors_of
from .locks import LockError
from .model import InputError, Publication
from .numbers import counted
from .parse import BACKENDS, read_publication
from .store import StoreError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


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
        _print_extract(publications, findings, args.format)
    if errors:
        if len(args.files) > 1:
            _fail(f"{len(errors)} van {len(args.files)} bestanden niet gelezen")
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if args.strict and errors_of(findings) else EXIT_OK


def _print_extract(publications: list[Publication], findings: list, fmt: str) -> None:
    out = sys.stdout
    if fmt == "json":
        payload = {
            "sections": [
                dict(s.to_dict(), source=p.source) for p in publications for s in p.sections
            ],
            "national": [dict(t.to_dict(), source=p.source) for p in publications for t in p.national],
            "findings": [f.to_dict() for f in findings],
        }
        json.dump(payload, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        from .summary import tidy_csv

        sections = [s for p in publications for s in p.sections]
        tidy_csv(sections).to_csv(out, index=False, lineterminator="\n")
    else:
        from .report.text import describe

        out.write(describe(publications, findings))


def _add_extract(sub) -> None:
    p = sub.add_parser("extract", help="lees PDF- of tekstbestanden en toon de tabellen en controles")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.add_argument("--strict", action="store_true", help="exit 1 als er fouten zijn (waarschuwingen tellen niet)")
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
    from .periods import parse_period
    from .samples import RenderOptions, national_table, render_pdf, sample_sections

    periods = []
    for text in args.period or ["2021-Q1"]:
        period = parse_period(text)
        if period is None:
            _fail(f"--period {text}: geen kwartaal; schrijf bv. 2021-Q1")
            return EXIT_BAD_INPUT
        periods.append(period)
    if not 1 <= args.rows_per_page <= 1000:
        _fail(f"--rows-per-page {args.rows_per_page}: kies een aantal van 1 tot en met 1000")
        return EXIT_BAD_INPUT
    output = Path(args.output)
    if output.is_dir() or not output.parent.is_dir():
        where = "is een map" if output.is_dir() else f"de map {output.parent} bestaat niet"
        _fail(f"{output}: {where}; kies een PDF-bestand om te maken")
        return EXIT_BAD_INPUT
    if args.regions is not None and not 1 <= args.regions <= 35:
        _fail(f"--regios {args.regions}: kies een aantal van 1 tot en met 35")
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
    regions = counted(len(sections), "regio", "regio's")
    print(f"{args.output}: {regions}, {', '.join(periods)}")
    return EXIT_OK


def _add_sample(sub) -> None:
    p = sub.add_parser("sample", help="maak een voorbeeldpublicatie (PDF) om mee te oefenen")
    p.add_argument("output", type=Path)
    p.add_argument("--period", action="append", help="kwartaal, bv. 2021-Q1 (herhaalbaar)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rows-per-page", type=int, default=17)
    p.add_argument("--with-errors", action="store_true", help="zet een paar rekenfouten in de tabellen")
    p.add_argument("--vervolg", dest="continuation", action="store_true",
                   help="herhaal de kop op een vervolgpagina als '... (vervolg)'")
    p.add_argument("--landelijk", dest="national", choices=["eerst", "laatst"],
                   help="druk de landelijke tabel af, voor of na de regio's")
    p.add_argument("--liggend", dest="landscape", action="store_true", help="liggende pagina's")
    p.add_argument("--kop-voet", dest="furniture", action="store_true",
                   help="kop- en voetregels op elke pagina (UWV, Pagina x van y, Bron: UWV)")
    p.add_argument("--inleiding", dest="introduction", action="store_true",
                   help="begin met een inleiding en een inhoudsopgave")
    p.add_argument("--regios", dest="regions", type=int, metavar="N",
                   help="alleen de eerste N regio's: een onvolledige publicatie")
    p.set_defaults(run=cmd_sample)


# ---- import --------------------------------------------------------------------------------


class _Bar:
    """A tqdm bar on stderr, only when the job is big enough to wait for."""

    def __init__(self, enabled: bool):
        self.enabled, self.bar = enabled, None

    def start(self, total: int) -> None:
        if self.enabled:
            from tqdm import tqdm

            # disable=None: no bar when stderr is not a terminal (pipes, logs, tests)
            self.bar = tqdm(total=total, unit="stap", desc="xlkp import", leave=False, file=sys.stderr, disable=None)

    def grow(self, steps: int) -> None:
        if self.bar is not None:
            self.bar.total += steps
            self.bar.refresh()

    def advance(self, steps: int = 1, what: str = "") -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(what[:30], refresh=False)
            self.bar.update(steps)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_import(args: argparse.Namespace) -> int:
    from .importer import BadInputs, TargetError, import_files
    from .locks import LockError

    bar = _Bar(enabled=not args.quiet)

    def waiting(message: str) -> None:
        bar.close()
        _fail(message)

    try:
        result = import_files(
            args.files, args.output, engine=args.engine, use_store=not args.no_store, progress=bar,
            replace=args.vervang, on_wait=waiting,
        )
    except BadInputs as error:
        bar.close()
        for each in error.errors:
            _fail(str(each))
        if len(error.errors) > 1:
            _fail(f"{len(error.errors)} van {len(args.files)} bestanden niet gelezen; niets geïmporteerd")
        return EXIT_BAD_INPUT
    except (InputError, TargetError, LockError, StoreError) as error:
        bar.close()
        _fail(str(error))
        return EXIT_BAD_INPUT
    bar.close()
    print(result.summary())
    return EXIT_OK


def _add_import(sub) -> None:
    p = sub.add_parser("import", help="lees PDF's en schrijf of werk een Excel-werkmap bij")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.xlsx|OUT.xlsm")
    p.add_argument("--no-store", action="store_true", help="werk de historie (SQLite) niet bij")
    p.add_argument(
        "--vervang",
        action="store_true",
        help="vervang een kwartaal ook als de nieuwe gegevens minder regio's of gemeenten hebben",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="geen voortgangsbalk")
    _add_engine(p)
    p.set_defaults(run=cmd_import)


# ---- periods, show: read the history store ------------------------------------------------


def _open_store(args: argparse.Namespace):
    from .store import Store

    return Store.open(args.store, create=False)


def cmd_periods(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        imports = store.imports()
    if not imports:
        _fail(f"{args.store or 'opslag'}: nog niets geïmporteerd")
        return EXIT_BAD_INPUT
    for period, source, imported_at in imports:
        print(f"{period}\t{imported_at}\t{source}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from .history import History, LookupFailure, describe

    with _open_store(args) as store:
        state = store.state()
    history = History(state.sections, state.findings, national=state.national)
    try:
        area = history.area(args.area, args.period)
    except LookupFailure as failure:
        _fail(str(failure))
        return EXIT_BAD_INPUT
    sys.stdout.write(describe(history, area))
    return EXIT_OK


def _add_store_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store", type=Path, help="opslag (standaard: $XLKP_STORE of de opslag van de gebruiker)"
    )


def _add_periods(sub) -> None:
    p = sub.add_parser("periods", help="toon de geïmporteerde kwartalen")
    _add_store_option(p)
    p.set_defaults(run=cmd_periods)


def _add_show(sub) -> None:
    p = sub.add_parser("show", help="toon de cijfers van een gemeente, regio of Nederland")
    p.add_argument("area", metavar="GEBIED", help="gemeente, arbeidsmarktregio of Nederland")
    p.add_argument("--period", help="kwartaal, bv. 2021-Q1 (standaard: het laatste)")
    _add_store_option(p)
    p.set_defaults(run=cmd_show)


# ---- workbook: the macro workbook with the ribbon tab --------------------------------------


def cmd_workbook_build(args: argparse.Namespace) -> int:
    from .workbook.build import build_workbook

    info = build_workbook(args.output)
    print(f"{info.path}: {len(info.sheets)} bladen, VBA-modules {', '.join(info.modules)}")
    return EXIT_OK


def _add_workbook(sub) -> None:
    p = sub.add_parser("workbook", help="de macrowerkmap Klantprofielen.xlsm (lint, VBA, xlwings)")
    actions = p.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help="bouw de macrowerkmap opnieuw uit de bronbestanden")
    build.add_argument("-o", "--output", type=Path, default=Path("workbook/Klantprofielen.xlsm"), metavar="PAD.xlsm")
    build.set_defaults(run=cmd_workbook_build)


# ---- main ----------------------------------------------------------------------------------

COMMANDS: list[Callable] = [_add_extract, _add_sample, _add_import, _add_periods, _add_show, _add_workbook]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xlkp", description="UWV 'Transparantie van klantprofielen' naar Excel."
    )
    parser.add_argument("--version", action="version", version=f"xlkp {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as error:
        _fail(str(error))
        return EXIT_BAD_INPUT
    except (StoreError, LockError) as error:
        _fail(str(error))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _fail("afgebroken")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
