"""MS-OVBA 2.4.1 compression: the LZ77 variant used by VBA's dir and module streams.

A CompressedContainer is a signature byte 0x01 followed by chunks. Each chunk holds at most
4096 decompressed bytes: a 2-byte header (size - 3 in bits 0-11, 0b011 in bits 12-14,
"compressed" flag in bit 15) and either token sequences (flag byte + 8 literal/copy tokens) or
4096 raw bytes.
"""

from __future__ import annotations

import struct

CHUNK_SIZE = 4096
_SIGNATURE = 0x01
_MAX_COMPRESSED_CHUNK = 4098  # header included
_HEADER_SIGNATURE = 0b011 << 12


def _copy_token_layout(difference: int) -> tuple[int, int, int]:
    """(length_mask, offset_shift, maximum_length) for a position `difference` bytes into a chunk.

    The split between offset and length bits grows with the distance from the chunk start,
    so near the start lengths can be long and far into it offsets can reach back far.
    """
    bit_count = max((difference - 1).bit_length(), 4)
    length_mask = 0xFFFF >> bit_count
    return length_mask, 16 - bit_count, length_mask + 3


def decompress(data: bytes) -> bytes:
    """Decompress a CompressedContainer (MS-OVBA 2.4.1.3.1)."""
    if not data or data[0] != _SIGNATURE:
        raise ValueError("not an MS-OVBA compressed container (signature byte must be 0x01)")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise ValueError(f"truncated chunk header at offset {pos}")
        (header,) = struct.unpack_from("<H", data, pos)
        if header & 0x7000 != _HEADER_SIGNATURE:
            raise ValueError(f"bad chunk signature at offset {pos}: {header:#06x}")
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(data))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += data[pos : pos + CHUNK_SIZE]
            pos += CHUNK_SIZE
            continue
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(data[pos])
                    pos += 1
                    continue
                (token,) = struct.unpack_from("<H", data, pos)
                pos += 2
                length_mask, offset_shift, _ = _copy_token_layout(len(out) - chunk_start)
                length = (token & length_mask) + 3
                offset = (token >> offset_shift) + 1
                source = len(out) - offset
                if source < chunk_start:
                    raise ValueError("copy token reaches before the start of its chunk")
                # Byte by byte: a copy may overlap the bytes it produces (run-length style).
                for i in range(length):
                    out.append(out[source + i])
    return bytes(out)


def _common_length(data: bytes, a: int, b: int, limit: int) -> int:
    """Length of the common prefix of data[a:] and data[b:], b > a, not passing `limit`."""
    low, high = 0, limit - b
    # Binary search on slice equality: much faster in Python than a byte loop.
    while low < high:
        mid = (low + high + 1) // 2
        if data[a : a + mid] == data[b : b + mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """Token sequences for data[start:end]: the longest match wins (2.4.1.3.19.4).

    Among equally long matches Excel takes the farthest one (the spec's pseudocode would take
    the nearest); we follow Excel so our output is byte-identical to Excel's streams.
    """
    out = bytearray()
    candidates: dict[bytes, list[int]] = {}  # 3-byte prefix -> positions, ascending

    def remember(position: int) -> None:
        if position + 3 <= end:
            candidates.setdefault(data[position : position + 3], []).append(position)

    current = start
    while current < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if current >= end:
                break
            best_length, best_candidate = 0, 0
            if current + 3 <= end:
                for candidate in candidates.get(data[current : current + 3], ()):
                    length = _common_length(data, candidate, current, end)
                    if length > best_length:
                        best_length, best_candidate = length, candidate
                        if current + length == end:
                            break  # nothing can beat a match reaching the end of the chunk
            if best_length >= 3:
                length_mask, offset_shift, maximum_length = _copy_token_layout(current - start)
                length = min(best_length, maximum_length)
                offset = current - best_candidate
                out += struct.pack("<H", ((offset - 1) << offset_shift) | (length - 3))
                flags |= 1 << bit
                for position in range(current, current + length):
                    remember(position)
                current += length
            else:
                out.append(data[current])
                remember(current)
                current += 1
        out[flag_index] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """Compress to a CompressedContainer (MS-OVBA 2.4.1.3.6).

    A chunk that would not shrink below 4098 bytes is stored raw, as the spec says; a raw
    *final* chunk is then zero-padded to 4096 bytes (2.4.1.3.10), so decompress() returns
    those zeros too. VBA source text always compresses, so this only concerns arbitrary bytes.
    """
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        end = min(start + CHUNK_SIZE, len(data))
        tokens = _compress_chunk(data, start, end)
        if 2 + len(tokens) <= _MAX_COMPRESSED_CHUNK:
            out += struct.pack("<H", 0x8000 | _HEADER_SIGNATURE | (len(tokens) + 2 - 3))
            out += tokens
        else:
            out += struct.pack("<H", _HEADER_SIGNATURE | (CHUNK_SIZE + 2 - 3))
            out += data[start:end].ljust(CHUNK_SIZE, b"\x00")
    return bytes(out)
