from pathlib import Path

import pytest

from tests.history_data import build_store


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


@pytest.fixture
def store_path(remote_engine, monkeypatch, tmp_path) -> Path:
    """An empty store of this test's own for the macros, and the functions' cache cleared."""
    from xlkp.addin import udfs

    store = tmp_path / "store.sqlite"
    monkeypatch.setenv("XLKP_STORE", str(store))
    udfs.reset()
    yield store
    udfs.reset()
