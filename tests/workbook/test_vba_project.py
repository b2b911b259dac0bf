"""The VBA project writer against xlwings' quickstart_standalone.xlsm, which Excel wrote."""

import struct

import olefile
import pytest
import xlwings

from tests.workbook.vba_reference import REFERENCE_SOURCE_OFFSETS, read_vba_modules
from xlkp.workbook.vba import (
    DEFAULT_REFERENCES,
    XLWINGS_VERSION,
    Module,
    ProjectInfo,
    build_dir_stream,
    build_vba_project,
    decompress,
    dictionary_class,
    xlwings_module,
    xlwings_modules,
)
from xlkp.workbook.vba.project import (
    VERSION_INDEPENDENT_VBA_PROJECT,
    build_project_stream,
    build_projectwm_stream,
    encrypt_project_value,
)

REFERENCE_PROJECT_ID = "{5CF9CDAB-B77B-4FE4-BD7E-D29900070E1B}"
MODULE_COOKIE, PROJECT_COOKIE, MODULE_OFFSET = 0x002C, 0x0013, 0x0031


def reference_modules() -> list[Module]:
    """The reference's modules, in its order, built from our own sources."""
    module1 = (
        "Sub SampleCall()\n"
        '    mymodule = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))\n'
        '    RunPython "import " & mymodule & ";" & mymodule & ".main()"\n'
        "End Sub\n\n"
    )
    return [
        Module("ThisWorkbook", "", kind="document"),
        Module("Sheet1", "", kind="document"),
        Module("Module1", module1),
        Module("Sheet2", "", kind="document"),
        xlwings_module(),
        dictionary_class(),
    ]


def dir_records(data: bytes) -> list[tuple[int, bytes]]:
    records, pos = [], 0
    while pos < len(data):
        record_id, size = struct.unpack_from("<HI", data, pos)
        if record_id == 0x0009:  # PROJECTVERSION: "size" is reserved, 6 bytes follow
            size = 6
        records.append((record_id, data[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    return records


def test_modules_read_back_with_oletools_and_olefile() -> None:
    modules = [
        Module(
            "ThisWorkbook", "Private Sub Workbook_Open()\n    KP_Start\nEnd Sub\n", kind="document"
        ),
        Module("Sheet1", "", kind="document"),
        Module(
            "KlantProfielen", 'Sub KP_Start()\n    MsgBox "Gemeente: Súdwest-Fryslân"\nEnd Sub\n'
        ),
        Module(
            "Teller", "Private n As Long\nPublic Sub Tel()\n    n = n + 1\nEnd Sub\n", kind="class"
        ),
        *xlwings_modules(),
    ]
    vba_bin = build_vba_project(modules)
    assert read_vba_modules(vba_bin) == {m.name: m.source for m in modules}

    ole = olefile.OleFileIO(vba_bin, raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("VBA/_VBA_PROJECT").read() == VERSION_INDEPENDENT_VBA_PROJECT
    for module in modules:
        source = decompress(ole.openstream(f"VBA/{module.name}").read())  # MODULEOFFSET 0
        assert source == module.source.encode("cp1252")
        assert "\r\n" in module.source and "\n" not in module.source.replace("\r\n", "")
    project = ole.openstream("PROJECT").read().decode("cp1252")
    assert "Document=ThisWorkbook/&H00000000\r\n" in project
    assert "Module=KlantProfielen\r\n" in project and "Class=Teller\r\n" in project


def test_version_independent_vba_project_stream(reference: olefile.OleFileIO) -> None:
    assert reference.openstream("VBA/_VBA_PROJECT").read() == VERSION_INDEPENDENT_VBA_PROJECT
    reserved1, version = struct.unpack_from("<HH", VERSION_INDEPENDENT_VBA_PROJECT)
    assert (reserved1, version, len(VERSION_INDEPENDENT_VBA_PROJECT)) == (0x61CC, 0xFFFF, 7)


def test_dir_stream_matches_reference_record_for_record(reference: olefile.OleFileIO) -> None:
    expected = dir_records(decompress(reference.openstream("VBA/dir").read()))
    ours = dir_records(build_dir_stream(reference_modules(), ProjectInfo(), DEFAULT_REFERENCES))
    assert [record_id for record_id, _ in ours] == [record_id for record_id, _ in expected]
    for (record_id, our_data), (_, their_data) in zip(ours, expected, strict=True):
        if record_id in (MODULE_COOKIE, PROJECT_COOKIE):
            # "MUST be ignored on read, MUST be 0xFFFF on write"; Excel writes other values.
            assert our_data == b"\xff\xff"
        elif record_id == MODULE_OFFSET:
            # The reference keeps p-code caches before the source; we store source only.
            assert our_data == b"\x00\x00\x00\x00"
        else:
            assert our_data == their_data, hex(record_id)


def test_module_sources_match_reference(reference: olefile.OleFileIO) -> None:
    offsets = {
        struct.unpack("<I", data)[0]
        for record_id, data in dir_records(decompress(reference.openstream("VBA/dir").read()))
        if record_id == MODULE_OFFSET
    }
    assert offsets == {0, 0x333, 0x45F, 0x48E9}
    for module in reference_modules():
        theirs = decompress(
            reference.openstream(f"VBA/{module.name}").read()[REFERENCE_SOURCE_OFFSETS[module.name] :]
        ).decode("cp1252")
        if module.name == "xlwings":
            theirs = theirs.replace("\n", "\r\n")  # the reference stores this one with bare LF
        if module.name == "Dictionary":
            # The VBA editor re-cased this identifier in the reference.
            theirs = theirs.replace("err.", "Err.")
        assert module.source == theirs, module.name


def test_project_and_projectwm_streams_match_reference(reference: olefile.OleFileIO) -> None:
    modules = reference_modules()
    ours = build_project_stream(modules, ProjectInfo(), REFERENCE_PROJECT_ID).decode("cp1252")
    theirs = reference.openstream("PROJECT").read().decode("cp1252")
    # Only the remembered editor window positions differ.
    theirs = theirs.replace("Module1=280, 53, 1143, 563, Z", "Module1=0, 0, 0, 0, C")
    theirs = theirs.replace("xlwings=147, 147, 1607, 965, C", "xlwings=0, 0, 0, 0, C")
    assert ours == theirs
    assert (
        build_projectwm_stream(modules, ProjectInfo()) == reference.openstream("PROJECTwm").read()
    )


def test_protection_values_are_valid_for_any_project_id() -> None:
    assert (
        encrypt_project_value(b"\x00\x00\x00\x00", REFERENCE_PROJECT_ID)
        == "8D8FA61394EA98EA98EA98EA98"
    )
    project_id = "{01234567-89AB-CDEF-0123-456789ABCDEF}"
    encrypted = bytes.fromhex(encrypt_project_value(b"\xff", project_id))
    assert encrypted[2] ^ encrypted[0] == sum(project_id.encode()) & 0xFF  # project key


def test_exported_files_round_trip() -> None:
    for module in reference_modules():
        assert Module.from_exported(module.source, kind=module.kind).source == module.source
    dictionary = dictionary_class()
    assert dictionary.kind == "class" and "VERSION 1.0 CLASS" not in dictionary.source
    assert dictionary.description.startswith(
        "Drop-in replacement for Scripting.Dictionary on Mac\r\n"
    )


def test_xlwings_module_matches_installed_version() -> None:
    assert xlwings.__version__ == XLWINGS_VERSION
    source = xlwings_module().source
    assert f'Public Const XLWINGS_VERSION As String = "{XLWINGS_VERSION}"' in source
    assert '#Const App = "Microsoft Excel"' in source
    assert "Copyright (C) 2014-present, Zoomer Analytics LLC." in source


def test_project_needs_thisworkbook_and_unique_names() -> None:
    with pytest.raises(ValueError, match="ThisWorkbook"):
        build_vba_project([Module("Module1", "")])
    with pytest.raises(ValueError, match="duplicate"):
        build_vba_project(
            [Module("ThisWorkbook", "", kind="document"), Module("A", ""), Module("a", "")]
        )


def test_build_is_deterministic() -> None:
    modules = reference_modules()
    assert build_vba_project(modules) == build_vba_project(modules)
