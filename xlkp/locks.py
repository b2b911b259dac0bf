"""One writer at a time per workbook and per store: a lock file beside each, held by `filelock`.

An import holds its workbook's lock, then the store's (always in that order, so two imports
cannot wait for each other) across the whole read-check-write-rename. A second import waits,
says so once, and gives up after `XLKP_LOCK_TIMEOUT` seconds (default 120) with one line.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import XlkpError

TIMEOUT_ENV = "XLKP_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 120.0


class LockError(XlkpError):
    """Another import held the lock too long, or no lock file can be made; one line for the user."""


def lock_path(path: Path) -> Path:
    """The lock file beside `path`: hidden, and named after it."""
    return path.with_name(f".{path.name}.xlkp-lock")


def timeout_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(TIMEOUT_ENV, "")))
    except ValueError:
        return DEFAULT_TIMEOUT


@contextlib.contextmanager
def holding(
    path: Path, what: str, on_wait: Callable[[str], None] | None = None, *, required: bool = True
) -> Iterator[None]:
    """Hold the lock of `path` (a workbook or store, `what` says which, in Dutch) for the block.

    Not `required`: where no lock file can be made (a read-only folder), go on without one.

    In Pyodide (xlwings Lite) there is one process and no file locking: nothing to hold."""
    if sys.platform == "emscripten":
        yield
        return
    from filelock import FileLock, Timeout

    lock = FileLock(lock_path(path))
    timeout = timeout_seconds()
    acquired = False
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if on_wait is not None:
                on_wait(f"{path}: wacht tot een andere import van deze {what} klaar is...")
            lock.acquire(timeout=timeout)
        acquired = True
    except Timeout:
        raise LockError(
            f"{path}: een andere import van deze {what} is na {timeout:g} seconden nog bezig; "
            "probeer het later opnieuw"
        ) from None
    except OSError as error:
        if required:
            reason = error.strerror or type(error).__name__
            raise LockError(f"{path}: kan de {what} niet vergrendelen ({reason})") from None
    try:
        yield
    finally:
        if acquired:
            lock.release()
