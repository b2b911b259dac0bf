"""Writing VBA projects (vbaProject.bin) from module source, without Excel."""

from .cfb import write_compound_file
from .compression import compress, decompress
from .project import (
    DEFAULT_REFERENCES,
    MSFORMS_REFERENCE,
    OFFICE_REFERENCE,
    STDOLE_REFERENCE,
    ControlReference,
    Module,
    ModuleKind,
    ProjectInfo,
    Reference,
    RegisteredReference,
    build_dir_stream,
    build_vba_project,
)
from .xlwings_modules import XLWINGS_VERSION, dictionary_class, xlwings_module, xlwings_modules

__all__ = [
    "DEFAULT_REFERENCES",
    "MSFORMS_REFERENCE",
    "OFFICE_REFERENCE",
    "STDOLE_REFERENCE",
    "XLWINGS_VERSION",
    "ControlReference",
    "Module",
    "ModuleKind",
    "ProjectInfo",
    "Reference",
    "RegisteredReference",
    "build_dir_stream",
    "build_vba_project",
    "compress",
    "decompress",
    "dictionary_class",
    "write_compound_file",
    "xlwings_module",
    "xlwings_modules",
]
