from pathlib import Path

import pytest

from tests.lite.lite_book import SAMPLE_PDF, sample
from xlkp.samples import render_pdf


@pytest.fixture(scope="session")
def sample_folder(tmp_path_factory) -> Path:
    """Lite's files folder as the user leaves it: one PDF dropped in."""
    folder = tmp_path_factory.mktemp("lite-sample")
    render_pdf(sample(), folder / SAMPLE_PDF)
    return folder
