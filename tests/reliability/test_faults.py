"""Crash consistency: `kill -9` at random moments of a multi-quarter import, and exactly between
the workbook's rename and the store's commit. Afterwards the workbook opens, SQLite's integrity
check is ok, nothing imported before is lost, and once the next run has repaired what a dead run
left (as every import does first), workbook and store hold the same quarters.

Run as a script for more trials (the README's figures):
    python -m tests.reliability.test_faults --trials 200
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability.reliability_support import store_periods, workbook_periods
from xlkp.files import leftover_temporaries
from xlkp.importer import import_files, recover
from xlkp.locks import holding
from xlkp.store import Store

TRIALS = 20


@dataclass
class Figures:
    trials: int = 0
    held: int = 0
    lost: int = 0
    repaired: int = 0  # store behind the workbook after the kill, repaired by the next run
    finished: int = 0  # the import had completed before the kill
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"trials {self.trials}, held {self.held}, lost {self.lost} "
                f"(killed mid-import {self.trials - self.finished}, store repaired after the kill {self.repaired})")


def _command(workbook: Path, pdfs: list[Path]) -> list[str]:
    return [sys.executable, "-m", "xlkp.cli", "import", *map(str, pdfs), "-o", str(workbook), "-q"]


def _environment(store: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "XLKP_STORE": str(store), **extra}


def _base(folder: Path, first: Path) -> tuple[Path, Path]:
    """A workbook and store holding one quarter: what every trial starts from."""
    folder.mkdir()
    workbook, store = folder / "K.xlsx", folder / "store.sqlite"
    import_files([first], workbook, store_path=store)
    return workbook, store


def _fresh(base: tuple[Path, Path], folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    workbook, store = folder / base[0].name, folder / base[1].name
    shutil.copyfile(base[0], workbook)
    shutil.copyfile(base[1], store)  # closed: its WAL is checkpointed and gone
    return workbook, store


def check_after_crash(workbook: Path, store: Path, must_hold: list[str]) -> tuple[bool, bool, str]:
    """(held, repaired, what was wrong): the files are whole, the next run repairs, they agree."""
    try:
        in_book = workbook_periods(workbook)
        in_store = store_periods(store)
    except Exception as error:  # a workbook that does not open, a store that fails its check
        return False, False, f"damaged: {type(error).__name__}: {error}"
    repaired = False
    with holding(workbook, "werkmap"), holding(store, "opslag"), Store.open(store) as opened:
        repaired = bool(recover(opened))
    in_store_after = store_periods(store)
    if in_book != in_store_after:
        return False, repaired, f"workbook {in_book} and store {in_store_after} disagree (before repair {in_store})"
    if not set(must_hold) <= set(in_book):
        return False, repaired, f"lost {sorted(set(must_hold) - set(in_book))}"
    return True, repaired, ""


def random_kills(pdfs: dict[str, Path], folder: Path, trials: int, seed: int = 11) -> Figures:
    rng = random.Random(seed)
    base = _base(folder / "basis", pdfs["2021-Q1"])
    new = [pdfs["2021-Q2"], pdfs["2021-Q3"], pdfs["2021-Q4"]]
    # One uninterrupted run: it must succeed, and it tells how long an import takes here.
    workbook, store = _fresh(base, folder / "heel")
    started = time.monotonic()
    done = subprocess.run(_command(workbook, new), env=_environment(store), capture_output=True, text=True)
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    figures = Figures()
    for trial in range(trials):
        workbook, store = _fresh(base, folder / f"proef-{trial}")
        process = subprocess.Popen(_command(workbook, new), env=_environment(store),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Half the kills anywhere, half in the later part, where the files are written.
        time.sleep(rng.uniform(0, duration) if trial % 2 else rng.uniform(0.5 * duration, 1.1 * duration))
        process.send_signal(signal.SIGKILL)
        figures.finished += process.wait() == 0
        held, repaired, problem = check_after_crash(workbook, store, ["2021-Q1"])
        figures.trials += 1
        figures.held += held
        figures.lost += not held
        figures.repaired += repaired
        if problem:
            figures.failures.append(f"trial {trial}: {problem}")
        shutil.rmtree(folder / f"proef-{trial}")
    return figures


def test_random_kills_never_lose_or_split(pdfs, tmp_path):
    figures = random_kills(pdfs, tmp_path, TRIALS)
    print(figures.line())
    assert figures.trials == TRIALS
    assert figures.failures == [] and figures.lost == 0
    assert figures.held == TRIALS


def test_a_kill_between_rename_and_store_commit_is_repaired(pdfs, tmp_path):
    base = _base(tmp_path / "basis", pdfs["2021-Q1"])
    workbook, store = _fresh(base, tmp_path / "na-hernoemen")
    killed = subprocess.run(_command(workbook, [pdfs["2021-Q2"]]), capture_output=True, text=True,
                            env=_environment(store, XLKP_FAULT="after-rename"))
    assert killed.returncode == -signal.SIGKILL
    # The workbook has the new quarter, the store has it staged only: readers see the old state.
    assert workbook_periods(workbook) == ["2021-Q1", "2021-Q2"]
    assert store_periods(store) == ["2021-Q1"]
    with Store.open(store, create=False) as reader:
        assert [w for _, w, _ in reader.staged()] == [str(workbook.resolve())]
    # The next import repairs it first, then does its own work.
    after = subprocess.run(_command(workbook, [pdfs["2021-Q3"]]), capture_output=True, text=True,
                           env=_environment(store))
    assert after.returncode == 0, after.stderr
    assert workbook_periods(workbook) == store_periods(store) == ["2021-Q1", "2021-Q2", "2021-Q3"]
    with Store.open(store, create=False) as reader:
        assert reader.staged() == []


def test_a_kill_before_the_rename_changes_nothing_and_leaves_nothing(pdfs, tmp_path):
    base = _base(tmp_path / "basis", pdfs["2021-Q1"])
    workbook, store = _fresh(base, tmp_path / "voor-hernoemen")
    before = workbook.read_bytes()
    killed = subprocess.run(_command(workbook, [pdfs["2021-Q2"]]), capture_output=True, text=True,
                            env=_environment(store, XLKP_FAULT="before-rename"))
    assert killed.returncode == -signal.SIGKILL
    assert workbook.read_bytes() == before
    assert len(leftover_temporaries(workbook)) == 2  # the new workbook and the old one's spare name
    held, repaired, problem = check_after_crash(workbook, store, ["2021-Q1"])
    assert held and not repaired, problem
    assert store_periods(store) == ["2021-Q1"]
    # The next import clears the dead run's temporary files.
    import_files([pdfs["2021-Q3"]], workbook, store_path=store)
    assert leftover_temporaries(workbook) == []
    assert workbook_periods(workbook) == store_periods(store) == ["2021-Q1", "2021-Q3"]


def test_excel_opening_the_workbook_during_the_import_stops_the_rename(pdfs, tmp_path, private_store, monkeypatch):
    import pytest

    from xlkp.importer import TargetError
    from xlkp.report import openpyxl_writer

    workbook = tmp_path / "K.xlsx"
    import_files([pdfs["2021-Q1"]], workbook)
    before = workbook.read_bytes()
    write = openpyxl_writer.write_workbook

    def opened_meanwhile(*args, **kwargs):
        write(*args, **kwargs)
        (tmp_path / "~$K.xlsx").write_bytes(b"owner")  # the user opens it in Excel now

    monkeypatch.setattr(openpyxl_writer, "write_workbook", opened_meanwhile)
    with pytest.raises(TargetError, match="geopend in Excel"):
        import_files([pdfs["2021-Q2"]], workbook)
    assert workbook.read_bytes() == before
    assert store_periods(private_store) == ["2021-Q1"]
    with Store.open(private_store, create=False) as reader:
        assert reader.staged() == []
    assert leftover_temporaries(workbook) == []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    from xlkp.samples import render_pdf, sample_sections

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        pdfs = {}
        for quarter in ("2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"):
            pdfs[quarter] = folder / f"{quarter}.pdf"
            render_pdf(sample_sections(quarter)[:3], pdfs[quarter])
        (folder / "proeven").mkdir()
        figures = random_kills(pdfs, folder / "proeven", args.trials, args.seed)
    print(figures.line())
    for failure in figures.failures:
        print(failure)


if __name__ == "__main__":
    main()
