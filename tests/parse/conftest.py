from __future__ import annotations

import pytest

from xlkp.model import Section
from xlkp.parse import BACKENDS
from xlkp.samples import RenderOptions, render_pdf


@pytest.fixture(params=sorted(BACKENDS))
def backend(request) -> str:
    return request.param


@pytest.fixture
def write_pdf(tmp_path):
    """Render sections to a PDF in tmp_path and return its path."""
    counter = iter(range(1_000_000))

    def write(sections: list[Section], **options) -> str:
        path = tmp_path / f"publicatie-{next(counter)}.pdf"
        render_pdf(sections, path, RenderOptions(**options))
        return str(path)

    return write

