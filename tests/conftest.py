from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_bcdc71d015363620.txt"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.fail(f"the seed page is missing: {SEED} (../shared must lie beside the repo)")
    return SEED
