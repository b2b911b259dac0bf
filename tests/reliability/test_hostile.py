"""Every failure an import can meet: one Dutch line naming the file, exit 2, nothing changed."""

from __future__ import annotations

import errno
import io
import os
import sqlite3
import tracemalloc
from pathlib import Path

import pytest

from tests.reliability.reliability_support import (
    mounted,
    one_line,
    remount_read_only,
    store_periods,
    workbook_periods,
)
from xlkp import cli
from xlkp.addin import udfs
from xlkp.addin.settings import configured_store
from xlkp.importer import ShrinkRefused, TargetError, import_files
from xlkp.model import InputError
from xlkp.parse import _publication, read_publication
from xlkp.parse.text import stream_text_lines
from xlkp.store import Store, StoreError, default_store_path


def run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def imported(tmp_path, pdfs, private_store) -> Path:
    """A workbook and store holding 2021-Q1 and 2021-Q2."""
    out = tmp_path / "K.xlsx"
    import_files([pdfs["2021-Q1"], pdfs["2021-Q2"]], out)
    return out


def unchanged(workbook: Path, store: Path):
    """A check that neither file changed: bytes of the workbook, data of the store."""
    def data() -> tuple:
        with Store.open(store, create=False) as opened:
            state = opened.state()
        return state.sections, state.findings

    before = workbook.read_bytes(), data()

    def check() -> None:
        assert workbook.read_bytes() == before[0]
        assert data() == before[1]

    return check


# ---- the shrink guard -----------------------------------------------------------------------------


def test_a_smaller_quarter_is_refused_unless_the_user_says_so(imported, pdfs, private_store, capsys):
    same = unchanged(imported, private_store)
    code, _, err = run(capsys, "import", pdfs["smaller"], "-o", imported, "-q")
    assert code == 2
    line = one_line(err)
    assert str(imported) in line and "2021-Q1" in line and "3 regio's" in line and "2 regio's" in line
    assert "--replace" in line
    same()
    code, _, err = run(capsys, "import", pdfs["smaller"], "-o", imported, "-q", "--replace")
    assert code == 0, err
    with Store.open(private_store, create=False) as store:
        assert len(store.sections("2021-Q1")) == 2


def test_the_store_guards_a_quarter_another_workbook_holds(imported, pdfs, private_store, tmp_path):
    other = tmp_path / "Ander.xlsx"
    with pytest.raises(ShrinkRefused, match="2021-Q1"):
        import_files([pdfs["smaller"]], other)
    assert not other.exists()
    assert store_periods(private_store) == ["2021-Q1", "2021-Q2"]


def test_a_foreign_text_file_is_bad_input_not_a_quarter(imported, tmp_path, private_store, capsys):
    same = unchanged(imported, private_store)
    foreign = tmp_path / "hallo.txt"
    foreign.write_text("Eerste kwartaal 2021 Hallo\nPiet 1 2 3 4 10\n", encoding="utf-8")
    code, _, err = run(capsys, "import", foreign, "-o", imported, "-q")
    assert code == 2 and "geen bekende arbeidsmarktregio" in one_line(err) and str(foreign) in err
    same()


class CountingReader(io.RawIOBase):
    """A file of random words that counts what is read of it."""

    def __init__(self, size: int):
        import random

        words = ["Eerste", "kwartaal", "2021", "Twente", "TOTAAL", "AMR", "1", "2", "10", "de", "regio", "Piet"]
        rnd = random.Random(5)
        block = "\n".join(" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 9))) for _ in range(20_000))
        self.block = (block + "\n").encode()
        self.size, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = min(n if n >= 0 else self.size, self.size - self.read_bytes)
        start = self.read_bytes % len(self.block)
        data = (self.block[start:] + self.block)[:n]
        self.read_bytes += len(data)
        return data


def test_fifty_megabytes_of_words_are_refused_after_a_bounded_read(tmp_path):
    reader = CountingReader(50_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="onherkenbare tekst"):
            _publication("woorden.txt", stream_text_lines(reader), kind="tekst")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reader.read_bytes < 1_000_000  # of 50 MB
    assert peak < 20_000_000
    # The same on disk, through the one entry point (one long line, too).
    line = tmp_path / "een-regel.txt"
    line.write_bytes(b"woord " * 2_000_000)
    with pytest.raises(InputError, match="geen tabellen"):
        read_publication(line)


# ---- numbers and names ------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", [20, 4_400])
def test_a_count_too_long_to_be_a_count_is_bad_input(seed_path, tmp_path, capsys, digits):
    damaged = tmp_path / f"getal-{digits}.txt"
    damaged.write_text(seed_path.read_text(encoding="utf-8").replace("1.490", "7" * digits, 1), encoding="utf-8")
    for command in (["extract", "--strict"], ["import", "-o", tmp_path / "K.xlsx", "-q"]):
        code, out, err = run(capsys, *command, damaged)
        assert code == 2, (command, err)
        assert f"{digits} cijfers" in one_line(err) and str(damaged) in err
    assert not (tmp_path / "K.xlsx").exists()


def test_control_characters_are_removed_with_a_warning(seed_path, tmp_path, private_store, capsys):
    text = seed_path.read_text(encoding="utf-8").replace("Den Helder", "Den \x07Hel\x0bder", 1)
    source = tmp_path / "stuurtekens.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "K.xlsx"
    code, _, err = run(capsys, "import", source, "-o", out, "-q")
    assert code == 0, err
    with Store.open(private_store, create=False) as store:
        names = [r.municipality for s in store.sections() for r in s.rows]
        assert "Den Helder" in names
        warnings = [f for f in store.findings() if f.kind == "control_characters"]
    assert [w.municipality for w in warnings] == ["Den Helder"]
    assert warnings[0].severity == "warning"
    assert "\\x07" in warnings[0].message  # shown, not passed on


def test_a_file_name_with_a_newline_stays_one_line(tmp_path, capsys):
    bad = tmp_path / "twee\nregels.pdf"
    bad.write_bytes(b"geen pdf")
    code, _, err = run(capsys, "import", bad, "-o", tmp_path / "K.xlsx", "-q")
    assert code == 2
    assert "twee\\nregels.pdf" in one_line(err)


def test_every_bad_file_is_named(tmp_path, pdfs, capsys):
    empty, text = tmp_path / "leeg.pdf", tmp_path / "nee.txt"
    empty.write_bytes(b"")
    text.write_text("boodschappen\n", encoding="utf-8")
    code, _, err = run(capsys, "import", pdfs["2021-Q1"], empty, text, "-o", tmp_path / "K.xlsx", "-q")
    assert code == 2 and "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 3
    assert str(empty) in lines[0] and str(text) in lines[1] and "2 van 3 bestanden" in lines[2]
    assert not (tmp_path / "K.xlsx").exists()


@pytest.mark.parametrize(
    "arguments, reason",
    [
        (["--period", "2021-Q5"], "geen kwartaal"),
        (["--period", "=1+1"], "geen kwartaal"),
        (["--rows-per-page", "0"], "1 tot en met 1000"),
    ],
)
def test_bad_sample_arguments(tmp_path, capsys, arguments, reason):
    code, _, err = run(capsys, "sample", tmp_path / "v.pdf", *arguments)
    assert code == 2 and reason in one_line(err)
    assert not (tmp_path / "v.pdf").exists()


def test_sample_into_a_missing_folder_or_a_folder(tmp_path, capsys):
    for target in (tmp_path / "nergens" / "v.pdf", tmp_path):
        code, _, err = run(capsys, "sample", target)
        assert code == 2 and str(target) in one_line(err)


# ---- what -o names ----------------------------------------------------------------------------------


def test_a_fifo_as_output_is_refused_at_once(tmp_path, pdfs):
    from tests.reliability.reliability_support import xlkp

    fifo = tmp_path / "pijp.xlsx"
    os.mkfifo(fifo)
    result = xlkp("import", pdfs["2021-Q1"], "-o", fifo, "-q", timeout=60)
    assert result.returncode == 2 and "geen gewoon bestand" in one_line(result.stderr)


def test_a_symlink_as_output_is_followed(tmp_path, pdfs, private_store):
    real = tmp_path / "echt" / "K.xlsx"
    real.parent.mkdir()
    import_files([pdfs["2021-Q1"]], real)
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    import_files([pdfs["2021-Q2"]], link)
    assert link.is_symlink() and link.resolve() == real
    assert workbook_periods(real) == ["2021-Q1", "2021-Q2"]
    dangling = tmp_path / "los.xlsx"
    dangling.symlink_to(tmp_path / "weg" / "K.xlsx")
    with pytest.raises(TargetError, match="verwijzing naar een bestand dat niet bestaat"):
        import_files([pdfs["2021-Q3"]], dangling)


# ---- the store ----------------------------------------------------------------------------------------


def test_dropped_tables_and_a_foreign_database_are_one_line(imported, private_store, tmp_path, pdfs, capsys,
                                                            monkeypatch):
    db = sqlite3.connect(private_store)
    db.execute("DROP TABLE rows")
    db.commit()
    db.close()
    for args in (["import", pdfs["2021-Q3"], "-o", imported, "-q"], ["periods", "--store", private_store],
                 ["show", "Alkmaar", "--store", private_store]):
        code, _, err = run(capsys, *args)
        assert code == 2, args
        assert "geen bruikbare xlkp-opslag" in one_line(err) and str(private_store) in err
    foreign = tmp_path / "ander.sqlite"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE klanten (naam TEXT)")
    db.commit()
    db.close()
    before = foreign.read_bytes()
    monkeypatch.setenv("XLKP_STORE", str(foreign))
    for args in (["periods", "--store", foreign], ["import", pdfs["2021-Q3"], "-o", tmp_path / "N.xlsx", "-q"]):
        code, _, err = run(capsys, *args)
        assert code == 2 and "geen xlkp-opslag (een andere SQLite-database)" in one_line(err)
    assert foreign.read_bytes() == before
    assert not (tmp_path / "N.xlsx").exists()


def test_a_damaged_store_is_one_line(imported, private_store, pdfs, capsys):
    data = bytearray(private_store.read_bytes())
    for position in range(4096 + 100, len(data), 97):  # past the header: every page of data
        data[position] ^= 0xFF
    private_store.write_bytes(bytes(data))
    failed = 0
    for args in (["periods", "--store", private_store], ["show", "Groningen", "--store", private_store],
                 ["import", pdfs["2021-Q3"], "-o", imported, "-q"]):
        code, _, err = run(capsys, *args)
        # SQLite notices damage where it reads: a command may still answer from intact pages.
        assert code in (0, 2), (args, err)
        if code == 2:
            failed += 1
            assert str(private_store) in one_line(err)
    assert failed
    udfs.reset()
    with pytest.raises(udfs.KPFormulaError):
        udfs.KP_TOTAL("Groningen", "2021-Q1")
    udfs.reset()


def test_reading_never_creates_or_changes_a_file(tmp_path, monkeypatch):
    tmp_path = tmp_path / "lezen"
    tmp_path.mkdir()
    empty = tmp_path / "leeg.sqlite"
    empty.write_bytes(b"")
    monkeypatch.setenv("XLKP_STORE", str(empty))
    udfs.reset()
    with pytest.raises(udfs.KPFormulaError, match="geen xlkp-opslag"):
        udfs.KP_PERIODS()
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leeg.sqlite"]
    missing = tmp_path / "nergens" / "store.sqlite"
    monkeypatch.setenv("XLKP_STORE", str(missing))
    udfs.reset()
    with pytest.raises(udfs.KPFormulaError, match="nog niets"):
        udfs.KP_PERIODS()
    assert not missing.parent.exists()
    udfs.reset()


def test_a_change_check_never_opens_the_file(imported, private_store, monkeypatch):
    """Closing any descriptor of the database would drop this process's SQLite locks (POSIX)."""
    from xlkp.store import change_token

    opened = []
    real_open = os.open

    def watching(path, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", watching)
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(str(a[0])))
    token = change_token(private_store)
    assert token is not None and opened == []
    monkeypatch.undo()
    # ... and a writer's lock survives it: another connection cannot write meanwhile.
    with Store.open(private_store) as store:
        store._db.execute("BEGIN IMMEDIATE")
        change_token(private_store)
        other = sqlite3.connect(private_store, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        store._db.execute("ROLLBACK")


def test_the_store_is_wal_with_a_busy_timeout(imported, private_store):
    db = sqlite3.connect(private_store)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    with Store.open(private_store) as store:
        assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
    with Store.open(private_store, create=False) as reader, pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader._db.execute("DELETE FROM findings")


# ---- disk full, read-only ------------------------------------------------------------------------


# openpyxl's zip writer, failing on the full disk, cannot close itself either: a warning, not ours.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_disk_full_while_writing_the_workbook(imported, private_store, pdfs, tmp_path, monkeypatch, capsys):
    """A real full tmpfs where the machine allows one; else a write that raises ENOSPC."""
    folder = tmp_path / "klein"
    with mounted(folder, "2m") as real:
        out = folder / "K.xlsx"
        out.write_bytes(imported.read_bytes())
        same = unchanged(out, private_store)
        if real:
            filler = folder / "vol"
            with open(filler, "wb") as handle, pytest.raises(OSError):
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
        else:
            from xlkp.report import openpyxl_writer

            def full(*args, **kwargs):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            monkeypatch.setattr(openpyxl_writer, "write_workbook", full)
        code, _, err = run(capsys, "import", pdfs["2021-Q3"], "-o", out, "-q")
        assert code == 2 and "schijf vol" in one_line(err) and str(out) in err
        same()
        assert not [p for p in folder.iterdir() if p.name.startswith(".~xlkp-")]


def test_disk_full_in_the_store(imported, private_store, pdfs, monkeypatch, capsys):
    """SQLite's own 'database or disk is full', through a page limit: the real error, not
    'cannot rollback', and nothing changed."""
    same = unchanged(imported, private_store)
    prepare = Store._prepare

    def limited(self):
        prepare(self)
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        self._db.execute(f"PRAGMA max_page_count = {pages + 1}")

    monkeypatch.setattr(Store, "_prepare", limited)
    code, _, err = run(capsys, "import", pdfs["2021-Q3"], pdfs["2021-Q4"], "-o", imported, "-q")
    assert code == 2, err
    line = one_line(err)
    assert "schijf vol" in line and str(private_store) in line and "rollback" not in line
    monkeypatch.undo()
    same()


def test_read_only_folder_and_store(imported, private_store, pdfs, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "alleen-lezen"
    with mounted(folder, "4m") as real:
        out = folder / "K.xlsx"
        store = folder / "store.sqlite"
        out.write_bytes(imported.read_bytes())
        if real:
            with Store.open(private_store) as source, Store.open(store) as copy:
                state = source.state()
                copy.replace_periods(state.sections, state.findings, "kopie")
            remount_read_only(folder)
        else:  # as root a chmod does not stop writes: refuse them where they would start
            import filelock

            def read_only(*args, **kwargs):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS))

            monkeypatch.setattr(filelock.FileLock, "acquire", read_only)
        before = out.read_bytes()
        code, _, err = run(capsys, "import", pdfs["2021-Q3"], "-o", out, "-q")
        assert code == 2 and str(out) in one_line(err)
        assert out.read_bytes() == before
        if real:  # a store on a read-only disk still answers the functions and `periods`
            code, out_text, err = run(capsys, "periods", "--store", store)
            assert code == 0 and "2021-Q2" in out_text, err
            monkeypatch.setenv("XLKP_STORE", str(store))
            udfs.reset()
            assert udfs.KP_PERIODS() == [["2021-Q1"], ["2021-Q2"]]
            udfs.reset()
            code, _, err = run(capsys, "import", pdfs["2021-Q3"], "-o", tmp_path / "N.xlsx", "-q")
            assert code == 2 and str(store) in one_line(err)


# ---- the XLKP_STORE setting of a workbook ---------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["../kp.sqlite", "data/../../kp.sqlite", "/etc/kp.sqlite", r"\\host\share\kp.sqlite", r"C:\kp.sqlite",
     "$HOME/kp.sqlite", "%APPDATA%\\kp.sqlite", "~root/kp.sqlite", "~/kp.sqlite", r"..\kp.sqlite"],
)
def test_a_workbook_cannot_point_the_functions_elsewhere(tmp_path, value):
    book = str(tmp_path / "map" / "Klantprofielen.xlsm")
    with pytest.raises(StoreError, match="XLKP_STORE") as refused:
        configured_store({"XLKP_STORE": value}, book)
    assert "\n" not in str(refused.value)


def test_the_workbook_folder_and_the_default_are_allowed(tmp_path, monkeypatch):
    folder = tmp_path / "map"
    folder.mkdir()
    book = str(folder / "Klantprofielen.xlsm")
    assert configured_store({"XLKP_STORE": "kp.sqlite"}, book) == folder / "kp.sqlite"
    assert configured_store({"XLKP_STORE": r"data\kp.sqlite"}, book) == folder / "data" / "kp.sqlite"
    assert configured_store({"XLKP_STORE": str(folder / "a.sqlite")}, book) == folder / "a.sqlite"
    monkeypatch.delenv("XLKP_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "data"))
    assert configured_store({"XLKP_STORE": str(default_store_path())}, book) == default_store_path()
    (folder / "uit").symlink_to(tmp_path)
    with pytest.raises(StoreError, match="buiten de map"):
        configured_store({"XLKP_STORE": "uit/kp.sqlite"}, book)
