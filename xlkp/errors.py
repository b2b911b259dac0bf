"""One base for every failure xlkp tells the user about: one Dutch line, and the CLI's exit code.

The classes live where they are raised (InputError with the records, StoreError with the store,
...); the CLI, the macros and the worksheet functions catch `XlkpError` and show `str(error)`.
"""

from __future__ import annotations

EXIT_BAD_INPUT = 2


class XlkpError(Exception):
    """A failure with a message for the user: `str(error)` is one Dutch line."""

    exit_code = EXIT_BAD_INPUT
