"""Where the history store lives when Excel asks: env XLKP_STORE, the workbook's xlwings.conf, or the default.

A workbook travels (someone mails it to you), so its `XLKP_STORE` setting may only point inside
the workbook's own folder or at the default store: never `..`, another drive, a share, a
variable or a home folder, which would let the workbook point your functions at any file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..store import STORE_ENV, StoreError, default_store_path


def configured_store(config: dict, workbook_path: str | None = None) -> Path | None:
    """The XLKP_STORE entry of an xlwings.conf sheet (key in any case), relative to the workbook.

    Raises StoreError naming the setting when it points outside the workbook's folder."""
    value = next(
        (str(v) for k, v in config.items() if str(k).strip().upper() == STORE_ENV and v), None
    )
    if not value or not value.strip():
        return None
    text = value.strip()

    def refused(why: str) -> StoreError:
        return StoreError(
            f"xlwings.conf, {STORE_ENV} '{text}': {why}; kies een bestand in de map van de werkmap"
        )

    if any(c in text for c in "$%") or any(part.startswith("~") for part in re.split(r"[\\/]", text)):
        raise refused("variabelen en ~ zijn niet toegestaan")
    if PureWindowsPath(text).anchor or PurePosixPath(text).is_absolute():
        path = Path(text)
        if _same_file(path, default_store_path()):
            return default_store_path()
        if workbook_path and _inside(path, Path(workbook_path).parent):
            return path
        raise refused("ligt buiten de map van de werkmap")
    parts = [p for p in re.split(r"[\\/]", text) if p not in ("", ".")]
    if ".." in parts:
        raise refused("'..' is niet toegestaan")
    if not parts:
        raise refused("geen bestandsnaam")
    if not workbook_path:
        raise refused("de werkmap is nog niet opgeslagen")
    folder = Path(workbook_path).parent
    path = folder.joinpath(*parts)
    if not _inside(path, folder):  # a symlinked folder leading elsewhere
        raise refused("ligt buiten de map van de werkmap")
    return path


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def store_path_for_book(book=None) -> Path:
    """Env XLKP_STORE, else the `XLKP_STORE` row of the book's xlwings.conf sheet, else the default.

    Meant for code that has the workbook in hand (the ribbon's import), so that the import and
    the worksheet functions of that workbook agree on one store. Raises StoreError for a
    setting that points outside the workbook's folder.
    """
    if os.environ.get(STORE_ENV, "").strip():
        return default_store_path()
    if book is not None:
        from xlwings.utils import read_config_sheet

        try:
            fullname = book.fullname
        except Exception:  # a book without a file yet
            fullname = None
        if fullname and not Path(fullname).is_absolute():
            fullname = None  # the remote engine knows only the name: no folder to be inside
        configured = configured_store(read_config_sheet(book), fullname)
        if configured is not None:
            return configured
    return default_store_path()
