"""One writer at a time: imports side by side never lose a quarter, readers never see damage."""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from filelock import FileLock

from tests.reliability.reliability_support import (
    QUARTERS,
    one_line,
    store_periods,
    workbook_periods,
    xlkp,
)
from xlkp import cli
from xlkp.addin import udfs
from xlkp.importer import import_files
from xlkp.locks import lock_path
from xlkp.store import Store, StoreError

FORK = multiprocessing.get_context("fork")  # the children start with xlkp loaded: cheap


def test_two_imports_into_one_workbook_keep_both_quarters(tmp_path, pdfs, private_store):
    out = tmp_path / "W.xlsx"
    command = [sys.executable, "-m", "xlkp.cli", "import"]
    first = subprocess.Popen([*command, str(pdfs["2021-Q2"]), "-o", str(out), "-q"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen([*command, str(pdfs["2021-Q3"]), "-o", str(out), "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [p.communicate(timeout=120) + (p.returncode,) for p in (first, second)]
    assert [code for _, _, code in results] == [0, 0], results
    assert workbook_periods(out) == store_periods(private_store) == ["2021-Q2", "2021-Q3"]


def _import(pdf: str, workbook: str, store: str, errors, go) -> None:
    go.wait(60)
    try:
        import_files([pdf], workbook, store_path=store)
    except BaseException as error:  # reported to the parent, which fails the test
        errors.put(f"{pdf}: {type(error).__name__}: {error}")


def _read_in_a_process(store: str, stop, errors, reads, go) -> None:
    go.wait(60)
    count = 0
    while not stop.is_set():
        try:
            with Store.open(store, create=False) as reader:
                assert all(s.rows for s in reader.state().sections)
            count += 1
        except StoreError as error:
            if "nog niets" not in str(error) and "geen tabellen" not in str(error):
                errors.put(f"reader: {error}")
        except BaseException as error:
            errors.put(f"reader: {type(error).__name__}: {error}")
    reads.put(count)


def test_eight_imports_share_one_store_while_functions_read(tmp_path, pdfs, private_store, monkeypatch):
    """Eight processes import eight quarters into four workbooks (two each) and one store;
    KP_ functions in threads and a reader process read all the while."""
    monkeypatch.setattr(udfs, "RECHECK_SECONDS", 0.0)
    udfs.reset()
    store = str(private_store)
    errors, reads, stop, go = FORK.Queue(), FORK.Queue(), FORK.Event(), FORK.Event()
    thread_errors: list[str] = []
    thread_reads = [0]

    def read_functions() -> None:
        while not stop.is_set():
            try:
                periods = [p for (p,) in udfs.KP_PERIODS()]
                if periods:
                    assert isinstance(udfs.KP_TOTAL("Groningen", periods[0]), int | float)
                thread_reads[0] += 1
            except udfs.KPFormulaError as error:
                if "nog niets" not in str(error) and "geen xlkp-opslag" not in str(error):
                    thread_errors.append(str(error))
            except Exception as error:
                thread_errors.append(f"{type(error).__name__}: {error}")

    # Every process is forked before any thread starts (a fork copies no other thread, so a
    # lock one held would stay locked in the child); they all wait for `go`.
    reader = FORK.Process(target=_read_in_a_process, args=(store, stop, errors, reads, go), daemon=True)
    workbooks = [tmp_path / f"W{i % 4}.xlsx" for i in range(8)]
    importers = [
        FORK.Process(target=_import, args=(str(pdfs[quarter]), str(workbook), store, errors, go), daemon=True)
        for quarter, workbook in zip(QUARTERS, workbooks)
    ]
    for process in [reader, *importers]:
        process.start()
    threads = [threading.Thread(target=read_functions, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    go.set()
    try:
        for process in importers:
            process.join(timeout=300)
        time.sleep(0.3)  # readers see the last state too
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        reader.join(timeout=60)
        for process in [reader, *importers]:  # a hung child fails the test, never the run
            if process.is_alive():
                process.kill()
    assert [p.exitcode for p in importers] == [0] * 8
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == [] and thread_errors == []
    assert reads.get(timeout=10) > 0 and thread_reads[0] > 0
    assert store_periods(private_store) == sorted(QUARTERS)
    for i in range(4):
        assert workbook_periods(tmp_path / f"W{i}.xlsx") == sorted([QUARTERS[i], QUARTERS[i + 4]])
    with Store.open(private_store, create=False) as opened:
        assert opened.staged() == []
    assert udfs.KP_PERIODS() == [[q] for q in sorted(QUARTERS)]
    udfs.reset()


def test_a_second_import_waits_says_so_and_gives_up_with_one_line(tmp_path, pdfs, capsys, monkeypatch):
    out = tmp_path / "W.xlsx"
    monkeypatch.setenv("XLKP_LOCK_TIMEOUT", "0.5")
    held = FileLock(lock_path(out))
    with held:  # another import holds the workbook
        code = cli.main(["import", str(pdfs["2021-Q1"]), "-o", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    waiting, gave_up = err.splitlines()
    assert "wacht tot een andere import van deze werkmap klaar is" in waiting
    assert str(out) in gave_up and "na 0.5 seconden nog bezig" in gave_up
    assert not out.exists()
    # Released: the same import now goes through.
    assert cli.main(["import", str(pdfs["2021-Q1"]), "-o", str(out), "-q"]) == 0


def test_a_store_held_by_another_program_is_one_line(tmp_path, pdfs, private_store, capsys, monkeypatch):
    import_files([pdfs["2021-Q1"]], tmp_path / "W.xlsx")
    monkeypatch.setattr("xlkp.store.BUSY_TIMEOUT_SECONDS", 0.2)
    other = sqlite3.connect(private_store)
    other.execute("BEGIN EXCLUSIVE")  # a program that is not xlkp, holding the database
    try:
        code = cli.main(["import", str(pdfs["2021-Q2"]), "-o", str(tmp_path / "W.xlsx"), "-q"])
    finally:
        other.rollback()
        other.close()
    assert code == 2
    assert "bezet door een ander programma" in one_line(capsys.readouterr().err)
    assert workbook_periods(tmp_path / "W.xlsx") == store_periods(private_store) == ["2021-Q1"]


@pytest.mark.parametrize("quarter", ["2021-Q2"])
def test_the_cli_prints_the_wait_for_the_store_too(tmp_path, pdfs, private_store, quarter):
    held = FileLock(lock_path(private_store))
    with held:
        result = xlkp("import", pdfs[quarter], "-o", tmp_path / "W.xlsx", "-q", XLKP_LOCK_TIMEOUT="0.3")
    assert result.returncode == 2
    assert "deze opslag" in result.stderr.splitlines()[-1]
    assert not (tmp_path / "W.xlsx").exists()


def test_a_lock_that_cannot_be_made_stops_an_import_but_not_the_ribbon(tmp_path, monkeypatch):
    from xlkp.locks import LockError, holding

    def read_only(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(FileLock, "acquire", read_only)
    with pytest.raises(LockError, match="kan de werkmap niet vergrendelen"), holding(tmp_path / "W.xlsx", "werkmap"):
        pass
    entered = []
    with holding(tmp_path / "W.xlsx", "werkmap", required=False):
        entered.append(True)
    assert entered == [True]
