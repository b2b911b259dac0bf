"""xlwings' standalone VBA modules, read from the installed xlwings so versions always match.

quickstart_standalone.xlsm is made of `xlwings.bas` (module "xlwings", which already carries the
standalone `#Const App = "Microsoft Excel"` line) and `addin/Dictionary.cls` (class "Dictionary"),
both kept whole, licence headers included.
"""

from __future__ import annotations

from pathlib import Path

import xlwings

from .project import Module

XLWINGS_VERSION: str = xlwings.__version__
XLWINGS_DIR = Path(xlwings.__file__).parent


def _read(path: Path) -> str:
    # Exported VBA files are in the ANSI code page of the VBA project.
    return path.read_bytes().decode("cp1252")


def xlwings_module() -> Module:
    """The standalone xlwings module (RunPython, UDF plumbing), named "xlwings"."""
    module = Module.from_exported(_read(XLWINGS_DIR / "xlwings.bas"))
    if module.name != "xlwings":
        raise RuntimeError(f"unexpected VB_Name {module.name!r} in xlwings.bas")
    return module


def dictionary_class() -> Module:
    """Tim Hall's Dictionary class that xlwings uses on macOS, named "Dictionary"."""
    return Module.from_exported(_read(XLWINGS_DIR / "addin" / "Dictionary.cls"), kind="class")


def xlwings_modules() -> list[Module]:
    return [xlwings_module(), dictionary_class()]
