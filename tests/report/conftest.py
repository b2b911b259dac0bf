from pathlib import Path

import pytest

from xlkp.samples import render_pdf, sample_sections
from xlkp.samples.defects import inject_sample_defects


@pytest.fixture(autouse=True)
def private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test writes the history store in its own folder, never the user's."""
    path = tmp_path / "store" / "store.sqlite"
    path.parent.mkdir()
    monkeypatch.setenv("XLKP_STORE", str(path))
    return path


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full publication of two quarters with three deliberate errors, as a PDF."""
    path = tmp_path_factory.mktemp("pdf") / "publicatie.pdf"
    sections = [s for p in ("2021-Q1", "2021-Q2") for s in sample_sections(p)]
    inject_sample_defects(sections)
    render_pdf(sections, path)
    return path
