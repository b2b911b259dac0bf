"""What the VBA tests compare with: xlwings' own quickstart_standalone.xlsm, and oletools' reading."""

from __future__ import annotations

import zipfile
from pathlib import Path

import olefile
import xlwings
from oletools.olevba import VBA_Parser

REFERENCE_XLSM = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
# Source offsets (MODULEOFFSET) of the reference's module streams: Excel put a p-code cache first.
REFERENCE_SOURCE_OFFSETS = {
    "ThisWorkbook": 0x333,
    "Sheet1": 0x333,
    "Sheet2": 0x333,
    "Module1": 0x45F,
    "xlwings": 0,
    "Dictionary": 0x48E9,
}


def open_reference() -> olefile.OleFileIO:
    with zipfile.ZipFile(REFERENCE_XLSM) as xlsm:
        return olefile.OleFileIO(xlsm.read("xl/vbaProject.bin"))


def read_vba_modules(vba_bin: bytes) -> dict[str, str]:
    """Module name -> source, as oletools' olevba extracts them."""
    parser = VBA_Parser("vbaProject.bin", data=vba_bin)
    try:
        return {Path(stream).name: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()
