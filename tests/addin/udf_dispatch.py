"""Run KP_* calls through xlwings' own custom-function dispatch, as xlwings Server/Lite do.

Run as a script with XLWINGS_ON_SERVER=true (so `@xw.func` registers the functions) and
XLWINGS_LICENSE_KEY=noncommercial; reads calls as JSON on stdin, writes outcomes to stdout.
"""

import asyncio
import json
import sys

import xlwings as xw
from xlwings import server

from xlkp.addin import udfs


def payload(name, args):
    # Excel sends every parameter as a matrix (dimensionality "matrix"); an omitted optional
    # parameter arrives as null.
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


async def main():
    calls = json.load(sys.stdin)
    outcomes = []
    for name, args in calls:
        try:
            value = await server.custom_functions_call(payload(name, args), udfs)
            outcomes.append({"value": value})
        except Exception as error:
            outcomes.append({"error": type(error).__name__, "message": str(error),
                             "xlwings_error": isinstance(error, xw.XlwingsError)})
    meta = server.custom_functions_meta(udfs)
    print(json.dumps({"outcomes": outcomes, "meta": meta}, ensure_ascii=False))


asyncio.run(main())
