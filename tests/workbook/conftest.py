import olefile
import pytest
from vba_reference import open_reference


@pytest.fixture(scope="module")
def reference() -> olefile.OleFileIO:
    return open_reference()
