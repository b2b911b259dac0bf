from pathlib import Path

import pytest
from history_data import build_store


@pytest.fixture(scope="session")
def store_file(tmp_path_factory) -> Path:
    """Built once: the functions only read it. Tests that write make their own."""
    return build_store(tmp_path_factory.mktemp("history"))


@pytest.fixture
def udfs(store_file, monkeypatch):
    from xlkp.addin import udfs

    monkeypatch.setenv("XLKP_STORE", str(store_file))
    udfs.reset()
    yield udfs
    udfs.reset()
