"""The zip package writer (report/package_writer.py): a package any zip reader reads, with its
CRC-32s right, also where chunks of a part are copied deflated from an earlier package."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlkp.report.package_writer import ChunkSums, PackageWriter, crc32_combined


@given(st.binary(max_size=300), st.binary(max_size=70_000))
def test_a_crc_combined_is_the_crc_of_the_bytes_joined(first: bytes, second: bytes) -> None:
    assert crc32_combined(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(first + second)


def _rows(first: int, count: int) -> bytes:
    return b"".join(b'<row r="%d"><c r="A%d" t="n"><v>%d</v></c></row>' % (r, r, r * 7) for r in range(first, first + count))


def _package(write) -> tuple[zipfile.ZipFile, bytes]:
    file = io.BytesIO()
    with PackageWriter(file) as out:
        write(out)
    return zipfile.ZipFile(io.BytesIO(file.getvalue())), file.getvalue()


def _deflated(data: bytes, name: str) -> bytes:
    """A member's data as stored (zipfile reads it inflated)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    start = info.header_offset + 30 + len(name)  # this writer writes no extra field
    return data[start:start + info.compress_size]


def test_chunks_copied_deflated_make_the_part_they_would_make_written_anew() -> None:
    chunks = [_rows(1 + 64 * i, 64) for i in range(6)]
    written: dict[str, tuple[int, ChunkSums]] = {}

    def first(out: PackageWriter) -> None:
        out.write("[Content_Types].xml", b"<Types/>")
        written["sheet"] = out.write_chunked("sheet.xml", b"<sheetData>", chunks, b"</sheetData>")

    package, data = _package(first)
    assert package.testzip() is None
    assert package.read("sheet.xml") == b"<sheetData>" + b"".join(chunks) + b"</sheetData>"
    start, sums = written["sheet"]
    deflated = _deflated(data, "sheet.xml")[start:]

    # Another head, chunk 1 written anew, chunks 2-4 copied, a new chunk after them.
    new = _rows(10_000, 5)
    parts = [b"<sheetData x='1'>", chunks[0] + chunks[1], chunks[2] + chunks[3] + chunks[4], new, b"</sheetData>"]

    def second(out: PackageWriter) -> None:
        written["again"] = out.write_chunked("sheet.xml", parts[0], [chunks[0], chunks[1], sums.reused(deflated, 2, 4), new],
                                             parts[-1])

    package, data = _package(second)
    assert package.testzip() is None  # every CRC-32 right
    assert package.read("sheet.xml") == b"".join(parts)
    # The copied chunks keep their sums; each chunk's length and CRC-32 are those of writing it anew.
    _, again = written["again"]
    size = ChunkSums.SUM.size
    assert again.data[2 * size:5 * size] == sums.data[2 * size:5 * size]
    anew = _package(lambda out: written.__setitem__("anew", out.write_chunked("sheet.xml", parts[0],
                                                                                [*chunks[:5], new], parts[-1])))
    assert anew[0].read("sheet.xml") == package.read("sheet.xml")
    assert [(n, crc) for n, _, crc, _ in again] == [(n, crc) for n, _, crc, _ in written["anew"][1]]


@pytest.mark.parametrize("before", [[], [b"<row/>"], [b"<row r='1'/>", b""]])
def test_chunks_copied_after_other_chunks_sum_up_as_written_anew(before: list[bytes]) -> None:
    chunks = [_rows(1 + 64 * i, 64) for i in range(4)]
    found: dict[str, tuple[int, ChunkSums]] = {}
    _, data = _package(lambda out: found.__setitem__("s", out.write_chunked("s.xml", b"<h>", chunks, b"</h>")))
    start, sums = found["s"]
    run = sums.reused(_deflated(data, "s.xml")[start:], 1, 3)
    copied, _ = _package(lambda out: found.__setitem__("copied", out.write_chunked("s.xml", b"<h2>", [*before, run], b"</h>")))
    anew, _ = _package(lambda out: found.__setitem__("anew", out.write_chunked("s.xml", b"<h2>", [*before, *chunks[1:]], b"</h>")))
    assert copied.testzip() is None and copied.read("s.xml") == anew.read("s.xml")
    assert [(n, crc) for n, _, crc, _ in found["copied"][1]] == [(n, crc) for n, _, crc, _ in found["anew"][1]]


def test_damaged_deflated_chunks_are_not_copied() -> None:
    chunks = [_rows(1 + 64 * i, 64) for i in range(3)]
    found: dict[str, tuple[int, ChunkSums]] = {}
    _, data = _package(lambda out: found.__setitem__("s", out.write_chunked("s.xml", b"<h>", chunks, b"</h>")))
    start, sums = found["s"]
    deflated = bytearray(_deflated(data, "s.xml")[start:])
    sums.reused(bytes(deflated), 0, 2)  # as written: fine
    deflated[len(deflated) // 2] ^= 1
    with pytest.raises(ValueError):
        sums.reused(bytes(deflated), 0, 2)
    with pytest.raises(ValueError):
        sums.reused(bytes(deflated[:10]), 0, 0)  # cut short
    with pytest.raises(ValueError):
        sums.reused(bytes(deflated), 1, 3)  # no chunk 3
