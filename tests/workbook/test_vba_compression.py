"""MS-OVBA compression: round trips, and byte-identity with what Excel wrote in xlwings' reference."""

import random
import struct

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from tests.workbook.vba_reference import REFERENCE_SOURCE_OFFSETS
from xlkp.workbook.vba.compression import CHUNK_SIZE, compress, decompress


def _final_chunk_is_raw(container: bytes) -> bool:
    pos, header = 1, 0
    while pos < len(container):
        (header,) = struct.unpack_from("<H", container, pos)
        pos += 2 + (header & 0x0FFF) + 1
    return not header & 0x8000


vba_like_text = st.text(
    alphabet=st.sampled_from(list("abcdefghij XYZ=()\"'.,_0123456789\r\n")), max_size=9000
).map(lambda t: t.encode("cp1252"))


@settings(max_examples=40, deadline=None)
@given(vba_like_text)
def test_text_round_trips_and_oletools_agrees(data: bytes) -> None:
    container = compress(data)
    assert decompress(container) == data
    assert bytes(decompress_stream(bytearray(container))) == data


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=3 * CHUNK_SIZE + 100))
def test_arbitrary_bytes_round_trip(data: bytes) -> None:
    container = compress(data)
    result = decompress(container)
    if _final_chunk_is_raw(container):
        # The spec pads a raw final chunk to 4096 bytes with zeros (MS-OVBA 2.4.1.3.10).
        assert result == data.ljust(-(-len(data) // CHUNK_SIZE) * CHUNK_SIZE, b"\x00")
    else:
        assert result == data


@pytest.mark.parametrize(
    "size", [0, 1, 3, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 5 * CHUNK_SIZE]
)
def test_chunk_boundaries(size: int) -> None:
    data = bytes((i * 7 + i // 13) % 251 for i in range(size))
    assert decompress(compress(data)) == data


def test_long_runs_use_copy_tokens() -> None:
    data = b"A" * 10_000
    container = compress(data)
    assert len(container) < 100
    assert decompress(container) == data


def test_incompressible_chunk_is_stored_raw() -> None:
    data = random.Random(1).randbytes(CHUNK_SIZE * 2)
    container = compress(data)
    (header,) = struct.unpack_from("<H", container, 1)
    assert not header & 0x8000 and len(container) == 1 + 2 * (2 + CHUNK_SIZE)
    assert decompress(container) == data


def test_rejects_bad_signature() -> None:
    with pytest.raises(ValueError):
        decompress(b"\x02\x00\x00")


def test_reads_excels_dir_and_module_streams(reference: olefile.OleFileIO) -> None:
    dir_stream = reference.openstream("VBA/dir").read()
    assert decompress(dir_stream) == bytes(decompress_stream(bytearray(dir_stream)))
    for name, offset in REFERENCE_SOURCE_OFFSETS.items():
        stream = reference.openstream(f"VBA/{name}").read()[offset:]
        source = decompress(stream)
        assert source.startswith(f'Attribute VB_Name = "{name}"'.encode())
        assert source == bytes(decompress_stream(bytearray(stream)))


def test_compresses_exactly_as_excel(reference: olefile.OleFileIO) -> None:
    # The dir stream and the xlwings module stream come out byte for byte as in the reference.
    for name in ("VBA/dir", "VBA/xlwings"):
        stream = reference.openstream(name).read()
        assert compress(decompress(stream)) == stream, name
