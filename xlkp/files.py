"""Writing a file all or nothing: to a temporary name beside it, then one rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; when the block ends without an error, it
    replaces `target` in one rename. On an error `target` is untouched and the temporary
    file is gone. The new file gets the old one's mode, or a new file's usual mode."""
    handle, name = tempfile.mkstemp(prefix=".~xlkp-", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        # mkstemp makes the file private; a workbook is shared like any other document.
        os.chmod(temporary, target.stat().st_mode if target.exists() else 0o666 & ~_umask())
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
