"""Writing the workbook's zip package so that the next import can copy unchanged rows still
deflated.

A long sheet's rows are deflated a chunk at a time, each chunk ending in a full flush: from that
point on deflate neither refers back nor carries bits over, so the compressed bytes of any one
chunk stand on their own (RFC 1951; zlib's Z_FULL_FLUSH). The writer records each chunk's
length, deflated length, the CRC-32 of the chunks through it and the CRC-32 of its deflated bytes
(`ChunkSums`). The next import copies a kept chunk's compressed bytes as they are, and works out
the part's CRC-32 from the recorded ones instead of inflating and deflating megabytes of XML.

Python's zipfile cannot add compressed data it did not compress itself, so the package is written
here: local file headers, data and the central directory of the zip format (PKWARE APPNOTE
4.3), for members under 4 GiB, deflated at zlib's fastest level.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import BinaryIO, TypeVar

LEVEL = 1  # deflate's fastest: a third of the default's time on a long history, a fifth larger
_LOCAL = struct.Struct("<IHHHHHIIIHH")  # a member's local file header (APPNOTE 4.3.7)
_LOCAL_SIGNATURE = 0x04034B50
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_DEFLATED = 8
_VERSION = 20  # 2.0: deflate
_LIMIT = 0xFFFFFFFF  # sizes and offsets beyond this need zip64, which these packages never do


@dataclass(frozen=True)
class Reused:
    """A run of chunks copied deflated from the last write: their compressed bytes, their sums,
    and the CRC-32 of that write's chunks before them (ChunkSums)."""

    deflated: bytes
    sums: ChunkSums
    crc_before: int


Chunk = bytes | Reused
T = TypeVar("T")


class ChunkSums:
    """Of each chunk of a part: its length, the length of its deflated bytes, the CRC-32 of the
    part's chunks up to and with it (not the part's head), and the CRC-32 of its deflated bytes,
    so that bytes damaged since are never copied on (the check zip itself makes of a part)."""

    SUM = struct.Struct(">IIII")

    def __init__(self, data: bytes = b""):
        if len(data) % self.SUM.size:
            raise ValueError("chunk sums cut short")
        self.data = data

    def __len__(self) -> int:
        return len(self.data) // self.SUM.size

    def __iter__(self):
        return self.SUM.iter_unpack(self.data)

    def crc(self) -> int:
        """The CRC-32 through the last chunk (0: none)."""
        return self.SUM.unpack_from(self.data, len(self.data) - self.SUM.size)[2] if self.data else 0

    def length(self) -> int:
        return sum(size for size, _, _, _ in self)

    def deflated_length(self) -> int:
        return sum(size for _, size, _, _ in self)

    def reused(self, deflated: bytes, first: int, last: int) -> Reused:
        """Chunks `first` to `last` of the part whose deflated data (after its head) is `deflated`."""
        if not 0 <= first <= last < len(self):
            raise ValueError("no such chunks")
        before = ChunkSums(self.data[:first * self.SUM.size])
        at = before.deflated_length()
        run = ChunkSums(self.data[first * self.SUM.size:(last + 1) * self.SUM.size])
        start = at
        for _, size, _, crc in run:
            if zlib.crc32(deflated[at:at + size]) != crc:
                raise ValueError("deflated rows changed since they were written")
            at += size
        return Reused(deflated[start:at], run, before.crc())

    def with_kept(self, chunks: Sequence[T | None], deflated: bytes) -> list[T | Reused]:
        """`chunks`, where None stands for the chunk of the same number in the part these sums
        are of (whose deflated data after its head is `deflated`): each run of those as one
        Reused, checked as `reused` checks it."""
        found: list[T | Reused] = []
        index = 0
        for kept, run in groupby(chunks, key=lambda chunk: chunk is None):
            pieces = list(run)
            if kept:
                found.append(self.reused(deflated, index, index + len(pieces) - 1))
            else:
                found.extend(piece for piece in pieces if piece is not None)  # each is (for the type checker)
            index += len(pieces)
        return found


class PackageWriter:
    """A zip package written part by part into `file` (a new file, open for writing bytes):
    `write` for a part deflated whole, `write_chunked` for a part whose chunks the next write
    may copy; `close` (or leaving the with block) ends it with the central directory."""

    def __init__(self, file: BinaryIO):
        self._file = file
        self._central: list[bytes] = []
        self.crcs: dict[str, int] = {}  # part name -> CRC-32, in the order written
        stamp = time.localtime()
        self._time = (stamp.tm_hour << 11) | (stamp.tm_min << 5) | (stamp.tm_sec // 2)
        self._date = ((stamp.tm_year - 1980) << 9) | (stamp.tm_mon << 5) | stamp.tm_mday

    def __enter__(self) -> PackageWriter:
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is None:
            self.close()

    def write(self, name: str, data: bytes) -> None:
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        self._member(name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))

    def write_chunked(self, name: str, head: bytes, chunks: Sequence[Chunk],
                      tail: bytes | Callable[[int, ChunkSums], bytes]) -> tuple[int, ChunkSums]:
        """The part `head`, then each chunk (its bytes, or a run of chunks reused from the last
        write), then `tail` (or what it makes of the two things returned); where the chunks start
        in its deflated data, and their sums."""
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        deflated = [compressor.compress(head), compressor.flush(zlib.Z_FULL_FLUSH)]
        start = sum(map(len, deflated))
        crc, length = 0, 0  # of the chunks so far
        sums = bytearray()
        for chunk in chunks:
            if isinstance(chunk, Reused):
                deflated.append(chunk.deflated)
                if crc == chunk.crc_before:  # after the same chunks as last time: the same sums
                    sums += chunk.sums.data
                    crc, length = chunk.sums.crc(), length + chunk.sums.length()
                    continue
                old_crc = chunk.crc_before
                for size, packed, through, packed_crc in chunk.sums:
                    # CRC-32 is affine: the new CRC-32 differs from the old by the difference
                    # before the chunk, run through its bytes.
                    crc, old_crc = crc32_combined(crc ^ old_crc, 0, size) ^ through, through
                    length += size
                    sums += ChunkSums.SUM.pack(size, packed, crc, packed_crc)
                continue
            pieces = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
            deflated.append(pieces)
            crc, length = zlib.crc32(chunk, crc), length + len(chunk)
            sums += ChunkSums.SUM.pack(len(chunk), len(pieces), crc, zlib.crc32(pieces))
        written = ChunkSums(bytes(sums))
        if callable(tail):
            tail = tail(start, written)
        deflated += [compressor.compress(tail), compressor.flush()]
        part_crc = zlib.crc32(tail, crc32_combined(zlib.crc32(head), crc, length))
        self._member(name, b"".join(deflated), part_crc, len(head) + length + len(tail))
        return start, written

    def close(self) -> None:
        start = self._file.tell()
        for entry in self._central:
            self._file.write(entry)
        size = self._file.tell() - start
        count = len(self._central)
        if count > 0xFFFF or start > _LIMIT:
            raise ValueError("package too large for a zip without zip64")
        self._file.write(_END.pack(0x06054B50, 0, 0, count, count, size, start, 0))

    def _member(self, name: str, deflated: bytes, crc: int, length: int) -> None:
        encoded = name.encode("ascii")
        offset = self._file.tell()
        if max(len(deflated), length, offset) > _LIMIT:
            raise ValueError(f"{name}: too large for a zip without zip64")
        fields = (_VERSION, 0, _DEFLATED, self._time, self._date, crc, len(deflated), length, len(encoded))
        self._file.write(_LOCAL.pack(_LOCAL_SIGNATURE, *fields, 0))
        self._file.write(encoded)
        self._file.write(deflated)
        self._central.append(_CENTRAL.pack(0x02014B50, _VERSION, *fields, 0, 0, 0, 0, 0, offset) + encoded)
        self.crcs[name] = crc


def stored_data(path: str | Path, info: zipfile.ZipInfo) -> bytes:
    """A member's data as the zip file at `path` stores it (deflated, for a deflated member)."""
    with open(path, "rb") as file:
        file.seek(info.header_offset)
        signature, *_, name_length, extra_length = _LOCAL.unpack(file.read(_LOCAL.size))
        if signature != _LOCAL_SIGNATURE:
            raise zipfile.BadZipFile(f"{path}: no local header for {info.filename}")
        file.seek(name_length + extra_length, io.SEEK_CUR)
        return file.read(info.compress_size)


def inflated(deflated: bytes) -> bytes:
    """Deflated data that starts where deflate started afresh (a part's start, or a chunk's),
    inflated as far as it goes."""
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(deflated)


# ---- CRC-32 of a part made of chunks whose own CRC-32 is known ---------------------------------
# CRC-32 is affine over GF(2): crc(A + B) = M(crc(A)) ^ crc(B), where M, running len(B) more bytes
# through the register, is multiplication by x^(8 len(B)) modulo the CRC polynomial. This is
# zlib's crc32_combine, which Python's zlib module does not offer.

_POLY = 0xEDB88320  # CRC-32's polynomial, bits reflected


def _multiply(a: int, b: int) -> int:
    """a * b modulo the polynomial (reflected: x^0 is the top bit)."""
    product, bit = 0, 1 << 31
    while a:
        if a & bit:
            product ^= b
            a ^= bit
        bit >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
    return product


def _powers() -> list[int]:
    """x^(2^k) modulo the polynomial, k = 0..31 (then they repeat)."""
    found = [1 << 30]  # x^1
    for _ in range(31):
        found.append(_multiply(found[-1], found[-1]))
    return found


_X_2K = _powers()


def crc32_combined(crc: int, crc_of_next: int, length_of_next: int) -> int:
    """The CRC-32 of bytes whose CRC-32 is `crc` followed by `length_of_next` bytes whose own
    CRC-32 is `crc_of_next`."""
    power, n, k = 1 << 31, length_of_next, 3  # x^0; 8n = n * 2^3
    while n:
        if n & 1:
            power = _multiply(_X_2K[k % 32], power)
        n >>= 1
        k += 1
    return _multiply(power, crc) ^ crc_of_next
