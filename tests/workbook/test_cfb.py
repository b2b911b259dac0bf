"""The compound file writer, read back by olefile (an independent reader)."""

import os
import struct

import olefile
import pytest

from xlkp.workbook.vba.cfb import MINI_STREAM_CUTOFF, NOSTREAM, SECTOR_SIZE, write_compound_file


def _read_back(data: bytes) -> olefile.OleFileIO:
    # DEFECT_INCORRECT: olefile raises on anything the spec calls incorrect, not only fatal errors.
    return olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)


def _assert_streams(data: bytes, streams: dict[str, bytes]) -> olefile.OleFileIO:
    ole = _read_back(data)
    for path, content in streams.items():
        assert ole.openstream(path).read() == content, path
    assert sorted("/".join(p) for p in ole.listdir()) == sorted(streams)
    return ole


def test_vba_like_tree() -> None:
    streams = {
        "PROJECT": b"ID=...\r\n" * 50,
        "PROJECTwm": b"M\x00M\x00\x00\x00\x00\x00",
        "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x01\x00",
        "VBA/dir": os.urandom(1273),
        "VBA/ThisWorkbook": os.urandom(999),
        "VBA/Module1": os.urandom(20_000),
    }
    ole = _assert_streams(write_compound_file(streams), streams)
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE
    assert len(write_compound_file(streams)) % SECTOR_SIZE == 0


@pytest.mark.parametrize(
    "size", [0, 1, 63, 64, 65, MINI_STREAM_CUTOFF - 1, MINI_STREAM_CUTOFF, MINI_STREAM_CUTOFF + 1]
)
def test_sizes_around_the_mini_stream_cutoff(size: int) -> None:
    streams = {
        "small": b"s" * 10,
        "S/edge": os.urandom(size),
        "S/other": os.urandom(size // 2 + 5000),
    }
    _assert_streams(write_compound_file(streams), streams)


def test_many_entries_nested_storages_and_sorted_tree() -> None:
    streams = {f"A/B{i % 3}/stream{i}": os.urandom(i * 41 % 6000) for i in range(60)}
    streams["Zeta"] = b"z"
    data = write_compound_file(streams)
    _assert_streams(data, streams)
    _assert_red_black_search_trees(data)


def test_large_stream_needs_difat_sectors() -> None:
    big = os.urandom(8 * 1024 * 1024)  # > 109 FAT sectors (about 7.1 MB) need a DIFAT sector
    streams = {"big": big, "small": b"tiny", "mid": os.urandom(5000)}
    ole = _assert_streams(write_compound_file(streams), streams)
    assert ole.num_difat_sectors >= 1 and ole.num_fat_sectors > 109


def test_names_compare_case_insensitively() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        write_compound_file({"VBA/dir": b"1", "vba/DIR": b"2"})
    with pytest.raises(ValueError, match="1-31"):
        write_compound_file({"x" * 32: b""})


def _assert_red_black_search_trees(data: bytes) -> None:
    """Each storage's children: a search tree in CFB order, no red-red edge, equal black heights."""
    ole = _read_back(data)
    entries = ole.direntries

    def key(index: int) -> tuple[int, str]:
        name = entries[index].name
        return len(name), name.upper()

    def walk(index: int) -> tuple[list[int], int]:
        if index == NOSTREAM:
            return [], 1
        entry = entries[index]
        left, left_black = walk(entry.sid_left)
        right, right_black = walk(entry.sid_right)
        assert left_black == right_black, f"black heights differ under {entry.name}"
        if entry.color == 0:  # red: children must be black
            for child in (entry.sid_left, entry.sid_right):
                assert child == NOSTREAM or entries[child].color == 1
        return left + [index] + right, left_black + (entry.color == 1)

    for entry in entries:
        if entry is not None and entry.sid_child != NOSTREAM:
            order, _ = walk(entry.sid_child)
            keys = [key(i) for i in order]
            assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_header_is_version_3() -> None:
    data = write_compound_file({"a": b"1"})
    minor, major, byte_order, sector_shift, mini_shift = struct.unpack_from("<HHHHH", data, 24)
    assert (minor, major, byte_order, sector_shift, mini_shift) == (0x3E, 3, 0xFFFE, 9, 6)
