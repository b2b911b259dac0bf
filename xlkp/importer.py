"""The import job on the command line: read every file, plan the import against the workbook
file's own data (`xlkp.plan`), write the file with openpyxl, rename, record the store.

Nothing is written until every file has been read and checked; the workbook is written to a
temporary file beside the target and renamed over it only when complete. One import at a time
per workbook and store (`xlkp.locks`); a quarter is never replaced by a smaller one unless the
user says so; workbook and store agree after a crash at any point (see `import_publications`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .counts import counted
from .errors import XlkpError
from .files import previous_version, remove_leftover_temporaries, replacing, sha256_of
from .model import Finding, InputError, Publication, Section
from .parse import read_publication
from .plan import (
    BookContents,
    Shrink,
    findings_of,
    periods_of,
    plan_import,
    shrinking,
    shrinking_quarters,
)

SUFFIXES = (".xlsx", ".xlsm")


class TargetError(XlkpError):
    """The target cannot be written; the message is one line for the user."""


@dataclass
class ImportResult:
    output: Path
    periods: list[str]
    regions: int
    municipalities: int
    findings: list[Finding]
    new_periods: list[str] = field(default_factory=list)
    store: Path | None = None  # the history store written, if any
    sample_periods: list[str] = field(default_factory=list)  # new quarters read from a sample

    def summary(self) -> str:
        parts = [
            f"{counted(len(self.periods), 'kwartaal', 'kwartalen')} ({', '.join(self.periods)})",
            counted(self.regions, "regio", "regio's"),
            counted(self.municipalities, "gemeente", "gemeenten"),
            counted(len(self.findings), "bevinding", "bevindingen"),
        ]
        return f"{self.output}: {', '.join(parts)}"


class Progress(Protocol):
    """Told of each page read and each sheet written. The CLI shows a bar."""

    def start(self, total: int) -> None: ...

    def grow(self, steps: int) -> None:
        """More steps than `start` knew of: a PDF's pages, once it is open."""

    def advance(self, steps: int = 1, what: str = "") -> None: ...

    def close(self) -> None: ...


class NoProgress:
    """The `Progress` of a caller that shows none."""

    def start(self, total: int) -> None:
        pass

    def grow(self, steps: int) -> None:
        pass

    def advance(self, steps: int = 1, what: str = "") -> None:
        pass

    def close(self) -> None:
        pass


def lock_file(target: Path) -> Path | None:
    """Excel's owner file (~$name) beside `target`, when the workbook is open in Excel."""
    for name in (f"~${target.name}", f"~${target.name[2:]}"):
        candidate = target.with_name(name)
        if candidate.exists():
            return candidate
    return None


class BadInputs(InputError):
    """Files that could not be read: every one of them, each one line (the first is `source`)."""

    def __init__(self, errors: list[InputError]):
        Exception.__init__(self, "\n".join(str(e) for e in errors))
        self.source, self.reason = errors[0].source, errors[0].reason
        self.errors = errors


class ShrinkRefused(TargetError):
    """The import would replace a quarter with one holding fewer regions or municipalities."""

    def __init__(self, message: str, shrinking: list[Shrink]):
        super().__init__(message)
        self.shrinking = shrinking


def refuse_shrinking(where: Path | str, found: list[Shrink]) -> None:
    if found:
        raise ShrinkRefused(
            f"{where}: {'; '.join(f.describe() for f in found)}; niets gewijzigd "
            "(gebruik --replace om toch te vervangen)",
            found,
        )


def read_files(
    files: Sequence[str | Path], engine: str = "pdfium", progress: Progress | None = None
) -> list[Publication]:
    """Read every file; raise BadInputs naming each one that cannot be read."""
    progress = progress or NoProgress()

    def on_page(name: str):
        def page_read(page: int, pages: int) -> None:
            if page == 1:
                progress.grow(pages)
            progress.advance(1, name)

        return page_read

    publications: list[Publication] = []
    errors: list[InputError] = []
    for path in map(Path, files):
        try:
            publications.append(read_publication(path, engine, on_page=on_page(path.name)))
        except InputError as error:
            errors.append(error)
    if errors:
        raise BadInputs(errors)
    return publications


def import_files(
    files: Sequence[str | Path],
    output: str | Path,
    *,
    engine: str = "pdfium",
    use_store: bool = True,
    progress: Progress | None = None,
    replace: bool = False,
    on_wait: Callable[[str], None] | None = None,
    store_path: str | Path | None = None,
) -> ImportResult:
    """Import `files` into the workbook `output` (created or updated), and into the store at
    `store_path` (None: the default store).

    Raises BadInputs, TargetError (ShrinkRefused when a quarter would shrink and not `replace`),
    LockError or StoreError; then nothing has changed."""
    from .report import layout

    progress = progress or NoProgress()
    _check_target(Path(output))
    progress.start(len(layout.SHEETS) + 2)  # merge read, sheets, save; pages are added as read
    # Reading needs no lock: nothing is written until every file has been read.
    publications = read_files(files, engine, progress)
    return import_publications(
        publications, output, use_store=use_store, progress=progress, replace=replace, on_wait=on_wait,
        store_path=store_path,
    )


def import_publications(
    publications: Sequence[Publication],
    output: str | Path,
    *,
    use_store: bool = True,
    progress: Progress | None = None,
    replace: bool = False,
    on_wait: Callable[[str], None] | None = None,
    store_path: str | Path | None = None,
) -> ImportResult:
    """Merge publications already read into the workbook `output` (the second half of an import).

    Holds the workbook's lock and the store's across read-check-write-rename. Order for a crash
    at any moment: the temporary workbook is written and synced; the store *stages* the new
    quarters with that file's hash; the workbook is renamed into place; the store applies the
    staged quarters. The next run (`recover`) applies or drops what a dead run staged."""
    from .locks import holding
    from .report import openpyxl_writer
    from .store import Store, default_store_path

    progress = progress or NoProgress()
    target = _check_target(Path(output))
    new_periods = periods_of(publications)
    store_file = Path(store_path) if store_path is not None else default_store_path()

    with contextlib.ExitStack() as held:
        held.enter_context(_without_cycle_collection())
        held.enter_context(holding(target, "werkmap", on_wait))
        store = None
        if use_store:
            held.enter_context(holding(store_file, "opslag", on_wait))
            store = held.enter_context(Store.open(store_file))
            recover(store)
        remove_leftover_temporaries(target)
        target = _check_target(target)  # again: it may have changed while we waited

        existing = BookContents()
        base_book, last_write = None, None
        if target.exists():
            try:
                base_book, contents, last_write = openpyxl_writer.load_for_update(target)  # read once, written into below
                existing = BookContents(*contents, findings=last_write.findings if last_write else None)
            except Exception as error:  # not a workbook openpyxl can read: say so, change nothing
                raise TargetError(f"{target}: bestaande werkmap niet te lezen ({type(error).__name__})") from None
        progress.advance(1, "werkmap gelezen")
        plan = plan_import(
            existing, publications, replace=replace,
            stored=store_sections(store, new_periods) if store is not None and not replace else (),
            stored_labels=store.labels() if store is not None else None,
        )
        refuse_shrinking(target, plan.refused)
        assert plan.layout is not None and plan.store is not None  # planned: nothing was refused
        changes = plan.store

        staged = None
        previous = held.enter_context(previous_version(target))
        try:
            with replacing(target, before_rename=lambda: _refuse_if_open(target)) as temporary:
                try:
                    openpyxl_writer.write_workbook(
                        plan.layout,
                        temporary,
                        base=target if base_book is not None else None,
                        progress=lambda name: progress.advance(1, name),
                        base_book=base_book,
                        previous=last_write,
                    )
                except OSError as error:
                    raise TargetError(f"{target}: werkmap niet te schrijven ({_reason(error)})") from None
                if store is not None:
                    staged = store.stage(
                        str(target.resolve()), sha256_of(temporary), changes.sections,
                        changes.findings, changes.source, changes.national,
                    )
                fault_point("before-rename")
        except BaseException:
            if store is not None and staged is not None:
                with contextlib.suppress(Exception):  # else the next run drops it: the hash differs
                    store.drop_staged(staged)
            raise
        fault_point("after-rename")
        if store is not None:
            try:
                store.apply_staged(staged)
            except BaseException:
                # The store refused its half (a full disk): put the workbook back, so the
                # failed import changes nothing. Its staged half no longer matches the
                # workbook, so the next run drops it if this cannot.
                previous()
                with contextlib.suppress(Exception):
                    store.drop_staged(staged)
                raise
    progress.advance(1, "opgeslagen")
    return ImportResult(
        output=target,
        periods=plan.periods,
        regions=plan.regions,
        municipalities=plan.municipalities,
        findings=plan.findings,
        new_periods=plan.new_periods,
        store=store_file if use_store else None,
        sample_periods=plan.sample_periods,
    )


def store_sections(store, periods: Iterable[str]) -> list[Section]:
    return [s for period in periods for s in store.sections(period)]


def recover(store) -> list[str]:
    """Finish or undo the imports a killed run left staged in `store` (hold the store's lock).

    A staged import whose workbook now has the staged content was renamed into place: apply
    it. Otherwise the rename never happened: drop it. Returns the workbooks repaired."""
    repaired = []
    for staged_id, workbook, digest in store.staged():
        try:
            renamed = sha256_of(Path(workbook)) == digest
        except OSError:
            renamed = False
        if renamed:
            store.apply_staged(staged_id)
            repaired.append(workbook)
        else:
            store.drop_staged(staged_id)
    return repaired


FAULT_ENV = "XLKP_FAULT"


def fault_point(name: str) -> None:
    """Tests kill the process at a named point of an import (the environment names it)."""
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "schijf vol"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "geen schrijfrechten"
    return error.strerror or str(error) or type(error).__name__


def _refuse_if_open(target: Path) -> None:
    if lock_file(target):
        raise TargetError(f"{target}: de werkmap is geopend in Excel; sluit hem en probeer opnieuw")


@contextlib.contextmanager
def _without_cycle_collection():
    """Python's cycle collector off while openpyxl reads and writes the workbook.

    openpyxl makes several objects per cell, and the collector walks all of them again each
    time enough new ones were made: a third of an import into a workbook with a long history
    (benchmarks/import.py), for garbage that the one collection at the end finds as well.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()


def _check_target(target: Path) -> Path:
    """The workbook to write: absent, or a regular file; a symlink is followed to its target."""
    if target.suffix.lower() not in SUFFIXES:
        raise TargetError(f"{target}: kies een werkmap met .xlsx of .xlsm als extensie")
    if target.is_symlink():
        resolved = target.resolve()
        if not resolved.exists():
            raise TargetError(f"{target}: verwijzing naar een bestand dat niet bestaat ({resolved})")
        target = resolved
    _refuse_if_open(target)
    if not target.parent.is_dir():
        raise TargetError(f"{target}: de map {target.parent} bestaat niet")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as error:
        raise TargetError(f"{target}: niet te lezen ({_reason(error)})") from None
    if not stat.S_ISREG(mode):
        raise TargetError(f"{target}: geen gewoon bestand; kies een werkmap (.xlsx of .xlsm)")
    return target


__all__ = [
    "BadInputs", "ImportResult", "InputError", "NoProgress", "Progress", "Shrink", "ShrinkRefused", "TargetError",
    "findings_of", "import_files", "import_publications", "lock_file", "read_files", "recover", "shrinking",
    "shrinking_quarters",
]
