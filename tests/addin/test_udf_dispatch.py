"""The same calls through xlwings' custom-function dispatch: signatures, conversions, arrays, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CALLS = [
    ("KP_COVERAGE", ["Alkmaar"]),
    ("KP_COVERAGE", ["Alkmaar", None]),
    ("KP_COVERAGE", ["Noord-Holland (Noord)", "Eerste kwartaal 2021"]),
    ("KP_COVERAGE", ["Nederland", "2021 Q1"]),
    ("KP_TOTAL", ["bergen nh", "2022-Q1"]),
    ("KP_VALUE", ["Alkmaar", 2.0]),  # Excel numbers are floats
    ("KP_VALUE", ["Alkmaar", "Profiel beide", "2021-Q1"]),
    ("KP_VALUE", ["Nederland", "Totaal"]),
    ("KP_REGISTER", ["Zeeland"]),
    ("KP_REGION", ["Heerhugowaard"]),
    ("KP_CHECK", ["Alkmaar"]),
    ("KP_PERIODS", []),
    ("KP_TABLE", ["Zeeland", "2021-Q1"]),
    ("KP_TABLE", ["Nederland"]),
    ("KP_COVERAGE", ["Alkmar"]),
    ("KP_TOTAL", ["Heerhugowaard"]),
    ("KP_VALUE", ["Alkmaar", 7.0]),
    ("KP_TOTAL", ["Alkmaar", "2030-Q4"]),
]


def _as_matrix(value):
    """How a plain answer reaches Excel: every result is a 2-D array."""
    return value if isinstance(value, list) else [[value]]


@pytest.fixture(scope="module")
def dispatched(store_file):
    env = dict(
        os.environ,
        XLWINGS_ON_SERVER="true",
        XLWINGS_LICENSE_KEY="noncommercial",
        XLKP_STORE=str(store_file),
    )
    script = Path(__file__).resolve().parents[1] / "server_dispatch.py"
    result = subprocess.run(
        [sys.executable, str(script)],
        input=json.dumps({"module": "xlkp.addin.udfs", "calls": CALLS}),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_dispatch_gives_what_plain_calls_give(dispatched, udfs):
    assert len(dispatched["calls"]) == len(CALLS)
    for (name, args), outcome in zip(CALLS, dispatched["calls"], strict=True):
        function = getattr(udfs, name)
        try:
            plain = function(*args)
        except udfs.KPFormulaError as error:
            # xlwings Server passes an XlwingsError's message to the cell (#VALUE! + message).
            assert outcome == {"error": "KPFormulaError", "message": str(error), "xlwings_error": True}
            continue
        assert "value" in outcome, (name, args, outcome)
        got = outcome["value"]
        if isinstance(plain, float):
            assert got == [[pytest.approx(plain)]]
        else:
            assert got == _as_matrix(plain), (name, args)


def test_errors_arrive_with_the_dutch_message(dispatched):
    errors = [o for o in dispatched["calls"] if "error" in o]
    assert [e["message"] for e in errors] == [
        "onbekende gemeente 'Alkmar' — bedoelt u Alkmaar?",
        "Heerhugowaard is per 1 januari 2022 opgegaan in Dijk en Waard",
        "kolom 7 bestaat niet — kies 1-4 of Totaal",
        "periode 2030-Q4 is niet geïmporteerd; wel: 2021-Q1, 2022-Q1",
    ]


def test_dynamic_arrays_spill(dispatched):
    by_call = dict(zip([f"{n}{a}" for n, a in CALLS], dispatched["calls"], strict=True))
    assert by_call["KP_PERIODS[]"]["value"] == [["2021-Q1"], ["2022-Q1"]]
    zeeland = by_call["KP_TABLE['Zeeland', '2021-Q1']"]["value"]
    assert zeeland[0][0] == "Gemeente" and zeeland[-1][0] == "TOTAAL AMR"
    assert {len(row) for row in zeeland} == {6}


def test_signatures_as_excel_registers_them(dispatched):
    functions = {f["name"]: f for f in dispatched["functions_meta"]}
    assert set(functions) == {
        "KP_COVERAGE", "KP_TOTAL", "KP_VALUE", "KP_REGISTER", "KP_REGION", "KP_CHECK", "KP_PERIODS", "KP_TABLE"
    }

    def params(name):
        return [(p["name"], p.get("optional", False)) for p in functions[name]["parameters"]]

    assert params("KP_COVERAGE") == [("area", False), ("period", True)]
    assert params("KP_VALUE") == [("area", False), ("column", False), ("period", True)]
    assert params("KP_REGION") == [("municipality", False)]
    assert params("KP_PERIODS") == []
    assert "per regio" in functions["KP_COVERAGE"]["description"]
    assert functions["KP_COVERAGE"]["parameters"][1]["description"].startswith("Kwartaal")
