"""Building a version-independent VBA project (vbaProject.bin) from module source text, per [MS-OVBA].

The project carries source only: `_VBA_PROJECT` is the 7-byte version-independent stream and
module streams hold no p-code cache, so the VBA editor compiles from source when Excel opens
the file. The layout mirrors xlwings' quickstart_standalone.xlsm, which Excel writes and opens.
"""

from __future__ import annotations

import re
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .cfb import write_compound_file
from .compression import compress

ModuleKind = Literal["standard", "class", "document"]

# reserved1=0x61CC, version=0xFFFF (version-independent), reserved2=0x00, reserved3=0x0001: the
# exact bytes of the reference; the version makes Excel ignore any compiled cache.
VERSION_INDEPENDENT_VBA_PROJECT = b"\xcc\x61\xff\xff\x00\x01\x00"

WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

# Attributes VBA stores right after `Attribute VB_Name`, per kind (values as the reference has them).
_CLASS_ATTRIBUTES = {
    "VB_Base": f'"{CLASS_BASE}"',
    "VB_GlobalNameSpace": "False",
    "VB_Creatable": "False",
    "VB_PredeclaredId": "False",
    "VB_Exposed": "False",
    "VB_TemplateDerived": "False",
    "VB_Customizable": "False",
}
_DOCUMENT_ATTRIBUTES = {
    "VB_Base": f'"{WORKSHEET_BASE}"',
    "VB_GlobalNameSpace": "False",
    "VB_Creatable": "False",
    "VB_PredeclaredId": "True",
    "VB_Exposed": "True",
    "VB_TemplateDerived": "False",
    "VB_Customizable": "True",
}

_ATTRIBUTE_LINE = re.compile(r"^Attribute\s+(\w+)\s*=\s*(.*?)\s*$")


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


@dataclass(frozen=True)
class Module:
    """One VBA module. `code` is the text after the `Attribute` header; `name` is the codeName.

    `attributes` are extra or overriding header attributes, e.g. ("VB_Description", '"..."').
    `docstring` defaults to the VB_Description attribute, as the VBA editor does.
    """

    name: str
    code: str
    kind: ModuleKind = "standard"
    attributes: tuple[tuple[str, str], ...] = ()
    docstring: str | None = None

    @classmethod
    def from_exported(cls, text: str, kind: ModuleKind = "standard") -> Module:
        """A module from an exported .bas/.cls/document file (header block and attributes parsed)."""
        lines = _crlf(text).split("\r\n")
        if lines and lines[0].startswith("VERSION "):  # .cls/.frm export header: not stored
            end = lines.index("END")
            lines = lines[end + 1 :]
        attributes: list[tuple[str, str]] = []
        while lines and (match := _ATTRIBUTE_LINE.match(lines[0])):
            attributes.append((match[1], match[2]))
            lines.pop(0)
        names = [value for key, value in attributes if key == "VB_Name"]
        if not names:
            raise ValueError("exported module has no `Attribute VB_Name` line")
        return cls(
            name=names[0].strip('"'),
            code="\r\n".join(lines),
            kind=kind,
            attributes=tuple((k, v) for k, v in attributes if k != "VB_Name"),
        )

    def header_attributes(self) -> list[tuple[str, str]]:
        if self.kind == "standard":
            defaults: dict[str, str] = {}
        elif self.kind == "class":
            defaults = dict(_CLASS_ATTRIBUTES)
        else:
            defaults = dict(_DOCUMENT_ATTRIBUTES)
            if self.name == "ThisWorkbook":
                defaults["VB_Base"] = f'"{WORKBOOK_BASE}"'
        extra = dict(self.attributes)
        merged = [(key, extra.pop(key, value)) for key, value in defaults.items()]
        return [("VB_Name", f'"{self.name}"'), *merged, *extra.items()]

    @property
    def source(self) -> str:
        """The text of the module stream: attribute header and code, CRLF line ends."""
        header = "".join(
            f"Attribute {key} = {value}\r\n" for key, value in self.header_attributes()
        )
        return header + _crlf(self.code)

    @property
    def description(self) -> str:
        if self.docstring is not None:
            return self.docstring
        value = dict(self.attributes).get("VB_Description", "")
        # Stored with real line breaks where the attribute spells them \r\n (as the reference does).
        return value.strip('"').replace("\\r\\n", "\r\n")


@dataclass(frozen=True)
class RegisteredReference:
    """REFERENCEREGISTERED: a type library known to the registry (e.g. Office, stdole)."""

    name: str
    libid: str


@dataclass(frozen=True)
class ControlReference:
    """REFERENCEORIGINAL + REFERENCECONTROL: an ActiveX control library (e.g. MSForms)."""

    name: str
    libid_original: str | None
    libid_twiddled: str
    libid_extended: str
    original_typelib: str  # GUID, "{...}"
    cookie: int


Reference = RegisteredReference | ControlReference

# The references of xlwings' quickstart_standalone.xlsm, byte for byte.
MSFORMS_REFERENCE = ControlReference(
    name="MSForms",
    libid_original=(
        r"*\G{0D452EE1-E08F-101A-852E-02608C4D0BB4}#2.0#0#C:\Windows\system32\FM20.DLL"
        "#Microsoft Forms 2.0 Object Library"
    ),
    libid_twiddled=r"*\G{00000000-0000-0000-0000-000000000000}#0.0#0##",
    libid_extended=(
        r"*\G{25A06F1F-CB74-4EA9-99E8-704B89FB01D7}#2.0#0#"
        r"C:\Users\felix\AppData\Local\Temp\VBE\MSForms.exd#Microsoft Forms 2.0 Object Library"
    ),
    original_typelib="{0D452EE1-E08F-101A-852E-02608C4D0BB4}",
    cookie=1,
)
OFFICE_REFERENCE = RegisteredReference(
    name="Office",
    libid=(
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files"
        r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library"
    ),
)
STDOLE_REFERENCE = RegisteredReference(
    name="stdole",
    libid=r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb#OLE Automation",
)
DEFAULT_REFERENCES: tuple[Reference, ...] = (MSFORMS_REFERENCE, OFFICE_REFERENCE)


@dataclass(frozen=True)
class ProjectInfo:
    """Project-level dir stream values; defaults are those of the reference project."""

    name: str = "VBAProject"
    docstring: str = ""
    help_file: str = ""
    help_context: int = 0
    constants: str = ""
    sys_kind: int = 3  # 64-bit Windows, as the reference; VBA recompiles on any platform
    lcid: int = 0x0409
    code_page: int = 1252
    version_major: int = 0x68FBFAC5
    version_minor: int = 4


# --- dir stream (MS-OVBA 2.3.4.2) ---------------------------------------------------------------


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


class _Encoder:
    def __init__(self, code_page: int) -> None:
        self.codec = f"cp{code_page}"

    def mbcs(self, text: str) -> bytes:
        return text.encode(self.codec)

    def text_records(self, record_id: int, unicode_id: int, text: str) -> bytes:
        return _record(record_id, self.mbcs(text)) + _record(unicode_id, text.encode("utf-16-le"))


def _sized(data: bytes) -> bytes:
    return struct.pack("<I", len(data)) + data


def _reference_records(reference: Reference, enc: _Encoder) -> bytes:
    out = enc.text_records(0x0016, 0x003E, reference.name)
    if isinstance(reference, RegisteredReference):
        body = _sized(enc.mbcs(reference.libid)) + b"\x00" * 6
        return out + _record(0x000D, body)
    if reference.libid_original is not None:
        out += _record(0x0033, enc.mbcs(reference.libid_original))
    twiddled = _sized(enc.mbcs(reference.libid_twiddled)) + b"\x00" * 6
    extended = (
        _sized(enc.mbcs(reference.libid_extended))
        + b"\x00" * 6
        + uuid.UUID(reference.original_typelib).bytes_le
        + struct.pack("<I", reference.cookie)
    )
    # REFERENCECONTROL: its sizes are "SizeTwiddled" and "SizeExtended", framed like records.
    out += _record(0x002F, twiddled)
    out += enc.text_records(0x0016, 0x003E, reference.name)
    out += _record(0x0030, extended)
    return out


def _module_records(module: Module, enc: _Encoder) -> bytes:
    out = enc.text_records(0x0019, 0x0047, module.name)
    out += enc.text_records(0x001A, 0x0032, module.name)  # stream name
    out += enc.text_records(0x001C, 0x0048, module.description)
    out += _record(0x0031, struct.pack("<I", 0))  # source starts at 0: no p-code cache
    out += _record(0x001E, struct.pack("<I", 0))  # help context
    out += _record(0x002C, struct.pack("<H", 0xFFFF))  # cookie: "MUST be 0xFFFF on write"
    out += _record(0x0021 if module.kind == "standard" else 0x0022, b"")
    return out + _record(0x002B, b"")


def build_dir_stream(
    modules: Sequence[Module], info: ProjectInfo, references: Sequence[Reference]
) -> bytes:
    """The decompressed `VBA/dir` stream."""
    enc = _Encoder(info.code_page)
    out = _record(0x0001, struct.pack("<I", info.sys_kind))
    out += _record(0x0002, struct.pack("<I", info.lcid))
    out += _record(0x0014, struct.pack("<I", info.lcid))  # LCIDINVOKE
    out += _record(0x0003, struct.pack("<H", info.code_page))
    out += _record(0x0004, enc.mbcs(info.name))
    out += enc.text_records(0x0005, 0x0040, info.docstring)
    out += enc.text_records(0x0006, 0x003D, info.help_file)
    out += _record(0x0007, struct.pack("<I", info.help_context))
    out += _record(0x0008, struct.pack("<I", 0))  # LIBFLAGS
    # PROJECTVERSION: its "size" field is a fixed reserved 4, followed by 6 bytes.
    out += struct.pack("<HIIH", 0x0009, 4, info.version_major, info.version_minor)
    out += enc.text_records(0x000C, 0x003C, info.constants)
    out += b"".join(_reference_records(r, enc) for r in references)
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # project cookie: "MUST be 0xFFFF on write"
    out += b"".join(_module_records(m, enc) for m in modules)
    return out + _record(0x0010, b"")


# --- PROJECT and PROJECTwm streams (MS-OVBA 2.3.1, 2.3.3) ---------------------------------------


def encrypt_project_value(
    data: bytes, project_id: str, seed: int = 0x8D, filler: bytes = b"\xa9\xdb"
) -> str:
    """MS-OVBA 2.4.3.2 data "encryption" of the CMG/DPB/GC values, as uppercase hex.

    The defaults reproduce the reference's bytes; any seed and filler are valid.
    """
    project_key = sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, seed ^ 2, seed ^ project_key])
    unencrypted_1, encrypted_1, encrypted_2 = project_key, out[2], out[1]
    ignored_length = (seed & 6) // 2
    plain = (
        filler[:ignored_length].ljust(ignored_length, b"\x00") + struct.pack("<I", len(data)) + data
    )
    for byte in plain:
        encrypted = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(encrypted)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, encrypted, byte
    return out.hex().upper()


def build_project_stream(modules: Sequence[Module], info: ProjectInfo, project_id: str) -> bytes:
    # Unprotected project: protection state 0, no password, visible.
    protection = encrypt_project_value(struct.pack("<I", 0), project_id)
    password = encrypt_project_value(b"\x00", project_id)
    visibility = encrypt_project_value(b"\xff", project_id)
    lines = [f'ID="{project_id}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{info.name}"',
        f'HelpContextID="{info.help_context}"',
        'VersionCompatible32="393222000"',
        f'CMG="{protection}"',
        f'DPB="{password}"',
        f'GC="{visibility}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
        *(f"{module.name}=0, 0, 0, 0, C" for module in modules),
        "",
    ]
    return "".join(line + "\r\n" for line in lines).encode(f"cp{info.code_page}")


def build_projectwm_stream(modules: Sequence[Module], info: ProjectInfo) -> bytes:
    names = b"".join(
        m.name.encode(f"cp{info.code_page}") + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00"
        for m in modules
    )
    return names + b"\x00\x00"


def default_project_id(project_name: str) -> str:
    """A stable project GUID, so the same sources always give the same file."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"xlkp:vba:{project_name}")).upper() + "}"


def build_vba_project(
    modules: Sequence[Module],
    *,
    project_name: str = "VBAProject",
    references: Sequence[Reference] = DEFAULT_REFERENCES,
    project_id: str | None = None,
    info: ProjectInfo | None = None,
) -> bytes:
    """vbaProject.bin holding `modules` as source; Excel compiles them when it opens the file.

    `modules` must include the document module "ThisWorkbook" and one per worksheet codeName
    (e.g. "Sheet1"), matching the codeName attributes of the workbook's XML parts.
    """
    names = [m.name.upper() for m in modules]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate module names: {[m.name for m in modules]}")
    if not any(m.name == "ThisWorkbook" and m.kind == "document" for m in modules):
        raise ValueError("an Excel VBA project needs a document module named ThisWorkbook")
    if info is None:
        info = ProjectInfo(name=project_name)
    elif project_name not in ("VBAProject", info.name):
        raise ValueError(f"project_name {project_name!r} contradicts info.name {info.name!r}")
    project_id = project_id or default_project_id(info.name)
    streams = {
        "PROJECT": build_project_stream(modules, info, project_id),
        "PROJECTwm": build_projectwm_stream(modules, info),
        "VBA/_VBA_PROJECT": VERSION_INDEPENDENT_VBA_PROJECT,
        "VBA/dir": compress(build_dir_stream(modules, info, references)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(module.source.encode(f"cp{info.code_page}"))
    return write_compound_file(streams)
