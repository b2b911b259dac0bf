"""PDFs damaged byte by byte: read, or one InputError, never another exception, from either backend."""

from __future__ import annotations

import random

import pytest

from xlkp.model import InputError
from xlkp.parse import read_publication
from xlkp.samples import render_pdf, sample_sections


@pytest.fixture(scope="module")
def intact(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("pdf") / "intact.pdf"
    render_pdf(sample_sections("2021-Q1")[:2], path)
    return path.read_bytes()


@pytest.mark.parametrize("seed", range(40))
def test_damage_gives_a_reading_or_one_input_error(intact, tmp_path, backend, seed, capfd):
    rng = random.Random(seed)
    damaged = bytearray(intact)
    for _ in range(rng.choice([1, 5, 20, 80])):
        damaged[rng.randrange(200, len(damaged) - 200)] = rng.randrange(256)
    path = tmp_path / "beschadigd.pdf"
    path.write_bytes(bytes(damaged))
    try:
        read_publication(path, backend)
    except InputError as error:
        assert error.source == str(path) and error.reason
    assert capfd.readouterr().err == ""  # nothing of the PDF library's own repair logging
