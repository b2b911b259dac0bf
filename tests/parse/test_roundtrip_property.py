"""Random sections, printed to PDF, read back exactly by both backends."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.parse.tables import table
from xlkp.parse import read_publication
from xlkp.regions import REGIONS
from xlkp.samples import RenderOptions, make_section, national_table, render_pdf

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


_SUFFIXES = st.sampled_from(["", " (vervolg)", " vervolg", " (vervolgd)", " - vervolg", " (continued)"])


def _national(t):
    return (t.period, [(r.region, r.values, r.total, r.register, r.percent) for r in t.rows],
            (t.total.values, t.total.total, t.total.register, t.total.percent), t.register)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(section(), min_size=1, max_size=2), st.integers(5, 30), st.sampled_from([0, 2]), _SUFFIXES,
       st.sampled_from([None, "first", "last"]), st.booleans())
def test_random_sections_round_trip(sections, rows_per_page, header_lines, suffix, national, landscape):
    # Two regions of one quarter are two tables, not one continued: the second another region.
    if len(sections) == 2 and (sections[0].period, sections[0].region) == (sections[1].period, sections[1].region):
        sections = sections[:1]
    periods = list(dict.fromkeys(s.period for s in sections))
    tables = [national_table(sections, p) for p in periods] if national else []
    options = RenderOptions(rows_per_page=rows_per_page, header_lines=header_lines, continuation_suffix=suffix,
                            national=national, landscape=landscape)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.pdf"
        render_pdf(sections, path, options, tables)
        for backend in ("pdfium", "pdfplumber"):
            publication = read_publication(path, backend)
            read = publication.sections
            assert [table(s) for s in read] == [table(s) for s in sections], backend
            assert sorted(_national(t) for t in publication.national) == sorted(_national(t) for t in tables)
