"""Helpers of the reliability tests."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl

from xlkp.report import layout as L

QUARTERS = ("2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4")
REGIONS = 3  # small publications: the tests are about files, not about reading


def xlkp(*args: str | Path, store: Path | None = None, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    """`xlkp ...` in its own process, as a user runs it."""
    environment = {**os.environ, **env}
    if store is not None:
        environment["XLKP_STORE"] = str(store)
    return subprocess.run(
        [sys.executable, "-m", "xlkp.cli", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=environment,
    )


def workbook_periods(path: Path) -> list[str]:
    """The quarters on the workbook's data sheet (opening it is part of the check)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = book[L.DATA].iter_rows(min_row=2, values_only=True)
        return sorted({row[0] for row in rows if row and row[0]})
    finally:
        book.close()


def store_periods(path: Path) -> list[str]:
    """The quarters in the store, after SQLite's own integrity check says it is whole."""
    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [p for (p,) in db.execute("SELECT DISTINCT period FROM sections ORDER BY period")]
    finally:
        db.close()


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


@contextlib.contextmanager
def mounted(folder: Path, size: str = "1m") -> Iterator[bool]:
    """A small tmpfs at `folder` when this machine allows mounting; yields whether it did."""
    folder.mkdir(exist_ok=True)
    done = sys.platform.startswith("linux") and _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    try:
        yield done
    finally:
        if done:
            _run("umount", "-l", str(folder))


def remount_read_only(folder: Path) -> None:
    assert _run("mount", "-o", "remount,ro", str(folder))
