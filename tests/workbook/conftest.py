import olefile
import pytest

from tests.workbook.vba_reference import open_reference


@pytest.fixture(scope="module")
def reference() -> olefile.OleFileIO:
    return open_reference()
