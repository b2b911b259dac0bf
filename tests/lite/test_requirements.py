"""Where the exact xlwings pin applies: every desktop install (the classic workbook embeds that
xlwings' VBA module), never Pyodide (xlwings Lite brings its own xlwings)."""

from importlib.metadata import requires

import xlwings
from packaging.requirements import Requirement


def _requirements(sys_platform: str) -> dict[str, str]:
    environment = {"sys_platform": sys_platform, "extra": ""}
    found = {}
    for text in requires("xlkp"):
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            found[requirement.name] = str(requirement.specifier)
    return found


def test_a_plain_install_pins_the_xlwings_the_classic_workbook_embeds() -> None:
    for platform in ("win32", "darwin", "linux"):
        desktop = _requirements(platform)
        assert desktop["xlwings"] == f"=={xlwings.__version__}"
        assert {"pandas", "pdfplumber", "pypdfium2", "openpyxl", "reportlab"} <= desktop.keys()


def test_pyodide_gets_only_what_xlkp_lite_needs_and_no_exact_xlwings_pin() -> None:
    pyodide = _requirements("emscripten")
    assert pyodide.keys() == {"xlwings", "pypdfium2", "openpyxl"}
    assert not pyodide["xlwings"].startswith("==")
    assert pyodide["pypdfium2"] == ">=5.15"  # the first with a Pyodide wheel
