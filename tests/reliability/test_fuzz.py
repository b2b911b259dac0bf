"""Mutated PDFs (bit flips, truncations, insertions), 300 per backend: each is read or refused
with one InputError, within a time bound, nothing on stderr, and a reading that would shrink a
quarter already imported is refused by the guard (checked through real imports)."""

from __future__ import annotations

import random
import signal
import time

import pytest

from tests.reliability.reliability_support import store_periods
from xlkp.importer import ShrinkRefused, import_publications, shrinking
from xlkp.model import InputError, Publication, replace
from xlkp.parse import BACKENDS, read_publication
from xlkp.samples import RenderOptions, render_pdf, sample_sections

MUTANTS = 300
SECONDS_EACH = 10
IMPORTS_EACH = 6  # shrinking readings also run through a real import (a few: imports are slow)


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> tuple[bytes, Publication]:
    """Two regions, a few rows each, on compressed pages: small enough for 600 readings."""
    path = tmp_path_factory.mktemp("fuzz") / "origineel.pdf"
    sections = [replace(s, rows=s.rows[:5]) for s in sample_sections("2021-Q1")[:2]]
    # Without the sample mark it stands in for a real publication, which the shrink guard
    # protects (a sample quarter gives way to any real one).
    render_pdf(sections, path, RenderOptions(prose=False, sample_mark=False))
    return path.read_bytes(), read_publication(path)


def mutate(data: bytes, rng: random.Random) -> bytes:
    damaged = bytearray(data)
    kind = rng.choice(["flip", "flip", "truncate", "insert", "delete"])
    if kind == "flip":
        for _ in range(rng.choice([1, 2, 4, 8, 32])):
            position = rng.randrange(len(damaged))
            damaged[position] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        damaged = damaged[: rng.randrange(len(damaged))]
        if rng.random() < 0.5:  # cut, but with an end marker again: read deeper
            damaged += b"\n%%EOF\n"
    elif kind == "insert":
        position = rng.randrange(len(damaged))
        damaged[position:position] = bytes(rng.randrange(256) for _ in range(rng.choice([1, 16, 512])))
    else:
        start = rng.randrange(len(damaged))
        del damaged[start : start + rng.choice([1, 16, 512])]
    return bytes(damaged)


class _TooLong(Exception):
    pass


def _alarm(signum, frame):
    raise _TooLong


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_mutated_pdfs(original, tmp_path, backend, capfd, private_store):
    data, publication = original
    rng = random.Random(2026 if backend == "pdfium" else 2027)
    outcomes = {"read": 0, "refused": 0, "shrinking": 0}
    problems: list[str] = []
    slowest = 0.0
    workbook = tmp_path / "K.xlsx"
    import_publications([publication], workbook)
    before = workbook.read_bytes()
    imported = 0
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for number in range(MUTANTS):
            path = tmp_path / f"m{number}.pdf"
            path.write_bytes(mutate(data, rng))
            started = time.monotonic()
            signal.alarm(SECONDS_EACH)
            try:
                result = read_publication(path, backend)
            except InputError as error:
                outcomes["refused"] += 1
                if "\n" in str(error) or error.source != str(path):
                    problems.append(f"{number}: {error!r}")
                continue
            except _TooLong:
                problems.append(f"{number}: more than {SECONDS_EACH} s")
                continue
            except Exception as error:
                problems.append(f"{number}: {type(error).__name__}: {error}")
                continue
            finally:
                signal.alarm(0)
                slowest = max(slowest, time.monotonic() - started)
                path.unlink()
            outcomes["read"] += 1
            if shrinking(publication.sections, result.sections):
                outcomes["shrinking"] += 1
                if imported < IMPORTS_EACH:  # the real import refuses it and changes nothing
                    imported += 1
                    with pytest.raises(ShrinkRefused):
                        import_publications([result], workbook)
                    assert workbook.read_bytes() == before
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert capfd.readouterr().err == ""  # nothing of the PDF libraries' own repair logging
    with capfd.disabled():
        print(f"\n{backend}: {MUTANTS} mutants, {outcomes}, slowest {slowest:.2f} s")
    assert problems == []
    assert sum(outcomes[k] for k in ("read", "refused")) == MUTANTS
    assert outcomes["refused"] > 0 and outcomes["read"] > 0  # the mutations reach both outcomes
    assert store_periods(private_store) == ["2021-Q1"]
