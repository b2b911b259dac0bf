from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_bcdc71d015363620.txt"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.fail(f"the seed page is missing: {SEED} (../shared must lie beside the repo)")
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
