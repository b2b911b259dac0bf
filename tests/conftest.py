import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_bcdc71d015363620.txt"


@pytest.fixture
def seed_path() -> Path:
    """The one real page we have. A contributor's clone has no ../shared: skip, except under CI,
    where it is always present and its absence is a broken setup."""
    if not SEED.exists():
        message = (
            f"the seed page {SEED} is not here: it lives in ../shared beside the checkout, "
            "which only the project's own machines have"
        )
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return SEED


@pytest.fixture
def remote_engine(monkeypatch) -> None:
    """xlwings' remote engine, with its licence key set for this test only.

    xlwings decides at import which engines exist, so the engine is registered here when
    xlwings was imported before the key was set (as in a full test run).
    """
    import xlwings as xw

    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.pro import _xlremote  # validates the key from the environment

        xw.engines.add(xw.Engine(impl=_xlremote.engine))
