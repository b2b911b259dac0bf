"""A writer of compound files ([MS-CFB] version 3, 512-byte sectors), the container of vbaProject.bin.

File layout we produce: header, big stream sectors, the mini stream, mini FAT, directory, FAT,
DIFAT. Streams shorter than 4096 bytes live in the mini stream (64-byte mini sectors).
CLSIDs, state bits and timestamps are all zero, which readers (and Excel) accept.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR_SIZE = 512
MINI_SECTOR_SIZE = 64
MINI_STREAM_CUTOFF = 4096
_IDS_PER_SECTOR = SECTOR_SIZE // 4  # FAT / mini FAT entries per sector
_HEADER_DIFAT_ENTRIES = 109
_DIFAT_IDS_PER_SECTOR = _IDS_PER_SECTOR - 1  # last entry points to the next DIFAT sector

DIFSECT = 0xFFFFFFFC
FATSECT = 0xFFFFFFFD
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_MAX_NAME_CHARS = 31
_FORBIDDEN_NAME_CHARS = set("/\\:!")


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    # Filled in during layout:
    index: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN


def _name_key(name: str) -> tuple[int, list[str]]:
    """CFB sibling order: shorter names first, then code points of the upper-cased names."""
    return len(name.encode("utf-16-le")), [c.upper() if len(c.upper()) == 1 else c for c in name]


def _check_name(name: str) -> None:
    if not name or len(name.encode("utf-16-le")) > 2 * _MAX_NAME_CHARS:
        raise ValueError(f"compound file entry names must be 1-31 characters: {name!r}")
    if _FORBIDDEN_NAME_CHARS & set(name):
        raise ValueError(f"compound file entry name contains one of / \\ : ! : {name!r}")


def _build_tree(streams: Mapping[str, bytes]) -> _Entry:
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        *storages, stream_name = path.split("/")
        parent = root
        for storage_name in storages:
            _check_name(storage_name)
            node = parent.children.setdefault(storage_name.upper(), _Entry(storage_name, _STORAGE))
            if node.kind != _STORAGE:
                raise ValueError(f"{path!r}: {storage_name!r} is a stream, not a storage")
            parent = node
        _check_name(stream_name)
        if stream_name.upper() in parent.children:
            raise ValueError(
                f"duplicate compound file entry (names are case-insensitive): {path!r}"
            )
        parent.children[stream_name.upper()] = _Entry(stream_name, _STREAM, bytes(data))
    return root


def _flatten(root: _Entry) -> list[_Entry]:
    """All entries, root first, with directory indexes assigned."""
    entries: list[_Entry] = []
    pending = [root]
    while pending:
        entry = pending.pop(0)
        entry.index = len(entries)
        entries.append(entry)
        pending.extend(sorted(entry.children.values(), key=lambda e: _name_key(e.name)))
    return entries


def _link_siblings(siblings: list[_Entry], depth: int, red_depth: int) -> int:
    """Make a balanced binary search tree of sorted siblings; return the index of its root.

    Median splits leave every leaf at depth red_depth - 1 or red_depth; colouring exactly the
    nodes at red_depth red gives every path the same number of black nodes: a valid red-black tree.
    """
    if not siblings:
        return NOSTREAM
    middle = len(siblings) // 2
    node = siblings[middle]
    node.color = _RED if depth == red_depth else _BLACK
    node.left = _link_siblings(siblings[:middle], depth + 1, red_depth)
    node.right = _link_siblings(siblings[middle + 1 :], depth + 1, red_depth)
    return node.index


def _link_tree(entries: list[_Entry]) -> None:
    for entry in entries:
        if entry.children:
            siblings = sorted(entry.children.values(), key=lambda e: _name_key(e.name))
            # Depth of a complete tree that holds them all; deeper nodes (if any) are red.
            red_depth = (len(siblings) + 1).bit_length() - 1
            entry.child = _link_siblings(siblings, 0, red_depth)


def _sectors_for(size: int, sector_size: int = SECTOR_SIZE) -> int:
    return -(-size // sector_size)


def _pad(data: bytes, sector_size: int = SECTOR_SIZE) -> bytes:
    return data + b"\x00" * (-len(data) % sector_size)


def _chain(fat: list[int], start: int, count: int) -> None:
    for sector in range(start, start + count):
        fat[sector] = sector + 1 if sector + 1 < start + count else ENDOFCHAIN


def _directory_entry(entry: _Entry | None, size: int = 0) -> bytes:
    if entry is None:  # unused slot
        return (
            b"\x00" * 66
            + bytes([0, _RED])
            + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
            + b"\x00" * 52
        )
    name = entry.name.encode("utf-16-le")
    return (
        (name + b"\x00\x00").ljust(64, b"\x00")
        + struct.pack("<HBB", len(name) + 2, entry.kind, entry.color)
        + struct.pack("<III", entry.left, entry.right, entry.child)
        + b"\x00" * 16  # CLSID
        + b"\x00" * 4  # state bits
        + b"\x00" * 16  # creation and modification times
        + struct.pack("<IQ", entry.start, size)
    )


def write_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A compound file holding `streams`, keyed by '/'-separated paths ("VBA/dir", "PROJECT").

    Storages are created from the paths. Names are compared case-insensitively, as in CFB.
    """
    root = _build_tree(streams)
    entries = _flatten(root)
    _link_tree(entries)
    stream_entries = [e for e in entries if e.kind == _STREAM]

    # Mini stream: small streams, each starting on a 64-byte mini sector.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    for entry in stream_entries:
        if 0 < len(entry.data) < MINI_STREAM_CUTOFF:
            entry.start = len(mini_fat)
            count = _sectors_for(len(entry.data), MINI_SECTOR_SIZE)
            mini_fat.extend([FREESECT] * count)
            _chain(mini_fat, entry.start, count)
            mini_stream += _pad(entry.data, MINI_SECTOR_SIZE)

    # Regular sectors, in file order: big streams, mini stream, mini FAT, directory.
    layout: list[bytes] = []
    next_sector = 0
    chains: list[tuple[int, int]] = []

    def place(data: bytes) -> int:
        nonlocal next_sector
        start, count = next_sector, _sectors_for(len(data))
        layout.append(_pad(data))
        chains.append((start, count))
        next_sector += count
        return start

    for entry in stream_entries:
        if len(entry.data) >= MINI_STREAM_CUTOFF:
            entry.start = place(entry.data)
    root.start = place(bytes(mini_stream)) if mini_stream else ENDOFCHAIN
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    mini_fat_start = place(mini_fat_bytes) if mini_fat else ENDOFCHAIN
    directory = b"".join(
        _directory_entry(e, len(mini_stream) if e.kind == _ROOT else len(e.data)) for e in entries
    )
    directory += _directory_entry(None) * (-len(entries) % (SECTOR_SIZE // 128))
    directory_start = place(directory)

    # The FAT must also describe its own sectors and the DIFAT's: grow both until they fit.
    fat_count, difat_count = 0, 0
    while True:
        needed_fat = _sectors_for((next_sector + fat_count + difat_count) * 4)
        needed_difat = _sectors_for(
            max(0, needed_fat - _HEADER_DIFAT_ENTRIES) * 4, _DIFAT_IDS_PER_SECTOR * 4
        )
        if (needed_fat, needed_difat) == (fat_count, difat_count):
            break
        fat_count, difat_count = needed_fat, needed_difat
    fat_start = next_sector
    difat_start = fat_start + fat_count
    total_sectors = difat_start + difat_count

    fat = [FREESECT] * (fat_count * _IDS_PER_SECTOR)
    for start, count in chains:
        _chain(fat, start, count)
    fat[fat_start:difat_start] = [FATSECT] * fat_count
    fat[difat_start:total_sectors] = [DIFSECT] * difat_count
    fat_sectors = list(range(fat_start, difat_start))

    difat = bytearray()
    overflow = fat_sectors[_HEADER_DIFAT_ENTRIES:]
    for i in range(difat_count):
        ids = overflow[i * _DIFAT_IDS_PER_SECTOR : (i + 1) * _DIFAT_IDS_PER_SECTOR]
        ids += [FREESECT] * (_DIFAT_IDS_PER_SECTOR - len(ids))
        ids.append(difat_start + i + 1 if i + 1 < difat_count else ENDOFCHAIN)
        difat += struct.pack(f"<{_IDS_PER_SECTOR}I", *ids)

    header_difat = fat_sectors[:_HEADER_DIFAT_ENTRIES]
    header_difat += [FREESECT] * (_HEADER_DIFAT_ENTRIES - len(header_difat))
    header = (
        _SIGNATURE
        + b"\x00" * 16  # header CLSID
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)  # minor, major, byte order, shifts
        + b"\x00" * 6
        + struct.pack("<II", 0, fat_count)  # directory sector count is 0 in version 3
        + struct.pack("<II", directory_start, 0)  # transaction signature unused
        + struct.pack("<III", MINI_STREAM_CUTOFF, mini_fat_start, _sectors_for(len(mini_fat_bytes)))
        + struct.pack("<II", difat_start if difat_count else ENDOFCHAIN, difat_count)
        + struct.pack(f"<{_HEADER_DIFAT_ENTRIES}I", *header_difat)
    )
    assert len(header) == SECTOR_SIZE
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + b"".join(layout) + fat_bytes + bytes(difat)
