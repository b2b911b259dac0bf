"""Run `@script`s and `KP_*` functions through xlwings' server dispatch, as xlwings Server and
Lite do: shared by the classic workbook's tests (xlkp.addin.udfs) and the Lite tests (xlkp.lite).

The same file runs in CPython (a subprocess per run, `python server_dispatch.py` with the request
on stdin: xlwings picks its decorators at import) and in Pyodide under Node (tests/lite/
pyodide_run.mjs imports it by its bare name), so it imports nothing from `tests`. The environment
must hold XLWINGS_ON_SERVER=true and XLWINGS_LICENSE_KEY (and XLKP_LITE_DATA for xlkp.lite) before
this runs. `run(request)` takes
{"module": "xlkp.lite" (the default) or "xlkp.addin.udfs", "book": <Office.js payload>,
 "scripts": [name, ...], "calls": [[function, [args]], ...]}
and returns each script's actions and printed output, each call's outcome, and the metadata
xlwings would register.
"""

import contextlib
import importlib
import io
import json
import sys

import xlwings as xw
from xlwings import server


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
    module = importlib.import_module(request.get("module", "xlkp.lite"))
    scripts = []
    for name in request.get("scripts", []):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            book = await server.custom_scripts_call(
                module, name, typehint_to_value={xw.Book: xw.Book(json=request["book"])}
            )
        scripts.append({"name": name, "actions": book.json()["actions"], "printed": printed.getvalue()})
    calls = []
    for name, args in request.get("calls", []):
        try:
            calls.append({"value": await server.custom_functions_call(_call_payload(name, args), module)})
        except Exception as error:
            # xlwings Server passes an XlwingsError's message to the cell (#VALUE! + message).
            calls.append({"error": type(error).__name__, "message": str(error),
                          "xlwings_error": isinstance(error, xw.XlwingsError)})
    return {
        "scripts": scripts,
        "calls": calls,
        "scripts_meta": server.custom_scripts_meta(module),
        "functions_meta": server.custom_functions_meta(module)["functions"],
        "modules": sorted({m.split(".")[0] for m in sys.modules}),
    }


if __name__ == "__main__":
    import asyncio

    print(json.dumps(asyncio.run(run(json.load(sys.stdin))), ensure_ascii=False))
