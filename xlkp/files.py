"""Writing a file all or nothing: to a temporary name beside it, synced, then one rename."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

_TEMPORARY_PREFIX = ".~xlkp-"


@contextlib.contextmanager
def replacing(target: Path, before_rename: Callable[[], None] | None = None) -> Iterator[Path]:
    """Yield a temporary path beside `target`; when the block ends without an error, the file
    is synced to disk, `before_rename()` may still refuse, and it replaces `target` in one
    rename, which is synced too. On an error `target` is untouched and the temporary file is
    gone. The new file gets the old one's mode, or a new file's usual mode."""
    # The name carries the target's, so a later run can tell its own leftovers (a killed run
    # cannot clean up) from another workbook's temporary file in the same folder.
    handle, name = tempfile.mkstemp(
        prefix=f"{_TEMPORARY_PREFIX}{target.name}.", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    temporary = Path(name)
    try:
        # mkstemp makes the file private; a workbook is shared like any other document.
        os.chmod(temporary, target.stat().st_mode if target.exists() else 0o666 & ~_umask())
        yield temporary
        sync_file(temporary)
        if before_rename is not None:
            before_rename()
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    # The rename is done: a failing sync must not make the caller think it was not.
    with contextlib.suppress(OSError):
        sync_folder(target.parent)


@contextlib.contextmanager
def previous_version(target: Path) -> Iterator[Callable[[], None]]:
    """Keep `target`'s present content under a temporary name (a hard link, else a copy) for
    the block; yields a function that puts it back (or removes a `target` that was new).

    For the one step after a rename that can still fail: the caller then undoes the rename."""
    backup: Path | None = None
    if target.exists():
        handle, name = tempfile.mkstemp(
            prefix=f"{_TEMPORARY_PREFIX}{target.name}.", suffix=target.suffix, dir=target.parent
        )
        os.close(handle)
        backup = Path(name)
        try:
            os.replace(_linked(target, backup), backup)
        except BaseException:
            backup.unlink(missing_ok=True)
            raise

    def restore() -> None:
        if backup is None:
            target.unlink(missing_ok=True)
        else:
            os.replace(backup, target)
        with contextlib.suppress(OSError):
            sync_folder(target.parent)

    try:
        yield restore
    finally:
        if backup is not None:
            backup.unlink(missing_ok=True)


def _linked(target: Path, beside: Path) -> Path:
    """A second name for `target`'s content next to `beside`: a hard link costs no space."""
    name = beside.with_name(beside.name + ".link")
    try:
        os.link(target, name)
    except OSError:
        shutil.copy2(target, name)
    return name


def leftover_temporaries(target: Path) -> list[Path]:
    """Temporary files of earlier runs for `target` that died before their rename.

    Only call this while holding the target's lock: then no live run is writing one."""
    pattern = re.compile(
        re.escape(f"{_TEMPORARY_PREFIX}{target.name}.") + r"[A-Za-z0-9_]{8}" + re.escape(target.suffix)
        + r"(\.link)?"
    )
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    return [target.parent / n for n in names if pattern.fullmatch(n)]


def remove_leftover_temporaries(target: Path) -> None:
    for path in leftover_temporaries(target):
        with contextlib.suppress(OSError):
            path.unlink()


def sync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Make a rename durable. Windows cannot open a folder, and NTFS journals renames itself."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def sha256_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
