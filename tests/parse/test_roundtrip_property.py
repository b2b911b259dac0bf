"""Random sections, printed to PDF, read back exactly by both backends."""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlkp.parse import read_publication
from xlkp.regions import REGIONS
from xlkp.samples import RenderOptions, make_section, render_pdf

# Letters a municipality name may hold: Latin-1 (what the PDF's standard fonts print) with the
# punctuation Dutch names use.
_letters = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèëïöüâáúô"))
_word = st.text(_letters, min_size=1, max_size=9)
_joiner = st.sampled_from([" ", "-", ", ", " (", "'s-"])


@st.composite
def municipality(draw) -> str:
    words = draw(st.lists(_word, min_size=1, max_size=3))
    name = words[0]
    for word in words[1:]:
        joiner = draw(_joiner)
        name += joiner + word + (")" if joiner == " (" else "")
    # A stray space, or a first character whose glyph sits low or high ('-', '=', "'").
    return draw(st.sampled_from(["", " ", "-", "+", "=", "@", "'"])) + name


@st.composite
def section(draw):
    names = draw(st.lists(municipality(), min_size=1, max_size=25, unique_by=lambda n: n.strip().casefold()))
    big = st.integers(0, 250_000)
    rows = [(n, tuple(draw(big) for _ in range(4))) for n in names]
    return make_section(
        f"{draw(st.integers(2015, 2030))}-Q{draw(st.integers(1, 4))}",
        draw(st.sampled_from(REGIONS)),
        rows,
        draw(st.integers(1, 9_999_999)),
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(section(), min_size=1, max_size=2), st.integers(5, 30), st.sampled_from([0, 2]))
def test_random_sections_round_trip(sections, rows_per_page, header_lines):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.pdf"
        render_pdf(sections, path, RenderOptions(rows_per_page=rows_per_page, header_lines=header_lines))
        for backend in ("pdfium", "pdfplumber"):
            read = read_publication(path, backend).sections
            assert [table(s) for s in read] == [table(s) for s in sections], backend
