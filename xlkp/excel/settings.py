"""Where the history store lives when Excel asks: env XLKP_STORE, the workbook's xlwings.conf, or the default."""

from __future__ import annotations

import os
from pathlib import Path

from ..store import STORE_ENV, default_store_path


def configured_store(config: dict, workbook_path: str | None = None) -> Path | None:
    """The XLKP_STORE entry of an xlwings.conf sheet (key in any case); relative to the workbook."""
    value = next(
        (str(v) for k, v in config.items() if str(k).strip().upper() == STORE_ENV and v), None
    )
    if not value or not value.strip():
        return None
    path = Path(os.path.expandvars(value.strip())).expanduser()
    if not path.is_absolute() and workbook_path:
        path = Path(workbook_path).parent / path
    return path


def store_path_for_book(book=None) -> Path:
    """Env XLKP_STORE, else the `XLKP_STORE` row of the book's xlwings.conf sheet, else the default.

    Meant for code that has the workbook in hand (the ribbon's import), so that the import and
    the worksheet functions of that workbook agree on one store.
    """
    if os.environ.get(STORE_ENV, "").strip():
        return default_store_path()
    if book is not None:
        from xlwings.utils import read_config_sheet

        try:
            fullname = book.fullname
        except Exception:  # a book without a file yet
            fullname = None
        configured = configured_store(read_config_sheet(book), fullname)
        if configured is not None:
            return configured
    return default_store_path()
