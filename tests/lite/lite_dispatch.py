"""Run xlkp.lite's scripts and KP_ functions through xlwings' server dispatch, as xlwings Lite does.

The same file runs in CPython (a subprocess per run: xlwings picks its decorators at import) and
in Pyodide under Node. The environment must hold XLWINGS_ON_SERVER=true, XLWINGS_LICENSE_KEY and
XLKP_LITE_DATA before this is imported. `run(request)` takes
{"book": <Office.js payload>, "scripts": [name, ...], "calls": [[function, [args]], ...]}
and returns each script's actions and printed output, each call's outcome, and the metadata
Lite would register.
"""

import contextlib
import io
import json
import sys

import xlwings as xw
from xlwings import server

import xlkp.lite as lite


def _call_payload(name, args):
    # Excel sends every argument as a matrix; an omitted optional argument as null.
    return {
        "func_name": name,
        "args": [None if a is None else [[a]] for a in args],
        "caller_address": "Blad1!A1",
        "version": xw.__version__,
        "client": "Office.js",
        "runtime": "1.4",
        "culture_info_name": "nl-NL",
        "date_format": "d-M-yyyy",
    }


async def run(request):
    scripts = []
    for name in request.get("scripts", []):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            book = await server.custom_scripts_call(
                lite, name, typehint_to_value={xw.Book: xw.Book(json=request["book"])}
            )
        scripts.append({"name": name, "actions": book.json()["actions"], "printed": printed.getvalue()})
    calls = []
    for name, args in request.get("calls", []):
        try:
            calls.append({"value": await server.custom_functions_call(_call_payload(name, args), lite)})
        except Exception as error:
            calls.append({"error": type(error).__name__, "message": str(error)})
    return {
        "scripts": scripts,
        "calls": calls,
        "scripts_meta": server.custom_scripts_meta(lite),
        "functions_meta": [f["name"] for f in server.custom_functions_meta(lite)["functions"]],
        "modules": sorted({m.split(".")[0] for m in sys.modules}),
    }


if __name__ == "__main__":
    import asyncio

    print(json.dumps(asyncio.run(run(json.load(sys.stdin))), ensure_ascii=False))
