"""Running LibreOffice headless from tests, through its own Python (which has `uno`).

A test passes a script to `run_uno_script`; the script finds `desktop` (a connected
com.sun.star.frame.Desktop) and `load(path)` (opens a document hidden, macros allowed) in its
globals and prints its result, usually JSON, to stdout. Each run uses a private user profile,
so runs don't share state and may run in parallel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path

import pytest

UNO_PYTHON = "/usr/bin/python3"

_BOOTSTRAP = textwrap.dedent(
    """
    import os, subprocess, sys, time, uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException

    soffice, profile, pipe = sys.argv[1:4]
    process = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
    for _ in range(600):
        try:
            context = resolver.resolve(
                "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except NoConnectException:
            if process.poll() is not None:
                sys.exit("soffice exited early with code %s" % process.returncode)
            time.sleep(0.1)
    else:
        process.kill()
        sys.exit("could not connect to soffice")
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    def _property(name, value):
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        return prop

    def load(path):
        return desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
            (_property("Hidden", True),
             _property("MacroExecutionMode", 4)))  # ALWAYS_EXECUTE_NO_WARN

    sys.argv = [sys.argv[0], *sys.argv[4:]]
    try:
        exec(compile(open(sys.argv[0] + ".user").read(), "uno-script", "exec"))
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    """
)


def soffice_path() -> str | None:
    found = shutil.which("soffice") or (
        "/usr/bin/soffice" if Path("/usr/bin/soffice").exists() else None
    )
    if found and Path(UNO_PYTHON).exists():
        return found
    return None


def require_soffice() -> str:
    """soffice's path; fails under CI=true when it is missing, skips otherwise."""
    found = soffice_path()
    if found is None:
        message = f"LibreOffice (soffice) and {UNO_PYTHON} with uno are needed"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def run_uno_script(script: str, *args: str, timeout: float = 240) -> str:
    """Run `script` in LibreOffice's Python against a fresh headless soffice; return its stdout."""
    soffice = require_soffice()
    with tempfile.TemporaryDirectory(prefix="xlkp-lo-") as tmp:
        bootstrap = Path(tmp) / "bootstrap.py"
        bootstrap.write_text(_BOOTSTRAP)
        Path(str(bootstrap) + ".user").write_text(textwrap.dedent(script))
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        result = subprocess.run(
            [
                UNO_PYTHON,
                str(bootstrap),
                soffice,
                str(Path(tmp) / "profile"),
                f"xlkp{os.getpid()}_{Path(tmp).name}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    if result.returncode != 0:
        raise AssertionError(
            f"UNO script failed ({result.returncode}):\n{result.stderr}\n{result.stdout}"
        )
    return result.stdout


# ---- workbooks: recalculate, read back, edit, render ------------------------------------------

_WORKBOOK_SCRIPT = """
import json
from com.sun.star.beans import PropertyValue

def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

def _cell(doc, sheet, address):
    return doc.Sheets.getByName(sheet).getCellRangeByName(address)

def _used(doc, name):
    sheet = doc.Sheets.getByName(name)
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    end = cursor.getRangeAddress()
    area = sheet.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow)
    return [list(row) for row in area.getDataArray()]

def _errors(doc):
    # Per sheet the cells whose formula gives an error value (#DIV/0!, #N/A, ...), as ranges.
    from com.sun.star.sheet.FormulaResult import ERROR
    found = {}
    for name in doc.Sheets.getElementNames():
        ranges = doc.Sheets.getByName(name).queryFormulaCells(ERROR)
        if ranges.getCount():
            found[name] = ranges.getRangeAddressesAsString()
    return found

plan = json.loads(open(sys.argv[2]).read())
doc = load(sys.argv[1])
result = []
try:
    doc.calculateAll()
    for step in plan:
        for sheet, address, value in step.get("set", []):
            target = _cell(doc, sheet, address)
            if isinstance(value, str):
                target.setString(value)
            else:
                target.setValue(value)
        doc.calculateAll()
        snapshot = {name: _used(doc, name) for name in step.get("read", [])}
        if step.get("errors"):
            snapshot["@errors"] = _errors(doc)
        if step.get("pdf"):
            doc.storeToURL(uno.systemPathToFileUrl(step["pdf"]), (_prop("FilterName", "calc_pdf_Export"),))
        result.append(snapshot)
finally:
    doc.close(True)
print("@@JSON@@" + json.dumps(result))
"""


def workbook_steps(path: str | Path, steps: list[dict], timeout: float = 300) -> list[dict]:
    """Open `path` in LibreOffice, recalculate, and run `steps` in order.

    Each step may "set" cells ([sheet, "B2", value], ... then recalculate), "read" sheets (their
    used area as rows of values: numbers as floats, text as str, empty as ""), list with
    "errors": true the cells of every sheet whose formula gives an error value (under the key
    "@errors": {sheet: "A1:B2,..."}) and export the whole workbook as "pdf" to a path. Returns one {sheet: rows} per step.
    """
    import json

    with tempfile.TemporaryDirectory(prefix="xlkp-plan-") as tmp:
        plan = Path(tmp) / "plan.json"
        plan.write_text(json.dumps(steps))
        out = run_uno_script(_WORKBOOK_SCRIPT, str(Path(path).resolve()), str(plan), timeout=timeout)
    return json.loads(out.split("@@JSON@@", 1)[1])


def render_pdf(path: str | Path, outdir: str | Path, timeout: float = 240) -> Path:
    """Convert a document to PDF with `soffice --convert-to` (own profile); return the PDF path."""
    return render_pdfs([path], outdir, timeout)[0]


def render_pdfs(paths: list[str | Path], outdir: str | Path, timeout: float = 240) -> list[Path]:
    """Convert several documents to PDF in one `soffice --convert-to` run; return the PDF paths."""
    soffice = require_soffice()
    outdir = Path(outdir)
    with tempfile.TemporaryDirectory(prefix="xlkp-profile-") as profile:
        result = subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
            capture_output=True, text=True, timeout=timeout,
        )
    pdfs = [outdir / (Path(path).stem + ".pdf") for path in paths]
    missing = [str(path) for path, pdf in zip(paths, pdfs) if not pdf.exists()]
    if result.returncode != 0 or missing:
        raise AssertionError(f"soffice could not convert {missing or paths}: {result.stderr}{result.stdout}")
    return pdfs


def pdf_to_png(pdf: str | Path, outdir: str | Path, scale: float = 1.5) -> list[Path]:
    """One PNG per PDF page (pypdfium2), for a person to look at and for simple pixel checks."""
    import pypdfium2 as pdfium

    outdir = Path(outdir)
    document = pdfium.PdfDocument(str(pdf))
    pages = []
    try:
        for index in range(len(document)):
            image = document[index].render(scale=scale).to_pil()
            target = outdir / f"{Path(pdf).stem}-{index + 1:02d}.png"
            image.save(target)
            pages.append(target)
    finally:
        document.close()
    return pages
