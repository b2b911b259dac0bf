"""Fixtures of the reliability tests: small publications and a private store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.reliability_support import QUARTERS, REGIONS
from xlkp.samples import render_pdf, sample_sections


@pytest.fixture(autouse=True)
def private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "opslag" / "store.sqlite"
    path.parent.mkdir()
    monkeypatch.setenv("XLKP_STORE", str(path))
    monkeypatch.setenv("XLKP_LOCK_TIMEOUT", "60")
    return path


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One small PDF per quarter, and a smaller 2021-Q1 (a region fewer)."""
    folder = tmp_path_factory.mktemp("pdfs")
    paths = {}
    for quarter in QUARTERS:
        paths[quarter] = folder / f"{quarter}.pdf"
        render_pdf(sample_sections(quarter)[:REGIONS], paths[quarter])
    paths["smaller"] = folder / "2021-Q1-kleiner.pdf"
    render_pdf(sample_sections("2021-Q1")[: REGIONS - 1], paths["smaller"])
    return paths


