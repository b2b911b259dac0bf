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
